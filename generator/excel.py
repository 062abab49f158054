"""The 后备干部名册 as an Excel workbook, for one audience: what the org department hands to leaders.

One sheet per level and one per unit (units in official order, names in
姓氏笔画 order within a unit), the columns a 名册 has, Chinese headers, a
frozen header row, column widths that fit, and a sheet with the structure
statistics. Made from the audience's view only (audiences.visible), so a
unit's workbook holds its own people and no sensitive field. Written with
openpyxl's write-only mode: 10,000 records take seconds.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from generator import dates, facts, strokes
from generator.audiences import Audience, visible
from generator.stats import Tables, statistics

LEVELS = ("正职", "副职")
POOL = "在库"
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE3F0")
WRAP = Alignment(vertical="top", wrap_text=True)


def _ym(text) -> str:
    return text.replace("-", ".") if text else ""


def _education(part: dict | None) -> str:
    if not part:
        return ""
    head = " ".join(x for x in (part.get("level"), part.get("degree")) if x)
    school = " ".join(x for x in (part.get("school"), part.get("major")) if x)
    return f"{head}\n{school}" if school else head


# (header, how a record shows in it): the columns of a 名册
COLUMNS = (
    ("序号", None),
    ("姓名", lambda d, on: d["name"]),
    ("性别", lambda d, on: d["sex"]),
    ("出生年月（年龄）", lambda d, on: f"{_ym(d['birth'])}（{dates.age(d['birth'], on)}岁）"),
    ("民族", lambda d, on: d["ethnicity"]),
    ("籍贯", lambda d, on: d["native_place"]),
    ("入党时间", lambda d, on: _ym(d.get("party_joined")) or d["political_status"]),
    ("参加工作时间", lambda d, on: _ym(d["work_started"])),
    ("全日制学历学位", lambda d, on: _education(d["education"].get("full_time"))),
    ("在职学历学位", lambda d, on: _education(d["education"].get("in_service"))),
    ("现任职务及任职时间", lambda d, on: f"{d['employment']['post']}（{_ym(d['employment']['post_since'])}）"),
    ("后备层级", lambda d, on: d["reserve"]["level"]),
    ("培养方向", lambda d, on: d["reserve"].get("direction", "")),
    ("入库时间", lambda d, on: _ym(d["reserve"].get("entered"))),
)


def width(text: str) -> int:
    """Columns a cell's longest line takes: CJK characters count two."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).split("\n")), default=0)


def sheet_name(name: str, taken: set) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def rows_of(people: list[dict], on: _dt.date) -> list[list]:
    return [[i] + [get(d, on) for _, get in COLUMNS[1:]] for i, d in enumerate(people, 1)]


def _write(wb: Workbook, title: str, header: list, rows: list, taken: set) -> None:
    ws = wb.create_sheet(sheet_name(title, taken))
    ws.freeze_panes = "A2"
    for i, column in enumerate(zip(header, *rows), 1):
        ws.column_dimensions[get_column_letter(i)].width = min(48, max(width(v) for v in column) + 2)
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = WRAP
            cells.append(cell)
        ws.append(cells)


def roster_workbook(registry, audience: Audience, as_of: _dt.date, path: Path) -> dict:
    """Write the audience's 名册 to `path`; returns {sheet title: number of people}."""
    tables = Tables(registry)
    people = visible(audience, [e.data for e in registry.cadres])
    order = {u["id"]: i for i, u in enumerate(tables.units)}
    pool = sorted((d for d in people if facts.within(facts.pool_span(d), as_of)),
                  key=lambda d: (order.get(d["employment"]["unit"], len(order)), strokes.name_key(d["name"])))
    header = [h for h, _ in COLUMNS]
    wb = Workbook(write_only=True)
    taken: set = set()
    counts = {}
    for level in LEVELS:
        chosen = [d for d in pool if d["reserve"]["level"] == level]
        if chosen or audience.whole_pool:
            _write(wb, f"{level}后备", header, rows_of(chosen, as_of), taken)
            counts[f"{level}后备"] = len(chosen)
    for unit in tables.units:
        chosen = [d for d in pool if d["employment"]["unit"] == unit["id"]]
        if chosen:
            _write(wb, unit["name"], header, rows_of(chosen, as_of), taken)
            counts[unit["name"]] = len(chosen)
    stats = statistics(registry, as_of, people)
    if audience.whole_pool:
        rows = [[t["id"], t["label"], t["figure"], f"{t['numerator']}/{t['denominator']}", t["target"],
                 "达到" if t["met"] else "未达到"] for t in stats["targets"]]
        _write(wb, "结构统计", ["编号", "项目", "数值", "分子/分母", "目标", "结果"], rows, taken)
    else:
        rows = [[title, r.get("name", r["key"]), r["count"]] for key, title in
                (("level", "层级"), ("age_band", "年龄段"), ("education", "学历"), ("sex", "性别"),
                 ("party", "党派"), ("track", "培养类别")) for r in stats["breakdowns"][key]]
        _write(wb, "结构统计", ["分组", "类别", "人数"], rows, taken)
    wb.save(path)
    return counts
