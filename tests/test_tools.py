"""The workflow with the real tools, from a registry repository made by `cadres init`.

- pre-commit (the real tool) installs this program from its repository, as a clerk's machine does, blocks a bad
  record, passes a good one and leaves the working tree clean;
- gitlab-ci-local (npm, 4.60.0; `.ci/run` installs it) runs the pipeline's jobs with the shell executor: a merge
  request pipeline with a good and a bad change fails the validate job with the finding and leaves the JUnit,
  Code Quality and summary files; a default-branch pipeline builds the sites and passes audit-site.

Both install the program from a snapshot of this checkout (a git repository, as the intranet GitLab holds it),
so they test what a built wheel carries, not this checkout's files.
"""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from plainyaml import yaml_of

from generator.cli import main
from generator.interchange.yamlout import dump

from conftest import DEMO_KEY, DISTRICT, PROJECT, raw_records

pytestmark = pytest.mark.tools
UNITS = ("caizheng", "renshe")
GIT = {"GIT_AUTHOR_NAME": "财政局办公室", "GIT_AUTHOR_EMAIL": "cz@example.intranet"}


def git(root, *args, env=None):
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env={**os.environ, **GIT, **(env or {})}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def tool_repo(tmp_path_factory):
    """This checkout's files (committed or not, as .gitignore allows) as a git repository of their own."""
    root = tmp_path_factory.mktemp("tool") / "cadres"
    files = subprocess.run(
        ["git", "-C", str(PROJECT), "ls-files", "-co", "--exclude-standard", "-z"], capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = PROJECT / os.fsdecode(name)
        if source.is_file():
            (root / source.relative_to(PROJECT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / source.relative_to(PROJECT))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=dev", "-c", "user.email=dev@x", "commit", "-q", "-m", "snapshot")
    return root, git(root, "rev-parse", "HEAD").strip()


def registry_repo(base: Path, tool) -> Path:
    """`cadres init`, then two of the demo's units with their records and nominations, committed on main."""
    root = base / "data"
    tool_root, rev = tool
    assert main(["init", str(root), "--tool-repo", str(tool_root), "--tool-rev", rev]) == 0
    units = yaml_of((DISTRICT / "registry/units.yaml").read_text(encoding="utf-8"))
    kept = [u for u in units["units"] if u["id"] in UNITS]
    (root / "registry/units.yaml").write_text(yaml.safe_dump({"units": kept}, allow_unicode=True), encoding="utf-8")
    people = {  # the units' own people: not one who moved in and rests on another unit's nomination
        d["id"]
        for d in raw_records()
        if d["employment"]["unit"] in UNITS
        and d["reserve"].get("nomination", f"/{d['employment']['unit']}").endswith(f"/{d['employment']['unit']}")
    }
    for unit in UNITS:
        (root / "registry/cadres" / unit).mkdir(parents=True)
        for record in (DISTRICT / "registry/cadres" / unit).glob("*.yaml"):
            if record.stem in people:
                shutil.copy(record, root / "registry/cadres" / unit / record.name)
        for nomination in (DISTRICT / "registry/nominations").glob(f"*/{unit}.yaml"):
            target = root / nomination.relative_to(DISTRICT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(nomination, target)
    acts = [*DISTRICT.glob("registry/inspections/*/*.yaml"), *DISTRICT.glob("registry/decisions/*.yaml")]
    acts.append(DISTRICT / "registry/watch.yaml")
    for act in acts:  # the org department's acts, with those people's entries only
        data = yaml_of(act.read_text(encoding="utf-8"))
        kept = {k: [i for i in v if i["cadre"] in people] if isinstance(v, list) else v for k, v in data.items()}
        if any(isinstance(v, list) and v for v in kept.values()):
            target = root / act.relative_to(DISTRICT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump({k: v for k, v in kept.items() if v != []}), encoding="utf-8")
    shutil.copy(DISTRICT / "registry/recipients.txt", root / "registry/recipients.txt")  # the demo key's
    assert main(["--root", str(root), "codeowners"]) == 0
    git(root, "add", "-A")
    git(root, "-c", "user.name=组织部", "-c", "user.email=zzb@x", "commit", "-q", "-m", "名册初始导入")
    return root


def set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pre_commit_blocks_a_bad_record_and_passes_a_good_one(tmp_path, tool_repo, capsys):
    root = registry_repo(tmp_path, tool_repo)
    capsys.readouterr()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    pre_commit = Path(sys.executable).with_name("pre-commit")  # installed with the test extras
    subprocess.run([pre_commit, "install"], cwd=root, check=True, capture_output=True, env=env)
    record = root / "registry/cadres/caizheng/cai-0002.yaml"
    set_line(record, "ethnicity: 汉族", "ethnicity: 汉")
    git(root, "add", "-A")
    commit = ["git", "-C", str(root), "-c", "user.name=财政局", "-c", "user.email=cz@x", "commit", "-m", "修改民族"]
    bad = subprocess.run(commit, capture_output=True, text=True, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert (
        "registry/cadres/caizheng/cai-0002.yaml:5:1: 错误 [S04] 民族 (ethnicity): 「汉」不在《民族》代码表（GB 3304）中"
        in bad.stdout + bad.stderr
    )
    assert git(root, "log", "--format=%s", "-1") == "名册初始导入\n"  # nothing was committed
    set_line(record, "ethnicity: 汉", "ethnicity: 汉族")
    set_line(record, "health: 健康", "health: 良好")  # a real change, and a good one
    git(root, "add", "-A")
    good = subprocess.run(commit, capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "校验后备干部名册" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr
    assert git(root, "status", "--porcelain", "--ignored") == ""  # no cache, no report left in the working tree


def gitlab_ci_local() -> str:
    found = shutil.which("gitlab-ci-local")
    assert found, "gitlab-ci-local 4.60.0 is needed (npm install -g gitlab-ci-local@4.60.0; .ci/run installs it)"
    return found


def pipeline(root: Path, tool, *variables: str, jobs: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the repository's .gitlab-ci.yml (or only `jobs`) with the shell executor, installing the program
    from the snapshot."""
    tool_root, _ = tool
    pip_cache = Path(os.environ.get("PIP_CACHE_DIR") or Path.home() / ".cache" / "pip")
    arguments = [
        gitlab_ci_local(),
        "--force-shell-executor",
        "--variable", f"CADRES_PACKAGE={tool_root}",
        "--variable", f"PIP_CACHE_DIR={pip_cache}",  # the machine's pip cache, not one per pipeline
        "--variable", f"CADRES_CACHE_DIR={root.parent / 'ci-cache'}",
    ]  # fmt: skip
    for variable in variables:
        arguments += ["--variable", variable]
    arguments += jobs
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADRES_AGE_")}  # a key only where given
    return subprocess.run(arguments, cwd=root, capture_output=True, text=True, env={**env, "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def ci_repo(tmp_path_factory, tool_repo):
    base = tmp_path_factory.mktemp("ci")
    root = registry_repo(base, tool_repo)
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(base / "origin.git")], check=True)
    git(root, "remote", "add", "origin", str(base / "origin.git"))
    git(root, "fetch", "-q", "origin")
    git(root, "remote", "set-head", "origin", "main")
    return root


@pytest.mark.pipeline
def test_a_merge_request_pipeline_fails_on_the_bad_change_and_reports_it(ci_repo, tool_repo):
    root = ci_repo
    base = git(root, "rev-parse", "main").strip()
    git(root, "checkout", "-q", "-b", "mr-corrections")
    set_line(root / "registry/cadres/caizheng/cai-0001.yaml", "health: 健康", "health: 良好")  # good
    set_line(root / "registry/cadres/renshe/ren-0002.yaml", "ethnicity: 汉族", "ethnicity: 汉")  # bad
    git(root, "add", "-A")
    git(root, "-c", "user.name=人社局", "-c", "user.email=rs@x", "commit", "-q", "-m", "更正健康状况和民族")
    try:
        run = pipeline(
            root,
            tool_repo,
            "CI_PIPELINE_SOURCE=merge_request_event",
            f"CI_MERGE_REQUEST_DIFF_BASE_SHA={base}",
            "CI_MERGE_REQUEST_IID=12",
        )
    finally:
        git(root, "checkout", "-q", "main")
    out = run.stdout + run.stderr
    assert run.returncode != 0, out
    assert "FAIL  validate" in out and "sites" not in out.split("validate finished")[-1].split("\n", 1)[0]
    finding = (
        "registry/cadres/renshe/ren-0002.yaml:5:1: 错误 [S04] 民族 (ethnicity): 「汉」不在《民族》代码表（GB 3304）中"
    )
    assert f"validate > {finding}" in out
    assert "未设置 CI/CD 变量 CADRES_NOTE_TOKEN" in out

    junit = ET.parse(root / "validate-junit.xml").getroot()
    failed = {case.get("file") for case in junit.iter("testcase") if case.find("failure") is not None}
    assert failed == {"registry/cadres/renshe/ren-0002.yaml"}
    quality = json.loads((root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(q["check_name"], q["location"]["path"], q["location"]["lines"]["begin"]) for q in quality] == [
        ("S04", "registry/cadres/renshe/ren-0002.yaml", 5),
        ("X21", "registry/recipients.txt", 1),  # a merge request's pipeline has no key: said, never passed
    ]
    summary = (root / "pool-diff.md").read_text(encoding="utf-8")
    assert summary.startswith(f"### 名册变化：`{base}` → `HEAD`")
    assert "registry/cadres/renshe/ren-0002.yaml（版本 HEAD）" in summary  # unreadable, named, not compared
    assert "- 孙杰（cai-0001，区财政局，正职）：健康状况: 健康 → 良好\n" in summary


@pytest.mark.pipeline
def test_a_default_branch_pipeline_publishes_each_site_and_keeps_no_artifact(ci_repo, tool_repo, tmp_path):
    root = ci_repo
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    run = pipeline(root, tool_repo)  # a unit repository: no publishing target, so validation only
    out = run.stdout + run.stderr
    assert run.returncode == 0 and "PASS  validate" in out and "sites" not in out, out
    assert "X21" in out and "未核对" in out  # no key here: the number checks are said not to have run

    served = tmp_path / "srv"
    served.mkdir()
    # the key as GitLab gives it when set up as the README says: a file variable scoped to the environment
    # `intranet`, which only the publishing job has (gitlab-ci-local reads environment scopes from this file)
    scoped = {"CADRES_AGE_IDENTITY_FILE": {"type": "file", "values": {"intranet": DEMO_KEY.read_text()}}}
    variables = root / ".gitlab-ci-local-variables.yml"
    variables.write_text(yaml.safe_dump(scoped), encoding="utf-8")
    try:
        run = pipeline(root, tool_repo, f"CADRES_PUBLISH_TARGET={served}/")
    finally:
        variables.unlink()
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "PASS  validate" in out and "PASS  sites" in out
    validate_log = "\n".join(line for line in out.splitlines() if line.startswith("validate "))
    assert "X21" in validate_log and "未核对" in validate_log  # the key never reached the validation job
    assert "sites    > 站点检查通过：没有发现问题。" in out
    built = sorted(p.name for p in served.iterdir())
    assert built == ["changwei", "unit-caizheng", "unit-renshe", "zuzhibu"]
    assert not (root / ".gitlab-ci-local/artifacts/sites").exists()  # no artifact holds the sites
    assert not (root / "site").exists() and not (root / ".cache").exists()  # nothing left on the runner
    numbers = [d["id_number"] for d in raw_records() if d["employment"]["unit"] in UNITS]
    assert not any(n in out for n in numbers)  # the job's log holds no personal number


@pytest.mark.pipeline
def test_a_key_given_to_every_job_fails_the_validation_job_and_says_how_to_scope_it(ci_repo, tool_repo):
    run = pipeline(ci_repo, tool_repo, f"CADRES_AGE_IDENTITY_FILE={DEMO_KEY}", jobs=("validate",))
    out = run.stdout + run.stderr
    assert run.returncode != 0 and "FAIL  validate" in out, out
    assert "不应到达校验作业" in out and "“环境范围”设为 intranet" in out


@pytest.mark.pipeline
def test_every_channel_a_unit_reader_has_holds_only_their_unit_and_no_number(
    tmp_path, tool_repo, district_site, capsys
):
    """A unit's office staff reach the registry through their unit repository (its files and whole history),
    its merge-request pipeline (log, JUnit, Code Quality, the summary) and their unit's site: none of these
    holds anyone of another unit, or any personal number in clear text."""
    from generator.serving.audit import any_of

    unit, tool_root = "caizheng", tool_repo[0]
    root = tmp_path / "unit"
    assert main(["init", str(root), "--tool-repo", str(tool_root), "--tool-rev", tool_repo[1]]) == 0
    assert main(["--root", str(DISTRICT), "unit-export", unit, "--to", str(root)]) == 0
    assert main(["--root", str(root), "codeowners"]) == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "组织部同步")
    base = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "mr-1")
    set_line(root / "registry/cadres/caizheng/cai-0004.yaml", "health: 健康", "health: 良好")
    set_line(root / "registry/cadres/caizheng/cai-0005.yaml", "ethnicity: 汉族", "ethnicity: 汉")
    git(root, "commit", "-q", "-am", "更正健康状况和民族")
    capsys.readouterr()
    run = pipeline(root, tool_repo, "CI_PIPELINE_SOURCE=merge_request_event", f"CI_MERGE_REQUEST_DIFF_BASE_SHA={base}")
    assert "FAIL  validate" in run.stdout + run.stderr  # the bad change is caught here, in the unit's own pipeline

    channels = {"pipeline log": run.stdout + run.stderr, "git history": git(root, "log", "-p", "--all")}
    for path in root.rglob("*"):
        if path.is_file() and ".git/" not in path.as_posix() + "/" and "/.venv/" not in path.as_posix():
            channels[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", "replace")
    _, site = district_site
    for path in (site / f"unit-{unit}").rglob("*"):
        if path.suffix in (".html", ".json", ".js", ".xml", ".txt"):
            channels[f"site {path.relative_to(site)}"] = path.read_text(encoding="utf-8", errors="replace")
    assert {"validate-junit.xml", "gl-code-quality-report.json", "pool-diff.md"} <= set(channels)

    records = raw_records()
    inside = [d for d in records if d["employment"]["unit"] == unit]
    outside = [d for d in records if d["employment"]["unit"] != unit]
    texts = [d["name"] for d in inside] + [d["employment"]["post"] for d in inside]
    names = [d["name"] for d in outside if not any(d["name"] in t for t in texts)]
    someone_else = any_of(names + [d["id"] for d in outside])
    numbers = [d["id_number"] for d in records] + [d["phone"] for d in records if d.get("phone")]
    for channel, text in channels.items():
        found = someone_else.search(text)
        assert not found, f"{channel}: {found and found[0]}"
        assert not any(n in text for n in numbers), channel
