"""Strict loading: what the loader refuses, what it keeps as written, and where it points."""

import codecs

import pytest

from generator.registry.load import ITEM, MAX_BYTES, load_bytes

TYPES = {
    ("name",): "string",
    ("no",): "string",
    ("code",): "string",
    ("birth",): "date",
    ("year",): "integer",
    ("ok",): "boolean",
    ("items", ITEM, "n"): "integer",
}


def load(text, types=TYPES):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_bytes(raw, "registry/x.yaml", types)


def only(doc):
    assert doc.data is None
    assert len(doc.findings) == 1, doc.findings
    return doc.findings[0]


def test_values_keep_what_was_written_where_text_is_expected():
    doc = load("name: no\nno: yes\ncode: 010\nbirth: 2012-07\nyear: 2012\nok: true\n")
    assert doc.data == {"name": "no", "no": "yes", "code": "010", "birth": "2012-07", "year": 2012, "ok": True}


def test_an_unquoted_full_date_is_read_as_its_text():
    assert load("birth: 2012-09-14\n").data == {"birth": "2012-09-14"}


def test_integers_are_read_strictly_where_integers_are_expected():
    doc = load("year: 010\nitems:\n  - {n: 3}\n  - {n: 0x1f}\n")
    assert doc.data == {"year": "010", "items": [{"n": 3}, {"n": "0x1f"}]}  # the schema reports the text


def test_quoted_values_are_always_text():
    assert load('year: "2012"\nok: "true"\n').data == {"year": "2012", "ok": "true"}


def test_where_nothing_is_expected_yaml_1_2_core_applies():
    doc = load("a: yes\nb: on\nc: 12\nd: 1.5\ne: ~\nf: false\n", types={})
    assert doc.data == {"a": "yes", "b": "on", "c": 12, "d": 1.5, "e": None, "f": False}


def test_marks_point_at_keys_and_list_items_one_based():
    doc = load("name: 王晓明\nitems:\n  - {n: 1}\n  - n: 2\n")
    assert doc.marks[("name",)] == (1, 1)
    assert doc.marks[("items", 0)] == (3, 5)
    assert doc.marks[("items", 0, "n")] == (3, 6)
    assert doc.marks[("items", 1, "n")] == (4, 5)
    assert doc.mark(("items", 1, "missing")) == (4, 5)


def test_columns_count_characters_not_bytes():
    doc = load("items:\n  - {x: 王晓明, n: 2}\n", types={})
    assert doc.marks[("items", 0, "n")] == (2, 14)


def test_duplicate_keys_are_an_error_naming_both_lines():
    finding = only(load("name: 甲\nyear: 1\nname: 乙\n"))
    assert (finding.code, finding.line) == ("Y03", 3)
    assert "「name」重复出现（第 1 行已有）" in finding.message


def test_nested_duplicate_keys_are_found():
    finding = only(load("items:\n  - {n: 1, n: 2}\n"))
    assert (finding.code, finding.line, finding.col) == ("Y03", 2, 12)


@pytest.mark.parametrize("text, line", [("a: &x 1\nb: 2\n", 1), ("a: [1]\nb: *x\n", 2)])
def test_anchors_and_aliases_are_refused(text, line):
    finding = only(load(text, types={}))
    assert (finding.code, finding.line) == ("Y04", line)


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    finding = only(load(bomb, types={}))
    assert (finding.code, finding.line) == ("Y04", 1)


@pytest.mark.parametrize("text", ["a: !!python/object:os.system ls\n", "a: !!str 1\n", "a: !custom x\n"])
def test_tags_are_refused(text):
    assert only(load(text, types={})).code == "Y05"


def test_a_utf8_bom_is_tolerated():
    assert load(codecs.BOM_UTF8 + "name: 王晓明\n".encode()).data == {"name": "王晓明"}


def test_gbk_is_refused_with_the_line_of_the_first_bad_byte():
    finding = only(load("name: a\nbirthplace: 安徽合肥\n".encode("gbk")))
    assert (finding.code, finding.line) == ("Y01", 2)
    assert "GBK" in finding.message and "UTF-8" in finding.hint


def test_utf16_is_refused():
    finding = only(load("name: 王\n".encode("utf-16")))
    assert finding.code == "Y01" and "UTF-16" in finding.message


def test_tab_indentation_is_a_syntax_error_naming_the_line():
    finding = only(load("name: a\nitems:\n\t- n: 1\n"))
    assert (finding.code, finding.line) == ("Y02", 3)
    assert "Tab" in finding.message


def test_invalid_syntax_names_the_line():
    finding = only(load("name: a\nyear: [1, 2\nok: true\n"))
    assert finding.code == "Y02" and finding.line >= 2


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n"])
def test_an_empty_file_is_an_error(text):
    assert only(load(text)).code == "Y07"


def test_several_documents_are_refused():
    finding = only(load("name: a\n---\nname: b\n"))
    assert (finding.code, finding.line) == ("Y08", 2)


