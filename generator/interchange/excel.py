"""The workbooks this program writes: the 后备干部名册 for one audience, and a unit's import template.

The 名册 is what the org department hands to leaders: one sheet per level (with a 单位 column) and one per unit
(units in official order, names in 姓氏笔画 order within a unit) for the audiences that see the whole pool, the
unit's own sheet alone for a unit's; the columns a 名册 has, Chinese headers, a frozen header row, column widths
that fit, and a sheet with the structure statistics. Laid out as an official list prints: the title merged and
centred above the table, 宋体, every cell bordered, two-line cells shown whole, 内部资料 in the page header,
landscape A4. Every string is text, never a formula. Made from the audience's view without personal numbers
(audiences.without_numbers), so a unit's workbook holds its own people and no sensitive field, and no workbook
has a number opened for it. Written with openpyxl's write-only mode: 10,000
records take seconds.

The import template (TEMPLATE: one field a column) is filled with a unit's records; template_in.py reads it back.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from generator.analysis import report, roster, strokes
from generator.analysis.audiences import Audience, without_numbers
from generator.analysis.report import met_text
from generator.analysis.stats import BREAKDOWNS, Statistics, Tables, statistics
from generator.core import dates
from generator.interchange import matching
from generator.registry import sealed
from generator.registry.records import Cadre

if TYPE_CHECKING:
    from generator.registry.files import Registry

# 宋体 (SimSun) is on every Chinese Windows and known to WPS; charset 134 (GB2312) and family 3 tell Excel, WPS
# and LibreOffice to put a Chinese font of their own in its place where it is missing
FONT = "宋体"
BODY_SIZE, TITLE_SIZE = 11, 16


def _font(size: float, bold: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, charset=134, family=3)


TITLE_FONT = _font(TITLE_SIZE, bold=True)
HEAD_FONT = _font(BODY_SIZE, bold=True)
BODY_FONT = _font(BODY_SIZE)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
WIDEST = 48  # columns: a longer text wraps within its cell
NARROW = 16  # a column at most this wide is centred (序号, 性别, dates), a wider one left-aligned
# points a line takes, with room for the taller line of the font LibreOffice puts in 宋体's place (Noto CJK),
# and the padding of a row: a row is as high as its tallest cell, so WPS and LibreOffice show every line
LINE, TITLE_LINE, PAD = 15, 22, 6


@functools.lru_cache(maxsize=1 << 16)  # the same units, dates and posts fill many cells
def _widths(text: str) -> tuple[int, ...]:
    """Columns each line of a cell's text takes: CJK characters count two."""
    return tuple(report.width(line) for line in text.split("\n"))


def width(text: object) -> int:
    """Columns a cell's longest line takes: CJK characters count two."""
    return max(_widths(str(text)), default=0)


def lines(text: object, columns: float) -> int:
    """Lines a cell's text takes in a column `columns` wide, wrapped (CJK characters count two)."""
    room = max(1.0, columns - 1)
    return sum(max(1, math.ceil(w / room)) for w in _widths(str(text)))


def sheet_name(name: str, taken: set) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:31].strip("'") or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def rows_of(
    people: list[Cadre],
    on: _dt.date,
    tables: Tables,
    units: dict[str, str] | None = None,
    made: dict[str, list[str]] | None = None,
) -> list[list]:
    """序号 and the 名册's cells of each person; with `units` ({id: name}), their unit's name after 序号.
    `made` ({id: cells}) keeps each person's cells for the next sheet that lists them."""
    made = {} if made is None else made
    rows = []
    for i, d in enumerate(people, 1):
        unit = d["employment"]["unit"]
        if d["id"] not in made:
            made[d["id"]] = roster.cells(d, on, tables)
        rows.append([i, *([units.get(unit, unit)] if units is not None else []), *made[d["id"]]])
    return rows


