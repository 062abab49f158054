"""History and the semantic diff, against real git repositories made here."""

import contextlib
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
from typing import ClassVar

import pytest
from pages import visible_text

from generator.cli import main
from generator.git.history import read_history
from generator.git.repo import HistoryError
from generator.registry.files import load_registry

from conftest import AS_OF, AS_OF_DATE, copy_project, seal
from gitrepo import Repo, copy_repo

CADRE = "cai-0005"  # 副职, 在库, 区财政局
GONE = "registry/cadres/chengdong/che-0016.yaml"  # 副职, 公推竞职: no nomination names it; deleted in !9


@pytest.fixture(scope="module")
def repo_template(tmp_path_factory):
    """The demo in a git repository, with three merged merge requests and one direct commit (made once)."""
    project = copy_project(tmp_path_factory.mktemp("history") / "project")
    r = Repo(project)
    r.merge_request(
        7,
        "更新孙某职务和年度考核",
        lambda: r.edit(
            CADRE,
            lambda d: (
                d["employment"].update(post="区财政局副局长"),
                d["assessments"].append({"year": 2026, "grade": "优秀"}),
            ),
        ),
        approvers=["王审核 <wang@example.intranet>", "李处长 <li@example.intranet>"],
        date="2026-03-01T10:00:00+08:00",
        author="财政局张干事",
    )

    def move():
        r.git("mv", "registry/cadres/caizheng/cai-0005.yaml", "registry/cadres/fagai/cai-0005.yaml")
        r.edit(CADRE, lambda d: d["employment"].update(unit="fagai", post="区发改委副主任"))
        nomination = project / "registry/nominations/2023/caizheng.yaml"
        nomination.write_text(
            "\n".join(ln for ln in nomination.read_text(encoding="utf-8").splitlines() if CADRE not in ln) + "\n",
            encoding="utf-8",
        )

        def by_selection(d):  # came in by a 公开选拔, on record (R10)
            d["reserve"].update(source="公开选拔")
            d["reserve"].pop("nomination")
            d["selection"] = {"kind": "公开选拔", "date": "2023-04", "result": "笔试、面试综合成绩第一名"}

        r.edit(CADRE, by_selection)

    r.merge_request(
        8, "调动到区发改委", move, approvers=["王审核 <wang@example.intranet>"], date="2026-04-01T10:00:00+08:00"
    )
    r.merge_request(
        9,
        "删除一条记录",
        lambda: (r.git("rm", "-q", GONE) and None) or r.forget("che-0016"),
        approvers=["王审核 <wang@example.intranet>"],
        date="2026-04-15T10:00:00+08:00",
    )
    r.edit(CADRE, lambda d: d.update(phone=seal("13900000001")))  # sealed, as `cadres encrypt` writes it
    r.git("commit", "-q", "-am", "更正电话", date="2026-05-01T10:00:00+08:00")
    return r


@pytest.fixture
def repo(repo_template, tmp_path):
    return copy_repo(repo_template, tmp_path / "project")


def test_a_moved_record_keeps_one_history_with_merge_requests_and_approvers(repo):
    history = read_history(repo.root, load_registry(repo.root).schemas)
    changes = history.of(CADRE)
    assert [c.kind for c in changes] == ["修改", "调动", "修改", "新建"]
    phone, moved, edited, created = changes
    assert (edited.merge_request, edited.approvers) == ("zuzhibu/cadres!7", ["王审核", "李处长"])  # names, no e-mail
    assert (edited.author, edited.merged_by) == ("财政局张干事", "组织部干部科")  # the clerk, and who merged
    assert (phone.author, phone.merged_by) == ("组织部干部科", "")  # a direct commit: nobody merged it
    assert edited.date.startswith("2026-03-01") and edited.subject == "更新孙某职务和年度考核"  # the MR's title
    assert moved.merge_request == "zuzhibu/cadres!8" and moved.path == "registry/cadres/fagai/cai-0005.yaml"
    assert phone.merge_request is None and phone.subject == "更正电话"
    assert created.fields[:2] == [(None, "新建记录"), ("reserve", "列为考察人选")]  # and what the acts said then


