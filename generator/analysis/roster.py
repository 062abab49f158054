"""The 后备干部名册: who is on it (the pool on a date), in what order, and its official columns.

One definition for the site's rosters and the Excel workbook: units in
official order, 正职后备 before 副职后备 within a unit, 姓氏笔画 within a
level, and the columns of a 后备干部名册 (序号 姓名 性别 民族 出生年月（岁）
籍贯 入党时间 参加工作时间 学历学位 毕业院校及专业 现任职务 任现职时间 类别
入库时间). Candidates, 关注, 已使用 and 调整出库 are not on it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from generator.analysis import strokes
from generator.analysis.stats import Tables
from generator.core import dates
from generator.registry import facts
from generator.registry.records import Cadre, Schooling


def pool(people: list[Cadre], on: _dt.date) -> list[Cadre]:
    """The people in the pool on that date (admitted on or before it, not yet left)."""
    return [d for d in people if facts.within(facts.pool_span(d), on)]


def ordered(people: list[Cadre], tables: Tables) -> list[Cadre]:
    """Units in official order, 正职 before 副职 in a unit, 姓氏笔画 within a level."""
    units = {u["id"]: i for i, u in enumerate(tables.units)}
    levels = {level: i for i, level in enumerate(tables.levels)}
    return sorted(
        people,
        key=lambda d: (
            units.get(d["employment"]["unit"], len(units)),
            levels.get(d["reserve"]["level"], len(levels)),
            strokes.name_key(d["name"]),
        ),
    )


def _parts(data: Cadre, tables: Tables) -> list[tuple[Schooling, str]]:
    """The education a 名册 shows: full-time first, then in-service when it is higher (marked 在职)."""
    full, extra = data["education"].get("full_time"), data["education"].get("in_service")
    parts: list[tuple[Schooling, str]] = [(full, "")] if full else []
    order = tables.education_order
    if extra and (not full or order.get(extra["level"], 99) < order.get(full["level"], 99)):
        parts.append((extra, "（在职）"))
    return parts


def education(data: Cadre, _on: _dt.date, tables: Tables) -> str:
    return "\n".join(
        " ".join(x for x in (p.get("level"), p.get("degree")) if x) + mark for p, mark in _parts(data, tables)
    )


def schools(data: Cadre, _on: _dt.date, tables: Tables) -> str:
    return "\n".join(
        " ".join(x for x in (p.get("school"), p.get("major")) if x) + mark
        for p, mark in _parts(data, tables)
        if p.get("school") or p.get("major")
    )


Cell = Callable[[Cadre, _dt.date, Tables], str]

# (header, how a record shows in it); 序号 is the row's number in its table
COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("姓名", lambda d, _on, _t: d["name"]),
    ("性别", lambda d, _on, _t: d["sex"]),
    ("民族", lambda d, _on, _t: d["ethnicity"]),
    ("出生年月（岁）", lambda d, on, _t: f"{dates.dotted(d['birth'])}（{dates.age(d['birth'], on)}岁）"),
    ("籍贯", lambda d, _on, _t: d["native_place"]),
    ("入党时间", lambda d, _on, _t: dates.dotted(d.get("party_joined")) or d["political_status"]),
    ("参加工作时间", lambda d, _on, _t: dates.dotted(d["work_started"])),
    ("学历学位", education),
    ("毕业院校及专业", schools),
    ("现任职务", lambda d, _on, _t: d["employment"]["post"]),
    ("任现职时间", lambda d, _on, _t: dates.dotted(d["employment"]["post_since"])),
    ("类别", lambda d, _on, _t: f"{d['reserve']['level']}后备"),
    ("入库时间", lambda d, _on, _t: dates.dotted(d["reserve"].get("entered"))),
)
HEADER = ("序号", *(h for h, _ in COLUMNS))


def cells(data: Cadre, on: _dt.date, tables: Tables) -> list[str]:
    """One person's cells, in the order of COLUMNS (without 序号)."""
    return [get(data, on, tables) for _, get in COLUMNS]


def education_text(data: Cadre, tables: Tables) -> str:
    """The highest education, marked （在职） when it was gained in service (the 干部任免审批表's 在职教育)."""
    highest = facts.highest_education(data, tables.education_order) or ""
    full_time = data["education"].get("full_time")
    full = full_time["level"] if full_time else None
    return highest if not highest or highest == full else f"{highest}（在职）"
