"""Work over many files on every core: forked workers, each handed what the work needs once, when it starts."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

PR_SET_PDEATHSIG = 1  # prctl(2)
MESSAGE = 4096  # the most of a failed child's message read back (less than a pipe holds: the child never waits)
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


class ChildFailed(Exception):
    """`alongside`'s work failed: the message is its exception's, or how the child ended."""


@contextlib.contextmanager
def alongside(work: Callable[[], object]) -> Iterator[None]:
    """Run `work()` in a forked child while the body of the `with` runs here, and wait for it on leaving: the
    body and the work use two cores. ChildFailed when the work raised or the child was killed; when the body
    raises, the child is killed and its work thrown away. The child ends with this process, even by SIGKILL."""
    parent = os.getpid()
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child: do the work, say what went wrong, and leave without running this process's exits
        status = 1
        try:
            os.close(reader)
            die_with_parent(parent)
            work()
            status = 0
        except BaseException as exc:  # whatever it was, the parent is told and decides
            os.write(writer, (str(exc) or type(exc).__name__).encode("utf-8", "replace")[:MESSAGE])
        finally:
            os._exit(status)
    os.close(writer)
    try:
        try:
            yield
        except BaseException:
            os.kill(child, signal.SIGKILL)
            raise
        finally:
            _, status = os.waitpid(child, 0)
        with os.fdopen(reader, "rb", closefd=False) as pipe:
            message = pipe.read(MESSAGE).decode("utf-8", "replace")
    finally:
        os.close(reader)
    if status != 0:
        how = (
            f"被信号 {os.WTERMSIG(status)} 终止"
            if os.WIFSIGNALED(status)
            else f"退出码 {os.waitstatus_to_exitcode(status)}"
        )
        raise ChildFailed(message or f"子进程{how}")
