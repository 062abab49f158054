"""Work over many files on every core: forked workers, each handed what the work needs once, when it starts."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

PR_SET_PDEATHSIG = 1  # prctl(2)
PARALLEL_FROM = 400  # with fewer items, starting workers costs more than it saves

Item = TypeVar("Item")
Result = TypeVar("Result")


def fork_map(
    func: Callable[[Any, Item], Result], items: list[Item], context: Any = None, jobs: int | None = None
) -> list[Result]:
    """[func(context, item) for item in items], in chunks on forked workers when there are enough items.

    `func` is a module-level function; `context` is what every call needs
    besides its item (loaded schemas, git blobs). Each worker is given both
    once, by the pool's initializer, as it forks: nothing is pickled and no
    module state is set in this process.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(items) < PARALLEL_FROM:
        return [func(context, item) for item in items]
    size = max(50, len(items) // (jobs * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(
        jobs, mp_context=get_context("fork"), initializer=_start, initargs=(func, context, os.getpid())
    ) as pool:
        return [result for results in pool.map(_chunk, chunks) for result in results]


_task: tuple[Callable, Any] | None = None  # in a worker process only: (func, context), set by _start


def die_with_parent(parent: int) -> None:
    """In a worker: end when the process that started it ends, even by SIGKILL (Linux's PR_SET_PDEATHSIG), so a
    killed build or validation leaves no worker running on; if the parent is already gone, end now."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:
        os._exit(1)


def _start(func: Callable, context: Any, parent: int) -> None:
    global _task
    die_with_parent(parent)
    gc.enable()  # whatever the parent paused: a worker's many files make garbage of their own
    _task = (func, context)


def _chunk(chunk: list) -> list:
    assert _task is not None, "runs in a worker started by fork_map"
    func, context = _task
    return [func(context, item) for item in chunk]
