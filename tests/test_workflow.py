"""The README's procedures and GitLab's ways of merging, in a real git repository of the demo.

One repository, made once: a move between units (!31), a 副职 promoted to 正职 in a later round (!32), a squash
with a merge commit (!33), a squash fast-forwarded (no merge commit), a fast-forward merge, a direct push, a merge
with GitLab's default template (!35, no approvers), a merge with no body, commit messages in GBK, and a merge
request branched before another merged (!40 and !41). Then: validation passes, the history tells each apart,
and the pool summary from the fork point shows only the merge request's own changes.
"""

import pytest

from generator.git.history import read_history
from generator.registry.files import load_registry
from generator.site.pages import unreviewed

from conftest import AS_OF, PROJECT, copy_project
from gitrepo import Repo

ORG = "组织部李审核 <li@example.intranet>"
UNIT = "财政局王审核 <wang@example.intranet>"


def commit(r, message, date, *extra):
    r.git("add", "-A")
    r.git("commit", "-q", *extra, "-m", message, date=date)


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("workflow") / "project")
    r = Repo(project)

    def move():  # README: git mv, then employment.unit; the 2023 nomination of 区人社局 stays as it was
        r.git("mv", "registry/cadres/renshe/ren-0003.yaml", "registry/cadres/caizheng/ren-0003.yaml")
        r.edit("ren-0003", lambda d: d["employment"].update(unit="caizheng", post="区财政局预算科科长"))
        run_cadres(project, "codeowners")

    r.merge_request(31, "区人社局任某调入区财政局", move, approvers=[UNIT, ORG], date="2026-02-02T10:00:00+08:00")

    def promote():  # README 提拔为正职后备: the unit's nomination and the person's post; the org's inspection and decision
        r.edit("cai-0005", lambda d: d["employment"].update(leadership_deputy=True, rank="副科级"))
        nomination = project / "registry/nominations/2025/caizheng.yaml"
        text = nomination.read_text(encoding="utf-8")
        nomination.write_text(
            text.replace("candidates:\n", "candidates:\n  - {cadre: cai-0005, level: 正职, votes: 30}\n"),
            encoding="utf-8",
        )
        inspection = project / "registry/inspections/2025/caizheng.yaml"
        inspection.write_text(
            inspection.read_text(encoding="utf-8")
            + "  - cadre: cai-0005\n    source: 民主推荐\n    level: 正职\n    track: 近期备用\n"
            + "    evaluations:\n"  # the round's own 民主测评, after its 推荐会 (R08)
            + '      - {date: "2025-09", kind: 民主测评, participants: 40, excellent: 25, competent: 12, basic: 3,'
            + " incompetent: 0}\n"
            + '    inspection: {date: "2025-09", by: 区委组织部考察组, summary: 该同志统筹能力较强。}\n',
            encoding="utf-8",
        )
        (project / "registry/decisions/2025-09-26.yaml").write_text(
            'body: 区委常委会\ndate: "2025-09-26"\nref: 区委常委会会议纪要〔2025〕24号\n'
            "admitted:\n  - {cadre: cai-0005, level: 正职, track: 近期备用}\n",
            encoding="utf-8",
        )
        run_cadres(project, "codeowners")

    r.merge_request(
        32, "2025年度调整：孙某列为正职后备", promote, approvers=[UNIT, ORG], date="2026-02-03T10:00:00+08:00"
    )

    # GitLab "squash with merge commit": two commits on the branch become one, then the merge commit
    r.git("checkout", "-q", "-b", "mr-33")
    r.edit("cai-0001", lambda d: d.update(health="良好"))
    commit(r, "改健康状况", "2026-02-04T09:00:00+08:00")
    r.edit("cai-0001", lambda d: d.update(expertise="熟悉财政预算管理"))
    commit(r, "改专长", "2026-02-04T09:30:00+08:00")
    r.git("reset", "-q", "--soft", "main")
    commit(
        r, "更新孙杰的健康状况和专长", "2026-02-04T10:00:00+08:00", "--author", "财政局张干事 <zhang@example.intranet>"
    )
    r.git("checkout", "-q", "main")
    r.git(
        "merge", "-q", "--no-ff", "mr-33", "-m",
        "Merge branch 'mr-33' into 'main'\n\n更新孙杰的健康状况和专长\n\n"
        f"Approved-by: {UNIT}\nApproved-by: {ORG}\n\nSee merge request zuzhibu/cadres!33\n",
        date="2026-02-04T11:00:00+08:00",
    )  # fmt: skip

    # GitLab squash with fast-forward: one commit, the title only, no reference
    r.edit("cai-0002", lambda d: d.update(native_place="安徽肥西"))
    commit(r, "更正籍贯", "2026-02-05T10:00:00+08:00")

    # fast-forward merge of a branch
    r.git("checkout", "-q", "-b", "ff")
    r.edit("cai-0003", lambda d: d.update(expertise="熟悉政府采购"))
    commit(r, "补充专长", "2026-02-06T10:00:00+08:00")
    r.git("checkout", "-q", "main")
    r.git("merge", "-q", "--ff-only", "ff")

    # a direct push
    r.edit("cai-0004", lambda d: d.update(health="良好"))
    commit(r, "直接修改", "2026-02-07T10:00:00+08:00")

    # GitLab's default merge commit template: the reference, no approvers
    def expertise():
        r.edit("cai-0006", lambda d: d.update(expertise="熟悉国库集中支付"))

    r.merge_request(35, "更新专长", expertise, date="2026-02-08T10:00:00+08:00")

    # a merge with no body
    r.git("checkout", "-q", "-b", "nobody")
    r.edit("cai-0007", lambda d: d.update(expertise="熟悉会计"))
    commit(r, "专长", "2026-02-09T09:00:00+08:00")
    r.git("checkout", "-q", "main")
    r.git("merge", "-q", "--no-ff", "nobody", "-m", "Merge branch 'nobody'", date="2026-02-09T10:00:00+08:00")

    # GBK commit messages (a Windows client): one declared (git passes the bytes on; read as GB18030), one not
    # (git itself rewrites an undeclared non-UTF-8 message as Latin-1 when committing: what it stored is shown)
    r.edit("ren-0001", lambda d: d.update(expertise="熟悉税收"))
    r.git("add", "-A")
    (project / "msg.txt").write_bytes("更正专长（GBK）".encode("gbk"))
    r.git(
        "-c",
        "i18n.commitEncoding=GBK",
        "commit",
        "-q",
        "-F",
        str(project / "msg.txt"),
        date="2026-02-10T10:00:00+08:00",
    )
    r.edit("ren-0001", lambda d: d.update(expertise="熟悉税收政策"))
    r.git("add", "registry")
    r.git("commit", "-q", "-F", str(project / "msg.txt"), date="2026-02-11T10:00:00+08:00")
    (project / "msg.txt").unlink()

    # !41 branches from here; !40 merges first
    fork = r.git("rev-parse", "HEAD").strip()
    r.git("checkout", "-q", "-b", "mr-41")
    r.edit("ren-0002", lambda d: d.update(expertise="熟悉非税收入"))
    commit(r, "更新专长", "2026-02-12T09:00:00+08:00")
    r.git("checkout", "-q", "main")
    r.merge_request(
        40, "更新健康状况", lambda: r.edit("ren-0004", lambda d: d.update(health="良好")), approvers=[ORG],
        date="2026-02-13T10:00:00+08:00",
    )  # fmt: skip
    return r, fork


