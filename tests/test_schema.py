"""The Cerberus schemas: labels, code tables, unknown keys and the conditional requirements of records.md."""

import pytest
from plainyaml import yaml_of

from generator.registry.files import CONFIG_FILES
from generator.registry.load import load_bytes
from generator.registry.schema import KINDS, Schemas, read_schemas

from conftest import DISTRICT, PROJECT

SCHEMAS = Schemas(PROJECT / "schemas")
RECORD = DISTRICT / "registry" / "cadres" / "caizheng" / "cai-0001.yaml"


def check(text, kind="cadre"):
    doc = load_bytes(text.encode("utf-8"), "registry/cadres/caizheng/cai-0001.yaml", SCHEMAS.types[kind])
    assert doc.ok, doc.findings
    return SCHEMAS.validate(kind, doc)


def codes(found):
    return [(f.code, f.field) for f in found]


def record(*replacements):
    """The demo record's text with (old, new) replacements made."""
    text = RECORD.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_every_field_of_every_schema_has_a_chinese_label():
    def walk(rules, where):
        for key, rule in rules.items():
            assert rule.get("meta", {}).get("label"), f"{where}.{key} has no meta.label"
            inner = rule.get("schema")
            if rule.get("type") == "dict" and inner:
                walk(inner, f"{where}.{key}")
            elif rule.get("type") == "list" and inner:
                assert inner.get("meta", {}).get("label"), f"{where}.{key}[] has no meta.label"
                if inner.get("type") == "dict":
                    walk(inner["schema"], f"{where}.{key}[]")

    for kind in KINDS:
        walk(SCHEMAS.rules[kind], kind)


def test_the_national_code_tables_are_complete():
    assert len(SCHEMAS.codes["ethnicity"].names()) == 56
    assert SCHEMAS.codes["ethnicity"].code_of("汉族") == "01" and SCHEMAS.codes["ethnicity"].code_of("基诺族") == "56"
    assert len(SCHEMAS.codes["political_status"].names()) == 13
    assert SCHEMAS.codes["political_status"].with_flag("cpc") == {"中共党员", "中共预备党员"}
    assert SCHEMAS.codes["education_level"].with_flag("bachelor") == {"研究生", "大学本科"}
    assert SCHEMAS.codes["sex"].code_of("女") == "2"


def test_the_demo_config_files_pass_their_schemas():
    for name, kind in CONFIG_FILES.items():
        path = DISTRICT / "registry" / name
        doc = load_bytes(path.read_bytes(), name, SCHEMAS.types[kind])
        assert SCHEMAS.validate(kind, doc) == []


def test_unknown_keys_are_errors_at_every_depth():
    text = record(("  unit: caizheng", "  unit: caizheng\n  grade: 高"))
    found = check(text + "hobby: 书法\n")
    assert codes(found) == [("S01", "employment.grade"), ("S01", "hobby")]


def test_labels_name_the_list_position():
    assert SCHEMAS.label("cadre", ("resume", 2, "from")) == "简历第3条·起始时间"
    assert SCHEMAS.label("cadre", ("employment", "post")) == "现任职情况·现任职务"


def test_a_wrong_code_suggests_the_right_name():
    found = check(record(("ethnicity: 汉族", "ethnicity: 回")))
    assert codes(found) == [("S04", "ethnicity")]
    assert "「回族」" in found[0].hint


def test_a_bad_date_is_explained():
    found = check(record(('birth: "', 'birth: "2012-13" #')))
    assert codes(found) == [("S05", "birth")]
    assert "2012-07" in found[0].hint


def test_an_unquoted_number_where_text_is_expected_is_kept_as_text():
    text = RECORD.read_text(encoding="utf-8")
    number = text.split('id_number: "')[1][:18]
    assert check(text.replace(f'id_number: "{number}"', f"id_number: {number}")) == []


def test_party_joined_exactly_for_cpc_members():
    text = RECORD.read_text(encoding="utf-8")
    joined = next(line for line in text.splitlines() if line.startswith("party_joined"))
    assert codes(check(text.replace(joined + "\n", ""))) == [("S07", "party_joined")]
    assert check(text.replace("political_status: 中共党员", "political_status: 中共预备党员")) == []
    found = check(text.replace("political_status: 中共党员", "political_status: 九三学社社员"))
    assert codes(found) == [("S08", "party_joined")]
    assert check(text.replace("political_status: 中共党员", "political_status: 群众").replace(joined + "\n", "")) == []


