"""One reader of 简历 text for every importer (LRMX, the Excel template): as the official forms and clerks write it.

A line is `start<separator>[end]  单位及职务`:
- a date is `yyyy.MM`, `yyyy.M`, `yyyyMM`, `yyyy-MM`, `yyyy/MM` or `yyyy年M月`;
- the separator is `--`, `-`, `—`, `－`, `–`, `―`, `~`, `～` or `至`;
- the end is a date, or `至今`, `今`, `现在` or nothing: an open end, the current post;
- the post may end in `〔职级，中层〕`, as this program's template writes it.
A line that starts with no date (`（其间：2019.09--2020.01 在省委党校学习）`) continues the entry
before it. Every line that cannot be read comes back with its text: nothing is left out silently.
"""

from __future__ import annotations

import re

_DATE = r"(\d{4})\s*(?:[.\-/年]\s*)?(\d{1,2})\s*月?"
_SEPARATOR = r"\s*(?:-{1,2}|—{1,2}|－{1,2}|–{1,2}|―{1,2}|~|～|至)\s*"
_OPEN = r"至今|今|现在"
LINE = re.compile(rf"^\s*{_DATE}{_SEPARATOR}(?:{_DATE}|(?:{_OPEN}))?\s*(.*?)\s*$")
MARKS = re.compile(r"(.*?)\s*(?:〔(.*)〕)?")  # 单位及职务, then 〔职级，中层〕


def read(text: str) -> tuple[list[dict], list[str]]:
    """(the entries, the lines that could not be read, each with its text)."""
    entries: list[dict] = []
    unread: list[str] = []
    for number, line in enumerate(re.split(r"\r\n|\n|\r", text or ""), 1):
        if not line.strip():
            continue
        entry = _entry(line)
        if entry is not None:
            entries.append(entry)
        elif entries and not re.match(r"\s*\d{4}", line):  # a line starting with a year is an entry, read or not
            post = entries[-1]["post"]
            joiner = "" if line.strip().startswith(("（", "(")) or not post else " "
            entries[-1]["post"] = f"{post}{joiner}{line.strip()}"
        else:
            unread.append(f"简历第 {number} 行「{line.strip()}」看不懂（应写成“2007.07--2010.12  单位及职务”）")
    return entries, unread


def _entry(line: str) -> dict | None:
    match = LINE.match(line)
    if match is None:
        return None
    start, end = _month(match[1], match[2]), _month(match[3], match[4]) if match[3] else None
    if start is None or (match[3] and end is None):
        return None
    text = match[5]
    if not text:
        return None
    marked = MARKS.fullmatch(text)
    post, marks = marked.groups() if marked else (text, None)
    entry: dict[str, object] = {"from": start}
    if end:
        entry["to"] = end
    entry["post"] = post
    for mark in re.split(r"[，,、\s]+", marks or ""):
        if mark == "中层":
            entry["middle_management"] = True
        elif mark:
            entry["rank"] = mark
    return entry


def _month(year: str, month: str) -> str | None:
    return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
