"""Schema validation: the Cerberus rules in schemas/*.yaml, with Chinese messages.

A schema file holds `schema:` (Cerberus rules, each field with `meta.label`)
and optionally `conditions:` (a field required when another field has given
values, and with `exactly: true` also forbidden otherwise), which Cerberus
cannot express. Code tables live in schemas/codes/<table>.yaml and are used
through the custom rule `code: <table>`; `date_text: true` accepts the
registry's 'YYYY-MM' / 'YYYY-MM-DD' dates.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
import secrets
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cerberus
from cerberus import errors as E

from generator.core import dates, defaults
from generator.core.findings import ERROR, Finding, field_path, may_hold_unseen, shown_codes
from generator.registry import fastcheck, vocabulary
from generator.registry.load import ITEM, Document, load_file

KINDS = ("cadre", "nomination", "inspection", "decision", "watch", "unit", "audiences", "policy")

_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是否（true 或 false）",
    "list": "列表（每项以「- 」开头）",
    "dict": "一组字段（字段名: 值）",
}


class SchemaError(Exception):
    """The schemas folder itself is broken: a program-side failure, not the user's."""


@dataclass
class CodeTable:
    name: str
    title: str
    standard: str
    entries: list  # dicts with code, name and flags

    def names(self) -> list[str]:
        return [e["name"] for e in self.entries]

    def code_of(self, name: str) -> str | None:
        return next((e["code"] for e in self.entries if e["name"] == name), None)

    def lookup(self, text: str) -> str | None:
        """The value a form's wording is kept as: the entry's name for the name or one of its `aliases` or
        `said_aliases`; the text itself where it is a longer name ending in an entry with `suffix: true`
        (经济学学士 is kept whole: it is a 学士); None when nothing fits (the caller keeps the text)."""
        text = text.strip()
        for entry in self.entries:
            if text == entry["name"] or text in entry.get("aliases", ()) or text in entry.get("said_aliases", ()):
                return entry["name"]
        return text if self.valid(text) else None

    def said(self, text: str) -> str | None:
        """What an import says when it keeps `text` as another name (「中央党校大学」按「大学本科」保存), or None."""
        text = text.strip()
        entry = next((e for e in self.entries if text in e.get("said_aliases", ())), None)
        return f"{self.title}「{text}」按「{entry['name']}」保存" if entry else None

    def valid(self, value: str) -> bool:
        """A name of the table, or a longer name ending in a `suffix: true` entry."""
        names = self.names()
        return value in names or any(
            e.get("suffix") and value.endswith(e["name"]) and len(value) > len(e["name"]) for e in self.entries
        )

    def with_flag(self, flag: str) -> set[str]:
        return {e["name"] for e in self.entries if e.get(flag)}


class _Validator(cerberus.Validator):
    code_tables: typing.ClassVar[dict] = {}  # set on the subclass each Schemas makes

    def _validate_date_text(self, constraint: bool, field: str, value: object) -> None:
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and dates.parse(value) is None:
            self._error(field, "date")

    def _validate_regex(self, pattern: str, field: str, value: object) -> None:
        """{'type': 'string'}"""
        # the whole string: Cerberus's own rule uses re.match with '$', which lets a trailing newline through
        # ("changwei\n" would pass as an id and end up in a folder name and the nginx configuration)
        if isinstance(value, str) and re.fullmatch(pattern.removesuffix("$"), value) is None:
            self._error(field, cerberus.errors.REGEX_MISMATCH)

    def _validate_code(self, constraint: str, field: str, value: object) -> None:
        """{'type': 'string'}"""
        if isinstance(value, str) and not self.code_tables[constraint].valid(value):
            self._error(field, f"code:{constraint}")


