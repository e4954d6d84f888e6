"""Work on every core: a function mapped over many items in worker processes, results in input order.

Workers are forked where the platform allows it (Linux: they inherit the modules already imported, so a
worker starts in a millisecond), spawned elsewhere; each runs ``initializer(*initargs)`` once. Ctrl-C reaches
the parent only (workers ignore SIGINT), which stops the pool. Too little work for several processes runs in
this process instead: a pool costs more than it saves below a few items.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def map_in_order(fn: Callable[[T], R], items: list[T], jobs: int, initializer: Callable[..., Any],
                 initargs: tuple = (), min_items: int = 2) -> Iterator[R]:
    """``fn(item)`` for every item, in order, on ``jobs`` processes (here when ``jobs`` is 1 or the items are
    fewer than ``min_items``). Every item is handed out before this returns, so that the workers are forked
    before the caller starts any thread (a progress bar); the results come as the returned iterator is read."""
    if jobs <= 1 or len(items) < min_items:
        initializer(*initargs)
        return map(fn, items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else None
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker, initargs=(initializer, initargs))
    try:
        futures = [pool.submit(fn, item) for item in items]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return _results(pool, futures)


def _results(pool: Any, futures: list) -> Iterator[Any]:
    try:
        for future in futures:
            yield future.result()
    finally:  # also when the caller stops early (an error, Ctrl-C): queued items never start
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(initializer: Callable[..., Any], initargs: Iterable) -> None:
    import signal  # in workers only: a one-file run imports nothing it does not use

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    initializer(*initargs)
