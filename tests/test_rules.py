"""The policy's rules R01–R11 on the demo registry: each rule broken, each edge that must pass, and exceptions.

The demo is loaded once per session; each case edits one record in memory
through its values (conftest.Edits), as a unit's office would, and calls the
checks on the edited registry, asserting the exact messages. A few cases run
`cadres validate` end to end.
"""

import datetime as dt
import re

import pytest

from generator.registry.rules import RULES

from conftest import AS_OF, AS_OF_DATE, change, district_registry, new_lines, validate_lines

CANDIDATE = "che-0031"  # 副职, 民主推荐, 考察 (inspected, not yet decided): judged at the as-of date, 行政编制
CHIEF_CANDIDATE = "che-0030"  # 正职, 民主推荐, 考察
DEPUTY = "cai-0004"  # 副职, 民主推荐, 在库: decided and entered 2025-09-16, 行政编制
CHIEF = "cai-0001"  # 正职, 民主推荐, 在库 since 2023-09-19, 班子副职
INSTITUTION = "dan-0002"  # 副职, 事业编制, 在库 since 2019
STREAK = "min-0006"  # 副职, 年度考核连续优秀, 在库 since 2023-09-19: 2020–2022 优秀
OPEN = "che-0016"  # 副职, 公推竞职, 在库 since 2025-09-16
DECISION_2025 = "registry/decisions/2025-09-16.yaml"  # the 区委常委会's decision of the 2025 round


def about(finding, path, cadre_id) -> bool:
    """A finding on a person: in their own file, or in an act's file at their entry (its message names them)."""
    return finding.path == path or f"（{cadre_id}）：" in finding.message.split("：", 1)[0] + "："


ADVISORY = ("X28", "X29")  # what the flags and the archive hold: warnings beside any rule, asked for by name


def rule_findings(edits, cadre_id, as_of=AS_OF_DATE, advisory=False):
    """The rule and integrity findings (R.., X..) on one person beyond the demo's own, as formatted lines."""
    path = edits.path(cadre_id)
    return [
        f.format()
        for f in edits.findings(as_of)
        if about(f, path, cadre_id) and f.code[0] in "RX" and (advisory or f.code not in ADVISORY)
    ]


def month(offset: int) -> str:
    """The month `offset` months from the as-of month, as YYYY-MM."""
    index = AS_OF_DATE.year * 12 + AS_OF_DATE.month - 1 + offset
    return f"{index // 12}-{index % 12 + 1:02d}"


def clerk_since(months: int):
    """A resume whose only 科员-level service is a running entry begun `months` before the as-of month."""

    def mutate(data):
        data["resume"] = [
            {"from": data["work_started"], "to": month(-months - 1), "post": "区委党校在职研究生学习"},
            {"from": month(-months), "post": "区财政局预算科副科长", "rank": "科员", "middle_management": True},
        ]
        data["employment"]["post_since"] = month(-months)

    return mutate


def _r01(data):
    data["employment"]["in_service"] = False


def _r02(data):
    data["employment"].update(leadership_deputy=False, post="区城管局办公室主任")  # a 中层 post, not 班子副职


def _r04(data):
    for item in data["resume"]:
        item.pop("middle_management", None)


def _r05(data):
    data["education"] = {"full_time": {"level": "中等专科", "school": "合肥财经学校", "major": "会计"}}


def _r06(data):
    data["health"] = "患病"


def _r07(data):
    data["assessments"][-2]["grade"] = "不称职"


def _r08(data):
    data.pop("inspection")


def _r09(data):
    next(a for a in data["assessments"] if a["year"] == 2021)["grade"] = "称职"


def _r10(data):
    data.pop("inspection")


def _decided_before_the_meeting(data):
    data["reserve"]["decision"]["date"] = "2025-06-10"  # the 推荐会 met on 2025-06-20
    data["evaluations"][0]["date"] = "2025-06"  # a 测评 the decision rests on (else R07 says there is none)


def _inspected_after_the_decision(data):
    data["inspection"]["date"] = "2025-10-09"  # decided 2025-09-16


def _r11(data):
    data["reserve"]["reviewed"] = "2024-11-24"


