"""Structure statistics: targets T01–T16 and the breakdowns, over the pool on a date.

`statistics(registry, as_of)` returns plain data (JSON-ready, the interface
for the site and other tools): for each target the figure, numerator and
denominator, the target, met or not and the ids behind the numerator; the
breakdowns by level, unit, age band, education, specialty, sex, ethnicity,
political status, track, training and practice; the reviews due; the waived
rules. The pool on a date is rebuilt from the records' own dates (facts.pool_span),
so an earlier date gives the pool as it stood then. How each target is
measured is a table (MEASURES, OF); every figure comes from policy.yaml.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from generator.core import dates
from generator.registry import facts, vocabulary
from generator.registry.records import Cadre
from generator.registry.vocabulary import FEMALE, MALE, TOWNSHIP

if TYPE_CHECKING:
    from generator.registry.files import Registry

# each breakdown of the pool and its title, in the order the pages, reports and workbooks show them
BREAKDOWNS = {
    "level": "层级",
    "unit": "单位",
    "age_band": "年龄段",
    "education": "学历",
    "specialty": "熟悉专业",
    "sex": "性别",
    "ethnicity": "民族",
    "minority": "少数民族",
    "party": "党派",
    "political_status": "政治面貌",
    "track": "培养类别",
    "training": "党校轮训",
    "practice": "基层锻炼",
    "appraisal": "民主评议（入库后）",
}
APPRAISALS = ("认可率达到要求", "认可率未达到", "入库后未评议")  # the last 民主评议 since entry against min_approval


@dataclass
class Person:
    """One record as the statistics count it, at the as-of date."""

    id: str
    name: str
    unit: str
    level: str
    track: str
    sex: str
    ethnicity: str
    political: str
    age: int
    education: str | None
    specialties: list
    training: list = field(default_factory=list)  # (start date, institution, 班次), up to the as-of date
    practice: list = field(default_factory=list)  # (start date, kind, place), up to the as-of date
    span: tuple | None = None  # in the pool from, until (facts.pool_span)
    appraisals: list = field(default_factory=list)  # (date, approval) of each 民主评议, up to the as-of date


class Tables:
    """The code tables, policy and schema values the statistics need, read once."""

    def __init__(self, registry: Registry) -> None:
        codes, policy = registry.schemas.codes, registry.valid_policy
        self.policy = policy
        self.education = codes["education_level"].names()
        self.education_order = {name: i for i, name in enumerate(self.education)}
        self.bachelor = codes["education_level"].with_flag("bachelor")
        self.postgraduate = codes["education_level"].with_flag("postgraduate")
        self.cpc = codes["political_status"].with_flag("cpc")
        self.political = codes["political_status"].names()
        self.ethnicity = codes["ethnicity"]
        self.levels = registry.schemas.vocabulary.levels
        self.tracks = registry.schemas.vocabulary.tracks
        self.units = sorted(registry.units, key=lambda u: u["order"])
        self.township_units = {u["name"] for u in self.units if u["kind"] == TOWNSHIP}
        self.unit_names = {u["id"]: u["name"] for u in self.units}


def person(data: Cadre, on: _dt.date, education_order: dict[str, int]) -> Person:
    return Person(
        id=data["id"],
        name=data["name"],
        unit=data["employment"]["unit"],
        level=data["reserve"]["level"],
        track=data["reserve"]["track"],
        sex=data["sex"],
        ethnicity=data["ethnicity"],
        political=data["political_status"],
        age=dates.age(data["birth"], on),
        education=facts.highest_education(data, education_order),
        specialties=list(data.get("specialties") or []),
        training=[
            (day, t["institution"], t["program"])
            for t in data.get("training") or []
            if (day := dates.day(t["from"])) <= on
        ],
        practice=[
            (day, p["kind"], p["place"]) for p in data.get("practice") or [] if (day := dates.day(p["from"])) <= on
        ],
        span=facts.pool_span(data),
        appraisals=[
            (day, facts.approval(ev))
            for ev in data.get("evaluations") or []
            if ev["kind"] == "民主评议" and (day := dates.day(ev["date"])) <= on
        ],
    )


def admitted(cadres: list[Cadre], on: _dt.date, tables: Tables) -> list[Person]:
    """Everyone ever admitted to the pool, as counted on `on`."""
    return [
        person(data, on, tables.education_order) for data in cadres if data["reserve"]["status"] in vocabulary.ADMITTED
    ]


def pool_on(people: list[Person], on: _dt.date) -> list[Person]:
    """The people in the pool on `on`, rebuilt from their entered / exit dates."""
    return [p for p in people if facts.within(p.span, on)]


# -- what a target counts ------------------------------------------------------------


def _ids(people: Iterable[Person]) -> list[str]:
    return [p.id for p in people]


def _share_text(num: int, den: int) -> str:
    return f"{num / den:.1%}" if den else "—"


class TargetResult(TypedDict):
    """One target T01–T16 measured on a date: what every page, report, workbook and the round's plan read."""

    id: str
    label: str
    text: str  # the policy's sentence
    measure: str  # a key of MEASURES
    numerator: int
    denominator: int
    figure: str  # as a reader sees it: 55.6%, 210人, 6/6个专业达到
    target: str  # the goal, with 本区确定 where the figure is the district's own
    district: bool
    met: bool
    ids: list[str]  # the people counted
    parts: NotRequired[list[dict[str, Any]]]  # per specialty, track or year
    year: NotRequired[int]  # T15: the year the figure is of


