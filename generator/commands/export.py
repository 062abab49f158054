"""`cadres export`: what goes out of the registry as a file, each only what its audience may see.

xlsx: an audience's 名册 (a sheet a level, a sheet a unit, the structure), or (--template) a unit's import
template filled with its people; lrmx: one person's 干部任免审批表; docx: the 人选方案 for the committee, or the
干部任免审批表 of the people named. A folder that is not there, or a file that cannot be written, is the user's
path: a UsageError, never a traceback.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from generator.analysis import adjustment, roster
from generator.analysis.audiences import Audience, expand
from generator.analysis.stats import Tables
from generator.commands import loading
from generator.core.errors import UsageError
from generator.interchange import documents, lrmx
from generator.interchange.excel import roster_workbook, template_workbook
from generator.registry import sealed
from generator.registry.files import Registry
from generator.registry.records import Cadre
from generator.site.build import settings

# what was exported
TEMPLATE, ROSTER, LRMX, PLAN, FORMS = "template", "roster", "lrmx", "plan", "forms"
DOCUMENTS = ("人选方案", "任免审批表")


@dataclass
class Exported:
    kind: str  # one of the constants above
    output: Path  # the file written
    audience: str = ""  # the audience it was made for (roster, plan, forms)
    people: int = 0  # the people in a template; the forms written
    sheets: dict[str, int] = field(default_factory=dict)  # a roster's sheets: {title: number of people}


def safe_file_name(text: str) -> str:
    """A value used in a file name: no folder separators, no characters Windows refuses, no leading dot."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", text).lstrip(".") or "_"


def run(
    root: Path,
    fmt: str,
    ids: list[str],
    *,
    audience: str,
    as_of: _dt.date,
    output: Path | None,
    template: bool,
    unit: str | None,
    cache_dir: Path | None,
) -> Exported:
    """Export as `fmt` ("xlsx", "lrmx" or "docx"; `ids`: lrmx's person, docx's document and its people) to
    `output`, else to a file named after what is in it, in the current folder."""
    if output is not None and not output.resolve().parent.is_dir():
        raise UsageError(f"无法写入 {output}：文件夹 {output.parent} 不存在；请先建立它，或换一个位置")
    try:
        registry = loading.registry(root, cache_dir)
        if fmt == "lrmx":
            return _lrmx(root, registry, ids, as_of, output)
        if fmt == "docx":
            return _docx(root, registry, ids, audience, as_of, output)
        if template:
            return _template(registry, unit, output)
        return _roster(root, registry, audience, as_of, output)
    except OSError as exc:  # a missing folder, a full disk, no permission: the user's path, said as such
        where = exc.filename or output or "输出文件"
        raise UsageError(f"无法写入 {where}：{exc.strerror or exc}；请检查文件夹是否存在、是否可写") from None


def _audience(registry: Registry, name: str) -> Audience:
    audience = next((a for a in expand(registry) if a.id == name), None)
    if audience is None:
        raise UsageError(f"没有读者「{name}」；可用的读者：{'、'.join(a.id for a in expand(registry))}")
    return audience


def _template(registry: Registry, unit: str | None, output: Path | None) -> Exported:
    if not unit or unit not in {u["id"] for u in registry.units}:
        raise UsageError("导出模板须写明单位：--unit 单位编号（units.yaml 中的 id）")
    output = output or Path(f"导入模板-{unit}.xlsx")
    return Exported(TEMPLATE, output, people=template_workbook(registry, unit, output))


def _roster(root: Path, registry: Registry, name: str, as_of: _dt.date, output: Path | None) -> Exported:
    audience = _audience(registry, name)
    output = output or Path(f"后备干部名册-{audience.id}-{as_of.isoformat()}.xlsx")
    sheets = roster_workbook(registry, audience, as_of, output, settings(root)["mark"])
    return Exported(ROSTER, output, audience=audience.id, sheets=sheets)


def _lrmx(root: Path, registry: Registry, ids: list[str], as_of: _dt.date, output: Path | None) -> Exported:
    if len(ids) != 1:
        raise UsageError("导出 lrmx 写一个干部编号，如 cadres export lrmx cai-0001")
    data, unit, picture = person_for_form(root, registry, ids[0])
    output = output or Path(safe_file_name(f"{data['name']}-{data['id']}.lrmx"))
    output.write_bytes(lrmx.export(sealed.opened(data), as_of, unit, picture))
    return Exported(LRMX, output)


def person_for_form(root: Path, registry: Registry, cadre: str) -> tuple[Cadre, str, bytes | None]:
    """(a person's values, their unit's name, their stored photo or None) for a 干部任免审批表."""
    entry = next((e for e in registry.cadres if e.data["id"] == cadre), None)
    if entry is None:
        raise UsageError(f"没有编号为「{cadre}」的干部记录（或该记录有错误，请先运行 cadres validate）")
    data = entry.data
    unit = next((u["name"] for u in registry.units if u["id"] == data["employment"]["unit"]), "")
    photo = root / entry.path.rsplit("/", 1)[0] / data["photo"] if data.get("photo") else None
    return data, unit, photo.read_bytes() if photo is not None and photo.is_file() else None


def _docx(root: Path, registry: Registry, ids: list[str], name: str, as_of: _dt.date, output: Path | None) -> Exported:
    """A meeting document for an audience that may see everyone in it (no personal number is in either)."""
    what, ids = (ids[0], ids[1:]) if ids else ("", [])
    if what not in DOCUMENTS:
        raise UsageError(f"docx 后面写文档名：{'、'.join(DOCUMENTS)}（如 cadres export docx 人选方案）")
    audience = _audience(registry, name)
    sensitive = registry.schemas.vocabulary.sensitive  # neither form has a personal number: none is opened
    people = [
        cast(Cadre, {k: v for k, v in e.data.items() if k not in sensitive})  # sensitive fields are NotRequired
        for e in registry.cadres
        if audience.sees(e.data)
    ]
    shown = {d["id"]: d for d in people}
    if what == "人选方案":
        if ids:
            raise UsageError("人选方案不用写干部编号：它列出全部提请研究的人选")
        if not audience.whole_pool:
            raise UsageError(f"读者「{audience.id}」看不到全区的人选，不能导出人选方案；请用 --audience zuzhibu")
        tables = Tables(registry)
        doc = documents.candidates_plan(
            adjustment.plan(registry, as_of, people), shown, as_of, lambda d: roster.education_text(d, tables)
        )
        output = output or Path(f"人选方案-{as_of.isoformat()}.docx")
        documents.save(doc, output)
        return Exported(PLAN, output, audience=audience.id)
    if not ids:
        raise UsageError("任免审批表后面写一个或几个干部编号，如 cadres export docx 任免审批表 cai-0001 cai-0004")
    hidden = [i for i in ids if i not in shown]
    if hidden:
        raise UsageError(f"读者「{audience.id}」看不到 {'、'.join(hidden)}：没有导出；请换 --audience 或核对编号")
    forms = [(shown[i], *person_for_form(root, registry, i)[1:]) for i in ids]
    doc = documents.appointment_forms(forms, as_of)
    first = forms[0][0]
    default = f"任免审批表-{first['name']}-{first['id']}" + (f"等{len(ids)}人" if len(ids) > 1 else "")
    output = output or Path(safe_file_name(default + ".docx"))
    documents.save(doc, output)
    return Exported(FORMS, output, audience=audience.id, people=len(ids))