def run_cadres(root, *args):
    from generator.cli import main

    assert main(["--root", str(root), *args]) == 0


@pytest.fixture(scope="module")
def history(workflow):
    r, _ = workflow
    return {c.short: c for c in read_history(r.root).changes if c.cadre}


def by_subject(history, subject):
    found = [c for c in history.values() if c.subject == subject]
    assert len(found) == 1, (subject, [c.subject for c in history.values()])
    return found[0]


def test_after_a_move_and_a_promotion_the_registry_still_validates(workflow, cadres):
    r, _ = workflow
    status, lines, _ = cadres(r.root, "validate", "--as-of", AS_OF)
    assert status == 0, "\n".join(line for line in lines if "错误" in line)
    assert not [line for line in lines if "X06" in line or "X15" in line]
    promoted = {e.data["id"]: e.data["reserve"] for e in load_registry(r.root).cadres}["cai-0005"]
    assert (promoted["level"], promoted["entered"], promoted["nomination"]) == ("正职", "2025-09-26", "2025/caizheng")


def test_each_way_of_merging_is_told_apart(history):
    moved = by_subject(history, "区人社局任某调入区财政局")
    assert (moved.kind, moved.merge_request, moved.approvers) == (
        "调动",
        "zuzhibu/cadres!31",
        ["财政局王审核", "组织部李审核"],
    )
    promoted = by_subject(history, "2025年度调整：孙某列为正职后备")
    assert promoted.merge_request == "zuzhibu/cadres!32"
    assert any(text.startswith("研究确定列入后备干部: 正职") for _, text in promoted.fields), promoted.fields
    squashed = by_subject(history, "更新孙杰的健康状况和专长")
    assert (squashed.merge_request, squashed.author, unreviewed(squashed)) == ("zuzhibu/cadres!33", "财政局张干事", "")
    for subject in ("更正籍贯", "直接修改"):  # squash fast-forwarded; a direct push
        change = by_subject(history, subject)
        assert (change.merge_request, change.approvers, change.merged_by) == (None, [], "")
        assert unreviewed(change) == "未经合并请求审核"
    fast = [c for c in history.values() if c.cadre == "cai-0003"]
    assert len(fast) == 1 and unreviewed(fast[0]) == "未经合并请求审核"
    template = by_subject(history, "更新专长")
    assert (template.cadre, template.merge_request, template.approvers) == ("cai-0006", "zuzhibu/cadres!35", [])
    assert unreviewed(template) == "未记录审核人"
    bare = by_subject(history, "Merge branch 'nobody'")
    assert (bare.merge_request, unreviewed(bare), bare.merged_by) == (None, "未经合并请求审核", "组织部干部科")


