"""`cadres build`: a real `mkdocs build` of the demo, text shown as text, a failed build keeps the old site."""

import pytest

from conftest import AS_OF, cadre_file, edit


@pytest.fixture
def built(project, cadres):
    status, lines, err = cadres(project, "build", "--as-of", AS_OF)
    assert status == 0, err
    return project / "site"


def test_the_demo_site_is_built(built, project):
    record = cadre_file(project, "cai-0001").read_text(encoding="utf-8")
    name = record.split("name: ")[1].splitlines()[0]
    roster = (built / "roster" / "index.html").read_text(encoding="utf-8")
    assert name in roster and "区财政局" in roster
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "统计日期：2026-11-25" in home and 'lang="zh' in home
    assert (built / "search" / "search_index.json").exists()


def test_no_id_numbers_or_raw_yaml_in_the_site(built, project):
    number = cadre_file(project, "cai-0001").read_text(encoding="utf-8").split('id_number: "')[1][:18]
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert number not in text and "political_status:" not in text, path


def test_a_name_with_html_or_markdown_renders_as_text(project, cadres):
    edit(cadre_file(project, "cai-0001"), "post: 区财政局副局长\n", 'post: "<script>alert(1)</script>[点我](javascript:alert(1))|x"\n')
    status, _, err = cadres(project, "build", "--as-of", AS_OF)
    assert status == 0, err
    roster = (project / "site" / "roster" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in roster and 'href="javascript:' not in roster
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in roster


def test_a_registry_with_errors_is_not_built_and_the_old_site_stays(built, project, cadres):
    before = (built / "index.html").read_bytes()
    edit(cadre_file(project, "cai-0001"), "ethnicity: 汉族", "ethnicity: 汉")
    status, _, err = cadres(project, "build", "--as-of", "2026-11-26")
    assert status == 1 and "未生成网站" in err
    assert (built / "index.html").read_bytes() == before


def test_a_failing_mkdocs_build_leaves_the_previous_site_whole(built, project, cadres):
    before = sorted(p.relative_to(built) for p in built.rglob("*"))
    (project / "site_templates" / "index.md.j2").write_text("[坏链接](missing.md)\n", encoding="utf-8")
    status, _, err = cadres(project, "build", "--as-of", AS_OF)
    assert status == 2 and "原有网站保持不变" in err
    assert sorted(p.relative_to(built) for p in built.rglob("*")) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".build-") or ".old-" in p.name]
