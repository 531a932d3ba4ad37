"""Run one pure function over many items on all cores, results in input order.

Workers are forked after the parent has built everything they read (config, source profiles, the
archive, the Jinja environment), so nothing big is pickled on the way in: a task is a range of
indices. Results come back in order, so a parallel build writes the same bytes as a serial one.
Where ``fork`` is not available, or the batch is small, the work runs in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL_ITEMS = 64  # below this, starting workers costs more than it saves
_TASKS_PER_WORKER = 4  # a few chunks each, so one slow chunk does not leave a core idle

Job = tuple[Callable[[Any, Any], Any], Any, Sequence[Any]]  # (function, state, items)
_worker: list[Job] = []  # in a worker process only: its job, handed over by fork (``_take``)


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of ``size``: the batches that keep a build's memory bounded."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ordered(
    function: Callable[[S, T], R], state: S, items: Sequence[T], jobs: int, min_items: int = MIN_PARALLEL_ITEMS
) -> Iterator[R]:
    """``function(state, item)`` for every item, in order, on up to ``jobs`` processes.

    ``min_items``: fewer items than this run here (lower it when each item is a big piece of work).
    """
    if jobs <= 1 or len(items) < min_items or not _can_fork():
        for item in items:
            yield function(state, item)
        return
    # The first item here, before forking: what the function loads once in a process (numpy, the line model,
    # a word pattern built from the Unicode tables, a locale's data: ~0.1-0.3 s) is then loaded once and shared
    # by fork, not again in every worker of every batch.
    yield function(state, items[0])
    job: Job = (function, state, items)
    step = max(1, -(-(len(items) - 1) // (jobs * _TASKS_PER_WORKER)))
    ranges = [(start, min(start + step, len(items))) for start in range(1, len(items), step)]
    import multiprocessing  # here: a rebuild that forks no worker does not import it
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    # Forked workers inherit the job (the initializer's arguments are not pickled under fork): tasks are ranges.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_take, initargs=(job,)) as pool:
        for chunk in pool.map(_run, ranges):
            yield from chunk


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _take(job: Job) -> None:
    _worker.append(job)


def _run(bounds: tuple[int, int]) -> list[Any]:
    function, state, items = _worker[0]
    return [function(state, items[i]) for i in range(*bounds)]