def read_schemas(folder: Path | str) -> Schemas:
    """The schemas of a folder, read and compiled once per process for the same bytes: a diff reads two
    revisions, the unit commands a district and a unit, mostly of identical schemas (reading them is 30 ms)."""
    folder = Path(folder)
    key = _fingerprint(folder, _fallbacks(folder))
    read = _READ.pop(key, None) or Schemas(folder)
    if read.fingerprint == key:  # not when a file changed while it was read (Schemas.fingerprint)
        _READ[key] = read  # the latest last: a long session that edits schemas drops the least recently read
    while len(_READ) > 8:
        del _READ[next(iter(_READ))]
    if read.folder != folder:  # the same bytes in another folder (post_words.yaml is read from it later)
        read = copy.copy(read)
        read.folder = folder
    return read


class Schemas:
    """All schemas and code tables of one schemas/ folder, ready to validate documents (`read_schemas` reuses
    them for the same files: nothing changes them once made)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.fallbacks = _fallbacks(self.folder)  # the shipped files read for kinds this folder has no file of
        # the files' hash before they are read, and again after: a file saved meanwhile (an editor, a checkout)
        # gives a fingerprint no cache holds, so nothing is kept or reused for bytes these schemas were not read from
        self.fingerprint = _fingerprint(self.folder, self.fallbacks)
        self.codes = self._load_codes()
        self.rules: dict[str, dict] = {}
        self.conditions: dict[str, list] = {}
        self.types: dict[str, dict] = {}
        self.validators: dict[str, _Validator] = {}
        self.surely_valid: dict[str, fastcheck.Check | None] = {}  # a quick yes before Cerberus (fastcheck.py)
        validator_class = type("Validator", (_Validator,), {"code_tables": self.codes})
        for kind in KINDS:
            # a repository's own schemas/ written before a kind existed: the shipped rules for that kind
            own = self.folder / f"{kind}.yaml"
            data = self._read(own if own.is_file() else defaults.shipped() / "schemas" / f"{kind}.yaml")
            self.rules[kind] = data["schema"]
            self.conditions[kind] = data.get("conditions", [])
            self.types[kind] = _scalar_types(self.rules[kind])
            try:
                self.validators[kind] = validator_class(self.rules[kind])
            except cerberus.SchemaError as exc:
                raise SchemaError(f"schemas/{kind}.yaml 不是有效的 Cerberus 规则：{exc}") from exc
            self.surely_valid[kind] = fastcheck.compile_schema(self.rules[kind], self.codes)
        if _fingerprint(self.folder, self.fallbacks) != self.fingerprint:
            self.fingerprint = f"changed while read {secrets.token_hex(8)}"
        try:
            self.vocabulary = vocabulary.read(self.rules["cadre"], self.rules["inspection"])
        except ValueError as exc:
            raise SchemaError(str(exc)) from None

    # -- public -------------------------------------------------------------

    def validate(self, kind: str, doc: Document) -> list[Finding]:
        """Schema findings for a loaded document (the document loaded without errors)."""
        validator = self.validators[kind]
        if not isinstance(doc.data, dict):
            what = "列表" if isinstance(doc.data, list) else "单个值"
            return [
                Finding(
                    doc.path,
                    1,
                    1,
                    ERROR,
                    "S03",
                    "",
                    "",
                    f"文件的最外层应是一组字段（字段名: 值），这里却是{what}",
                    "请对照模板，从「id:」这样的字段名开始写",
                )
            ]
        found: list[Finding] = []
        surely_valid = self.surely_valid[kind]
        if surely_valid is None or not surely_valid(doc.data):
            validator.validate(doc.data, normalize=False)
            found = [self._translate(kind, doc, err) for err in _leaf_errors(validator._errors)]
        found.extend(self._check_conditions(kind, doc))
        reported = {f.field for f in found}  # a field already wrong (its pattern, say) is reported once
        found.extend(f for f in self._control_characters(kind, doc) if f.field not in reported)
        return found

    def _control_characters(self, kind: str, doc: Document) -> list[Finding]:
        """S05 for text holding characters a reader cannot see (findings.UNSEEN): control characters (an escape
        sequence, NUL, \\x01…) break pages, reports and the JUnit file; direction controls (U+202E) and zero-width
        characters make a name read as another. A line break is allowed."""
        found: list[Finding] = []
        if not may_hold_unseen(doc.data):  # most files: no text to look at one by one
            return found
        for path, text in texts_of(doc.data):
            shown = shown_codes(text.replace("\n", ""))
            if shown:
                line, col = doc.mark(path)
                label = self.label(kind, path)
                found.append(
                    Finding(
                        doc.path,
                        line,
                        col,
                        ERROR,
                        "S05",
                        label,
                        field_path(path),
                        f"含有看不见的字符（{shown}：控制字符、方向控制字符或零宽字符），网页和报表无法正确显示，"
                        "或让文字看起来是另一个样子",
                        "请删除这些字符（多半是从别的软件复制时带进来的），重新输入这段文字",
                    )
                )
        return found

    def label(self, kind: str, path: tuple) -> str:
        """The Chinese label of a field path, with list positions: ('resume', 2, 'from') -> 简历第3条·起始时间."""
        parts: list[str] = []
        for part, rules in self._walk(kind, path):
            if isinstance(part, int):
                if parts:
                    parts[-1] += f"第{part + 1}条"
            elif rules is None:
                parts.append(str(part))
                break
            else:
                parts.append(rules.get("meta", {}).get("label", str(part)))
        return "·".join(parts)

    def field_rules(self, kind: str, path: tuple) -> dict:
        """The Cerberus rules of a field path ({} for a field the schema does not know)."""
        rules: dict = {"type": "dict", "schema": self.rules[kind]}
        for _, rules in self._walk(kind, path):
            if rules is None:
                return {}
        return rules

    # -- private ------------------------------------------------------------

    def _walk(self, kind: str, path: tuple) -> Iterator[tuple[object, Any]]:
        """(part, its rules) along a field path; rules is None from the first part the schema does not know."""
        own = self.rules[kind]
        rules: Any = {"type": "dict", "schema": {**own, **vocabulary.DERIVED_LABELS} if kind == "cadre" else own}
        for part in path:
            rules = rules.get("schema", {}) if isinstance(part, int) else rules.get("schema", {}).get(part)
            yield part, rules
            if rules is None:
                return

    def _read(self, path: Path) -> dict:
        doc = load_file(path, str(path))
        if doc.findings:
            raise SchemaError("\n".join(f.format() for f in doc.findings))
        if not isinstance(doc.data, dict):
            raise SchemaError(f"{path}：最外层应是一组字段")
        return doc.data

    def _load_codes(self) -> dict[str, CodeTable]:
        tables = {}
        for path in _code_tables(self.folder):
            data = self._read(path)
            tables[path.stem] = CodeTable(path.stem, data["title"], data.get("standard", ""), data["codes"])
        return tables

    def _translate(self, kind: str, doc: Document, err: cerberus.errors.ValidationError) -> Finding:
        path = tuple(err.document_path)
        line, col = doc.mark(path)
        label = self.label(kind, path)
        rules = self.field_rules(kind, path)
        hint_of_field = rules.get("meta", {}).get("hint", "")
        code, message, hint = _message(self, kind, path, err, rules, label)
        if code == "S01":
            label = ""  # an unknown field has no label; its path says which it is
        return Finding(doc.path, line, col, ERROR, code, label, field_path(path), message, hint or hint_of_field)

    def _check_conditions(self, kind: str, doc: Document) -> list[Finding]:
        found = []
        for cond in self.conditions[kind]:
            target = tuple(cond["field"].split("."))
            when = tuple(cond["when"]["field"].split("."))
            parent = _get(doc.data, target[:-1])
            if not isinstance(parent, dict):
                continue  # the parent is missing or malformed: Cerberus said so already
            value = _get(doc.data, when)
            holds = value in cond["when"]["in"]
            present = target[-1] in parent
            label = self.label(kind, target)
            when_label = self.label(kind, when)
            if holds and not present:
                line, col = doc.mark(target[:-1] or when)
                found.append(
                    Finding(
                        doc.path,
                        line,
                        col,
                        ERROR,
                        "S07",
                        label,
                        field_path(target),
                        f"{when_label}为「{value}」时必须填写{label}",
                        cond.get("hint", ""),
                    )
                )
            elif present and not holds and cond.get("exactly"):
                line, col = doc.mark(target)
                found.append(
                    Finding(
                        doc.path,
                        line,
                        col,
                        ERROR,
                        "S08",
                        label,
                        field_path(target),
                        f"{when_label}为「{value}」时不应填写{label}",
                        cond.get("hint", ""),
                    )
                )
        return found


def _fallbacks(folder: Path) -> list[Path]:
    """The shipped schema files a folder falls back on, for the kinds it has no file of."""
    shipped = defaults.shipped() / "schemas"
    return [shipped / f"{kind}.yaml" for kind in KINDS if not (folder / f"{kind}.yaml").is_file()]


def _code_tables(folder: Path) -> list[Path]:
    return sorted((folder / "codes").glob("*.yaml"))


def _fingerprint(folder: Path, fallbacks: list[Path]) -> str:
    """A hash of every file a folder's schemas are read from (a folder's own and the shipped ones it falls back on)
    and of its other YAML files (post_words.yaml). The code tables are found as they are read: rglob does not go
    into a symlinked codes/ folder."""
    digest = hashlib.sha256()
    for path in sorted({*folder.rglob("*.yaml"), *_code_tables(folder)}):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    for path in fallbacks:  # in a checkout they are outside the program's own fingerprint (generator/)
        digest.update(f"shipped/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_READ: dict[str, Schemas] = {}  # read_schemas: the latest folders' schemas by their files' hash


def _type_message(
    err: cerberus.errors.ValidationError, value: object, shown: str, sensitive: bool
) -> tuple[str, str, str]:
    """S03: a value of another type than its field's (a number where text is wanted: quote it)."""
    want = _TYPE_NAMES.get(str(err.constraint), str(err.constraint))
    hint = f"请填写{want}"
    if err.constraint == "string" and not isinstance(value, (dict, list)):
        hint = "请给值加引号" if sensitive else f'请给值加引号，如 "{value}"'
    elif err.constraint == "boolean":
        hint = "是填 true，否填 false"
    return "S03", f"应为{want}，这里是{shown or _kind_of(value)}", hint


