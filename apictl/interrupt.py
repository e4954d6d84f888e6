"""Ctrl-C (SIGINT) and SIGTERM: stop at once, leave nothing half-written, say so in one line.

The handlers raise :class:`Interrupted`, a ``BaseException`` that no ``except Exception`` swallows (and
that typer, unlike ``KeyboardInterrupt``, does not turn into a silent exit 130), so every ``finally``
on the way out runs: the writer removes its temporary file or staging folder. The CLI turns it into
``apictl: interrupted (SIGINT)`` and exit code 128 + the signal number (130, 143), as shells do.

Only the first signal raises; one that comes while the run unwinds is ignored, so the clean-up
itself cannot be cut short. :func:`deferred` holds both signals back during a step that must not be
cut in two (swapping an SDK folder in); a signal that came meanwhile takes effect right after.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_NAMES = {signal.SIGINT: "interrupted (SIGINT)", signal.SIGTERM: "terminated (SIGTERM)"}
_fired = False


class Interrupted(BaseException):
    """The run was stopped by a signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def one_line(self) -> str:
        return f"apictl: {_NAMES.get(self.signum, f'stopped by signal {self.signum}')}"


def _handler(signum, frame) -> None:
    global _fired
    if _fired:
        return  # already unwinding: let the clean-up finish
    _fired = True
    raise Interrupted(signum)


def install() -> None:
    """Route SIGINT and SIGTERM to :class:`Interrupted` (main thread only; elsewhere a no-op)."""
    global _fired
    if threading.current_thread() is not threading.main_thread():
        return
    _fired = False
    for signum in SIGNALS:
        signal.signal(signum, _handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the duration of the block (they are delivered when it ends)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
