"""A per-user cache of loaded rule books: load once, then rebuild from a snapshot keyed by content.

The key is a SHA-256 over every file under the book's folder (relative path and bytes), the
snapshot format, the package's version and code, and the language.  A snapshot is used only
from a folder and a file that belong to the current user and that nobody else may write to;
anything else about it (unreadable, corrupt, another key, another owner) means a full load,
silently, and a fresh snapshot.  Commands that check a book (`rules ...`) never come here.

RECOMMENDER_CACHE_DIR names the folder (default: $XDG_CACHE_HOME/medadmin-recommender or
~/.cache/medadmin-recommender); RECOMMENDER_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from recommender import __version__
from recommender.book.layout import default_rules_dir
from recommender.book.rulebook import RuleBook

APP = "medadmin-recommender"
#: Beyond these the book is hashed no further and loaded in full every time.
MAX_FILES = 20_000
MAX_BYTES = 256 * 1024 * 1024
#: Snapshots kept in the folder; the oldest go first.
KEEP = 8
_SNAPSHOT_DIR = "_snapshot"  # inside the package: the shipped book's snapshot, built with the wheel

Note = Callable[[str], None]


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("RECOMMENDER_NO_CACHE", "") not in ("", "0") or not hasattr(os, "geteuid"):
        return None
    chosen = os.environ.get("RECOMMENDER_CACHE_DIR")
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / APP


def load_cached(root: Path | str | None = None, lang: str = "en", note: Note | None = None) -> RuleBook:
    """The rule book at `root` (default: the shipped one): from a snapshot when one can be trusted."""
    folder = Path(root) if root is not None else default_rules_dir()
    say: Note = note or (lambda _text: None)
    key = book_key(folder, lang)
    cache = cache_dir()
    if key is None or cache is None:
        if key is None:
            say("snapshot: the book's files could not all be read as regular files; loading in full")
        return load_rulebook(folder, lang=lang)
    header: list[object] = [f"{APP} snapshot", _format(), __version__, lang, key]
    name = f"{key}.json"
    for candidate in (_shipped(folder, name), cache / name):
        if candidate is None:
            continue
        book = _read(candidate, folder, header, say, shipped=candidate.parent.name == _SNAPSHOT_DIR)
        if book is not None:
            return book
    book = load_rulebook(folder, lang=lang)
    if book_key(folder, lang) == key:  # not edited while it was loading
        _write(cache, name, book, header, say)
    return book


def load_rulebook(root: Path, lang: str) -> RuleBook:
    """A full load (the loader, and pydantic with it, are imported only when one is needed)."""
    from recommender.book.loader import load_rulebook as full_load

    return full_load(root, lang=lang)


def _format() -> int:
    from recommender.book.snapshot import FORMAT

    return FORMAT


def _shipped(folder: Path, name: str) -> Path | None:
    """Where the wheel keeps the snapshot of this key, for the book inside the wheel only."""
    package = Path(__file__).resolve().parent.parent
    if folder.resolve() != (package / "_rules").resolve():
        return None
    return package / _SNAPSHOT_DIR / name


# ------------------------------------------------------------------ the key
_CODE: list[bytes] = []


def _code_fingerprint() -> bytes:
    """The loader's own code: a checkout whose version never changes still gets fresh snapshots."""
    if not _CODE:
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        _CODE.append(digest.digest())
    return _CODE[0]


def book_key(root: Path, lang: str) -> str | None:
    """SHA-256 of every file under the folder (path and bytes), the format, versions and language."""
    digest = hashlib.sha256()
    digest.update(f"{APP}\0{_format()}\0{__version__}\0{lang}\0".encode())
    digest.update(_code_fingerprint())
    try:
        files = _files(root)
        if files is None:
            return None
        total = 0
        for rel, path in files:
            data = _read_regular(path, MAX_BYTES - total)
            if data is None:
                return None
            total += len(data)
            digest.update(f"{len(rel)}:{rel}\0{len(data)}:".encode("utf-8", "surrogateescape") + data)
    except OSError:
        return None
    return digest.hexdigest()


def _files(root: Path) -> list[tuple[str, Path]] | None:
    """Every file under the folder, following links as the loader does, each folder once."""
    out: list[tuple[str, Path]] = []
    seen: set[tuple[int, int]] = set()
    for top, dirs, names in os.walk(root, followlinks=True, onerror=_raise):
        info = os.stat(top)
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs.sort()
        base = Path(top)
        for name in sorted(names):
            path = base / name
            out.append((path.relative_to(root).as_posix(), path))
        if len(out) > MAX_FILES:
            return None
    return out if seen else None


def _raise(exc: OSError) -> None:
    raise exc


def _read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes (opened without blocking, so a named pipe cannot hang), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        # Never ask for more than the file says it holds: read(n) sets aside n bytes first.
        data = handle.read(info.st_size + 1)
    return data if len(data) <= min(limit, info.st_size) else None


# ------------------------------------------------------------------ the files
def _trusted(info: os.stat_result, shipped: bool) -> bool:
    owners = (os.geteuid(), 0) if shipped else (os.geteuid(),)
    return info.st_uid in owners and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, root: Path, header: list[object], say: Note, shipped: bool) -> RuleBook | None:
    from recommender.book.snapshot import SnapshotError, loads

    try:
        folder = os.stat(path.parent)
    except OSError:
        return None
    if not stat.S_ISDIR(folder.st_mode) or not _trusted(folder, shipped):
        say(f"snapshot: ignored {path.parent}: owned by another user or writable by others")
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError:
        say(f"snapshot: ignored {path}: cannot be opened (a link, or not readable)")
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _trusted(info, shipped):
            say(f"snapshot: ignored {path}: owned by another user or writable by others")
            return None
        try:
            data = handle.read()
        except OSError:
            say(f"snapshot: ignored {path}: cannot be read")
            return None
    try:
        return loads(data, root, header)
    except SnapshotError as exc:
        say(f"snapshot: ignored {path}: {exc}")
        return None


def _write(cache: Path, name: str, book: RuleBook, header: list[object], say: Note) -> None:
    from recommender.book.snapshot import SnapshotError, dumps

    try:
        data = dumps(book, header)
    except SnapshotError as exc:
        say(f"snapshot: not written: {exc}")
        return
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(cache)
        if not stat.S_ISDIR(info.st_mode) or not _trusted(info, shipped=False):
            say(f"snapshot: not written: {cache} is owned by another user or writable by others")
            return
        fd, temp = tempfile.mkstemp(prefix=".snapshot-", suffix=".tmp", dir=cache)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, cache / name)
        except BaseException:
            os.unlink(temp)
            raise
        _prune(cache)
    except OSError as exc:  # a read-only home, a full disk: the book is loaded all the same
        say(f"snapshot: not written: {exc.strerror or exc}")


def _prune(cache: Path) -> None:
    snapshots = sorted(cache.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snapshots[KEEP:]:
        old.unlink(missing_ok=True)


def write_shipped(root: Path, dest: Path) -> list[Path]:
    """Write the snapshots of the book at `root`, one per language, into `dest` (at wheel build time)."""
    from recommender.book.snapshot import dumps
    from recommender.i18n import LANGS

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        book = load_rulebook(root, lang=lang)
        key = book_key(root, lang)
        if key is None:
            raise OSError(f"{root}: cannot read every file of the rule book")
        header: list[object] = [f"{APP} snapshot", _format(), __version__, lang, key]
        path = dest / f"{key}.json"
        path.write_bytes(dumps(book, header))
        written.append(path)
    return written
