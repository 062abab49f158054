"""One reader of 简历 text for every importer (LRMX, the Excel template, a 名册): as the official forms and
clerks write it.

A line is `start<separator>[end]  单位及职务`:
- a date is `yyyy.MM`, `yyyy.M`, `yyyyMM`, `yyyy-MM`, `yyyy/MM` or `yyyy年M月`, in a year 19xx or 20xx
  (a post that starts with digits, `12345政务服务便民热线`, is not a date);
- the separator is `--`, `-`, `—`, `－`, `–`, `―`, `~`, `～` or `至`;
- the end is a date, or `至今`, `现在`, `今` (as a word of its own) or nothing: an open end, the current post;
- the post may end in `〔职级，中层〕`, as this program's template writes it; any other `〔…〕` (`〔借调〕`)
  is part of the post.
Full-width digits are read as digits. A line that starts with no date (`（其间：2019.09--2020.01 在省委党校学习）`)
continues the entry before it. Every line that cannot be read comes back with its text: nothing is left out
silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from generator.interchange.cells import clean, digits

_DATE = r"(?:19|20)[0-9]{2}\s*(?:[.\-/年]\s*[0-9]{1,2}(?![0-9])|[0-9]{2}(?![0-9]))\s*月?"
_SEPARATOR = r"\s*(?:-{1,2}|—{1,2}|－{1,2}|–{1,2}|―{1,2}|~|～|至)\s*"
_OPEN = r"至今|现在|今(?=\s|$)"
LINE = re.compile(rf"^\s*({_DATE}){_SEPARATOR}(?:({_DATE})|(?:{_OPEN}))?\s*(.*?)\s*$")
MARKS = re.compile(r"(.*?)\s*〔([^〔〕]*)〕")  # 单位及职务, then 〔职级，中层〕


def read(text: str, ranks: Collection[str] = ()) -> tuple[list[dict], list[str]]:
    """(the entries, the lines that could not be read, each with its text). `ranks`: the rank table's names,
    the only words a trailing 〔…〕 may hold besides 中层 to be read as the entry's marks."""
    entries: list[dict] = []
    unread: list[str] = []
    for number, line in enumerate(clean(text or "").split("\n"), 1):
        if not line.strip():
            continue
        entry = _entry(digits(line), ranks)
        if entry is not None:
            entries.append(entry)
        elif entries and not re.match(r"\s*[0-9]{4}", digits(line)):  # a line starting with a year is an entry
            post = entries[-1]["post"]
            joiner = "" if line.strip().startswith(("（", "(")) or not post else " "
            entries[-1]["post"] = f"{post}{joiner}{line.strip()}"
        else:
            unread.append(f"简历第 {number} 行「{line.strip()}」看不懂（应写成“2007.07--2010.12  单位及职务”）")
    return entries, unread


def _entry(line: str, ranks: Collection[str]) -> dict | None:
    match = LINE.match(line)
    if match is None:
        return None
    start, end = _month(match[1]), _month(match[2]) if match[2] else None
    text = match[3]
    if start is None or (match[2] and end is None) or not text:
        return None
    post, marks = text, []
    marked = MARKS.fullmatch(text)
    if marked:
        words = [w for w in re.split(r"[，,、\s]+", marked[2]) if w]
        if words and all(w == "中层" or w in ranks for w in words):
            post, marks = marked[1], words
    entry: dict[str, object] = {"from": start}
    if end:
        entry["to"] = end
    entry["post"] = post
    for mark in marks:
        if mark == "中层":
            entry["middle_management"] = True
        else:
            entry["rank"] = mark
    return entry


def _month(text: str) -> str | None:
    """'2004.09', '200409', '2004年9月' -> '2004-09' (None for a month that does not exist)."""
    numbers = re.findall(r"[0-9]+", text)
    year, month = (numbers[0][:4], numbers[0][4:]) if len(numbers) == 1 else (numbers[0], numbers[1])
    return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