def text_cell(ws: Any, value: Any, made: dict | None = None, **style: Any) -> Cell:
    """A cell; a string is text whatever it starts with (a unit named `=HYPERLINK(…)` is never a formula).

    Setting a font or a border hashes it, most of the time a styled sheet takes: with `made`, each set of
    style objects (by identity) is set once and its indexes copied to every later cell that has it."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    key = tuple((name, id(value_)) for name, value_ in style.items())
    if made is not None and key in made:
        cell._style = copy.copy(made[key])  # type: ignore[attr-defined]
        return cell
    for name, value_ in style.items():
        setattr(cell, name, value_)
    if made is not None:
        made[key] = copy.copy(cell._style)  # type: ignore[attr-defined]
    return cell


def _write(
    wb: Workbook,
    title: str,
    header: list,
    rows: list,
    taken: set,
    heading: str | None = None,
    text_columns: frozenset[int] = frozenset(),
    mark: str = "",
    pages_high: int = 0,
) -> None:
    """One sheet: a title row (when there is a heading) merged across the table and centred, the header
    (repeated on every printed page), the rows; 宋体, every cell of the table bordered, long and two-line
    texts wrapped in rows high enough for all their lines; printed on landscape A4, fitted to the page's
    width (and to `pages_high` pages' height unless it is 0), with `mark` (内部资料) in the page header.
    Every string is written as text, never as a formula (`=`, `+`, `-`, `@`: text_cell); the `text_columns`
    (0-based) are formatted as Text, so what a clerk types there (2021.12, an 18-digit number) stays as typed."""
    ws = wb.create_sheet(sheet_name(title, taken))
    for i in text_columns:
        ws.column_dimensions[get_column_letter(i + 1)].number_format = "@"
    top = 1 if heading else 0
    last = get_column_letter(len(header))
    ws.freeze_panes = f"A{top + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_high  # 0: as many pages as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.8, bottom=0.7, header=0.35, footer=0.3)
    ws.print_title_rows = f"{top + 1}:{top + 1}"
    ws.print_area = f"A1:{last}{len(rows) + top + 1}"
    if mark:
        ws.oddHeader.right.text = mark.replace("&", "&&")  # & starts a code in a page header
        ws.oddHeader.right.font, ws.oddHeader.right.size = f"{FONT},Regular", 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font, ws.oddFooter.center.size = f"{FONT},Regular", 10
    widths = [min(WIDEST, max(width(v) for v in column) + 2) for column in zip(header, *rows, strict=False)]
    for i, columns in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = columns
    if heading:
        caption = f"{heading}（{title}）"
        # the title's characters are TITLE_SIZE / BODY_SIZE as wide as the body's, which the widths count in
        wide = width(caption) * TITLE_SIZE / BODY_SIZE
        ws.row_dimensions[1].height = math.ceil(wide / max(1, sum(widths) - 2)) * TITLE_LINE + PAD
        if len(header) > 1:
            ws.merged_cells.add(f"A1:{last}1")
        ws.append([text_cell(ws, caption, font=TITLE_FONT, alignment=CENTRE)])
    aligned = [CENTRE if columns <= NARROW else LEFT for columns in widths]
    ws.row_dimensions[top + 1].height = max(lines(h, c) for h, c in zip(header, widths, strict=True)) * LINE + PAD
    ws.append([text_cell(ws, h, font=HEAD_FONT, fill=HEAD_FILL, border=BORDER, alignment=CENTRE) for h in header])
    made: dict = {}
    for number, row in enumerate(rows, top + 2):
        tallest = max((lines(v, c) for v, c in zip(row, widths, strict=False) if v not in (None, "")), default=1)
        ws.row_dimensions[number].height = tallest * LINE + PAD
        cells = []
        for i, value in enumerate(row):
            cell = text_cell(ws, value, made, font=BODY_FONT, border=BORDER, alignment=aligned[i])
            if i in text_columns:
                cell.number_format = "@"
            cells.append(cell)
        ws.append(cells)


def roster_workbook(
    registry: Registry, audience: Audience, as_of: _dt.date, path: Path, mark: str, stats: Statistics | None = None
) -> dict:
    """Write the audience's 名册 to `path`, `mark` (mkdocs.yml extra.print_mark) at the top of every printed
    page; returns {sheet title: number of people}.

    An audience that sees the whole pool gets a sheet per level (with a 单位 column) and one per unit; a unit's
    audience gets its unit's sheet alone (its level sheets would list the same people again)."""
    tables = Tables(registry)
    # the 名册 shows no personal number: its records never have one opened
    people = without_numbers(audience, [e.data for e in registry.cadres], registry.schemas.vocabulary.sensitive)
    pool = roster.ordered(roster.pool(people, as_of), tables)
    header = list(roster.HEADER)
    units = {u["id"]: u["name"] for u in tables.units}
    district = (registry.policy or {}).get("district", "")
    heading = f"{audience.title}·{district}科级后备干部名册 统计日期：{dates.dotted(as_of.isoformat())}"
    wb = Workbook(write_only=True)
    taken: set = set()
    counts = {}
    cells: dict[str, list[str]] = {}  # each person's cells, made once for the level sheet and the unit's
    if audience.whole_pool:
        with_unit = [header[0], "单位", *header[1:]]
        for level in registry.schemas.vocabulary.levels:
            chosen = [d for d in pool if d["reserve"]["level"] == level]
            rows = rows_of(chosen, as_of, tables, units, cells)
            _write(wb, f"{level}后备", with_unit, rows, taken, heading, mark=mark)
            counts[f"{level}后备"] = len(chosen)
    for unit in tables.units:
        chosen = [d for d in pool if d["employment"]["unit"] == unit["id"]]
        if chosen or unit["id"] == audience.unit:  # a unit's own sheet, even when nobody of it is in the pool
            _write(wb, unit["name"], header, rows_of(chosen, as_of, tables, made=cells), taken, heading, mark=mark)
            counts[unit["name"]] = len(chosen)
    stats = stats or statistics(registry, as_of, people)  # the site's pages counted them already
    if audience.whole_pool:
        rows = [
            [
                t["id"],
                t["label"],
                t["figure"],
                f"{t['numerator']}/{t['denominator']}",
                t["target"],
                met_text(t["met"]),
            ]
            for t in stats["targets"]
        ]
        _write(wb, "结构统计", list(report.TARGET_COLUMNS), rows, taken, heading, mark=mark, pages_high=1)
    else:
        rows = [
            [title, r.get("name", r["key"]), r["count"]]
            for key in ("level", "age_band", "education", "sex", "party", "track")
            for title in (BREAKDOWNS[key],)
            for r in stats["breakdowns"][key]
        ]
        _write(wb, "结构统计", ["分组", "类别", "人数"], rows, taken, heading, mark=mark, pages_high=1)
    wb.save(path)
    return counts


# -- the import template (read back by template_in.py) ------------------------------------------------

TEMPLATE_SHEET = "干部信息"
# (header, field path, kind): one field a column, as a unit's office fills it in
TEMPLATE = (
    ("编号", ("id",), "text"),
    ("姓名", ("name",), "text"),
    ("性别", ("sex",), "text"),
    ("出生年月", ("birth",), "date"),
    ("民族", ("ethnicity",), "text"),
    ("籍贯", ("native_place",), "text"),
    ("出生地", ("birthplace",), "text"),
    ("政治面貌", ("political_status",), "text"),
    ("入党时间", ("party_joined",), "date"),
    ("参加工作时间", ("work_started",), "date"),
    ("健康状况", ("health",), "text"),
    ("身份证号", ("id_number",), "text"),
    ("联系电话", ("phone",), "text"),
    ("编制类型", ("employment", "establishment"), "text"),
    ("在职", ("employment", "in_service"), "bool"),
    ("现任职务", ("employment", "post"), "text"),
    ("任现职时间", ("employment", "post_since"), "date"),
    ("现职级", ("employment", "rank"), "text"),
    ("现任班子副职", ("employment", "leadership_deputy"), "bool"),
    ("全日制学历", ("education", "full_time", "level"), "text"),
    ("全日制学位", ("education", "full_time", "degree"), "text"),
    ("全日制院校", ("education", "full_time", "school"), "text"),
    ("全日制专业", ("education", "full_time", "major"), "text"),
    ("在职学历", ("education", "in_service", "level"), "text"),
    ("在职学位", ("education", "in_service", "degree"), "text"),
    ("在职院校", ("education", "in_service", "school"), "text"),
    ("在职专业", ("education", "in_service", "major"), "text"),
    ("熟悉专业", ("specialties",), "list"),
    ("熟悉专业有何专长", ("expertise",), "text"),
    ("简历", ("resume",), "resume"),
)


def _get(data: dict, path: tuple) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def resume_lines(resume: list) -> str:
    """简历 as its lines, as on the 干部任免审批表: 'yyyy.MM--yyyy.MM  单位及职务', then 〔职级，中层〕 when known."""

    def marks(r: dict) -> str:
        found = [r["rank"]] if r.get("rank") else []
        found += ["中层"] if r.get("middle_management") else []
        return f"  〔{'，'.join(found)}〕" if found else ""

    return "\n".join(f"{dates.dotted(r['from'])}--{dates.dotted(r.get('to'))}  {r['post']}{marks(r)}" for r in resume)


def _cell_text(value: Any, kind: str) -> str | None:
    if value is None or value == [] or value == "":
        return None
    if kind == "bool":
        return "是" if value else "否"
    if kind == "list":
        return "、".join(value)
    if kind == "resume":
        return resume_lines(value)
    return str(value)


def template_workbook(registry: Registry, unit: str, path: Path) -> int:
    """The import template for a unit, filled with its records, complete or not (a row with an 编号 updates
    one: a new person an earlier import left incomplete is completed here)."""
    folders = matching.unit_of(registry)
    people = sorted(
        (d for cadre, d in matching.records(registry).items() if folders[cadre] == unit),
        key=lambda d: strokes.name_key(str(d.get("name") or "")),
    )
    header = [h for h, _, _ in TEMPLATE]
    # a sealed number is left blank: a blank 身份证号 or 联系电话 keeps the number the record holds
    rows = [
        [None if sealed.is_sealed(v := _get(d, p)) else _cell_text(v, kind) for _, p, kind in TEMPLATE] for d in people
    ]
    wb = Workbook(write_only=True)
    typed = {
        i for i, (name, _, kind) in enumerate(TEMPLATE) if kind == "date" or name in ("编号", "身份证号", "联系电话")
    }
    _write(wb, TEMPLATE_SHEET, header, rows, set(), text_columns=frozenset(typed))
    wb.save(path)
    return len(rows)
