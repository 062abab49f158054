"""core/parallel.py's `alongside`: work in a forked child while this process goes on (the 名册 workbook beside
mkdocs)."""

import os
import signal
import time

import pytest

from generator.core import parallel


def reaped(pid: int) -> bool:
    """The child has ended and been waited for: it is no child of this process any more."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_work_and_the_body_both_run_and_the_child_is_reaped(tmp_path):
    done = tmp_path / "done"
    with parallel.alongside(lambda: done.write_text(str(os.getpid()), encoding="utf-8")):
        body = os.getpid()
    child = int(done.read_text(encoding="utf-8"))
    assert child != body == os.getpid() and reaped(child)


@pytest.mark.parametrize(
    "work, message",
    [
        (lambda: (_ for _ in ()).throw(OSError("磁盘已满")), "磁盘已满"),
        (lambda: os.kill(os.getpid(), signal.SIGKILL), f"子进程被信号 {int(signal.SIGKILL)} 终止"),
        (lambda: os._exit(3), "子进程退出码 3"),
    ],
    ids=["raises", "killed", "exits"],
)
def test_a_failed_work_is_said_when_the_body_is_done(work, message):
    ran = []
    with pytest.raises(parallel.ChildFailed, match=f"^{message}$"), parallel.alongside(work):
        ran.append(True)
    assert ran == [True]


def test_when_the_body_fails_the_child_is_killed_and_the_bodys_error_is_the_one_raised(tmp_path):
    started, done = tmp_path / "started", tmp_path / "done"

    def slow():
        started.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)
        done.write_text("不该写到这里", encoding="utf-8")

    with pytest.raises(KeyError), parallel.alongside(slow):
        while not started.exists() or not started.read_text(encoding="utf-8"):
            time.sleep(0.01)
        raise KeyError("页面")
    assert reaped(int(started.read_text(encoding="utf-8"))) and not done.exists()  # killed, not waited for
