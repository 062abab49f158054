"""Dates as written on the 干部任免审批表: 'YYYY-MM' or 'YYYY-MM-DD', kept as text.

Month arithmetic is what the policy counts in (years at rank, ages, review cycles).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from pathlib import Path

from generator.core.errors import CadresError

_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$")  # ASCII digits: １９８８-０６ is not a date here


def parse(text: object) -> _dt.date | None:
    """The first day the text can mean ('2012-07' -> 2012-07-01), or None if it is not a real date."""
    return _parse(text) if isinstance(text, str) else None


@functools.lru_cache(maxsize=65536)  # a registry repeats the same few thousand dates
def _parse(text: str) -> _dt.date | None:
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def day(text: str) -> _dt.date:
    """The first day of a date that passed its schema ('2012-07' -> 2012-07-01); a ValueError for anything else."""
    found = parse(text)
    if found is None:
        raise ValueError(f"「{text}」不是 YYYY-MM 或 YYYY-MM-DD 形式的日期")
    return found


def later(a: str, b: str) -> bool:
    """Whether date `a` is surely after date `b`, at the precision both have ('2025-08' is not after '2025-08-05')."""
    common = min(len(a), len(b))
    return a[:common] > b[:common]


def is_month_precision(text: str) -> bool:
    m = _DATE.match(text)
    return m is not None and m[3] is None


def month_index(text_or_date: str | _dt.date) -> int:
    """Months since year 0, for counting whole months between two dates."""
    d = day(text_or_date) if isinstance(text_or_date, str) else text_or_date
    return d.year * 12 + d.month - 1


def age(birth: str, on: _dt.date) -> int:
    """Whole years at `on`; a birth known only to the month counts from its first day."""
    b = day(birth)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def dotted(text: str | None) -> str:
    """'2007-07' -> '2007.07', '2023-09-14' -> '2023.09.14': dates as the 干部任免审批表 and 名册 write them."""
    return text.replace("-", ".") if text else ""


def months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    return f"{years}年" if years else f"{rest}个月"


DEMO_DATE = "registry/demo-date.txt"  # a demo registry's own date (benchmarks/synth_registry.py writes it)


class DemoDateError(CadresError, ValueError):
    """The demo's date file holds no date: said in Chinese."""


def as_of_for(root: Path) -> _dt.date:
    """The date the commands count with when none is given: today, or for a demo registry the date it is
    current to (registry/demo-date.txt), so the demo never goes out of date. A district's registry has no such
    file."""
    marker = Path(root) / DEMO_DATE
    if not marker.is_file():
        return _dt.date.today()
    lines = [ln.strip() for ln in marker.read_text(encoding="utf-8").splitlines()]
    text = next((ln for ln in lines if ln and not ln.startswith("#")), "")
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise DemoDateError(
            f"{DEMO_DATE} 里没有日期（应是一行 YYYY-MM-DD，如 2026-11-25）：请改正或删除这个文件"
        ) from None
