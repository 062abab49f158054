"""The adjustment round (调整充实): each reason a person is proposed out, on one record in memory; the demo's
plan; the decision written from it, validated and counted by `cadres stats` as the plan said."""

import datetime as dt
import json

import pytest

from generator.analysis import adjustment

from conftest import AS_OF, AS_OF_DATE, DISTRICT, copy_project, district_registry
from gitrepo import Repo

CHIEF, DEPUTY = "cai-0001", "cai-0005"  # 区财政局's 正职 and 副职 reserves, in the pool since 2023, reviewed 2025


def reasons(edits, cadre):
    registry = edits.registry()
    entry = next(e for e in registry.cadres if e.data["id"] == cadre)
    return [(r.code, r.reason, r.status) for r in adjustment.reasons(entry, adjustment._Round(registry, AS_OF_DATE))]


def low_evaluation(d):
    d["evaluations"].append(
        {"date": "2026-06", "kind": "民主评议", "participants": 30, "excellent": 5, "competent": 12, "basic": 10,
         "incompetent": 3}
    )  # fmt: skip


CASES = {
    # (who, edit, the reason's code, words in it, how they would leave)
    "review overdue (R11)": (
        CHIEF,
        lambda d: d["reserve"].pop("reviewed"),
        "R11",
        "应在 2025-09-19 前审核；2025-09-16 的调整未审核此人，已逾期",
        "调整出库",
    ),
    "不称职 since entry (R07 no longer holds)": (
        DEPUTY,
        lambda d: d["assessments"][-1].update(grade="不称职"),
        "changed-R07",
        "2025年度为「不称职」",
        "调整出库",
    ),
    "基本称职 since entry": (
        DEPUTY,
        lambda d: d["assessments"][-1].update(grade="基本称职"),
        "assessment",
        "2025年度考核为基本称职",
        "调整出库",
    ),
    "a low 民主评议 since entry": (
        DEPUTY,
        low_evaluation,
        "evaluation",
        "民主评议认可率 56.7%，低于三分之二",
        "调整出库",
    ),
    "past the age of the level": (
        CHIEF,
        lambda d: d.update(birth="1979-06"),
        "age",
        "正职后备，现年 47 岁，超过 45 岁",
        "调整出库",
    ),
    "a 正职 who left the 班子 post": (
        CHIEF,
        lambda d: d["employment"].update(leadership_deputy=False, post="区财政局四级调研员"),
        "leadership",
        "已不任单位班子副职",
        "调整出库",
    ),
    "a 正职 promoted to 正科级": (
        CHIEF,
        lambda d: d["employment"].update(rank="正科级"),
        "used",
        "现职级已是正科级",
        "已使用",
    ),
    "a 副职 now in the 班子": (
        DEPUTY,
        lambda d: d["employment"].update(leadership_deputy=True, post="区财政局副局长"),
        "used",
        "已任单位班子副职（「区财政局副局长」）",
        "已使用",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_reason_proposes_the_person_out(edits, case):
    cadre, mutate, code, words, how = CASES[case]
    assert reasons(edits, cadre) == []  # the control: nothing holds for them as shipped
    edits.change(cadre, mutate)
    found = reasons(edits, cadre)
    assert [c for c, _, _ in found] == [code], found
    assert words in found[0][1] and found[0][2] == how


def test_a_year_r07_names_is_said_once_and_a_waived_rule_is_no_reason(edits):
    edits.change(DEPUTY, lambda d: d["assessments"][-1].update(grade="不称职"))
    assert len(reasons(edits, DEPUTY)) == 1
    assert reasons(edits, "wei-0005") == []  # R04 waived by the 2025 decision: admitted so, not a change


def test_an_assessment_before_entry_is_no_reason(edits):
    edits.change(DEPUTY, lambda d: d["assessments"][0].update(grade="基本称职"))  # 2016, before the 2023 entry
    assert reasons(edits, DEPUTY) == []


@pytest.fixture(scope="module")
def district_plan():
    return adjustment.plan(district_registry(), AS_OF_DATE)


def test_the_plan_has_real_exits_candidates_and_a_unit_without_reserves(district_plan):
    out = {o["id"]: [r["code"] for r in o["reasons"]] for o in district_plan["out"]}
    assert out == {"zfb-0001": ["R11"], "fag-0001": ["R11"], "jia-0003": ["age"], "xia-0004": ["changed-R07"]}
    assert all(r["policy"] for o in district_plan["out"] for r in o["reasons"])  # each with the policy's sentence
    assert {c["id"] for c in district_plan["in"]} == {"wei-0011", "che-0030", "che-0031"}
    assert {c["status"] for c in district_plan["in"]} == {"考察"}
    assert {(c["id"], c["status"]) for c in district_plan["pending"]} == {("sha-0007", "推荐"), ("zfb-0010", "推荐")}
    # only the inspected enter: 34 − 4 + 3, not the 35 of counting the 推荐 too
    assert district_plan["pool"] == {"before": 34, "out": 4, "in": 3, "after": 33}
    coverage = {c["unit"]: c for c in district_plan["coverage"]}
    assert coverage["keji"]["posts"]["副职"] == 2 and coverage["keji"]["before"]["副职"] == 0
    assert coverage["fagai"]["after"]["正职"] == 0 and coverage["fagai"]["without"] == ["正职"]
    assert {"T13", "T14"} <= set(district_plan["fails"])


def test_a_round_reviews_who_is_due_and_proposes_out_only_who_a_round_passed_over():
    """At the next round's date everyone reviewed at the last one is due: that is what the round is for. Only
    those a round already passed over (reviewed others, not them) are overdue; before anyone was inspected,
    nobody is put to the meeting."""
    later = adjustment.plan(district_registry(), dt.date(2027, 9, 20))
    overdue = {o["id"] for o in later["out"] if any(r["code"] == "R11" for r in o["reasons"])}
    assert overdue == {"zfb-0001", "fag-0001"} and later["pool"]["out"] < 20
    assert (
        "2025-09-16 的调整未审核此人" in next(o for o in later["out"] if o["id"] == "zfb-0001")["reasons"][0]["reason"]
    )
    early = adjustment.plan(district_registry(), dt.date(2026, 8, 31))  # the candidates were inspected in 2026-09
    assert early["in"] == [] and {c["status"] for c in early["pending"]} == {"推荐"}
    assert adjustment.plan(district_registry(), dt.date(2000, 1, 1))["in"] == []


def test_the_plan_on_the_command_line(cadres):
    status, lines, err = cadres(DISTRICT, "round", "plan", "--as-of", AS_OF)
    assert status == 0, err
    assert lines[0] == "科级后备干部调整充实方案（截至 2026-11-25）：在库 34 人，建议出库 4 人、列入 3 人，调整后 33 人"
    assert any("崔慧梅" in line and "正职后备，现年 46 岁，超过 45 岁" in line for line in lines)
    status, lines, _ = cadres(DISTRICT, "round", "plan", "--as-of", AS_OF, "--format", "markdown")
    assert (
        status == 0
        and "#### 建议出库" in lines
        and "| 序号 | 姓名 | 单位 | 层级 | 年龄 | 入库 | 出库方式 | 原因 |" in lines
    )


def test_the_decision_made_from_the_plan_gives_the_pool_the_plan_said(tmp_path, cadres):
    """Point 4: one decision file from the approved plan; validation passes, cadres stats on the day equals
    the plan's after, target by target, and cadres diff of the merge request says who entered and who left."""
    district = Repo(copy_project(tmp_path / "district"))
    root = district.root
    status, lines, _ = cadres(root, "round", "plan", "--as-of", AS_OF, "--format", "json")
    plan = json.loads("\n".join(lines))
    (tmp_path / "方案.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    ref = "区委常委会会议纪要〔2026〕30号"
    args = ("round", "decide", "--from", str(tmp_path / "方案.json"), "--date", AS_OF, "--ref", ref)
    status, lines, err = cadres(root, *args, "--dry-run")
    assert status == 0, err
    assert "出库 崔慧梅（jia-0003，区教育体育局）：调整出库，正职后备，现年 46 岁，超过 45 岁" in lines
    assert (
        sum(line.startswith("列入 ") for line in lines) == 3
        and not (root / "registry/decisions/2026-11-25.yaml").exists()
    )
    status, lines, err = cadres(root, *args)
    assert status == 0 and lines[-1].startswith("已写入 registry/decisions/2026-11-25.yaml"), err
    text = (root / "registry/decisions/2026-11-25.yaml").read_text(encoding="utf-8")
    assert f"ref: {ref}" in text and "- {cadre: xia-0004, status: 调整出库" in text
    status, lines, err = cadres(root, "validate", "--as-of", AS_OF)
    assert status == 0 and not any("[R11]" in line for line in lines), lines  # the round reviewed everyone kept
    status, lines, _ = cadres(root, "stats", "--as-of", AS_OF, "--format", "json")
    after = json.loads("\n".join(lines))
    assert after["pool"]["count"] == plan["pool"]["after"] == 33
    assert [(t["figure"], t["met"]) for t in after["targets"]] == [
        (t["after"], t["met_after"]) for t in plan["targets"]
    ]
    district.git("add", "-A")
    district.git("commit", "-q", "-m", "区委常委会研究确定调整充实")
    status, lines, _ = cadres(root, "diff", "HEAD~1", "HEAD", "--as-of", AS_OF)
    assert status == 0 and "在库人数 34 → 33（统计日期 2026-11-25）" in lines
    assert "入库（3 人）：" in lines and "出库（4 人）：" in lines
    assert any("：最近调整时间: 2025-09-16 → 2026-11-25" in ln for ln in lines)  # the derived values by their labels
    assert not any("reserve" in ln for ln in lines)
    assert any(ln.strip().startswith("崔慧梅（jia-0003，区教育体育局，正职）：调整出库：正职后备") for ln in lines)
    status, _, err = cadres(root, *args)  # the same plan again: its people have left, nothing is written twice
    assert status == 2 and "在 2026-11-25 不在库，不能出库" in err, err
    assert not (root / "registry/decisions/2026-11-25-2.yaml").exists()


def test_a_plan_that_does_not_fit_the_registry_writes_nothing_and_says_every_problem(tmp_path, cadres, district_plan):
    root = copy_project(tmp_path / "district")
    plan = json.loads(json.dumps(district_plan))
    plan["in"].append({"id": district_plan["pending"][0]["id"]})  # 推荐 only: not inspected
    plan["in"].append({"id": "nobody-01"})
    plan["out"].append({"id": "cai-0004", "status": "开除", "reasons": []})
    plan["out"].append(dict(plan["out"][0]))  # twice
    plan["in"].append("qwb-0011")  # not an item
    plan["out"].append({"id": "cai-0005", "status": "调整出库", "reasons": [{"reason": None}]})
    (tmp_path / "方案.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    before = sorted(p.name for p in (root / "registry/decisions").iterdir())
    args = ("round", "decide", "--from", str(tmp_path / "方案.json"), "--ref", "纪要\x1b〔2026〕")
    status, lines, err = cadres(root, *args, "--date", "2026-11-01")
    assert (status, lines) == (2, []), err
    assert "in 第4项" in err and "只有会议前已考察的人选" in err
    assert "in 第5项：名册中没有编号「nobody-01」的人员" in err
    assert "out 第5项 " in err and "须有出库方式" in err
    assert "out 第6项：" in err and "一人只能出现一次" in err
    assert "in 第6项：每一项须写成" in err and "out 第7项 " in err
    assert "文号（--ref）" in err and "会议日期 2026-11-01 早于方案的统计日期 2026-11-25" in err
    assert sorted(p.name for p in (root / "registry/decisions").iterdir()) == before
