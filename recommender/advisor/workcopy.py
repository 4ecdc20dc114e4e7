"""Is the rule book a working copy with uncommitted edits?  For the warning students' commands give.

In a checkout the shipped rule book *is* `./rules`, so an advisor's half-finished edit would
change what students are told at once.  `recommend` (and the web front end, through
`working_copy_warning`) say so on stderr.  The check is cheap and runs nothing from the
repository: git is asked only for the committed file list (`rev-parse`, `ls-tree`, which
apply no filters, attributes or hooks, with every setting that could start a program
switched off), and the working files are hashed here, as git would hash them unfiltered.
An installed package, or a folder outside git, is never checked.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path, PurePosixPath

import recommender
from recommender.advisor.revision import SAFE_CONFIG
from recommender.book.layout import CATALOG_DIR, FACTS, MARKET, QUESTIONNAIRE, RULES_DIR
from recommender.errors import one_line

SHOWN_FILES = 3  # files named in the one-line warning


def uncommitted(root: Path) -> list[str] | None:
    """The rule book's files that differ from the last commit (edited, added or deleted), as paths in
    the repository; None when the folder is not in a git checkout, is the installed book, or git fails."""
    folder = root.resolve()
    if folder == (Path(recommender.__file__).resolve().parent / "_rules") or not folder.is_dir():
        return None
    if not any((p / ".git").exists() for p in (folder, *folder.parents)):
        return None  # not a checkout: do not even start git
    top_raw = _git(folder, "rev-parse", "--show-toplevel")
    if top_raw is None:
        return None
    top = Path(top_raw.decode(errors="replace").strip()).resolve()
    try:
        prefix = PurePosixPath(folder.relative_to(top).as_posix())
    except ValueError:
        return None
    committed: dict[str, str] = {}
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", str(prefix))
    for entry in (listing or b"").split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        parts = meta.decode(errors="replace").split()
        if len(parts) == 3 and parts[1] == "blob":
            rel = PurePosixPath(os.fsdecode(name)).relative_to(prefix) if str(prefix) != "." \
                else PurePosixPath(os.fsdecode(name))
            if _read_by_loader(rel):
                committed[rel.as_posix()] = parts[2]
    current = {p.relative_to(folder).as_posix(): p for p in _book_files(folder)}
    changed = [rel for rel, path in current.items() if not _same(path, committed.get(rel))]
    changed += [rel for rel in committed if rel not in current]
    return sorted(str(prefix / rel) if str(prefix) != "." else rel for rel in changed)


def working_copy_warning(root: Path) -> str | None:
    """One line for stderr when the rule book at `root` has uncommitted changes, else None."""
    files = uncommitted(root)
    if not files:
        return None
    from recommender.advisor.profiles import (
        shown,  # only now: it brings the advisor's models along
    )

    named = ", ".join(files[:SHOWN_FILES]) + (f" and {len(files) - SHOWN_FILES} more" if len(files) > SHOWN_FILES
                                              else "")
    return one_line(f"recommender: warning: the rule book in {shown(root)} has uncommitted changes ({named}); this "
                    "report uses them, not the last committed book")


def _read_by_loader(rel: PurePosixPath) -> bool:
    """Whether the loader reads this file of a rule book folder."""
    if len(rel.parts) == 1:
        return rel.name in (QUESTIONNAIRE, FACTS, MARKET)
    return (len(rel.parts) == 2 and rel.parts[0] in (CATALOG_DIR, RULES_DIR)
            and rel.suffix in (".yaml", ".yml") and not rel.name.startswith("."))


def _book_files(folder: Path) -> list[Path]:
    found = [folder / name for name in (QUESTIONNAIRE, FACTS, MARKET)]
    for sub in (CATALOG_DIR, RULES_DIR):
        if (folder / sub).is_dir():
            found += [p for p in (folder / sub).iterdir()]
    return [p for p in found if p.is_file() and _read_by_loader(PurePosixPath(p.relative_to(folder).as_posix()))]


def _same(path: Path, blob: str | None) -> bool:
    """Whether the file's bytes are the committed blob (also with CRLF line ends read as LF)."""
    if blob is None:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    algo = hashlib.sha256 if len(blob) == 64 else hashlib.sha1
    return any(algo(b"blob %d\0" % len(d) + d).hexdigest() == blob for d in (data, data.replace(b"\r\n", b"\n")))


def _git(cwd: Path, *args: str) -> bytes | None:
    config = [part for setting in SAFE_CONFIG for part in ("-c", setting)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_NO_REPLACE_OBJECTS="1",
               GIT_OPTIONAL_LOCKS="0")
    try:
        done = subprocess.run(["git", "--no-pager", *config, "-C", str(cwd), *args], capture_output=True,
                              check=False, timeout=10, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
