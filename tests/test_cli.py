"""The command line: help for every command, exit statuses, no traceback for bad input."""

import os
import re
from pathlib import Path

from plainyaml import yaml_of

from generator.cli import COMMANDS, _parser, main

from conftest import PROJECT, cadre_file, new_lines, run_module, validate_lines


def test_every_command_has_help_and_is_in_the_readme():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    for name in COMMANDS:
        assert subparsers.choices[name].description, name
        assert f"cadres {name}" in readme, f"README does not document `cadres {name}`"


def test_python_dash_m_generator_works_and_exits_1_on_errors(project):
    cadre_file(project).write_text("id: [\n", encoding="utf-8")
    result = run_module("--root", str(project), "validate", "--as-of", "2026-11-25", "--no-cache", cwd=project)
    assert result.returncode == 1
    assert "[Y02]" in result.stdout and "Traceback" not in result.stderr + result.stdout


def test_the_root_is_found_from_a_subfolder(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "registry" / "cadres")
    assert main(["validate", "--as-of", "2026-11-25", "--no-cache"]) == 0, capsys.readouterr()


def test_a_missing_registry_exits_2_with_a_chinese_message(tmp_path):
    result = run_module("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "找不到名册" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_as_of_date_is_explained(project):
    result = run_module("--root", str(project), "validate", "--as-of", "2026-13-01", cwd=project)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_a_broken_schema_is_the_programs_failure_exit_2(project):
    (project / "schemas" / "cadre.yaml").write_text("schema:\n  id: {type: strng}\n", encoding="utf-8")
    result = run_module("--root", str(project), "validate", "--no-cache", cwd=project)
    assert result.returncode == 2
    assert "程序内部错误" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_config_file_is_reported(project, cadres):
    (project / "registry" / "units.yaml").unlink()
    status, lines, _ = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1 and new_lines(lines)[0].startswith("registry/units.yaml:1:1: 错误 [X10]")


def test_a_stray_yaml_file_is_reported(project, cadres):
    (project / "registry" / "cadres" / "caizheng" / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    status, lines, _ = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1 and "[X11]" in lines[0] and "notes.yml" in lines[0]


def test_the_ci_template_and_pre_commit_hook_use_real_commands():

    from generator.cli import COMMANDS

    ci = yaml_of((PROJECT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == 0
    reports = ci["validate"]["artifacts"]["reports"]
    assert reports == {"junit": "validate-junit.xml", "codequality": "gl-code-quality-report.json"}
    script = "\n".join(ci["validate"]["script"])
    assert (
        "--format junit > validate-junit.xml" in script
        and "--format codequality > gl-code-quality-report.json" in script
    )
    assert "cadres diff" in script and "pool-diff.md" in ci["validate"]["artifacts"]["paths"]
    sites = "\n".join(ci["sites"]["script"])
    assert "artifacts" not in ci["sites"] and ci["sites"]["cache"] == []  # no artifact holds the sites; no cache
    assert "cadres build" in sites and 'rsync -a --delete --delay-updates site/ "$CADRES_PUBLISH_TARGET"' in sites
    used = {
        line.split("cadres ", 1)[1].split()[0]
        for job in ("validate", "sites")
        for line in ci[job]["script"]
        if "cadres " in line
    }
    assert used <= set(COMMANDS)
    (hook,) = yaml_of((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "cadres validate" and hook["language"] == "python" and hook["pass_filenames"]


def test_argparse_speaks_chinese(capsys):
    import pytest

    from generator.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--format", "xml"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.splitlines()[0].startswith("用法：cadres validate")
    assert (
        err.splitlines()[-1]
        == "cadres validate：错误：参数 --format：「xml」不是可选的值（可选：'text', 'junit', 'codequality'）"
    )
    with pytest.raises(SystemExit):
        main(["new"])
    assert capsys.readouterr().err.splitlines()[-1] == "cadres new：错误：缺少必填的参数：what, --unit"
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert "参数:" in out and "选项:" in out and "显示本帮助并退出" in out
    assert not any(word in out + err for word in ("usage:", "options:", "error:", "show this help"))


def test_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    import sys

    # the demo's statistics (about 100 kB) fill the pipe, so the writer sees it closed
    command = f"set -o pipefail; {sys.executable} -m generator --root {PROJECT} stats --as-of 2026-11-25 --format json | head -1"
    env = {**os.environ, "CADRES_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.stdout == "{\n"
    assert result.stderr == ""
    assert result.returncode == 141


def test_validate_and_codeowners_check_give_one_verdict(project, cadres):
    (project / "CODEOWNERS").unlink(missing_ok=True)
    status, lines, _ = cadres(project, "codeowners", "--check")
    assert status == 0
    assert lines == [
        "CODEOWNERS:1:1: 警告 [X15] 没有 CODEOWNERS 文件：合并请求不会要求单位和区委组织部审核 — 运行 cadres codeowners 生成，并提交到仓库根目录"
    ]
    status, validated = validate_lines(cadres, project)
    assert status == 0 and lines[0] in validated
    (project / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    status, lines, _ = cadres(project, "codeowners", "--check")
    assert status == 1
    assert lines == [
        "CODEOWNERS:1:1: 错误 [X15] CODEOWNERS 与 units.yaml、audiences.yaml 中的审核人不一致 — 运行 cadres codeowners 重新生成，并与本次修改一起提交"
    ]
    status, validated = validate_lines(cadres, project)
    assert status == 1 and lines[0] in validated
    assert cadres(project, "codeowners")[:2] == (0, [f"已写入 {project / 'CODEOWNERS'}"])
    assert cadres(project, "codeowners", "--check")[:2] == (0, ["CODEOWNERS 是最新的。"])


def test_the_cache_stays_out_of_the_working_tree(project, tmp_path):
    """A pre-commit hook fails a commit when the hook leaves files behind: the cache lives in the user's cache."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CADRES_CACHE_DIR"} | {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--as-of", "2026-11-25"],
        cwd=project, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    assert list((tmp_path / "xdg" / "cadres").glob("*/validate.marshal"))


def test_a_relative_root_builds(project, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(project.parent)
    monkeypatch.setenv("CADRES_CACHE_DIR", str(tmp_path / "cache"))
    args = ["--root", project.name, "build", "--as-of", "2026-11-25", "--audience", "unit-caizheng"]
    assert main(args) == 0, capsys.readouterr().err
    assert (project / "site/unit-caizheng/404.html").is_file()


def test_an_internal_error_is_one_line_and_its_traceback_a_file_only_its_owner_reads(project, tmp_path):
    (project / "schemas" / "cadre.yaml").write_text("schema:\n  id: {type: strng}\n", encoding="utf-8")
    cache = tmp_path / "xdg"
    result = run_module(
        "--root", str(project), "validate", "--no-cache", cwd=project, env={"XDG_CACHE_HOME": str(cache)}
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "程序内部错误（SchemaError）" in result.stderr and "请把这个文件发给系统管理员" in result.stderr
    log = next((cache / "cadres" / "errors").glob("*.log"))
    assert str(log) in result.stderr and "Traceback" in log.read_text(encoding="utf-8")
    assert oct((cache / "cadres").stat().st_mode & 0o777) == "0o700" and oct(log.stat().st_mode & 0o777) == "0o600"


def test_every_failure_said_to_a_user_is_one_kind():
    import inspect

    import generator
    from generator.core.errors import CadresError

    said = []
    for path in Path(generator.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        said += re.findall(r"^class (\w+Error|\w+Failure|OldLayout|UnsafeTree)\(([\w, ]+)\)", text, re.M)
    inner = {"CadresError", "SchemaError", "ResumeError"}  # the base; the program's own schemas; read, then said
    assert said and all("CadresError" in base for name, base in said if name not in inner), said
    assert inspect.isclass(CadresError)


def test_argparse_speaks_chinese_for_our_parser_only_and_every_text_we_translate_is_still_its_own():
    import argparse
    import inspect

    from generator.cli import ARGPARSE_TEXTS, chinese_argparse

    source = inspect.getsource(argparse)
    missing = [text for text in ARGPARSE_TEXTS if repr(text) not in source and f'"{text}"' not in source]
    assert missing == [], f"this Python's argparse no longer says {missing}: update cli.ARGPARSE_TEXTS"
    with chinese_argparse():
        ours = _parser().format_help()
    theirs = argparse.ArgumentParser(prog="other").format_help()  # another program in the same process
    assert ours.startswith("用法：") and theirs.startswith("usage: ") and "show this help message" in theirs


def test_the_demo_counts_with_the_date_it_declares_and_a_district_with_today(project, cadres):
    """Issue 27: `make site` built the demo as of today, so from September 2027 all 210 people were overdue."""
    import datetime as dt
    import json

    status, lines, _ = cadres(project, "stats", "--format", "json")
    assert status == 0 and json.loads("\n".join(lines))["as_of"] == "2026-11-25"
    (project / "registry/demo-date.txt").unlink()  # a district's own registry: no such file
    status, lines, _ = cadres(project, "stats", "--format", "json")
    assert json.loads("\n".join(lines))["as_of"] == dt.date.today().isoformat()
    (project / "registry/demo-date.txt").write_text("# 演示\n2026年11月\n", encoding="utf-8")
    status, _, err = cadres(project, "validate")
    assert status == 2 and "registry/demo-date.txt 里没有日期" in err


def test_a_busy_port_is_said_in_one_chinese_line(project, cadres, tmp_path):
    """A second `make serve` on the same port ended in an internal error (Address already in use)."""
    import socket

    site = project / "site" / "zuzhibu"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        status, _, err = cadres(project, "serve", "--port", str(port))
    assert status == 2 and f"端口 {port} 用不了" in err and f"--port {port + 1}" in err and "内部错误" not in err


def test_a_program_calling_main_keeps_its_garbage_collector(project, cadres):
    """`cadres validate` in a process of its own turns Python's collector off (the process ends with the run);
    main() called by another program, as here, leaves it as it was."""
    import gc

    assert gc.isenabled()
    status, _ = validate_lines(cadres, project)
    assert status == 0 and gc.isenabled()