def test_a_persons_file_holds_no_act_of_the_org_department():
    """考察, decisions and exits are the org department's files (registry/acts.py), never fields a unit edits."""
    text = RECORD.read_text(encoding="utf-8")
    assert codes(check(text + "reserve: {status: 在库}\n")) == [("S01", "reserve")]
    assert codes(check(text + 'inspection: {date: "2025-08", by: 区委组织部考察组, summary: 好}\n')) == [
        ("S01", "inspection")
    ]


def test_a_decision_says_how_each_person_left_and_an_inspection_the_proposal():
    left = 'body: 区委常委会\ndate: "2025-11-17"\nleft:\n  - {cadre: cai-0009, status: 出库, reason: 提拔使用}\n'
    assert codes(check(left, "decision")) == [("S04", "left[0].status")]
    assert check(left.replace("status: 出库", "status: 已使用"), "decision") == []
    taken_up = "unit: caizheng\nround: 2025\ncandidates:\n  - {cadre: cai-0009, source: 民主推荐}\n"
    assert codes(check(taken_up, "inspection")) == [("S02", "candidates[0].level"), ("S02", "candidates[0].track")]
    assert check(taken_up.replace("民主推荐}", "民主推荐, level: 副职, track: 中期强化}"), "inspection") == []


@pytest.mark.parametrize("kind", ["nomination", "inspection", "decision", "watch", "unit", "audiences", "policy"])
def test_other_kinds_reject_unknown_keys(kind):
    found = check("surprise: 1\n", kind)
    assert ("S01", "surprise") in codes(found)
    assert any(f.code == "S02" for f in found)


def _mutations(value):
    """Ways a clerk breaks a value: blank, missing, another type, a stray field, a bad date or code."""
    yield None
    yield ""
    yield []
    yield {}
    yield True
    yield 0
    yield -1
    yield 10**6
    yield "x"
    yield "2026-13"
    yield "中华人民共和国国家标准以外的名称"
    yield [value]
    yield {"unknown_field": value}
    if isinstance(value, str):
        yield value + "\n"
        yield value * 40
    if isinstance(value, list) and value:
        yield value[:0]
        yield [*value, "x"]
        yield [*value, {"unknown_field": 1}]
    if isinstance(value, dict):
        yield {**value, "unknown_field": 1}
        for key in value:
            yield {k: v for k, v in value.items() if k != key}


def _variants(data):
    """The document with one value changed at a time, everywhere in it."""
    if isinstance(data, dict):
        for key, value in data.items():
            for other in _mutations(value):
                yield {**data, key: other}
            for inner in _variants(value):
                yield {**data, key: inner}
        yield dict(list(data.items())[1:])  # the first field missing
    elif isinstance(data, list):
        for i, value in enumerate(data):
            for other in _mutations(value):
                yield [*data[:i], other, *data[i + 1 :]]
            for inner in _variants(value):
                yield [*data[:i], inner, *data[i + 1 :]]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "policy"])
def test_the_quick_yes_never_passes_what_cerberus_refuses(kind):
    """fastcheck.py answers "surely valid" before Cerberus runs: stricter than Cerberus, never looser. Every
    file of that kind in the tests' registry, and each with every value broken in turn."""

    from conftest import district_registry

    surely_valid = SCHEMAS.surely_valid[kind]
    assert surely_valid is not None
    paths = [e.path for e in district_registry().entries if e.kind == kind][:6]  # a few files of each kind
    assert paths
    validator = SCHEMAS.validators[kind]
    checked = 0
    for path in paths:
        data = yaml_of((DISTRICT / path).read_text(encoding="utf-8"))
        assert surely_valid(data) == validator.validate(data, normalize=False), path
        for variant in _variants(data):
            if surely_valid(variant):
                assert validator.validate(variant, normalize=False), (path, variant, validator.errors)
            checked += 1
    assert checked > 100, checked


@pytest.mark.parametrize(
    "rules",
    [
        {"year": {"type": "integer", "min": "1950"}},  # a quoted bound: Cerberus compares or skips it
        {"name": {"type": "string", "code": "no_such_table"}},
        {"name": {"type": "string", "regex": "["}},
        {"name": {"type": "string", "regex": "^a\\$"}},  # without its $, a dangling backslash
        {"name": {"type": "string", "anyof": [{"regex": "a"}]}},  # a rule it does not know
    ],
)
def test_a_schema_the_quick_yes_cannot_take_is_left_to_cerberus(rules):
    """A district's own schemas/ may hold rules fastcheck cannot compile: that kind is validated by Cerberus
    alone, as before there was a quick yes (the attack of 2026-12-06: a quoted min crashed validate)."""
    from generator.registry import fastcheck

    assert fastcheck.compile_schema(rules, SCHEMAS.codes) is None


