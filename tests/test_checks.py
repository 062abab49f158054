"""Each registered check: its docstring, a case that fails it with its exact message, and the edges that must pass.

The demo is loaded once per session; each case edits files in memory (conftest.Edits) and checks the edited registry.
"""

import pytest

from generator.core.numbers import id_check_char
from generator.registry.checks import CHECKS

from conftest import AS_OF_DATE, plain, seal

NOMINATION = "registry/nominations/2023/caizheng.yaml"
CHIEF = "registry/cadres/caizheng/cai-0001.yaml"
OTHER = "registry/cadres/caizheng/cai-0002.yaml"


def set_field(edits, rel, key, value):
    lines = edits.read(rel).splitlines()
    out = [
        f"{line.split(':')[0]}: {value}"
        if line.lstrip().startswith(f"{key}:") and line.split(":")[0].strip() == key
        else line
        for line in lines
    ]
    assert out != lines, key
    edits.write(rel, "\n".join(out) + "\n")


def _x01(edits):
    edits.write(CHIEF.replace("cai-0001", "cai-0900"), edits.read(CHIEF))


def _x17(edits):
    copy = CHIEF.replace("cai-0001", "cai-0900")
    edits.write(copy, edits.read(CHIEF).replace("id: cai-0001", "id: cai-0900"))


def _x18(edits):
    training = {"from": "2026-03", "to": "2026-04", "institution": "合肥市职业技能培训中心", "program": "岗位培训"}
    edits.change("che-0031", lambda d: d.setdefault("training", []).append(training))  # a 考察 candidate


def _x28(edits):
    edits.change("che-0031", lambda d: d["employment"].update(post="区财政局预算科科长", leadership_deputy=True))


def _x02(edits):
    edits.rename(OTHER, OTHER.replace("cai-0002", "cai-0902"))


def _x03(edits):
    edits.rename(OTHER, OTHER.replace("caizheng", "fagai"))


def _x04(edits):
    set_field(edits, OTHER, "unit", "nowhere")
    edits.rename(OTHER, OTHER.replace("caizheng", "nowhere"))


def _x08(edits):  # the org department files the candidate under a round its unit held no 推荐会 in
    edits.change("cai-0001", lambda d: d["reserve"].update(nomination="2013/caizheng"))


def _x09(edits):
    set_field(edits, CHIEF, "specialties", "[金融, 书法]")


def _sealed_number(edits, rel=CHIEF):
    return edits.read(rel).split('id_number: "')[1].split('"')[0]


def _r12_id_number(edits):
    number = plain(_sealed_number(edits))
    first = number[:16] + str((int(number[16]) + 1) % 10)  # the sex digit flips
    edits.edit(CHIEF, _sealed_number(edits), seal(first + id_check_char(first)))


def _x20(edits):
    edits.edit(CHIEF, _sealed_number(edits), plain(_sealed_number(edits)))  # typed in, never encrypted


def _x20_copied(edits):
    other = edits.change("cai-0002", lambda d: None)
    edits.change("cai-0001", lambda d: d.update(phone=other["phone"]))


def _x32(edits):
    edits.change("cai-0001", lambda d: d.update(expertise="熟悉财务，手机 13912345678"))


def _x21(edits):
    edits.keyless = True


def _r12_future(edits):
    edits.change("cai-0001", lambda d: d["reserve"].update(reviewed="2027-01-05"))


def _r12_order(edits):
    birth = edits.read(CHIEF).split('birth: "')[1][:4]
    set_field(edits, CHIEF, "party_joined", f'"{int(birth) + 16}-01"')


def _r12_resume(edits):
    second = edits.read(CHIEF).split("resume:\n")[1].splitlines()[1]
    start = second.split('from: "')[1][:7]
    edits.edit(CHIEF, second, second.replace(start, f"{int(start[:4]) - 1}{start[4:]}"))


def _r12_grades(edits):
    edits.edit(CHIEF, "grade: 称职", "grade: 合格")


def _r12_votes(edits):
    edits.change("cai-0001", lambda d: d["evaluations"][0].update(incompetent=d["evaluations"][0]["participants"]))


def _x12(edits):
    edits.rename(NOMINATION, NOMINATION.replace("caizheng", "caizheng2"))
    edits.change("cai-0001", lambda d: d["reserve"].update(nomination="2023/caizheng2"))


def _x04_round_file(edits):
    unknown = NOMINATION.replace("caizheng", "nosuch")
    edits.rename(NOMINATION, unknown)
    edits.edit(unknown, "unit: caizheng", "unit: nosuch")


def _x06_nominated(edits):
    edits.edit(NOMINATION, "candidates:\n", "candidates:\n  - {cadre: sha-0003, level: 副职, votes: 30}\n")


def _x05(edits):
    edits.edit(NOMINATION, "cadre: cai-0001", "cadre: cai-0999")


def _x06_level(edits):
    edits.edit(NOMINATION, "{cadre: cai-0001, level: 正职", "{cadre: cai-0001, level: 副职")


