"""`cadres migrate`: the first layout's records converted in place (inspections, decisions and the watch list
each their own files; a record keeps the person's own values); a dry run writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError
from generator.interchange import migrate


@dataclass
class Migrated:
    notes: list[str]  # what was derived or assumed, one line each
    written: list[str]  # the files written (a dry run: that would be)

    @property
    def people(self) -> int:
        """How many of the files written are records of people."""
        return sum(1 for p in self.written if p.startswith("registry/cadres/"))


def run(root: Path, *, dry_run: bool) -> Migrated:
    """Convert the registry; UsageError, with nothing written, when it cannot be converted."""
    try:
        result, written = migrate.migrate(root, dry_run=dry_run)
    except migrate.MigrateError as exc:
        raise UsageError(str(exc)) from None
    return Migrated(result.notes, written)