def test_a_district_schema_with_a_quoted_bound_validates_as_before(tmp_path):
    import shutil

    folder = shutil.copytree(PROJECT / "schemas", tmp_path / "schemas")
    cadre = folder / "cadre.yaml"
    text = cadre.read_text(encoding="utf-8")
    assert "min: 1950" in text
    cadre.write_text(text.replace("min: 1950", 'min: "1950"', 1), encoding="utf-8")
    schemas = Schemas(folder)
    assert schemas.surely_valid["cadre"] is None
    doc = load_bytes(RECORD.read_bytes(), "registry/cadres/caizheng/cai-0001.yaml", schemas.types["cadre"])
    assert schemas.validate("cadre", doc) == []


def test_a_change_to_a_shipped_schema_a_district_falls_back_on_changes_the_fingerprint(tmp_path, monkeypatch):
    """A district's schemas/ without a kind's file reads the shipped one; in a checkout that file is outside
    the program's own fingerprint (generator/), so the schemas' fingerprint must hold it, or the caches keep
    findings made under the old rules (the attack of 2026-12-06: a field made required, not said)."""
    import shutil

    from generator.core import defaults

    shipped = tmp_path / "shipped"
    shutil.copytree(PROJECT / "schemas", shipped / "schemas")
    monkeypatch.setattr(defaults, "shipped", lambda: shipped)
    own = shutil.copytree(PROJECT / "schemas", tmp_path / "district" / "schemas")
    (own / "watch.yaml").unlink()
    before = Schemas(own).fingerprint
    watch = shipped / "schemas" / "watch.yaml"
    watch.write_text(watch.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    assert Schemas(own).fingerprint != before
    assert read_schemas(own).fingerprint == Schemas(own).fingerprint  # the reused ones too: read again


def test_schemas_are_read_once_for_the_same_files_and_again_for_any_change(tmp_path):
    """A process reads the same schema files once (a diff reads two revisions, a unit command a district and a
    unit); a copy elsewhere reads its own post_words.yaml; any byte changed, in a code table too, reads again."""
    import shutil

    first = shutil.copytree(PROJECT / "schemas", tmp_path / "a")
    second = shutil.copytree(PROJECT / "schemas", tmp_path / "b")
    a = read_schemas(first)
    assert read_schemas(first).validators is a.validators and a.folder == first
    b = read_schemas(second)
    assert b.folder == second and b.validators is a.validators  # compiled once, each its own folder
    table = second / "codes" / "degree.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    again = read_schemas(second)
    assert again.validators is not a.validators and again.fingerprint != a.fingerprint
    assert again.codes["degree"] is not a.codes["degree"] and read_schemas(first).validators is a.validators


def test_a_code_table_in_a_symlinked_codes_folder_is_part_of_the_fingerprint(tmp_path):
    """rglob does not go into a symlinked folder: an edited code table there kept the old schemas in the process
    and the old findings in the caches on disk (found by an attack on 2026-12-06)."""
    import shutil

    tables = shutil.copytree(PROJECT / "schemas" / "codes", tmp_path / "shared-codes")
    folder = shutil.copytree(PROJECT / "schemas", tmp_path / "schemas", ignore=shutil.ignore_patterns("codes"))
    (folder / "codes").symlink_to(tables, target_is_directory=True)
    before = read_schemas(folder)
    table = tables / "degree.yaml"
    table.write_text(table.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    after = read_schemas(folder)
    assert after.fingerprint != before.fingerprint and after.validators is not before.validators


def test_schemas_whose_file_changed_while_they_were_read_are_neither_kept_nor_cached(tmp_path, monkeypatch):
    """A file saved between the hash and the reading (an editor, a checkout): the schemas read are of the new
    bytes, so they are not kept under the old bytes' hash, and their fingerprint is one no cache holds."""
    import shutil

    from generator.registry import schema

    folder = shutil.copytree(PROJECT / "schemas", tmp_path / "schemas")
    table = folder / "codes" / "degree.yaml"
    original = table.read_bytes() + f"\n# {tmp_path.name}\n".encode()  # bytes this process has not read
    table.write_bytes(original)
    key = schema._fingerprint(folder, schema._fallbacks(folder))
    real = schema.load_file

    def saved_meanwhile(path, *args, **kwargs):
        if path == table and table.read_bytes() == original:
            table.write_bytes(original + b"\n# \xe6\x94\xb9\xe5\x8a\xa8\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(schema, "load_file", saved_meanwhile)
    read = read_schemas(folder)
    monkeypatch.setattr(schema, "load_file", real)
    assert read.fingerprint.startswith("changed while read") and key not in schema._READ
    assert read.fingerprint not in (key, schema._fingerprint(folder, schema._fallbacks(folder)))
    table.write_bytes(original)
    assert read_schemas(folder).validators is not read.validators