def test_field_differences_come_from_the_loaded_versions(repo):
    history = read_history(repo.root, load_registry(repo.root).schemas)
    phone, moved, edited, _ = history.of(CADRE)
    texts = [t for _, t in edited.fields]
    assert "现任职务: 区财政局规划发展科科长 → 区财政局副局长" in texts
    assert "年度考核 2026: 新增 优秀" in texts
    moved_texts = [t for _, t in moved.fields]
    assert moved_texts[0] == "文件 registry/cadres/caizheng/cai-0005.yaml → registry/cadres/fagai/cai-0005.yaml"
    assert "所在单位: caizheng → fagai" in moved_texts and "产生方式: 民主推荐 → 公开选拔" in moved_texts
    assert [(top, t.split(":")[0]) for top, t in phone.fields] == [("phone", "联系电话")]


@pytest.fixture(scope="module")
def history_site(repo_template, tmp_path_factory, warm_cache):
    """The org department's, the leaders' and 区发改委's sites of the history above, built once: (repo, stderr)."""
    repo = copy_repo(repo_template, tmp_path_factory.mktemp("history-site") / "project")
    cache = shutil.copytree(warm_cache, repo.root.parent / "cache")
    audiences = ("zuzhibu", "changwei", "unit-fagai")
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(io.StringIO()) as err:
        patch.setenv("CADRES_CACHE_DIR", str(cache))
        status = main(["--root", str(repo.root), "build", "--as-of", AS_OF, "--jobs", "2", *_each(audiences)])
    assert status == 0, err.getvalue()
    return repo, err.getvalue()


def _each(audiences):
    return [arg for audience in audiences for arg in ("--audience", audience)]


def test_history_is_shown_on_profiles_and_the_change_log_without_sensitive_values(history_site):
    repo, err = history_site
    assert "读取 git 历史" in err
    site = repo.root / "site"
    # what a reader sees (visible_text); what must be nowhere, not even in an attribute: the raw page
    org = (site / "zuzhibu/profiles/cai-0005.html").read_text(encoding="utf-8")
    seen = visible_text(org)
    assert "zuzhibu/cadres!8" in seen and "王审核" in seen and "wang@example.intranet" not in org
    assert "联系电话：" in seen and "13900000001" in seen
    log = (site / "zuzhibu/changes.html").read_text(encoding="utf-8")
    seen = visible_text(log)
    assert seen.index("更正电话") < seen.index("调动到区发改委") < seen.index("更新孙某职务和年度考核")  # newest first
    assert seen.count("未经合并请求审核") == 2  # the direct commits: 更正电话 and the first import
    assert "提交人：财政局张干事 · 合并人：组织部干部科" in seen  # the clerk who made it and who merged it
    assert "审核人取自 GitLab 写在合并提交末尾的批准记录（发布作业没有设置读取令牌 CADRES_API_TOKEN）" in seen
    unit = (site / "unit-fagai/profiles/cai-0005.html").read_text(encoding="utf-8")  # not a sensitive audience
    assert "现任职务：区财政局规划发展科科长 → 区财政局副局长" in visible_text(unit) and "联系电话" not in unit
    unit_log = (site / "unit-fagai/changes.html").read_text(encoding="utf-8")
    unit_seen = visible_text(unit_log)
    assert "调动" in unit_seen and "未经合并请求审核" in unit_seen and "zuzhibu/cadres!8" in unit_seen
    assert f"che-0016（{GONE}，记录文件已删除） 删除" in seen and "删除一条记录" in seen  # kept on the org site
    assert "che-0016" not in unit_log
    assert "registry/nominations/2023/caizheng.yaml 修改" in seen  # changes to other files: the org site
    assert "registry/nominations" not in unit_log
    for free_text in ("更正电话", "调动到区发改委", "更新孙某", "王审核", "组织部干部科", "张干事", "Merge branch"):
        assert free_text not in unit_log and free_text not in unit, free_text  # git's free text: the org site only
    head = repo.git("log", "-1", "--format=%h").strip()
    assert f"名册版本 {head}（2026.05.01） · 统计日期 {AS_OF.replace('-', '.')}" in visible_text(
        (site / "unit-fagai/index.html").read_text(encoding="utf-8")
    )


