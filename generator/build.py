"""Rendering and building the site: registry -> Markdown pages (Jinja2) -> `mkdocs build --strict`.

The build goes into a temporary folder beside the output and replaces the
previous site only when mkdocs succeeded, so a failed or interrupted build
leaves the previous site whole.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2

TEMPLATES = "site_templates"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")
LEVELS = ("正职", "副职")
STATUSES = ("关注", "推荐", "考察", "在库", "已使用", "调整出库")


class BuildError(Exception):
    """mkdocs failed: the previous site is left in place."""


def text(value) -> str:
    """Every value shown on a page: HTML and Markdown syntax in it is shown as text, never interpreted."""
    if value is None:
        return ""
    escaped = html.escape(str(value), quote=True)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")


def environment(root: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(root / TEMPLATES), finalize=text,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def pages(registry, as_of: _dt.date) -> dict[str, dict]:
    """{page: the values its template shows}: everything counted here, nothing in the templates."""
    cadres = [e.data for e in registry.cadres]
    pool = [c for c in cadres if c["reserve"]["status"] == "在库"]
    units = []
    for unit in sorted(registry.units, key=lambda u: u["order"]):
        people = [c for c in cadres if c["employment"]["unit"] == unit["id"]]
        people.sort(key=lambda c: (LEVELS.index(c["reserve"]["level"]), STATUSES.index(c["reserve"]["status"]), c["id"]))
        units.append({"name": unit["name"], "people": [
            {"name": c["name"], "sex": c["sex"], "birth": c["birth"], "post": c["employment"]["post"],
             "level": c["reserve"]["level"], "status": c["reserve"]["status"]} for c in people]})
    return {
        "index.md": {"site_name": "科级后备干部名册", "as_of": as_of.isoformat(), "registry_files": len(registry.entries),
                     "levels": [{"label": lv, "count": sum(1 for c in pool if c["reserve"]["level"] == lv)} for lv in LEVELS],
                     "total": len(pool),
                     "statuses": [{"label": st, "count": sum(1 for c in cadres if c["reserve"]["status"] == st)}
                                  for st in STATUSES]},
        "roster.md": {"units": units},
    }


def render(root: Path, docs: Path, registry, as_of: _dt.date) -> None:
    env = environment(root)
    for name, values in pages(registry, as_of).items():
        (docs / name).write_text(env.get_template(f"{name}.j2").render(**values), encoding="utf-8")
    shutil.copytree(root / TEMPLATES / "assets", docs / "assets")


def build(registry, output, *, as_of: _dt.date, progress=print) -> Path:
    """Render and build the site into `output`, swapping it in only when the build succeeded."""
    root, output = registry.root, Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=output.parent) as work:
        work = Path(work)
        docs, staged = work / "docs", work / "site"
        docs.mkdir()
        progress("生成页面……")
        render(root, docs, registry, as_of)
        config = work / "mkdocs.yml"
        config.write_text(f"INHERIT: {root.resolve() / 'mkdocs.yml'}\ndocs_dir: {docs}\nsite_dir: {staged}\n",
                          encoding="utf-8")
        progress("mkdocs build --strict ……")
        # not --quiet: it hides warnings from --strict, so a broken page would pass
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                                capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if result.returncode != 0:
            problems = [ln for ln in result.stderr.splitlines() if ln.startswith(("WARNING", "ERROR", "Aborted"))]
            raise BuildError("mkdocs 生成失败，原有网站保持不变：\n" + "\n".join(problems or result.stderr.splitlines()[-20:]))
        _swap(staged, output)
    return output


def _swap(staged: Path, output: Path) -> None:
    """Put the new site in place of the old one; the old one is removed only after the new one is there."""
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    staged.rename(output)
    shutil.rmtree(old, ignore_errors=True)