class TargetChange(TypedDict):
    """One target before and after (target_changes): `cadres stats --since`, `cadres diff`, the round's plan."""

    id: str
    label: str
    text: str
    target: str
    before: str
    after: str
    met_before: bool
    met_after: bool
    changed: bool  # the figure moved


def _result(
    target: dict,
    numerator: list,
    denominator: int,
    met: bool,
    goal: str,
    figure: str,
    parts: list[dict[str, Any]] | None = None,
    year: int | None = None,
) -> TargetResult:
    result: TargetResult = {
        "id": target["id"],
        "label": target["label"],
        "text": target["text"],
        "measure": target["measure"],
        "numerator": len(numerator),
        "denominator": denominator,
        "figure": figure,
        "target": f"{goal}（本区确定）" if target.get("district") else goal,  # the policy said only 一定数量/比例
        "district": bool(target.get("district")),
        "met": met,
        "ids": _ids(numerator),
    }
    if parts is not None:
        result["parts"] = parts
    if year is not None:
        result["year"] = year
    return result


def _of_level(target: dict, pool: list[Person]) -> list[Person]:
    return [p for p in pool if p.level == target["level"]] if target.get("level") else pool


def _enough(target: dict, num: int, den: int) -> bool:
    """A share target: at least min_share of the denominator and at least min_count people, as far as given."""
    ok = True
    if "min_share" in target:
        ok = den > 0 and Fraction(num, den) >= facts.fraction(target["min_share"])
    if "min_count" in target:
        ok = ok and num >= target["min_count"]
    return ok


def _goal(target: dict, unit: str = "") -> str:
    parts = []
    if "min_share" in target:
        whole = facts.fraction(target["min_share"]) == 1
        parts.append("全部" if whole else f"≥{_percent(target['min_share'])}")
    if "min_count" in target:
        parts.append(f"≥{target['min_count']}人")
    return unit + "且".join(parts)


def _percent(value: str | int | float) -> str:
    return f"{float(facts.fraction(value)) * 100:g}%"


def measure_count(target: dict, pool: list[Person], _ctx: _Context) -> TargetResult:
    """Head count against a figure 左右 (within the tolerance)."""
    people = _of_level(target, pool)
    n, goal, tol = len(people), target["target"], facts.fraction(target.get("tolerance", 0))
    low, high = math.ceil(goal * (1 - tol)), math.floor(goal * (1 + tol))
    return _result(target, people, n, low <= n <= high, f"{goal}人左右（{low}–{high}人）", f"{n}人")


