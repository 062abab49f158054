"""The validation cache saves time and never hides an error."""

import marshal
import shutil
from pathlib import Path

import pytest

import generator
from generator.core import parallel
from generator.registry import files as registry_module
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
    assert len(seen) > 300
    assert found and all("[S06]" in f and "(expertise)" in f for f in found)


def test_a_code_table_change_invalidates_the_cache(project, cache):
    edit(project / "schemas" / "codes" / "ethnicity.yaml", "name: 汉族", "name: 汉")
    assert any("[S04]" in f for f in run(project, cache))


def test_a_corrupt_cache_file_is_ignored(project, cache):
    (cache / "validate.marshal").write_bytes(b"\x00garbage")
    edit(cadre_file(project, "cai-0001"), "ethnicity: 汉族", "ethnicity: 汉")
    assert len(new_lines(run(project, cache))) == 1


def test_cross_record_checks_are_never_cached(project, cache):
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
    assert len(seen) > 300


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
    assert len(seen) > 200  # every file loaded again
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


def test_a_cache_of_the_wrong_shape_is_discarded_not_a_crash(project, cache):
    stored = _entries(cache)
    for forged in ([1, 2, 3], {"registry/cadres/caizheng/cai-0001.yaml": 7}, {"x": (1,)}):
        _save(cache, {**stored, "entries": forged})
        assert new_lines(run(project, cache)) == []
    edit(cadre_file(project, "cai-0001"), "ethnicity: 汉族", "ethnicity: 汉")
    _save(cache, {**stored, "entries": {"registry/cadres/caizheng/cai-0001.yaml": ("a", {}, [(1,)], "b")}})
    assert len(new_lines(run(project, cache))) == 1
    # sealed as the program seals, and still not what an entry holds: findings of one field, no pair, no marshal
    rel = "registry/cadres/caizheng/cai-0001.yaml"
    digest = _entries(cache)["entries"][rel][0]  # the edited file's hash: only the values are wrong
    for values in (marshal.dumps(({}, [(1,)])), marshal.dumps(7), b"\x00garbage"):
        _save(cache, {**stored, "entries": {rel: (digest, values, registry_module._seal(digest, values))}})
        assert len(new_lines(run(project, cache))) == 1
    with pytest.raises(TypeError):  # what the seal is made of must be bytes: anything else is discarded
        registry_module._seal(digest, {})


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
