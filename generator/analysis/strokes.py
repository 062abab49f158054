"""姓氏笔画 order: names as official lists order them.

Character by character: fewer strokes first, then by stroke order, the
strokes compared as 横 < 竖 < 撇 < 点 < 折 (现代汉语通用字笔顺规范); a name that
is the start of another comes first. The stroke orders are in
data/strokes.txt (made by tools/make_strokes.js). A character the table does
not know sorts after every known one with the same position, by code point,
and `unknown()` names it so a build can say so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).parent / "data" / "strokes.txt"
UNKNOWN = (99, "9")


@functools.lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """{character: its strokes as digits 1–5}."""
    found = {}
    with open(DATA, encoding="utf-8") as fh:
        for line in fh:
            if line and not line.startswith("#"):
                found[line[0]] = line[1:].strip()
    return found


def strokes(char: str) -> str | None:
    return table().get(char)


def char_key(char: str) -> tuple:
    order = table().get(char)
    return (len(order), order, char) if order else (*UNKNOWN, char)


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple:
    """The sort key of a name in 姓氏笔画 order."""
    return tuple(char_key(ch) for ch in name)


def unknown(names: Iterable[str]) -> list[str]:
    """Characters of these names that the stroke table does not have."""
    known = table()
    return sorted({ch for name in names for ch in name if ch not in known})