def measure_age_share(target: dict, pool: list[Person], _ctx: _Context) -> TargetResult:
    """Share of a level aged within `band` years of `age`."""
    people = _of_level(target, pool)
    hits = [p for p in people if abs(p.age - target["age"]) <= target["band"]]
    return _result(
        target,
        hits,
        len(people),
        _enough(target, len(hits), len(people)),
        _goal(target, f"{target['age'] - target['band']}–{target['age'] + target['band']}岁"),
        _share_text(len(hits), len(people)),
    )


def measure_share(target: dict, pool: list[Person], ctx: _Context) -> TargetResult:
    """Share of the pool (or of a level) with a property (OF)."""
    people = _of_level(target, pool)
    hits = [p for p in people if OF[target["of"]](p, target, ctx)]
    return _result(
        target,
        hits,
        len(people),
        _enough(target, len(hits), len(people)),
        _goal(target),
        f"{_share_text(len(hits), len(people))}（{len(hits)}人）",
    )


def measure_each_specialty(target: dict, pool: list[Person], ctx: _Context) -> TargetResult:
    """People per specialty the policy lists; met when every one has min_count."""
    return _each(target, pool, ctx.policy["specialties"], lambda p: p.specialties, "个专业")


def measure_each_track(target: dict, pool: list[Person], ctx: _Context) -> TargetResult:
    """People per track (近期备用 / 中期强化 / 远期储备); met when every one has min_count."""
    return _each(target, pool, ctx.tracks, lambda p: [p.track], "个类别")


def _each(
    target: dict, pool: list[Person], keys: Iterable[str], values_of: Callable[[Person], Iterable[str]], noun: str
) -> TargetResult:
    parts: list[dict[str, Any]] = [{"key": k, "count": 0, "ids": []} for k in keys]
    index = {part["key"]: part for part in parts}
    for p in pool:
        for value in values_of(p):
            if value in index:
                index[value]["count"] += 1
                index[value]["ids"].append(p.id)
    minimum = target.get("min_count", 1)
    covered = [part for part in parts if part["count"] >= minimum]
    holders = [p for p in pool if any(v in index for v in values_of(p))]
    result = _result(
        target,
        holders,
        len(pool),
        len(covered) == len(parts),
        f"每{noun}≥{minimum}人",
        f"{len(covered)}/{len(parts)}{noun}达到",
        parts=parts,
    )
    result["numerator"], result["denominator"] = len(covered), len(parts)
    return result


def measure_practice_per_year(target: dict, pool: list[Person], ctx: _Context) -> TargetResult:
    """Share of each year's pool sent to grass-roots practice that year; the figure is the last full year."""
    on = ctx.as_of
    last_full = on.year if (on.month, on.day) == (12, 31) else on.year - 1
    years = range(on.year - ctx.policy["statistics"]["history_years"] + 1, on.year + 1)
    parts: list[dict[str, Any]] = []
    for year in years:
        end = min(_dt.date(year, 12, 31), on)
        year_pool = pool if end == on else pool_on(ctx.people, end)  # practice up to `on` holds that year's
        went = [p for p in year_pool if sent(p, target, ctx, year)]
        parts.append(
            {
                "key": str(year),
                "count": len(went),
                "of": len(year_pool),
                "ids": _ids(went),
                "figure": _share_text(len(went), len(year_pool)),
                "partial": end == on and year == on.year and year != last_full,
                "met": _enough(target, len(went), len(year_pool)),
            }
        )
    # the year under way once it has met the figure (it can only grow), else the last full year
    now, full = parts[-1], next((part for part in parts if part["key"] == str(last_full)), parts[-1])
    head = now if now["met"] or now is full else full
    shown = int(head["key"])
    so_far = "至今" if head["partial"] else ""
    result = _result(
        target,
        [],
        head["of"],
        head["met"],
        _goal(target, "每年"),
        f"{head['figure']}（{shown}年{so_far}{head['count']}人）",
        parts=parts,
        year=shown,
    )
    result["numerator"], result["ids"] = head["count"], head["ids"]
    return result


