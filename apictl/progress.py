"""Progress on long work: a bar on standard error when it is a terminal, and nothing at all otherwise.

Nothing is shown when standard error is piped or redirected (CI logs, ``2>file``), when ``TERM=dumb``,
with ``--quiet``, or for work too small to need it (the thresholds below). The bar is drawn by
rich (a dependency of typer), imported only when a bar is really shown, and it is transient: it
disappears when the work ends, so the terminal keeps only the command's real output. Lines the
command prints on standard output meanwhile (a deploy's log) appear above the bar when standard
output is the same terminal, and go to their pipe untouched when it is not.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

# Below these, the work takes about a second or less: a bar would only flicker.
SDK_OPERATIONS = 200  # SDK generation shows a bar from this many operations
VALIDATE_FILES = 10  # validate shows a bar from this many input files


class Tracker:
    """What the work reports; this one ignores everything (no terminal, --quiet, small work)."""

    def phase(self, description: str, total: int | None) -> None:
        """Start a new step of the work (resets the bar): e.g. 'Rendering files', 120."""

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        """``steps`` more done; ``note`` names the item now in hand (a file, a resource)."""


class _RichTracker(Tracker):
    def __init__(self, progress, task) -> None:
        self._progress = progress
        self._task = task

    def phase(self, description: str, total: int | None) -> None:
        # drawn at once (not at the next tick), so even a short step is seen
        self._progress.update(self._task, description=description, total=total, completed=0, note="", refresh=True)

    def advance(self, steps: int = 1, note: str | None = None) -> None:
        if note is None:
            self._progress.advance(self._task, steps)
        else:
            self._progress.update(self._task, advance=steps, note=note)


def track(items: Iterable[T], description: str, *, enabled: bool = True,
          note: Callable[[T], str] = str) -> Iterator[T]:
    """Iterate ``items`` with a bar (see :func:`progress`): each item is named while it is in hand and
    counted once the loop body is done with it. The bar goes away when the loop ends, however it ends."""
    items = list(items)
    with progress(description, len(items), enabled=enabled) as bar:
        for item in items:
            bar.advance(0, note(item))
            yield item
            bar.advance()


def on_terminal() -> bool:
    """Standard error is an interactive terminal that can redraw a line."""
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


@contextmanager
def progress(description: str, total: int | None, *, enabled: bool = True) -> Iterator[Tracker]:
    """A bar for ``total`` steps (None: unknown), shown only when ``enabled`` and on a terminal."""
    if not enabled or not on_terminal():
        yield Tracker()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[note]}", style="dim"))
    stdout_shared = _stdout_is_terminal()
    with Progress(*columns, console=console, transient=True, redirect_stdout=stdout_shared,
                  redirect_stderr=False) as bar:
        yield _RichTracker(bar, bar.add_task(description, total=total, note=""))


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