INSPECTION = "registry/inspections/2023/caizheng.yaml"
DECISION = "registry/decisions/2025-09-16.yaml"


def _x26(edits):  # a unit repository (cadres unit-export) holds its own unit's files only
    edits.write("registry/unit-repository.txt", "caizheng\n")


def _x23_inspection(edits):
    edits.rename(INSPECTION, INSPECTION.replace("2023", "2024"))


def _x23_decision(edits):
    edits.rename(DECISION, DECISION.replace("09-16", "09-17"))


def _x24(edits):
    edits.edit(DECISION, "waivers:\n", "waivers:\n  - {cadre: cai-0999, rule: R04, reason: 经研究同意}\n")


def _x25(edits):  # the same person taken up twice in the 2023 round
    entry = edits.read(INSPECTION).split("candidates:\n")[1].split("  - cadre: ", 2)[1]
    other = "registry/inspections/2023/fagai.yaml"
    edits.edit(other, "candidates:\n", "candidates:\n  - cadre: " + entry)


def _x07(edits):
    eligible = int(edits.read(NOMINATION).split("eligible: ")[1].split("}")[0])
    edits.edit(NOMINATION, f"eligible: {eligible}", "eligible: 1")


def _r12_nomination_future(edits):
    day = edits.read(NOMINATION).split('date: "')[1][:10]
    edits.edit(NOMINATION, day, "2027-08-01")


def _x16(edits):
    edits.edit("registry/audiences.yaml", "    per_unit: true\n", "")


def _x15(edits):
    edits.edit("registry/audiences.yaml", '"@zuzhibu-ganbuke"', '"@zuzhibu-new"')


def _x13(edits):
    edits.edit("registry/units.yaml", "order: 40", "order: 20")