MEASURES = {
    "count": measure_count,
    "age_share": measure_age_share,
    "share": measure_share,
    "each_specialty": measure_each_specialty,
    "each_track": measure_each_track,
    "practice_per_year": measure_practice_per_year,
}


def trained(p: Person, target: dict) -> bool:
    """Trained as T14 counts it: at an institution of a counted kind, since entering the pool where it says so."""
    since = p.span[0].replace(day=1) if target.get("since_entry") and p.span else None  # from the entry month on
    return any(
        facts.counted_training(target, inst, program) and (since is None or day >= since)
        for day, inst, program in p.training
    )


def sent(p: Person, target: dict, ctx: Tables, year: int | None = None) -> bool:
    """Sent to practice as T15 counts it: of a counted kind, at the grassroots, begun after entering the pool
    (a 挂职 before admission is how some came in, not the pool's practice), in `year` when given."""
    kinds = target["practice_kinds"]
    since = p.span[0].replace(day=1) if p.span else None  # from the entry month on
    return any(
        kind in kinds
        and (year is None or day.year == year)
        and (since is None or day >= since)
        and facts.grassroots(target, place, ctx.township_units)
        for day, kind, place in p.practice
    )


def appraisal(p: Person, ctx: Tables) -> str:
    """The person's last 民主评议 since entering the pool, against the policy's approval (R11 warns below it)."""
    since = p.span[0] if p.span else None
    held = [(day, share) for day, share in p.appraisals if since is None or day >= since.replace(day=1)]
    if not held:
        return APPRAISALS[2]
    return APPRAISALS[0] if max(held)[1] >= facts.fraction(ctx.policy["rules"]["min_approval"]) else APPRAISALS[1]


OF = {
    "bachelor": lambda p, _t, ctx: p.education in ctx.bachelor,
    "postgraduate": lambda p, _t, ctx: p.education in ctx.postgraduate,
    "female": lambda p, _t, _ctx: p.sex == FEMALE,
    "minority": lambda p, _t, ctx: ctx.ethnicity.code_of(p.ethnicity) != "01",
    "non_cpc": lambda p, _t, ctx: p.political not in ctx.cpc,
    "party_school": lambda p, t, _ctx: trained(p, t),
}


# -- the whole report ------------------------------------------------------------------


class _Context(Tables):
    def __init__(self, registry: Registry, as_of: _dt.date, cadres: list[Cadre]) -> None:
        super().__init__(registry)
        self.as_of = as_of
        self.people = admitted(cadres, as_of, self)


class PoolCount(TypedDict):
    count: int
    ids: list[str]


class Statistics(TypedDict):
    """The pool on a date against its targets: what `cadres stats`, the sites, the workbooks and the plan read."""

    as_of: str
    policy: dict
    pool: PoolCount
    targets: list[TargetResult]
    breakdowns: dict
    review_due: list[dict]
    waivers: list[dict]


def statistics(registry: Registry, as_of: _dt.date, cadres: list[Cadre] | None = None) -> Statistics:
    """Targets and breakdowns over the pool on `as_of` (of `cadres`, default every valid record)."""
    cadres = [e.data for e in registry.cadres] if cadres is None else cadres
    ctx = _Context(registry, as_of, cadres)
    pool = sorted(pool_on(ctx.people, as_of), key=lambda p: p.id)
    by_id = {c["id"]: c for c in cadres}
    return {
        "as_of": as_of.isoformat(),
        "policy": ctx.policy["source"],
        "pool": {"count": len(pool), "ids": _ids(pool)},
        "targets": [MEASURES[t["measure"]](t, pool, ctx) for t in ctx.policy["targets"]],
        "breakdowns": breakdowns(pool, ctx),
        "review_due": review_due(pool, by_id, ctx),
        "waivers": waivers(pool, by_id, ctx),
    }


