"""Termination signals as an exception, so a command can clean up (a temporary file) as Ctrl-C lets it."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any


class Terminated(BaseException):  # not Exception: no "except Exception" may swallow it
    """SIGTERM or SIGHUP arrived while a command was running."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals(make: Callable[[int], BaseException] = Terminated) -> Iterator[None]:
    """Raise `make(signum)` in the main thread on SIGTERM or SIGHUP, for the duration of the block."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise make(signum)

    old = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
