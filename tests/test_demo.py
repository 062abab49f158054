"""The shipped demo district: made by the deterministic script, realistic, clean, with its deliberate gaps."""

import filecmp
import shutil

import synth_registry

from conftest import AS_OF_DATE, PROJECT, demo_registry


def test_the_script_remakes_the_shipped_registry_exactly(tmp_path):
    """Rewriting it in place (as `make demo` does) gives the same bytes: a number keeps its ciphertext."""
    shutil.copytree(PROJECT / "registry", tmp_path / "registry")
    synth_registry.write_registry(tmp_path)
    ours, theirs = tmp_path / "registry", PROJECT / "registry"
    shipped = {p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file()}
    made = {p.relative_to(ours) for p in ours.rglob("*") if p.is_file()}
    assert made == shipped
    _, mismatch, errors = filecmp.cmpfiles(theirs, ours, [str(p) for p in shipped], shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_another_district(tmp_path):
    synth_registry.write_registry(tmp_path, seed=7)
    a = (tmp_path / "registry/cadres/caizheng/cai-0001.yaml").read_text(encoding="utf-8")
    assert a != (PROJECT / "registry/cadres/caizheng/cai-0001.yaml").read_text(encoding="utf-8")


def test_the_demo_has_the_shape_the_policy_describes():
    registry = demo_registry()
    cadres = [e.data for e in registry.cadres]
    pool = [c for c in cadres if c["reserve"]["status"] == "在库"]
    assert len(registry.units) == 30
    assert {u["kind"] for u in registry.units} == {"党政机关", "事业单位", "乡镇街道", "群团组织"}
    assert len(pool) == 210
    assert sum(c["reserve"]["level"] == "正职" for c in pool) == 90
    assert {c["reserve"]["status"] for c in cadres} == {"关注", "推荐", "考察", "在库", "已使用", "调整出库"}
    assert len({c["name"] for c in cadres}) == len(cadres)  # invented names, none repeated
    assert 0.2 < sum(c["sex"] == "女" for c in pool) / len(pool) < 0.4
    assert len(registry.nominations) > 30


def test_the_deliberate_gaps_are_there():
    registry = demo_registry()
    pool = [e.data for e in registry.cadres if e.data["reserve"]["status"] == "在库"]
    unreviewed = [c for c in pool if "reviewed" not in c["reserve"] and c["reserve"]["entered"] < "2024"]
    assert len(unreviewed) == 2
    waived = [c for c in pool if c.get("exceptions")]
    assert [(c["reserve"]["level"], c["exceptions"][0]["rule"]) for c in waived] == [("副职", "R04")]
    assert not any(item.get("middle_management") for item in waived[0]["resume"])
    non_cpc = [c for c in pool if c["political_status"] not in ("中共党员", "中共预备党员")]
    assert len(non_cpc) / len(pool) < 0.05  # T13 missed on purpose
    trained = [c for c in pool if c.get("training")]
    assert len(trained) < len(pool)  # T14 missed on purpose


def test_every_date_in_the_demo_is_on_or_before_its_as_of_date():
    registry = demo_registry()
    from generator.registry.validate import check

    assert [(f.severity, f.code) for f in check(registry, AS_OF_DATE)] == [
        ("例外", "R04"),
        ("警告", "R07"),  # xia-0004's 不称职 of 2025, since entry: the 2027 round proposes them out
        ("警告", "R11"),
        ("警告", "R11"),
    ]
    assert registry.findings == []
