"""Strict YAML loading: one file's bytes in, its values and their positions out.

What this refuses, and why (each refusal is a Finding that names the line):
- anything but UTF-8 (a UTF-8 BOM is tolerated): the registry is one encoding;
- duplicate keys: PyYAML would silently keep the last one;
- anchors, aliases and tags: no alias bombs, no objects, nothing clever;
- more than one document in a file, an empty file, a file over MAX_BYTES.

YAML 1.1's implicit typing is not used. A plain scalar becomes what the schema
expects at that place (`types`): text stays text (`no`, `010`, `2012-07`,
`2012-09-14` are read as written), integers and booleans are read strictly,
and where nothing is expected the YAML 1.2 core schema applies. Parsing is
done by libyaml (PyYAML's C parser); this module only turns events into values.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.findings import ERROR, Finding

MAX_BYTES = 1024 * 1024  # a cadre record is about 3 KB

_Parser = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]{0,17})$")  # up to 18 digits: a longer number is text, and said so
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

ITEM = None  # the path-pattern element standing for "any list item"


@dataclass
class Document:
    path: str
    data: object = None
    # path tuple -> (line, col), 1-based: where a key or list item starts
    marks: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def mark(self, path: tuple) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


def too_large(path: str, size: int) -> Finding:
    """Y06, with the file's real size (the loader reads no more than the limit)."""
    shown = f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size // 1024} KB"
    return _file_error(
        path,
        "Y06",
        f"文件过大（{shown}，上限 {MAX_BYTES // 1024} KB）",
        "一个文件只写一个人或一个单位的记录；请检查是否误粘贴了大段内容",
    )


def load_bytes(raw: bytes, path: str, types: dict | None = None) -> Document:
    """Load one file's bytes. `types` maps path patterns (keys, ITEM for list items) to expected scalar types."""
    doc = Document(path)
    if len(raw) > MAX_BYTES:
        doc.findings.append(too_large(path, len(raw)))
        return doc
    text = _decode(raw, doc)
    if text is None:
        return doc
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.findings.append(_file_error(path, "Y07", "文件是空的", "请按模板填写记录，或删除这个文件"))
        return doc
    try:
        _Composer(doc, types or {}).run(text)
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        doc.findings.append(_syntax_error(path, exc))
    except yaml.YAMLError as exc:  # unmarked errors are rare (e.g. reader errors)
        doc.data = None
        doc.findings.append(_file_error(path, "Y02", f"YAML 语法错误（{exc}）", "请检查缩进、冒号和引号"))
    except RecursionError:  # hundreds of nested levels: this file is refused, every other file is still checked
        doc.data = None
        doc.findings.append(
            _file_error(
                path,
                "Y02",
                "嵌套层数过多，无法读取（记录只有几层：字段、列表、列表中的字段）",
                "请对照模板检查缩进：每一层缩进两个空格，不要层层嵌套",
            )
        )
    if doc.findings:
        doc.data = None
    return doc


