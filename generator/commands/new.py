"""`cadres new`: a new record or nomination file, with its id and every field it must have, for the user to fill
in; a file already there is never replaced."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from generator.commands import loading
from generator.core.errors import UsageError
from generator.interchange import new as scaffold


def run(root: Path, what: str, unit: str, *, round_year: int | None, cache_dir: Path | None) -> Path:
    """Write the new file of `what` ("cadre" or "nomination", the latter of the round `round_year`) for `unit`;
    its path, relative to `root`. UsageError for an unknown unit, a round that is not a year, or a file there."""
    registry = loading.registry(root, cache_dir)
    known = next((u for u in registry.units if u["id"] == unit), None)
    if known is None:
        raise UsageError(
            f"units.yaml 中没有单位「{unit}」；可用的单位编号：{'、'.join(u['id'] for u in registry.units)}"
        )
    if what == "cadre":
        path, text = scaffold.new_cadre(registry, unit)
    else:
        if round_year is None:
            raise UsageError("新建推荐文件须写调整轮次，如 --round 2027")
        latest = _dt.date.today().year + 1  # a round is prepared at most a year ahead
        if not 2000 <= round_year <= latest:
            raise UsageError(f"调整轮次是年份：{round_year} 不在 2000 至 {latest} 之间，请写如 --round {latest - 1}")
        path, text = scaffold.new_nomination(registry, known, round_year)
    target = root / path
    if target.exists():
        raise UsageError(f"{path} 已经存在，没有覆盖；请直接编辑它")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return path
