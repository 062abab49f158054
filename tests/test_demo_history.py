"""The demo's change log is a district's merge-request history made from the shipped registry, never this
project's development commits."""

import os
import re
import shutil
import subprocess
import sys

import demo_history as demo
import pytest
from pages import find, visible_text

from generator.git.history import read_history

from conftest import AS_OF, PROJECT, demo_registry

pytestmark = pytest.mark.xdist_group("demo")  # one worker builds the demo's history and sites once


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def demo_repo(tmp_path_factory):
    return demo.history_repo(demo_registry(), tmp_path_factory.mktemp("demo-cache"))


def test_the_same_registry_gives_the_same_repository_commit_for_commit(demo_repo, tmp_path):
    again = demo.history_repo(demo_registry(), tmp_path)
    assert git(again, "rev-parse", "HEAD") == git(demo_repo, "rev-parse", "HEAD")
    stamp = (again / ".git" / "cadres-demo").stat().st_mtime_ns
    assert demo.history_repo(demo_registry(), tmp_path) == again  # reused, not made again:
    assert (again / ".git" / "cadres-demo").stat().st_mtime_ns == stamp


def test_the_history_ends_in_the_shipped_registry(demo_repo):
    assert git(demo_repo, "status", "--porcelain") == ""
    for path in sorted((PROJECT / "registry").rglob("*.yaml")):
        rel = path.relative_to(PROJECT)
        assert (demo_repo / rel).read_bytes() == path.read_bytes(), rel
    tracked = set(git(demo_repo, "ls-files").split())
    assert tracked == {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "registry").rglob("*.yaml")}


def test_every_change_is_a_reviewed_merge_request_in_chinese(demo_repo):
    history = read_history(demo_repo)
    assert history.available and len(history.changes) > 1000
    for change in history.changes:
        assert change.merge_request and change.merge_request.startswith("zuzhibu/cadres!"), change
        assert change.approvers and change.merged_by == "区委组织部干部科"
        assert not change.subject.isascii(), change.subject
    subjects = {c.subject for c in history.changes}
    for expected in (
        "建立科级后备干部名册（单位名录、政策参数、网站读者）",
        "区委常委会研究确定2025年度后备干部（101人入库）",
        "2025年度后备干部考察（101人）",
        "录入2025年度考核结果（区财政局）",
        "新增柔性交流关注人选（6人）",
    ):
        assert expected in subjects, expected
    assert {s for s in subjects if s.startswith("2023年度民主推荐：区财政局")} == {
        "2023年度民主推荐：区财政局推荐3名后备干部人选"
    }
    kinds = {c.kind for c in history.changes}
    assert kinds == {"新建", "修改", "调动"}
    assert any("提拔使用，出库" in s for s in subjects)
    # the 2025 round's one meeting: admissions, reviews and departures together
    decided = [c for c in history.changes if c.subject == "区委常委会研究确定2025年度后备干部（101人入库）"]
    texts = [text for c in decided for _, text in c.fields]
    assert sum(t.startswith("研究确定列入后备干部: ") for t in texts) == 101
    assert sum(t.startswith("调整中保留: ") for t in texts) == 107
    assert sum(t.startswith("出库: 调整出库") for t in texts) == 3
    assert any(s.startswith("更正") and s.endswith("的籍贯") for s in subjects)


def test_a_moved_record_moves_with_its_new_post(demo_repo):
    moved = [c for c in read_history(demo_repo).of("kej-0003") if c.kind == "调动"]
    assert len(moved) == 1 and moved[0].subject.endswith("调任区财政局，记录随人转入")
    assert moved[0].path == "registry/cadres/caizheng/kej-0003.yaml" and moved[0].date.startswith("2025-03")
    texts = "；".join(text for _, text in moved[0].fields)
    assert "employment.unit: keji → caizheng" in texts and "区科技局财务科科长 → 区财政局财务科科长" in texts, texts


def test_a_record_goes_back_in_time_by_its_own_dates():
    entry = next(e for e in demo_registry().cadres if e.data["id"] == "cai-0001")  # 正职, 在库 since 2023-09-19
    final = entry.data
    assert demo.version_at(final, "2099-01-01") == final
    nominated = demo.version_at(final, "2023-08-14")
    assert nominated["reserve"]["status"] == "推荐" and "inspection" not in nominated and "entered" not in nominated
    inspected = demo.version_at(final, "2023-09-01")
    assert inspected["reserve"]["status"] == "考察" and inspected["inspection"] == final["inspection"]
    admitted = demo.version_at(final, "2023-09-19")
    assert admitted["reserve"]["status"] == "在库" and "reviewed" not in admitted["reserve"]
    assert [a["year"] for a in admitted["assessments"]][-1] == 2022  # 2023's grade was entered in January 2024
    assert "training" not in admitted  # the 2024 course had not ended


