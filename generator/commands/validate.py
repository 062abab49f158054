"""`cadres validate`: every finding of the registry, and what git says of its records since a base revision."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.findings import ERROR, Finding
from generator.git.trail import deletions, identities
from generator.registry.files import Registry
from generator.registry.validate import validate


@dataclass
class Validation:
    registry: Registry
    findings: list[Finding]

    @property
    def status(self) -> int:
        """1 when any finding is an error, else 0."""
        return 1 if any(f.severity == ERROR for f in self.findings) else 0


def run(
    root: Path,
    *,
    as_of: _dt.date,
    paths: Sequence[str | Path] | None = None,
    base: str | None = "HEAD",
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> Validation:
    """The findings `cadres validate` reports: the registry's own (validate), then X19 and X27 from git since
    `base` (a deleted record file; a person changed under an id); no `base`, no git."""
    registry, found = validate(root, as_of=as_of, paths=paths, cache_dir=cache_dir, jobs=jobs)
    history = deletions(root, base) + identities(root, base, registry) if base else []
    return Validation(registry, history + found)
