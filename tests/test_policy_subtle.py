"""Issue 24: the policy where it is subtle. Each class is a table of must-flag cases and of controls that must
stay clean. Each case is a small record built in the test (tests/small.py: a 副职 and a 正职 in the pool, one who
came in by a 公推竞职, a candidate of the current round), changed in one value and checked as the registry would
be, in memory; the cases that are about the demo's own files (nominations of two units, policy.yaml, the watch
list) edit those files.
"""

import pytest
import small
from small import candidate, chief, deputy, open_selected

from conftest import AS_OF_DATE

NOMINATION = "registry/nominations/2025/chengdong.yaml"  # 城东街道's 2025 round (meeting 2025-06)


def said(build, mutate, codes=("R", "X"), leave=("X28", "X29")) -> list[str]:
    """What the checks say about a small record built by `build` and changed by `mutate`: 'R03 错误 message'."""
    person = build()
    mutate(person)
    return [f for f in small.findings(person) if f[0] in codes and f.split()[0] not in leave]


def _evaluated(date):
    def mutate(data):
        data["evaluations"][0]["date"] = date

    return mutate


def _inspected_by(body):
    def mutate(data):
        data["inspection"]["by"] = body

    return mutate


# cai-0004: 推荐会 2025-06-20, 测评 2025-07, 考察 2025-08, decided 2025-09-16
NOMINATION_INTEGRITY = {
    "the 测评 before the round's 推荐会": (
        _evaluated("2025-05"),
        ["R08 错误 须先民主推荐会、后民主测评：民主测评（2025-05）早于民主推荐会（2025-06-20）"],
    ),
    "the 测评 after the 考察": (
        _evaluated("2025-09-01"),
        ["R08 错误 须先民主测评、后考察：考察（2025-08）早于民主测评（2025-09-01）"],
    ),
    "an inspection the 组织部 handed to the unit": (
        _inspected_by("区委组织部委托区财政局党组"),
        ["R08 错误 人选由区委组织部考察：考察单位写的是「区委组织部委托区财政局党组」"],
    ),
    "control: the 测评 in the month of the 推荐会": (_evaluated("2025-06"), []),
    "control: the 测评 in the month of the 考察": (_evaluated("2025-08"), []),
    "control: the 组织部's own 考察组": (_inspected_by("区委组织部干部考察组"), []),
}


@pytest.mark.parametrize("case", sorted(NOMINATION_INTEGRITY))
def test_nomination_integrity(case):
    mutate, expected = NOMINATION_INTEGRITY[case]
    assert said(deputy, mutate) == expected


@pytest.mark.parametrize(
    "who, codes",
    [
        ("cai-0001", {"X06"}),  # in the pool, of 区财政局: not 城东街道's to nominate
        ("cai-0004", {"X06", "X25"}),  # 区财政局's candidate of this very round: one unit, one nomination
    ],
)
def test_a_nomination_lists_only_its_units_people_once_a_round(edits, who, codes):
    text = edits.read(NOMINATION)
    edits.write(NOMINATION, text.rstrip("\n") + f"\n  - {{cadre: {who}, level: 副职, votes: 30}}\n")
    found = {f.code for f in edits.findings(AS_OF_DATE) if f.path == NOMINATION}
    assert found == codes


# -- 8. a bad policy.yaml is a finding, not an internal error -------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            'min_approval: "2/3"',
            "min_approval: 三分之二以上",
            "registry/policy.yaml:{line}:3: 错误 [S05] 选备条件参数·民主测评最低认可率 (rules.min_approval): "
            "格式不对：「三分之二以上」",
        ),
        (
            "review_cycle_years: 2 ",
            "review_cycle_years: 两年 ",
            "registry/policy.yaml:{line}:3: 错误 [S03] 选备条件参数·调整周期（年） (rules.review_cycle_years): "
            "应为整数，这里是「两年」",
        ),
    ],
)
def test_a_bad_policy_value_is_reported_like_any_file(project, cadres, old, new, expected):
    path = project / "registry" / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    expected = expected.format(line=text[: text.index(old)].count("\n") + 1)
    path.write_text(text.replace(old, new), encoding="utf-8")
    status, lines, err = cadres(project, "validate")
    assert status == 1 and "程序内部错误" not in err, err
    assert [ln.split(" — ")[0] for ln in lines if "错误" in ln and "policy.yaml" in ln] == [expected], lines
    assert lines[-1] == "共 1 个错误，0 个警告。"