def breakdowns(pool: list[Person], ctx: _Context) -> dict:
    bands = ctx.policy["statistics"]["age_bands"]
    schooling: dict = next((t for t in ctx.policy["targets"] if t.get("of") == "party_school"), {})
    practice = next((t for t in ctx.policy["targets"] if t.get("practice_kinds")), {"practice_kinds": ()})
    minority = [e["name"] for e in ctx.ethnicity.entries if e["code"] != "01"]
    return {
        "level": _group(ctx.levels, pool, lambda p: p.level, ctx.levels),
        "unit": [
            dict(row, name=ctx.unit_names.get(row["key"], row["key"]))
            for row in _group(ctx.levels, pool, lambda p: p.unit, [u["id"] for u in ctx.units])
        ],
        "age_band": _group(ctx.levels, pool, lambda p: band(p.age, bands), band_labels(bands)),
        "education": _group(ctx.levels, pool, lambda p: p.education, ctx.education),
        "specialty": _group(ctx.levels, pool, lambda p: p.specialties, ctx.policy["specialties"], many=True),
        "sex": _group(ctx.levels, pool, lambda p: p.sex, [MALE, FEMALE]),
        "ethnicity": _group(
            ctx.levels, pool, lambda p: "汉族" if p.ethnicity == "汉族" else "少数民族", ["汉族", "少数民族"]
        ),
        "minority": [
            row
            for row in _group(ctx.levels, [p for p in pool if p.ethnicity in minority], lambda p: p.ethnicity, minority)
            if row["count"]
        ],
        "political_status": [
            row for row in _group(ctx.levels, pool, lambda p: p.political, ctx.political) if row["count"]
        ],
        "party": _group(
            ctx.levels,
            pool,
            lambda p: "中共党员" if p.political in ctx.cpc else "非中共党员",
            ["中共党员", "非中共党员"],
        ),
        "track": _group(ctx.levels, pool, lambda p: p.track, ctx.tracks),
        "training": _group(
            ctx.levels,
            pool,
            lambda p: "已参加党校轮训" if trained(p, schooling) else "未参加党校轮训",
            ["已参加党校轮训", "未参加党校轮训"],
        ),
        "appraisal": _group(ctx.levels, pool, lambda p: appraisal(p, ctx), list(APPRAISALS)),
        "practice": _group(
            ctx.levels,
            pool,
            lambda p: "有基层锻炼经历" if sent(p, practice, ctx) else "无基层锻炼经历",
            ["有基层锻炼经历", "无基层锻炼经历"],
        ),
    }


def _group(
    levels: tuple[str, ...], pool: list[Person], key_of: Callable[[Person], Any], order: Iterable, many: bool = False
) -> list[dict]:
    """Rows {key, count, by_level, ids} in the given order; a key outside it is added at the end."""

    def new(key: object) -> dict:
        return {"key": key, "count": 0, "by_level": dict.fromkeys(levels, 0), "ids": []}

    rows = {key: new(key) for key in order}
    for p in pool:
        for key in key_of(p) if many else [key_of(p)]:
            row = rows.get(key) or rows.setdefault(key, new(key))
            row["count"] += 1
            row["by_level"][p.level] += 1
            row["ids"].append(p.id)
    return list(rows.values())


def band_labels(bands: list[int]) -> list[str]:
    """Labels of the age bands whose upper bounds policy.yaml gives; a band of five years around a multiple of
    five says so, as the policy counts ages (28–32岁 is 30岁左右)."""

    def middle(low: int, high: int) -> str:
        centre = (low + high) // 2
        return f"（{centre}岁左右）" if high - low == 4 and centre % 5 == 0 else ""

    labels = [f"{bands[0]}岁及以下"]
    labels += [f"{low + 1}–{high}岁{middle(low + 1, high)}" for low, high in itertools.pairwise(bands)]
    return [*labels, f"{bands[-1] + 1}岁及以上"]