def test_leaders_pages_show_no_tool_details_and_the_org_departments_do(history_site):
    """Issue 27: leaders' profiles and change log showed merge-request ids, empty 审核/提交人 columns and a moved
    record's YAML paths: only audiences that keep records (edits) see them."""
    repo, _ = history_site
    site = repo.root / "site"
    for page in (f"profiles/{CADRE}.html", "changes.html"):  # cai-0005 moved from 区财政局 to 区发改委 in !8
        leaders = visible_text((site / "changwei" / page).read_text(encoding="utf-8"))
        assert "变更记录" in leaders and "年度考核" in leaders, page  # the change log is there, the trail is not
        for word in ("合并请求", "提交人", "registry/", ".yaml", "zuzhibu/cadres!", "王审核"):
            assert word not in leaders, (page, word)
    org = visible_text((site / f"zuzhibu/profiles/{CADRE}.html").read_text(encoding="utf-8"))
    assert "合并请求" in org and "registry/cadres/caizheng/cai-0005.yaml → registry/cadres/fagai/cai-0005.yaml" in org


def test_history_is_read_in_one_pass(repo, monkeypatch):
    from generator.git import repo as git_repo

    calls = []
    real = git_repo.run
    monkeypatch.setattr(
        git_repo, "run", lambda root, args, stdin=None: calls.append(args[0]) or real(root, args, stdin)
    )
    read_history(repo.root)
    # HEAD's hash and date, the history, the authors of the merged branches
    assert calls.count("log") == 3 and calls.count("cat-file") == 1


def test_a_shallow_clone_is_detected_and_said(repo, tmp_path, cadres):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    assert read_history(clone).shallow
    status, _, err = cadres(clone, "build", "--as-of", AS_OF, "--audience", "unit-caizheng", "--jobs", "1")
    assert status == 0, err
    assert "浅克隆" in err
    page = (clone / "site/unit-caizheng/changes.html").read_text(encoding="utf-8")
    assert "修改历史不完整" in visible_text(page) and "GIT_DEPTH: 0" in visible_text(page)
    assert "历史不完整（浅克隆）" in visible_text((clone / "site/unit-caizheng/index.html").read_text(encoding="utf-8"))


def test_outside_git_the_site_says_there_is_no_history(district_site):
    root, site = district_site  # a copy of the demo outside any git repository
    assert not (root / ".git").exists()
    assert "不是从 git 仓库生成的" in visible_text((site / "changwei/changes.html").read_text(encoding="utf-8"))
    assert "名册版本：未知" in visible_text((site / "unit-fagai/index.html").read_text(encoding="utf-8"))


# -- cadres diff -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_template(tmp_path_factory):
    """A repository where one commit admits a candidate, promotes a chief and adds a new candidate (made once)."""
    project = copy_project(tmp_path_factory.mktemp("round") / "project")
    r = Repo(project)
    base = r.git("rev-parse", "HEAD").strip()
    registry = load_registry(project)
    candidate = next(e.data for e in registry.cadres if e.data["reserve"]["status"] == "考察")
    chief = next(
        e.data
        for e in registry.cadres
        if e.data["reserve"]["status"] == "在库" and e.data["reserve"]["level"] == "正职" and e.data["id"] != "cai-0001"
    )
    r.edit(
        candidate["id"],
        lambda d: d["reserve"].update(
            status="在库",
            entered="2026-11-20",
            decision={"body": "区委常委会", "date": "2026-11-20", "ref": "区委常委会会议纪要〔2026〕30号"},
        ),
    )
    r.edit(chief["id"], lambda d: d["reserve"].update(status="已使用", exit={"date": "2026-11", "reason": "提拔使用"}))
    r.edit(
        "cai-0001",
        lambda d: d["education"].update(
            in_service={"level": "研究生", "degree": "硕士", "school": "安徽大学", "major": "公共管理"}
        ),
    )
    r.git("add", "-A")
    r.git("commit", "-q", "-m", "2026年11月调整")
    return r, base, candidate, chief


