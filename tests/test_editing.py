"""Editing support: the exported JSON Schema and the `cadres new` scaffolds."""

import copy
import datetime as dt
import json

import jsonschema
import pytest
import yaml
from plainyaml import yaml_of

from generator.interchange import schema_json
from generator.registry.schema import KINDS, Schemas

from conftest import AS_OF, DISTRICT, PROJECT, another_id_number, cadre_file, new_lines

SCHEMAS = Schemas(PROJECT / "schemas")


def schema(kind):
    return schema_json.export(SCHEMAS, kind)


def load(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # plain YAML, as an editor reads it


def test_the_committed_json_schemas_are_current():
    for kind in KINDS:
        committed = (PROJECT / "schemas/json" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_json.dumps(schema(kind)), f"run: cadres schema --json --output schemas/json ({kind})"


def test_the_json_schema_is_valid_2020_12_and_accepts_the_demo():
    files = {
        "cadre": sorted((DISTRICT / "registry/cadres").rglob("*.yaml")),
        "nomination": sorted((DISTRICT / "registry/nominations").rglob("*.yaml")),
        "unit": [DISTRICT / "registry/units.yaml"],
        "audiences": [DISTRICT / "registry/audiences.yaml"],
        "policy": [DISTRICT / "registry/policy.yaml"],
    }
    for kind, paths in files.items():
        validator = jsonschema.Draft202012Validator(schema(kind))
        jsonschema.Draft202012Validator.check_schema(schema(kind))
        for path in paths:
            errors = list(validator.iter_errors(load(path)))
            assert not errors, f"{path}: {errors[0].message}"


def test_the_json_schema_rejects_a_broken_record_and_speaks_chinese():
    cadre = schema("cadre")
    assert cadre["properties"]["ethnicity"]["title"] == "民族" and "汉族" in cadre["properties"]["ethnicity"]["enum"]
    validator = jsonschema.Draft202012Validator(cadre)
    good = load(cadre_file(DISTRICT, "cai-0001"))
    for breaking in (
        lambda d: d.update(ethnicity="汉"),
        lambda d: d.update(birthpalce="安徽"),
        lambda d: d.update(birth="1985/09"),
        lambda d: d.pop("name"),
        lambda d: d.pop("party_joined"),  # required for a CPC member (a condition)
        lambda d: d.update(reserve={"status": "在库"}),  # the org department's acts are not a person's fields
    ):
        bad = copy.deepcopy(good)
        breaking(bad)
        assert list(validator.iter_errors(bad)), breaking


@pytest.mark.parametrize("what", ["cadre", "nomination"])
def test_a_scaffold_names_its_schema_refuses_its_blanks_and_validates_once_filled(project, cadres, what):
    args = ["--unit", "caizheng"] + ([] if what == "cadre" else ["--round", "2027"])
    status, lines, err = cadres(project, "new", what, *args)
    assert status == 0, err
    path = project / lines[0].split("已新建 ")[1].split("：")[0]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../../schemas/json/{what}.schema.json")
    assert (path.parent / text.splitlines()[0].split("=", 1)[1]).resolve() == (
        project / "schemas/json" / f"{what}.schema.json"
    ).resolve()  # the editor finds the committed schema
    assert (project / "schemas/json" / f"{what}.schema.json").is_file()
    status, lines = cadres(project, "validate", "--as-of", AS_OF, str(path.relative_to(project)))[:2]
    assert status == 1 and len(new_lines(lines)) >= 5  # every blank refused, by name

    data = yaml_of(text)
    if what == "cadre":
        assert data["id"] == "cai-0008" and path.name == "cai-0008.yaml"
        model = yaml_of(cadre_file(project, "cai-0005").read_text(encoding="utf-8"))
        filled = {
            **model,
            "id": data["id"],
            "name": "新同志",
            "id_number": another_id_number(model["id_number"]),  # typed in clear, as a clerk does
            "phone": "13912345678",
        }
        for key in ("training", "practice"):
            filled.pop(key, None)
        assert set(data) <= set(filled)
        nomination = project / "registry/nominations/2025/caizheng.yaml"  # the unit puts the person forward
        text = nomination.read_text(encoding="utf-8")
        nomination.write_text(
            text.replace("candidates:\n", "candidates:\n  - {cadre: cai-0008, level: 副职, votes: 30}\n")
        )
    else:
        filled = {
            **data,
            "meeting": {"date": "2026-11-02", "attended": 40, "eligible": 42},
            "candidates": [{"cadre": "cai-0005", "level": "副职", "votes": 30}],
        }
    from generator.interchange.yamlout import dump

    path.write_text(dump(filled), encoding="utf-8")
    rel = str(path.relative_to(project))
    if what == "cadre":  # the clear numbers are refused until `cadres encrypt` has checked and sealed them
        status, lines = cadres(project, "validate", "--as-of", AS_OF, rel)[:2]
        assert [ln.split(": ", 2)[1][:8] for ln in new_lines(lines)] == ["错误 [X20]", "错误 [X20]"], lines
        status, lines, err = cadres(project, "encrypt", rel)
        assert (status, lines) == (0, [f"已加密 {rel}：身份证号、联系电话"]), err
        assert "13912345678" not in path.read_text(encoding="utf-8")
    status, lines = cadres(project, "validate", "--as-of", AS_OF, rel)[:2]
    assert new_lines(lines) == [], lines


def test_new_refuses_an_unknown_unit_and_never_overwrites(project, cadres):
    status, _, err = cadres(project, "new", "cadre", "--unit", "nowhere")
    assert status == 2 and "没有单位「nowhere」" in err
    (project / "registry/nominations/2027").mkdir(parents=True)
    (project / "registry/nominations/2027/caizheng.yaml").write_text("unit: caizheng\n", encoding="utf-8")
    status, _, err = cadres(project, "new", "nomination", "--unit", "caizheng", "--round", "2027")
    assert status == 2 and "已经存在" in err


def test_cadres_schema_prints_one_kind(cadres):
    status, lines, _ = cadres(DISTRICT, "schema", "--json", "--kind", "nomination")
    assert status == 0 and json.loads("\n".join(lines))["title"] == "民主推荐结果"


def test_a_scaffold_says_what_each_blank_may_hold(project, cadres):
    status, lines, _ = cadres(project, "new", "cadre", "--unit", "caizheng")
    assert status == 0, lines
    text = cadre_file(project, "cai-0008").read_text(encoding="utf-8")
    assert 'sex: ""  # 性别（必填），可选：男 | 女\n' in text
    assert (
        "# 民族（必填），可选：汉族 | 蒙古族 | 回族 | 藏族 | 维吾尔族 | 苗族 | 彝族 | 壮族 等（共 56 项，见 schemas/codes/ethnicity.yaml）"
        in text
    )
    assert 'in_service: ""  # 在职（必填），是写 true，否写 false\n' in text
    assert "填代码表中的名称" not in text


def test_a_round_that_is_not_a_year_is_refused(project, cadres):
    for round_ in ("99999", "1999", str(dt.date.today().year + 2)):
        status, _, err = cadres(project, "new", "nomination", "--unit", "caizheng", "--round", round_)
        assert status == 2 and f"调整轮次是年份：{round_} 不在 2000 至" in err, err
    assert not any((project / "registry/nominations").glob("99999"))
