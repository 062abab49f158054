"""`cadres codeowners`: CODEOWNERS written as the units and their reviewers say, or (--check) the committed one
judged as `cadres validate` judges it (X15); a stale one makes the exit status 1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.commands import loading
from generator.core.errors import UsageError
from generator.core.findings import ERROR, Finding
from generator.registry import codeowners


@dataclass
class Owners:
    file: Path  # the CODEOWNERS file
    finding: Finding | None = None  # --check: what is wrong with the committed file, None when nothing
    written: bool = False  # False: it already said what the registry says

    @property
    def status(self) -> int:
        """1 when the committed file is found stale (an error), else 0."""
        return 1 if self.finding and self.finding.severity == ERROR else 0


def run(root: Path, *, check: bool, cache_dir: Path | None) -> Owners:
    """Check or write CODEOWNERS; UsageError when the registry does not say who reviews for the org department."""
    registry = loading.registry(root, cache_dir)
    out = Owners(root / codeowners.FILE)
    if check:
        out.finding = codeowners.verdict(registry)
        return out
    try:
        out.written = codeowners.write(registry)
    except codeowners.OwnersError as exc:
        raise UsageError(str(exc)) from None
    return out
