"""The validation cache saves time and never hides an error."""

import marshal
import shutil
from pathlib import Path

import pytest

import generator
from generator.core import parallel
from generator.registry import files as registry_module
from generator.registry import sealed
from generator.registry import validate as validate_module
from generator.registry.files import load_registry, with_files
from generator.registry.validate import check, validate

from conftest import AS_OF_DATE, cadre_file, edit, new_lines


@pytest.fixture
def cache(tmp_path, warm_cache):
    """A cache folder holding what a first run over the unchanged demo writes (the first test shows it is)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copy(warm_cache / "validate.marshal", folder)
    return folder


CONFIG = ("registry/audiences.yaml", "registry/policy.yaml", "registry/units.yaml")


def run(root, cache):
    return [f.format() for f in validate(root, as_of=AS_OF_DATE, cache_dir=cache)[1]]


def every_record(root) -> set:
    """The registry's files other than its configuration: what a cache that is thrown away must load again."""
    return {p.relative_to(root).as_posix() for p in (root / "registry").rglob("*.yaml")} - set(CONFIG)


def counting_loads(monkeypatch):
    seen = []
    real = registry_module._load_one
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**6)  # loaded in this process, where the spy counts

    def spy(schemas, item):
        if item[0] not in CONFIG:  # the configuration is read every time (test below)
            seen.append(item[0])
        return real(schemas, item)

    monkeypatch.setattr(registry_module, "_load_one", spy)
    return seen


def test_an_unchanged_registry_is_not_parsed_again(project, tmp_path, monkeypatch, warm_cache):
    cache = tmp_path / "cache"
    first = run(project, cache)
    written, warm = ((folder / "validate.marshal").read_bytes() for folder in (cache, warm_cache))
    assert marshal.loads(written) == marshal.loads(warm)  # what the other tests start from is what a first run writes
    seen = counting_loads(monkeypatch)
    assert run(project, cache) == first
    assert seen == []


def test_a_changed_file_is_checked_again_and_its_error_shown(project, cache, monkeypatch):
    target = cadre_file(project, "cai-0001")
    edit(target, "ethnicity: 汉族", "ethnicity: 汉")
    seen = counting_loads(monkeypatch)
    found = new_lines(run(project, cache))
    assert seen == ["registry/cadres/caizheng/cai-0001.yaml"]
    assert len(found) == 1 and "[S04]" in found[0]
    # and the cached error stays until the file is fixed
    assert new_lines(run(project, cache)) == found
    edit(target, "ethnicity: 汉", "ethnicity: 汉族")
    assert new_lines(run(project, cache)) == []


def test_a_schema_change_invalidates_the_whole_cache(project, cache, monkeypatch):
    edit(project / "schemas" / "cadre.yaml", "expertise: {type: string,", "expertise: {type: string, maxlength: 4,")
    seen = counting_loads(monkeypatch)
    found = run(project, cache)
    assert every_record(project) <= set(seen)
    assert found and all("[S06]" in f and "(expertise)" in f for f in found)


def test_a_code_table_change_invalidates_the_cache(project, cache):
    edit(project / "schemas" / "codes" / "ethnicity.yaml", "name: 汉族", "name: 汉")
    assert any("[S04]" in f for f in run(project, cache))


def test_cross_record_checks_run_again_when_any_file_changes(project, cache):
    target = cadre_file(project, "cai-0001")
    target.with_name("cai-0900.yaml").write_bytes(target.read_bytes())
    found = run(project, cache)
    assert any("[X01]" in f for f in found) and any("[X02]" in f for f in found)


def test_parallel_loading_gives_the_same_findings(project, edits):
    edit(cadre_file(project, "cai-0001"), "ethnicity: 汉族", "ethnicity: 汉")
    edits.edit("registry/cadres/caizheng/cai-0001.yaml", "ethnicity: 汉族", "ethnicity: 汉")
    serial = check(edits.registry(), AS_OF_DATE)  # the demo loaded in this process, one file after another
    parallel.PARALLEL_FROM, saved = 1, parallel.PARALLEL_FROM
    try:
        forked = validate(project, as_of=AS_OF_DATE, jobs=2)[1]
    finally:
        parallel.PARALLEL_FROM = saved
    assert forked == serial and len(new_lines(f.format() for f in serial)) == 1


