"""`cadres diff`: the pool at two revisions side by side (who entered, who left, who changed, every target before
and after); a record that cannot be read at either revision makes the exit status 1."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError
from generator.git import diff as pool


@dataclass
class Compared:
    pools: pool.PoolDiff

    @property
    def status(self) -> int:
        """1 when a record could not be read, else 0."""
        return 1 if self.pools["unreadable"] else 0


def run(root: Path, base: str, head: str | None, *, as_of: _dt.date, cache_dir: Path | None) -> Compared:
    """The pool diff from `base` to `head` (None: the working tree); UsageError when git cannot give either."""
    try:
        return Compared(pool.diff(root, base, head, as_of, cache_dir))
    except pool.DiffError as exc:
        raise UsageError(str(exc)) from None
