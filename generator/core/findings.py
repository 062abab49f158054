"""Findings: one problem in one place, formatted the same way everywhere.

    path:line:col: 错误|警告|例外 [code] 标签 (field.path): what is wrong — what to do

例外 is a rule finding waived by a recorded exception: listed, never failing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from generator.core.numbers import kind_in, masked

ERROR = "错误"
WARNING = "警告"
WAIVED = "例外"


# characters a reader cannot see that change what a terminal, log or page shows: control characters
# (a carriage return or an ANSI escape can forge a 「检查通过」 line), direction controls (U+202E turns
# 张三.yaml around) and zero-width characters (two names that look the same)
# and the other characters that show as nothing or as a blank (a soft hyphen, a variation selector, tag
# characters, the Hangul and braille blanks…)
UNSEEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def escaped(text: str) -> str:
    """`text` with every character of UNSEEN written as its code (\\x0d, \\u202e): one visible line."""
    return UNSEEN.sub(lambda m: _code(ord(m[0])), text)


def _code(point: int) -> str:
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def shown(text: str) -> str:
    """Text as every report shows it: one line (unseen characters as codes), no personal number (masked)."""
    return escaped(masked(text))


def texts_in(value: object) -> list[str]:
    """Every text value of a document (dicts, lists, texts), in no particular order and without their paths: one
    quick pass, for a question asked of all of them at once before any is looked at with its path."""
    texts, todo = [], [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return texts


def may_hold_a_number(value: object) -> bool:
    """False when no text in `value` (a document's values) holds a personal number (core.numbers), asked of all
    its texts at once: most records hold none, and this one pass saves asking it of each text with its path. The
    newline that joins them is no separator of a number's groups, so no two texts make one number."""
    return kind_in("\n".join(texts_in(value))) is not None


def may_hold_unseen(value: object) -> bool:
    """False when no text in `value` (a document's values) holds a character of UNSEEN other than a line break."""
    return UNSEEN.search("".join(texts_in(value)).replace("\n", "")) is not None


def shown_codes(text: str) -> str:
    """The unseen characters of `text`, each once, as codes joined by 、 (for a message naming them)."""
    return "、".join(escaped(c) for c in sorted(set(UNSEEN.findall(text))))


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the project root, with forward slashes
    line: int
    col: int
    severity: str = field(compare=False)
    code: str
    label: str  # the field's Chinese label ("" for the whole file)
    field: str  # the field path, e.g. resume[2].from ("" for the whole file)
    message: str  # what is wrong
    hint: str = ""  # what to do

    def format(self) -> str:
        """One line, whatever the path or a quoted value holds (every unseen character written as its code),
        with no personal number (masked)."""
        return shown(self._format())

    def _format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        if self.field:
            what = f"{self.label} ({self.field}): " if self.label else f"{self.field}: "
        else:
            what = f"{self.label}: " if self.label else ""
        tail = f" — {self.hint}" if self.hint else ""
        return f"{where}: {self.severity} [{self.code}] {what}{self.message}{tail}"

    def as_tuple(self) -> tuple:
        return (
            self.path,
            self.line,
            self.col,
            self.severity,
            self.code,
            self.label,
            self.field,
            self.message,
            self.hint,
        )


def sort_unique(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by file, line and column; the same finding reported twice appears once."""
    return sorted(set(findings))


def count_line(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    waived = len(findings) - errors - warnings
    if not findings:
        return "检查通过：没有发现问题。"
    tail = f"，{waived} 项已批准例外" if waived else ""
    return f"共 {errors} 个错误，{warnings} 个警告{tail}。"


def field_path(path: tuple) -> str:
    """('resume', 2, 'from') -> 'resume[2].from'"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# -- merge-request reports ------------------------------------------------------------------

CODEQUALITY_SEVERITY = {ERROR: "major", WARNING: "minor", WAIVED: "info"}


# characters XML 1.0 cannot hold at all: a record's value may carry them into a message
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}", text))


def _xml_attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}", text))


def junit(findings: list[Finding], files: list[str]) -> str:
    """JUnit XML for GitLab's test report: one test case per file, failed by its errors.

    Warnings and waived rules are listed in the case's output, so a reviewer sees them without failing it.
    """
    by_file: dict[str, list[Finding]] = {path: [] for path in files}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    failed = sum(1 for found in by_file.values() if any(f.severity == ERROR for f in found))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="cadres validate" tests="{len(by_file)}" failures="{failed}">',
        f'<testsuite name="cadres validate" tests="{len(by_file)}" failures="{failed}" errors="0" skipped="0">',
    ]
    for path in sorted(by_file):
        found = by_file[path]
        errors = [f for f in found if f.severity == ERROR]
        out.append(
            f"<testcase classname={_xml_attr(shown(path.rsplit('/', 1)[0]))} name={_xml_attr(shown(path))} "
            f"file={_xml_attr(shown(path))}>"
        )
        if errors:
            summary = shown(f"{len(errors)} 个错误：{errors[0].code} {errors[0].message}")
            out.append(
                f'<failure message={_xml_attr(summary)} type="cadres">'
                + _xml_text("\n".join(f.format() for f in errors))
                + "</failure>"
            )
        others = [f for f in found if f.severity != ERROR]
        if others:
            out.append("<system-out>" + _xml_text("\n".join(f.format() for f in others)) + "</system-out>")
        out.append("</testcase>")
    out += ["</testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def codequality(findings: list[Finding]) -> str:
    """GitLab Code Quality JSON: each finding as an inline annotation on its file and line."""
    issues = []
    for f in findings:
        text = f.format().split(": ", 1)[1]  # without the path and position, which `location` holds
        # the same problem keeps its fingerprint from day to day: what the policy requires (before the first
        # "：") identifies it, not the counts and dates after it, which change with the as-of date
        what = f.message.split("：", 1)[0]
        fingerprint = hashlib.md5(f"{f.path}\0{f.code}\0{f.field}\0{what}".encode()).hexdigest()
        issues.append(
            {
                "description": text,
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": CODEQUALITY_SEVERITY.get(f.severity, "info"),
                "location": {"path": shown(f.path), "lines": {"begin": f.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=1) + "\n"