FAILING = {  # conditions on a candidate (judged at the as-of date); the procedure on admitted records
    "r01_in_service_on_establishment": (
        CANDIDATE,
        _r01,
        f"R01 错误 后备干部须是在职在编干部：记录写的是不在职（截至{AS_OF}）",
    ),
    "r02_chief_from_deputy_leaders": (
        CHIEF_CANDIDATE,
        _r02,
        f"R02 错误 正职后备须从单位现任班子副职中推荐：现任「区城管局办公室主任」不是班子副职（截至{AS_OF}）",
    ),
    "r03_deputy_years_at_clerk": (
        CANDIDATE,
        clerk_since(23),
        f"R03 错误 副职后备须任科员级职务2年以上：简历中科员及以上任职累计1年11个月（截至{AS_OF}）",
    ),
    "r04_deputy_middle_management": (
        CANDIDATE,
        _r04,
        f"R04 错误 副职后备须有单位中层岗位工作经历：简历中没有标注为中层岗位的经历（截至{AS_OF}）",
    ),
    "r05_college_education": (
        CANDIDATE,
        _r05,
        f"R05 错误 后备干部必须具有大学专科以上学历：最高学历是「中等专科」（截至{AS_OF}）",
    ),
    "r06_healthy": (CANDIDATE, _r06, f"R06 错误 后备干部须身体健康：健康状况是「患病」（截至{AS_OF}）"),
    "r07_assessed_and_approved": (
        CANDIDATE,
        _r07,
        f"R07 错误 近3年年度考核不能有不合格、不称职等次：2024年度为「不称职」（截至{AS_OF}）",
    ),
    "r08_nominated_inspected_decided": (
        DEPUTY,
        _r08,
        "R08 错误 民主推荐产生的人选须经区委组织部考察：状态是「在库」，但没有考察情况",
    ),
    "r08_evaluated_when_inspected": (
        CANDIDATE,
        lambda d: d.update(evaluations=[]),
        "R08 错误 考察时须进行民主测评：记录中没有民主测评结果",
    ),
    "r08_steps_in_order": (
        DEPUTY,
        _decided_before_the_meeting,
        "R08 错误 须先民主推荐会、后区委常委会研究确定：区委常委会研究确定（2025-06-10）早于民主推荐会（2025-06-20）",
    ),
    "r09_excellent_streak": (
        STREAK,
        _r09,
        "R09 错误 以年度考核连续优秀列入的，须2020–2022年连续3年优秀：2021年度为「称职」",
    ),
    "r10_steps_in_order": (
        OPEN,
        _inspected_after_the_decision,
        "R10 错误 须先考察、后区委常委会研究确定：区委常委会研究确定（2025-09-16）早于考察（2025-10-09）",
    ),
    "r10_open_selection_decided": (
        OPEN,
        _r10,
        "R10 错误 公推竞职产生的人选须经区委组织部考察：状态是「在库」，但没有考察情况",
    ),
    "r10_source_evidenced": (
        OPEN,
        lambda d: d.pop("selection"),
        "R10 错误 以公推竞职产生的人选须有选拔的记录：考察记录中没有此人的竞争性选拔（selection）",
    ),
    "r11_changed_since_entry": (
        DEPUTY,
        lambda d: next(a for a in d["assessments"] if a["year"] == 2025).update(grade="基本称职"),
        "R11 警告 入库后情况有变化：2025年度考核为「基本称职」",
    ),
    "r11_reviewed_every_cycle": (
        CHIEF,
        _r11,
        f"R11 警告 后备干部每2年调整一次：上次是 2024-11-24，应在 2026-11-24 前重新审核（截至{AS_OF}已逾期）",
    ),
}


def short(line: str) -> str:
    """'path:1:2: 错误 [R03] 简历 (resume): message — hint' -> 'R03 错误 message' (a finding in an act's file
    without the person its message starts with)."""
    severity, rest = line.split(": ", 1)[1].split(" [", 1)
    code, rest = rest.split("] ", 1)
    message = rest.split(": ", 1)[1].split(" — ")[0]
    return f"{code} {severity} {re.sub(r'^[^：]*（[a-z0-9-]+）：', '', message)}"


