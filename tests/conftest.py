import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.interchange.yamlout import dump

PROJECT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"  # the demo registry is dated up to November 2026
AS_OF_DATE = dt.date.fromisoformat(AS_OF)


@pytest.fixture(scope="session", autouse=True)
def _demo_baseline():
    demo_lines()  # once, before any test counts what is loaded


def copy_project(root: Path) -> Path:
    root.mkdir()
    for name in ("registry", "schemas", "site_templates"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped demo registry with its schemas and site files: tests edit it freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """Every audience's site built once from an unchanged copy of the demo: (project root, site folder)."""
    root = copy_project(tmp_path_factory.mktemp("demo") / "project")
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", "--as-of", AS_OF],
                            capture_output=True, text=True, env={**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")})
    assert result.returncode == 0, result.stderr
    return root, root / "site"


@pytest.fixture
def cadres(capsys, monkeypatch, tmp_path):
    """Run `cadres ARGS` in-process on a project; returns (exit status, stdout lines, stderr)."""
    monkeypatch.setenv("CADRES_CACHE_DIR", str(tmp_path / "cache"))

    def run(root, *args):
        status = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return status, out.splitlines(), err

    return run


def validate_lines(cadres, root, *extra):
    status, lines, err = cadres(root, "validate", "--as-of", AS_OF, *extra)
    assert "Traceback" not in err
    return status, lines


@functools.cache
def demo_lines() -> frozenset:
    """What the shipped demo reports on purpose: two overdue reviews (R11) and one waived rule (R04)."""
    from generator.registry.validate import validate
    return frozenset(f.format() for f in validate(PROJECT, as_of=AS_OF_DATE)[1])


def new_lines(lines) -> list:
    """Finding lines that the unchanged demo does not report (the count line excluded)."""
    return [ln for ln in lines if ln not in demo_lines() and not ln.startswith(("共 ", "检查通过"))]


def cadre_file(root, cadre_id=None) -> Path:
    """The path of one demo record (the first one, or the one with this id)."""
    files = sorted((root / "registry" / "cadres").rglob("*.yaml"))
    if cadre_id:
        return next(f for f in files if f.stem == cadre_id)
    return files[0]


def change(root, cadre_id: str, mutate) -> dict:
    """Edit one record as a unit's office would, through its values: load it, mutate(data), write it back."""
    path = cadre_file(root, cadre_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(dump(data), encoding="utf-8")
    return data


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_module(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)