def test_a_policy_change_invalidates_the_cache(project, cache, monkeypatch):
    edit(project / "registry" / "policy.yaml", "review_cycle_years: 2", "review_cycle_years: 3")
    seen = counting_loads(monkeypatch)
    run(project, cache)
    assert every_record(project) <= set(seen)


def test_any_change_to_any_module_throws_both_caches_away(project, tmp_path, monkeypatch):
    """The fingerprint covers every file of the installed package, not a hand-kept list (dates.py was missed)."""
    from generator.core import cachefile
    from generator.git import history

    cache = tmp_path / "cache"
    run(project, cache)
    validate_key = registry_module._fingerprint(project, registry_module.Schemas(project / "schemas"))
    pairs_key = history._PairCache(cache, None).fingerprint
    package = tmp_path / "package"
    shutil.copytree(Path(generator.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(generator, "__file__", str(package / "__init__.py"))
    for module in sorted(package.rglob("*.py")):
        cachefile.program_fingerprint.cache_clear()
        before = cachefile.program_fingerprint()
        original = module.read_bytes()
        module.write_bytes(original + b" ")  # one byte more
        cachefile.program_fingerprint.cache_clear()
        assert cachefile.program_fingerprint() != before, module
        module.write_bytes(original)
    cachefile.program_fingerprint.cache_clear()
    (package / "core" / "dates.py").write_bytes((package / "core" / "dates.py").read_bytes() + b"\n")
    assert registry_module._fingerprint(project, registry_module.Schemas(project / "schemas")) != validate_key
    assert history._PairCache(cache, None).fingerprint != pairs_key
    seen = counting_loads(monkeypatch)
    run(project, cache)
    assert every_record(project) <= set(seen)  # every file loaded again
    cachefile.program_fingerprint.cache_clear()


def test_a_new_version_throws_the_caches_away(monkeypatch):
    from generator.core import cachefile

    before = cachefile.program_fingerprint()
    monkeypatch.setattr(generator, "__version__", "99.0")
    cachefile.program_fingerprint.cache_clear()
    try:
        assert cachefile.program_fingerprint() != before
    finally:
        monkeypatch.undo()
        cachefile.program_fingerprint.cache_clear()


def _entries(cache):
    stored = marshal.loads((cache / "validate.marshal").read_bytes())
    return stored


def _save(cache, stored):
    (cache / "validate.marshal").write_bytes(marshal.dumps(stored))


def test_an_entry_edited_in_place_is_discarded_and_the_error_shown(project, cache):
    """The attack: the file has an error, and the cache is edited to say it has none (same content hash)."""
    target = cadre_file(project, "cai-0001")
    edit(target, "ethnicity: 汉族", "ethnicity: 汉")
    assert len(new_lines(run(project, cache))) == 1  # the cache now holds the file's entry with its S04
    stored = _entries(cache)
    digest, values, seal = stored["entries"]["registry/cadres/caizheng/cai-0001.yaml"]
    data, found = marshal.loads(values)
    assert len(found) == 1
    forged = (digest, marshal.dumps((data, [])), seal)  # the error removed, the seal kept
    stored["entries"]["registry/cadres/caizheng/cai-0001.yaml"] = forged
    _save(cache, stored)
    assert len(new_lines(run(project, cache))) == 1


GOOD = ("d1", marshal.dumps(({"id": "cai-0001"}, [("p", 1, 1, "错误", "S04", "", "", "m", "h")]), 2))


def unit_cache(tmp_path, entries=None):
    """The cache as a unit: a folder, a fingerprint, and entries written as the program writes them."""
    cache = registry_module._Cache(tmp_path, "fp")
    for rel, (digest, values) in (entries or {}).items():
        cache.put(rel, digest, values)
    cache.save(set(cache.entries))
    return registry_module._Cache(tmp_path, "fp")


def test_the_cache_gives_back_what_it_kept_for_the_same_content(tmp_path):
    cache = unit_cache(tmp_path, {"a.yaml": GOOD})
    data, found = cache.get("a.yaml", "d1")
    assert data == {"id": "cai-0001"} and [f[4] for f in found] == ["S04"]
    assert cache.get("a.yaml", "d2") is None  # the file changed: loaded again
    assert registry_module._Cache(tmp_path, "another program").entries == {}  # another fingerprint: nothing


def test_a_corrupt_cache_file_is_read_as_empty(tmp_path):
    (tmp_path / "validate.marshal").write_bytes(b"\x00garbage")
    assert registry_module._Cache(tmp_path, "fp").entries == {}


@pytest.mark.parametrize(
    "forged",
    [
        [1, 2, 3],
        7,
        ("a", {}, [(1,)], "b"),
        ("d1", GOOD[1], "not the seal"),
        ("d1", marshal.dumps(({}, [])), registry_module._seal("d1", GOOD[1])),  # the error taken out, the seal kept
    ],
)
def test_an_entry_of_the_wrong_shape_or_edited_in_place_is_discarded_not_a_crash(tmp_path, forged):
    cache = unit_cache(tmp_path, {"a.yaml": GOOD})
    cache.entries["a.yaml"] = forged
    assert cache.get("a.yaml", "d1") is None and "a.yaml" not in cache.entries and cache.dirty


@pytest.mark.parametrize("values", [marshal.dumps(({}, [(1,)])), marshal.dumps(7), b"\x00garbage"])
def test_values_sealed_as_the_program_seals_them_but_not_an_entrys_shape_are_discarded(tmp_path, values):
    cache = unit_cache(tmp_path)
    cache.entries["a.yaml"] = ("d1", values, registry_module._seal("d1", values))
    assert cache.get("a.yaml", "d1") is None
    with pytest.raises(TypeError):  # what the seal is made of must be bytes: anything else is discarded
        registry_module._seal("d1", {})


def test_the_configuration_is_never_taken_from_the_cache(project, cache, monkeypatch):
    """A forged entry for audiences.yaml (making a unit's audience see the numbers) is never read."""
    seen = []
    real = registry_module._load_one
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**6)
    monkeypatch.setattr(registry_module, "_load_one", lambda schemas, item: seen.append(item[0]) or real(schemas, item))
    run(project, cache)
    assert sorted(seen) == list(CONFIG)
    stored = _entries(cache)
    assert not any(p in CONFIG for p in stored["entries"])  # and never written into it


def test_a_full_disk_leaves_no_half_written_cache(project, tmp_path, monkeypatch):
    import errno

    from generator.core import cachefile

    real = Path.write_bytes

    def full(self, data):
        real(self, data[: len(data) // 2])  # part of it reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    cache = tmp_path / "cache"
    for _ in range(3):
        assert new_lines(run(project, cache)) == []  # the run itself is unaffected
    monkeypatch.undo()
    assert list(cache.iterdir()) == []
    cachefile.write(cache / "validate.marshal", "x", {})
    assert [p.name for p in cache.iterdir()] == ["validate.marshal"]


# -- the checks' findings, kept while nothing they read changes (validate._Checked) -----------------------------


@pytest.fixture
def keyless(monkeypatch):
    """As a unit's clerk or a merge request's pipeline runs: no key (only such a run keeps its findings)."""
    monkeypatch.delenv(sealed.IDENTITY_FILE_ENV, raising=False)
    monkeypatch.delenv(sealed.IDENTITY_ENV, raising=False)


def counting_checks(monkeypatch):
    """The checks run, a list per run_checks call: the part that reads no number, and the part that does."""
    runs = []
    real = validate_module.run_checks

    def counted(registry, as_of, checks, keys=None):
        checks = list(checks)
        runs.append("numbers" if all(c.numbers for c in checks) else "checks")
        return real(registry, as_of, checks, keys)

    monkeypatch.setattr(validate_module, "run_checks", counted)
    return runs


KEPT = ("checks.marshal", "numbers.marshal")  # validate._Checked's two parts


def checked(root, cache, as_of=AS_OF_DATE):
    """(the findings check gives with the cache, those it gives without: always the same)."""
    registry = load_registry(root, cache_dir=cache)
    return check(registry, as_of, cache_dir=cache), check(registry, as_of)


def test_unchanged_the_findings_are_given_again_without_running_the_checks(project, cache, keyless, monkeypatch):
    runs = counting_checks(monkeypatch)
    first, fresh = checked(project, cache)
    assert first == fresh and runs == ["checks", "numbers"] * 2
    assert all((cache / name).is_file() for name in KEPT)
    again, _ = checked(project, cache)
    assert again == first and len(runs) == 6  # only the run without the cache


def _append(relative: str, text: str = "\n# 改动\n"):
    def change(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def _remove(relative: str):
    return lambda root: (root / relative).unlink()


def _write(relative: str, text: str):
    return lambda root: (root / relative).write_text(text, encoding="utf-8")


CHANGES = {
    "a person's file": _append("registry/cadres/caizheng/cai-0001.yaml"),
    "an act's file": _append("registry/decisions/2023-09-19.yaml"),
    "policy.yaml": _append("registry/policy.yaml"),
    "units.yaml": _append("registry/units.yaml"),
    "audiences.yaml": _append("registry/audiences.yaml"),
    "a schema": _append("schemas/cadre.yaml"),
    "a code table": _append("schemas/codes/ethnicity.yaml"),
    "post_words.yaml": _append("schemas/post_words.yaml"),
    "recipients.txt": _append("registry/recipients.txt"),
    "CODEOWNERS": _append("CODEOWNERS", "# 改动\n"),
    "no CODEOWNERS": _remove("CODEOWNERS"),
    "a unit repository's marker": _write("registry/unit-repository.txt", "caizheng\n"),
    "a stray file": _write("registry/notes.yaml", "a: 1\n"),
    "a file gone": _remove("registry/nominations/2023/caizheng.yaml"),
}


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_a_change_to_anything_the_checks_read_runs_them_again(project, cache, keyless, monkeypatch, what):
    checked(project, cache)
    runs = counting_checks(monkeypatch)
    CHANGES[what](project)
    found, fresh = checked(project, cache)
    assert found == fresh and len(runs) == 4
    assert checked(project, cache)[0] == fresh and len(runs) == 6  # and then kept for the changed registry


def test_another_as_of_date_runs_the_checks_again(project, cache, keyless, monkeypatch):
    checked(project, cache)
    runs = counting_checks(monkeypatch)
    later, fresh = checked(project, cache, as_of=AS_OF_DATE.replace(year=AS_OF_DATE.year + 2))
    assert later == fresh and len(runs) == 4
    assert checked(project, cache)[0] != later and len(runs) == 8  # one result is kept: the last


def test_another_program_runs_the_checks_again(project, cache, keyless, monkeypatch):
    from generator.core import cachefile

    registry = load_registry(project, cache_dir=cache)
    before = validate_module.inputs(registry, AS_OF_DATE)
    monkeypatch.setattr(generator, "__version__", "99.0")
    cachefile.program_fingerprint.cache_clear()
    try:
        assert validate_module.inputs(registry, AS_OF_DATE) != before
    finally:
        monkeypatch.undo()
        cachefile.program_fingerprint.cache_clear()


def test_a_run_with_the_key_keeps_nothing_it_opened_and_reruns_only_the_checks_that_read_numbers(
    project, cache, keyless, monkeypatch
):
    """The checks that read no number ran with no key at all: their kept findings serve a keyed run too (the
    org department's `cadres build` after `cadres validate`); X17, X20, X21 and R12 on 身份证号 run with the key
    every time, and what they find with it is never written."""
    registry = load_registry(project, cache_dir=cache)
    keyless_found = check(registry, AS_OF_DATE, cache_dir=cache)
    kept = [(cache / name).read_bytes() for name in KEPT]
    monkeypatch.setenv(sealed.IDENTITY_FILE_ENV, str(Path(__file__).parent.parent / "benchmarks" / "demo-age-key.txt"))
    runs = counting_checks(monkeypatch)
    with_key = check(registry, AS_OF_DATE, cache_dir=cache)
    assert runs == ["numbers"] and not any(f.code == "X21" for f in with_key)  # the numbers were opened
    assert [(cache / name).read_bytes() for name in KEPT] == kept
    assert with_key == check(registry, AS_OF_DATE) and with_key != keyless_found  # as a run without any cache


class _Tripwire(sealed.Keys):
    """Keys that no check may touch."""

    @property
    def available(self) -> bool:
        raise AssertionError("a check not marked numbers=True read the key")

    def open(self, value: str) -> str:
        raise AssertionError("a check not marked numbers=True opened a number")


def test_only_the_checks_marked_numbers_read_the_key():
    """What keeps the other part's findings on disk: none of its checks reads ctx.keys or ctx.plain."""
    from conftest import district_registry

    table = validate_module.CHECKS + validate_module.RULES
    validate_module.run_checks(district_registry(), AS_OF_DATE, [c for c in table if not c.numbers], keys=_Tripwire())
    with pytest.raises(AssertionError, match="numbers=True"):
        validate_module.run_checks(district_registry(), AS_OF_DATE, [c for c in table if c.numbers], keys=_Tripwire())


def test_a_registry_changed_in_memory_is_never_kept(project, cache, keyless):
    registry = load_registry(project, cache_dir=cache)
    rel = "registry/cadres/caizheng/cai-0001.yaml"
    edited = with_files(registry, {rel: (project / rel).read_bytes().replace("汉族".encode(), "汉".encode())})
    assert validate_module.inputs(registry, AS_OF_DATE) is not None
    assert validate_module.inputs(edited, AS_OF_DATE) is None


def test_kept_findings_edited_in_place_or_of_the_wrong_shape_are_discarded(project, cache, keyless, monkeypatch):
    edit(cadre_file(project, "cai-0001"), "specialties: [", "specialties: [园艺, ")  # X09: not policy.yaml's
    found, _ = checked(project, cache)
    assert any(f.code == "X09" for f in found)
    file = cache / "checks.marshal"
    stored = marshal.loads(file.read_bytes())
    kept = stored["entries"]
    runs = counting_checks(monkeypatch)
    forged = [
        {**kept, "findings": [f for f in kept["findings"] if f[4] != "X09"]},  # the error removed, the seal kept
        {**kept, "findings": [(1,)], "seal": validate_module._seal([(1,)])},  # sealed, and no finding
        {**kept, "findings": [(*kept["findings"][0][:2], "1", *kept["findings"][0][3:])]},
        {"findings": 7},
        [],
    ]
    forged[2]["seal"] = validate_module._seal(forged[2]["findings"])  # a column that is no number
    for entries in forged:
        file.write_bytes(marshal.dumps({**stored, "entries": entries}))
        again, fresh = checked(project, cache)
        assert again == fresh == found
    assert runs.count("checks") == 2 * len(forged)


def _collecting(context, item):
    import gc

    return gc.isenabled()


def test_a_worker_collects_its_garbage_while_the_loading_process_pauses_the_collector(monkeypatch):
    """validate() pauses the collector around loading and checking (cachefile.collector_paused); the workers it
    forks make garbage of their own (Cerberus' child validators) and collect it."""
    import gc

    from generator.core import cachefile

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    with cachefile.collector_paused():
        assert parallel.fork_map(_collecting, [1, 2, 3], None, jobs=2) == [True, True, True]
        assert not gc.isenabled()
    assert gc.isenabled()