def test_a_file_over_the_limit_is_refused_without_parsing():
    finding = only(load(b"name: " + b"x" * MAX_BYTES))
    assert finding.code == "Y06" and "MB" in finding.message


def test_libyaml_does_the_parsing():
    import yaml

    from generator.registry import load as load_module

    assert yaml.__with_libyaml__ and load_module._Parser is yaml.CSafeLoader


def test_a_missing_colon_is_reported_on_its_own_line():
    text = 'id: cai-0001\nname: 孙杰\nsex 男\nbirth: "1985-09"\n'
    finding = only(load(text, types={}))
    assert (finding.code, finding.line, finding.col) == ("Y02", 3, 1)
    assert finding.message.startswith("YAML 语法错误：缺少冒号")


# -- only regular files inside the registry are read (issue 15, point 4; Y06's size) --------------------------


def test_symlinks_pipes_and_upper_case_names_are_named_and_never_read(project, cadres, tmp_path):
    import os

    secret = tmp_path / "outside.yaml"
    secret.write_text("id: 秘密内容\n", encoding="utf-8")
    folder = project / "registry/cadres/caizheng"
    (folder / "cai-0091.yaml").symlink_to(secret)
    os.mkfifo(folder / "cai-0092.yaml")  # opening it would wait for a writer forever
    (folder / "cai-0093.YAML").write_text("id: cai-0093\n", encoding="utf-8")
    status, lines, _ = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1
    text = "\n".join(lines)
    assert "秘密内容" not in text
    for name in ("cai-0091.yaml", "cai-0092.yaml"):
        assert (
            f"registry/cadres/caizheng/{name}:1:1: 错误 [X11] 这不是普通文件（是符号链接、管道或设备），不会被读取 — "
            "名册只读仓库里的普通文件：请把它换成文件本身"
        ) in lines
    assert any(
        line.startswith("registry/cadres/caizheng/cai-0093.YAML:1:1: 错误 [X11] 这个文件不在名册认识的位置")
        for line in lines
    )


def test_a_file_over_the_limit_is_named_with_its_real_size(project, cadres):
    path = project / "registry/cadres/caizheng/cai-0001.yaml"
    path.write_bytes(path.read_bytes() + b"# " + b"x" * (3 * 1024 * 1024) + b"\n")
    status, lines, _ = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1
    assert (
        "registry/cadres/caizheng/cai-0001.yaml:1:1: 错误 [Y06] 文件过大（3.0 MB，上限 1024 KB） — "
        "一个文件只写一个人或一个单位的记录；请检查是否误粘贴了大段内容"
    ) in lines


def test_a_thousand_nested_levels_are_one_files_error_and_the_rest_is_checked(project, cadres):
    deep = "id: x\n" + "".join("  " * i + "b:\n" for i in range(1000)) + "  " * 1000 + "c: 1\n"
    (project / "registry/cadres/caizheng/cai-0001.yaml").write_text(deep, encoding="utf-8")
    status, lines, err = cadres(project, "validate", "--as-of", "2026-11-25")
    assert status == 1 and "Traceback" not in err and "程序内部错误" not in err
    assert lines[0] == (
        "registry/cadres/caizheng/cai-0001.yaml:1:1: 错误 [Y02] 嵌套层数过多，无法读取（记录只有几层：字段、列表、列表中的字段） — "
        "请对照模板检查缩进：每一层缩进两个空格，不要层层嵌套"
    )
    assert lines[-1].startswith("共 ")  # every other file was checked and counted


def test_a_huge_integer_is_a_finding_said_by_its_first_digits(edits):
    """Issue 26: a 5,000-digit number in participants made validate exit 2 (Python refuses to convert it)."""
    path = "registry/inspections/2025/caizheng.yaml"
    edits.edit(path, "participants: 62", "participants: " + "9" * 5000)
    found = [f for f in edits.findings() if f.path == path]
    assert [(f.code, f.field) for f in found] == [("S03", "candidates[0].evaluations[0].participants")]
    assert "……（共 5000 个字符）" in found[0].message and len(found[0].format()) < 300


def test_a_file_on_disk_named_with_a_control_character_is_not_read(tmp_path):
    """Issue 26: names are judged before anything is read; the finding shows the name escaped."""
    from generator.registry.files import _discover

    folder = tmp_path / "registry" / "cadres" / "caizheng"
    folder.mkdir(parents=True)
    (folder / "cai-0001\r检查通过.yaml").write_text("id: cai-0001\n", encoding="utf-8")
    (folder / "notes\x1b[2K.txt").write_text("x", encoding="utf-8")
    files, stray = _discover(tmp_path)
    assert files == []
    named = sorted(f.format() for f in stray if f.code == "X11")
    assert len(named) == 2 and all("\r" not in line and "\x1b" not in line for line in named)
    assert "registry/cadres/caizheng/cai-0001\\x0d检查通过.yaml:1:1: 错误 [X11]" in named[0]
