"""A district's registry repository of its own (`cadres init`): it holds only registry/, the program brings the
rest; the deletion warning (X19); the merge request's summary comment."""

import http.server
import json
import shutil
import subprocess
import threading
from typing import ClassVar

import pytest
from plainyaml import yaml_of

from generator.core import defaults
from generator.registry.files import kind_of
from generator.repository import gitlab

from conftest import AS_OF, DISTRICT, PROJECT, copy_project
from gitrepo import Repo


@pytest.fixture(scope="module")
def tool(tmp_path_factory) -> str:
    """The program's repository on the intranet GitLab, as far as `cadres init` asks it: one commit, tag v9.9."""
    root = tmp_path_factory.mktemp("tool") / "cadres.git"
    Repo(copy_project(root))
    subprocess.run(["git", "-C", str(root), "tag", "v9.9"], check=True)
    return str(root)


@pytest.fixture
def data_repo(tmp_path, cadres, tool):
    root = tmp_path / "data"
    status, lines, err = cadres(tmp_path, "init", str(root), "--tool-repo", tool, "--tool-rev", "v9.9")
    assert status == 0, err
    return root, lines


def test_init_names_a_revision_the_programs_repository_does_not_have(tmp_path, cadres, tool):
    """Issue 21, also: the default v<version> was a tag nobody had made; the first commit failed in English."""
    status, lines, err = cadres(tmp_path, "init", str(tmp_path / "data"), "--tool-repo", tool)
    assert (status, lines) == (2, []) and err.count("\n") == 1
    assert f"程序仓库 {tool} 中没有版本「v0.1.0」（已有的标签：v9.9）；请用 --tool-rev 写明标签或提交号" in err
    assert not (tmp_path / "data").exists()  # nothing written
    status, _, err = cadres(tmp_path, "init", str(tmp_path / "data"), "--tool-repo", str(tmp_path / "nowhere"))
    assert status == 2 and f"读不到程序仓库 {tmp_path / 'nowhere'}" in err and "Traceback" not in err
    head = subprocess.run(["git", "-C", tool, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    status, _, err = cadres(tmp_path, "init", str(tmp_path / "data"), "--tool-repo", tool, "--tool-rev", head[:10])
    assert status == 0, err  # a commit at a branch or tag


def test_init_writes_a_repository_that_validates_with_the_shipped_schemas(data_repo, cadres, tool):
    root, lines = data_repo
    assert lines[0] == f"已在 {root} 建立名册仓库（22 个文件）："
    assert not (root / "schemas" / "cadre.yaml").exists() and not (root / "site_templates").exists()
    assert (root / "registry/policy.yaml").read_bytes() == (DISTRICT / "registry/policy.yaml").read_bytes()
    assert (root / ".git").is_dir()
    assert ".cache/" in (root / ".gitignore").read_text() and "/site/" in (root / ".gitignore").read_text()
    ci = yaml_of((root / ".gitlab-ci.yml").read_text())
    assert ci["variables"]["CADRES_PACKAGE"] == f"cadres @ git+{tool}@v9.9"
    hooks = yaml_of((root / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"] == [{"repo": tool, "rev": "v9.9", "hooks": [{"id": "cadres-validate"}]}]
    status, out, _ = cadres(root, "validate", "--as-of", AS_OF)
    assert (status, out) == (0, ["检查通过：没有发现问题。"])
    status, out, _ = cadres(root, "codeowners", "--check")
    assert (status, out) == (0, ["CODEOWNERS 是最新的。"])
    for kind in ("cadre", "nomination", "unit", "audiences", "policy"):  # the editor's schemas are the program's
        assert (root / f"schemas/json/{kind}.schema.json").read_bytes() == (
            PROJECT / f"schemas/json/{kind}.schema.json"
        ).read_bytes()


def test_the_editor_maps_every_kind_of_registry_file_to_its_schema(data_repo):
    root, _ = data_repo
    mapping = json.loads((root / ".vscode/settings.json").read_text())["yaml.schemas"]
    examples = {
        "registry/cadres/caizheng/cai-0001.yaml": "cadre",
        "registry/nominations/2023/caizheng.yaml": "nomination",
        "registry/units.yaml": "unit",
        "registry/policy.yaml": "policy",
        "registry/audiences.yaml": "audiences",
    }
    for path, kind in examples.items():
        assert kind_of(path) == kind
        schemas = [s for s, globs in mapping.items() if any(_glob(g, path) for g in globs)]
        assert schemas == [f"schemas/json/{kind}.schema.json"], path
        assert (root / schemas[0]).is_file()


def _glob(pattern, path):
    import fnmatch

    return fnmatch.fnmatch(path, pattern.replace("**/", "*"))


def test_init_never_overwrites(data_repo, cadres, tmp_path, tool):
    root, _ = data_repo
    before = (root / "registry/units.yaml").read_bytes()
    status, _, err = cadres(tmp_path, "init", str(root), "--tool-repo", tool)
    assert status == 2
    assert err.startswith(f"cadres: {root} 中已有 .gitignore、.gitlab-ci.yml、.pre-commit-config.yaml 等 15 项：")
    assert (root / "registry/units.yaml").read_bytes() == before


def test_a_repository_may_override_the_schemas_and_templates(data_repo, cadres):
    root, _ = data_repo
    assert defaults.path(root, "schemas") == defaults.shipped() / "schemas"
    shutil.copytree(defaults.shipped() / "schemas", root / "schemas", dirs_exist_ok=True)
    unit = root / "schemas/unit.yaml"
    unit.write_text(unit.read_text().replace("meta: {label: 党组织}", "meta: {label: 基层党组织}"))
    units = root / "registry/units.yaml"
    units.write_text(units.read_text().replace("    party_org: 示例单位党支部\n", ""))
    status, out, _ = cadres(root, "validate", "--as-of", AS_OF)
    assert status == 1
    assert out[0] == (
        "registry/units.yaml:4:5: 错误 [S02] 单位名录第1条·基层党组织 (units[0].party_org): 缺少必填字段 — "
        "请添加「party_org」并填写单位名录第1条·基层党组织"
    )


def test_a_folder_without_a_registry_is_told_to_init(tmp_path, monkeypatch, capsys):
    from generator.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert capsys.readouterr().err == (
        "cadres: 找不到名册：请在名册仓库（含 registry/units.yaml）中运行，或用 --root 指定；新建名册仓库用 cadres init\n"
    )


# -- X19: a record leaves the pool by its status, not by deleting its file --------------------------------------


def test_deleting_a_record_file_is_a_warning_that_says_how_to_remove_someone(project, cadres):
    repo = Repo(project)
    (project / "registry/cadres/caizheng/cai-0003.yaml").unlink()
    repo.git("mv", "registry/cadres/renshe/ren-0003.yaml", "registry/cadres/caizheng/ren-0003.yaml")  # a move
    _status, lines, _ = cadres(project, "validate", "--as-of", AS_OF, "registry/cadres/caizheng/cai-0001.yaml")
    assert lines[0] == (
        "registry/cadres/caizheng/cai-0003.yaml:1:1: 警告 [X19] 删除了干部记录文件（与 HEAD 相比）："
        "删除后网站上查不到此人，也查不到他为何离开后备干部队伍 — 出库不删文件：请恢复文件（git restore --source=HEAD "
        "registry/cadres/caizheng/cai-0003.yaml）；出库由区委组织部在区委常委会的决定中写明"
        "（left：调整出库或已使用和原因）；确属误建的记录，请在合并请求中说明"
    )
    assert not [line for line in lines if "X19" in line and "ren-0003" in line]


def test_a_deletion_is_judged_against_the_given_base(project, cadres):
    repo = Repo(project)
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("rm", "-q", "registry/cadres/caizheng/cai-0003.yaml")
    repo.git("commit", "-q", "-m", "删除")
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF)
    assert not [line for line in lines if "X19" in line]  # against HEAD: already committed
    status, lines, _ = cadres(project, "validate", "--as-of", AS_OF, "--base", base)
    assert [line.split(":")[0] for line in lines if "X19" in line] == ["registry/cadres/caizheng/cai-0003.yaml"]
    status, _, err = cadres(project, "validate", "--base", "no-such-branch")
    assert status == 2
    assert err == "cadres: git 中没有版本「no-such-branch」：请核对分支名或提交号（浅克隆时请取完整历史）\n"


# -- the summary as the merge request's comment ----------------------------------------------------------------


BOT = {"id": 901, "username": "project_42_bot_0a1b", "name": "名册变化摘要", "bot": True}
CLERK = {"id": 55, "username": "caizheng-clerk", "name": "财政局张干事"}


class FakeGitLab(http.server.BaseHTTPRequestHandler):
    """GitLab's notes API for one merge request, as much as `cadres comment` uses (GET, POST, PUT)."""

    notes: ClassVar[list] = []
    calls: ClassVar[list] = []

    def _answer(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _read(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self):
        self.calls.append(("GET", self.path, self.headers["PRIVATE-TOKEN"]))
        if self.headers["PRIVATE-TOKEN"] != "good":
            return self._answer(401, {"message": "401 Unauthorized"})
        if self.path == "/api/v4/user":  # the token's own user: a project access token's bot
            return self._answer(200, BOT)
        self._answer(200, self.notes)

    def do_POST(self):
        self.calls.append(("POST", self.path, self.headers["PRIVATE-TOKEN"]))
        note = {"id": len(self.notes) + 7, "body": self._read()["body"], "author": {"id": BOT["id"]}}
        self.notes.append(note)
        self._answer(201, note)

    def do_PUT(self):
        self.calls.append(("PUT", self.path, self.headers["PRIVATE-TOKEN"]))
        note = next(n for n in self.notes if self.path.endswith(f"/{n['id']}"))
        note["body"] = self._read()["body"]
        self._answer(200, note)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_gitlab():
    FakeGitLab.notes = [{"id": 3, "body": "看过了", "author": CLERK}]
    FakeGitLab.calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGitLab)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    server.shutdown()


def test_the_summary_is_one_comment_that_each_pipeline_updates(fake_gitlab):
    env = {
        "CI_API_V4_URL": fake_gitlab,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "17",
        "CADRES_NOTE_TOKEN": "good",
    }
    assert gitlab.post_summary("### 名册变化 1", env) == "已在合并请求中添加名册变化摘要评论。"
    assert gitlab.post_summary("### 名册变化 2", env) == "已更新合并请求中的名册变化摘要评论。"
    assert FakeGitLab.notes == [
        {"id": 3, "body": "看过了", "author": CLERK},
        {"id": 8, "body": f"{gitlab.MARKER}\n### 名册变化 2", "author": {"id": 901}},
    ]
    notes = "/api/v4/projects/42/merge_requests/17/notes"
    assert [c[:2] for c in FakeGitLab.calls] == [
        ("GET", "/api/v4/user"),
        ("GET", f"{notes}?per_page=100&sort=asc&page=1"),
        ("POST", notes),
        ("GET", "/api/v4/user"),
        ("GET", f"{notes}?per_page=100&sort=asc&page=1"),
        ("PUT", f"{notes}/8"),
    ]


def test_a_note_someone_else_wrote_with_the_marker_is_never_edited(fake_gitlab):
    """Issue 21, point 6: a clerk's note starting with the marker used to be edited (and the refusal blamed the
    token); only the token's own note is the summary."""
    FakeGitLab.notes = [{"id": 3, "body": f"{gitlab.MARKER}\n这是我写的", "author": CLERK}]
    env = {
        "CI_API_V4_URL": fake_gitlab,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "17",
        "CADRES_NOTE_TOKEN": "good",
    }
    assert gitlab.post_summary("### 名册变化", env) == "已在合并请求中添加名册变化摘要评论。"
    assert FakeGitLab.notes[0] == {"id": 3, "body": f"{gitlab.MARKER}\n这是我写的", "author": CLERK}
    assert [c[0] for c in FakeGitLab.calls] == ["GET", "GET", "POST"]


def test_without_a_token_or_outside_a_merge_request_nothing_is_sent(fake_gitlab):
    assert gitlab.post_summary("x", {"CI_API_V4_URL": fake_gitlab}) == "不是合并请求流水线：不写评论。"
    assert gitlab.post_summary("x", {"CI_API_V4_URL": fake_gitlab, "CI_MERGE_REQUEST_IID": "1"}) == (
        "未设置 CI/CD 变量 CADRES_NOTE_TOKEN：名册变化摘要只作为制品（合并请求页面上的 pool diff 链接）。"
    )
    assert FakeGitLab.calls == []


def test_a_refused_token_is_said_without_the_token(fake_gitlab):
    env = {"CI_API_V4_URL": fake_gitlab, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "17"}
    with pytest.raises(gitlab.NoteError) as caught:
        gitlab.post_summary("x", {**env, "CADRES_NOTE_TOKEN": "s3cret-token"})
    assert str(caught.value) == "GitLab 拒绝了评论请求（HTTP 401，令牌无效或已过期）"
    with pytest.raises(gitlab.NoteError) as caught:
        gitlab.post_summary("x", {**env, "CI_API_V4_URL": "http://127.0.0.1:9/api/v4", "CADRES_NOTE_TOKEN": "t"})
    assert str(caught.value).startswith("连不上 GitLab（")
    assert "s3cret" not in str(caught.value)


def test_git_is_not_needed_for_validation(tmp_path, cadres):
    root = tmp_path / "plain"
    shutil.copytree(DISTRICT / "registry", root / "registry")
    assert subprocess.run(["git", "-C", str(root), "rev-parse"], capture_output=True).returncode != 0
    _status, lines, _ = cadres(root, "validate", "--as-of", AS_OF)
    assert "X19" not in "".join(lines)