# check name -> (how to break it, the code it reports, the exact findings of that code: "path:line:col: severity [code] field: message — hint")
FAILING = {
    "x18_training_counted": (
        _x18,
        "X18",
        "registry/cadres/chengxi/che-0031.yaml:42:38: 警告 [X18] 理论培训第1条·培训机构 (training[0].institution): 「合肥市职业技能培训中心」看不出是党校、行政学院、行政院校、干部学院、干部培训基地、社会主义学院一类的机构，不计入“全部轮训一遍”（T14） — 是这类机构的，请写全称（如“中共合肥市蜀山区委党校”）；确属其他培训的不用改（计入的类别见 policy.yaml 的 institution_kinds）",
    ),
    "x28_flags_match_posts": (
        _x28,
        "X28",
        "registry/cadres/chengxi/che-0031.yaml:21:3: 警告 [X28] 现任职情况·现任单位班子副职 (employment.leadership_deputy): "
        "记录写的是现任班子副职，现任职务「区财政局预算科科长」却是科长 — 班子副职指单位领导班子的副职"
        "（副局长、副镇长、副书记等）；不是的，把 leadership_deputy 改为 false",
    ),
    "x29_archive_complete": (
        lambda edits: edits.change("cai-0004", lambda d: d.pop("development_plan")),
        "X29",
        "registry/cadres/caizheng/cai-0004.yaml:1:1: 警告 [X29] 编号 (id): 能力实绩档案缺少培养方案 — "
        "区委组织部在考察记录此人的条目中写上 development_plan（早年入库、当时没有记录的，补上能找到的即可）",
    ),
    "r12_current_post_in_resume": (
        lambda edits: edits.change("cai-0001", lambda d: d["employment"].update(post_since="2023-01")),
        "R12",
        "registry/cadres/caizheng/cai-0001.yaml:19:3: 错误 [R12] 现任职情况·任现职时间 (employment.post_since): "
        "任现职时间「2023-01」与简历最后一条（现任职务）的起始时间「2022-06」不一致 — "
        "两处写的是同一个时间：请按任职文件改正其中一处（职务变了的，简历也要加上新的一条）",
    ),
    "x31_policy_coherent": (
        lambda edits: edits.edit("registry/policy.yaml", "age_bands: [27, 32, 37, 42, 47]", "age_bands: [47, 27]"),
        "X31",
        "registry/policy.yaml:43:3: 错误 [X31] 统计分组·年龄段上限 (statistics.age_bands): 年龄段的上限应由小到大、不重复："
        "写的是 [47, 27] — 请按由小到大的顺序写，如 [27, 32, 37, 42, 47]",
    ),
    "x30_tracking_recorded": (
        lambda edits: edits.write(
            "registry/watch.yaml", edits.read("registry/watch.yaml").replace("    category: “柔性”交流人员\n", "", 1)
        ),
        "X30",
        "registry/watch.yaml:3:5: 警告 [X30] 关注人选第1条·干部编号 (watched[0].cadre): 关注人选「cai-0007」没有写跟踪类别 — "
        "请写上 category：招考录用人员、“柔性”交流人员、挂职干部或优秀干部苗子",
    ),
    "x17_one_person_one_record": (
        _x17,
        "X17",
        [
            "registry/cadres/caizheng/cai-0001.yaml:12:1: 错误 [X17] 身份证号 (id_number): 身份证号与 registry/cadres/caizheng/cai-0900.yaml 相同：一人只能有一个记录 — 同一人请只保留一个记录（调动用 git mv 移动原文件，不要复制）；号码填错的请改正",
            "registry/cadres/caizheng/cai-0900.yaml:12:1: 错误 [X17] 身份证号 (id_number): 身份证号与 registry/cadres/caizheng/cai-0001.yaml 相同：一人只能有一个记录 — 同一人请只保留一个记录（调动用 git mv 移动原文件，不要复制）；号码填错的请改正",
        ],
    ),
    "r12_assessment_grades": (
        _r12_grades,
        "R12",
        "registry/cadres/caizheng/cai-0001.yaml:32:18: 错误 [R12] 年度考核第1条·等次 (assessments[0].grade): 「合格」不是公务员的考核等次（编制类型：参照公务员法管理事业编制） — 公务员的等次为：优秀、称职、基本称职、不称职、不定等次",
    ),
    "r12_dates_in_order": (
        _r12_order,
        "R12",
        "registry/cadres/caizheng/cai-0001.yaml:9:1: 错误 [R12] 入党时间 (party_joined): 入党时间「2001-01」时未满18岁 — 请核对入党时间和出生年月",
    ),
    "r12_dates_not_in_future": (
        _r12_future,
        "R12",
        "registry/decisions/2027-01-05.yaml:2:1: 错误 [R12] 决定日期 (date): 「2027-01-05」晚于核对日期 2026-11-25 — 请核对年份和月份；尚未发生的事项不要录入",
    ),
    "r12_evaluation_votes": (
        _r12_votes,
        "R12",
        "registry/inspections/2023/caizheng.yaml:10:39: 错误 [R12] 考察人选第1条·民主测评第1条·参加人数 (candidates[0].evaluations[0].participants): 孙杰（cai-0001）：各档票数之和 62 超过参加人数 31 — 请核对测评票数",
    ),
    "x20_personal_numbers_sealed": (
        _x20,
        "X20",
        "registry/cadres/caizheng/cai-0001.yaml:12:1: 错误 [X20] 身份证号 (id_number): 以明文保存：个人号码提交到仓库前必须加密 — 运行 cadres encrypt registry/cadres/caizheng/cai-0001.yaml（加密前会核对号码），再提交",
    ),
    "x20_ciphertexts_not_copied": (
        _x20_copied,
        "X20",
        [
            f"registry/cadres/caizheng/cai-000{a}.yaml:13:1: 错误 [X20] 联系电话 (phone): 密文与 registry/cadres/caizheng/cai-000{b}.yaml 的联系电话完全相同：每次加密的结果都不同，其中一处是复制来的 — 请填写本人号码的明文，运行 cadres encrypt 重新加密"
            for a, b in ((1, 2), (2, 1))
        ],
    ),
    "x32_no_numbers_in_free_text": (
        _x32,
        "X32",
        "registry/cadres/caizheng/cai-0001.yaml:25:1: 警告 [X32] 熟悉专业有何专长 (expertise): 文字里像是有手机号：这段文字以明文保存，并显示在各读者的网站上 — 请删去号码；个人号码只写在 id_number（身份证号）、phone（联系电话）里，并用 cadres encrypt 加密",
    ),
    "x21_numbers_not_checked": (
        _x21,
        "X21",
        "registry/recipients.txt:1:1: 警告 [X21] 43 个记录的加密号码未核对（身份证号校验位、出生日期、性别，一人一档）：本次没有解密密钥 — 这些核对在区委组织部设置了 CADRES_AGE_IDENTITY_FILE 的电脑和主分支流水线上运行；单位录入的号码在 cadres encrypt 加密时已核对",
    ),
    "r12_id_number": (
        _r12_id_number,
        "R12",
        "registry/cadres/caizheng/cai-0001.yaml:12:1: 错误 [R12] 身份证号 (id_number): 身份证号第17位表示「女」，与性别「男」不一致 — 请核对性别或身份证号",
    ),
    "r12_resume_continuous": (
        _r12_resume,
        "R12",
        "registry/cadres/caizheng/cai-0001.yaml:28:6: 错误 [R12] 简历第2条·起始时间 (resume[1].from): 起始时间「2010-01」与上一条重叠（上一条到「2010-12」） — 简历按时间先后排列，下一段从上一段截止的当月或次月开始",
    ),
    "x01_unique_cadre_ids": (
        _x01,
        "X01",
        "registry/cadres/caizheng/cai-0900.yaml:1:1: 错误 [X01] 编号 (id): 编号「cai-0001」已被 registry/cadres/caizheng/cai-0001.yaml 使用 — 编号一经确定不再改变，也不能重复；新记录请用 cadres new cadre 生成新编号",
    ),
    "x02_file_name_is_id": (
        _x02,
        "X02",
        "registry/cadres/caizheng/cai-0902.yaml:1:1: 错误 [X02] 编号 (id): 编号「cai-0002」与文件名「cai-0902.yaml」不一致 — 请把文件改名为 cai-0002.yaml（编号不要改）",
    ),
    "x03_folder_is_unit": (
        _x03,
        "X03",
        "registry/cadres/fagai/cai-0002.yaml:15:3: 错误 [X03] 现任职情况·所在单位 (employment.unit): 所在单位是「caizheng」，文件却在 cadres/fagai/ 里 — 调动的干部请用 git mv 把文件移到 registry/cadres/caizheng/（保留历史），或改正所在单位",
    ),
    "x04_cadre_unit_exists": (
        _x04,
        "X04",
        "registry/cadres/nowhere/cai-0002.yaml:15:3: 错误 [X04] 现任职情况·所在单位 (employment.unit): 单位编号「nowhere」不在 registry/units.yaml 中 — 请核对单位编号；新设单位先在 units.yaml 中登记",
    ),
    "x05_candidates_exist": (
        _x05,
        "X05",
        "registry/nominations/2023/caizheng.yaml:6:6: 错误 [X05] 推荐人选第1条·干部编号 (candidates[0].cadre): 没有编号为「cai-0999」的干部记录 — 请核对编号，或在同一合并请求中提交该干部的记录",
    ),
    "x07_nomination_counts": (
        _x07,
        "X07",
        "registry/nominations/2023/caizheng.yaml:4:31: 错误 [X07] 民主推荐会·实到人数 (meeting.attended): 实到 33 人，多于应到 1 人 — 请核对参会人数",
    ),
    "x08_nomination_file_exists": (
        _x08,
        "X08",
        "registry/inspections/2013/caizheng.yaml:5:5: 错误 [X08] 考察人选第1条·产生方式 (candidates[0].source): 孙杰（cai-0001）：找不到推荐文件 registry/nominations/2013/caizheng.yaml — 请核对年份和单位编号，或先提交本单位的民主推荐记录",
    ),
    "x24_inspected_of_the_unit": (
        _x06_level,
        "X06",
        "registry/inspections/2023/caizheng.yaml:7:5: 错误 [X06] 考察人选第1条·后备层级 (candidates[0].level): 孙杰（cai-0001）的后备层级写的是「正职」，本轮推荐（registry/nominations/2023/caizheng.yaml）是「副职」 — 请使两处的后备层级一致",
    ),
    "x23_inspection_file_place": (
        _x23_inspection,
        "X23",
        "registry/inspections/2024/caizheng.yaml:3:1: 错误 [X23] 调整轮次 (round): 调整轮次是 2023，文件却在 inspections/2024/ 里 — 请把文件移到 registry/inspections/2023/，或改正调整轮次",
    ),
    "x23_decision_file_place": (
        _x23_decision,
        "X23",
        "registry/decisions/2025-09-17.yaml:3:1: 错误 [X23] 决定日期 (date): 决定日期是 2025-09-16，文件名却是 2025-09-17.yaml — 请把文件改名为 2025-09-16.yaml（同一天另有决定的，用 2025-09-16-2.yaml），或改正决定日期",
    ),
    "x24_acts_name_people": (
        _x24,
        "X24",
        "registry/decisions/2025-09-16.yaml:42:6: 错误 [X24] 例外批准第1条·干部编号 (waivers[0].cadre): 没有编号为「cai-0999」的干部记录 — 请核对编号（即干部记录的文件名，不含 .yaml）",
    ),
    "x25_one_candidacy_a_round": (
        _x25,
        "X25",
        "registry/inspections/2023/fagai.yaml:5:5: 错误 [X25] 考察人选第1条·干部编号 (candidates[0].cadre): 「cai-0001」在 2023 年度已有考察记录（registry/inspections/2023/caizheng.yaml） — 同一轮中每名人选只写一条考察记录；调动的人选写在原单位的记录中",
    ),
    "x26_checked_in_the_district": (
        _x26,
        "X26",
        "registry/unit-repository.txt:1:1: 警告 [X26] 本单位仓库中没有 registry/nominations/2021/keji.yaml（调入人员原单位的文件）：对它们的核对不在这里运行 — 这些核对在区名册仓库中进行（区委组织部导入本单位仓库时）；单位不用处理",
    ),
    "x09_specialties_from_policy": (
        _x09,
        "X09",
        "registry/cadres/caizheng/cai-0001.yaml:24:19: 错误 [X09] 熟悉专业第2条 (specialties[1]): 「书法」不是政策列出的专业 — 可选：党务工作、城建、法律、社会管理、经济管理、金融；其他专长请写在 expertise（熟悉专业有何专长）里",
    ),
    "x04_round_file_unit_exists": (
        _x04_round_file,
        "X04",
        "registry/nominations/2023/nosuch.yaml:1:1: 错误 [X04] 推荐单位 (unit): 单位编号「nosuch」不在 registry/units.yaml 中 — 请核对单位编号",
    ),
    "x06_nominated_of_the_unit": (
        _x06_nominated,
        "X06",
        "registry/nominations/2023/caizheng.yaml:6:6: 错误 [X06] 推荐人选第1条·干部编号 (candidates[0].cadre): 史志（sha-0003）属于「区商务局」（shangwu），不是推荐单位「区财政局」（caizheng） — 各单位只推荐本单位的干部；请核对编号",
    ),
    "x12_nomination_file_place": (
        _x12,
        "X12",
        "registry/nominations/2023/caizheng2.yaml:1:1: 错误 [X12] 推荐单位 (unit): 推荐单位是「caizheng」，文件名却是 caizheng2.yaml — 请把文件改名为 caizheng.yaml，或改正推荐单位",
    ),
    "x13_unique_units": (
        _x13,
        "X13",
        "registry/units.yaml:15:5: 错误 [X13] 单位名录第2条·排序号 (units[1].order): 排序号「20」与第 1 个单位重复 — 每个单位的排序号不同",
    ),
    "x15_codeowners_current": (
        _x15,
        "X15",
        "CODEOWNERS:1:1: 错误 [X15] CODEOWNERS 与 units.yaml、audiences.yaml 中的审核人不一致 — 运行 cadres codeowners 重新生成，并与本次修改一起提交",
    ),
    "x16_audiences_coherent": (
        _x16,
        "X16",
        "registry/audiences.yaml:17:5: 错误 [X16] 读者第3条·可见范围 (audiences[2].sees): 只看本单位的读者没有写 per_unit: true，生成的站点里将没有任何人 — 加上 per_unit: true（每个单位生成一个站点），或改为 sees: all",
    ),
}