@pytest.fixture
def round_repo(round_template, tmp_path):
    r, base, candidate, chief = round_template
    return copy_repo(r, tmp_path / "project"), base, candidate, chief


def test_diff_names_exactly_who_entered_and_left_and_how_targets_move(round_repo, cadres):
    r, base, candidate, chief = round_repo
    status, lines, err = cadres(r.root, "diff", base, "HEAD", "--as-of", AS_OF, "--format", "json")
    assert status == 0, err
    d = json.loads("\n".join(lines))
    assert [p["id"] for p in d["entered"]] == [candidate["id"]]
    assert [(p["id"], p["reason"]) for p in d["left"]] == [(chief["id"], "已使用：提拔使用（2026-11）")]
    assert {p["id"]: p["changes"] for p in d["moved"]}[candidate["id"]] == ["状态: 考察 → 在库"]
    fields = {p["id"]: p["changes"] for p in d["fields"]}
    assert any(t.startswith("在职教育: 新增 研究生") for t in fields["cai-0001"])
    t09 = next(t for t in d["targets"] if t["id"] == "T09")
    assert t09["changed"] and t09["before"] == "11.8%（4人）" and t09["after"] == "14.7%（5人）"
    assert d["pool"] == {"before": 34, "after": 34}


def test_diff_markdown_is_a_merge_request_comment(round_repo, cadres):
    r, base, candidate, _chief = round_repo
    status, lines, _ = cadres(r.root, "diff", base, "--as-of", AS_OF, "--format", "markdown")
    assert status == 0
    text = "\n".join(lines)
    assert text.startswith(f"### 名册变化：`{base}` → `工作区`")
    assert f"- {candidate['name']}（{candidate['id']}" in text
    assert "| T09 | 研究生 | 11.8%（4人） | **14.7%（5人）** | 达到 |" in text


def test_diff_of_an_unknown_revision_is_a_clear_error(round_repo, cadres):
    r, *_ = round_repo
    status, _, err = cadres(r.root, "diff", "no-such-branch", "--as-of", AS_OF)
    assert status == 2 and "读不到版本「no-such-branch」" in err


def test_ages_in_the_diff_are_at_the_as_of_date(round_repo):
    from generator.git.diff import diff

    r, base, *_ = round_repo
    assert diff(r.root, base, None, AS_OF_DATE)["as_of"] == AS_OF


