"""The adjustment round (调整充实): who the org department proposes out, who in, and what the pool becomes.

七、后备干部的管理: "建立淘汰机制，在考察的基础上，每两年进行调整充实一次，使后备干部队伍始终保持充足的数量、
合理的结构。" `plan(registry, as_of)` drafts the round as the 干部科 would put it to the 区委常委会:

- proposed out: every person of the pool a reason below holds for, each reason with its policy sentence;
  the reasons are a table of small named checks (`REASONS`), their figures in policy.yaml (`adjustment`);
- proposed in: the inspected candidates (考察); those only recommended (推荐) are listed apart, not counted;
- coverage: each unit's 班子职数 (units.yaml leadership) beside its 正职 and 副职 reserves before and after;
- the structure before and after (targets T01–T16, counted by `stats.statistics` on the pool after).

The plan's JSON is the interface: the site's pages read it, and `cadres round decide` writes the decision from it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

from generator.analysis import roster
from generator.analysis.stats import Statistics, Tables, statistics, target_changes
from generator.core import dates
from generator.core.findings import WARNING
from generator.registry import facts, vocabulary
from generator.registry.engine import Context, admitted_on, then_and_now
from generator.registry.files import Entry, Registry
from generator.registry.records import Cadre, Exit
from generator.registry.rules import RULES
from generator.registry.vocabulary import CHIEF, DEPUTY, IN_POOL, INSPECTED, LEFT, NOMINEE, USED

# the policy's sentences the reasons rest on (合蜀发〔2012〕11号)
CYCLE = "七、建立后备干部动态管理制度，建立淘汰机制，在考察的基础上，每两年进行调整充实一次"
MERIT = "二、4、坚持优进劣汰、动态管理原则"
ACCLAIM = "四、（二）3、身体健康，实绩较好，群众公认度较高"
AGE = "三、（二）区管后备干部正职一般应以40岁左右的干部为主体……副职一般应以35岁左右的干部为主体"
FROM_DEPUTIES = "四、（二）2、科级正职后备干部，应当在单位现任班子副职干部中推荐"
USE = "二、3、坚持备用结合、统一调配使用原则"


@dataclasses.dataclass(frozen=True)
class Reason:
    code: str  # the check's short name, stable for the JSON
    reason: str  # what holds for this person, in Chinese
    policy: str  # the sentence of the policy it rests on
    status: str = LEFT  # how the person would leave: 调整出库, or 已使用 when already promoted


class _Round:
    """What the reasons read: the checks' context at the as-of date, the policy's adjustment figures."""

    def __init__(self, registry: Registry, as_of: _dt.date) -> None:
        self.registry, self.as_of = registry, as_of
        self.ctx = Context(registry, as_of, numbers=False)  # no reason reads a personal number
        self.rules = self.ctx.rules
        self.figures = (registry.valid_policy or {}).get("adjustment") or {}
        self.bodies = self.rules.get("deciding_bodies", ())
        rounds = [e.data["date"] for e in registry.decisions if e.data.get("reviewed")]
        self.last_round = max((d for d in rounds if dates.day(d) <= as_of), default=None)  # the last 调整 decided


def overdue_review(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """R11: the review is past due and a round since passed the person over (it reviewed others, not them).
    Someone merely due is what this round reviews: at a round's date everyone reviewed at the last one is."""
    data, cycle = entry.data, r.rules["review_cycle_years"]
    due = facts.review_due(data, cycle, r.as_of)
    last = facts.last_review(data, r.as_of)
    if due and due < r.as_of and last and r.last_round and last < r.last_round:
        yield Reason(
            "R11",
            f"上次研究确定或调整审核是 {last}，应在 {due.isoformat()} 前审核；{r.last_round} 的调整未审核此人，已逾期",
            CYCLE,
        )


