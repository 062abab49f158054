"""What a merge request shows: JUnit and Code Quality reports, and CODEOWNERS kept current."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from gitlab_codeowners import approvers, parse

from conftest import AS_OF, DISTRICT, change, new_lines


def broken(project):
    change(project, "cai-0001", lambda d: d.update(ethnicity="汉"))
    change(project, "cai-0005", lambda d: d.update(health="患病"))


def test_junit_is_a_test_report_gitlab_reads(project, cadres):
    broken(project)
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF, "--format", "junit")
    assert status == 1
    suites = ET.fromstring("\n".join(lines))  # a JUnit XML parser accepts it
    suite = suites.find("testsuite")
    cases = suite.findall("testcase")
    files = sum(1 for p in (project / "registry").rglob("*.yaml"))
    assert len(cases) == files == int(suite.get("tests"))
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert sorted(failed) == ["registry/cadres/caizheng/cai-0001.yaml", "registry/cadres/caizheng/cai-0005.yaml"]
    assert int(suite.get("failures")) == 2
    assert "[S04] 民族 (ethnicity)" in failed["registry/cadres/caizheng/cai-0001.yaml"].text
    assert failed["registry/cadres/caizheng/cai-0005.yaml"].get("message").startswith("1 个错误：R06 ")
    overdue = [c for c in cases if c.find("system-out") is not None and "[R11]" in c.find("system-out").text]
    assert [c.get("name") for c in overdue] == ["registry/decisions/2023-09-19.yaml"]  # both people's, in it
    assert overdue[0].find("system-out").text.count("[R11]") == 2 and overdue[0].find("failure") is None


def test_junit_for_the_changed_files_only(project, cadres):
    broken(project)
    _status, lines, _ = cadres(
        project, "validate", "--as-of", AS_OF, "--format", "junit", "registry/cadres/caizheng/cai-0001.yaml"
    )
    cases = ET.fromstring("\n".join(lines)).find("testsuite").findall("testcase")
    # the changed file, and every file with an error: the narrowed run fails where the whole one would
    assert [c.get("name") for c in cases] == [
        "registry/cadres/caizheng/cai-0001.yaml",
        "registry/cadres/caizheng/cai-0005.yaml",
    ]


def test_code_quality_has_the_fields_gitlab_documents(project, cadres):
    broken(project)
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF, "--format", "codequality")
    assert status == 1
    issues = json.loads("\n".join(lines))
    for issue in issues:  # description, check_name, fingerprint, severity, location.path, location.lines.begin
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int) and not issue["location"]["path"].startswith("/")
        assert len(issue["fingerprint"]) == 32
    ethnicity = next(i for i in issues if i["check_name"] == "S04")
    assert ethnicity["location"] == {"path": "registry/cadres/caizheng/cai-0001.yaml", "lines": {"begin": 5}}
    assert ethnicity["severity"] == "major" and ethnicity["description"].startswith("错误 [S04] 民族 (ethnicity): ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues if i["check_name"] == "R11"} == {"minor"}


# -- CODEOWNERS ----------------------------------------------------------------------------


def test_the_shipped_codeowners_is_current(cadres):
    status, lines, _ = cadres(DISTRICT, "codeowners", "--check")
    assert status == 0, lines


def test_the_reader_combines_sections_as_gitlab_does():
    """The defect of the two-level file: GitLab combines [区委组织部] (the org department) with the unit
    区委组织部's own section; a 正职 record excluded with `!` then needed no approval at all, a 副职 record only
    the unit's reviewer."""
    text = (
        "[区委组织部] @org\n*\n\n[区委组织部] @zuzhi-office\n/registry/cadres/zuzhi/\n"
        "!/registry/cadres/zuzhi/zuz-0001.yaml\n\n[区财政局]   @cz\n/registry/cadres/caizheng/\n"
        "registry/cadres/caizheng/cai-0001.yaml @chief-owner\n"
    )
    assert approvers(text, "registry/cadres/zuzhi/zuz-0001.yaml") == {}
    assert approvers(text, "registry/cadres/zuzhi/zuz-0002.yaml") == {"区委组织部": ["@zuzhi-office"]}
    assert approvers(text, "registry/cadres/caizheng/cai-0002.yaml") == {"区委组织部": ["@org"], "区财政局": ["@cz"]}
    assert approvers(text, "registry/cadres/caizheng/cai-0001.yaml") == {
        "区委组织部": ["@org"],
        "区财政局": ["@chief-owner"],  # the last match within a section wins; default owners otherwise
    }
    assert list(parse("[Docs] @a\n*.md\n[docs] @b\n*.txt\n")) == ["codeowners", "Docs"]  # one section


def test_the_district_needs_the_org_department_for_every_file_and_a_unit_its_own_reviewers(project, cadres, tmp_path):
    status, _, _ = cadres(project, "codeowners")
    assert status == 0
    text = (project / "CODEOWNERS").read_text(encoding="utf-8")
    files = [p.relative_to(project).as_posix() for p in (project / "registry").rglob("*") if p.is_file()]
    files += ["CODEOWNERS", "schemas/cadre.yaml", ".gitlab-ci.yml"]
    org = {"区委组织部（区名册）": ["@zuzhibu-ganbuke"]}
    assert all(approvers(text, f) == org for f in files)  # the org department's members, nobody else
    assert "@caizheng-office" not in text and "@zuzhi-office" not in text  # not members of the district project
    for unit, name in (("caizheng", "区财政局"), ("zuzhi", "区委组织部")):
        repo = tmp_path / unit
        repo.mkdir()
        assert cadres(project, "unit-export", unit, "--to", str(repo))[0] == 0
        assert cadres(repo, "codeowners")[0] == 0
        own = (repo / "CODEOWNERS").read_text(encoding="utf-8")
        held = [p.relative_to(repo).as_posix() for p in (repo / "registry").rglob("*") if p.is_file()]
        assert held and all(approvers(own, f) == {name: [f"@{unit}-office"]} for f in [*held, "CODEOWNERS"])


