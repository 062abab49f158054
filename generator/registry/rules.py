"""The policy's rules R01–R11 (policy.md), one small named check each.

Each function's docstring is the sentence of 合蜀发〔2012〕11号 it enforces;
its figures come from registry/policy.yaml (`ctx.rules`), never from here.
A finding's message starts with what the policy requires and then says what
the record shows, counted at the as-of date; the hint says what would make
it right. A record's `exceptions` entry waives its rule (engine.run_checks
keeps the finding, marked 例外). R12, the records' own consistency, is in
checks.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import dates
from generator.core.findings import WARNING, Finding
from generator.registry import facts, vocabulary
from generator.registry.engine import Check, Context
from generator.registry.files import Entry
from generator.registry.vocabulary import CHIEF, DEPUTY, IN_POOL, NOMINEE

HANDED = ("委托", "授权", "交由", "指定", "代为", "代行")  # words that hand the 组织部's inspection to someone else
WAIVE_HINT = (
    "如经区委常委会研究同意破格，请区委组织部在该次决定（registry/decisions/<日期>.yaml）的 waivers 中"
    "写明干部编号、规则编号和理由"
)


def _checked(entry: Entry, ctx: Context) -> bool:
    """The eligibility rules apply to candidates and to the pool, not to tracked talent or to leavers."""
    return entry.data["reserve"]["status"] in ctx.rules["checked_statuses"]


def r01_in_service_on_establishment(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """推荐对象为全区机关事业单位在职在编干部。"""
    if not _checked(entry, ctx):
        return
    employment, rules = entry.data["employment"], ctx.rules
    if not employment["in_service"]:
        yield ctx.finding(
            entry,
            ("employment", "in_service"),
            "R01",
            "后备干部须是在职在编干部：记录写的是不在职",
            "已离开岗位的，由区委组织部在决定的 left 中写明调整出库和原因；如填错了，改为 true",
        )
    if employment["establishment"] not in rules["eligible_establishments"]:
        yield ctx.finding(
            entry,
            ("employment", "establishment"),
            "R01",
            f"后备干部须是在编干部：编制类型是「{employment['establishment']}」",
            f"可推荐的编制类型：{'、'.join(rules['eligible_establishments'])}；编外人员不能列为后备",
        )
    unit = ctx.units.get(employment["unit"])
    if unit and unit["kind"] not in rules["eligible_unit_kinds"]:
        yield ctx.finding(
            entry,
            ("employment", "unit"),
            "R01",
            f"后备干部须来自机关事业单位：{unit['name']}的单位类别是「{unit['kind']}」",
            f"可推荐的单位类别：{'、'.join(rules['eligible_unit_kinds'])}；请核对 units.yaml 中的单位类别",
        )


def r02_chief_from_deputy_leaders(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """科级正职后备干部，应当在单位现任班子副职干部中推荐。"""
    if dates.later(entry.data["employment"]["post_since"], ctx.as_of_text):
        return  # judged at a date before the current post: what was held then is in the 简历, not here
    if (
        _checked(entry, ctx)
        and entry.data["reserve"]["level"] == CHIEF
        and not entry.data["employment"]["leadership_deputy"]
    ):
        yield ctx.finding(
            entry,
            ("employment", "leadership_deputy"),
            "R02",
            f"正职后备须从单位现任班子副职中推荐：现任「{entry.data['employment']['post']}」不是班子副职",
            "已任班子副职的，把 leadership_deputy 改为 true；否则可改列副职后备，" + WAIVE_HINT,
        )
    lowest = ctx.rules.get("chief", {}).get("min_rank")
    employment = entry.data["employment"]
    if (
        _checked(entry, ctx)
        and lowest
        and employment["leadership_deputy"]
        and employment["rank"] not in ctx.ranks_from(lowest)
    ):
        yield ctx.finding(
            entry,
            ("employment", "rank"),
            "R02",
            f"单位班子副职一般为{lowest}以上：记录写的是班子副职，职级却是「{employment['rank']}」",
            "请核对职级（rank）和是否班子副职（leadership_deputy）；两者必须与任职文件一致",
        )


def r03_deputy_years_at_clerk(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """科级副职后备干部须任科员级职务2年以上。"""
    if not _checked(entry, ctx) or entry.data["reserve"]["level"] != DEPUTY:
        return
    deputy = ctx.rules["deputy"]
    ranks = ctx.ranks_from(deputy["min_rank"])
    needed = deputy["min_years_at_clerk"] * 12
    months = facts.months_at_rank(entry.data["resume"], ranks, ctx.as_of)
    if months < needed:
        full = facts.at_rank_from(entry.data["resume"], ranks, needed, ctx.as_of)
        short = (  # a day short is a day, not a month
            f"{full.isoformat()} 满{deputy['min_years_at_clerk']}年"
            if full and (full - ctx.as_of).days < 31
            else f"还差{dates.months_text(needed - months)}"
        )
        yield ctx.finding(
            entry,
            ("resume",),
            "R03",
            f"副职后备须任{deputy['min_rank']}级职务{deputy['min_years_at_clerk']}年以上："
            f"简历中{deputy['min_rank']}及以上任职累计{dates.months_text(months)}（截至{ctx.as_of_text}）",
            f"请核对简历各段的职级（rank）和起止时间；确实不满{deputy['min_years_at_clerk']}年的（{short}），"
            "待满后再推荐，" + WAIVE_HINT,
        )


def r04_deputy_middle_management(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """科级副职后备干部……并有单位中层岗位工作经历。"""
    if not _checked(entry, ctx) or entry.data["reserve"]["level"] != DEPUTY:
        return
    if not any(item.get("middle_management") and item["from"] <= ctx.as_of_text for item in entry.data["resume"]):
        yield ctx.finding(
            entry,
            ("resume",),
            "R04",
            "副职后备须有单位中层岗位工作经历：简历中没有标注为中层岗位的经历",
            "在担任中层职务（科长、副科长、办公室主任等）的那段简历上加 middle_management: true；"
            "确无此经历的，" + WAIVE_HINT,
        )


def r05_college_education(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """必须具有大专以上学历。"""
    if not _checked(entry, ctx):
        return
    order, minimum = ctx.education_order, ctx.rules["min_education"]
    highest = facts.highest_education(entry.data, order)
    if highest is None or order[highest] > order[minimum]:
        yield ctx.finding(
            entry,
            ("education",),
            "R05",
            f"后备干部必须具有{minimum}以上学历：最高学历是「{highest or '未填写'}」",
            "全日制和在职教育取较高者；已取得更高学历的，请在 education 的 full_time 或 in_service 中填写",
        )


def r06_healthy(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """身体健康。"""
    fit = ctx.rules["fit_health"]
    if _checked(entry, ctx) and entry.data["health"] not in fit:
        yield ctx.finding(
            entry,
            ("health",),
            "R06",
            f"后备干部须身体健康：健康状况是「{entry.data['health']}」",
            f"视为健康的填法：{'、'.join(fit)}；" + WAIVE_HINT,
        )


def r07_assessed_and_approved(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """实绩较好，群众公认度较高：近三年年度考核没有不称职（不合格），民主测评（优秀+称职）不低于三分之二。"""
    if not _checked(entry, ctx):
        return
    data, rules = entry.data, ctx.rules
    window = rules["assessment_window"]
    failing = ctx.flagged("assessment_grade", "failing")
    missing = _missing_years(data, ctx) if data["reserve"]["status"] in vocabulary.CANDIDATES else []
    if missing:  # a year with no 年度考核 is not a year without 不称职
        yield ctx.finding(
            entry,
            ("assessments",),
            "R07",
            f"近{window}年年度考核须有结果：没有{'、'.join(map(str, missing))}年度考核结果",
            "请补上年度考核结果（year、grade）；确未参加考核的，由区委组织部在考察时核实",
            WARNING,
        )
    for i, item in enumerate(data.get("assessments") or []):
        if ctx.as_of.year - window <= item["year"] < ctx.as_of.year and item["grade"] in failing:
            yield ctx.finding(
                entry,
                ("assessments", i, "grade"),
                "R07",
                f"近{window}年年度考核不能有{'、'.join(sorted(failing))}等次：{item['year']}年度为「{item['grade']}」",
                "请核对考核结果；属实的不能列为后备，" + WAIVE_HINT,
            )
    reserve = data["reserve"]
    until = dates.day(reserve["entered"]) if reserve.get("entered") else ctx.as_of
    tests = [
        (i, ev)
        for i, ev in enumerate(data.get("evaluations") or [])
        if ev["kind"] == "民主测评" and dates.day(ev["date"]) <= until
    ]
    if not tests:
        return  # no 测评 at all is the procedure's (R08), not this condition's
    i, ev = max(tests, key=lambda t: dates.day(t[1]["date"]))
    minimum = ctx.min_approval
    if (ev["excellent"] + ev["competent"]) * minimum.denominator < ev["participants"] * minimum.numerator:
        share = facts.approval(ev)
        yield ctx.finding(
            entry,
            ("evaluations", i),
            "R07",
            f"民主测评（优秀+称职）须不低于参加人数的{facts.fraction_text(minimum)}：{ev['date']} 测评为 "
            f"{ev['excellent'] + ev['competent']}/{ev['participants']}（{float(share):.1%}）",
            "请核对各档票数和参加人数；认可度不够的不能列为后备，" + WAIVE_HINT,
        )


def r08_nominated_inspected_decided(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """由各单位党委（党工委、党组）民主推荐，区委组织部考察、测评后……报区委常委会研究确定。"""
    reserve = entry.data["reserve"]
    if reserve["source"] in ctx.rules["open_sources"]:
        return  # R10
    yield from _procedure(entry, ctx, "R08")
    ref = reserve.get("nomination")
    nominated = ctx.nominated.get(f"registry/nominations/{ref}.yaml") if ref else None
    if nominated is not None and reserve["status"] != vocabulary.TRACKED and entry.data["id"] not in nominated:
        yield ctx.finding(
            entry,
            ("reserve", "nomination"),
            "R08",
            f"民主推荐产生的后备须在推荐结果中：{ref} 的推荐人选里没有{entry.data['name']}（{entry.data['id']}）",
            f"请在 registry/nominations/{ref}.yaml 的 candidates 中加上本人（编号、层级、得票），或改正考察记录",
        )


def r08_evaluated_when_inspected(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """由各单位党委（党工委、党组）民主推荐，区委组织部考察、测评后，形成后备干部人选方案，报区委常委会研究确定。"""
    # the 测评 is a step of the inspection: a person inspected or admitted without one was never put to it, and
    # no waiver of a condition can stand in for a step
    data, reserve = entry.data, entry.data["reserve"]
    if not _checked(entry, ctx) or reserve["status"] == NOMINEE:
        return
    until = reserve.get("entered") or ctx.as_of_text
    if not any(ev["kind"] == "民主测评" and not dates.later(ev["date"], until) for ev in data.get("evaluations") or []):
        yield ctx.finding(
            entry,
            ("reserve", "status"),  # the inspection entry that should hold the 测评
            "R08",
            f"考察时须进行民主测评：{'入库前' if reserve.get('entered') else '记录中'}没有民主测评结果",
            "请区委组织部在考察记录（registry/inspections/<年份>/<单位编号>.yaml）此人条目的 evaluations 中"
            "写明测评时间、参加人数和各档票数",
        )


def r08_steps_in_order(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """由各单位党委（党工委、党组）民主推荐，区委组织部考察、测评后，形成后备干部人选方案，报区委常委会研究确定。"""
    if entry.data["reserve"]["source"] not in ctx.rules["open_sources"]:
        yield from _steps_in_order(entry, ctx, "R08")


def r10_steps_in_order(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """通过公开选拔、竞争上岗等方式产生的人选，同样按考察、测评、报区委常委会研究确定的顺序进行。"""
    if entry.data["reserve"]["source"] in ctx.rules["open_sources"]:
        yield from _steps_in_order(entry, ctx, "R10")


def _steps_in_order(entry: Entry, ctx: Context, code: str) -> Iterator[Finding]:
    # the 民主测评 the admission rests on belongs to the round: on or after its 民主推荐会, not after the 考察
    data, reserve = entry.data, entry.data["reserve"]
    ref = reserve.get("nomination")
    nomination = ctx.nominations.get(f"registry/nominations/{ref}.yaml") if ref else None
    decided = (reserve.get("decision") or {}).get("date")
    named = next((c for c in nomination.data["candidates"] if c["cadre"] == data["id"]), None) if nomination else None
    met = nomination.data["meeting"]["date"] if nomination else ""
    if decided and named and named["level"] != reserve["level"] and dates.later(met, decided):
        decided = None  # in the pool, and put forward at another level in a later round: that round's own steps
    tests = [  # the 民主测评 the admission rests on: the last before the decision (or so far)
        (i, ev["date"])
        for i, ev in enumerate(data.get("evaluations") or [])
        if ev["kind"] == "民主测评" and not (decided and dates.later(ev["date"], decided))
    ]
    test = max(tests, key=lambda t: dates.day(t[1])) if tests else None
    steps = [  # (step, its date, where the date is written), in the order the policy sets
        ("民主推荐会", nomination.data["meeting"]["date"] if nomination else None, ("reserve", "nomination")),
        ("民主测评", test[1] if test else None, ("evaluations", test[0], "date") if test else ()),
        ("考察", (data.get("inspection") or {}).get("date"), ("inspection", "date")),
        ("区委常委会研究确定", decided, ("reserve", "decision", "date")),
    ]
    known = [(name, day, where) for name, day, where in steps if day]
    for i, (name, day, where) in enumerate(known):
        earlier = next(((n, d) for n, d, _ in known[:i] if dates.later(d, day)), None)
        if earlier:
            yield ctx.finding(
                entry,
                where,
                code,
                f"须先{earlier[0]}、后{name}：{name}（{day}）早于{earlier[0]}（{earlier[1]}）",
                "请核对各步骤的日期；程序顺序不能颠倒，也不能例外批准",
            )


def r08_nominated_by_party_org(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """由各单位党委（党工委、党组）民主推荐。"""
    unit = ctx.units.get(entry.data["unit"])
    if unit and unit.get("party_org") and entry.data["nominated_by"] != unit["party_org"]:
        yield ctx.finding(
            entry,
            ("nominated_by",),
            "R08",
            f"民主推荐由本单位党组织组织：{unit['name']}的党组织是「{unit['party_org']}」，"
            f"推荐单位写的是「{entry.data['nominated_by']}」",
            f"请改为「{unit['party_org']}」；党组织名称有变化的，先改 units.yaml 的 party_org",
        )


def r09_excellent_streak(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """年度考核连续三年获优秀的……可按规定程序列入科级后备干部人选。"""
    reserve = entry.data["reserve"]
    if not _checked(entry, ctx) or reserve["source"] != "年度考核连续优秀":
        return
    streak = ctx.rules["excellent_streak"]
    until = int(reserve["entered"][:4]) if reserve.get("entered") else ctx.as_of.year
    grades = {item["year"]: item["grade"] for item in entry.data.get("assessments") or []}
    wrong = [
        f"{year}年度{'为「' + grades[year] + '」' if year in grades else '没有考核结果'}"
        for year in range(until - streak, until)
        if grades.get(year) != "优秀"
    ]
    if wrong:
        yield ctx.finding(
            entry,
            ("assessments",),
            "R09",
            f"以年度考核连续优秀列入的，须{until - streak}–{until - 1}年连续{streak}年优秀：{'，'.join(wrong)}",
            "请核对年度考核结果；不满连续优秀的，应改为其他产生方式（如民主推荐）并履行相应程序",
        )


def r10_open_selection_decided(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """通过公开选拔、公推竞职、竞争上岗及柔性交流、双向挂职等方式产生的人选，同样须经考察并报区委常委会研究确定。"""
    if entry.data["reserve"]["source"] in ctx.rules["open_sources"]:
        yield from _procedure(entry, ctx, "R10")


def r10_source_evidenced(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """在公开选拔、公推竞职、竞争上岗等竞争性选拔中以及“柔性”交流、双向挂职等工作中发现的优秀年轻干部可按规定程序列入后备干部名单。"""
    # the path a person came in by has its evidence on record: the competitive selection (kind, date, result)
    # in the inspection record, or the exchange or 挂职 among the person's practice, before the decision
    data, reserve = entry.data, entry.data["reserve"]
    source, rules = reserve["source"], ctx.rules
    if not _checked(entry, ctx):
        return
    until = (reserve.get("decision") or {}).get("date") or ctx.as_of_text
    if source in rules.get("competitive_sources", ()):
        selection = data.get("selection")
        if not selection:
            yield ctx.finding(
                entry,
                ("reserve", "source"),
                "R10",
                f"以{source}产生的人选须有选拔的记录：考察记录中没有此人的竞争性选拔（selection）",
                "请区委组织部在考察记录此人的条目中写上 selection：选拔方式（kind）、时间（date）、结果（result，如"
                "“笔试、面试综合成绩第一名”）",
            )
        elif (
            selection["kind"] != source
            or dates.later(selection["date"], until)
            or dates.later(data["work_started"], selection["date"])
        ):
            step = "研究确定" if reserve.get("decision") else "核对日期"
            what = (
                f"选拔方式写的是「{selection['kind']}」"
                if selection["kind"] != source
                else f"选拔时间 {selection['date']} 晚于{step}（{until}）"
                if dates.later(selection["date"], until)
                else f"选拔时间 {selection['date']} 早于参加工作（{data['work_started']}）"
            )
            yield ctx.finding(
                entry,
                ("selection",),
                "R10",
                f"以{source}产生的人选，选拔记录须是那次{source}：{what}",
                "请核对选拔方式和时间，使之与产生方式一致",
            )
    kinds = (rules.get("exchange_sources") or {}).get(source)
    if kinds and not any(p["kind"] in kinds and not dates.later(p["from"], until) for p in data.get("practice") or []):
        yield ctx.finding(
            entry,
            ("reserve", "source"),
            "R10",
            f"以{source}产生的人选须有那段经历的记录：实践锻炼（practice）中没有{until}以前开始的{'或'.join(kinds)}",
            f"请在本人记录的 practice 中写上那次{'或'.join(kinds)}（起止时间、锻炼方式、单位、挂任职务）",
        )


def r11_reviewed_every_cycle(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """后备干部实行动态管理，每两年进行调整充实一次。"""
    data = entry.data
    if data["reserve"]["status"] != IN_POOL:
        return
    cycle = ctx.rules["review_cycle_years"]
    due = facts.review_due(data, cycle, ctx.as_of)
    if due and due < ctx.as_of:
        field = "reviewed" if data["reserve"].get("reviewed") else "entered"
        yield ctx.finding(
            entry,
            ("reserve", field),
            "R11",
            f"后备干部每{cycle}年调整一次：上次是 {facts.last_review(data, ctx.as_of)}，"
            f"应在 {due.isoformat()} 前重新审核（截至{ctx.as_of_text}已逾期）",
            "在本轮调整中由区委常委会审核：继续保留的写在决定的 reviewed 中，不再列入的写在 left 中（调整出库和原因）",
            WARNING,
        )


def r11_changed_since_entry(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """建立后备干部动态管理制度，建立淘汰机制。"""
    # after the 常委会 admitted someone: a low grade, a low 测评 or 民主评议, a year with no 年度考核 in the window
    # are for the round to decide (the round plan proposes them out), never silence
    data, reserve = entry.data, entry.data["reserve"]
    if reserve["status"] != IN_POOL or not reserve.get("entered"):
        return
    entered = max(reserve["entered"], reserve.get("reviewed") or "")  # what a review kept them through is settled
    hint = "请在本轮调整中审核：由区委常委会决定继续保留（决定的 reviewed）或调整出库（left：调整出库和原因）"
    low = ctx.low_grades  # read once a run: registry.policy looks through every file
    said = ctx.flagged("assessment_grade", "failing")  # in the window R07 says those already
    window = range(ctx.as_of.year - ctx.rules["assessment_window"], ctx.as_of.year)
    for i, item in enumerate(data.get("assessments") or []):
        if item["grade"] in said and item["year"] in window:
            continue
        if item["grade"] in low and item["year"] >= int(entered[:4]):
            message = f"入库后情况有变化：{item['year']}年度考核为「{item['grade']}」"
            yield ctx.finding(entry, ("assessments", i, "grade"), "R11", message, hint, WARNING)
    minimum = ctx.min_approval
    for i, ev in enumerate(data.get("evaluations") or []):
        if dates.later(ev["date"], entered) and facts.approval(ev) < minimum:
            yield ctx.finding(
                entry,
                ("evaluations", i),
                "R11",
                f"入库后情况有变化：{ev['date']} {ev['kind']}（优秀+称职）为 {ev['excellent'] + ev['competent']}/"
                f"{ev['participants']}（{float(facts.approval(ev)):.1%}），低于{facts.fraction_text(minimum)}",
                hint,
                WARNING,
            )
    missing = _missing_years(data, ctx, since=int(entered[:4]))
    if missing:
        yield ctx.finding(
            entry,
            ("assessments",),
            "R11",
            f"入库后没有{'、'.join(map(str, missing))}年度考核结果",
            "请补上年度考核结果（year、grade）；确未参加考核的，在本轮调整中说明",
            WARNING,
        )


def _missing_years(data: dict, ctx: Context, since: int = 0) -> list[int]:
    """The years of the assessment window (the last N full years, from the year after work began and from
    `since`) with no 年度考核."""
    window = ctx.rules["assessment_window"]
    first = max(ctx.as_of.year - window, int(data["work_started"][:4]) + 1, since)
    held = {item["year"] for item in data.get("assessments") or []}
    # last year's results are due by the month policy.yaml sets: before it, last year is not missing yet
    due = ctx.as_of.month > ctx.rules.get("assessment_results_month", 0)
    return [year for year in range(first, ctx.as_of.year) if year not in held and (due or year < ctx.as_of.year - 1)]


def _procedure(entry: Entry, ctx: Context, code: str) -> Iterator[Finding]:
    """考察 before the decision, and the decision by the body the policy names, whatever the source."""
    reserve, how = entry.data["reserve"], entry.data["reserve"]["source"]
    status = reserve["status"]
    inspection = entry.data.get("inspection")
    if status not in (vocabulary.TRACKED, vocabulary.CANDIDATES[0]) and not inspection:
        yield ctx.finding(
            entry,
            ("reserve", "status"),
            code,
            f"{how}产生的人选须经区委组织部考察：状态是「{status}」，但没有考察情况",
            "请区委组织部在考察记录（registry/inspections/<年份>/<单位编号>.yaml）此人的条目中写上 inspection："
            "考察时间（date）、考察组（by）、考察材料摘要（summary）",
        )
    inspector = ctx.rules.get("inspecting_body")
    # 区委组织部委托（授权、交由、指定）区财政局… is the unit's inspection, not the 组织部's
    handed = any(word in inspection["by"] for word in HANDED) if inspection else False
    if inspection and inspector and (not inspection["by"].startswith(inspector) or handed):
        yield ctx.finding(
            entry,
            ("inspection", "by"),
            code,
            f"人选由{inspector}考察：考察单位写的是「{inspection['by']}」",
            f"考察由{inspector}自己进行，不能委托人选所在单位；请写明{inspector}的考察组，如「{inspector}考察组」",
        )
    if status not in vocabulary.ADMITTED:
        return
    decision, bodies = reserve.get("decision"), ctx.rules["deciding_bodies"]
    if not decision:
        yield ctx.finding(
            entry,
            ("reserve", "status"),
            code,
            f"{how}产生的人选须报{'、'.join(bodies)}研究确定：决定写的是「{status}」（出库），但此人从未被研究确定列入后备",
            f"尚未入库的人选不再考虑时，从考察记录或推荐文件中去掉即可；已由{bodies[0]}列入的，"
            "请把那次决定写进 registry/decisions/<日期>.yaml 的 admitted",
        )
        return
    if decision["body"] not in bodies:
        yield ctx.finding(
            entry,
            ("reserve", "decision", "body"),
            code,
            f"后备干部须由{'、'.join(bodies)}研究确定：决定机关写的是「{decision['body']}」",
            f"请核对决定文件的决定机关（body）；尚未经{'、'.join(bodies)}研究确定的，不要写进决定",
        )


RULES = (
    Check("R01", "cadre", r01_in_service_on_establishment, condition=True),
    Check("R02", "cadre", r02_chief_from_deputy_leaders, condition=True, dated=True),
    Check("R03", "cadre", r03_deputy_years_at_clerk, condition=True, dated=True),
    Check("R04", "cadre", r04_deputy_middle_management, condition=True, dated=True),
    Check("R05", "cadre", r05_college_education, condition=True),
    Check("R06", "cadre", r06_healthy, condition=True),
    Check("R07", "cadre", r07_assessed_and_approved, condition=True, dated=True),
    Check("R08", "cadre", r08_nominated_inspected_decided),
    Check("R08", "cadre", r08_steps_in_order),
    Check("R10", "cadre", r10_steps_in_order),
    Check("R08", "cadre", r08_evaluated_when_inspected),
    Check("R08", "nomination", r08_nominated_by_party_org),
    Check("R09", "cadre", r09_excellent_streak),  # a path in, not a condition: waiving it admits by no path
    Check("R10", "cadre", r10_open_selection_decided),
    Check("R10", "cadre", r10_source_evidenced),
    Check("R11", "cadre", r11_reviewed_every_cycle),
    Check("R11", "cadre", r11_changed_since_entry),
)
