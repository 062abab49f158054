"""`cadres round`: the adjustment round's plan, and the decision the committee's approved plan makes.

Neither is made from a registry with a broken record (the plan would leave its person out). `decide` asks for
the approved plan (--from), the meeting's day (--date) and its minutes (--ref), reads the plan's JSON and makes
the decision; what it will write is listed before `write` writes it (a dry run stops after the list), so a
decision file made meanwhile refuses only the writing.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

from generator.analysis import adjustment
from generator.commands import loading
from generator.core.errors import UsageError
from generator.interchange import decide
from generator.registry.files import Registry


@dataclass
class Decided:
    registry: Registry  # the registry the decision was made from, and is written into
    decision: decide.Decision  # its path, its values, and one line a change


def _registry(root: Path, cache_dir: Path | None) -> Registry:
    registry = loading.registry(root, cache_dir)
    broken = [e.path for e in registry.of_kind("cadre", valid_only=False) if not e.valid]
    if broken:
        raise UsageError(
            f"{len(broken)} 个干部记录格式有错误（如 {broken[0]}），方案会少算这些人：请先运行 cadres validate 改正"
        )
    return registry


def plan(root: Path, *, as_of: _dt.date, cache_dir: Path | None) -> dict:
    """The round's proposal on `as_of` (adjustment.plan), as `round plan` prints it and `round decide` reads it."""
    return adjustment.plan(_registry(root, cache_dir), as_of)


def decision(
    root: Path, *, plan_file: Path | None, day: _dt.date | None, ref: str | None, cache_dir: Path | None
) -> Decided:
    """The decision the approved plan in `plan_file` makes on `day`, under the minutes `ref`; nothing written.
    UsageError when an option is missing, the file cannot be read as JSON, or the plan cannot be decided."""
    registry = _registry(root, cache_dir)
    missing = [name for name, value in (("--from", plan_file), ("--date", day), ("--ref", ref)) if not value]
    if missing:
        raise UsageError(
            f"cadres round decide 需要 {'、'.join(missing)}：如 --from 方案.json --date 2027-09-20 --ref 文号"
        )
    assert plan_file is not None and day is not None and ref is not None  # for mypy: `missing` is empty
    try:
        approved = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UsageError(f"读不出方案 {plan_file}：{exc}；请用 cadres round plan --format json 生成") from None
    try:
        return Decided(registry, decide.decide(registry, approved, day, ref, str(plan_file)))
    except decide.DecideError as exc:
        raise UsageError(str(exc)) from None


def write(root: Path, decided: Decided) -> None:
    """Write the decision file; UsageError when one is already there (made since the registry was read)."""
    try:
        decide.write(root, decided.decision, decided.registry)
    except decide.DecideError as exc:
        raise UsageError(str(exc)) from None
