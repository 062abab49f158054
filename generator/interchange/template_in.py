"""`cadres import xlsx`: the import template (`cadres export xlsx --template`, excel.TEMPLATE) read back.

A row with an 编号 updates that record (complete or not: the template lists a unit's incomplete records too, so a
clerk completes them); one without is the person it is, if the registry or this workbook already has them, else a
new record with a fresh id. A column present sets its field, and its empty cell removes it (a blank 身份证号 or
联系电话 keeps the record's number); a column taken out of the workbook leaves its field alone. A cell that cannot
be taken is named by sheet, row and column, and its row is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.interchange import cells, incoming, matching
from generator.interchange.cells import clean, date, id_number, too_long, unreadable_workbook
from generator.interchange.excel import TEMPLATE, TEMPLATE_SHEET
from generator.interchange.incoming import ImportFailure, Intake, Reading
from generator.interchange.resume import read as read_resume
from generator.registry.files import Registry

# columns of earlier templates that the org department's acts now decide (registry/acts.py): never imported
ACT_COLUMNS = ("后备层级", "培养类别", "培养方向", "产生方式", "推荐文件", "状态")
KNOWN = {header: (path, kind) for header, path, kind in TEMPLATE}


def read(registry: Registry, paths: list[Path], unit: str) -> Reading:
    """The records a filled-in template (`paths`: it alone) makes, the problems that keep rows out, and what to
    say about the rest (a row without 编号 taken as the person it is), each starting with the file's name."""
    [path] = paths
    ws, headers = _sheet(path)
    out = Reading()
    existing = matching.records(registry)  # complete or not: an incomplete record is completed by its 编号
    folders = matching.unit_of(registry)
    intake = Intake(registry, unit, incoming.TEMPLATE)  # a row without 编号 is still matched: by number, or name
    sensitive = registry.schemas.vocabulary.sensitive
    ranks = registry.schemas.codes["rank"].names()
    for row in ws.iter_rows(min_row=2):
        if all(c.value in (None, "") for c in row):
            continue
        cells = _cells(row, headers, ranks, out.problems)
        if cells is None:
            continue
        values = _values(cells, headers, sensitive, unit)
        n = row[0].row
        where, line = f"{TEMPLATE_SHEET}!A{n}（第 {n} 行）", f"第 {n} 行"
        cadre_id = cells.get("编号")
        if not cadre_id:  # no 编号: the person it is, if the registry or this workbook already has them
            said: list[str] = []
            found, problem = intake.people.match(values, unit, "这一行", said, line)
            out.notes += [f"{where}：{note}" for note in said]
            if problem:
                out.problems.append(f"{where}：{problem}")
                continue
            if found is not None:
                cadre_id = str(found["id"])
                out.notes.append(f"{where}：没有填编号，按姓名和出生年月认作「{cadre_id}」，更新这个记录")
        elif cadre_id in intake.people.taken:
            out.problems.append(
                f"{where}：编号「{cadre_id}」与{intake.people.taken[cadre_id]}重复：每人只写一行；这一行未导入"
            )
            continue
        else:
            intake.people.taken[cadre_id] = line
        wrong = _not_of(cadre_id, existing, folders, unit)
        if wrong:
            out.problems.append(f"{TEMPLATE_SHEET}!A{n}（第 {n} 行，编号）：{wrong}")
            continue
        out.records.append(intake.record(existing[cadre_id] if cadre_id else None, values, line, []))
    out.problems = [f"{path.name}:{p}" for p in out.problems]
    out.notes = [f"{path.name}:{n}" for n in out.notes]
    return out


def _not_of(cadre_id: str | None, existing: dict, folders: dict, unit: str) -> str:
    """Why a row's 编号 cannot be updated from this unit's template ("": it can, or there is none)."""
    if cadre_id and cadre_id not in existing:
        return f"没有编号为「{cadre_id}」的记录；新增人员请让编号留空"
    if cadre_id and folders[cadre_id] != unit:
        return f"「{cadre_id}」属于单位「{folders[cadre_id]}」，不是「{unit}」"
    return ""


