import atexit
import contextlib
import copy
import datetime as dt
import fcntl
import functools
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from plainyaml import yaml_of

from generator.cli import main
from generator.interchange.yamlout import dump

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("CADRES_ARTIFACTS", PROJECT / "artifacts"))  # screenshots and printed pages
CHROMIUM = "/usr/bin/chromium"  # Debian's, driven by Playwright; never Playwright's own download
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DISTRICT = PROJECT / "tests" / "fixtures" / "district"  # the tests' own registry (README there), not the demo
AS_OF = "2026-11-25"  # the tests' registry, like the demo it was cut from, is dated up to November 2026
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
DEMO_KEY = PROJECT / "benchmarks" / "demo-age-key.txt"  # opens the demo's sealed numbers (invented people)
os.environ.setdefault("CADRES_AGE_IDENTITY_FILE", str(DEMO_KEY))  # the org department's machine; tests drop it


def plain(value: str) -> str:
    """A demo record's sealed number in clear text."""
    from generator.registry import sealed

    return sealed._keys(str(DEMO_KEY), None).open(value)


def seal(value: str) -> str:
    """A number sealed to the demo's recipient, as `cadres encrypt` writes it."""
    from generator.registry import sealed

    return sealed.seal(value, sealed.recipients(PROJECT))


def pytest_configure(config):
    """Scratch files on the RAM disk where there is one: the tests copy their registry (about 100 files) many times,
    and creating a file costs about 1 ms on this disk against 0.05 ms in memory."""
    shm = Path("/dev/shm")
    if not config.option.basetemp and "TMPDIR" not in os.environ and shm.is_dir() and os.access(shm, os.W_OK):
        os.environ["TMPDIR"] = str(shm)
        tempfile.tempdir = None  # gettempdir() looks again


def libreoffice() -> str | None:
    """LibreOffice's soffice, when Calc and Writer are installed with it (without them it turns a workbook or a
    document into an empty page), and poppler's pdftotext to read its PDF back."""
    soffice = shutil.which("soffice")
    program = soffice and Path(os.path.realpath(soffice)).parent
    parts = ("libsclo.so", "libswlo.so")  # Debian's libreoffice-calc-nogui and libreoffice-writer-nogui
    found = program and all((program / part).is_file() for part in parts) and shutil.which("pdftotext")
    return soffice if found else None


# what some tests need beyond Python, by the marker of the tests that need it, and how to get it
TOOLS = {
    "nginx": ("server", lambda: shutil.which("nginx"), "apt install nginx"),
    "chromium": ("server", lambda: Path(CHROMIUM).is_file(), "apt install chromium chromium-driver fonts-noto-cjk"),
    "libreoffice": (
        "office",
        libreoffice,
        "apt install libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils",
    ),
    "gitlab-ci-local": ("pipeline", lambda: shutil.which("gitlab-ci-local"), "npm install -g gitlab-ci-local@4.60.0"),
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the xdist_group marks added here
def pytest_collection_modifyitems(items):
    """Tests that start nginx or Chromium are marked `server` (`-m "not server"` runs the rest). On a machine
    without a tool they need, they are skipped and the run says so at the end; with CI=true (as .ci/run sets) a
    missing tool fails them instead, as it should on the machine that is to prove everything."""
    for item in items:
        if {"served", "browser"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)
        if item.get_closest_marker("pipeline"):  # one worker runs them all: they share one repository's .venv
            item.add_marker(pytest.mark.xdist_group("pipeline"))
        elif not item.get_closest_marker("xdist_group") and _own_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))  # made once, not once a worker
    # the long groups first: handed out last, the pipeline's minute would run alone at the end of the run
    items.sort(
        key=lambda item: (
            0 if item.get_closest_marker("pipeline") else 1 if item.get_closest_marker("xdist_group") else 2
        )
    )
    if os.environ.get("CI") == "true":
        return
    missing = {tool: marker for tool, (marker, found, _) in TOOLS.items() if not found()}
    for item in items:
        needs = [tool for tool, marker in missing.items() if item.get_closest_marker(marker)]
        if needs:
            item.add_marker(pytest.mark.skip(reason=f"这台机器没有 {'、'.join(needs)}"))