def test_a_record_that_cannot_be_read_is_said_so_and_the_diff_fails(round_repo, cadres):
    r, base, candidate, _chief = round_repo
    path = next((r.root / "registry/cadres").rglob(f"{candidate['id']}.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("sex: ", "sex: 不详 #", 1), encoding="utf-8")
    status, lines, _ = cadres(r.root, "diff", base, "--as-of", AS_OF)
    assert status == 1
    rel = path.relative_to(r.root).as_posix()
    assert f"  {rel}（版本 工作区）" in lines
    assert not any(candidate["id"] in line for line in lines if "出库" in line or "删除" in line)


def test_a_revision_from_before_a_setting_gets_a_clear_message(round_repo, cadres):
    r, _base, _candidate, _chief = round_repo
    for name in ("registry/policy.yaml", "schemas/policy.yaml"):  # as the policy was before `statistics`
        path = r.root / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "statistics:")
        end = next(i for i, ln in enumerate(lines) if i > start and "history_years" in ln) + 1
        path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    r.git("commit", "-q", "-am", "旧版政策")
    old = r.git("rev-parse", "HEAD").strip()
    r.git("revert", "--no-edit", "HEAD")
    status, _, err = cadres(r.root, "diff", old, "HEAD", "--as-of", AS_OF)
    assert status == 2
    assert "没有本程序需要的设置「statistics」" in err and "Traceback" not in err


def test_an_id_used_anywhere_in_history_is_never_given_again(project, cadres):
    r = Repo(project)
    highest = max(p.stem for p in (project / "registry/cadres/caizheng").glob("cai-*.yaml"))
    r.git("rm", "-q", f"registry/cadres/caizheng/{highest}.yaml")
    r.git("commit", "-q", "-m", "删除记录")
    cadres(project, "codeowners")  # the deleted record may have been a 正职 one
    status, lines, _ = cadres(project, "new", "cadre", "--unit", "caizheng")
    assert status == 0, lines
    number = int(highest.split("-")[1])
    assert f"cai-{number + 1:04d}.yaml" in lines[0] and f"{highest}.yaml" not in lines[0]


def test_a_deleted_record_is_shown_with_what_to_do_instead(round_repo, cadres):
    r, base, _candidate, chief = round_repo
    r.git("rm", "-q", r.path(chief["id"]).relative_to(r.root).as_posix())
    status, lines, _ = cadres(r.root, "diff", base, "--as-of", AS_OF)
    assert status == 0
    start = lines.index("删除记录（1 人）：")
    assert lines[start + 1].startswith(f"  {chief['name']}（{chief['id']}")
    assert lines[start + 1].endswith("——出库不删文件：请恢复文件；出库由区委组织部在决定的 left 中写明")


def test_a_change_of_who_can_open_the_numbers_is_said_first_and_on_the_org_log(round_repo, cadres):
    """Issue 21, point 6: registry/recipients.txt decides who can open the 身份证号 and phones."""
    r, base, _candidate, _chief = round_repo
    recipients = r.root / "registry/recipients.txt"
    recipients.write_text(
        recipients.read_text(encoding="utf-8") + "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n",
        encoding="utf-8",
    )
    r.merge_request(60, "增加一把密钥", lambda: None, approvers=["李处长 <li@example.intranet>"])
    status, lines, _ = cadres(r.root, "diff", base, "--as-of", AS_OF)
    assert status == 0
    assert lines[1:3] == [
        "能打开身份证号和电话的密钥（registry/recipients.txt）有变化，须区委组织部审核：",
        "  新增 age1qqqqqqqqqqqq…",
    ]
    log = [c for c in read_history(r.root).changes if c.path == "registry/recipients.txt"]
    assert [(c.cadre, c.kind, c.merge_request) for c in log] == [("", "修改", "zuzhibu/cadres!60"), ("", "新建", None)]


def test_one_id_never_turns_into_another_person(repo, cadres):
    """Issue 21, point 4: two merge requests made the same id (cadres new on two branches) and a conflict was
    resolved with one side's file: the id now names someone else. Validation against the fork point says so."""
    path = repo.path("cai-0004").relative_to(repo.root).as_posix()
    repo.edit("cai-0004", lambda d: d.update(name="张新来"))  # a name corrected: the same person
    status, lines, _ = cadres(repo.root, "validate", "--as-of", AS_OF, "--base", "HEAD", path)
    assert not [line for line in lines if "[X27]" in line]
    repo.edit("cai-0004", lambda d: d.update(name="张新来", birth="1991-02"))  # another person's file
    status, lines, _ = cadres(repo.root, "validate", "--as-of", AS_OF, "--base", "HEAD", path)
    found = [line for line in lines if "[X27]" in line]
    assert (
        status == 1
        and len(found) == 1
        and found[0].startswith(f"{path}:1:1: 错误 [X27] 编号 (id): 编号「cai-0004」在 HEAD 是")
    )
    assert "现在是张新来（出生 1991-02）：一个编号只属于一个人" in found[0]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (  # the README's template: title, approvers, reference
            "Merge branch 'mr-3' into 'main'\n\n更新健康状况\n\nApproved-by: 王审核 <wang@x>\n\nSee merge request a/b!3\n",
            ("a/b!3", "更新健康状况", ["王审核"]),
        ),
        (  # a title that says it was approved: text (GitLab's default template, no approvers)
            "Merge branch 'mr-4' into 'main'\n\nApproved-by: 区委组织部部长\n\nSee merge request a/b!4\n",
            ("a/b!4", "Approved-by: 区委组织部部长", []),
        ),
        (  # a squash commit or a branch commit naming a merge request: no merge request
            "See merge request a/b!9\n\nApproved-by: 区委组织部部长\n",
            (None, None, []),
        ),
        (  # approvers only where GitLab writes them: a block of nothing else, at the end
            "Merge branch 'x' into 'main'\n\n标题\n\n说明\nApproved-by: 伪造\n\nSee merge request a/b!5\n",
            ("a/b!5", "标题", []),
        ),
    ],
)
def test_the_trail_is_read_only_where_gitlab_writes_it(message, expected):
    """Issue 21, point 6: an MR titled `Approved-by: 区委组织部部长` added an approver."""
    from generator.git.repo import merge_trailers

    found = merge_trailers(message)
    assert (found.reference, found.title, found.approvers) == expected


