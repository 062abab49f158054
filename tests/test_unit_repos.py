"""The access model's path for a unit's change, in real git repositories: a unit repository holding only the
unit's people, its merge request, and the org department's take-in with the unit's trail."""

import os
import subprocess

import pytest

from generator.cli import main

from conftest import AS_OF, DISTRICT, copy_project, raw_records
from gitrepo import Repo, copy_repo, plant

UNIT = "caizheng"


def git(root, *args, **kw):
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, **kw)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def repos_made(tmp_path_factory):
    """The district in git and caizheng's repository made from it by `cadres unit-export`, once per module."""
    base = tmp_path_factory.mktemp("repos")
    district = Repo(copy_project(base / "district"))
    unit = base / "unit"
    unit.mkdir()
    git(unit, "init", "-q", "-b", "main")
    git(unit, "config", "user.name", "组织部干部科")
    git(unit, "config", "user.email", "gbk@example.intranet")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADRES_CACHE_DIR", str(base / "cache"))
        assert main(["--root", str(district.root), "unit-export", UNIT, "--to", str(unit)]) == 0
    git(unit, "add", "-A")
    git(unit, "commit", "-q", "-m", "组织部同步")
    return district, Repo(unit, init=False)


@pytest.fixture
def repos(repos_made, tmp_path):
    """(district, unit repository): copies of `repos_made` the test may change."""
    district, unit = repos_made
    return copy_repo(district, tmp_path / "district"), copy_repo(unit, tmp_path / "unit")


def units_request(unit):
    """The unit's merge request !3: a health status corrected, approved by its reviewer."""
    unit.merge_request(
        3,
        "更新健康状况",
        lambda: unit.edit("cai-0004", lambda d: d.update(health="良好")),
        approvers=["王审核 <wang@example.intranet>"],
    )


def test_a_unit_repository_holds_what_its_site_shows_and_no_one_else(repos):
    """Point 3 of the trail issue: its 副职 candidates and pool (audiences.yaml), not its 正职 reserves, its
    关注 people or its leavers; the org department's acts with those people's entries only."""
    _, unit = repos
    files = git(unit.root, "ls-files").split()
    acts = ("registry/inspections/", "registry/decisions/")
    assert all(
        f.startswith((f"registry/cadres/{UNIT}/", *acts)) or f.endswith(f"/{UNIT}.yaml") or f.count("/") == 1
        for f in files
    ), files
    text = "\n".join((unit.root / f).read_text(encoding="utf-8") for f in files)
    shown = {
        d["id"] for d in raw_records()
        if d["employment"]["unit"] == UNIT and d["reserve"]["level"] == "副职"
        and d["reserve"]["status"] in ("推荐", "考察", "在库")
    }  # fmt: skip
    assert shown == {"cai-0004", "cai-0005", "kej-0003"}
    for person in raw_records():
        assert (person["id"] in text) == (person["id"] in shown), person["id"]
        assert person["id_number"] not in text  # its own numbers only sealed
    records = "\n".join((unit.root / f).read_text(encoding="utf-8") for f in files if f.count("/") > 1)
    assert "registry/unit-repository.txt" in files and "level: 正职" not in records  # no 正职 vote or decision


def test_a_units_merged_change_reaches_the_district_with_its_trail_and_nothing_else(repos, cadres):
    district, unit = repos
    units_request(unit)

    def overreach():  # what a unit's repository may hold but the district never takes from it
        (unit.root / "registry/cadres/fagai").mkdir()
        (unit.root / "registry/cadres/fagai/fag-0099.yaml").write_text("id: fag-0099\n", encoding="utf-8")
        policy = unit.root / "registry/policy.yaml"
        policy.write_text(policy.read_text(encoding="utf-8") + "# 单位改的\n", encoding="utf-8")

    unit.merge_request(4, "越权修改", overreach, approvers=["王审核 <wang@example.intranet>"])
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert status == 1, err  # named: files that are not the unit's were not taken
    assert (
        "不取 registry/cadres/fagai/fag-0099.yaml：不是本单位的文件（单位仓库只能修改本单位的记录和推荐文件）" in lines
    )
    assert "不取 registry/policy.yaml：不是本单位的文件（单位仓库只能修改本单位的记录和推荐文件）" in lines
    assert lines[-1].startswith("已在分支 unit/caizheng-") and "1 个修改" in lines[-1]
    message = git(district.root, "log", "-1", "--format=%B")
    assert "- zuzhibu/cadres!3 更新健康状况（批准：王审核）" in message and "wang@" not in message
    assert "Cadres-Unit: caizheng" in message and "Cadres-Unit-Revision: " in message
    changed = git(district.root, "diff", "--name-only", "main", "HEAD").split()
    assert changed == ["registry/cadres/caizheng/cai-0004.yaml", "unit-sync/caizheng.txt"]  # where the next starts
    assert not (district.root / "registry/cadres/fagai/fag-0099.yaml").exists()


