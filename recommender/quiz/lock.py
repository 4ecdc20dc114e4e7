"""One quiz run per answers file: an advisory lock held from the start of a run to its end.

Two runs saving to the same file would each replace the other's answers after every question,
and both would say the answers are saved.  So a run takes a lock first: an exclusive `flock` on
`.NAME.lock` beside the answers file, which names the run holding it (process id and start
time).  The lock file is removed when the run ends; the kernel drops the lock if the run dies.
The lock is on the file the path finally names, so two paths to one file (a symbolic link, `./`)
share it.  Where `flock` does not exist (Windows), runs are not excluded.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from pathlib import Path

from recommender.i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class Busy(Exception):
    """Another run holds the lock; `holder` says which, as the lock file describes it."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(holder)
        self.path = path
        self.holder = holder


class Lock:
    """A held lock; `release()` removes the lock file and lets go."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    def release(self) -> None:
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # while still held: a run that opened it meanwhile sees a new file and retries
        os.close(self.fd)
        self.fd = -1


def lock_path(target: Path) -> Path:
    """The lock file for an answers file: hidden, beside the file the path finally names."""
    real = target.resolve()
    return real.parent / f".{real.name}.lock"


def acquire(target: Path) -> Lock | None:
    """Lock `target` for this run; raise Busy if another run holds it.

    Returns None when no lock can be taken at all (no flock, or a folder where no file can be
    created): the quiz then says it cannot save, which matters more than the lock.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return None
    path = lock_path(target)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise Busy(target, holder) from None
        except OSError:
            os.close(fd)
            return None
        # The holder before us may have removed the file after we opened it: lock the one that is there.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except OSError:
            same = False
        if not same:
            os.close(fd)
            continue
        started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, (_("process {pid}, started {time}").format(pid=os.getpid(), time=started) + "\n").encode())
        return Lock(fd, path)


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text.splitlines()[0] if text else _("a run that has just started")
