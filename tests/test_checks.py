"""Each registered check: its docstring, a case that fails it, and the edges that must pass."""

import pytest

from conftest import AS_OF_DATE, cadre_file, demo_lines, edit
from generator.registry.checks import CHECKS, id_check_char
from generator.registry.validate import validate

NOMINATION = "registry/nominations/2023/caizheng.yaml"


def findings(root, as_of=AS_OF_DATE):
    """What validation reports beyond the demo's deliberate gaps."""
    return [f for f in validate(root, as_of=as_of)[1] if f.format() not in demo_lines()]


def set_field(path, key, value):
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [f"{line.split(':')[0]}: {value}" if line.lstrip().startswith(f"{key}:") and line.split(":")[0].strip() == key
           else line for line in lines]
    assert out != lines, key
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _x01(root):
    f = cadre_file(root, "cai-0001")
    f.with_name("cai-0900.yaml").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")


def _x02(root):
    f = cadre_file(root, "cai-0002")
    f.rename(f.with_name("cai-0902.yaml"))


def _x03(root):
    f = cadre_file(root, "cai-0002")
    (root / "registry/cadres/fagai").mkdir(exist_ok=True)
    f.rename(root / "registry/cadres/fagai" / f.name)


def _x04(root):
    f = cadre_file(root, "cai-0002")
    set_field(f, "unit", "nowhere")
    (root / "registry/cadres/nowhere").mkdir()
    f.rename(root / "registry/cadres/nowhere" / f.name)


def _x08(root):
    edit(cadre_file(root, "cai-0001"), "nomination: 2023/caizheng", "nomination: 2013/caizheng")


def _x09(root):
    set_field(cadre_file(root, "cai-0001"), "specialties", "[金融, 书法]")


def _r12_id_number(root):
    f = cadre_file(root, "cai-0001")
    number = f.read_text(encoding="utf-8").split('id_number: "')[1][:18]
    first = number[:16] + str((int(number[16]) + 1) % 10)  # the sex digit flips
    edit(f, number, first + id_check_char(first))


def _r12_future(root):
    set_field(cadre_file(root, "cai-0001"), "reviewed", '"2027-01-05"')


def _r12_order(root):
    f = cadre_file(root, "cai-0001")
    birth = f.read_text(encoding="utf-8").split('birth: "')[1][:4]
    set_field(f, "party_joined", f'"{int(birth) + 16}-01"')


def _r12_resume(root):
    f = cadre_file(root, "cai-0001")
    text = f.read_text(encoding="utf-8")
    second = text.split("resume:\n")[1].splitlines()[1]
    start = second.split('from: "')[1][:7]
    earlier = f"{int(start[:4]) - 1}{start[4:]}"
    edit(f, second, second.replace(start, earlier))


def _r12_grades(root):
    edit(cadre_file(root, "cai-0001"), "grade: 称职", "grade: 合格")


def _r12_votes(root):
    f = cadre_file(root, "cai-0001")
    text = f.read_text(encoding="utf-8")
    participants = int(text.split("participants: ")[1].split(",")[0])
    edit(f, "incompetent: 0", f"incompetent: {participants}")


def _x12(root):
    path = root / NOMINATION
    path.rename(path.with_name("caizheng2.yaml"))
    edit(cadre_file(root, "cai-0001"), "nomination: 2023/caizheng", "nomination: 2023/caizheng2")


def _x05(root):
    edit(root / NOMINATION, "level: 正职", "level: 副职")


def _x07(root):
    text = (root / NOMINATION).read_text(encoding="utf-8")
    eligible = int(text.split("eligible: ")[1].split("}")[0])
    edit(root / NOMINATION, f"eligible: {eligible}", "eligible: 1")


def _r12_nomination_future(root):
    text = (root / NOMINATION).read_text(encoding="utf-8")
    day = text.split('date: "')[1][:10]
    edit(root / NOMINATION, day, "2027-08-01")


def _x16(root):
    edit(root / "registry/audiences.yaml", "    per_unit: true\n", "")


def _x15(root):
    (root / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")


def _x13(root):
    edit(root / "registry/units.yaml", "order: 20", "order: 10")


FAILING = {
    "x01_unique_cadre_ids": (_x01, "X01", "已被"),
    "x02_file_name_is_id": (_x02, "X02", "cai-0902.yaml"),
    "x03_folder_is_unit": (_x03, "X03", "cadres/fagai/"),
    "x04_cadre_unit_exists": (_x04, "X04", "nowhere"),
    "x08_nomination_file_exists": (_x08, "X08", "2013/caizheng"),
    "x09_specialties_from_policy": (_x09, "X09", "书法"),
    "r12_id_number": (_r12_id_number, "R12", "第17位"),
    "r12_dates_not_in_future": (_r12_future, "R12", "晚于核对日期"),
    "r12_dates_in_order": (_r12_order, "R12", "未满18岁"),
    "r12_resume_continuous": (_r12_resume, "R12", "重叠"),
    "r12_assessment_grades": (_r12_grades, "R12", "不是公务员的考核等次"),
    "r12_evaluation_votes": (_r12_votes, "R12", "超过参加人数"),
    "x12_nomination_file_place": (_x12, "X12", "caizheng2.yaml"),
    "x05_candidates_exist": (_x05, "X06", "推荐层级"),
    "x07_nomination_counts": (_x07, "X07", "应到 1 人"),
    "x13_unique_units": (_x13, "X13", "排序号"),
    "x15_codeowners_current": (_x15, "X15", "cadres codeowners"),
    "x16_audiences_coherent": (_x16, "X16", "per_unit: true"),
}
NOMINATION_FUTURE = (_r12_nomination_future, "R12", "2027-08-01")


def test_every_check_has_a_docstring_and_a_failing_case():
    for check in CHECKS:
        assert check.doc, f"{check.name} has no docstring"
        assert check.name in FAILING, f"{check.name} has no failing case in this table"
        assert FAILING[check.name][1].startswith(check.code[0])


@pytest.mark.parametrize("name", sorted(FAILING))
def test_check_fails(project, name):
    break_it, code, words = FAILING[name]
    break_it(project)
    hits = [f for f in findings(project) if f.code == code and words in f.format()]
    assert hits, [f.format() for f in findings(project)]


def test_nomination_dates_are_checked_too(project):
    break_it, code, words = NOMINATION_FUTURE
    break_it(project)
    assert any(f.code == code and words in f.message and f.path == NOMINATION for f in findings(project))


def test_id_check_character_matches_gb11643_examples():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


def test_a_resume_entry_still_running_passes(project):
    text = cadre_file(project, "cai-0001").read_text(encoding="utf-8")
    last = text.split("resume:\n")[1].split("reserve:")[0].strip().splitlines()[-1]
    assert "to:" not in last
    assert findings(project) == []


def test_the_next_entry_starting_the_month_after_passes_and_the_same_month_overlaps(project):
    f = cadre_file(project, "cai-0001")
    text = f.read_text(encoding="utf-8")
    first, second = text.split("resume:\n")[1].splitlines()[:2]
    end = first.split('to: "')[1][:7]
    edit(f, second, second.replace(second.split('from: "')[1][:7], end))
    assert [x.message for x in findings(project)] == [f"起始时间「{end}」与上一条重叠（上一条到「{end}」）"]


def test_a_date_on_the_as_of_day_is_not_in_the_future(project):
    set_field(cadre_file(project, "cai-0001"), "reviewed", f'"{AS_OF_DATE.isoformat()}"')
    assert findings(project) == []