def test_every_rule_has_its_sentence_and_a_failing_case():
    for rule in RULES:
        assert re.fullmatch(r"R[0-9]{2}", rule.code), rule.code
        assert rule.doc and rule.doc.endswith("。"), f"{rule.name}: the policy sentence it enforces"
        cases = FAILING if rule.scope == "cadre" else NOMINATION_FAILING
        assert rule.name in cases, f"{rule.name} has no failing case in its table"
    # which conditions the 常委会 may waive is the policy's to say: the shipped policy lists every condition
    # (R01–R07) and no step or path (R08–R10) or reminder (R11)
    waivable = district_registry().valid_policy["rules"]["waivable"]
    assert sorted(waivable) == sorted({rule.code for rule in RULES if rule.condition})


@pytest.mark.parametrize("name", sorted(FAILING))
def test_rule_fails(edits, name):
    cadre_id, mutate, expected = FAILING[name]
    assert rule_findings(edits, cadre_id) == []
    edits.change(cadre_id, mutate)
    assert [short(line) for line in rule_findings(edits, cadre_id)] == [expected]


def test_the_message_names_file_line_field_and_the_fix(edits):
    edits.change(CANDIDATE, clerk_since(19))
    assert rule_findings(edits, CANDIDATE) == [
        f"{edits.path(CANDIDATE)}:27:1: 错误 [R03] 简历 (resume): 副职后备须任科员级职务2年以上："
        f"简历中科员及以上任职累计1年7个月（截至{AS_OF}） — 请核对简历各段的职级（rank）和起止时间；"
        "确实不满2年的（还差5个月），待满后再推荐，如经区委常委会研究同意破格，"
        "请区委组织部在该次决定（registry/decisions/<日期>.yaml）的 waivers 中写明干部编号、规则编号和理由"
    ]


# -- edges that must pass --------------------------------------------------------


def test_exactly_two_years_at_clerk_level_passes_and_a_running_entry_counts(edits):
    edits.change(CANDIDATE, clerk_since(24))
    assert rule_findings(edits, CANDIDATE) == []


def test_years_at_rank_are_counted_at_the_as_of_date(edits):
    edits.change(CANDIDATE, clerk_since(22))
    assert rule_findings(edits, CANDIDATE) != []
    two_months_on = dt.date(AS_OF_DATE.year + (AS_OF_DATE.month > 10), (AS_OF_DATE.month + 1) % 12 + 1, 25)
    assert rule_findings(edits, CANDIDATE, as_of=two_months_on) == []


def test_closed_entries_count_their_first_and_last_month(edits):
    def mutate(data):
        data["resume"] = [
            {"from": data["work_started"], "to": "2018-12", "post": "学习"},
            {
                "from": "2019-01",
                "to": "2020-12",
                "post": "区财政局预算科副科长",
                "rank": "科员",
                "middle_management": True,
            },
            {"from": "2021-01", "post": "区委党校在职研究生学习"},
        ]
        data["employment"]["post_since"] = "2021-01"  # the running entry is the current post

    edits.change(CANDIDATE, mutate)  # 2019-01 .. 2020-12 is exactly 24 months
    assert rule_findings(edits, CANDIDATE) == []


def test_an_in_service_degree_lifts_education_to_college(edits):
    def mutate(data):
        _r05(data)
        data["education"]["in_service"] = {"level": "大学专科", "school": "安徽广播电视大学", "major": "行政管理"}

    edits.change(CANDIDATE, mutate)
    assert rule_findings(edits, CANDIDATE) == []


def test_an_institution_grade_he_ge_is_not_failing(edits):
    def mutate(data):
        assert data["employment"]["establishment"] == "事业编制"
        data["assessments"][-1]["grade"] = "合格"

    edits.change(INSTITUTION, mutate)
    assert rule_findings(edits, INSTITUTION) == []
    edits.change(INSTITUTION, lambda d: d["assessments"][-1].update(grade="不合格"))
    assert [short(x) for x in rule_findings(edits, INSTITUTION)] == [
        "R07 警告 入库后情况有变化：近3年年度考核不能有不合格、不称职等次：2025年度为「不合格」（截至2026-11-25）"
    ]


def test_a_failing_grade_before_the_window_does_not_count(edits):
    edits.change(
        CANDIDATE,
        lambda d: next(a for a in d["assessments"] if a["year"] == AS_OF_DATE.year - 4).update(grade="不称职"),
    )
    assert rule_findings(edits, CANDIDATE) == []