def load_file(filename: Path | str, path: str, types: dict | None = None) -> Document:
    with open(filename, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    return load_bytes(raw, path, types)


# --------------------------------------------------------------------------


def _decode(raw: bytes, doc: Document) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        doc.findings.append(
            _file_error(doc.path, "Y01", "文件是 UTF-16 编码，不是 UTF-8", "请在编辑器中选择“UTF-8”编码另存")
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            pass
        doc.findings.append(
            Finding(
                doc.path,
                line,
                col,
                ERROR,
                "Y01",
                "",
                "",
                f"文件不是 UTF-8 编码{guess}（第 {exc.start + 1} 个字节无法识别）",
                "请在编辑器中选择“UTF-8”编码另存，不要用“ANSI”或“GBK”",
            )
        )
        return None


def _file_error(path: str, code: str, message: str, hint: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(path, line, col, ERROR, code, "", "", message, hint)


_SYNTAX_HINTS = (
    ("cannot start any token", "这一行有制表符（Tab）或不能开头的字符", "YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("tab", "这一行用了制表符（Tab）缩进", "YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("mapping values are not allowed", "这里不应出现冒号", "冒号后面要有一个空格；值里含冒号时请给整个值加引号"),
    ("could not find expected ':'", "缺少冒号", "每个字段写成「字段名: 值」，冒号后留一个空格"),
    ("did not find expected key", "缩进不一致或缺少冒号", "同一层的字段要对齐，用空格缩进"),
    ("did not find expected '-'", "列表项的缩进不一致", "同一个列表的各项「- 」要对齐"),
    ("did not find expected ',' or '}'", "花括号 { } 没有正确闭合", "检查 { } 是否成对、各项之间是否用逗号分隔"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有正确闭合", "检查 [ ] 是否成对、各项之间是否用逗号分隔"),
    ("end of stream", "引号或括号没有闭合", "检查引号是否成对"),
    ("control characters are not allowed", "文件里有不可见的控制字符", "请删除该行的特殊字符后重新输入"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 无法识别", "请改用单引号，或删掉反斜杠"),
)


def _syntax_error(path: str, exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "simple key" in (exc.context or ""):
        mark = exc.context_mark  # a key without its colon: the parser notices a line later, the key is the line
    problem = " ".join(filter(None, [exc.context, exc.problem]))
    message, hint = "YAML 语法错误", "请检查这一行及上一行的缩进、冒号和引号"
    for needle, what, how in _SYNTAX_HINTS:
        if needle in problem:
            message, hint = f"YAML 语法错误：{what}", how
            break
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Finding(path, line, col, ERROR, "Y02", "", "", f"{message}（解析器：{problem}）", hint)


class _Refused(Exception):
    pass


class _Composer:
    """Builds values from libyaml's events, keeping positions and refusing what this registry does not allow."""

    def __init__(self, doc: Document, types: dict) -> None:
        self.doc = doc
        self.types = types
        self.events: Iterator[yaml.Event] = iter(())

    def run(self, text: str) -> None:
        self.events = iter(yaml.parse(text, Loader=_Parser))
        next(self.events)  # StreamStart
        ev = next(self.events)
        if isinstance(ev, yaml.StreamEndEvent):
            self.doc.findings.append(
                _file_error(self.doc.path, "Y07", "文件是空的", "请按模板填写记录，或删除这个文件")
            )
            return
        try:
            self.doc.data = self._node(next(self.events), (), ())
            next(self.events)  # DocumentEnd
            ev = next(self.events)
            if not isinstance(ev, yaml.StreamEndEvent):
                self._refuse(
                    ev,
                    "Y08",
                    "一个文件里有多份文档（出现了 ---）",
                    "一个文件只写一条记录，请删除多余的「---」及其后的内容",
                )
        except _Refused:
            return

    def _refuse(self, ev: yaml.Event, code: str, message: str, hint: str) -> _Refused:
        m = ev.start_mark
        line, column = (m.line + 1, m.column + 1) if m is not None else (1, 1)
        self.doc.findings.append(Finding(self.doc.path, line, column, ERROR, code, "", "", message, hint))
        raise _Refused

    def _check_plain(self, ev: Any) -> None:  # any yaml event: only some carry an anchor or a tag
        if isinstance(ev, yaml.AliasEvent):
            self._refuse(ev, "Y04", f"不允许使用别名（*{ev.anchor}）", "请把要引用的内容直接写出来")
        if getattr(ev, "anchor", None):
            self._refuse(ev, "Y04", f"不允许使用锚点（&{ev.anchor}）", "请删除「&」及其名称，内容直接写出")
        if getattr(ev, "tag", None):
            self._refuse(ev, "Y05", f"不允许使用类型标签（{ev.tag}）", "请删除以「!」开头的标签；需要文本时给值加引号")

    def _node(self, ev: Any, path: tuple, pattern: tuple) -> Any:
        self._check_plain(ev)
        if isinstance(ev, yaml.ScalarEvent):
            return self._scalar(ev, pattern)
        if isinstance(ev, yaml.SequenceStartEvent):
            items: list = []
            for ev in self.events:
                if isinstance(ev, yaml.SequenceEndEvent):
                    return items
                index = len(items)
                self.doc.marks[(*path, index)] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                items.append(self._node(ev, (*path, index), (*pattern, ITEM)))
        if isinstance(ev, yaml.MappingStartEvent):
            mapping: dict = {}
            for ev in self.events:
                if isinstance(ev, yaml.MappingEndEvent):
                    return mapping
                self._check_plain(ev)
                if not isinstance(ev, yaml.ScalarEvent):
                    self._refuse(ev, "Y02", "字段名必须是简单的文字", "请检查这一行的缩进和冒号")
                key = ev.value
                where = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                if key in mapping:
                    first = self.doc.marks[(*path, key)][0]
                    self._refuse(
                        ev,
                        "Y03",
                        f"字段「{key}」重复出现（第 {first} 行已有）",
                        "同一层里每个字段只能写一次，请删除或合并其中一个",
                    )
                self.doc.marks[(*path, key)] = where
                mapping[key] = self._node(next(self.events), (*path, key), (*pattern, key))
        raise AssertionError(f"unexpected event {ev!r}")

    def _scalar(self, ev: yaml.ScalarEvent, pattern: tuple) -> Any:
        value = ev.value
        if not ev.implicit[0]:  # quoted or block scalar: always text
            return value
        expected = self.types.get(pattern)
        if value in _NULL:
            return None
        if expected in ("string", "date"):
            return value
        if expected == "integer":
            return int(value) if _INT.match(value) else value
        if expected == "boolean":
            return True if value in _TRUE else False if value in _FALSE else value
        if expected == "number":
            return _number(value)
        # nothing expected here: the YAML 1.2 core schema, without 1.1's surprises
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return _number(value)


def _number(value: str) -> int | float | str:
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value