def _bound_message(err: cerberus.errors.ValidationError, value: object, shown: str) -> tuple[str, str, str]:
    """S06: a number beyond its bounds, a text of the wrong length, a list with too few items."""
    if err.code in (E.MIN_VALUE.code, E.MAX_VALUE.code):
        bound = "小于" if err.code == E.MIN_VALUE.code else "大于"
        return "S06", f"{shown}不能{bound} {err.constraint}", "请核对数值"
    if isinstance(value, list):
        return "S06", f"至少要有 {err.constraint} 项", "请补充"
    bound = "至少" if err.code == E.MIN_LENGTH.code else "最多"
    return "S06", f"{shown}长度不对，{bound} {err.constraint} 个字", "请核对"


def _message(
    schemas: Schemas, kind: str, path: tuple, err: cerberus.errors.ValidationError, rules: dict, label: str
) -> tuple[str, str, str]:
    value = err.value
    shown = f"「{_visible(value)}」" if not isinstance(value, (dict, list)) else ""
    sensitive = rules.get("meta", {}).get("sensitive")
    if sensitive:  # a personal number is never repeated in a finding, a log or a report
        shown = ""
    if err.code == E.UNKNOWN_FIELD.code:
        known = schemas.field_rules(kind, path[:-1]).get("schema", {})
        close = difflib.get_close_matches(str(path[-1]), list(known), n=1)
        hint = "请删除这个字段或检查拼写"
        if close:
            hint = f"是否想写「{close[0]}」（{known[close[0]].get('meta', {}).get('label', '')}）？请检查拼写"
        return "S01", f"不认识的字段「{path[-1]}」", hint
    if err.code == E.REQUIRED_FIELD.code:
        return "S02", "缺少必填字段", f"请添加「{path[-1]}」并填写{label}"
    if value is None or value == "":  # whichever rule a blank fails, the clerk needs to hear it is blank
        hint = f"请填写{label}" + ("" if rules.get("required") else "，或删除这一行")
        return (
            "S02",
            "不能为空",
            "；".join(x for x in (hint, rules.get("meta", {}).get("hint"), _choices(schemas, rules)) if x),
        )
    if err.code == E.BAD_TYPE.code:
        return _type_message(err, value, shown, bool(sensitive))
    if err.code in (E.NOT_NULLABLE.code, E.EMPTY_NOT_ALLOWED.code):
        return "S02", "不能为空", f"请填写{label}" + ("" if rules.get("required") else "，或删除这一行")
    if err.code == E.UNALLOWED_VALUE.code:
        allowed = "、".join(map(str, err.constraint))
        return "S04", f"{shown}不是可选的值", f"可选：{allowed}"
    if err.code == E.REGEX_MISMATCH.code:
        return "S05", f"格式不对：{shown}", rules.get("meta", {}).get("hint", "")
    if err.code in (E.MIN_VALUE.code, E.MAX_VALUE.code, E.MIN_LENGTH.code, E.MAX_LENGTH.code):
        return _bound_message(err, value, shown)
    if err.code == E.CUSTOM.code and err.info:
        what = err.info[0]
        if what == "date":
            return (
                "S05",
                f"{shown}不是有效的日期",
                "日期写成 年-月（如 2012-07）或 年-月-日（如 2012-09-14），月和日用两位数",
            )
        if what.startswith("code:"):
            table = schemas.codes[what[5:]]
            names = table.names()
            close = [n for n in names if str(value) in n or n in str(value)][:3] or difflib.get_close_matches(
                str(value), names, n=3
            )
            hint = "；".join(x for x in (f"是否想写「{close[0]}」" if close else "", _choices(schemas, rules)) if x)
            return "S04", f"{shown}不在《{table.title}》代码表（{table.standard}）中", hint
    return "S09", f"{shown}不符合规则 {err.rule}: {err.constraint}", "请对照 schemas/ 中的规则修改"


