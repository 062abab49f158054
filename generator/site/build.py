"""Building the sites: one MkDocs + Material build per audience, each swapped in only when it succeeded.

For each audience: its pages (pages.py) are rendered from the Jinja2
templates in site_templates/ into a staging docs folder, with a config that
inherits the top-level mkdocs.yml and a jieba dictionary of the names, units
and posts it may see; `mkdocs build --strict` runs on it (in a worker
process, several audiences at once); the result replaces site/<audience>/
only then. A failed, interrupted or killed build leaves the previous site
whole; leftovers of a killed build are removed by the next one.
"""

from __future__ import annotations

import concurrent.futures
import datetime as _dt
import functools
import html
import importlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
import jinja2
import yaml
from markupsafe import Markup
from mkdocs.commands.build import build as run_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.analysis import strokes
from generator.analysis.audiences import Audience, expand
from generator.analysis.stats import Statistics
from generator.core import dates, defaults, parallel, swap
from generator.core.errors import CadresError
from generator.git import approvals
from generator.git.history import History, read_history
from generator.git.repo import HistoryError
from generator.registry import sealed
from generator.registry.files import Registry
from generator.site.hooks import MemoryBytecodeCache
from generator.site.pages import WORKBOOK, View, nav, site_pages

TEMPLATES = "site_templates"
STAGING = ".build-"


class BuildError(CadresError):
    """A build failed: the previous site is left in place."""


def html_text(value: object) -> str:
    """Every value shown on a page, escaped for HTML (page bodies are raw HTML, which Markdown leaves alone)."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # finished markup made by this program (charts)
        return value
    return _escaped(str(value))


@functools.lru_cache(maxsize=1 << 16)  # a site writes the same names, units and dates hundreds of times
def _escaped(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def environment(root: Path) -> jinja2.Environment:
    """The page templates' environment: a new one for every audience, their compiled templates kept for the
    process (by file and source checksum: an edited template compiles again), as the theme's are (hooks.py)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(defaults.path(root, TEMPLATES)),
        finalize=html_text,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )


_COMPILED = MemoryBytecodeCache()  # the page templates' own: compiled with other settings than the theme's


def settings(root: Path) -> dict:
    """What the build reads from the shared mkdocs.yml: the site name and where a record's file is edited."""
    with open(defaults.path(root, "mkdocs.yml"), encoding="utf-8") as fh:
        config = yaml.safe_load(fh) or {}
    extra = config.get("extra") or {}
    edit_base = os.environ.get("CADRES_EDIT_URL") or extra.get("registry_edit_url") or ""
    return {
        "site_name": config.get("site_name", "科级后备干部名册"),
        "edit_base": edit_base,
        "extra_css": list(config.get("extra_css") or []),
        "mark": str(extra.get("print_mark") or ""),
    }


def _write_workbook(
    registry: Registry, audience: Audience, as_of: _dt.date, mark: str, stats: Statistics, path: Path
) -> None:
    """The audience's 名册 workbook (excel.roster_workbook), in the process that writes it beside mkdocs: openpyxl
    (60 ms to import) is imported there, or once before the workers fork when a build has many sites."""
    from generator.interchange import excel  # noqa: PLC0415 (see the docstring)

    excel.roster_workbook(registry, audience, as_of, path, mark, stats)


def _template(env: jinja2.Environment, template: str, path: str) -> jinja2.Template:
    try:
        return env.get_template(template)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, template, path) from None


def _write_page(context: tuple[dict[str, jinja2.Template], Path, list], index: int) -> None:
    """Render one page of `stage`'s list into the docs (in a worker of fork_map, or here)."""
    templates, docs, pages = context
    path, (template, values) = pages[index]
    target = docs / path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.write_text(templates[template].render(**values), encoding="utf-8")
    except jinja2.TemplateError as exc:
        raise _template_error(exc, template, path) from None


def _template_error(exc: jinja2.TemplateError, template: str, path: str) -> BuildError:
    where = (
        f"{TEMPLATES}/{getattr(exc, 'name', template)}:{getattr(exc, 'lineno', 0)}"
        if getattr(exc, "lineno", None)
        else f"{TEMPLATES}/{template}"
    )
    return BuildError(f"页面模板 {where} 有错误（生成 {path} 时）：{exc.message}")


