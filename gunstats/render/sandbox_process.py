"""The process-wide limits around one template run: a timer signal and an address-space cap.

Owns :func:`limits`, which starts a :class:`~gunstats.render.sandbox.Budget`'s clock, sets a
repeating ``SIGALRM`` timer (main thread, where the platform has one) that interrupts loops that
write nothing, and caps the address space (Linux) at what the process uses plus :data:`MEMORY`
and the budget's size, so that a runaway allocation is an error rather than swapping; both
are put back when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

from gunstats.render.sandbox import Budget, LimitError

MEMORY = 256 << 20
"""Address space a template may add, beyond 16 bytes for each character it may make."""


@contextlib.contextmanager
def limits(budget: Budget) -> Iterator[None]:
    """Start the clock, the timer signal and the address-space limit; lift them after."""
    budget.deadline = time.monotonic() + budget.seconds
    with _timer(budget), _address_space(MEMORY + 16 * budget.size):
        yield


@contextlib.contextmanager
def _timer(budget: Budget) -> Iterator[None]:
    import signal

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield  # the checks in operators, calls and output still apply
        return

    def expired(signum, frame):
        # Not when the template has stopped, nor while the error raised a moment ago (by the
        # clock checks, say) is on its way up: it would arrive without the template's line.
        if budget.deadline != float("inf") and time.monotonic() - budget.raised_at > 0.5:
            budget.out_of_time()

    previous = signal.signal(signal.SIGALRM, expired)
    # Repeats, in case something between the template and us swallowed the first; a second
    # apart, so that it does not strike again while the first is being reported.
    signal.setitimer(signal.ITIMER_REAL, budget.seconds, 1.0)
    try:
        yield
    finally:
        while True:  # the timer may go off once more while it is being stopped
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except LimitError:
                continue


@contextlib.contextmanager
def _address_space(extra: int) -> Iterator[None]:
    """Cap the address space at what the process uses now plus ``extra`` (where possible)."""
    lowered: tuple[int, int] | None = None  # the limits to put back
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = in_use + extra if hard == resource.RLIM_INFINITY else min(in_use + extra, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:  # else already as tight
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
            lowered = (soft, hard)
    except (ImportError, OSError, ValueError):  # not Linux: the other limits still apply
        pass
    try:
        yield
    finally:
        if lowered is not None:
            resource.setrlimit(resource.RLIMIT_AS, lowered)