def _choices(schemas: Schemas, rules: dict) -> str:
    """What a field with a fixed list of values may hold: all of them, or the first few and where the table is."""
    if "allowed" in rules:
        return f"可选：{'、'.join(map(str, rules['allowed']))}"
    if "code" in rules:
        names = schemas.codes[rules["code"]].names()
        if len(names) <= 12:
            return f"可选：{'、'.join(names)}"
        return f"可选：{'、'.join(names[:8])}等，共 {len(names)} 项，全部见 schemas/codes/{rules['code']}.yaml"
    return ""


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    return "文字"


def _leaf_errors(errors: Iterable) -> Iterator:
    for err in errors:
        if err.is_group_error:
            yield from _leaf_errors(err.child_errors)
        else:
            yield err


def _get(data: object, path: tuple) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _scalar_types(schema: dict, prefix: tuple = ()) -> dict:
    """{path pattern: expected scalar type} for the loader: ('resume', ITEM, 'from') -> 'string'."""
    types: dict = {}
    for key, rules in schema.items():
        _field_types(rules, (*prefix, key), types)
    return types


def _field_types(rules: dict, pattern: tuple, types: dict) -> None:
    kind = rules.get("type")
    if kind == "dict" and "schema" in rules:
        types.update(_scalar_types(rules["schema"], pattern))
    elif kind == "list" and "schema" in rules:
        _field_types(rules["schema"], (*pattern, ITEM), types)
    elif rules.get("date_text"):
        types[pattern] = "date"
    elif isinstance(kind, str):
        types[pattern] = kind
    elif isinstance(kind, list) and "string" in kind:
        types[pattern] = "string"


def _visible(value: object) -> str:
    """A value as a finding quotes it: control characters written out (\\n, \\x01), so a finding stays one line,
    and a long one cut (a 5,000-digit number is said by its first digits and its length)."""
    text = str(value)
    if len(text) > 60:
        text = f"{text[:40]}……（共 {len(text)} 个字符）"
    return "".join(repr(c)[1:-1] if ord(c) < 32 or ord(c) == 127 else c for c in text)


def texts_of(value: object, path: tuple = ()) -> typing.Iterator[tuple[tuple, str]]:
    """Every text value of a document with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_of(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts_of(item, (*path, i))