def test_two_thirds_exactly_is_enough_one_vote_less_is_not(edits):
    def votes(good):
        def mutate(data):
            data["evaluations"][0].update(
                participants=30, excellent=good - 5, competent=5, basic=30 - good, incompetent=0
            )

        return mutate

    edits.change(CANDIDATE, votes(20))
    assert rule_findings(edits, CANDIDATE) == []
    edits.change(CANDIDATE, votes(19))
    assert [short(x) for x in rule_findings(edits, CANDIDATE)] == [
        "R07 错误 民主测评（优秀+称职）须不低于参加人数的三分之二：2026-06 测评为 19/30（63.3%）（截至2026-11-25）"
    ]


def test_a_probationary_party_member_passes(edits):
    def mutate(data):
        data["political_status"] = "中共预备党员"
        data["party_joined"] = "2026-06"

    edits.change(CANDIDATE, mutate)
    assert rule_findings(edits, CANDIDATE) == []
    edits.change(CANDIDATE, lambda d: d.pop("party_joined"))
    assert [(f.code, f.field) for f in edits.findings()] == [("S07", "party_joined")]


def test_three_excellent_years_with_a_gap_are_not_a_streak(edits):
    def mutate(data):
        data["assessments"] = [a for a in data["assessments"] if a["year"] != 2021]
        next(a for a in data["assessments"] if a["year"] == 2019)["grade"] = "优秀"

    edits.change(STREAK, mutate)
    assert [short(x) for x in rule_findings(edits, STREAK)] == [
        "R09 错误 以年度考核连续优秀列入的，须2020–2022年连续3年优秀：2021年度没有考核结果"
    ]


def test_a_review_on_the_due_day_is_not_overdue(edits):
    edits.change(CHIEF, lambda d: d["reserve"].update(reviewed="2024-11-25"))
    assert rule_findings(edits, CHIEF) == []


def test_a_nominated_cadre_must_be_in_the_nomination(edits):
    path = "registry/nominations/2023/caizheng.yaml"
    edits.write(path, "".join(ln for ln in edits.read(path).splitlines(keepends=True) if "cai-0005" not in ln))
    name = edits.change("cai-0005", lambda d: None)["name"]
    assert [short(x) for x in rule_findings(edits, "cai-0005")] == [
        f"R08 错误 民主推荐产生的后备须在推荐结果中：2023/caizheng 的推荐人选里没有{name}（cai-0005）"
    ]


def test_a_nomination_file_with_errors_is_not_called_missing(edits):
    path = "registry/nominations/2025/caizheng.yaml"
    edits.write(path, "".join(ln for ln in edits.read(path).splitlines(keepends=True) if DEPUTY not in ln))
    assert [(f.path, f.code, f.message) for f in edits.findings()] == [(path, "S02", "不能为空")]  # candidates is empty


def test_the_decision_comes_from_the_named_body_after_the_inspection(edits):
    def mutate(data):
        data["reserve"]["decision"].update(body="区财政局党组", date="2025-06-01")
        data["evaluations"][0]["date"] = "2025-06"

    edits.change(DEPUTY, mutate)
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R08 错误 后备干部须由区委常委会研究确定：决定机关写的是「区财政局党组」",
        "R08 错误 须先民主推荐会、后区委常委会研究确定：区委常委会研究确定（2025-06-01）早于民主推荐会（2025-06-20）",
    ]


def test_rules_do_not_judge_tracked_talent_or_leavers_by_todays_conditions(edits):
    for status in ("关注", "已使用", "调整出库"):
        cadre_id = next(e.data["id"] for e in district_registry().cadres if e.data["reserve"]["status"] == status)
        edits.change(cadre_id, _r06)
        assert rule_findings(edits, cadre_id) == []


# -- exceptions --------------------------------------------------------------------


def waive(rule, date="2025-09-16"):
    def mutate(data):
        data.setdefault("exceptions", []).append(
            {"rule": rule, "reason": "因病治疗后已康复，经研究同意列入", "decided_by": "区委常委会", "date": date}
        )

    return mutate