def merged(district, method):
    """The org department's merge request of the pull's branch, merged into main the way GitLab may merge it."""
    branch = git(district.root, "branch", "--list", "unit/*").split()[-1]
    git(district.root, "switch", "-q", "main")
    if method == "merge":
        message = (
            f"Merge branch '{branch}' into 'main'\n\n导入区财政局单位仓库\n\nSee merge request zuzhibu/cadres!50\n"
        )
        git(district.root, "merge", "-q", "--no-ff", "-m", message, branch)
    elif method == "squash":  # GitLab's squash commit: the title only, none of the branch's trailers
        git(district.root, "merge", "-q", "--squash", branch)
        git(district.root, "commit", "-q", "-m", "导入区财政局单位仓库")
    else:
        git(district.root, "merge", "-q", "--ff-only", branch)
    git(district.root, "branch", "-q", "-D", branch)


@pytest.mark.parametrize("method", ["merge", "squash", "fast-forward"])
def test_every_merge_method_keeps_both_sides_work(repos, cadres, method):
    """Point 4: after a squash, the next pull reverted the org department's edit and listed !3 twice."""
    district, unit = repos
    units_request(unit)  # !3: cai-0004's health
    assert cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))[0] == 0
    merged(district, method)
    district.edit("cai-0004", lambda d: d["employment"].update(post="区财政局办公室主任"))  # the org's own
    git(district.root, "commit", "-q", "-am", "组织部更正职务")
    unit.merge_request(4, "补充专长", lambda: unit.edit("cai-0004", lambda d: d.update(expertise="熟悉预算绩效")))
    status, lines, _ = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert status == 0, lines
    assert [line for line in lines if line.startswith("- ")] == [
        "- zuzhibu/cadres!4 补充专长（批准：未记录审核人）".replace("（批准：未记录审核人）", "（未记录审核人）")
    ]
    text = (district.root / "registry/cadres/caizheng/cai-0004.yaml").read_text(encoding="utf-8")
    assert "post: 区财政局办公室主任" in text and "expertise: 熟悉预算绩效" in text and "health: 良好" in text


def test_a_line_both_sides_changed_keeps_both_between_conflict_markers(repos, cadres):
    district, unit = repos
    district.edit("cai-0005", lambda d: d.update(health="良好"))  # the org department's
    git(district.root, "commit", "-q", "-am", "组织部更正健康状况")
    unit.merge_request(5, "单位改", lambda: unit.edit("cai-0005", lambda d: d.update(health="患病")))
    status, lines, _ = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    path = "registry/cadres/caizheng/cai-0005.yaml"
    assert status == 1 and any(line.startswith(f"冲突 {path}：区名册和单位仓库都改过同一处") for line in lines)
    assert git(district.root, "branch", "--show-current").startswith("unit/caizheng-")  # on the branch, to settle
    text = (district.root / path).read_text(encoding="utf-8")
    assert "<<<<<<< 区名册\nhealth: 良好\n" in text and "=======\nhealth: 患病\n>>>>>>> 单位仓库" in text
    status, lines, _ = cadres(district.root, "validate", "--as-of", AS_OF, path)
    assert status == 1 and any("[Y02]" in line for line in lines)  # cannot be merged into main as it is


def test_a_dirty_district_or_an_unknown_unit_repository_is_said_plainly(repos, cadres, tmp_path):
    district, _ = repos
    status, _, err = cadres(district.root, "unit-pull", UNIT, "--from", str(tmp_path / "nowhere"))
    assert status == 2 and "读不到单位仓库" in err
    (district.root / "registry/cadres/caizheng/cai-0001.yaml").write_text("x: 1\n", encoding="utf-8")
    status, _, err = cadres(district.root, "unit-pull", UNIT, "--from", str(tmp_path / "nowhere"))
    assert status == 2 and "有未提交的修改" in err


