"""Shared by the stress tests of the text scanners: a megabyte of input must
finish well within a generous limit, so a catastrophic regex fails fast."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

MEGABYTE = 1_000_000
# Generous: a catastrophic (quadratic or worse) regex would take hours on a megabyte.
TIME_LIMIT = 20.0


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail instead of hanging; the re module checks for signals while it matches."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