def test_every_check_has_a_docstring_and_a_failing_case():
    for check in CHECKS:
        assert check.doc, f"{check.name} has no docstring"
        assert check.name in FAILING, f"{check.name} has no failing case in this table"
        assert FAILING[check.name][1][0] == check.code[0]


@pytest.mark.parametrize("name", sorted(FAILING))
def test_check_fails(edits, name):
    break_it, code, expected = FAILING[name]
    break_it(edits)
    assert [f.format() for f in edits.findings() if f.code == code] == (
        [expected] if isinstance(expected, str) else expected
    )


def test_nomination_dates_are_checked_too(edits):
    _r12_nomination_future(edits)
    assert [f.format() for f in edits.findings() if f.path == NOMINATION] == [
        "registry/nominations/2023/caizheng.yaml:4:11: 错误 [R12] 民主推荐会·推荐日期 (meeting.date): 「2027-08-01」晚于核对日期 2026-11-25 — 请核对年份和月份；尚未发生的事项不要录入"
    ]


def test_id_check_character_matches_gb11643_examples():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


def test_a_resume_entry_still_running_passes(edits):
    last = edits.read(CHIEF).split("resume:\n")[1].split("assessments:")[0].strip().splitlines()[-1]
    assert "to:" not in last
    assert edits.findings() == []


