"""Work over many files on every core: forked workers, so they inherit what the parent has loaded."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PARALLEL_FROM = 400  # with fewer items, starting workers costs more than it saves


def fork_map(func, items: list, jobs: int | None = None) -> list:
    """[func(item) for item in items], in chunks on forked workers when there are enough items.

    `func` must be a module-level function; what it needs beyond the item it
    reads from module globals set before the call (the workers fork with them).
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(items) < PARALLEL_FROM:
        return [func(item) for item in items]
    size = max(50, len(items) // (jobs * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        return [result for results in pool.map(_chunk, [(func, c) for c in chunks]) for result in results]


def _chunk(args):
    func, chunk = args
    return [func(item) for item in chunk]
