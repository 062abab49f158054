"""Findings: one problem in one place, formatted the same way everywhere.

    path:line:col: 错误|警告|例外 [code] 标签 (field.path): what is wrong — what to do

例外 is a rule finding waived by a recorded exception: listed, never failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "错误"
WARNING = "警告"
WAIVED = "例外"


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
        where = f"{self.path}:{self.line}:{self.col}"
        if self.field:
            what = f"{self.label} ({self.field}): " if self.label else f"{self.field}: "
        else:
            what = f"{self.label}: " if self.label else ""
        tail = f" — {self.hint}" if self.hint else ""
        return f"{where}: {self.severity} [{self.code}] {what}{self.message}{tail}"

    def as_tuple(self) -> tuple:
        return (self.path, self.line, self.col, self.severity, self.code, self.label, self.field, self.message, self.hint)


def sort_unique(findings) -> list[Finding]:
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