def test_the_next_entry_may_start_in_the_month_the_one_before_ended_and_a_month_earlier_overlaps(edits):
    # the official convention (2004.12--2012.06, then 2012.06--2016.03): a shared month is no overlap
    first, second = edits.read(CHIEF).split("resume:\n")[1].splitlines()[:2]
    end = first.split('to: "')[1][:7]
    start = second.split('from: "')[1][:7]
    edits.edit(CHIEF, second, second.replace(start, end))
    assert edits.findings() == []
    earlier = f"{end[:4]}-{int(end[5:]) - 1:02d}"
    edits.edit(CHIEF, second.replace(start, end), second.replace(start, earlier))
    assert [x.message for x in edits.findings()] == [f"起始时间「{earlier}」与上一条重叠（上一条到「{end}」）"]


def test_day_dated_lines_changing_mid_month_do_not_overlap_and_an_earlier_day_does(edits):
    def days(to: str, start: str):
        def change(d):
            d["resume"][0]["to"], d["resume"][1]["from"] = to, start

        return change

    edits.change("cai-0001", days("2010-12-15", "2010-12-16"))
    assert edits.findings() == []
    edits.change("cai-0001", days("2010-12-15", "2010-12-10"))
    assert [x.message for x in edits.findings()] == ["起始时间「2010-12-10」与上一条重叠（上一条到「2010-12-15」）"]


def test_a_resume_starting_with_university_is_not_held_to_the_work_start(edits):
    def study(d):
        first = d["resume"][0]["from"]
        year = int(first[:4])
        d["resume"].insert(0, {"from": f"{year - 4}{first[4:]}", "to": first, "post": "安徽大学经济学专业学习"})

    edits.change("cai-0001", study)
    assert edits.findings() == []


def test_a_date_on_the_as_of_day_is_not_in_the_future(edits):
    edits.change("cai-0001", lambda d: d["reserve"].update(reviewed=AS_OF_DATE.isoformat()))
    assert edits.findings() == []


def test_a_chief_record_with_a_schema_error_gets_no_codeowners_advice(edits):
    """Regenerating CODEOWNERS now would drop the org department's ownership of that 正职 record."""
    edits.edit(CHIEF, "ethnicity: 汉族", "ethnicity: 汉")
    assert [f.code for f in edits.findings()] == ["S04"]