def test_a_recorded_exception_waives_the_rule_and_is_listed(project, cadres):
    change(project, DEPUTY, _r06)
    change(project, DEPUTY, waive("R06"))
    status, lines = validate_lines(cadres, project)
    assert status == 0
    (line,) = new_lines(lines)
    assert short(line) == "R06 例外 后备干部须身体健康：健康状况是「患病」（按 2025-09-16 区委常委会研究确定时的情况）"
    assert line.endswith(f"已由区委常委会于 2025-09-16 批准例外（{DECISION_2025}）：因病治疗后已康复，经研究同意列入")
    assert lines[-1] == "共 0 个错误，3 个警告，2 项已批准例外。"


def test_an_exception_waives_only_its_own_rule(edits):
    edits.change(DEPUTY, _r06)
    edits.change(DEPUTY, _r02)  # not a rule for a 副职: nothing
    edits.change(DEPUTY, _r01)
    edits.change(DEPUTY, waive("R06"))
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R06 例外 后备干部须身体健康：健康状况是「患病」（按 2025-09-16 区委常委会研究确定时的情况）",
        "R01 错误 后备干部须是在职在编干部：记录写的是不在职（按 2025-09-16 区委常委会研究确定时的情况）",
    ]


def test_an_exception_for_a_rule_the_record_keeps_is_stale(edits):
    edits.change(DEPUTY, waive("R06"))
    line = (
        edits.read(DECISION_2025)
        .splitlines()
        .index("  - {cadre: cai-0004, rule: R06, reason: 因病治疗后已康复，经研究同意列入}")
    )
    assert rule_findings(edits, DEPUTY) == [
        f"{DECISION_2025}:{line + 1}:23: 警告 [X14] 例外批准第2条·规则编号 (waivers[1].rule): 毛睿涛（cai-0004）："
        f"例外批准针对 R06，但本记录并不违反 R06（截至{AS_OF}） — 条件已经具备的，请删除这条例外批准；否则请核对规则编号"
    ]


def test_consistency_cannot_be_waived(edits):
    edits.change(DEPUTY, waive("R12"))
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == ["X14 错误 规则「R12」不能例外批准"]


CANDIDATE = "che-0031"  # 考察: inspected, not yet decided


def test_an_exception_decided_after_the_as_of_date_does_not_apply_yet(edits):
    edits.change(CANDIDATE, _r06)
    edits.change(CANDIDATE, waive("R06", date="2026-10-01"))
    assert [short(x) for x in rule_findings(edits, CANDIDATE, as_of=dt.date(2026, 9, 30))] == [
        "R06 错误 后备干部须身体健康：健康状况是「患病」（截至2026-09-30）"
    ]
    future = [
        f.format() for f in edits.findings(dt.date(2026, 9, 30)) if f.path == "registry/decisions/2026-10-01.yaml"
    ]
    assert [short(x) for x in future] == ["R12 错误 「2026-10-01」晚于核对日期 2026-09-30"]
    assert [short(x) for x in rule_findings(edits, CANDIDATE, as_of=dt.date(2026, 10, 1))] == [
        "R06 例外 后备干部须身体健康：健康状况是「患病」（截至2026-10-01）"
    ]


def test_a_waiver_counts_only_on_or_before_the_decision_that_admitted_the_person(edits):
    edits.change(DEPUTY, _r06)
    edits.change(DEPUTY, waive("R06", date="2025-09-16"))  # in the 常委会's decision that admitted the person
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R06 例外 后备干部须身体健康：健康状况是「患病」（按 2025-09-16 区委常委会研究确定时的情况）"
    ]
    edits.change(DEPUTY, lambda d: d["exceptions"][0].update(date="2025-09-27"))  # a meeting a day after it
    assert rule_findings(edits, DEPUTY) == [
        f"{edits.path(DEPUTY)}:11:1: 错误 [R06] 健康状况 (health): 后备干部须身体健康：健康状况是「患病」"
        "（按 2025-09-16 区委常委会研究确定时的情况） — 视为健康的填法：健康、良好；如经区委常委会研究同意破格，"
        "请区委组织部在该次决定（registry/decisions/<日期>.yaml）的 waivers 中写明干部编号、规则编号和理由",
        "registry/decisions/2025-09-27.yaml:2:1: 错误 [X14] 决定日期 (date): 毛睿涛（cai-0004）："
        "例外须在研究确定入库时（2025-09-16）或之前批准：批准日期写的是 2025-09-27 — "
        "这条例外不生效，R06 仍按错误处理；请核对批准机关和日期",
    ]