def test_the_org_departments_change_log_shows_the_units_merge_requests(repos, cadres):
    district, unit = repos
    units_request(unit)
    cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    branch = git(district.root, "branch", "--show-current").strip()
    git(district.root, "switch", "-q", "main")
    message = f"Merge branch '{branch}' into 'main'\n\n导入区财政局单位仓库\n\nSee merge request zuzhibu/cadres!50\n"
    git(
        district.root, "merge", "-q", "--no-ff", branch, "-m", message + "\nApproved-by: 李处长 <li@example.intranet>\n"
    )
    status, _, err = cadres(
        district.root, "build", "--as-of", AS_OF, "--audience", "zuzhibu", "--audience", "unit-caizheng", "--jobs", "1"
    )
    assert status == 0, err
    org = (district.root / "site/zuzhibu/changes.html").read_text(encoding="utf-8")
    assert "合并请求 zuzhibu/cadres!50" in org and "审核：李处长" in org
    trail = org.split("来自单位仓库的合并请求：")[1].split("</p>")[0].split("；")
    # the unit repository's first commit was the org department's own (unit-export), then the unit's request
    assert trail == ["未经合并请求：组织部同步（组织部干部科）", "zuzhibu/cadres!3 更新健康状况（批准：王审核）"]
    own = (district.root / "site/unit-caizheng/changes.html").read_text(encoding="utf-8")
    assert "来自单位仓库" not in own and "王审核" not in own  # git's free text: the org department's site only