def checkout_build(demo_repo, audience):
    """An audience's site built in this checkout (with the demo's history), as `make site` builds it; the history
    is the one demo_repo made, in the same cache folder, not made again."""
    out = demo_repo.parent
    stamp = (demo_repo / ".git" / "cadres-demo").stat().st_mtime_ns
    env = {**os.environ, "CADRES_CACHE_DIR": str(out)}
    command = [sys.executable, "-m", "generator", "--root", str(PROJECT), "build", "--as-of", AS_OF]
    result = subprocess.run(
        [*command, "--audience", audience, "--output", str(out / audience)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert (demo_repo / ".git" / "cadres-demo").stat().st_mtime_ns == stamp
    return out / audience / audience


@pytest.fixture(scope="session")  # its tests may run apart (xdist_group keeps them on one worker, not together)
def unit_site(demo_repo):
    """区财政局's site of the demo (the org department's: org_site, for the browser test; the leaders' pages of
    a history: test_history.py)."""
    return checkout_build(demo_repo, "unit-caizheng")


@pytest.fixture(scope="session")
def org_site(demo_repo):
    return checkout_build(demo_repo, "zuzhibu")


def test_what_make_site_builds_for_a_unit_passes_the_audit(unit_site, tmp_path):
    """Issue 26: a unit's site of the demo, with its history, as the publishing job audits it (every site of a
    build: test_serving.py, on the tests' registry)."""
    shutil.copytree(unit_site, tmp_path / "unit-caizheng")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(PROJECT), "audit-site", "--sites", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout == "站点检查通过：没有发现问题。\n", result.stdout + result.stderr


def test_building_the_checkout_shows_the_demo_history_not_the_development(unit_site):
    log = visible_text((unit_site / "changes.html").read_text(encoding="utf-8"))
    assert "合并请求 zuzhibu/cadres!" in log  # the org department's log, with the MRs' titles: the next test
    for development in ("cadres-dev", "Merge branch", "demo", "Format", "未经合并请求审核"):
        assert development not in log, development


def test_the_change_log_reads_as_sentences_and_filters_by_unit_and_name(org_site, browser):
    log = (org_site / "changes.html").read_text(encoding="utf-8")
    seen = visible_text(log)
    assert "后备干部挂职锻炼登记" in seen and "合并请求 zuzhibu/cadres!" in seen  # the demo's, not the development's
    for development in ("cadres-dev", "Merge branch", "demo", "Format", "未经合并请求审核"):
        assert development not in seen, development
    details = find(log, "details")
    assert len(details) == 100 and all(d.matches(class_="cadres-change", id=re.compile(".+")) for d in details)
    assert sum("open" in d.attrs for d in details) == 5  # the latest five unfolded, the rest a line each
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((org_site / "changes.html").as_uri())
    # what a reader sees: laid out on the page, not only marked hidden (issue 27: the theme showed hidden entries)
    visible = (
        "Array.from(document.querySelectorAll('ul.cadres-records > li'))"
        ".filter(li => li.getClientRects().length > 0).map(li => li.getAttribute('data-{}'))"
    )
    shown = (
        "Array.from(document.querySelectorAll('details.cadres-change')).filter(d => d.getClientRects().length).length"
    )
    page.fill(".cadres-change-filter input", "没有这个人")
    assert page.evaluate(shown) == 0 and page.evaluate(visible.format("name")) == []
    page.fill(".cadres-change-filter input", "")
    page.select_option(".cadres-change-filter select", "区财政局")
    units = page.evaluate(visible.format("unit"))
    everyone = "Array.from(document.querySelectorAll('ul.cadres-records > li[data-unit=\"区财政局\"]')).length"
    assert units and set(units) == {"区财政局"} and len(units) == page.evaluate(everyone)
    name = units and page.evaluate(visible.format("name"))[0]
    page.fill(".cadres-change-filter input", name)
    assert set(page.evaluate(visible.format("name"))) == {name}
    assert page.evaluate("document.querySelectorAll('details.cadres-change[open]:not([hidden])').length") >= 1
    assert [e for e in errors if "search_index.js" not in e] == []  # search needs http, not file://
    page.close()
