"""A rule book as it was at a git revision, copied into a temporary folder for `rules diff --against`.

Only git's plumbing reads the old files: `ls-tree` lists the blobs and `cat-file --batch`
prints their bytes exactly as stored. Neither applies filters (smudge, textconv), attributes
or hooks, and every setting that could name a program is overridden on the command line, so
a repository's own configuration cannot make this run anything. No shell is involved.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path, PurePosixPath

from recommender.errors import Problem, RecommenderError, RuleBookError

MAX_FILES = 10_000
MAX_BYTES = 64 * 1024 * 1024  # the whole old rule book; far above any real one

#: Settings that could make git start another program, or read attributes, switched off.
SAFE_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.attributesFile=/dev/null",
               "core.sshCommand=false", "core.pager=cat", "diff.external=", "protocol.allow=never",
               "core.untrackedCache=false", "uploadpack.packObjectsHook=")


def rulebook_at_revision(rules_dir: Path, rev: str, into: Path) -> tuple[Path, str]:
    """Copy `rules_dir` as it was at git revision `rev` into `into`; return the folder and its label."""
    if not rev or rev.startswith("-") or any(c.isspace() or c == "\0" or ord(c) < 32 for c in rev):
        raise RecommenderError(f"--against: '{rev}' is not a git revision")
    folder = rules_dir.resolve()
    if not folder.is_dir():
        raise RecommenderError(Problem(str(rules_dir), 0, "rule book folder not found"))
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode(errors="replace").strip()).resolve()
    try:
        prefix = PurePosixPath(folder.relative_to(top).as_posix())
    except ValueError:
        raise RecommenderError(Problem(str(rules_dir), 0, "the rule book is not inside the git work tree")) from None
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except RecommenderError:
        raise RecommenderError(f"--against: '{rev}' is not a commit of the git repository at {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", str(prefix))
    blobs: list[tuple[str, PurePosixPath]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_name = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        name = PurePosixPath(os.fsdecode(raw_name))
        # Plain files only (no symlinks, no submodules), and never outside the rule folder.
        if kind != "blob" or mode not in ("100644", "100755") or ".." in name.parts or name.is_absolute():
            continue
        try:
            blobs.append((sha, name.relative_to(prefix)))
        except ValueError:
            continue
    if len(blobs) > MAX_FILES:
        raise RecommenderError(f"--against: the rule book at {rev} has over {MAX_FILES:,} files")
    target = into / "rules"
    target.mkdir(parents=True)
    data = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in blobs).encode())
    pos = 0
    for sha, rel in blobs:
        header_end = data.index(b"\n", pos)
        _sha, _kind, size = data[pos:header_end].decode().split()
        start = header_end + 1
        out = target.joinpath(*rel.parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data[start:start + int(size)])
        pos = start + int(size) + 1  # the content is followed by a newline
    return target, f"{rev}:{prefix}"


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    config = [part for setting in SAFE_CONFIG for part in ("-c", setting)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_NO_REPLACE_OBJECTS="1")
    try:
        done = subprocess.run(["git", "--no-pager", *config, "-C", str(cwd), *args], input=stdin,
                              capture_output=True, check=False, timeout=120, env=env)
    except FileNotFoundError:
        raise RecommenderError("--against needs git, and git was not found on this system") from None
    except subprocess.TimeoutExpired:
        raise RecommenderError(f"git {args[0]} took too long; giving up") from None
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        raise RecommenderError(f"git {args[0]} failed: {why[-1] if why else f'exit code {done.returncode}'}")
    if len(done.stdout) > MAX_BYTES:
        raise RecommenderError(f"--against: the rule book at that revision is larger than {MAX_BYTES >> 20} MB")
    return done.stdout


def relabel(exc: RuleBookError, folder: Path, label: str) -> RuleBookError:
    """Show the problems of an extracted book under REV:path instead of the temporary folder."""
    root = str(folder)
    return RuleBookError([replace(p, path=label + p.path[len(root):]) if p.path.startswith(root) else p
                          for p in exc.problems])