def print_mark_css(mark: str) -> str:
    """The confidentiality mark at the top of every printed page, as a CSS string (escaped)."""
    if not mark:
        return ""
    quoted = '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>' else c for c in mark) + '"'
    return f"@page {{ @top-right {{ content: {quoted}; font-size: 9pt; }} }}\n"


def jieba_words(pages: dict, unit_names: Iterable[str]) -> list[str]:
    """Words jieba must keep whole: the names, units and posts on this audience's pages, and every unit's name
    (a unit without reserves is named on the statistics page alone: cut into 区/科学技术/局, its 区 made a query
    like 区财政局 search for 区 only)."""
    words: set[str] = set(unit_names)
    for template, values in pages.values():
        if template == "profile.md.j2":
            brief = values["brief"]
            words.update(w for w in (brief["name"], brief["unit"], brief["post"]) if w)
    return sorted(words)


def footer(as_of: _dt.date, h: History | None) -> str:
    """Every page's footer: which registry commit and which as-of date the site was built from."""
    version = (
        f"名册版本 {h.head}（{dates.dotted((h.head_date or '')[:10])}）"
        if h and h.available
        else "名册版本：未知（不在 git 仓库中）"
    )
    if h and h.shallow:
        version += "，历史不完整（浅克隆）"
    return html.escape(f"{version} · 统计日期 {dates.dotted(as_of.isoformat())}")


# -- one audience -----------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What every audience's build needs: handed to each worker once, as it forks (nothing is pickled)."""

    registry: Registry
    history: History | None  # the registry's git history, read once for all audiences
    as_of: _dt.date
    output: Path
    progress: Callable[[str], object]  # says which stage a build is at (stderr is shared)


@dataclass(frozen=True)
class Staged:
    """An audience's docs and config, staged for mkdocs; its 名册 workbook is written apart (build_one writes it
    while mkdocs runs): until then its file in the docs is empty, so the pages' links to it hold."""

    config: Path
    pages: int
    workbook: str  # the workbook's path in the docs and in the site
    write_workbook: Callable[[Path], object]  # writes it to a path