def test_only_a_deciding_body_may_waive(edits):
    edits.change(DEPUTY, _r05)
    edits.change(DEPUTY, waive("R05"))
    edits.change(DEPUTY, lambda d: d["exceptions"][0].update(decided_by="区财政局党组"))
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R05 错误 后备干部必须具有大学专科以上学历：最高学历是「中等专科」（按 2025-09-16 区委常委会研究确定时的情况）",
        "X14 错误 例外只能由区委常委会批准：写的是「区财政局党组」",
    ]


@pytest.mark.parametrize(("rule", "mutate"), [("R08", _r08), ("R10", _r10)])
def test_the_procedure_can_never_be_waived(edits, rule, mutate):
    cadre = OPEN if rule == "R10" else DEPUTY
    edits.change(cadre, mutate)
    edits.change(cadre, waive(rule))
    found = [short(x) for x in rule_findings(edits, cadre)]
    assert f"X14 错误 规则「{rule}」不能例外批准" in found
    assert any(line.startswith(f"{rule} 错误 ") for line in found), found


# -- the procedure in order, by the right actors ----------------------------------------------

# meeting 2025-06-20; cai-0004 测评 2025-07, inspected 2025-08, decided and entered 2025-09-16
NOMINATION_2025 = "registry/nominations/2025/caizheng.yaml"
NOMINATION_FAILING = {
    "r08_nominated_by_party_org": (
        NOMINATION_2025,
        ("nominated_by: 区财政局党组", "nominated_by: 区财政局办公室"),
        f"{NOMINATION_2025}:3:1: 错误 [R08] 推荐党组织 (nominated_by): 民主推荐由本单位党组织组织："
        "区财政局的党组织是「区财政局党组」，推荐单位写的是「区财政局办公室」 — "
        "请改为「区财政局党组」；党组织名称有变化的，先改 units.yaml 的 party_org",
    ),
}


@pytest.mark.parametrize("name", sorted(NOMINATION_FAILING))
def test_nomination_rule_fails(edits, name):
    path, (old, new), expected = NOMINATION_FAILING[name]
    edits.edit(path, old, new)
    assert [f.format() for f in edits.findings() if f.path == path] == [expected]


def test_the_decision_cannot_come_before_the_nomination_meeting(edits):
    edits.change(DEPUTY, _decided_before_the_meeting)
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R08 错误 须先民主推荐会、后区委常委会研究确定：区委常委会研究确定（2025-06-10）早于民主推荐会（2025-06-20）",
    ]


def test_an_entry_before_its_nomination_round_is_an_error(edits):
    edits.change(CHIEF, lambda d: d["reserve"].update(nomination="2025/caizheng"))
    found = [short(x) for x in rule_findings(edits, CHIEF)]
    assert (
        "R08 错误 须先民主推荐会、后区委常委会研究确定：区委常委会研究确定（2023-09-19）早于民主推荐会（2025-06-20）"
        in found
    ), found


def test_steps_on_the_same_day_or_month_are_in_order(edits):
    def same_month(data):
        data["evaluations"][0]["date"] = data["inspection"]["date"] = "2025-06"  # the month of the 推荐会 (06-20)
        data["reserve"]["decision"]["date"] = data["reserve"]["entered"] = "2025-06-20"

    edits.change(DEPUTY, same_month)
    assert rule_findings(edits, DEPUTY) == []


def test_the_inspection_is_by_the_org_department(edits):
    edits.change(DEPUTY, lambda d: d["inspection"].update(by="区财政局办公室"))
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == [
        "R08 错误 人选由区委组织部考察：考察单位写的是「区财政局办公室」"
    ]
    edits.change(OPEN, lambda d: d["inspection"].update(by="区财政局办公室"))
    assert [short(x) for x in rule_findings(edits, OPEN)] == [
        "R10 错误 人选由区委组织部考察：考察单位写的是「区财政局办公室」"
    ]


