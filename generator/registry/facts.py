"""Facts about one cadre record at a date, as the policy counts them.

The rules (rules.py) and the statistics (stats.py) read a record through
these functions, so a figure means the same in an error message and on the
statistics page. Every parameter comes from registry/policy.yaml; every
function takes a schema-valid record.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Collection, Set
from fractions import Fraction

from generator.core import dates
from generator.registry import vocabulary
from generator.registry.records import Cadre, Evaluation, ResumeLine, Waiver

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b]+")


def normal_name(value: object) -> str:
    """A name as compared: no spaces of any width anywhere in it (offices align 孙　杰 with spaces)."""
    return _SPACES.sub("", str(value or ""))


def highest_education(data: Cadre, order: dict[str, int]) -> str | None:
    """The higher of full-time and in-service education; `order` ranks the code table's names, 0 highest."""
    found = [e["level"] for e in (data["education"].get("full_time"), data["education"].get("in_service")) if e]
    return min(found, key=order.__getitem__) if found else None


def months_at_rank(resume: list[ResumeLine], ranks: Set[str], as_of: _dt.date) -> int:
    """Whole months of the resume at one of `ranks`, up to the start of the as-of month.

    A closed entry counts its first and last months; a running one counts to
    the as-of month, so 2024-11 running at 2026-11-25 is exactly 24 months.
    Where the entry gives days, whole months are counted day by day: from
    2024-11-26 the second year is complete on 2026-11-26, not a day before.
    """
    spans = []  # [start, end): a month-dated end runs to the end of its month, a running entry to `as_of`
    for item in resume:
        if item.get("rank") not in ranks:
            continue
        to = item.get("to")
        if to is None:
            end = as_of
        elif len(to) == 10:
            end = dates.day(to) + _dt.timedelta(days=1)
        else:
            end = _months_after(dates.day(to), 1)
        spans.append((dates.day(item["from"]), min(end, as_of)))
    joined: list[list[_dt.date]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1]:  # 2019-03-20..2020-01-10 then 2020-01-11..: one span
            joined[-1][1] = max(joined[-1][1], last)
        else:
            joined.append([first, last])
    months = days = 0
    for first, last in joined:  # whole months of each span; the days left over add up (31 of them a month)
        whole = max(0, _whole_months(first, last))
        months += whole
        days += max(0, (last - _months_after(first, whole)).days)
    return months + days // 31


def _months_after(day: _dt.date, months: int) -> _dt.date:
    """The same day `months` later (the month's last day where it has fewer)."""
    year, month = divmod(day.month - 1 + months, 12)
    last = calendar.monthrange(day.year + year, month + 1)[1]
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, last))


def at_rank_from(resume: list, ranks: Set[str], months: int, as_of: _dt.date) -> _dt.date | None:
    """The first day on which the resume holds `months` at one of `ranks` if its running entry goes on, or None
    when no running entry is at those ranks (more service is needed, not time)."""
    if not any(item.get("rank") in ranks and not item.get("to") for item in resume):
        return None
    day = as_of
    for _ in range(months * 31 + 31):
        if months_at_rank(resume, ranks, day) >= months:
            return day
        day += _dt.timedelta(days=1)
    return None


