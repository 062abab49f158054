"""`cadres import`: read filled-in workbooks or LRMX forms, match them to records, write the records, check them.

`read` checks the files against their format's limits and hands them to the format's reader (FORMATS: one
module, one function, incoming.Reader), which turns them into records and says what cannot be imported and what
has no field; `plan` says what each record's change is, `write` writes the records into the unit's folder.
Nothing is written while a file has a problem, unless the caller asks for the rows without one.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.findings import ERROR
from generator.git.fields import field_changes
from generator.interchange import lrmx_in, matching, roster_in, roundtrip, template_in
from generator.interchange.incoming import ImportFailure, Reader, Reading, in_schema_order
from generator.interchange.yamlout import dump
from generator.registry import sealed
from generator.registry.files import Registry, with_files
from generator.registry.validate import check


@dataclass(frozen=True)
class Format:
    """An import format: its reader, and the largest file it takes (checked before any of it is parsed)."""

    read: Reader
    max_file: int
    workbook: bool  # one .xlsx a run: an .xls, an oversized file or one that unzips huge stops the run


MB = 1024 * 1024
# what an import reads at most: a unit's workbook is a few hundred KB, a form with its photo well under 1 MB
FORMATS = {
    "xlsx": Format(template_in.read, 20 * MB, workbook=True),  # this program's import template
    "lrmx": Format(lrmx_in.read, 5 * MB, workbook=False),  # 干部任免审批表 files, any number; a bad one is a problem
    "roster": Format(roster_in.read, 20 * MB, workbook=True),  # a unit's own 名册
}
MAX_UNPACKED = 100 * MB  # a workbook's parts once unzipped: a 300 KB file may unzip to gigabytes


def read(registry: Registry, fmt: str, files: list[Path], unit: str) -> Reading:
    """The records in `files` (one workbook, or LRMX forms) for `unit`, with their problems and notes."""
    form = FORMATS[fmt]
    old_format = [path for path in files if form.workbook and _is_xls(path)]
    if old_format:
        raise ImportFailure(xls_refusal(old_format[0]))
    too_large = {path: why for path in files if (why := _over_limits(form, path))}
    if form.workbook and too_large:
        raise ImportFailure(next(iter(too_large.values())))
    if form.workbook and len(files) != 1:
        raise ImportFailure("一次导入一个工作簿")
    reading = form.read(registry, [path for path in files if path not in too_large], unit)
    reading.problems[:0] = too_large.values()
    return reading


def _is_xls(path: Path) -> bool:
    """An Excel 97-2003 workbook: by its name, or by its first bytes (an OLE file renamed .xlsx)."""
    try:
        with open(path, "rb") as fh:
            return path.suffix.lower() == ".xls" or fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    except OSError:
        return False  # said by the size check, which names the reason


def xls_refusal(path: Path) -> str:
    return (
        f"{path.name} 是旧版 Excel 97-2003 工作簿（.xls），本系统只读 .xlsx；"
        "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入"
    )


@dataclass
class Planned:
    """What an import would do to one person, said before anything is written."""

    data: dict
    kind: str  # 新建 | 修改 | 不变 | 不写入
    texts: list[str]  # field by field, in the change log's words ('现任职务: A → B')
    removed: list[str]  # the texts that remove or empty a value: written only when asked for
    refused: list[str] = field(default_factory=list)  # why a good record would turn bad: it is not written
    notes: list[str] = field(default_factory=list)  # what was read and not taken (a number no key could compare)

    @property
    def heading(self) -> str:
        return f"{self.data.get('name', '')}（{self.data['id']}）：{self.kind}"


def plan(registry: Registry, records: list[dict]) -> list[Planned]:
    """Each record's change against the registry, with its personal numbers sealed (an unchanged number keeps
    its ciphertext, so it is no change); a record with no change is listed as 不变 and never rewritten."""

    existing = matching.records(registry)  # complete or not: an incomplete record is still that person
    label = registry.schemas.label
    sensitive = registry.schemas.vocabulary.sensitive
    out = []
    for data in records:
        notes = seal_numbers(registry, data, existing.get(data["id"]))
        old = existing.get(data["id"])
        shown = {k: v for k, v in data.items() if not k.startswith("_")}
        if old is None:  # a new person, field by field, in the record's order
            out.append(Planned(data, "新建", _itemised(registry, shown), [], notes=notes))
            continue
        changes = field_changes(old, shown, lambda p: label("cadre", p))
        texts = [f"{c.label}: 已修改" if c.top in sensitive else c.text for c in changes]
        removed = [text for text, c in zip(texts, changes, strict=True) if c.removes]
        kind = "修改" if texts or data.get("_photo") else "不变"
        out.append(Planned(data, kind, texts, removed, notes=notes))
    _refuse_new_errors(registry, [c for c in out if c.kind == "修改"])
    return out


def _itemised(registry: Registry, data: dict) -> list[str]:
    """A new record as lines a clerk can check: '学历学位·全日制教育·学历: 大学本科', one 简历 line each; a
    personal number only as 已填写 (it is written sealed)."""
    label = registry.schemas.label
    sensitive = registry.schemas.vocabulary.sensitive
    out: list[str] = []

    def walk(value: object, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                shown = "，".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
                out.append(f"{label('cadre', (*path, i))}: {shown}")
        elif path and path[0] in sensitive:
            out.append(f"{label('cadre', path)}: 已填写（加密保存）")
        elif isinstance(value, bool):
            out.append(f"{label('cadre', path)}: {'是' if value else '否'}")
        elif path != ("id",) and value not in (None, "", []):
            shown = "、".join(map(str, value)) if isinstance(value, list) else str(value)
            out.append(f"{label('cadre', path)}: {shown}")

    walk(in_schema_order(registry, data), ())
    return out


def _refuse_new_errors(registry: Registry, changes: list[Planned]) -> None:
    """An update that would give a record an error it does not have (the schema's, the checks', the policy's:
    a 简历 that no longer joins up, a value no code table knows) is not written: its change is 不写入 with the
    errors it would bring. The registry is checked as it would be, in memory, before anything is written."""

    if not changes:
        return
    files = {
        e.data["id"]: e.path
        for e in registry.of_kind("cadre", valid_only=False)
        if isinstance(e.data, dict) and isinstance(e.data.get("id"), str)
    }
    paths = {files.get(c.data["id"], _path(c.data)): c for c in changes}
    today = _dt.date.today()

    def errors(reg: Registry) -> dict[str, set]:
        out: dict[str, set] = {}
        for f in check(reg, today):
            if f.severity == ERROR and f.path in paths:
                out.setdefault(f.path, set()).add((f.label or f.field, f.message, f.hint))
        return out

    before = errors(registry)
    texts = {
        p: dump(in_schema_order(registry, {k: v for k, v in c.data.items() if k != "_photo"})).encode()
        for p, c in paths.items()
    }
    after = errors(with_files(registry, texts))
    for path, change in paths.items():
        new = sorted(after.get(path, set()) - before.get(path, set()))
        if new:
            change.kind = "不写入"
            change.refused = [f"{what}: {message}" + (f" — {hint}" if hint else "") for what, message, hint in new]


def _path(data: dict) -> str:
    return f"registry/cadres/{data['employment']['unit']}/{data['id']}.yaml"


def write(registry: Registry, records: list[dict], unit: str) -> list[str]:
    """Write each record (and its kept photo) into registry/cadres/<unit>/; the written paths, relative to the root.

    Personal numbers are written sealed: a number the record already holds keeps its ciphertext.
    """
    existing = matching.records(registry)
    for data in records:
        seal_numbers(registry, data, existing.get(data["id"], {}))
    written = []
    for data in records:
        path = registry.root / "registry" / "cadres" / unit / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        photo = data.pop("_photo", None)
        if photo:
            path.with_name(data["photo"]).write_bytes(photo)
        path.write_text(_text(path, in_schema_order(registry, data)), encoding="utf-8")
        written.append(path.relative_to(registry.root).as_posix())
    return written


def todo_path(source: Path, asked: Path | None) -> Path:
    """Where the to-do list goes: `--todo FILE`, else beside the imported file."""
    return asked if asked is not None else source.with_name(f"{source.stem}-待补充.csv")


def writable(registry: Registry, unit: str, todo: Path) -> str | None:
    """Why the records or the to-do list could not be written (said before anything is), or None."""

    folder = registry.root / "registry" / "cadres" / unit
    where = folder if folder.is_dir() else folder.parent
    if todo.is_dir():
        return f"--todo 给的 {todo} 是一个文件夹；什么也没有写入。请给一个文件名，如 {todo / '待补充.csv'}"
    for place, what in ((where, "记录文件夹"), (todo.parent, "待补充清单的文件夹")):
        if not place.is_dir() or not os.access(place, os.W_OK | os.X_OK):
            return f"{what} {place} 不能写入（只读或不存在）；什么也没有写入。请换一个可以写入的位置后重新导入"
    if todo.exists() and not os.access(todo, os.W_OK):
        return f"待补充清单 {todo} 是只读的；什么也没有写入。请用 --todo 指定另一个文件后重新导入"
    return None


def todo_list(errors: list, people: dict[str, dict], target: Path) -> Path:
    """What the written records still lack, one line per person and field, as a CSV (UTF-8 with a BOM, so
    Excel opens it as it is): the clerk's list to work through. No number is in it, and no cell starts like a
    formula (a name typed as =1+2 is text). `people` maps each written file to its record."""

    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["编号", "姓名", "字段", "问题", "怎么改", "文件", "行"])
        for f in sorted(errors, key=lambda f: (f.path, f.line)):
            data = people.get(f.path, {})
            hint = re.sub(
                r"请添加「[A-Za-z0-9_.\[\]]+」并填写", "请填写", f.hint
            )  # the clerk works from a sheet, not YAML
            row = [data.get("id", ""), data.get("name", ""), f.label or f.field, f.message, hint, f.path, f.line]
            out.writerow([_as_text(v) for v in row])
    return target


def _as_text(value: object) -> object:
    """A cell a spreadsheet would run as a formula (=, +, -, @, a tab or CR first) starts with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _text(path: Path, data: dict) -> str:
    """A new record as the registry writes one; an existing record with only its changed values changed
    (comments, order, quoting and the `$schema` line of the rest kept: interchange/roundtrip.py)."""
    if path.is_file():
        try:
            return roundtrip.rewrite(path.read_text(encoding="utf-8"), data)
        except Exception:  # a file ruamel cannot take (it loaded with ours): written anew, as a new one is
            pass
    return dump(data)