def test_the_same_name_and_birth_month_is_a_warning(edits):
    chief = edits.change("cai-0001", lambda d: None)
    edits.change("cai-0002", lambda d: d.update(name=chief["name"], birth=chief["birth"]))
    assert [f.format() for f in edits.findings() if f.code == "X17"] == [
        "registry/cadres/caizheng/cai-0001.yaml:2:1: 警告 [X17] 姓名 (name): 与 registry/cadres/caizheng/cai-0002.yaml 姓名相同（孙杰）、出生年月相同（1985-09） — 请核对是否同一人：是同一人的只保留一个记录；不是的不用改",
        "registry/cadres/caizheng/cai-0002.yaml:2:1: 警告 [X17] 姓名 (name): 与 registry/cadres/caizheng/cai-0001.yaml 姓名相同（孙杰）、出生年月相同（1985-09） — 请核对是否同一人：是同一人的只保留一个记录；不是的不用改",
    ]
    edits.change("cai-0002", lambda d: d.update(birth="1985-10"))  # a month apart: nothing
    assert [f for f in edits.findings() if f.code == "X17"] == []


# -- a nomination is the record of its round ----------------------------------------------------

MOVER = "registry/cadres/caizheng/cai-0005.yaml"  # 副职, 在库 since 2023 on registry/nominations/2023/caizheng.yaml


def test_a_cadre_who_moves_to_another_unit_leaves_the_old_round_alone(edits):
    edits.rename(MOVER, MOVER.replace("caizheng", "fagai"))  # git mv, as the README says
    edits.change("cai-0005", lambda d: d["employment"].update(unit="fagai", post="区发改委副主任"))
    assert edits.findings() == []


def test_a_deputy_promoted_in_a_later_round_keeps_the_earlier_nomination(edits):
    def promoted(data):
        data["reserve"].update(level="正职", nomination="2025/caizheng", entered="2025-09-26", reviewed=None)
        data["reserve"].pop("reviewed")
        data["reserve"]["decision"].update(date="2025-09-26", ref="区委常委会会议纪要〔2025〕24号")
        data["employment"].update(leadership_deputy=True, rank="副科级")
        data["inspection"].update(date="2025-09")  # the 2025 round inspected again, with its own 民主测评
        data["evaluations"].append(dict(data["evaluations"][0], date="2025-09", kind="民主测评"))

    edits.change("cai-0005", promoted)
    path = "registry/nominations/2025/caizheng.yaml"
    edits.edit(path, "candidates:\n", "candidates:\n  - {cadre: cai-0005, level: 正职, votes: 30}\n")
    assert [f.code for f in edits.findings() if f.code in ("X05", "X06", "R08")] == []
    # the 2023 file still says 副职, as that round decided; a wrong level in the current round is still caught
    edits.edit(path, "{cadre: cai-0005, level: 正职", "{cadre: cai-0005, level: 副职")
    inspected = "registry/inspections/2025/caizheng.yaml"  # where the org department took the candidate up
    assert [f.code for f in edits.findings() if f.path in (path, inspected)] == ["X06"]


def test_a_candidate_nominated_by_another_unit_is_caught(edits):
    candidate = "registry/cadres/chengxi/che-0031.yaml"  # 考察 on its unit's current nomination
    reserve = next(e for e in edits.registry().cadres if e.data["id"] == "che-0031").data["reserve"]
    nomination = f"registry/nominations/{reserve['nomination']}.yaml"
    edits.rename(candidate, candidate.replace("chengxi", "fagai"))
    edits.change("che-0031", lambda d: d["employment"].update(unit="fagai"))
    inspected = nomination.replace("nominations", "inspections")  # the org department's record of the round too
    assert sorted((f.path, f.code) for f in edits.findings() if f.code == "X06") == [
        (inspected, "X06"),
        (nomination, "X06"),
    ]


# -- hardening: names that become page titles, ids that become folders -------------------------------------


def test_a_site_folder_made_twice_by_per_unit_expansion_is_x16(edits):
    edits.edit(
        "registry/audiences.yaml",
        "  - id: changwei\n",
        "  - id: unit-caizheng\n    title: 财政局全部\n    sees: all\n    statuses: all\n    sensitive: true\n"
        '    reviewers: ["@zuzhibu-ganbuke"]\n  - id: changwei\n',
    )
    found = [f.format() for f in edits.findings() if f.code == "X16"]
    assert found == [
        "registry/audiences.yaml:21:5: 错误 [X16] 读者第4条·读者编号 (audiences[3].id): 这个读者的站点目录「unit-caizheng」与第 2 个读者的站点重名，"
        "后生成的会覆盖先生成的 — 换一个读者编号（按单位生成的站点目录是“读者编号-单位编号”）"
    ]