def test_commit_messages_in_gbk_are_read(history):
    gbk = [c for c in history.values() if c.cadre == "ren-0001"]
    assert len(gbk) == 2
    assert gbk[1].subject == "更正专长（GBK）"
    assert gbk[0].subject.startswith("¸üÕý") and "GBK" in gbk[0].subject


def test_the_summary_from_the_fork_point_shows_only_the_merge_requests_own_changes(workflow, cadres):
    r, fork = workflow
    base = r.git("merge-base", "main", "mr-41").strip()
    assert base == fork
    status, lines, _ = cadres(r.root, "diff", base, "mr-41", "--as-of", AS_OF, "--format", "markdown")
    assert status == 0
    changed = [line for line in lines if line.startswith("- ")]
    assert len(changed) == 1 and changed[0].startswith("- 朱志文（ren-0002，区人力资源和社会保障局，")
    assert changed[0].endswith("：熟悉专业有何专长: 熟悉社会管理工作，群众工作经验丰富 → 熟悉非税收入")
    status, lines, _ = cadres(r.root, "diff", "main", "mr-41", "--as-of", AS_OF, "--format", "markdown")
    assert any("ren-0004" in line for line in lines)  # what CI used to do: !40's change, reversed


def test_removing_someone_from_the_pool_as_the_readme_says(project, cadres):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    procedure = readme[readme.index("**调整出库**") :].splitlines()
    fence = next(ln for ln in procedure if ln.strip() == "```yaml")
    start = procedure.index(fence) + 1
    (line,) = procedure[start : procedure.index(fence.replace("yaml", ""), start)]
    line = line[len(fence) - len(fence.lstrip()) :]  # as it stands in the decision's `left:` list
    assert line == "  - {cadre: cai-0003, status: 调整出库, reason: 两年一次调整中未再列入}"
    r = Repo(project)
    person = (project / "registry/cadres/caizheng/cai-0003.yaml").read_bytes()
    decision = project / "registry/decisions/2026-11-20.yaml"  # the meeting's decision, as the README shows one
    decision.write_text(
        f'body: 区委常委会\ndate: "2026-11-20"\nref: 区委常委会会议纪要〔2026〕30号\nleft:\n{line}\n', encoding="utf-8"
    )
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF, "registry/decisions/2026-11-20.yaml")
    assert status == 0 and lines == ["检查通过：没有发现问题。"], lines
    assert (project / "registry/cadres/caizheng/cai-0003.yaml").read_bytes() == person  # the unit's file untouched
    base = r.git("rev-parse", "HEAD").strip()
    status, lines, _ = cadres(project, "diff", base, "--as-of", AS_OF)
    assert status == 0
    start = lines.index("出库（1 人）：")
    assert "两年一次调整中未再列入" in lines[start + 1] and "cai-0003" in lines[start + 1]


def test_a_deleted_and_restored_record_keeps_one_history(project):
    r = Repo(project)
    path = "registry/cadres/caizheng/cai-0004.yaml"
    kept = (project / path).read_bytes()
    r.merge_request(50, "误删", lambda: r.git("rm", "-q", path), approvers=[ORG], date="2026-03-01T10:00:00+08:00")
    r.merge_request(
        51,
        "恢复误删的记录",
        lambda: (project / path).write_bytes(kept),
        approvers=[ORG],
        date="2026-03-02T10:00:00+08:00",
    )
    changes = read_history(project).of("cai-0004")
    assert [(c.subject, c.kind) for c in changes] == [
        ("恢复误删的记录", "新建"),
        ("误删", "删除"),
        ("名册初始导入", "新建"),
    ]


def test_an_id_given_again_to_someone_else_starts_a_history_of_its_own(project):
    """Issue 21, point 6: a deleted record's changes appeared on another unit's site when its id was used again."""
    r = Repo(project)
    path = "registry/cadres/caizheng/cai-0004.yaml"
    kept = (project / path).read_text(encoding="utf-8")
    r.merge_request(
        50, "误建的记录删除", lambda: r.git("rm", "-q", path), approvers=[ORG], date="2026-03-01T10:00:00+08:00"
    )

    def someone_else():
        other = project / "registry/cadres/fagai/cai-0004.yaml"
        other.write_text(
            kept.replace("unit: caizheng", "unit: fagai").replace("name: 毛睿涛", "name: 另一人"), encoding="utf-8"
        )
        text = other.read_text(encoding="utf-8")
        other.write_text(
            text.replace('birth: "', 'birth: "1', 1).replace('birth: "11', 'birth: "19', 1), encoding="utf-8"
        )

    r.merge_request(51, "新增一人", someone_else, approvers=[ORG], date="2026-03-02T10:00:00+08:00")
    changes = read_history(project).of("cai-0004")
    assert [(c.subject, c.kind) for c in changes] == [("新增一人", "新建")]  # 毛睿涛's changes stay out of it