def test_a_stale_codeowners_is_caught_by_check_and_by_validation(project, cadres):
    cadres(project, "codeowners")
    (project / "registry/audiences.yaml").write_text(
        (project / "registry/audiences.yaml").read_text(encoding="utf-8").replace("@zuzhibu-ganbuke", "@zuzhibu-new"),
        encoding="utf-8",
    )  # a new reviewer for the org department
    status, lines, _ = cadres(project, "codeowners", "--check")
    assert status == 1 and "运行 cadres codeowners" in lines[0]
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF)
    assert any(ln.startswith("CODEOWNERS:1:1: 错误 [X15]") for ln in new_lines(lines))
    cadres(project, "codeowners")
    status, lines, _ = cadres(project, "codeowners", "--check")
    assert status == 0


def test_code_quality_fingerprints_do_not_change_from_day_to_day():
    """GitLab compares a merge request's report with main's by fingerprint: R11's text changes every day."""
    from generator.core.findings import codequality
    from generator.registry.validate import check

    from conftest import district_registry

    def fingerprints(day):
        return {i["check_name"]: i["fingerprint"] for i in json.loads(codequality(check(district_registry(), day)))}

    today, later = fingerprints(dt.date(2026, 11, 25)), fingerprints(dt.date(2026, 12, 31))
    assert today["R11"] == later["R11"]


def test_a_control_character_in_a_value_keeps_the_junit_file_readable():
    from generator.core.findings import Finding, junit

    bad = Finding(
        "registry/cadres/caizheng/cai-0001.yaml", 2, 1, "错误", "S04", "姓名", "name", "「孙\x01杰\x1b」不对", ""
    )
    root = ET.fromstring(junit([bad], [bad.path]))  # parses: XML 1.0 cannot hold \x01 or \x1b
    failure = root.find("testsuite/testcase/failure")
    assert "「孙\\x01杰\\x1b」不对" in failure.text and "孙\\x01杰" in failure.get("message")


NUMBER, MOBILE = "340104198803120012", "13812345678"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(birth=NUMBER),
        lambda d: d.update(health=f"良好{NUMBER}"),
        lambda d: d.update(birth=MOBILE),
        lambda d: d["employment"].update(post=f"科长，手机{MOBILE}"),
        # attacked again: numbers typed in groups, in full-width digits, after a word, in a field a code table holds
        lambda d: d.update(health="良好 3401 0419 8803 1200 12"),
        lambda d: d.update(health="良好 ３４０１０４１９８８０３１２００１２"),
        lambda d: d.update(ethnicity="3401-0419-8803-1200-12"),
        lambda d: d.update(health="Tel13812345678"),
        lambda d: d.update(health="手机 138-1234-5678"),
        lambda d: d.update(health="体检 2021-05 13812345678"),  # a date typed right before the number
    ],
)
def test_a_number_typed_into_another_field_is_masked_in_every_report(edits, mutate):
    """Issue 26: an ID number typed into `birth` or `health` was repeated in the text, JUnit and Code Quality."""
    from generator.core.findings import codequality, junit

    edits.change("cai-0001", mutate)
    found = edits.findings()
    assert found
    for report in ("\n".join(f.format() for f in found), junit(found, [f.path for f in found]), codequality(found)):
        assert NUMBER not in report and MOBILE not in report and not re.search(r"(?<![0-9a-f])[0-9]{11}", report)
        digits = re.sub(r"[^0-9０-９*]", "", report.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        assert "0419880312" not in digits and "1234567" not in digits


def test_the_pool_diff_masks_numbers_and_keeps_each_change_on_one_line():
    from generator.git import diff

    person = {"name": "孙杰", "id": "cai-0001", "unit_name": "区财政局", "level": "正职"}
    d = {
        "pool": {"before": 1, "after": 1},
        "as_of": "2026-11-25",
        "entered": [],
        "left": [],
        "moved": [],
        "added": [],
        "removed": [],
        "unreadable": [],
        "fields": [{**person, "changes": [f"健康状况: 健康 → {NUMBER}", f"熟悉专业有何专长: 财务\n{MOBILE}"]}],
    }
    shown = "\n".join(diff.lines(d))
    assert NUMBER not in shown and MOBILE not in shown
    assert "3401**********0012" in shown and "138****5678" in shown
    assert len(diff.lines(d)) == 5  # the title, the count, a blank line, the section, one person


@pytest.mark.parametrize("name", ["13812345678.yaml", "340104198803120012.yaml"])
def test_a_file_named_by_a_number_is_masked_in_every_report(edits, name):
    """Attacked again: text masked a record file named by a number, JUnit and Code Quality repeated it."""
    from generator.core.findings import codequality, junit

    rel = f"registry/cadres/caizheng/{name}"
    edits.rename("registry/cadres/caizheng/cai-0001.yaml", rel)
    found = [f for f in edits.findings() if f.path == rel]
    assert found
    for report in ("\n".join(f.format() for f in found), junit(found, [rel]), codequality(found)):
        assert name.removesuffix(".yaml") not in report