@pytest.mark.parametrize(
    "path,old,new,label",
    [
        ("registry/units.yaml", "name: 区财政局", "name: 区财政局<img src=x onerror=alert(1)>", "单位名称"),
        ("registry/audiences.yaml", "title: 区委常委", 'title: "区委常委\\u001b[31m"', "名称"),
    ],
)
def test_a_name_that_becomes_a_page_title_refuses_markup_and_control_characters(edits, path, old, new, label):
    edits.edit(path, old, new)
    found = [f for f in edits.findings() if f.path == path and f.code == "S05"]
    assert len(found) == 1 and label in found[0].format() and "不能有 < > & \" ' 和控制字符" in found[0].format()
    assert "\n" not in found[0].format() and "\x1b" not in found[0].format()  # quoted as \x1b, one line


def test_an_id_with_a_trailing_newline_is_refused(edits):
    edits.edit("registry/audiences.yaml", "  - id: changwei\n", '  - id: "changwei\\n"\n')
    found = [f.format() for f in edits.findings() if f.code == "S05"]
    assert found == [
        "registry/audiences.yaml:9:5: 错误 [S05] 读者第2条·读者编号 (audiences[1].id): 格式不对：「changwei\\n」"
    ]


def test_control_characters_in_any_text_are_refused_on_one_line(edits):
    edits.edit(
        "registry/cadres/caizheng/cai-0001.yaml",
        "expertise: 熟悉金融工作，业务扎实",
        'expertise: "熟悉\\x01金融\\e[31m"',
    )
    found = [f.format() for f in edits.findings() if f.code == "S05"]
    assert found == [
        "registry/cadres/caizheng/cai-0001.yaml:25:1: 错误 [S05] 熟悉专业有何专长 (expertise): 含有看不见的字符"
        "（\\x01、\\x1b：控制字符、方向控制字符或零宽字符），网页和报表无法正确显示，或让文字看起来是另一个样子"
        " — 请删除这些字符（多半是从别的软件复制时带进来的），重新输入这段文字"
    ]


@pytest.mark.parametrize(
    "char",
    [
        *("\u202e", "\u2066", "\u200f", "\u200b", "\ufeff"),
        # attacked again: a soft hyphen, a variation selector, a tag character, blanks that show as nothing
        *("\u00ad", "\ufe0f", "\U000e0041", "\u3164", "\u034f", "\u180e", "\u2800", "\ufff9", "\u17b4"),
    ],
)
def test_a_name_with_a_direction_control_or_zero_width_character_is_refused(edits, char):
    """Issue 26: 孙\u202e杰 was accepted and published, reading as another name."""
    edits.change("cai-0001", lambda d: d.update(name="孙" + char + "杰"))
    found = [f for f in edits.findings() if f.code == "S05"]
    assert [(f.path, f.field) for f in found] == [("registry/cadres/caizheng/cai-0001.yaml", "name")]
    code = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}" if ord(char) < 0x10000 else ""
    assert char not in found[0].format() and (code or "\\U000e0041") in found[0].format()


@pytest.mark.parametrize(
    "name",
    [
        "cai-0001\r检查通过：没有发现问题。.yaml",
        "cai-0001\n共 0 个错误，0 个警告。.yaml",
        "cai-0001\x1b[2K\x1b[1G检查通过.yaml",
        "cai-\u202elmay.1000.yaml",
    ],
)
def test_a_file_name_that_could_forge_a_report_line_is_refused_and_shown_escaped(edits, name):
    """Issue 26: a record file named with CR, newline or an ANSI escape forged a 「检查通过」 line in CI logs."""
    from generator.core.findings import codequality, junit

    rel = "registry/cadres/caizheng/" + name
    edits.rename("registry/cadres/caizheng/cai-0001.yaml", rel)
    found = [f for f in edits.findings() if f.path == rel]
    assert [f.code for f in found] == ["X11"] and "看不见的字符" in found[0].message
    for report in (found[0].format(), junit(found, [rel]), codequality(found)):
        assert not any(c in report for c in "\r\x1b\u202e") and "cai-" in report
    assert "\n" not in found[0].format()
    assert "\n" not in junit(found, [rel]).split("file=", 1)[1].split(">", 1)[0]


