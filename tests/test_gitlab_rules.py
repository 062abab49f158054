"""The CI file as GitLab itself judges it, beyond what the GitLab CI JSON schema checks.

Each rule mirrors GitLab's own source (gitlabhq, lib/gitlab/ci/config/entry/): a file the JSON schema
accepts can still be refused by GitLab, and then no pipeline starts at all.
"""

import re

from plainyaml import yaml_of

from conftest import PROJECT

CI = yaml_of((PROJECT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
# entry/job.rb and entry/root.rb: keys of the file that are not jobs
RESERVED = {"image", "services", "stages", "types", "before_script", "after_script", "variables", "cache",
            "include", "default", "workflow", "true", "false", "nil"}  # fmt: skip
JOBS = {name: job for name, job in CI.items() if name not in RESERVED and not name.startswith(".")}
# entry/artifacts.rb: EXPOSE_AS_REGEX = /\A\w[-\w ]*\z/ — Ruby's \w is ASCII only
EXPOSE_AS = re.compile(r"\A[A-Za-z0-9_][-A-Za-z0-9_ ]*\Z")
# entry/rules/rule.rb: ALLOWED_KEYS
RULE_KEYS = {"if", "changes", "exists", "when", "start_in", "allow_failure", "variables", "needs", "interruptible"}


def test_expose_as_is_what_gitlab_accepts():
    exposed = [job["artifacts"]["expose_as"] for job in JOBS.values() if "expose_as" in job.get("artifacts", {})]
    assert exposed, "the merge request shows the pool summary as an exposed artifact"
    for name in exposed:
        assert EXPOSE_AS.match(name), f"GitLab refuses expose_as {name!r}: letters, digits, '-', '_' and spaces only"
    assert not EXPOSE_AS.match("名册变化摘要")  # the name that stopped every pipeline


def test_job_names_and_rules_are_what_gitlab_accepts():
    assert set(JOBS) == {"validate", "sites"}
    for name, job in JOBS.items():
        assert 0 < len(name) <= 255 and name.strip() == name
        assert isinstance(job.get("script"), list) and job["script"], name
        for rule in job.get("rules", []):
            assert set(rule) <= RULE_KEYS, (name, rule)
        if "expose_as" in job.get("artifacts", {}):
            assert job["artifacts"].get("paths"), "GitLab requires paths with expose_as"


def test_the_ci_file_passes_the_gitlab_ci_json_schema():
    """The schema GitLab publishes (vendored in check-jsonschema, no network): necessary, though not sufficient."""
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.gitlab-ci", str(PROJECT / ".gitlab-ci.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_cache_key_promises_what_gitlab_does_not_do():
    """GitLab suffixes every cache key, fallback keys included, with -protected or -non_protected by the ref
    (gitlab-org/gitlab#360910): a merge request's pipeline can never read main's cache, so no fallback key
    pretends it can, and the publishing job uses no cache at all."""
    jobs = [CI.get("default", {}), *JOBS.values()]
    assert not any("fallback_keys" in (job.get("cache") or {}) for job in jobs if isinstance(job.get("cache"), dict))
    assert JOBS["sites"]["cache"] == []


def test_the_key_reaches_only_the_publishing_job():
    """Issue 26: the protected key variable reached every job on main, validate included. Its environment scope
    is the publishing job's environment; every other job runs without an environment and refuses a key it sees."""
    with_environment = {name for name, job in JOBS.items() if job.get("environment")}
    assert with_environment == {"sites"} and JOBS["sites"]["environment"]["name"] == "intranet"
    for name, job in JOBS.items():
        if name != "sites":
            guard = job["script"][0]
            assert guard.startswith('if [ -n "${CADRES_AGE_IDENTITY_FILE:-}" ]') and "exit 1" in guard, name
            assert "环境范围" in guard and "intranet" in guard
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "“环境范围”填 `intranet`" in readme and "| 受保护环境（只在区名册项目） |" in readme
