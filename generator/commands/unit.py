"""`cadres unit-export` and `cadres unit-pull`: a unit's repository kept in step with the district's registry.

Export writes the unit's records and the shared configuration into the unit's working tree; pull takes the unit's
merged changes into a new branch of the registry, refusing what is not the unit's. Both ask for a unit units.yaml
knows; pull's exit status is 1 when it refused a file or left a conflict to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.commands import loading
from generator.core.errors import UsageError
from generator.repository import units


@dataclass
class Pulled:
    result: units.Result

    @property
    def refused(self) -> bool:
        """A file of the unit's repository was not taken (not the unit's, or one it may not write)."""
        return bool(self.result.ignored or self.result.refused)

    @property
    def status(self) -> int:
        """1 when a file was refused or a conflict is left, else 0."""
        return 1 if self.refused or self.result.conflicts else 0


def export(root: Path, unit: str, to: Path, *, cache_dir: Path | None) -> units.Result:
    """Write `unit`'s files into the unit's repository at `to`: (written, removed)."""
    loading.known_unit(loading.registry(root, cache_dir), unit)
    if not to.is_dir():
        raise UsageError(f"{to} 不存在：请先克隆单位仓库（或用 cadres init 新建）")
    try:
        return units.export(root, unit, to)
    except units.UnitRepoError as exc:
        raise UsageError(str(exc)) from None


def pull(root: Path, unit: str, source: str, rev: str, *, cache_dir: Path | None) -> Pulled:
    """Take `unit`'s merged changes at `rev` of the repository `source` into a new branch, committed."""
    loading.known_unit(loading.registry(root, cache_dir), unit)
    try:
        return Pulled(units.take_in(root, unit, source, rev))
    except units.UnitRepoError as exc:
        raise UsageError(str(exc)) from None
