"""One folder put in place of another in a single step, so a reader never finds neither.

Linux swaps two names atomically (`renameat2` with RENAME_EXCHANGE): after the one call the new folder is
in place and the old one sits where the new one was, to be removed. Where the call or the file system
lacks it, two renames are the fallback: the old folder moved aside, the new one moved in; a process killed
between them leaves the old one under its aside name, for the next build to put back (site/build._remove_leftovers).
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of two existing paths in one step; False where the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def put_in_place(new: Path, target: Path, aside: Path) -> Path | None:
    """Put `new` at `target`; returns where the old folder now is (to remove), None when there was none.

    `aside` is the name the fallback moves the old folder to first."""
    if not target.exists():
        new.rename(target)
        return None
    if exchange(new, target):
        return new
    target.rename(aside)
    new.rename(target)
    return aside
