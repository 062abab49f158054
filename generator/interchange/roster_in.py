"""`cadres import roster`: a 名册 workbook as offices keep them, read into records of one unit.

Real rosters have title rows above the header (often merged), a sheet called Sheet1, headers in many
wordings (学历学位, 毕业院校及专业, 备注…: schemas/roster_headers.yaml, data not code), two-row headers
(全日制教育 / 在职教育 merged over 学历学位 and 毕业院校系及专业), dates typed as numbers (1985.03;
1985.1, which may mean October, is named), real date cells, full-width characters, blank and repeated header
rows, hidden rows, and 合计 or 填表人 lines under the table. This program's own `export xlsx` is such a
workbook too.

A row becomes a record of the unit: the person it matches (matching.People) is updated in the columns present,
anyone else is new. Every column with no field, every hidden row and every line that is not a person is named;
a value the record cannot hold as given (a join date of a 民盟盟员) is named, never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.core import defaults
from generator.interchange import cells as cell_values
from generator.interchange import incoming
from generator.interchange.cells import (
    clean,
    date,
    id_number,
    normal,
    one_line,
    too_long,
    unreadable_workbook,
)
from generator.interchange.incoming import ImportFailure, Intake, Reading
from generator.registry.files import Registry

HEADER_SCAN = 15  # rows looked at for the header, below any title rows
AGE = re.compile(r"[（(]\s*[0-9]+\s*岁?\s*[)）]")  # 1987.07（39岁）
# what stands in the 姓名 column of a line that is not a person: totals, signatures, notes under the table
NOT_A_PERSON = re.compile(
    r"^(合计|总计|小计|共计|总数|人数|填表|制表|审核|审批|负责人|单位负责人|联系人|联系电话|填报|说明|备注|注[:：]|以上)"
)
NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·•．.\s\u3000]{1,20}$")  # a name: no digits, no colon
EMPLOYMENT = ("post", "post_since", "rank")  # a 名册's columns that are the record's employment


def headers(root: Path) -> dict[str, str]:
    """{normalised header text: field} from roster_headers.yaml (the repository's, else the shipped one)."""
    path = defaults.path(root, "schemas") / "roster_headers.yaml"
    if not path.is_file():
        path = defaults.shipped() / "schemas" / "roster_headers.yaml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {normal(text): field for field, texts in table.items() for text in texts}


@dataclass
class Header:
    sheet: Any
    first_data_row: int
    columns: dict[int, tuple[str, str | None]]  # column index: (header text as shown, field or None)


def read(registry: Registry, paths: list[Path], unit: str) -> Reading:
    """The records one 名册 workbook (`paths`: it alone) makes for `unit`."""
    [path] = paths
    known = headers(registry.root)
    unit_name = next((u["name"] for u in registry.units if u["id"] == unit), unit)
    found = _found_header(path, known, unit_name)
    sheet, columns = found.sheet, found.columns
    out = Reading()
    names = [f"{_letter(i)}列「{text}」" for i, (text, field) in columns.items() if field is None]  # unknown
    if names:
        out.notes.append(f"{path.name}：{'、'.join(names)}没有对应的字段，未导入")
    intake = Intake(registry, unit, incoming.ROSTER)  # who each row is, and the record it makes
    codes = registry.schemas.codes
    wanted = _wanted(path, columns)
    spans = _spans(path, sheet, found.first_data_row, wanted, out.notes)
    set_aside = {i: 0 for i, (text, field) in columns.items() if field == "ignored" and normal(text) != "序号"}
    name_column = next(i for i, field in wanted.items() if field == "name")
    hidden = sheet.row_dimensions
    for number, values in enumerate(
        sheet.iter_rows(min_row=found.first_data_row, values_only=True), found.first_data_row
    ):
        row = [spans.get((number, c), value) for c, value in enumerate(values)]  # a merged cell in each of its rows
        where = f"{path.name}:{sheet.title}!第 {number} 行"
        name = _text(row[name_column] if name_column < len(row) else None)
        filled = [i for i, value in enumerate(row) if i in wanted and value not in (None, "")]
        if not filled or normal(name) in known:  # a blank row, a repeated header
            continue
        if hidden[number].hidden:  # someone who left, kept out of sight: never taken without a word
            out.notes.append(f"{where}（{name or '没有姓名'}）是隐藏行，未导入；要导入请先在 Excel 中取消隐藏")
            continue
        # 合计 under 序号, 填表人：… on a line without a name, =1+2 as a name; a post is never looked at
        looked = row[: name_column + 1] if name else row
        label = next((t for v in looked if isinstance(v, str) and NOT_A_PERSON.match(t := _text(v))), None)
        name, remark = _remark(name)  # 王芳（挂职）: the name, and a remark said
        if label or (name and not NAME.match(name)):
            out.notes.append(f"{where}「{label or name}」不是人员（合计、签字或说明行），未导入")
            continue
        if not name:  # a person's values without a name: never dropped without a word
            out.problems.append(f"{where}：姓名是空的，其他栏有内容；请填上姓名，或删去这一行")
            continue
        where = f"{where}（{name}）"
        if remark:
            out.notes.append(f"{where}：姓名后的「{remark}」不是姓名的一部分，未导入")
        for i in set_aside:
            set_aside[i] += i < len(row) and row[i] not in (None, "")
        cells = {i: row[i] for i in filled}
        cells[name_column] = name
        fields, problems = _fields(codes, cells, wanted, columns, where)
        if problems:
            out.problems += problems
            continue
        unit_given = cells.get(next((i for i, f in wanted.items() if f == "unit"), -1))
        if unit_given not in (None, "") and not _same_unit(unit_given, unit, unit_name):
            out.problems.append(
                f"{where}：单位是「{_text(unit_given)}」，不是「{unit_name}」；这一行未导入，请核对 --unit"
            )
            continue
        said: list[str] = fields.pop("_notes")
        data, problem = intake.take(fields, "这一行", f"第 {number} 行", said)
        if data is None:
            out.problems.append(f"{where}：{problem}")
            continue
        out.notes += [f"{where}：{note}" for note in said]
        out.records.append(data)
    for i, count in set_aside.items():
        if count:
            out.notes.append(
                f"{path.name}：{_letter(i)}列「{columns[i][0]}」有 {count} 行填了内容，"
                "未导入（记录中没有这一栏，或由区委组织部填写）"
            )
    return out


def _spans(path: Path, sheet: Any, first: int, wanted: dict[int, str], notes: list[str]) -> dict:
    """{(row, column): value} of the merged cells below the header, a value in each row it spans (each merged
    cell of a column read into the record is said in `notes`)."""
    merged = _merged_below(sheet, first)
    for (top, bottom, column), value in merged.items():
        if column in wanted and value not in (None, ""):
            notes.append(
                f"{path.name}:{sheet.title}!{_letter(column)}{top}:{_letter(column)}{bottom} 是合并单元格，"
                f"第 {top}–{bottom} 行都按「{_text(value)}」读入"
            )
    return {(r, c): value for (top, bottom, c), value in merged.items() for r in range(top, bottom + 1)}


def _found_header(path: Path, known: dict[str, str], unit_name: str) -> Header:
    """The header of the workbook's best sheet (_header), or ImportFailure: not a workbook, no header, too many
    rows."""

    try:
        wb = load_workbook(path, data_only=True)  # not read-only: merged cells and hidden rows are needed
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailure(unreadable_workbook(path)) from None
    found = _header(wb, known, unit_name)
    if found is None:
        raise ImportFailure(
            f"{path.name} 中没有找到名册的表头（前 {HEADER_SCAN} 行里有“姓名”和至少两个认得的列名的一行）；"
            "认得的列名见 schemas/roster_headers.yaml"
        )
    rows = found.sheet.max_row - found.first_data_row + 1
    if rows > cell_values.MAX_ROWS:
        limit = cell_values.MAX_ROWS
        raise ImportFailure(
            f"{path.name}:{found.sheet.title} 表头下有 {rows} 行，超过一次导入的上限 {limit} 行；请分成几个工作簿导入"
        )
    return found


def _wanted(path: Path, columns: dict) -> dict[int, str]:
    """{column: field} of the columns read into a record; ImportFailure for two columns of one field (手机 and 电话,
    职务 and 现任职务: one would silently replace the other)."""
    wanted = {i: field for i, (_, field) in columns.items() if field not in (None, "ignored", "group")}
    twice = [f for f in set(wanted.values()) if list(wanted.values()).count(f) > 1]
    if twice:
        same = [i for i, f in wanted.items() if f == twice[0]]
        raise ImportFailure(
            f"{path.name}：{'和'.join(f'{_letter(i)}列「{columns[i][0]}」' for i in same)}是同一栏"
            "（记录中只有一个）；请删去多余的一列，或把它的列名改成别的（如“备注”）后再导入"
        )
    return wanted


def _header(wb: Any, known: dict[str, str], unit_name: str) -> Header | None:
    """The header of the best sheet: the one named after the unit (this program's export has one per unit),
    else the first with a header. A header may take two rows: a group (全日制教育, merged over its columns)
    above the columns' own names, which are read together (全日制教育学历学位)."""
    sheets = sorted(wb.worksheets, key=lambda ws: normal(unit_name) not in normal(ws.title))
    for ws in sheets:
        texts = _merged_texts(ws)
        for number in range(1, min(HEADER_SCAN, ws.max_row) + 1):
            row = texts(number)
            fields = {i: (text, known.get(normal(text))) for i, text in row.items()}
            matched = [f for _, f in fields.values() if f and f not in ("ignored", "group")]
            if "name" not in matched or len(matched) < 3:
                continue
            below = texts(number + 1)
            name_at = next(i for i, (_, f) in fields.items() if f == "name")
            groups = {i for i, (_, f) in fields.items() if f == "group"}
            if groups and below and name_at not in below:  # the group's columns are named on the next row
                for i, sub in below.items():
                    top = row.get(i, "")
                    text = f"{top}{sub}" if i in groups or known.get(normal(top)) == "group" else sub
                    fields[i] = (f"{top}／{sub}" if text != sub else sub, known.get(normal(text)))
                return Header(ws, number + 2, fields)
            return Header(ws, number + 1, fields)
    return None


def _merged_texts(ws: Any) -> Any:
    """texts(row) -> {column index: header text}, a merged cell's text in every column it spans (in its first
    row: under 姓名 merged over two rows, the second row is blank)."""
    spans: dict[tuple[int, int], str] = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row > HEADER_SCAN + 1:
            continue
        value = ws.cell(merged.min_row, merged.min_col).value
        for c in range(merged.min_col, merged.max_col + 1):  # across its columns; the rows below it stay blank
            spans[merged.min_row, c] = value

    def texts(number: int) -> dict[int, str]:
        out = {}
        for cell in ws[number] if number <= ws.max_row else ():
            value = spans.get((number, cell.column), cell.value)
            if value not in (None, ""):
                out[cell.column - 1] = clean(str(value)).strip()
        return out

    return texts


def _merged_below(ws: Any, first_row: int) -> dict[tuple[int, int, int], Any]:
    """{(first row, last row, column index): value} of the cells merged down several rows of the data (性别 or 单位
    typed once for a group of people)."""
    out = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row >= first_row and merged.max_row > merged.min_row:
            value = ws.cell(merged.min_row, merged.min_col).value
            for column in range(merged.min_col, merged.max_col + 1):
                out[merged.min_row, merged.max_row, column - 1] = value
    return out


def _remark(name: str) -> tuple[str, str]:
    """王芳（挂职） -> ('王芳', '（挂职）'): a remark in brackets after a name."""
    match = re.fullmatch(r"(.+?)\s*([（(][^（）()]*[)）])", name)
    return (match[1], match[2]) if match else (name, "")


def _same_unit(given: object, unit: str, unit_name: str) -> bool:
    """The 单位 column names the import's unit: its id, its name, or its name without 区 (财政局)."""
    text = normal(given)
    return text in (normal(unit), normal(unit_name)) or (len(text) >= 2 and normal(unit_name).endswith(text))


def _letter(index: int) -> str:

    return get_column_letter(index + 1)


def _text(value: object) -> str:
    return "" if value is None else clean(str(value)).strip()


def _fields(codes: dict, cells: dict, wanted: dict, columns: dict, row: str) -> tuple[dict, list[str]]:
    """The record fields of one row (only the columns present) and what to say about them, or the problems
    that keep the row out, each naming its cell."""
    fields: dict[str, Any] = {"_notes": []}
    problems = []
    given: dict[str, str] = {}  # 政治面貌 as its own column says it, and as the 入党时间 column may
    for i, value in cells.items():
        where = f"{row} {_letter(i)}列「{columns[i][0]}」"
        problem = too_long(value) or _cell(codes, wanted[i], value, fields, given)
        if problem:
            problems.append(f"{where}：{problem}")
    status_given, party_given = given.get("status"), given.get("party")
    if status_given and party_given and status_given != party_given:
        fields["_notes"].append(
            f"入党时间栏写的是「{party_given}」，与政治面貌「{status_given}」不一致，按政治面貌保存"
        )
    if status_given or party_given:
        fields["political_status"] = status_given or party_given
    employment = {key: fields.pop(key) for key in EMPLOYMENT if key in fields}
    if employment:
        fields["employment"] = employment
    return fields, problems


def _cell(codes: dict, field: str, value: Any, fields: dict, given: dict[str, str]) -> str | None:
    """One cell's value put into `fields` (a 政治面貌 into `given`), or why it cannot be."""
    if field == "unit":
        return None  # compared with --unit by the caller
    if field in ("birth", "work_started", "post_since"):
        day, why = date(AGE.sub("", clean(value)) if isinstance(value, str) else value)
        if day:
            fields[field] = day
        return why
    if field == "party":
        day, _ = date(clean(value) if isinstance(value, str) else value)
        if day:
            fields["party_joined"] = day
        elif (status := codes["political_status"].lookup(_text(value))) is not None:
            given["party"] = status
        else:
            return f"「{value}」既不是日期，也不是政治面貌"
        return None
    if field == "political_status":
        status = codes["political_status"].lookup(_text(value))
        if status is None:
            return f"「{value}」不是政治面貌（见 schemas/codes/political_status.yaml）"
        given["status"] = status
        return None
    if field == "id_number":
        number, why = id_number(value)
        if number and not why:
            fields[field] = number
        return why
    if field.startswith("education"):
        part = field.removeprefix("education_") if field != "education" else None
        fields.setdefault("education", {}).update(_education(codes, _text(value), part, fields["_notes"]))
    elif field.startswith("schools"):
        part = field.removeprefix("schools_") if field != "schools" else None
        fields.setdefault("schools", {}).update(_schools(_text(value), part))
    else:
        fields[field] = one_line(_text(value))
    return None


def _education(codes: dict, text: str, part: str | None, notes: list[str]) -> dict:
    """学历学位 as a 名册 shows it: `大学本科 学士` on one line, or the 学位 on a line of its own under its 学历;
    in one column for both, a line marked （在职） is in-service education. `part`: the column's own part."""
    out: dict[str, dict] = {}
    current, seen = part or "full_time", False
    for line in text.split("\n"):
        words = re.sub(r"[（(]?在职(?:教育)?[)）]?", " ", line).split()
        if len(words) == 1:
            words = _split_level(codes, words[0])  # 大学本科学士 typed without its space
        if not words:
            continue
        if _degree_only(codes, words):  # 学士 under 大学本科: the 学位 of the line above
            degree = _degree(codes, words[0])
            if degree:
                out.setdefault(current, {})["degree"] = degree
            continue
        if part is None and ("在职" in line or seen):  # one column for both: the second 学历 is in-service
            current = "in_service"
        seen = True
        said = codes["education_level"].said(words[0])
        if said:
            notes.append(said)
        entry = {"level": codes["education_level"].lookup(words[0]) or words[0]}
        degree = _degree(codes, words[1]) if len(words) > 1 else None
        if degree:
            entry["degree"] = degree
        out[current] = {**out.get(current, {}), **entry}
    return out


def _split_level(codes: dict, word: str) -> list[str]:
    """['大学本科', '学士'] from 大学本科学士: a level the table knows, then a degree; else [word]."""
    table = codes["education_level"]
    names = [n for e in table.entries for n in (e["name"], *e.get("aliases", ()), *e.get("said_aliases", ()))]
    for name in sorted(names, key=len, reverse=True):
        rest = word[len(name) :]
        if word.startswith(name) and rest and (rest == "无" or codes["degree"].lookup(rest) is not None):
            return [name, rest]
    return [word]


def _degree_only(codes: dict, words: list[str]) -> bool:
    return len(words) == 1 and (words[0] == "无" or codes["degree"].lookup(words[0]) is not None)


def _degree(codes: dict, word: str) -> str | None:
    """A 学位 as kept (经济学学士 whole); 无 is none."""
    return None if word in ("无", "-", "—") else codes["degree"].lookup(word) or word


def _schools(text: str, part: str | None) -> dict[str, str]:
    """毕业院校及专业: one line per part; in one column for both, a line marked （在职） is in-service."""
    out = {}
    for n, line in enumerate(x for x in text.split("\n") if x.strip()):
        marked = re.search(r"[（(]在职[)）]", line)
        which = part or ("in_service" if marked or n else "full_time")
        out[which] = re.sub(r"[（(]在职[)）]", "", line).strip()
    return out