def test_a_unit_nominates_its_own_people_once_a_round(edits):
    """Issue 21, point 6: 区财政局's file could name 区商务局's sha-0003 and replace his 民主推荐 on every site."""
    path = "registry/nominations/2023/caizheng.yaml"
    edits.edit(path, "candidates:\n", "candidates:\n  - {cadre: sha-0003, level: 副职, votes: 40}\n")
    found = [(f.path, f.code, f.message) for f in edits.findings()]
    assert any(
        p == path
        and c == "X06"
        and "（sha-0003）属于「区商务局」（shangwu），不是推荐单位「区财政局」（caizheng）" in m
        for p, c, m in found
    )
    assert any(
        p == path and c == "X25" and "sha-0003" in m and "registry/nominations/2023/shangwu.yaml" in m
        for p, c, m in found
    )
    registry = edits.registry()  # the person's own nomination stays the one the acts name
    reserve = next(e.data["reserve"] for e in registry.cadres if e.data["id"] == "sha-0003")
    assert reserve["nomination"] == "2023/shangwu"


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda d: d.update(expertise="熟悉财务，联系电话 13912345678"), "expertise"),
        (
            lambda d: d["resume"][0].update(post=d["resume"][0]["post"] + "（身份证 34010419880312001X）"),
            "resume[0].post",
        ),
        (lambda d: d.update(health="健康 139-1234-5678".replace("-", "")), "health"),
        (lambda d: d.update(expertise="熟悉财务 3401 0419 8803 1200 1X"), "expertise"),
        (lambda d: d.update(expertise="熟悉财务 ３４０１０４１９８８０３１２００１Ｘ"), "expertise"),
        (lambda d: d.update(expertise="熟悉财务 Tel13912345678"), "expertise"),
        (lambda d: d.update(expertise="熟悉财务 电话139 1234 5678"), "expertise"),
    ],
)
def test_a_number_in_free_text_is_a_warning_that_never_repeats_it(edits, mutate, field):
    """Issue 26: a phone or ID number typed into `expertise` was published on the unit and 常委 sites."""
    edits.change("cai-0001", mutate)
    found = [f for f in edits.findings() if f.code == "X32"]
    assert [(f.severity, f.field) for f in found] == [("警告", field)]
    assert "13912345678" not in found[0].format() and "34010419880312001X" not in found[0].format()
    assert "cadres encrypt" in found[0].hint


@pytest.mark.parametrize(
    "text",
    [
        *("13912345678", "身份证34010419880312001X。", "340104880312001", "电话：13912345678，", "a13912345678b"),
        *("3401 0419 8803 1200 1X", "Tel13912345678", "138-0013-8000", "２０２１年 科员", "2021-05 13912345678"),
    ],
)
def test_the_quick_look_for_numbers_misses_none_the_careful_one_sees(text):
    """X32 asks of each text with its path only when the record's texts, read at once, hold a number."""
    from generator.core.findings import may_hold_a_number
    from generator.core.numbers import kind_in

    record = {"name": "张三", "resume": [{"post": "科员", "years": [2012, None]}, {"post": text}], "ok": True}
    assert may_hold_a_number(record) == bool(kind_in(text))
    # texts are never joined into one number, and a number that is not text is not read
    assert not may_hold_a_number({"a": "1391234567", "b": ["8", 13912345678], "c": {"d": "139 12 34 567"}})
    assert not may_hold_a_number({"a": "139 1234", "b": "5678"})


def test_numbers_found_in_long_stretches_are_those_a_scan_of_the_whole_text_finds():
    """kind_in and shaped search RUN only inside stretches of digits and separators long enough to hold a number
    (audit-site reads every page of every site): the same answers as RUN over the whole text, on texts made of
    the characters that matter (ASCII and full-width digits, every separator, x and X, dots, letters, breaks)."""
    import random

    from generator.core import numbers

    def scanned(text):
        kind = next((k for m in numbers.RUN.finditer(text) if (k := numbers.kind_of(m[0]))), None)
        shaped = next(
            (
                m.span()
                for m in numbers.RUN.finditer(text)
                if numbers.valid_id(m[0]) or numbers.kind_of(m[0]) == "手机号"
            ),
            None,
        )
        return kind, shaped

    rng = random.Random(25)
    alphabet = "0123456789" * 6 + "０１３８９" + " -－\u3000\u00a0" + "xXＸｘ" + ".,a科\n"
    numbers_ = ["13912345678", "34010419880312001X", "340104880312001", "3401 0419 8803 1200 1X", "138-0013-8000"]
    for _ in range(4000):
        parts = [rng.choice(alphabet) for _ in range(rng.randint(0, 40))]
        if rng.random() < 0.3:
            parts.insert(rng.randint(0, len(parts)), rng.choice(numbers_))
        text = "".join(parts)
        shaped = numbers.shaped(text)
        assert (numbers.kind_in(text), shaped and shaped.span()) == scanned(text), repr(text)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\r", "\t", "\x7f", "\x85", "\u200b", "\u202e", "\u2066", "\ufeff"])
def test_the_quick_look_for_unseen_characters_misses_none(char):
    """S05 looks at each text with its path only when some text of the file holds one (a line break is allowed)."""
    from generator.core.findings import UNSEEN, may_hold_unseen

    assert UNSEEN.search(char)
    assert may_hold_unseen({"a": ["科员", {"b": f"区财政局{char}"}], "c": 1})
    assert not may_hold_unseen({"a": ["科员\n办公室", {"b": "区财政局\n"}], "c": 1, "d": None})


def test_a_number_in_a_nomination_is_a_warning_too(edits):
    path = "registry/nominations/2023/caizheng.yaml"
    edits.edit(path, "nominated_by: 区财政局党组", "nominated_by: 区财政局党组（联系人手机 13912345678）")
    found = [(f.path, f.code, f.field) for f in edits.findings() if f.code == "X32"]
    assert found == [(path, "X32", "nominated_by")]
