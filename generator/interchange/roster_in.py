"""`cadres import roster`: a 名册 workbook as offices keep them, read into records of one unit.

Real rosters have title rows above the header (often merged), a sheet called Sheet1, headers in many
wordings (学历学位, 毕业院校及专业, 备注…: schemas/roster_headers.yaml, data not code), dates typed as
numbers (1985.03; 1985.1, which may mean October, is named), real date cells, full-width characters,
blank and repeated header rows. This program's own `export xlsx` is such a workbook too.

A row becomes a record of the unit: the person it matches (the same 身份证号 with a key, else the same
name and birth month in the unit) is updated in the columns present, anyone else is new. Every column
with no field is named. What a record still lacks is the import's to-do list (cli: a CSV beside the file).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from generator.core import defaults
from generator.git.history import ids_ever
from generator.interchange.excel import _date, in_schema_order
from generator.interchange.importing import ImportFailure, Reading
from generator.interchange.matching import People
from generator.interchange.new import IdMaker
from generator.registry.files import Registry

HEADER_SCAN = 15  # rows looked at for the header, below any title rows
AGE = re.compile(r"[（(]\s*\d+\s*岁?\s*[)）]")  # 1987.07（39岁）


def headers(root: Path) -> dict[str, str]:
    """{normalised header text: field} from roster_headers.yaml (the repository's, else the shipped one)."""
    path = defaults.path(root, "schemas") / "roster_headers.yaml"
    if not path.is_file():
        path = defaults.shipped() / "schemas" / "roster_headers.yaml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {_norm(text): field for field, texts in table.items() for text in texts}


def _norm(text: object) -> str:
    """A header or value as compared: NFKC (full-width letters, digits and brackets as plain ones), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def read(registry: Registry, path: Path, unit: str) -> Reading:
    from openpyxl import load_workbook

    known = headers(registry.root)
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailure(f"{path.name} 不是可以读取的 Excel 工作簿（.xlsx）：{type(exc).__name__}") from None
    unit_name = next((u["name"] for u in registry.units if u["id"] == unit), unit)
    found = _header(wb, known, unit_name)
    if found is None:
        raise ImportFailure(
            f"{path.name} 中没有找到名册的表头（前 {HEADER_SCAN} 行里有“姓名”和至少两个认得的列名的一行）；"
            "认得的列名见 schemas/roster_headers.yaml"
        )
    sheet, row_number, columns = found
    out = Reading()
    names = [f"{_letter(i)}列「{text}」" for i, (text, field) in columns.items() if field is None]  # unknown
    if names:
        out.notes.append(f"{path.name}：{'、'.join(names)}没有对应的字段，未导入")
    people = People(registry)  # everyone readable, complete or not, and the rows this import makes
    ids = IdMaker(registry, unit, ids_ever(registry.root))  # the ids of deleted records are not given again
    wanted = {i: field for i, (_, field) in columns.items() if field not in (None, "ignored")}
    set_aside = {i: 0 for i, (text, field) in columns.items() if field == "ignored" and _norm(text) != "序号"}
    for number, row in enumerate(sheet.iter_rows(min_row=row_number + 1, values_only=True), row_number + 1):
        cells = {wanted[i]: value for i, value in enumerate(row) if i in wanted}
        name = _text(cells.get("name"))
        if not name or _norm(name) in known:  # a blank row, a repeated header, a subtotal line
            continue
        for i in set_aside:
            set_aside[i] += i < len(row) and row[i] not in (None, "")
        fields, problems = _fields(registry, cells, f"{path.name}:{sheet.title}!第 {number} 行（{name}）")
        if problems:
            out.problems += problems
            continue
        if cells.get("unit") not in (None, "") and _norm(cells["unit"]) not in (_norm(unit_name), _norm(unit)):
            out.notes.append(f"{path.name}:{sheet.title}!第 {number} 行（{name}）：单位是「{cells['unit']}」，未导入")
            continue
        where = f"{path.name}:{sheet.title}!第 {number} 行（{name}）"
        said: list[str] = []
        existing, problem = people.match(fields, unit, "这一行", said)
        out.notes += [f"{where}：{note}" for note in said]
        if problem:
            out.problems.append(f"{where}：{problem}")
            continue
        data = _merge(existing, fields, unit)
        if existing is None:
            data["id"] = ids.next()
            people.add(data)
        out.records.append(in_schema_order(registry, data))
    for i, count in set_aside.items():
        if count:
            out.notes.append(
                f"{path.name}：{_letter(i)}列「{columns[i][0]}」有 {count} 行填了内容，"
                "未导入（记录中没有这一栏，或由区委组织部填写）"
            )
    return out


def _header(wb: Any, known: dict[str, str], unit_name: str) -> tuple[Any, int, dict] | None:
    """(sheet, header row number, {column index: (header text, field or None)}) of the best sheet: the one named
    after the unit (this program's export has one per unit), else the first with a header."""
    sheets = sorted(wb.worksheets, key=lambda ws: _norm(unit_name) not in _norm(ws.title))
    for ws in sheets:
        for number, row in enumerate(ws.iter_rows(max_row=HEADER_SCAN, values_only=True), 1):
            texts = {i: str(v).strip() for i, v in enumerate(row) if v not in (None, "")}
            fields = {i: (text, known.get(_norm(text))) for i, text in texts.items()}
            matched = [f for _, f in fields.values() if f and f != "ignored"]
            if "name" in matched and len(matched) >= 3:
                return ws, number, fields
    return None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _fields(registry: Registry, cells: dict, where: str) -> tuple[dict, list[str]]:
    """The record fields of one row (only the columns present), or the problems that keep it out."""
    codes = registry.schemas.codes
    fields: dict[str, Any] = {}
    problems = []
    for field, value in cells.items():
        if value in (None, "") or field in ("ignored", "unit"):
            continue
        if field in ("birth", "work_started", "post_since"):
            text = AGE.sub("", unicodedata.normalize("NFKC", value)) if isinstance(value, str) else value
            day, why = _date(text, field)
            if why:
                problems.append(f"{where}：{why}")
            else:
                fields[field] = day
        elif field == "party":
            text = unicodedata.normalize("NFKC", _text(value)) if isinstance(value, str) else value
            day, why = _date(text, field)
            if day:
                fields["party_joined"] = day
            elif (status := codes["political_status"].lookup(_text(value))) is not None:
                fields["political_status"] = status
            else:
                problems.append(f"{where}：入党时间「{value}」既不是日期，也不是政治面貌")
        elif field == "education":
            fields["education"] = _education(codes, _text(value))
        elif field == "schools":
            fields["schools"] = [line.replace("（在职）", "").strip() for line in _text(value).splitlines()]
        else:
            fields[field] = _text(value)
    return fields, problems


def _education(codes: dict, text: str) -> dict:
    """学历学位 as a 名册 shows it: `大学本科 学士`, and a second line marked （在职） for in-service education."""
    out = {}
    for line in text.splitlines():
        part = "in_service" if "在职" in line else "full_time"
        words = line.replace("（在职）", "").replace("(在职)", "").split()
        level = codes["education_level"].lookup(words[0]) or words[0] if words else ""
        degree = (codes["degree"].lookup(words[1]) or words[1]) if len(words) > 1 else None
        out[part] = {"level": level, **({"degree": degree} if degree else {})}
    return out


def _merge(existing: dict | None, fields: dict, unit: str) -> dict:
    from generator.interchange.lrmx import _school

    data: dict[str, Any] = copy.deepcopy(existing) if existing else {"employment": {"unit": unit}}
    for key in ("name", "sex", "ethnicity", "native_place", "birthplace", "work_started", "health", "expertise"):
        if key in fields:
            data[key] = fields[key]
    for key in ("id_number", "phone"):
        if key in fields:
            data[key] = fields[key]  # sealed before it is written (importing.seal_numbers)
    if "birth" in fields and not (existing and existing.get("birth", "")[:7] == fields["birth"][:7]):
        data["birth"] = fields["birth"]  # a day already known stays
    if "party_joined" in fields:
        data["party_joined"] = fields["party_joined"]
        if not existing:
            data["political_status"] = "中共党员"
    if "political_status" in fields:
        data["political_status"] = fields["political_status"]
    employment = data.setdefault("employment", {"unit": unit})
    for key in ("post", "post_since", "rank"):
        if key in fields:
            employment[key] = fields[key]
    education = data.setdefault("education", {})
    for part, given in fields.get("education", {}).items():
        education[part] = {**(education.get(part) or {}), **given}
    parts = list(fields.get("education", {})) or ["full_time"]
    for part, school in zip(parts, fields.get("schools", []), strict=False):
        old = dict(education.get(part) or {})
        if school in (_school(old), " ".join(x for x in (old.get("school"), old.get("major")) if x)):
            continue  # the record's own school and major, as a 名册 shows them
        first, _, rest = school.partition(" ")
        old.pop("major", None)
        education[part] = {**old, "school": first, **({"major": rest} if rest else {})}
    return data
