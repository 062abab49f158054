"""The command line: help for every command, exit statuses, no traceback for bad input."""

from generator.cli import COMMANDS, _parser

from conftest import PROJECT, cadre_file, new_lines, run_module


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


def test_the_root_is_found_from_a_subfolder(project):
    result = run_module("validate", "--as-of", "2026-11-25", "--no-cache", cwd=project / "registry" / "cadres")
    assert result.returncode == 0, result.stdout + result.stderr


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
    import yaml

    from generator.cli import COMMANDS

    ci = yaml.safe_load((PROJECT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == 0
    reports = ci["validate"]["artifacts"]["reports"]
    assert reports == {"junit": "validate-junit.xml", "codequality": "gl-code-quality-report.json"}
    script = "\n".join(ci["validate"]["script"])
    assert (
        "--format junit > validate-junit.xml" in script
        and "--format codequality > gl-code-quality-report.json" in script
    )
    assert "cadres diff" in script and "pool-diff.md" in ci["validate"]["artifacts"]["paths"]
    assert ci["sites"]["artifacts"]["paths"] == ["site/"] and "cadres build" in "\n".join(ci["sites"]["script"])
    used = {
        line.split("cadres ", 1)[1].split()[0]
        for job in ("validate", "sites")
        for line in ci[job]["script"]
        if "cadres " in line
    }
    assert used <= set(COMMANDS)
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "cadres validate" and hook["language"] == "python" and hook["pass_filenames"]
