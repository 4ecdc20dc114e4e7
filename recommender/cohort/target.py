"""Where `batch --out` writes, and what it refuses to replace.

- A regular file (or a new name) is written under a temporary name and renamed over it at the end.
- A symbolic link is followed: the file it points to is replaced and the link keeps working.
- A device, a named pipe or a socket (`/dev/null`, `/dev/stdout`, a FIFO) is never renamed over:
  the records are written into it as they would be to stdout.
- A read-only file is not replaced (read-only says "keep this"), nor is one of the batch's own
  inputs (the same file by device and inode, or an answers file inside an input folder).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from recommender.cohort.read import ANSWERS_SUFFIXES
from recommender.errors import Problem, RecommenderError


class DirectOutput:
    """Records written straight into a special file; there is nothing to rename or clean up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.stream: IO[str] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise RecommenderError(Problem(str(path), 0, f"cannot write the output: {exc.strerror or exc}")) from None

    def commit(self) -> None:
        self.stream.close()

    def discard(self) -> None:
        try:
            self.stream.close()
        except OSError:
            pass  # the reader has gone: nothing is left to keep


def check_out(out: Path, inputs: Sequence[Path]) -> tuple[Path, bool]:
    """The file to write for `--out` (links followed) and whether it is special; raise if it must not be."""
    target = out.resolve()
    try:
        info = target.stat()
    except FileNotFoundError:
        return target, False
    except OSError as exc:
        raise _refuse(out, f"cannot use the output: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(out, "is a folder; --out takes a file")
    if not stat.S_ISREG(info.st_mode):
        return target, True
    for source in inputs:
        if _is_input(target, info, source):
            raise _refuse(out, f"is one of the inputs ({source}): writing it would destroy what is being read; "
                               f"choose another file")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise _refuse(out, "is read-only, so it is not replaced; make it writable or choose another file")
    return target, False


def _is_input(target: Path, info: os.stat_result, source: Path) -> bool:
    try:
        if source.is_dir():
            return target.suffix.lower() in ANSWERS_SUFFIXES and os.path.samefile(target.parent, source)
        found = source.stat()
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino)


def _refuse(out: Path, message: str) -> RecommenderError:
    return RecommenderError(Problem(str(out), 0, message))
