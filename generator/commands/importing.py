"""`cadres import`: read the files, say what would change, and write only when nothing stops it.

The steps, in order, each of which can end the run with nothing written: the registry has no such unit (a
UsageError, as is a registry without its units or audiences), the files cannot be read at all, a row or form
cannot be taken (unless `partial`), a dry run, a folder that cannot be written, a value that would be removed
(unless `allow_removal`). Then the records are written and every record the files are about is
validated again; what they still lack goes into the to-do list.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands import loading
from generator.core.errors import UsageError
from generator.core.findings import ERROR, Finding
from generator.interchange import importing
from generator.interchange.incoming import ImportFailure, Reading
from generator.registry.validate import validate

# where a run stopped
UNREADABLE, PROBLEMS, DRY_RUN, UNWRITABLE, REMOVAL, WRITTEN = (
    "unreadable",
    "problems",
    "dry_run",
    "unwritable",
    "removal",
    "written",
)


@dataclass
class ImportRun:
    stopped: str  # one of the constants above
    reason: str = ""  # why an unreadable file or an unwritable place stopped it, in Chinese
    reading: Reading = field(default_factory=Reading)
    changes: list[importing.Planned] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    todo: Path | None = None  # the to-do list, when the records still lack something

    @property
    def refused(self) -> int:
        return sum(1 for c in self.changes if c.refused)

    @property
    def removing(self) -> list[importing.Planned]:
        return [c for c in self.changes if c.removed]

    @property
    def status(self) -> int:
        """0 when everything read was taken and passes; 1 when anything was refused, stopped or still fails."""
        if self.stopped == DRY_RUN:
            return 0
        if self.stopped != WRITTEN or any(f.severity == ERROR for f in self.findings):
            return 1
        return 1 if self.reading.problems or self.refused else 0


def run(
    root: Path,
    fmt: str,
    files: list[Path],
    unit: str,
    *,
    cache_dir: Path | None,
    dry_run: bool = False,
    partial: bool = False,
    allow_removal: bool = False,
    todo: Path | None = None,
) -> ImportRun:
    registry = loading.registry(root, cache_dir)
    if unit not in {u["id"] for u in registry.units}:
        raise UsageError(f"units.yaml 中没有单位「{unit}」")
    try:
        reading = importing.read(registry, fmt, files, unit)
    except ImportFailure as exc:  # the file, not the program: said like any refusal, nothing written
        return ImportRun(UNREADABLE, str(exc))
    if reading.problems and not partial:
        return ImportRun(PROBLEMS, reading=reading)
    changes = importing.plan(registry, reading.records)
    out = ImportRun(DRY_RUN, reading=reading, changes=changes)
    if dry_run:
        return out
    target = importing.todo_path(files[0], todo)
    out.reason = importing.writable(registry, unit, target) or ""
    if out.reason:
        out.stopped = UNWRITABLE
        return out
    if out.removing and not allow_removal:
        out.stopped = REMOVAL
        return out
    out.stopped = WRITTEN
    out.written = importing.write(registry, [c.data for c in changes if c.kind in ("新建", "修改")], unit)
    # every record the files are about, written or unchanged: an unchanged one may still lack what the unit must add
    folder = f"registry/cadres/{unit}"
    imported = sorted(set(out.written) | {f"{folder}/{c.data['id']}.yaml" for c in changes if c.kind == "不变"})
    if not imported:
        return out
    _, out.findings = validate(root, as_of=_dt.date.today(), paths=imported, cache_dir=cache_dir)
    errors = [f for f in out.findings if f.severity == ERROR]
    if errors:
        people = {f"{folder}/{c.data['id']}.yaml": c.data for c in changes}
        out.todo = importing.todo_list(errors, people, target)
    return out