def _sheet(path: Path) -> tuple[Any, list]:
    """The template's sheet and its headers, or ImportFailure: not a workbook, no 干部信息, too many rows, a merged
    header, columns the org department's acts decide, or headers that are not the template's."""

    try:
        wb = load_workbook(path, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailure(unreadable_workbook(path)) from None
    if TEMPLATE_SHEET not in wb.sheetnames:
        raise ImportFailure(
            f"{path.name} 中没有“{TEMPLATE_SHEET}”表；请用 cadres export xlsx --template 生成的模板填写"
        )
    ws = wb[TEMPLATE_SHEET]
    if ws.max_row > cells.MAX_ROWS + 1:
        raise ImportFailure(
            f"“{TEMPLATE_SHEET}”表有 {ws.max_row - 1} 行，超过一次导入的上限 {cells.MAX_ROWS} 行；请分成几个工作簿导入"
        )
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_row == 1]
    if merged:
        raise ImportFailure(f"“{TEMPLATE_SHEET}”表的表头有合并单元格（{'、'.join(merged)}）；请取消合并，每列一个表头")
    headers = [c.value.strip() if isinstance(c.value, str) else c.value for c in ws[1]]
    acts_columns = [str(h) for h in headers if h in ACT_COLUMNS]
    if acts_columns:
        raise ImportFailure(
            f"表中有「{'、'.join(acts_columns)}」列：后备层级、培养类别、状态等由区委组织部的考察记录"
            "和区委常委会的决定确定，不由单位导入；请删除这些列，或用 cadres export xlsx --template 重新生成模板"
        )
    unknown = [f"{get_column_letter(i)}列「{h}」" for i, h in enumerate(headers, 1) if h and h not in KNOWN]
    missing = [h for h in ("姓名", "性别", "出生年月") if h not in headers]
    if unknown or missing:
        raise ImportFailure(
            "表头与模板不符："
            + "；".join(
                ([f"不认识 {'、'.join(unknown)}"] if unknown else [])
                + ([f"缺少 {'、'.join(missing)}"] if missing else [])
            )
            + "；请使用 cadres export xlsx --template 生成的模板"
        )
    return ws, headers


def _cells(row: Any, headers: list, ranks: Collection[str], problems: list[str]) -> dict | None:
    """{header: value} of a row's filled cells, or None when a cell cannot be taken (each named in `problems`)."""
    values, bad = {}, False
    for col, cell in enumerate(row):
        header = headers[col] if col < len(headers) else None
        if not header or cell.value in (None, ""):
            continue
        value, why = _value(cell.value, KNOWN[str(header)][1], str(header), ranks)
        if why:
            problems.append(f"{TEMPLATE_SHEET}!{cell.coordinate}（第 {cell.row} 行，{header}）：{why}")
            bad = True
        else:
            values[header] = value
    return None if bad else values


def _values(cells: dict, headers: list, sensitive: Collection[str], unit: str) -> dict:
    """A row's values in the record's shape: every column present, an empty cell as None (it removes the field),
    but a blank 身份证号 or 联系电话, which keeps the record's (sealed) number; the row is of the import's unit."""
    values: dict[str, Any] = {"employment": {"unit": unit}}
    for header, (path, _) in KNOWN.items():
        if header == "编号" or header not in headers:
            continue  # a column taken out of the workbook leaves its field as it is
        value = cells.get(header)
        if value is None and path[0] in sensitive:
            continue
        *parents, key = path
        node = values
        for part in parents:
            node = node.setdefault(part, {})
        node[key] = value
    return values


def _value(raw: object, kind: str, header: str, ranks: Collection[str] = ()) -> tuple[Any, str | None]:
    """(the field's value, None) or (None, what is wrong with the cell)."""
    if too_long(raw):
        return None, too_long(raw)
    if kind == "date":
        return date(raw)
    if kind == "bool":
        if raw in (True, "是", "true", "TRUE", "True"):
            return True, None
        if raw in (False, "否", "false", "FALSE", "False"):
            return False, None
        return None, f"「{raw}」应填“是”或“否”"
    if header == "身份证号":
        return id_number(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = f"{raw:g}" if isinstance(raw, float) else str(raw)
    text = clean(str(raw)).strip()
    if kind == "list":
        return [x.strip() for x in re.split(r"[、,，;；\s]+", text) if x.strip()], None
    if kind == "resume":
        items, unread = read_resume(text, ranks)
        return (None, "；".join(unread)) if unread else (items, None)
    return text, None