def conditions_changed(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """A condition that held on admission and no longer holds (the warnings 入库后情况有变化), unless waived."""
    admitted = admitted_on(entry)
    if admitted is None:
        return
    waived = facts.waivers(entry.data, r.as_of, r.bodies)
    for check in RULES:
        if check.scope != "cadre" or not check.dated or check.code in waived:
            continue
        for found in then_and_now(check, entry, r.ctx, admitted):
            if found.severity == WARNING:
                said = found.message.split("：", 1)[-1] if found.message.startswith("入库后") else found.message
                said = said.removesuffix(f"（截至{r.as_of.isoformat()}）")  # the plan's own date, said once
                yield Reason(f"changed-{check.code}", f"入库后情况有变化（{check.code}）：{said}", check.doc)


def poor_assessment(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """A 年度考核 below 称职 in a year since entry."""
    low = set(r.figures.get("low_grades") or ())
    entered = entry.data["reserve"].get("entered", "")
    for item in entry.data.get("assessments") or []:
        if item["grade"] in low and str(item["year"]) >= entered[:4]:
            yield Reason("assessment", f"入库后 {item['year']}年度考核为{item['grade']}", MERIT)


def low_evaluation(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """A 民主测评 or 民主评议 since entry below the policy's approval (优秀+称职 / 参加人数)."""
    lowest = facts.fraction(r.rules["min_approval"])
    entered = entry.data["reserve"].get("entered", "")
    for ev in entry.data.get("evaluations") or []:
        share = facts.approval(ev)
        if ev["date"] > entered and share < lowest:
            yield Reason(
                "evaluation",
                f"入库后 {ev['date']} {ev['kind']}认可率 {float(share):.1%}，低于{facts.fraction_text(lowest)}",
                ACCLAIM,
            )


def past_age(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """Older than the age the policy file sets for the level (adjustment.max_age)."""
    level = entry.data["reserve"]["level"]
    limit = (r.figures.get("max_age") or {}).get(level)
    age = dates.age(entry.data["birth"], r.as_of)
    if limit is not None and age > limit:
        yield Reason("age", f"{level}后备，现年 {age} 岁，超过 {limit} 岁", AGE)


def left_leadership(entry: Entry[Cadre], _r: _Round) -> Iterator[Reason]:
    """A 正职 reserve no longer in the unit's 班子副职 post they were drawn from."""
    data = entry.data
    if data["reserve"]["level"] == CHIEF and not data["employment"]["leadership_deputy"]:
        yield Reason("leadership", f"已不任单位班子副职（现任「{data['employment']['post']}」）", FROM_DEPUTIES)


def already_used(entry: Entry[Cadre], r: _Round) -> Iterator[Reason]:
    """Already given the post the reserve was kept for, without the decision that records it (已使用): a 副职
    reserve now in the unit's 班子副职 post, or a reserve at the rank policy.yaml names for the level
    (adjustment.used_rank, e.g. 正职: 正科级)."""
    data = entry.data
    level, rank = data["reserve"]["level"], data["employment"]["rank"]
    lowest = (r.figures.get("used_rank") or {}).get(level)
    if lowest and rank in r.ctx.ranks_from(lowest):
        yield Reason("used", f"现职级已是{rank}，已提拔使用，决定中尚未记录", USE, USED)
    elif level == DEPUTY and data["employment"]["leadership_deputy"]:
        post = data["employment"]["post"]
        yield Reason("used", f"已任单位班子副职（「{post}」），已提拔使用，决定中尚未记录", USE, USED)


REASONS: tuple[Callable[[Entry[Cadre], _Round], Iterator[Reason]], ...] = (
    overdue_review,
    conditions_changed,
    poor_assessment,
    low_evaluation,
    past_age,
    left_leadership,
    already_used,
)


def reasons(entry: Entry[Cadre], r: _Round) -> list[Reason]:
    """Every reason to propose one person of the pool out (a year R07 already names is said once)."""
    found = [reason for check in REASONS for reason in check(entry, r)]
    said = " ".join(x.reason for x in found if x.code == "changed-R07")
    return [x for x in found if not (x.code == "assessment" and x.reason.split(" ")[1][:6] in said)]


def plan(
    registry: Registry, as_of: _dt.date, people: list[Cadre] | None = None, before: Statistics | None = None
) -> dict:
    """The round's proposal at `as_of` over `people` (default: everyone; an audience's view passes its own, with
    the statistics it counted of them: `before`)."""
    people = [e.data for e in registry.cadres] if people is None else people
    shown = {d["id"] for d in people}
    entries = {e.data["id"]: e for e in registry.cadres if e.data["id"] in shown}
    tables = Tables(registry)
    r = _Round(registry, as_of)
    pool = [d for d in people if d["reserve"]["status"] == IN_POOL and facts.within(facts.pool_span(d), as_of)]
    out = []
    for data in roster.ordered(pool, tables):
        found = reasons(entries[data["id"]], r)
        if found:
            status = USED if any(x.status == USED for x in found) else LEFT
            out.append({**_person(data, tables, as_of), "status": status, "reasons": _unique(found)})
    candidates = roster.ordered([d for d in people if d["reserve"]["status"] in vocabulary.CANDIDATES], tables)
    nominated = _votes(registry)
    # put to the meeting: inspected by the as-of date; the rest, recommended by then, wait apart
    inspected = {d["id"] for d in candidates if _on_or_before(_inspected(d), as_of)}
    entering = [_candidate(d, tables, as_of, nominated, INSPECTED) for d in candidates if d["id"] in inspected]
    pending = [
        _candidate(d, tables, as_of, nominated, NOMINEE)
        for d in candidates
        if d["id"] not in inspected and (_key(d) not in nominated or _on_or_before(nominated[_key(d)]["date"], as_of))
    ]
    after_people = applied(
        people, [o["id"] for o in out], [o["status"] for o in out], [e["id"] for e in entering], as_of
    )
    before = before or statistics(registry, as_of, people)
    after = statistics(registry, as_of, after_people)
    targets = target_changes(before["targets"], after["targets"])
    return {
        "as_of": as_of.isoformat(),
        "policy": registry.valid_policy["source"],
        "pool": {
            "before": before["pool"]["count"],
            "out": len(out),
            "in": len(entering),
            "after": after["pool"]["count"],
        },
        "out": out,
        "in": entering,
        "pending": pending,
        "coverage": coverage(tables, before["pool"]["ids"], after["pool"]["ids"], people),
        "targets": targets,
        "fails": [t["id"] for t in targets if not t["met_after"]],
    }


def _on_or_before(day: str | None, as_of: _dt.date) -> bool:
    return day is not None and day != "" and dates.day(day) <= as_of


def _inspected(data: Cadre) -> str | None:
    """The date of the person's 考察, if there was one."""
    inspection = data.get("inspection")
    return inspection["date"] if inspection else None


def _key(data: Cadre) -> tuple:
    return (data["reserve"].get("nomination"), data["id"])


def applied(people: list[Cadre], out: list[str], how: list[str], entering: list[str], on: _dt.date) -> list[Cadre]:
    """The people as they would be once the 常委会 decided the plan on `on`: out left, in admitted."""
    leaving = dict(zip(out, how, strict=True))
    day = on.isoformat()
    result = []
    for data in people:
        if data["id"] in leaving:
            # the exit's reason is the plan's to say: what is counted after it is its date
            exit_: Exit = {"date": day, "reason": ""}
            data = {**data, "reserve": {**data["reserve"], "status": leaving[data["id"]], "exit": exit_}}
        elif data["id"] in entering:
            data = {**data, "reserve": {**data["reserve"], "status": IN_POOL, "entered": day}}
        result.append(data)
    return result


def coverage(tables: Tables, before: list[str], after: list[str], people: list[Cadre]) -> list[dict]:
    """Each unit's 班子职数 beside its 正职 and 副职 reserves before and after, and the levels left without any."""
    by_id = {d["id"]: d for d in people}
    rows = []
    for unit in tables.units:
        posts = unit.get("leadership") or {}
        counts = {}
        for side, ids in (("before", before), ("after", after)):
            mine = [by_id[i] for i in ids if by_id[i]["employment"]["unit"] == unit["id"]]
            counts[side] = {level: sum(d["reserve"]["level"] == level for d in mine) for level in (CHIEF, DEPUTY)}
        wanted = {"正职": posts.get("chief", 0), "副职": posts.get("deputy", 0)}
        rows.append(
            {
                "unit": unit["id"],
                "name": unit["name"],
                "posts": wanted,
                "before": counts["before"],
                "after": counts["after"],
                "without": [lv for lv in (CHIEF, DEPUTY) if wanted[lv] and not counts["after"][lv]],
            }
        )
    return rows


def _person(data: Cadre, tables: Tables, as_of: _dt.date) -> dict:
    reserve = data["reserve"]
    return {
        "id": data["id"],
        "name": data["name"],
        "unit": data["employment"]["unit"],
        "unit_name": tables.unit_names.get(data["employment"]["unit"], data["employment"]["unit"]),
        "post": data["employment"]["post"],
        "age": dates.age(data["birth"], as_of),
        "level": reserve["level"],
        "track": reserve.get("track", ""),
        "entered": reserve.get("entered", ""),
        "reviewed": reserve.get("reviewed", ""),
    }


def _candidate(data: Cadre, tables: Tables, as_of: _dt.date, nominated: dict, status: str) -> dict:
    evaluation = max(data.get("evaluations") or [], key=lambda e: e["date"], default=None)
    return {
        **_person(data, tables, as_of),
        "source": data["reserve"]["source"],
        "status": status,  # at the as-of date: inspected by then, or only recommended
        "nomination": nominated.get(_key(data)),
        "evaluation": {
            "date": evaluation["date"],
            "kind": evaluation["kind"],
            "share": f"{float(facts.approval(evaluation)):.1%}",
            "good": evaluation["excellent"] + evaluation["competent"],
            "participants": evaluation["participants"],
        }
        if evaluation
        else None,
        "inspection": _inspected(data) or "",
    }


def _votes(registry: Registry) -> dict:
    """{(round/unit, cadre): the candidate's 民主推荐 figures}, from the unit's own nomination file."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in registry.nominations:
        data = entry.data
        for cand in data["candidates"]:
            found[(f"{data['round']}/{data['unit']}", cand["cadre"])] = {
                "date": data["meeting"]["date"],
                "attended": data["meeting"]["attended"],
                "votes": cand["votes"],
                "share": f"{cand['votes'] / data['meeting']['attended']:.1%}",
            }
    return found


def _unique(found: list[Reason]) -> list[dict]:
    seen, out = set(), []
    for reason in found:
        if reason.reason not in seen:
            seen.add(reason.reason)
            out.append({"code": reason.code, "reason": reason.reason, "policy": reason.policy})
    return out