def _over_limits(form: Format, path: Path) -> str | None:
    """Why a file is too large to be what it says (checked before any of it is parsed), or None."""

    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"{path.name} 读不出来（{exc.strerror}）"
    if size > form.max_file:
        return (
            f"{path.name} 有 {size / 1048576:.1f} MB，超过导入上限 {form.max_file // 1048576} MB；"
            "请检查是否选错了文件，或把工作簿拆成几个再导入"
        )
    if form.workbook and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            return (
                f"{path.name} 解压后有 {unpacked / 1048576:.0f} MB（上限 {MAX_UNPACKED // 1048576} MB），"
                "不像是一个单位的干部信息表；请检查是否有单元格粘贴了大段内容"
            )
    return None


def seal_numbers(registry: Registry, data: dict, previous: dict | None = None) -> list[str]:
    """Seal the clear personal numbers of a record about to be written (SealError without recipients); a number
    the record already holds keeps its ciphertext (`previous`: the record's values, default read from the
    registry). Without a key a held number cannot be compared: it stays as it is, and what is said says so."""
    if previous is None:
        previous = matching.records(registry).get(str(data.get("id")), {})
    keys = sealed.keys()
    said = []
    for name in registry.schemas.vocabulary.sensitive:
        value = data.get(name)
        if not isinstance(value, str) or not value or sealed.is_sealed(value):
            continue
        old = previous.get(name)
        if isinstance(old, str) and sealed.is_sealed(old) and not keys.available:
            data[name] = old
            what = registry.schemas.label("cadre", (name,))
            said.append(
                f"{what}保持记录中的号码：本机没有解密密钥，无法核对表中的号码是否与它相同；"
                "号码确有变化的，请区委组织部（有密钥）导入，或用 cadres encrypt 改正"
            )
        elif isinstance(old, str) and sealed.is_sealed(old) and keys.open(old) == value:
            data[name] = old
        else:
            data[name] = sealed.seal(value, registry.recipients)
    return said