# -- judged when admitted, and again now -------------------------------------------------------


def test_a_person_admitted_against_the_rules_stays_an_error(edits):
    """A 副职 admitted on 2025-09-16 with 15 months at 科员 level: an error then, and still one a year later."""

    def fifteen_months_when_admitted(data):
        data["resume"] = [
            {"from": data["work_started"], "to": "2024-05", "post": "区委党校在职研究生学习"},
            {"from": "2024-06", "post": "区财政局预算科副科长", "rank": "科员", "middle_management": True},
        ]
        data["employment"]["post_since"] = "2024-06"

    edits.change(DEPUTY, fifteen_months_when_admitted)
    expected = [  # judged on the 常委会's day, and said so
        "R03 错误 副职后备须任科员级职务2年以上：简历中科员及以上任职累计1年3个月（按 2025-09-16 区委常委会研究确定时的情况）"
    ]
    assert [short(x) for x in rule_findings(edits, DEPUTY, as_of=dt.date(2025, 10, 1)) if "[R03]" in x] == expected
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == expected  # 2026-11-25: 2 years 5 months by now


def test_a_failing_grade_before_admission_is_judged_at_the_admission(edits):
    edits.change(DEPUTY, lambda d: next(a for a in d["assessments"] if a["year"] == 2022).update(grade="不称职"))
    expected = [
        "R07 错误 近3年年度考核不能有不合格、不称职等次：2022年度为「不称职」（按 2025-09-16 区委常委会研究确定时的情况）"
    ]
    assert [short(x) for x in rule_findings(edits, DEPUTY, as_of=dt.date(2025, 10, 1)) if "[R07]" in x] == expected
    assert [short(x) for x in rule_findings(edits, DEPUTY)] == expected  # out of today's window, not forgotten


def test_what_changed_after_admission_is_a_warning_that_asks_for_the_review(edits):
    edits.change(DEPUTY, lambda d: next(a for a in d["assessments"] if a["year"] == 2025).update(grade="不称职"))
    assert rule_findings(edits, DEPUTY) == [
        f"{edits.path(DEPUTY)}:39:18: 警告 [R07] 年度考核第9条·等次 (assessments[8].grade): "
        "入库后情况有变化：近3年年度考核不能有不合格、不称职等次：2025年度为「不称职」（截至2026-11-25） — "
        "请在本轮调整中审核：已不符合条件的，由区委常委会决定出库（决定的 left：调整出库和原因）；记录填错的请改正"
    ]
    # on 2025-12-31 the 2025 assessment is not yet among the last three years
    assert [x for x in rule_findings(edits, DEPUTY, as_of=dt.date(2025, 12, 31)) if "[R07]" in x] == []


def test_a_leadership_deputy_below_the_deputy_rank_is_questioned(edits):
    edits.change(CHIEF_CANDIDATE, lambda d: d["employment"].update(rank="科员"))
    assert [short(x) for x in rule_findings(edits, CHIEF_CANDIDATE)] == [
        f"R02 错误 单位班子副职一般为副科级以上：记录写的是班子副职，职级却是「科员」（截至{AS_OF}）"
    ]
    edits.change(CHIEF_CANDIDATE, lambda d: d["employment"].update(rank="副科级"))
    assert rule_findings(edits, CHIEF_CANDIDATE) == []


def test_years_at_rank_count_the_day_where_the_resume_gives_it(edits):
    def since(day):
        def mutate(data):
            data["resume"] = [
                {"from": data["work_started"], "to": "2024-10", "post": "区委党校在职研究生学习"},
                {"from": day, "post": "区财政局预算科副科长", "rank": "科员", "middle_management": True},
            ]
            data["employment"]["post_since"] = day[:7]

        return mutate

    edits.change(CANDIDATE, since("2024-11-26"))  # two years complete on 2026-11-26: one day short
    assert [short(x) for x in rule_findings(edits, CANDIDATE)] == [
        f"R03 错误 副职后备须任科员级职务2年以上：简历中科员及以上任职累计1年11个月（截至{AS_OF}）"
    ]
    edits.change(CANDIDATE, since("2024-11-25"))  # two years complete on the as-of day
    assert rule_findings(edits, CANDIDATE) == []