def test_the_reviewer_checks_the_branch_with_the_key_before_approving(repo, cadres, monkeypatch):
    """Issue 21, point 7: a duplicate 身份证号 passed the hook and the merge request's pipeline (no key: X21)
    and first failed on main. The reviewer's command finds it on the branch, leaving the checkout as it was."""
    repo.git("switch", "-q", "-c", "mr-12")
    number = (repo.path("cai-0005").read_text(encoding="utf-8")).split('id_number: "')[1].split('"')[0]
    path = repo.path("cai-0004")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(text.split('id_number: "')[1].split('"')[0], number), encoding="utf-8")
    repo.git("commit", "-q", "-am", "录入身份证号")
    repo.git("switch", "-q", "main")
    status, lines, err = cadres(repo.root, "review", "mr-12", "--as-of", AS_OF)
    assert status == 1, err
    assert lines[0].startswith("用密钥核对分支 mr-12（与 main 的分叉点 ")
    assert any("[X17]" in line and "cai-0004.yaml" in line for line in lines)
    assert number not in "\n".join(lines)  # the numbers are compared, never printed
    assert repo.git("status", "--porcelain") == "" and len(repo.git("worktree", "list").splitlines()) == 1
    monkeypatch.delenv("CADRES_AGE_IDENTITY_FILE")
    status, _, err = cadres(repo.root, "review", "mr-12", "--as-of", AS_OF)
    assert status == 2 and "审核前的核对要用密钥解开号码" in err


def test_a_number_error_on_main_withholds_only_its_people(repo, cadres):
    """Issue 21, point 7: a duplicate 身份证号 merged without the key stopped every site; now its two people wait,
    named with the merge request that brought it, and everyone else is published."""
    number = (repo.path("cai-0005").read_text(encoding="utf-8")).split('id_number: "')[1].split('"')[0]
    repo.merge_request(
        70,
        "录入身份证号",
        lambda: repo.path("cai-0004").write_text(
            re.sub(r'id_number: "[^"]+"', f'id_number: "{number}"', repo.path("cai-0004").read_text(encoding="utf-8")),
            encoding="utf-8",
        ),
        approvers=["王审核 <wang@example.intranet>"],
    )
    status, _, err = cadres(
        repo.root, "build", "--as-of", AS_OF, "--audience", "zuzhibu", "--audience", "unit-caizheng", "--jobs", "1"
    )
    assert status == 0, err
    held = [line for line in err.splitlines() if line.startswith("未发布 ")]
    assert sorted(line.split(":")[0] for line in held if "[X17]" in line) == [
        "未发布 registry/cadres/caizheng/cai-0004.yaml",
        "未发布 registry/cadres/fagai/cai-0005.yaml",  # moved to 区发改委 in the fixture
    ]
    assert all(
        line.endswith("（合并请求 zuzhibu/cadres!70带来；改正后下次发布）") for line in held if "cai-0004.yaml:" in line
    )
    site = repo.root / "site"
    assert (
        not (site / "zuzhibu/profiles/cai-0004.html").exists()
        and not (site / "zuzhibu/profiles/cai-0005.html").exists()
    )
    assert (site / "zuzhibu/profiles/cai-0001.html").is_file() and (site / "unit-caizheng/index.html").is_file()
    assert "cai-0004" not in (site / "zuzhibu/search/search_index.json").read_text(encoding="utf-8")
    repo.edit("cai-0001", lambda d: d.update(ethnicity="汉"))  # any other error still stops every site
    status, _, err = cadres(repo.root, "build", "--as-of", AS_OF, "--audience", "zuzhibu")
    assert status == 1 and "名册有错误，未生成网站" in err