FSMONITOR = b"[core]\n\tfsmonitor = touch pwned\n"
HOSTILE = {  # what a unit's clerk can push with git's plumbing: the path, how much of it the refusal names, why
    "up to units.yaml": (["registry", "cadres", UNIT, "..", "..", "units.yaml"], 4, b"100644", "「.」或「..」"),
    "up to .git/config": (["registry", "cadres", UNIT, "..", "..", "..", ".git", "config"], 4, b"100644", "「..」"),
    "up to another unit": (["registry", "cadres", UNIT, "..", "fagai", "fag-0001.yaml"], 4, b"100644", "「..」"),
    "out of the repository": (["registry", "..", "..", "outside.yaml"], 2, b"100644", "「..」"),
    ".git inside": (["registry", "cadres", UNIT, ".git", "config"], 4, b"100644", "「.git」"),
    ".GIT. inside": (["registry", "cadres", UNIT, ".GIT.", "config"], 4, b"100644", "「.git」"),
    "git~1 inside": (["registry", "cadres", UNIT, "GIT~1", "config"], 4, b"100644", "「.git」"),
    ".git at the top": ([".git", "config"], 1, b"100644", "「.git」"),
    "slash in a name": (["registry", "cadres", UNIT, "../../units.yaml"], 4, b"100644", "斜杠"),
    "backslash in a name": (["registry", "cadres", UNIT, "..\\..\\units.yaml"], 4, b"100644", "斜杠"),
    "escape codes in a name": (["registry", "cadres", UNIT, "cai-0001\x1b[32m.yaml"], 4, b"100644", "控制字符"),
    "right-to-left override": (["registry", "cadres", UNIT, "cai-\u202e0001.yaml"], 4, b"100644", "方向控制字符"),
    "symlink record": (["registry", "cadres", UNIT, "cai-0001.yaml"], 4, b"120000", "符号链接"),
    "symlink folder": (["registry", "nominations", "2027"], 3, b"120000", "符号链接"),
    "submodule": (["registry", "cadres", UNIT, "photos"], 4, b"160000", "子模块"),
    "registry a file": (["registry"], 1, b"100644", "不是目录"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_unit_repository_never_writes_outside_its_unit(repos, cadres, case):
    """Point 1 of the trail issue: every entry judged before anything is written; one Chinese line names it."""
    district, unit = repos
    components, named, mode, words = HOSTILE[case]
    obj = git(unit.root, "rev-parse", "HEAD").strip() if mode == b"160000" else None
    plant(unit.root, components, mode, b"../../units.yaml" if mode == b"120000" else FSMONITOR, obj)
    before = {p: p.read_bytes() for p in (district.root / ".git/config", district.root / "registry/units.yaml")}
    head = git(district.root, "rev-parse", "HEAD")
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert (status, lines) == (2, []), err
    shown = "/".join(components[:named]).replace("\x1b", "\\u001b").replace("\u202e", "\\u202e")
    assert err.count("\n") == 1 and f"单位仓库中的「{shown}」" in err and words in err, err
    assert "没有导入任何文件" in err and "Traceback" not in err
    assert git(district.root, "rev-parse", "HEAD") == head and git(district.root, "status", "--porcelain") == ""
    assert git(district.root, "branch", "--list", "unit/*") == ""
    assert all(p.read_bytes() == raw for p, raw in before.items())
    assert not (district.root.parent / "outside.yaml").exists() and not (district.root / "pwned").exists()


def test_only_a_records_exact_name_in_the_units_folder_is_taken(repos, cadres):
    district, unit = repos
    plant(unit.root, ["registry", "cadres", UNIT, "notes", "cai-0099.yaml"], b"100644", b"id: cai-0099\n")
    plant(unit.root, ["registry", "cadres", UNIT, "Cai-0099.YAML"], b"100644", b"id: cai-0099\n")
    status, lines, _ = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert status == 1 and lines[-1] == "单位仓库没有新的修改。"
    assert (
        f"不取 registry/cadres/{UNIT}/notes/cai-0099.yaml：不是本单位的文件（单位仓库只能修改本单位的记录和推荐文件）"
        in lines
    )
    assert (
        f"不取 registry/cadres/{UNIT}/Cai-0099.YAML：不是本单位的文件（单位仓库只能修改本单位的记录和推荐文件）"
        in lines
    )


@pytest.mark.parametrize("link", ["folder", "file"])
def test_unit_export_never_writes_through_a_link_in_the_unit_repository(repos, cadres, tmp_path, link):
    """A symlink the unit committed (its folder to outside, units.yaml to another file) refuses the export."""
    district, unit = repos
    outside = tmp_path / "outside"
    outside.mkdir()
    if link == "folder":
        git(unit.root, "rm", "-q", "-r", f"registry/cadres/{UNIT}")
        (unit.root / "registry/cadres").mkdir(exist_ok=True)
        os.symlink(outside, unit.root / f"registry/cadres/{UNIT}")
        named = f"registry/cadres/{UNIT}"
    else:
        (unit.root / "registry/units.yaml").unlink()
        os.symlink(outside / "units.yaml", unit.root / "registry/units.yaml")
        named = "registry/units.yaml"
    git(unit.root, "add", "-A")
    git(unit.root, "commit", "-q", "-m", "单位提交了符号链接")
    status, lines, err = cadres(district.root, "unit-export", UNIT, "--to", str(unit.root))
    assert (status, lines) == (2, []) and f"「{named}」是符号链接，没有写入任何文件" in err, err
    assert list(outside.iterdir()) == [] and git(unit.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("unit", ["caizheng", "keji", "shangwu"])
def test_after_a_move_both_units_repositories_validate(tmp_path, cadres, unit):
    """Point 3: kej-0003 moved from 区科技局 to 区财政局 (区科技局 kept no one else). The unit that gained
    the person does not hold the old unit's nomination: said as checked in the district (X26), never an error;
    the unit that lost them validates too."""
    target = tmp_path / unit
    target.mkdir()
    status, _, err = cadres(DISTRICT, "unit-export", unit, "--to", str(target))
    assert status == 0, err
    status, lines, err = cadres(target, "validate", "--as-of", AS_OF)
    assert status == 0, "\n".join(lines) + err
    said = [line for line in lines if "[X26]" in line]
    gained = {"caizheng": "2021/keji"}.get(unit)
    assert [gained in line for line in said] == ([True] if gained else []), lines
    assert cadres(target, "codeowners")[0] == 0  # the unit repository's own, written there
    owners = (target / "CODEOWNERS").read_text(encoding="utf-8")
    assert "[区委组织部（全区）]" not in owners and owners.count("\n[") == 1  # the unit's reviewers alone


HIDDEN = "cai-0001"  # 区财政局's 正职 reserve: the org department's alone (七), never in the unit's repository


def test_a_unit_cannot_write_what_it_was_never_given(repos, cadres):
    """A record, photo or vote of a person the district holds but never gave the unit is refused, by name; the
    unit's other changes are taken."""
    district, unit = repos
    folder = f"registry/cadres/{UNIT}"
    before = (district.root / f"{folder}/{HIDDEN}.yaml").read_bytes()
    assert not (unit.root / f"{folder}/{HIDDEN}.yaml").exists()

    def overreach():
        (unit.root / f"{folder}/{HIDDEN}.yaml").write_text(f"id: {HIDDEN}\nname: 冒名\n", encoding="utf-8")
        (unit.root / "registry/nominations/2027").mkdir(parents=True)
        (unit.root / "registry/nominations/2027/caizheng.yaml").write_text(
            "unit: caizheng\nround: 2027\nnominated_by: 区财政局党组\n"
            'meeting: {date: "2027-03-01", attended: 40, eligible: 46}\n'
            f"candidates:\n  - {{cadre: {HIDDEN}, level: 副职, votes: 30}}\n",  # would make the 正职 reserve readable
            encoding="utf-8",
        )
        (unit.root / f"{folder}/cai-0005.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
        unit.edit("cai-0004", lambda d: d.update(health="良好"))

    unit.merge_request(6, "越权", overreach, approvers=["王审核 <wang@example.intranet>"])
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert status == 1, err
    assert f"不取 {folder}/{HIDDEN}.yaml：区名册中有这个文件，但没有交给本单位" in "\n".join(lines)
    assert any(
        line.startswith(f"不取 registry/nominations/2027/caizheng.yaml：推荐了没有交给本单位的人员 {HIDDEN}")
        for line in lines
    ), lines
    assert f"不取 {folder}/cai-0005.jpg：照片文件不是 JPEG 或 PNG 图片" in "\n".join(lines)
    changed = git(district.root, "diff", "--name-only", "main", "HEAD").split()
    assert changed == [f"{folder}/cai-0004.yaml", "unit-sync/caizheng.txt"]
    assert (district.root / f"{folder}/{HIDDEN}.yaml").read_bytes() == before


def test_a_unit_history_with_a_second_first_commit_is_refused(repos, cadres):
    """The first take-in merges from the unit repository's first commit (the org department's export): a unit
    that grafts another root in could choose that base, and have its change win over the district's."""
    district, unit = repos
    tree = git(unit.root, "rev-parse", "HEAD^{tree}").strip()
    forged = git(unit.root, "commit-tree", tree, "-m", "伪造的起点").strip()
    git(unit.root, "merge", "-q", "--allow-unrelated-histories", "-m", "并入", forged)
    head = git(district.root, "rev-parse", "HEAD")
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert (status, lines) == (2, []) and "单位仓库的历史有 2 个起点提交" in err and "没有导入任何文件" in err, err
    assert git(district.root, "rev-parse", "HEAD") == head and git(district.root, "branch", "--list", "unit/*") == ""


@pytest.mark.parametrize("rev", ["+main:refs/heads/evil", "main:main", "main..HEAD", "refs/heads/a b"])
def test_a_revision_is_a_branch_or_a_commit_never_a_refspec(repos, cadres, rev):
    district, unit = repos
    branches = git(district.root, "for-each-ref", "--format=%(refname)")
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root), "--rev", rev)
    assert (status, lines) == (2, []) and "单位仓库的版本只能是分支名或提交号" in err, err
    assert git(district.root, "for-each-ref", "--format=%(refname)") == branches


def test_an_id_two_files_carry_refuses_the_export(repos, cadres, tmp_path):
    """Selecting by id would hand the other file's person, and their acts, to this unit."""
    district, _ = repos
    twin = district.root / "registry/cadres/fagai/cai-0004.yaml"
    twin.write_bytes((district.root / f"registry/cadres/{UNIT}/cai-0004.yaml").read_bytes())
    target = tmp_path / "fresh"
    target.mkdir()
    status, lines, err = cadres(district.root, "unit-export", UNIT, "--to", str(target))
    assert (status, lines) == (2, []), err
    assert "编号 cai-0004 同时是 registry/cadres/caizheng/cai-0004.yaml 和 registry/cadres/fagai/cai-0004.yaml" in err
    assert list(target.iterdir()) == []


def test_unit_export_never_writes_through_a_hard_link(repos, cadres, tmp_path):
    district, unit = repos
    outside = tmp_path / "outside.yaml"
    outside.write_text("别人的文件\n", encoding="utf-8")
    (unit.root / "registry/units.yaml").unlink()
    os.link(outside, unit.root / "registry/units.yaml")
    status, lines, err = cadres(district.root, "unit-export", UNIT, "--to", str(unit.root))
    assert (status, lines) == (2, []) and "「registry/units.yaml」是硬链接，没有写入任何文件" in err, err
    assert outside.read_text(encoding="utf-8") == "别人的文件\n"


def test_a_file_that_cannot_be_read_leaves_the_district_on_its_branch(repos, cadres):
    """A nomination the unit broke is refused before any branch is made: nothing half-written is left."""
    district, unit = repos
    path = "registry/nominations/2023/caizheng.yaml"  # with the 正职 candidates the unit was not given
    assert HIDDEN in (district.root / path).read_text(encoding="utf-8")
    unit.merge_request(7, "坏文件", lambda: (unit.root / path).write_text("candidates: [\n", encoding="utf-8"))
    status, lines, err = cadres(district.root, "unit-pull", UNIT, "--from", str(unit.root))
    assert status == 2 and "读不出来" in err, (lines, err)
    assert git(district.root, "branch", "--show-current").strip() == "main"
    assert git(district.root, "branch", "--list", "unit/*") == "" and git(district.root, "status", "--porcelain") == ""