# -- 3. the yes/no flags checked against the posts (X28, from schemas/post_words.yaml) --------------------------


def _post(post, deputy=None):
    def mutate(data):
        data["employment"]["post"] = post
        if deputy is not None:
            data["employment"]["leadership_deputy"] = deputy

    return mutate


def _middle_on(i, post):
    def mutate(data):
        data["resume"][i].update(post=post, middle_management=True)

    return mutate


# cai-0004: 区财政局业务科科长, not 班子副职; cai-0001: 区财政局副局长, 班子副职
FLAGS = {
    "a 科长 marked 班子副职": (
        deputy,
        _post("区财政局业务科科长", deputy=True),
        ["X28 警告 记录写的是现任班子副职，现任职务「区财政局业务科科长」却是科长"],
    ),
    "a 副局长 not marked 班子副职": (
        chief,
        _post("区财政局副局长", deputy=False),
        ["X28 警告 现任职务「区财政局副局长」是副局长，记录却写的不是现任班子副职"],
    ),
    "中层 on a 科员 post": (
        deputy,
        _middle_on(0, "区财政局业务科科员"),
        ["X28 警告 简历这一段标为中层岗位，职务「区财政局业务科科员」却是科员"],
    ),
    "control: a 班子副职 who is 党组成员、副局长": (chief, _post("区财政局党组成员、副局长"), []),
    "control: 中层 on a 办公室主任 post": (deputy, _middle_on(0, "区财政局办公室主任"), []),
    "control: 一级主任科员 is a rank, not a 主任": (
        deputy,
        _post("区财政局业务科科长（一级主任科员）"),
        [],
    ),
    "control: 中层 on a 科长 post with a rank word": (
        deputy,
        _middle_on(0, "区财政局业务科科长、四级主任科员"),
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(FLAGS))
def test_flags_against_posts(case):
    build, mutate, expected = FLAGS[case]
    assert said(build, mutate, codes=("X",), leave=("X29",)) == expected


# -- 4. life after admission ----------------------------------------------------------------------------------


def _graded(year, grade):
    def mutate(data):
        next(a for a in data["assessments"] if a["year"] == year)["grade"] = grade

    return mutate


def _no_year(year):
    def mutate(data):
        data["assessments"] = [a for a in data["assessments"] if a["year"] != year]

    return mutate


def _evaluated_after(kind, excellent, competent, participants=30):
    def mutate(data):
        data["evaluations"].append(
            {
                "date": "2026-06",
                "kind": kind,
                "participants": participants,
                "excellent": excellent,
                "competent": competent,
                "basic": participants - excellent - competent,
                "incompetent": 0,
            }
        )

    return mutate


def _left_leadership(since):
    def mutate(data):  # the new post, in the record and in the 简历
        data["employment"].update(leadership_deputy=False, post="区财政局二级调研员", post_since=since)
        if since > data["resume"][-1]["from"]:
            data["resume"][-1]["to"] = f"{int(since[:4]) - (since[5:7] == '01')}-{(int(since[5:7]) - 2) % 12 + 1:02d}"
            data["resume"].append({"from": since, "post": "区财政局二级调研员", "rank": "副科级"})
        else:
            data["resume"][-1]["post"] = "区财政局二级调研员"

    return mutate


AFTER_ADMISSION = {
    "a 基本称职 year after entry": (
        deputy,
        _graded(2025, "基本称职"),
        ["R11 警告 入库后情况有变化：2025年度考核为「基本称职」"],
    ),
    "a low 民主评议 after entry": (
        deputy,
        _evaluated_after("民主评议", 5, 10),
        ["R11 警告 入库后情况有变化：2026-06 民主评议（优秀+称职）为 15/30（50.0%），低于三分之二"],
    ),
    "a year with no 年度考核 since entry": (deputy, _no_year(2025), ["R11 警告 入库后没有2025年度考核结果"]),
    "a candidate with a year missing in the window": (
        candidate,
        _no_year(2024),
        ["R07 警告 近3年年度考核须有结果：没有2024年度考核结果（截至2026-11-25）"],
    ),
    "a 正职 who left the 班子 post after admission": (
        chief,
        _left_leadership("2025-03"),
        [
            "R02 警告 入库后情况有变化：正职后备须从单位现任班子副职中推荐：现任「区财政局二级调研员」不是班子副职"
            "（截至2026-11-25）"
        ],
    ),
    "a 正职 who was not in a 班子 post when admitted": (
        chief,
        _left_leadership("2022-06"),
        [
            "R02 错误 正职后备须从单位现任班子副职中推荐：现任「区财政局二级调研员」不是班子副职"
            "（按 2023-09-19 区委常委会研究确定时的情况）"
        ],
    ),
    "control: 称职 after entry": (deputy, _graded(2025, "称职"), []),
    "control: a 民主评议 after entry at two thirds": (deputy, _evaluated_after("民主评议", 10, 10), []),
}


@pytest.mark.parametrize("case", sorted(AFTER_ADMISSION))
def test_life_after_admission(case):
    build, mutate, expected = AFTER_ADMISSION[case]
    assert said(build, mutate) == expected


# -- 5. dates at the precision they are given -------------------------------------------------------------------


def _day_dated_clerk(first_to, second_from, running_from=None):
    """A candidate's 科员-level service as two day-dated entries (a mid-month change between them)."""

    def mutate(data):
        data["resume"] = [
            {"from": data["work_started"], "to": "2024-11-24", "post": "区委党校在职研究生学习"},
            {"from": "2024-11-25", "to": first_to, "post": "区财政局预算科科员", "rank": "科员"},
            {
                "from": second_from,
                "post": "区财政局预算科副科长",
                "rank": "科员",
                "middle_management": True,
            },
        ]
        data["employment"]["post_since"] = second_from

    return mutate


DATES = {
    # 2024-11-25 .. 2025-06-14, then 2025-06-15 .. as of 2026-11-25: exactly two years over two entries
    "exactly two years over two day-dated entries": (_day_dated_clerk("2025-06-14", "2025-06-15"), []),
    "a day short of two years": (
        _day_dated_clerk("2025-06-14", "2025-06-16"),
        ["R03 错误 副职后备须任科员级职务2年以上：简历中科员及以上任职累计1年11个月（截至2026-11-25）"],
    ),
}


@pytest.mark.parametrize("case", sorted(DATES))
def test_dates_at_their_precision(case):
    mutate, expected = DATES[case]
    assert said(candidate, mutate) == expected
    if expected:  # a day short is said as the day it is met, never as 还差1个月
        person = candidate()
        mutate(person)
        hint = next(f.hint for f in small.check(small.district(person), AS_OF_DATE) if f.code == "R03")
        assert "2026-11-26 满2年" in hint and "还差1个月" not in hint


def test_a_waiver_dated_by_month_in_the_decisions_month_is_on_or_before_it():
    from generator.registry import facts

    data = {"reserve": {"decision": {"date": "2025-09-16"}}}
    assert facts.waiver_problem(data, {"decided_by": "区委常委会", "date": "2025-09"}, ["区委常委会"]) is None
    data = {"reserve": {"decision": {"date": "2025-09"}}}
    assert facts.waiver_problem(data, {"decided_by": "区委常委会", "date": "2025-09-20"}, ["区委常委会"]) is None
    problem = facts.waiver_problem(data, {"decided_by": "区委常委会", "date": "2025-10-02"}, ["区委常委会"])
    assert problem is not None and problem[0] == "date"


# -- 2. the second path needs its evidence ------------------------------------------------------------------------


def _no_selection(data):
    data.pop("selection")


def _selection(**values):
    def mutate(data):
        data["selection"].update(values)

    return mutate


def _came_by(source, practice=None):
    def mutate(data):
        data["reserve"]["source"] = source
        data.pop("selection", None)
        data["practice"] = practice or []

    return mutate


PLACEMENT = {"from": "2024-03", "to": "2025-02", "kind": "挂职", "place": "南岗镇", "post": "党委副书记（挂职）"}
SECOND_PATH = {
    "a 公推竞职 with no selection on record": (
        open_selected,
        _no_selection,
        ["R10 错误 以公推竞职产生的人选须有选拔的记录：考察记录中没有此人的竞争性选拔（selection）"],
    ),
    "a selection of another kind": (
        open_selected,
        _selection(kind="竞争上岗"),
        ["R10 错误 以公推竞职产生的人选，选拔记录须是那次公推竞职：选拔方式写的是「竞争上岗」"],
    ),
    "a selection after the decision": (
        open_selected,
        _selection(date="2025-10"),
        ["R10 错误 以公推竞职产生的人选，选拔记录须是那次公推竞职：选拔时间 2025-10 晚于研究确定（2025-09-16）"],
    ),
    "a 双向挂职 with no placement on record": (
        open_selected,
        _came_by("双向挂职"),
        ["R10 错误 以双向挂职产生的人选须有那段经历的记录：实践锻炼（practice）中没有2025-09-16以前开始的挂职"],
    ),
    "control: a 双向挂职 with its placement": (open_selected, _came_by("双向挂职", [PLACEMENT]), []),
    "control: a 柔性交流 with a 柔性流动": (
        open_selected,
        _came_by("柔性交流", [dict(PLACEMENT, kind="柔性流动")]),
        [],
    ),
    "control: the selection as recorded": (open_selected, _selection(date="2025-04"), []),
}


@pytest.mark.parametrize("case", sorted(SECOND_PATH))
def test_the_second_path_needs_its_evidence(case):
    build, mutate, expected = SECOND_PATH[case]
    assert said(build, mutate) == expected


def test_the_streak_cannot_be_waived_into_a_path_in():
    """R09 is how a person comes in without a 民主推荐: waiving it would admit by no path of the policy."""

    def broken_streak(data):  # admitted 2023-09-19 by the streak, which 2021 breaks, and the streak waived
        data["reserve"].update(source="年度考核连续优秀", entered="2023-09-19")
        data["reserve"]["decision"] = dict(data["reserve"]["decision"], date="2023-09-19")
        data["reserve"].pop("nomination")
        data["assessments"] = [
            dict(a, grade="优秀" if a["year"] in (2020, 2022) else "称职") for a in data["assessments"]
        ]
        data["evaluations"] = [dict(data["evaluations"][0], date="2023-08")]
        data["inspection"]["date"] = "2023-08"
        data["exceptions"] = [{"rule": "R09", "reason": "特殊人才", "decided_by": "区委常委会", "date": "2023-09-19"}]

    found = said(deputy, broken_streak)
    assert any(line.startswith("R09 错误 以年度考核连续优秀列入的，须2020–2022年连续3年优秀") for line in found), found
    assert any(line.startswith("X14 错误") for line in found), found  # the waiver is said not to count


# -- 9. the 能力实绩档案 and 跟踪了解 ---------------------------------------------------------------------------


def _without(*keys):
    def mutate(data):
        for key in keys:
            data.pop(key, None)

    return mutate


ARCHIVE = {
    "no 培养方案": (deputy, _without("development_plan"), ["X29 警告 能力实绩档案缺少培养方案"]),
    "no training, practice or 奖惩": (
        deputy,
        _without("training", "practice", "rewards_punishments"),
        ["X29 警告 能力实绩档案缺少培养和奖惩情况"],
    ),
    "control: a 公推竞职 has no 民主推荐 to hold": (open_selected, _without(), []),
    "control: a candidate is not yet in the archive": (candidate, _without("development_plan"), []),
}


@pytest.mark.parametrize("case", sorted(ARCHIVE))
def test_the_archive_holds_its_six_contents(case):
    build, mutate, expected = ARCHIVE[case]
    assert said(build, mutate, codes=("X",), leave=("X28",)) == expected


def test_the_watch_list_gives_each_person_a_category_and_a_dated_log(edits):
    path = "registry/watch.yaml"
    text = edits.read(path)
    assert "category: “柔性”交流人员" in text and "log:" in text  # the demo's, as schemas/watch.yaml allows
    edits.write(path, text.replace("category: “柔性”交流人员", "category: 借调人员", 1))
    found = [f for f in edits.findings(AS_OF_DATE) if f.path == path]
    assert [(f.code, f.field) for f in found] == [("S04", "watched[0].category")], [f.format() for f in found]


def test_a_pool_member_put_forward_at_another_level_is_judged_by_the_new_rounds_own_steps(edits):
    """提拔为正职后备, half way: the 2026 nomination and inspection at 正职 are written, the decision not yet; the
    2019 decision that admitted the 副职 is not held against the 2026 推荐会."""
    person = "che-0013"  # 副职, in the pool since 2019 (区城管局)
    nomination = "registry/nominations/2026/chengguan.yaml"
    edits.write(
        nomination,
        edits.read(nomination).replace(
            "candidates:\n", f"candidates:\n  - {{cadre: {person}, level: 正职, votes: 30}}\n"
        ),
    )
    inspection = "registry/inspections/2026/chengguan.yaml"
    entry = (
        f"  - cadre: {person}\n    source: 民主推荐\n    level: 正职\n    track: 近期备用\n    evaluations:\n"
        '      - {date: "2026-06", kind: 民主测评, participants: 40, excellent: 25, competent: 12, basic: 3, incompetent: 0}\n'
        '    inspection: {date: "2026-09", by: 区委组织部考察组, summary: 该同志统筹能力较强。}\n'
    )
    edits.write(inspection, edits.read(inspection) + entry)
    found = [f.format() for f in edits.findings(AS_OF_DATE) if f.code == "R08" and person in f.message + f.path]
    assert found == []


# -- what an attack on this change found (issue 24, review) -------------------------------------------------------


def _resume_mixed(data):  # 2024-11-20 .. 2025-05-31 by the day, then by the month, running: two years on 2026-11-20
    data["resume"] = [
        {"from": data["work_started"], "to": "2024-11-19", "post": "区委党校在职研究生学习"},
        {"from": "2024-11-20", "to": "2025-05-31", "post": "区财政局预算科科员", "rank": "科员"},
        {"from": "2025-06", "post": "区财政局预算科副科长", "rank": "科员", "middle_management": True},
    ]
    data["employment"]["post_since"] = "2025-06"


def _waived_without_evaluation(data):
    data["evaluations"] = []
    data["exceptions"] = [{"rule": "R07", "reason": "特殊情况", "decided_by": "区委常委会", "date": "2025-09-16"}]


def _waived_then_low_grade(data):
    data["assessments"][-1]["grade"] = "不称职"  # 2025, after the admission of 2025-09-16
    data["evaluations"][0].update(excellent=10, competent=10)  # 20/40 at admission: R07, waived
    data["exceptions"] = [{"rule": "R07", "reason": "特殊情况", "decided_by": "区委常委会", "date": "2025-09-16"}]


REVIEW = {
    "a day-dated span then a month-dated running entry, two years": (candidate, _resume_mixed, []),
    "post_since that is not the 简历's current post": (
        deputy,
        lambda d: d["employment"].update(post_since="2023-01"),
        ["R12 错误 任现职时间「2023-01」与简历最后一条（现任职务）的起始时间「2021-03」不一致"],
    ),
    "an inspection 授权 to the unit": (
        deputy,
        _inspected_by("区委组织部授权区财政局党组考察"),
        ["R08 错误 人选由区委组织部考察：考察单位写的是「区委组织部授权区财政局党组考察」"],
    ),
    "a selection before the person began work": (
        open_selected,
        _selection(date="2010-04"),
        ["R10 错误 以公推竞职产生的人选，选拔记录须是那次公推竞职：选拔时间 2010-04 早于参加工作（2013-07）"],
    ),
    "an R07 waiver does not admit without a 民主测评": (
        deputy,
        _waived_without_evaluation,
        [
            "R08 错误 考察时须进行民主测评：入库前没有民主测评结果",
            "X14 警告 例外批准针对 R07，但本记录并不违反 R07",  # the missing 测评 is the procedure's, not R07's
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(REVIEW))
def test_what_the_review_found(case):
    build, mutate, expected = REVIEW[case]
    assert [line.split("（截至")[0] if "X14" in line else line for line in said(build, mutate)] == expected


def test_a_waiver_covers_the_admission_not_what_came_after():
    found = said(deputy, _waived_then_low_grade)
    assert any(line.startswith("R07 例外 民主测评") for line in found), found
    assert (
        "R07 警告 入库后情况有变化：近3年年度考核不能有不合格、不称职等次：2025年度为「不称职」（截至2026-11-25）"
        in found
    )


def test_a_review_settles_what_came_before_it():
    def reviewed_after_a_low_grade(data):
        data["reserve"] = dict(data["reserve"], reviewed="2025-09-16")
        data["reserve"]["decision"] = dict(data["reserve"]["decision"], date="2023-09-19")
        data["reserve"].update(entered="2023-09-19", nomination="2023/caizheng")
        data["evaluations"] = [dict(data["evaluations"][0], date="2023-07")]
        data["inspection"]["date"] = "2023-08"
        next(a for a in data["assessments"] if a["year"] == 2024)["grade"] = "基本称职"

    assert said(deputy, reviewed_after_a_low_grade) == []  # kept by the 2025 review: not asked again


@pytest.mark.parametrize(
    "place, counted",
    [
        ("南岗镇", True),
        ("城东街道办事处", True),
        ("花园街道某社区", True),
        ("市城管局街道管理科", False),
        ("合肥市某区乡村振兴局", False),
    ],
)
def test_the_grassroots_is_the_place_itself(place, counted):
    from generator.registry import facts

    target = {"grassroots": ["乡", "镇", "街道", "社区", "村"]}
    assert facts.grassroots(target, place, ()) is counted


def test_a_broken_act_file_says_its_own_error_and_nothing_else(edits):
    decision = "registry/decisions/2025-09-16.yaml"
    edits.write(decision, edits.read(decision).replace("rule: R04", "rule: R9"))
    found = [f for f in edits.findings(AS_OF_DATE) if f.severity != "例外"]
    assert [(f.path, f.code) for f in found if f.severity == "错误"] == [(decision, "S05")], [f.format() for f in found]
    assert not any(f.code in ("R11", "X22", "R09") for f in found)


def test_a_decision_that_names_someone_no_round_put_forward_is_no_path_in():
    from generator.registry.files import with_files

    registry = small.district(deputy())  # then its round's nomination and inspection files are taken away
    gone = {"registry/nominations/2025/caizheng.yaml": None, "registry/inspections/2025/caizheng.yaml": None}
    found = [f for f in small.check(with_files(registry, gone), AS_OF_DATE) if f.code == "X22"]
    assert [f.message.split("：", 1)[1] for f in found] == [
        "决定列入了此人，但没有任何推荐文件或考察记录：后备干部须经推荐（或其他产生方式）和考察"
    ]


def test_a_decimal_approval_is_taken(project, cadres):
    path = project / "registry" / "policy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('min_approval: "2/3"', "min_approval: 0.66"), "utf-8")
    status, lines, err = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 0 and "程序内部错误" not in err and not any("min_approval" in ln for ln in lines), lines


def test_policy_figures_the_statistics_cannot_count_with_are_findings(project, cadres):
    path = project / "registry" / "policy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("measure: count, target: 210,", "measure: count,"), "utf-8"
    )
    status, lines, _ = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1 and any("[X31]" in ln and "T01（计算方式 count）缺少 target" in ln for ln in lines), lines
    status, _, err = cadres(project, "stats", "--as-of", "2026-11-25")
    assert status == 2 and "T01（计算方式 count）缺少 target" in err and "程序内部错误" not in err