def band(age: int, bands: list[int]) -> str:
    labels = band_labels(bands)
    for label, top in zip(labels, bands, strict=False):
        if age <= top:
            return label
    return labels[-1]


def review_due(pool: list[Person], by_id: dict, ctx: _Context) -> list[dict]:
    """Pool members whose two-yearly review is overdue on the as-of date (R11), earliest first."""
    cycle = ctx.policy["rules"]["review_cycle_years"]
    rows = []
    for p in pool:
        due = facts.review_due(by_id[p.id], cycle, ctx.as_of)
        if due and due < ctx.as_of:
            rows.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "unit": p.unit,
                    "unit_name": ctx.unit_names.get(p.unit, p.unit),
                    "level": p.level,
                    "last": facts.last_review(by_id[p.id], ctx.as_of),
                    "due": due.isoformat(),
                }
            )
    return sorted(rows, key=lambda r: (r["due"], r["id"]))


def waivers(pool: list[Person], by_id: dict, ctx: _Context) -> list[dict]:
    """The rules waived for pool members by a recorded exception."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "unit": p.unit,
            "unit_name": ctx.unit_names.get(p.unit, p.unit),
            "rule": rule,
            "reason": item["reason"],
            "decided_by": item["decided_by"],
            "date": item["date"],
        }
        for p in pool
        for rule, (_, item) in sorted(
            facts.waivers(by_id[p.id], ctx.as_of, ctx.policy["rules"]["deciding_bodies"]).items()
        )
    ]


class Counts(TypedDict):
    before: int
    after: int


# `from` is a keyword: the functional form names the two dates as the JSON does
Comparison = TypedDict(
    "Comparison",
    {"from": str, "to": str, "pool": Counts, "entered": list[dict], "left": list[dict], "targets": list[TargetChange]},
)


def compare(registry: Registry, before: _dt.date, after: _dt.date) -> Comparison:
    """How the pool moved between two dates: who entered, who left and why, and every target before and after."""
    cadres = [e.data for e in registry.cadres]
    old, new = statistics(registry, before, cadres), statistics(registry, after, cadres)
    by_id = {c["id"]: c for c in cadres}
    was, now = set(old["pool"]["ids"]), set(new["pool"]["ids"])
    unit_names = Tables(registry).unit_names

    def row(cadre_id: str) -> dict:
        data = by_id[cadre_id]
        reserve = data["reserve"]
        unit = data["employment"]["unit"]
        return {
            "id": cadre_id,
            "name": data["name"],
            "unit": unit,
            "unit_name": unit_names.get(unit, unit),
            "level": reserve["level"],
            "entered": reserve.get("entered"),
            **({"exit": reserve["exit"]} if reserve.get("exit") else {}),
        }

    return {
        "from": old["as_of"],
        "to": new["as_of"],
        "pool": {"before": old["pool"]["count"], "after": new["pool"]["count"]},
        "entered": [row(i) for i in sorted(now - was)],
        "left": [row(i) for i in sorted(was - now)],
        "targets": target_changes(old["targets"], new["targets"]),
    }


def target_changes(before: list[TargetResult], after: list[TargetResult]) -> list[TargetChange]:
    """Each target before and after: one shape for `cadres stats --since`, `cadres diff` and the round's plan.

    target is the later side's (with 本区确定 where the figure is the district's own); changed: the figure moved."""
    return [
        {
            "id": a["id"],
            "label": a["label"],
            "text": b.get("text", ""),
            "target": b["target"],
            "before": a["figure"],
            "after": b["figure"],
            "met_before": a["met"],
            "met_after": b["met"],
            "changed": a["figure"] != b["figure"],
        }
        for a, b in zip(before, after, strict=True)
    ]