def stage(
    registry: Registry, audience: Audience, as_of: _dt.date, work: Path, history: History | None = None
) -> Staged:
    """Render an audience's pages and config into `work`."""

    root = registry.root
    conf = settings(root)
    site_name = f"{(registry.policy or {}).get('district', '')}{conf['site_name']} · {audience.title}"
    if re.search(r"[<>&\"'\x00-\x1f\x7f]", site_name):  # Material prints it unescaped in <title> and the header
        raise BuildError(
            f"网站名称「{html.escape(site_name)}」含有 < > & \" ' 或控制字符，不能用作网页标题；"
            "请改 mkdocs.yml 的 site_name、单位名称或 audiences.yaml 的读者名称"
        )
    view = View(registry, audience, as_of, conf["edit_base"], history)
    pages = site_pages(registry, audience, as_of, view=view)
    docs = work / "docs"
    env = environment(root)
    listed = list(pages.items())
    first = {template: path for path, (template, _) in reversed(listed)}  # the first page of each template
    templates = {template: _template(env, template, path) for template, path in first.items()}  # before any fork
    parallel.fork_map(_write_page, list(range(len(listed))), (templates, docs, listed))  # on every core, when many
    shutil.copytree(defaults.path(root, TEMPLATES) / "assets", docs / "assets")
    (docs / "assets" / "print-mark.css").write_text(print_mark_css(conf["mark"]), encoding="utf-8")
    workbook = WORKBOOK.format(audience=audience.id)
    (docs / workbook).parent.mkdir()
    (docs / workbook).write_bytes(b"")
    userdict = work / "jieba.txt"
    userdict.write_text(
        "".join(
            f"{w.replace(' ', '')} 100000 n\n"
            for w in jieba_words(pages, (u["name"] for u in registry.units))
            if w.strip()
        ),
        encoding="utf-8",
    )
    config = work / "mkdocs.yml"
    config.write_text(
        json.dumps(
            {
                "INHERIT": str(defaults.path(root, "mkdocs.yml").resolve()),
                "site_name": site_name,
                "docs_dir": str(docs),
                "site_dir": str(work / "site"),
                "nav": nav(audience),
                "not_in_nav": "profiles/*\npeople/*\n",
                "extra_javascript": ["assets/tables.js"],
                "extra_css": [*conf["extra_css"], "assets/print-mark.css"],
                "theme": {"custom_dir": str(defaults.path(root, TEMPLATES).resolve() / "overrides")},  # the 404 page
                "hooks": [str(Path(__file__).with_name("hooks.py"))],
                "plugins": {"search": {"jieba_dict_user": str(userdict)}},
                "copyright": footer(as_of, history),
                "extra": {"cadres_units": sorted(u["name"] for u in registry.units)},  # whole words of the index
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    write = functools.partial(_write_workbook, registry, audience, as_of, conf["mark"], view.stats)
    return Staged(config, len(pages), workbook, write)


def mkdocs_build(config: Path) -> None:
    """`mkdocs build --strict` in this process; its warnings become the error's text."""

    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                problems.append(f"{record.levelname}: {record.getMessage()}")

    logging.getLogger("jieba").setLevel(logging.WARNING)  # not its "loading model" chatter
    logger = logging.getLogger("mkdocs")
    handler = Collect()
    logger.addHandler(handler)
    saved = logger.propagate
    logger.propagate = False
    try:
        run_build(load_config(config_file=str(config), strict=True))
    except (MkDocsException, SystemExit) as exc:
        raise BuildError("\n".join(problems) or str(exc)) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def build_one(job: Job, audience: Audience) -> tuple[str, int, float, float]:
    """Stage, build and swap in one audience's site; (audience id, pages, staging s, mkdocs s)."""
    job.output.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=job.output)).resolve()
    try:
        start = time.perf_counter()
        job.progress(f"{audience.id}：生成页面……")
        staged = stage(job.registry, audience, job.as_of, work, job.history)
        ready = time.perf_counter()
        job.progress(f"{audience.id}：mkdocs 构建 {staged.pages} 页……")
        workbook = work / "workbook.xlsx"
        try:
            with parallel.alongside(lambda: staged.write_workbook(workbook)):  # on another core meanwhile
                mkdocs_build(staged.config)
        except parallel.ChildFailed as exc:
            raise BuildError(f"名册工作簿（{staged.workbook}）生成失败：{exc}") from None
        try:
            os.replace(workbook, work / "site" / staged.workbook)  # over the empty file mkdocs copied
        except OSError as exc:  # written nowhere, or its place left out of the site (mkdocs.yml exclude_docs)
            raise BuildError(f"名册工作簿（{staged.workbook}）没有放进站点：{exc.strerror}") from None
        built = time.perf_counter()
        _swap(work / "site", job.output / audience.id)
        return audience.id, staged.pages, ready - start, built - ready
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- every audience ------------------------------------------------------------------------


def build(
    registry: Registry,
    output: Path | str,
    *,
    as_of: _dt.date,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    progress: Callable[[str], object] = print,
    cache_dir: Path | None = None,
    history_root: Path | None = None,
) -> list[str]:
    """Build every audience's site (or those in `only`) into output/<audience id>/; returns the ids built.
    The change log comes from the git repository at `history_root` (default: the registry's own)."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)
    audiences = expand(registry)
    folders = [a.id for a in audiences]
    twice = sorted({f for f in folders if folders.count(f) > 1})
    if twice:  # X16 reports it; never let one site overwrite another
        raise BuildError(f"读者站点目录重名：{'、'.join(twice)}；请运行 cadres validate 查看 X16 并改正 audiences.yaml")
    if only:
        known = {a.id for a in audiences}
        missing = [a for a in only if a not in known]
        if missing:
            raise BuildError(f"没有读者「{'、'.join(missing)}」；可用的读者：{'、'.join(sorted(known))}")
        audiences = [a for a in audiences if a.id in only]
    rare = strokes.unknown(e.data["name"] for e in registry.cadres)
    if rare:
        progress(f"注意：「{'」「'.join(rare)}」不在笔画表中，含这些字的姓名排在笔画相同的姓名之后")
    started = time.perf_counter()
    try:
        history = read_history(history_root or registry.root, registry.schemas, cache_dir, approvals.configured())
    except HistoryError as exc:
        raise BuildError(str(exc)) from None
    if history.available:
        progress(
            f"读取 git 历史：{len(history.changes)} 项修改，用时 {time.perf_counter() - started:.1f} 秒"
            + ("；这是浅克隆，历史不完整" if history.shallow else "")
        )
    job = Job(registry, history, as_of, output, progress)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(audiences)))
    _load_segmenter()
    if len(audiences) > 1:
        importlib.import_module("generator.interchange.excel")  # the workbooks' openpyxl, once for every site
    progress(f"生成 {len(audiences)} 个读者的站点（{jobs} 个进程并行）……")
    failed: list[str] = []
    done: list[str] = []
    start = time.perf_counter()
    if jobs == 1:
        results = ((a, _call(job, a)) for a in audiences)
        for audience, result in results:
            _report(audience, result, len(done) + len(failed) + 1, len(audiences), progress, done, failed)
    else:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start, initargs=(job, os.getpid())
        ) as pool:
            futures = {pool.submit(_call_in_worker, a): a for a in audiences}
            for future in concurrent.futures.as_completed(futures):
                _report(
                    futures[future],
                    future.result(),
                    len(done) + len(failed) + 1,
                    len(audiences),
                    progress,
                    done,
                    failed,
                )
    progress(f"完成：{len(done)} 个站点，用时 {time.perf_counter() - start:.1f} 秒")
    if failed:
        raise BuildError("以下读者的站点生成失败，原有站点保持不变：\n" + "\n".join(failed))
    return done


def _load_segmenter() -> None:
    """jieba's dictionary (search splits Chinese with it), loaded once before the workers fork (0.8 s each)."""

    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" chatter
    jieba.initialize()


def _call(job: Job, audience: Audience) -> tuple[str, int, float, float] | str:
    """One audience's build; a BuildError comes back as text (exceptions of mkdocs may not pickle)."""
    try:
        return build_one(job, audience)
    except (BuildError, sealed.SealError) as exc:
        return str(exc)


_job: Job | None = None  # in a worker process only: the build's Job, set by _start as the worker forks


def _start(job: Job, parent: int) -> None:
    global _job
    parallel.die_with_parent(parent)
    _job = job


def _call_in_worker(audience: Audience) -> tuple[str, int, float, float] | str:
    assert _job is not None, "runs in a worker started by build()"
    return _call(_job, audience)


def _report(
    audience: Audience,
    result: tuple[str, int, float, float] | str,
    n: int,
    total: int,
    progress: Callable[[str], object],
    done: list,
    failed: list,
) -> None:
    if isinstance(result, str):
        failed.append(f"{audience.id}（{audience.title}）：{result}")
        progress(f"[{n}/{total}] {audience.id}：失败")
        return
    _, count, staging, mkdocs = result
    done.append(audience.id)
    progress(
        f"[{n}/{total}] {audience.id}（{audience.title}）：{count} 页，"
        f"生成页面 {staging:.1f} 秒，mkdocs {mkdocs:.1f} 秒"
    )


def _swap(staged: Path, target: Path) -> None:
    """Put the new site in place of the old one in one step (swap.put_in_place); the old one goes after."""
    old = swap.put_in_place(staged, target, target.with_name(f"{STAGING}old-{os.getpid()}-{target.name}"))
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """What a killed build left: its staging folders go; a site it had moved aside comes back."""
    for path in sorted(output.glob(f"{STAGING}*")):
        old = path.name.startswith(f"{STAGING}old-")
        pid, _, name = path.name[len(f"{STAGING}old-" if old else STAGING) :].partition("-")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if old and not (output / name).exists():
            path.rename(output / name)  # killed between the fallback's two renames (core/swap.py)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