def _own_module_fixture(item) -> bool:
    """The test uses a module-scoped fixture of its own module (a repository, a built site, a document): its
    module's tests that do run on one worker, so the fixture is made once (conftest's browser is left to spread)."""
    info = getattr(item, "_fixtureinfo", None)
    module = getattr(item, "module", None)
    for name in getattr(item, "fixturenames", ()):
        defs = info.name2fixturedefs.get(name, ()) if info else ()
        if any(d.scope == "module" and getattr(d.func, "__module__", None) == module.__name__ for d in defs):
            return True
    return False


def pytest_collection_finish(session):
    """Under `--dist loadgroup` every test marked xdist_group carries its group in its id, or the group's tests
    scatter across the workers (each builds the demo's sites again; the pipeline tests share one .venv)."""
    if getattr(session.config.option, "loadgroup", False):
        lost = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
        assert not lost, f"pytest-xdist did not group {lost[0]}: pytest and pytest-xdist do not fit (pyproject.toml)"


def pytest_terminal_summary(terminalreporter):
    """The skipped tests' tools, named with how to install them: a pass without them is not the whole proof.
    (Counted from the reports: under xdist the workers collect, the controller only reports.)"""
    skipped: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for tool in TOOLS:
            if "这台机器没有" in reason and tool in reason:
                skipped[tool] = skipped.get(tool, 0) + 1
    for tool, count in sorted(skipped.items()):
        how = TOOLS[tool][2]
        terminalreporter.write_line(
            f"!!! 跳过了 {count} 个需要 {tool} 的测试：这台机器没有它（安装：{how}；.ci/run 会安装）。"
            "CI=true 时缺少即失败。",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session", autouse=True)
def _baseline():
    district_lines()  # once, before any test counts what is loaded


def copy_project(root: Path, registry: Path = DISTRICT) -> Path:
    """A checkout-shaped copy: the tests' registry (or `registry=PROJECT`, the shipped demo's) with this
    project's schemas, page templates and site configuration, which some tests edit."""
    root.mkdir()
    shutil.copytree(registry / "registry", root / "registry")
    shutil.copy(registry / "CODEOWNERS", root / "CODEOWNERS")
    for name in ("schemas", "site_templates"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def project(tmp_path):
    """A copy of the tests' registry (tests/fixtures/district) with the schemas and site files: tests edit it."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def district_site(tmp_path_factory, warm_cache):
    """Every audience's site built once from an unchanged copy of the tests' registry: (project root, site folder).

    Read-only. Under pytest-xdist the workers share one build: the first to get the lock builds it.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # this run's folder, shared by its workers
    with open(shared / "district-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = shared / "district-site" / "project"
        if not (root / "site" / "zuzhibu" / "index.html").is_file():
            shutil.rmtree(root.parent, ignore_errors=True)
            copy_project(root.parent.mkdir(parents=True) or root)
            shutil.copytree(warm_cache, root / ".cache")  # validation is not what this fixture is for
            # in this process (its compiled templates and search dictionary are warm), one site at a time: the
            # other worker of the tests has the other core
            err = io.StringIO()
            with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err):
                patch.setenv("CADRES_CACHE_DIR", str(root / ".cache"))
                status = main(["--root", str(root), "build", "--as-of", AS_OF, "--jobs", "1"])
            assert status == 0, err.getvalue()
    return root, root / "site"


@pytest.fixture
def cadres(capsys, monkeypatch, tmp_path, warm_cache):
    """Run `cadres ARGS` in-process on a project; returns (exit status, stdout lines, stderr)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(warm_cache / "validate.marshal", cache)  # what a clerk's machine has after the first run
    monkeypatch.setenv("CADRES_CACHE_DIR", str(cache))

    def run(root, *args):
        status = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return status, out.splitlines(), err

    return run


def validate_lines(cadres, root, *extra):
    status, lines, err = cadres(root, "validate", "--as-of", AS_OF, *extra)
    assert "Traceback" not in err
    return status, lines


@pytest.fixture(scope="session")
def warm_cache() -> Path:
    """A validation cache filled from the tests' registry: its copies find their unchanged files in it.

    Every test that runs `cadres` starts from a copy of it, as a clerk's second run does; the cold
    path and the cache's invalidation are tested in test_cache.py with caches of their own.
    """
    district_registry()
    folder = warm_cache_folder()
    assert (folder / "validate.marshal").is_file()
    return folder


@functools.cache
def raw_records() -> tuple[dict, ...]:
    """Every person of the tests' registry read with plain YAML (libyaml), not the registry's loader: for counting
    independently.
    Each has the values the later stages read: the person's own file, and what the acts say (`raw_acts`).
    The sealed numbers are opened with the demo key, as the org department's pages show them."""
    records = (
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for p in sorted((DISTRICT / "registry/cadres").rglob("*.yaml"))
    )
    acts = raw_acts()
    return tuple(
        {k: plain(v) if str(v).startswith("ENC[") else v for k, v in data.items()} | acts.get(data["id"], {})
        for data in records
    )


def raw_acts() -> dict[str, dict]:
    """{id: reserve, inspection, evaluations, development_plan, exceptions} as the registry's act files say them,
    worked out here on plain YAML, apart from generator/registry/acts.py."""

    def load(pattern):
        return [
            yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in sorted(DISTRICT.glob(pattern))
        ]

    out: dict[str, dict] = {}
    for doc in sorted(load("registry/nominations/*/*.yaml"), key=lambda d: d["round"]):
        for c in doc["candidates"]:
            out[c["cadre"]] = {"reserve": {"level": c["level"], "source": "民主推荐", "status": "推荐",
                                           "nomination": f"{doc['round']}/{doc['unit']}"}}  # fmt: skip
    for doc in load("registry/watch.yaml"):
        for c in doc["watched"]:
            out[c["cadre"]] = {"reserve": {k: v for k, v in c.items() if k != "cadre"} | {"status": "关注"}}
    for doc in sorted(load("registry/inspections/*/*.yaml"), key=lambda d: d["round"]):
        for c in doc["candidates"]:
            reserve = {k: c[k] for k in ("level", "track", "direction", "source") if k in c}
            reserve["status"] = "考察" if "inspection" in c else "推荐"
            if c["source"] == "民主推荐":
                reserve["nomination"] = f"{doc['round']}/{doc['unit']}"
            out[c["cadre"]] = {"reserve": reserve} | {
                k: c[k] for k in ("evaluations", "inspection", "development_plan") if k in c
            }
    for doc in sorted(load("registry/decisions/*.yaml"), key=lambda d: d["date"]):
        decision = {k: doc[k] for k in ("body", "date", "ref") if k in doc}
        for c in doc.get("admitted", []):
            reserve = out[c["cadre"]]["reserve"]
            reserve.update(status="在库", decision=decision, entered=doc["date"], level=c["level"], track=c["track"])
        for c in doc.get("reviewed", []):
            out[c["cadre"]]["reserve"]["reviewed"] = doc["date"]
        for c in doc.get("left", []):
            out[c["cadre"]]["reserve"].update(status=c["status"], exit={"date": doc["date"], "reason": c["reason"]})
        for c in doc.get("waivers", []):
            waiver = {"rule": c["rule"], "reason": c["reason"], "decided_by": doc["body"], "date": doc["date"]}
            out[c["cadre"]].setdefault("exceptions", []).append(waiver)
    return out


@functools.cache
def district_lines() -> frozenset:
    """What the tests' registry reports on purpose, as the demo it was cut from does: two overdue reviews (R11),
    a changed grade (R07) and one waived rule (R04)."""
    from generator.registry.validate import check

    return frozenset(f.format() for f in check(district_registry(), AS_OF_DATE))


def new_lines(lines) -> list:
    """Finding lines that the unchanged registry does not report (the count line excluded)."""
    return [ln for ln in lines if ln not in district_lines() and not ln.startswith(("共 ", "检查通过"))]


def cadre_file(root, cadre_id=None) -> Path:
    """The path of one record (the first one, or the one with this id)."""
    files = sorted((root / "registry" / "cadres").rglob("*.yaml"))
    if cadre_id:
        return next(f for f in files if f.stem == cadre_id)
    return files[0]


def change(root, cadre_id: str, mutate) -> dict:
    """Edit one person through the values the later stages read (their own file's and what the acts say of
    them): mutate(data), then the person's own values go back to their file and the rest to the act files
    (the org department's inspection records, decisions and watch list), as `cadres migrate` places them."""
    from generator.registry.files import load_registry

    path = cadre_file(root, cadre_id)
    registry = load_registry(root, cache_dir=edit_cache_folder())
    rel = path.relative_to(root).as_posix()
    texts = {rel: path.read_text(encoding="utf-8")}
    texts.update(placed(registry, rel, texts[rel], mutate))
    for name, text in texts.items():
        if text is None:
            (root / name).unlink()
        else:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    return yaml_of(texts[rel])


def placed(registry, rel: str, text: str, mutate) -> dict:
    """{path: new text, or None to remove} of a person's file and the act files, after mutate(the person's
    whole values): what `change` and `Edits.change` write."""
    from generator.interchange import migrate
    from generator.registry.acts import DERIVED

    entry = next(e for e in registry.entries if e.path == rel)
    data = yaml_of(text) | copy.deepcopy({k: v for k, v in entry.data.items() if k in DERIVED})
    mutate(data)
    acts = {e.path: e.data for e in registry.entries if e.kind in ("inspection", "decision", "watch") and e.valid}
    changed = migrate.place(acts, rel, data, "区委常委会", "2026")
    out: dict = {rel: dump({k: v for k, v in data.items() if k not in DERIVED})}
    for path, values in changed.items():
        out[path] = None if values is None else dump(values)
    return out


def another_id_number(number: str) -> str:
    """A different valid 身份证号 with the same birth date and sex: a new person's, for tests that copy a record."""
    from generator.core.numbers import id_check_char

    number = plain(number) if number.startswith("ENC[") else number
    first17 = f"{number[:14]}{(int(number[14:16]) + 1) % 100:02d}{number[16]}"
    return first17 + id_check_char(first17)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_module(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


# -- the tests' registry in memory: edit one record, call the checks ---------------------------


@functools.cache
def district_registry():
    """The tests' registry, loaded once per session (read-only: edits go through Edits).

    Loading it fills the warm cache (`warm_cache_folder`) at the same time.
    """
    from generator.registry.files import load_registry

    return load_registry(DISTRICT, cache_dir=warm_cache_folder())


@functools.cache
def demo_registry():
    """The shipped demo (this checkout's registry/), for the few tests that say the demo itself is coherent."""
    from generator.registry.files import load_registry

    return load_registry(PROJECT)


@functools.cache
def edit_cache_folder() -> Path:
    """The validation cache of `change`, which loads the registry it edits (the warm cache stays the unchanged registry's)."""
    folder = Path(tempfile.mkdtemp(prefix="cadres-edit-cache-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def warm_cache_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cadres-warm-cache-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class Edits:
    """Edits of the tests' registry's files held in memory, checked without writing or reading the registry again.

    `change` edits a record through its values, as a unit's office would;
    `edit`, `write`, `rename` and `remove` work on a file's text. `findings`
    checks the edited registry (registry.files.with_files, then every check and
    rule) and returns what the unchanged registry does not report.
    """

    def __init__(self):
        self.files: dict[str, bytes | None] = {}
        self.paths = {e.data["id"]: e.path for e in district_registry().cadres}
        self.keyless = False  # check as a unit's machine or a merge request's pipeline does: with no key

    def path(self, cadre_id: str) -> str:
        return self.paths[cadre_id]

    def read(self, rel: str) -> str:
        raw = self.files[rel] if rel in self.files else (DISTRICT / rel).read_bytes()
        return raw.decode("utf-8")

    def write(self, rel: str, text: str) -> None:
        self.files[rel] = text.encode("utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def rename(self, rel: str, new: str) -> None:
        self.write(new, self.read(rel))
        self.files[rel] = None
        self.paths = {cadre_id: new if path == rel else path for cadre_id, path in self.paths.items()}

    def change(self, cadre_id: str, mutate) -> dict:
        """Edit one person through their whole values (conftest.change): own file and act files."""
        rel = self.path(cadre_id)
        for path, text in placed(self.registry(), rel, self.read(rel), mutate).items():
            self.files[path] = None if text is None else text.encode("utf-8")
        return yaml_of(self.read(rel))

    def registry(self):
        from generator.registry.files import with_files

        return with_files(district_registry(), self.files)

    def findings(self, as_of=AS_OF_DATE) -> list:
        """The findings of the edited registry that the unchanged one does not report."""
        from generator.registry.validate import check

        saved = os.environ.pop("CADRES_AGE_IDENTITY_FILE") if self.keyless else None
        try:
            return [f for f in check(self.registry(), as_of) if f.format() not in district_lines()]
        finally:
            if saved is not None:
                os.environ["CADRES_AGE_IDENTITY_FILE"] = saved


@pytest.fixture
def edits():
    return Edits()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's /usr/bin/chromium) through Playwright."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: install the Debian packages chromium and fonts-noto-cjk"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def template(project, cadres, tmp_path):
    """区财政局's import template (`cadres export xlsx --template`), filled with its people."""
    path = tmp_path / "template.xlsx"
    status, _, err = cadres(project, "export", "xlsx", "--template", "--unit", "caizheng", "--output", str(path))
    assert status == 0, err
    return path