class GitLabMergeRequests(http.server.BaseHTTPRequestHandler):
    """GitLab's merge request API as far as the change log asks it (GET the request, GET its approvals)."""

    calls: ClassVar[list] = []

    def do_GET(self):
        self.calls.append(self.path)
        if self.headers["PRIVATE-TOKEN"] != "read-only":
            return self._answer(401, {"message": "401 Unauthorized"})
        if self.path.endswith("/approvals"):
            return self._answer(200, {"approved": True, "approved_by": [{"user": {"id": 3, "name": "李处长"}}]})
        return self._answer(
            200,
            {"iid": 7, "state": "merged", "author": {"name": "财政局张干事"}, "merged_by": {"name": "组织部李审核"}},
        )

    def _answer(self, status, value):
        body = json.dumps(value, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_approvers_author_and_merger_come_from_gitlab_where_the_job_has_a_token(repo, tmp_path):
    """Issue 21, point 6: text anyone writes (a title, a branch's author) never makes an approver or a 提交人."""
    from generator.git.approvals import Api

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GitLabMergeRequests)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    url = f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    GitLabMergeRequests.calls = []
    try:
        history = read_history(repo.root, load_registry(repo.root).schemas, tmp_path / "cache", Api(url, "read-only"))
        edited = next(c for c in history.of(CADRE) if c.merge_request == "zuzhibu/cadres!7")
        assert history.source == "gitlab"
        assert (edited.approvers, edited.author, edited.merged_by) == (["李处长"], "财政局张干事", "组织部李审核")
        assert "/api/v4/projects/zuzhibu%2Fcadres/merge_requests/7/approvals" in GitLabMergeRequests.calls
        asked = len(GitLabMergeRequests.calls)
        read_history(repo.root, None, tmp_path / "cache", Api(url, "read-only"))  # merged requests do not change
        assert len(GitLabMergeRequests.calls) == asked
        with pytest.raises(HistoryError) as refused:
            read_history(repo.root, None, tmp_path / "other-cache", Api(url, "s3cret"))
        assert "HTTP 401" in str(refused.value) and "s3cret" not in str(refused.value)
    finally:
        server.shutdown()
    without = read_history(repo.root)
    assert without.source == "commit"


def test_deleted_people_are_read_from_every_branch_and_a_file_made_again_is_not_deleted(tmp_path):
    """Issue 26: audit-site needs the names of people whose files are gone (a change log may still show them)."""
    from generator.git.repo import deleted_people

    folder = tmp_path / "registry/cadres/caizheng"
    folder.mkdir(parents=True)
    for cadre, name in (("cai-0901", "钱旧人"), ("cai-0902", "孙回来"), ("cai-0903", "赵分支")):
        (folder / f"{cadre}.yaml").write_text(f"id: {cadre}\nname: {name}\n", encoding="utf-8")
    repo = Repo(tmp_path)
    repo.git("rm", "-q", "registry/cadres/caizheng/cai-0901.yaml", "registry/cadres/caizheng/cai-0902.yaml")
    repo.git("commit", "-q", "-m", "删除")
    repo.git("checkout", "-q", "-b", "other")
    repo.git("rm", "-q", "registry/cadres/caizheng/cai-0903.yaml")
    repo.git("commit", "-q", "-m", "分支上删除")
    repo.git("checkout", "-q", "main")
    (folder / "cai-0902.yaml").write_text("id: cai-0902\nname: 孙回来\n", encoding="utf-8")  # made again
    assert sorted(deleted_people(tmp_path)) == [("cai-0901", "钱旧人", "caizheng")]
    assert deleted_people(tmp_path.parent) == []  # not a repository: nothing, no failure
