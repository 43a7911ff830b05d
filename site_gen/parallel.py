"""Spread CPU-bound work over the machine's cores with worker processes.

Workers are forked after the work list is built, so they inherit it (and everything it
references: the catalogue, the templates) without pickling; only results travel back.
Work is cut into a few large chunks per worker, so there is no per-item process overhead.

A forked worker also maps everything its parent holds: while the parent holds the whole
catalogue with its texts (before derive strips them), each worker's resident size starts
at the parent's, 1.7 GB at 100,000 actors. Work that needs only its items asks for
`fresh` workers instead: started from a clean process (forkserver, or spawn), they are sent
the items of each chunk and hold nothing else.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import Any

MIN_ITEMS_PER_WORKER = 200
MAX_CHUNK = 100

# The work of the current map_chunks call, inherited by forked workers. Set and cleared
# around the pool's life; never read outside it.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def release_memory() -> None:
    """Give the memory freed so far back to the system, which glibc would keep for later:
    after a stage frees much (the catalogue's texts, 65 MB at 10,000 actors), this process
    and the workers it forks next are that much smaller. Does nothing where unavailable."""
    with contextlib.suppress(AttributeError, OSError, TypeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def worker_count() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    function, items = _job
    return function(items[bounds[0] : bounds[1]])


def _start(function: Callable[[Any], list[Any]]) -> None:
    global _job
    _job = (function, ())


def _run_sent(items: list[Any]) -> list[Any]:
    return _job[0](items)


def _each(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


_preloaded: list[str] = []


def preload_in_fresh_workers(module: str) -> None:
    """Import `module` (and what it imports) once, in the process fresh workers are forked
    from, rather than in every fresh worker of every stage (0.5 CPU s each at start)."""
    if module not in _preloaded:
        _preloaded.append(module)


def _fresh_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Only the forkserver's first start reads it: later calls change nothing.
    context.set_forkserver_preload(["__main__", *_preloaded])
    return context


def map_chunks(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    workers: int | None = None,
    fresh: bool = False,
) -> Iterator[Any]:
    """function(item) for every item, in order, computed on up to `workers` cores.
    `fresh`: in workers that inherit nothing (`function` is pickled once for each
    worker, the items of each run as they are sent)."""
    return map_batches(partial(_each, function), items, workers, fresh)


def map_batches(
    function: Callable[[Sequence[Any]], list[Any]],
    items: Sequence[Any],
    workers: int | None = None,
    fresh: bool = False,
) -> Iterator[Any]:
    """As map_chunks, for a `function` that takes a run of the items at once (at most
    MAX_CHUNK) and returns their results in order: what it does once per run (a query
    for all of them) is done once per run."""
    global _job
    workers = workers or worker_count()
    workers = min(workers, len(items) // MIN_ITEMS_PER_WORKER)
    forking = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or not (fresh or forking):
        for start in range(0, len(items), MAX_CHUNK):
            yield from function(items[start : start + MAX_CHUNK])
        return
    # Chunks big enough to make the round trips negligible, small enough that the results
    # waiting for the consumer stay a few megabytes.
    chunk = min(MAX_CHUNK, max(MIN_ITEMS_PER_WORKER // 2, len(items) // (workers * 4) + 1))
    starts = range(0, len(items), chunk)
    if fresh:
        tasks = ((_run_sent, (list(items[start : start + chunk]),)) for start in starts)
        yield from _in_order(_fresh_context(), workers, tasks, function)
        return
    _job = (function, items)
    try:
        tasks = ((_run_chunk, ((start, min(start + chunk, len(items))),)) for start in starts)
        yield from _in_order(multiprocessing.get_context("fork"), workers, tasks)
    finally:
        _job = None


def _in_order(
    context: multiprocessing.context.BaseContext,
    workers: int,
    tasks: Iterator[tuple[Callable[..., list[Any]], tuple]],
    sent: Callable[[Any], list[Any]] | None = None,
) -> Iterator[Any]:
    """The results of each (function, arguments) task, in order, from a pool of workers;
    `sent`: the function each worker is sent once, as it starts, for `_run_sent`."""
    start = (_start, (sent,)) if sent is not None else (None, ())
    with context.Pool(workers, *start) as pool:
        # A bounded window of chunks in flight: workers stay busy, and results never pile
        # up faster than the consumer (writing files) takes them.
        window: deque = deque(pool.apply_async(*task) for task in islice(tasks, workers * 2))
        while window:
            results = window.popleft().get()
            following = next(tasks, None)
            if following is not None:
                window.append(pool.apply_async(*following))
            yield from results
