"""Small timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def timed_passes(fn: Callable[[], T], min_total: float = 1.0, max_passes: int = 5) -> tuple[T, float, float, int]:
    """Run `fn` until `min_total` seconds or `max_passes` passes: (first result, median wall s, median CPU s, passes)."""
    walls: list[float] = []
    cpus: list[float] = []
    first: Any = None
    while True:
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)  # all threads of this process: shows hidden parallelism
        if len(walls) == 1:
            first = result
        if sum(walls) >= min_total or len(walls) >= max_passes:
            return first, statistics.median(walls), statistics.median(cpus), len(walls)


def _children(pid: int) -> list[int]:
    """Every descendant of a process (Linux /proc)."""
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                kids = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for kid in kids:
                found.append(int(kid))
                frontier.append(int(kid))
    return found


def _kib(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages split among the processes that share them, so a sum is honest."""
    return _kib(f"/proc/{pid}/smaps_rollup", "Pss:")


def _hwm_kib(pid: int) -> int:
    """The process's own peak resident set size since it started its program (VmHWM)."""
    return _kib(f"/proc/{pid}/status", "VmHWM:")


@dataclass(frozen=True)
class Run:
    """A finished subprocess with its wall time and memory peaks."""

    returncode: int
    seconds: float
    stdout: str
    stderr: str
    peak_pss_mib: float  # sampled sum over the process and its children; 0 when /proc is unavailable
    max_rss_mib: float  # the largest single process's peak RSS (VmHWM), sampled likewise


def run_measured(cmd: Sequence[str], interval: float = 0.05, discard_stdout: bool = False, **kwargs: Any) -> Run:
    """Run a command, sampling the memory of its whole process tree until it ends.

    Samples come every `interval` seconds for the first two seconds, then four times less often,
    so that a long run's sampler takes little of the CPU the command is measured on.
    """
    import tempfile

    peak = hwm = 0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL if discard_stdout else out, stderr=err,
                                text=True, **kwargs)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, hwm
            while not done.is_set():
                tree = [proc.pid] + _children(proc.pid)
                peak = max(peak, sum(_pss_kib(p) for p in tree))
                hwm = max([hwm] + [_hwm_kib(p) for p in tree])
                done.wait(interval if time.perf_counter() - start < 2 else 4 * interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, seconds, out.read(), err.read(), peak / 1024, hwm / 1024)


def median_run_seconds(cmd: Sequence[str], runs: int, **kwargs: Any) -> tuple[float, list[float]]:
    """Median wall time of a command over several runs (after one untimed run to warm the file cache)."""
    subprocess.run(cmd, check=True, capture_output=True, **kwargs)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times
