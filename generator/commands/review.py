"""`cadres review`: a merge request's source branch checked with the key, in a temporary checkout (the numbers'
checks X17, R12, X20, and X19, X27 against the fork point); an error makes the exit status 1."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError
from generator.core.findings import ERROR, Finding
from generator.repository.review import ReviewError, review


@dataclass
class Reviewed:
    fork: str  # the fork point of the branch and its target
    findings: list[Finding]

    @property
    def status(self) -> int:
        """1 when any finding is an error, else 0."""
        return 1 if any(f.severity == ERROR for f in self.findings) else 0


def run(root: Path, branch: str, target: str, *, as_of: _dt.date) -> Reviewed:
    """Every finding of `branch`, checked with the key; UsageError when there is no key or no such branch."""
    try:
        return Reviewed(*review(root, branch, target, as_of))
    except ReviewError as exc:
        raise UsageError(str(exc)) from None
