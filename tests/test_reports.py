"""What a merge request shows: JUnit and Code Quality reports, and CODEOWNERS kept current."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

from conftest import AS_OF, PROJECT, cadre_file, change, new_lines


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
    assert [c.get("name") for c in cases] == ["registry/cadres/caizheng/cai-0001.yaml"]


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
    status, lines, _ = cadres(PROJECT, "codeowners", "--check")
    assert status == 0, lines


def approvals(codeowners: str, path: str) -> set[str]:
    """The sections whose approval a change to `path` needs, as GitLab reads CODEOWNERS (ee/lib/gitlab/code_owners):
    within a section the last matching entry decides, and a matching `!` exclusion leaves the file unowned there."""
    import fnmatch

    def matches(pattern: str) -> bool:
        if "/" not in pattern.rstrip("/"):
            return fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)  # like `*`: a file name in any folder
        pattern = pattern.lstrip("/")
        if pattern.endswith("/"):
            return path.startswith(pattern)
        return fnmatch.fnmatch(path, pattern) and pattern.count("/") == path.count("/")

    needed, section, owned = set(), None, None
    for line in [*codeowners.splitlines(), "[end]"]:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if owned:
                needed.add(section)
            section, owned = line[1 : line.index("]")], None
        elif matches(line.split()[0].removeprefix("!")):
            owned = not line.startswith("!")
    return needed


def test_codeowners_needs_the_unit_and_the_org_department_for_a_units_files(project, cadres):
    status, _, _ = cadres(project, "codeowners")
    assert status == 0
    text = (project / "CODEOWNERS").read_text(encoding="utf-8")
    deputy = cadre_file(project, "cai-0005").relative_to(project).as_posix()
    chief = cadre_file(project, "cai-0001").relative_to(project).as_posix()
    assert approvals(text, deputy) == {"区委组织部", "区财政局"}  # both, not either
    assert approvals(text, "registry/nominations/2025/caizheng.yaml") == {"区委组织部", "区财政局"}
    assert approvals(text, chief) == {"区委组织部"}  # 正职后备由区委组织部管理
    for config in (
        "registry/policy.yaml",
        "registry/units.yaml",
        "registry/audiences.yaml",
        "schemas/cadre.yaml",
        "CODEOWNERS",
    ):
        assert approvals(text, config) == {"区委组织部"}, config
    assert "[区委组织部] @zuzhibu-ganbuke" in text.splitlines() and "[区财政局] @caizheng-office" in text.splitlines()


def test_a_stale_codeowners_is_caught_by_check_and_by_validation(project, cadres):
    cadres(project, "codeowners")
    change(project, "cai-0005", lambda d: d["reserve"].update(level="正职"))  # a new 正职 record
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

    from conftest import demo_registry

    def fingerprints(day):
        return {i["check_name"]: i["fingerprint"] for i in json.loads(codequality(check(demo_registry(), day)))}

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