def _whole_months(start: _dt.date, end: _dt.date) -> int:
    """Whole months from `start` up to `end` (2024-11-26 to 2026-11-26 is 24, to 2026-11-25 is 23)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def approval(evaluation: Evaluation) -> Fraction:
    """(优秀 + 称职) / 参加人数 of one 民主测评, exactly."""
    return Fraction(evaluation["excellent"] + evaluation["competent"], evaluation["participants"])


def fraction_text(value: Fraction) -> str:
    """三分之二 for 2/3 (as the policy says it), else a percentage."""
    return {(2, 3): "三分之二", (1, 2): "二分之一", (3, 4): "四分之三"}.get(
        (value.numerator, value.denominator), f"{float(value):.1%}"
    )


def fraction(value: str | int | float) -> Fraction:
    """A policy figure written as 0.9 or 2/3, exactly (so 20 of 30 reaches 2/3)."""
    return Fraction(str(value))


def last_review(data: Cadre, on: _dt.date) -> str | None:
    """The last admission or review on or before `on` (a review after it is not known then)."""
    reserve = data["reserve"]
    reviewed = reserve.get("reviewed")
    if reviewed and dates.day(reviewed) <= on:
        return reviewed
    return reserve.get("entered")


def review_due(data: Cadre, cycle_years: int, on: _dt.date) -> _dt.date | None:
    """When the record is due for its next two-yearly review, seen from `on`."""
    last = last_review(data, on)
    if not last:
        return None
    start = dates.day(last)
    try:
        return start.replace(year=start.year + cycle_years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + cycle_years, day=28)


def pool_span(data: Cadre) -> tuple[_dt.date, _dt.date | None] | None:
    """When the record was in the pool (在库): from entry up to, not including, its exit; None if never admitted.

    This is how an earlier pool is rebuilt from the records' own dates: a
    cadre promoted in 2025 was in the pool at the end of 2024.
    """
    reserve = data["reserve"]
    if reserve["status"] not in vocabulary.ADMITTED or not reserve.get("entered"):
        return None
    exit_ = reserve.get("exit")
    return dates.day(reserve["entered"]), dates.day(exit_["date"]) if exit_ else None


def within(span: tuple[_dt.date, _dt.date | None] | None, on: _dt.date) -> bool:
    """In the pool on that date: admitted on or before it and not yet left."""
    return span is not None and span[0] <= on and (span[1] is None or on < span[1])


def waivers(data: Cadre, on: _dt.date, bodies: Collection[str]) -> dict[str, tuple[int, Waiver]]:
    """{rule id: (position, exception)} of the valid exceptions decided on or before `on`."""
    found: dict[str, tuple[int, Waiver]] = {}
    for i, item in enumerate(data.get("exceptions") or []):
        if dates.day(item["date"]) <= on and waiver_problem(data, item, bodies) is None:
            found.setdefault(item["rule"], (i, item))
    return found


def waiver_problem(data: Cadre, item: Waiver, bodies: Collection[str]) -> tuple[str, str] | None:
    """Why an exception cannot waive its rule, as (field, message), or None when it can.

    Only a deciding body may waive, and only when it admits the person: on or before its decision.
    """
    if item["decided_by"] not in bodies:
        return "decided_by", f"例外只能由{'、'.join(bodies)}批准：写的是「{item['decided_by']}」"
    decision = data["reserve"].get("decision")
    if decision and dates.later(item["date"], decision["date"]):  # 2025-09 is not after 2025-09-16
        return "date", f"例外须在研究确定入库时（{decision['date']}）或之前批准：批准日期写的是 {item['date']}"
    return None


def degree_study(target: dict, program: str) -> str | None:
    """The word that makes a 培训班次 degree study (在职研究生 at a 党校 is education, not 轮训), or None."""
    return next((word for word in target.get("degree_study") or () if word in program), None)


def counted_training(target: dict, institution: str, program: str = "") -> bool:
    """Whether training at this institution counts for 全部轮训 (T14): its name contains one of the kinds
    policy.yaml names (党校, 行政学院…; an older policy listed exact names, `institutions`), and the 班次 is not
    degree study."""
    if degree_study(target, program):
        return False
    kinds = target.get("institution_kinds")
    if kinds is not None:
        return any(kind in institution for kind in kinds)
    return institution in target.get("institutions", ())


def grassroots(target: dict, place: str, township_units: Collection[str]) -> bool:
    """Whether a practice placement is at the grassroots (到基层一线, T15): a place named with one of the words
    policy.yaml lists (乡, 镇, 街道, 社区, 村), or a unit of kind 乡镇街道; an older policy did not ask."""
    words = target.get("grassroots")
    if words is None:
        return True
    # the place is the 镇, 街道, 社区 or 村 itself (南岗镇, 某街道某社区): a bureau's 街道管理科 or a
    # 乡村振兴局 is not the grassroots
    organ = "(?:人民政府|政府|办事处|党委|党工委|居民委员会|居委会|村民委员会|村委会)?"
    pattern = rf"(?:{'|'.join(map(re.escape, words))}){organ}\s*(?:[（(][^（）()]*[)）])?$"
    return place in township_units or re.search(pattern, place) is not None
