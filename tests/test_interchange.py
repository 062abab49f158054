"""Excel templates and .lrmx files, in and out: round trips on the demo, and every kind of bad input."""

import openpyxl
import pytest
from plainyaml import yaml_of

from generator.interchange.lrmx import ORDER

from conftest import AS_OF, another_id_number, cadre_file, raw_records

UNIT = "caizheng"


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in (root / "registry").rglob("*") if p.is_file()}


def import_xlsx(cadres, project, path, *extra):
    return cadres(project, "import", "xlsx", str(path), "--unit", UNIT, *extra)


def test_records_to_template_and_back_lose_nothing(project, cadres, template):
    before = snapshot(project)
    status, lines, _ = import_xlsx(cadres, project, template)
    people = len(list((project / "registry/cadres/caizheng").glob("*.yaml")))
    assert status == 0 and lines[-3:] == [
        f"将新建 0 人，修改 0 人，不变 {people} 人。",
        "已写入 0 个记录文件。",
        "导入的记录都通过了校验。",  # unchanged, and checked: an unchanged record may still lack something
    ], lines
    assert snapshot(project) == before  # every file byte for byte: an unchanged record is not rewritten


def test_an_edited_row_updates_and_an_empty_id_makes_a_new_record(project, cadres, template):
    wb = openpyxl.load_workbook(template)
    ws = wb["干部信息"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "cai-0005")
    row[header.index("现任职务")].value = "区财政局预算科科长"
    new = [c.value for c in row]
    new[0], new[header.index("姓名")] = None, "新同志"
    assert new[header.index("身份证号")] is None  # sealed: left blank, and a blank keeps the record's number
    model = yaml_of(cadre_file(project, "cai-0005").read_text(encoding="utf-8"))
    new[header.index("身份证号")] = another_id_number(model["id_number"])
    ws.append(new)
    wb.save(template)
    status, lines, _ = import_xlsx(cadres, project, template)
    assert status == 1, lines  # the new person is in no nomination yet: named, to be put forward
    assert any("[X22]" in line and "cai-0008.yaml" in line for line in lines), lines
    assert "post: 区财政局预算科科长" in cadre_file(project, "cai-0005").read_text(encoding="utf-8")
    assert yaml_of(cadre_file(project, "cai-0005").read_text(encoding="utf-8"))["id_number"] == model["id_number"]
    created = cadre_file(project, "cai-0008").read_text(encoding="utf-8")
    assert 'id_number: "ENC[age,' in created  # written sealed
    assert "name: 新同志" in created and "reserve" not in created and "unit: caizheng" in created


def test_a_new_row_missing_fields_is_written_and_named_as_not_valid_yet(project, cadres, template):
    wb = openpyxl.load_workbook(template)
    wb["干部信息"].append([None, "张新", "男", "1990-05"])
    wb.save(template)
    status, lines, _ = import_xlsx(cadres, project, template)
    assert status == 1
    assert any(ln.startswith("registry/cadres/caizheng/cai-0008.yaml:") and "[S02]" in ln for ln in lines)
    assert "以上文件还不能通过校验" in lines[-1]


def bad_cell(template, header_name, value):
    wb = openpyxl.load_workbook(template)
    ws = wb["干部信息"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index(header_name) + 1, value=value)
    wb.save(template)
    return f"{openpyxl.utils.get_column_letter(header.index(header_name) + 1)}3"


@pytest.mark.parametrize(
    "header_name, value, words",
    [
        ("出生年月", 32874, "Excel 的日期序列号"),
        ("身份证号", 340103198509184200, "被 Excel 当成了数字"),
        ("在职", "也许", "应填“是”或“否”"),
        ("简历", "从小学开始", "看不懂"),
    ],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(
    project, cadres, template, header_name, value, words
):
    before = snapshot(project)
    where = bad_cell(template, header_name, value)
    status, lines, _ = import_xlsx(cadres, project, template)
    assert status == 1
    assert any(
        ln.startswith(f"template.xlsx:干部信息!{where}（第 3 行，{header_name}）：") and words in ln for ln in lines
    )
    assert "什么也没有写入" in lines[-1] and snapshot(project) == before
    status, lines, _ = import_xlsx(cadres, project, template, "--partial")
    others = len(list((project / "registry/cadres/caizheng").glob("*.yaml"))) - 1
    assert f"将新建 0 人，修改 0 人，不变 {others} 人。" in lines  # the other rows, read and found unchanged


def test_a_corrupt_workbook_and_merged_header_cells_are_refused(project, cadres, template, tmp_path):
    before = snapshot(project)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(template.read_bytes()[:2000])
    status, lines, _ = import_xlsx(cadres, project, broken)
    assert status == 1 and "broken.xlsx 读不出来：不是 Excel 工作簿（.xlsx），或文件已损坏、没有复制完" in lines[0], (
        lines
    )
    wb = openpyxl.load_workbook(template)
    wb["干部信息"].merge_cells("B1:C1")
    wb.save(template)
    status, lines, _ = import_xlsx(cadres, project, template)
    assert status == 1 and "表头有合并单元格（B1:C1）" in "\n".join(lines)
    assert snapshot(project) == before


# -- LRMX ----------------------------------------------------------------------------------------


def export_lrmx(cadres, project, cadre_id, tmp_path):
    path = tmp_path / f"{cadre_id}.lrmx"
    status, _, err = cadres(project, "export", "lrmx", cadre_id, "--as-of", AS_OF, "--output", str(path))
    assert status == 0, err
    return path


def test_lrmx_has_the_official_order_dates_and_crlf_resume(project, cadres, tmp_path):
    raw = export_lrmx(cadres, project, "cai-0001", tmp_path).read_bytes()
    import defusedxml.ElementTree as ET

    root = ET.fromstring(raw)
    assert [child.tag for child in root] == list(ORDER)
    assert root.findtext("ChuShengNianYue") == "198509" and root.findtext("JiSuanNianLingShiJian") == "20261125"
    assert b"2007.07--2010.12  \xe5\x8c\xba" in raw and b"\r\n2011.01--2017.08" in raw
    assert root.findtext("ShenFenZheng") == next(d["id_number"] for d in raw_records() if d["id"] == "cai-0001")


@pytest.mark.parametrize("cadre_id", ["cai-0001", "cai-0004", "cai-0005"])
def test_record_to_lrmx_to_record_loses_nothing_both_hold(project, cadres, tmp_path, cadre_id):
    before = snapshot(project)
    path = export_lrmx(cadres, project, cadre_id, tmp_path)
    status, lines, _ = cadres(project, "import", "lrmx", str(path), "--unit", UNIT)
    assert status == 0, lines
    assert snapshot(project) == before


def test_what_has_no_field_is_reported_and_a_photo_is_kept_only_if_allowed(project, cadres, tmp_path):
    path = export_lrmx(cadres, project, "cai-0001", tmp_path)
    text = (
        path.read_text(encoding="utf-8")
        .replace(
            "<JiaTingChengYuan />",
            "<JiaTingChengYuan><Item><ChengWei>妻子</ChengWei><XingMing>李某</XingMing></Item></JiaTingChengYuan>",
        )
        .replace("<ZhaoPian />", "<ZhaoPian>/9j/4AAQSkZJRg==</ZhaoPian>")
    )
    path.write_text(text, encoding="utf-8")
    status, lines, _ = cadres(project, "import", "lrmx", str(path), "--unit", UNIT)
    assert status == 0
    assert "注意：cai-0001.lrmx：<JiaTingChengYuan>（家庭成员）没有对应的字段，未导入：1 项（妻子）" in lines
    assert any("照片）未保存" in ln for ln in lines) and not list((project / "registry/cadres/caizheng").glob("*.jpg"))
    policy = project / "registry/policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("photos_allowed: false", "photos_allowed: true"), encoding="utf-8"
    )
    cadres(project, "import", "lrmx", str(path), "--unit", UNIT)
    assert (project / "registry/cadres/caizheng/cai-0001.jpg").read_bytes().startswith(b"\xff\xd8\xff")
    assert "photo: cai-0001.jpg" in cadre_file(project, "cai-0001").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "mangle, words",
    [
        (lambda raw: raw.replace(b'encoding="UTF-8"', b'encoding="GB2312"'), "编码是 GB2312"),
        (lambda raw: raw.decode("utf-8").encode("gbk"), "不是 UTF-8 编码"),
        (lambda raw: raw.replace(b"<MinZu>\xe6\xb1\x89\xe6\x97\x8f</MinZu>", b""), "缺少元素 <MinZu>"),
        (
            lambda raw: raw.replace(
                b'<?xml version="1.0" encoding="UTF-8"?>\r\n',
                b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Person [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n',
            ).replace(b"<JiGuan>", b"<JiGuan>&b;"),
            "实体定义",
        ),
        (lambda raw: raw[: len(raw) // 2], "不完整：文件在 <"),
        (lambda raw: raw.replace(b"<ChuShengNianYue>198509", b"<ChuShengNianYue>1985-9"), "「1985-9」看不懂"),
        (  # structure where text is expected: it would have been read as nothing
            lambda raw: raw.replace(b"<XianRenZhiWu>", b"<XianRenZhiWu><b>x</b>"),
            "<XianRenZhiWu> 里有下级元素，应只有文字",
        ),
        (lambda raw: raw + b" " * (5 * 1024 * 1024), "超过导入上限 5 MB"),
    ],
)
def test_bad_lrmx_files_get_a_clear_error_and_nothing_is_written(project, cadres, tmp_path, mangle, words):
    path = export_lrmx(cadres, project, "cai-0001", tmp_path)
    path.write_bytes(mangle(path.read_bytes()))
    before = snapshot(project)
    status, lines, _ = cadres(project, "import", "lrmx", str(path), "--unit", UNIT)
    assert status == 1 and any(words in ln for ln in lines), lines
    assert snapshot(project) == before


def test_a_name_never_leads_an_export_out_of_its_folder(project, cadres, tmp_path, monkeypatch):
    """Issue 15, point 11: the default file name is made from the person's name."""
    path = project / "registry/cadres/caizheng/cai-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 孙杰", 'name: "../../pwn"'), encoding="utf-8")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    status, _, err = cadres(project, "export", "lrmx", "cai-0001", "--as-of", "2026-11-25")
    assert status == 0, err
    assert [p.name for p in work.iterdir()] == ["_.._pwn-cai-0001.lrmx"] and not (
        tmp_path / "pwn-cai-0001.lrmx"
    ).exists()


def test_an_output_folder_that_does_not_exist_is_said_plainly(project, cadres, tmp_path):
    missing = tmp_path / "no-such-folder" / "名册.xlsx"
    status, _, err = cadres(project, "export", "xlsx", "--output", str(missing))
    assert status == 2
    assert err == f"cadres: 无法写入 {missing}：文件夹 {missing.parent} 不存在；请先建立它，或换一个位置\n"
    assert "程序内部错误" not in err


def test_the_import_limits_are_what_the_readme_says():
    from generator.interchange import cells, importing

    assert (cells.MAX_ROWS, cells.MAX_CELL, importing.MAX_UNPACKED) == (5000, 10000, 100 * 1024 * 1024)


def test_a_workbook_that_unzips_huge_or_a_huge_cell_or_too_many_rows_is_refused(
    project, cadres, template, tmp_path, monkeypatch
):
    """A 300 MB cell in a small xlsx once took 1.4 GB and wrote a 300 MB record: refused before it is parsed.
    (With the limits made small, so the test writes kilobytes, not the 115 MB a real bomb unzips to.)"""
    from generator.interchange import cells, importing

    monkeypatch.setattr(importing, "MAX_UNPACKED", 2 * 1024 * 1024)
    monkeypatch.setattr(cells, "MAX_ROWS", 50)
    wb = openpyxl.load_workbook(template)
    ws = wb["干部信息"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("熟悉专业有何专长") + 1).value = "很" * 10001
    wb.save(template)
    before = snapshot(project)
    status, lines, _ = import_xlsx(cadres, project, template)
    assert status == 1 and any("内容有 10001 个字，超过上限 10000 个字" in ln for ln in lines), lines
    bomb = tmp_path / "bomb.xlsx"
    ws.cell(row=2, column=header.index("熟悉专业有何专长") + 1).value = "很" * 32000
    for row in range(3, 40):
        ws.cell(row=row, column=2).value = "很" * 32000  # 3.5 MB unzipped, a tenth of it zipped
    wb.save(bomb)
    assert bomb.stat().st_size < 1024 * 1024
    status, lines, _ = import_xlsx(cadres, project, bomb)
    assert status == 1 and "解压后有" in lines[0] and "上限 2 MB" in lines[0] and "什么也没有写入" in lines[0]
    many = tmp_path / "many.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "干部信息"
    wb.active.append(["编号", "姓名", "性别", "出生年月"])
    for _ in range(51):
        wb.active.append([None, "张三", "男", "1990-01"])
    wb.save(many)
    status, lines, _ = import_xlsx(cadres, project, many)
    assert status == 1 and "51 行，超过一次导入的上限 50 行" in lines[0]
    assert snapshot(project) == before


def test_new_ids_follow_each_other_after_every_id_ever_taken():
    """Issue 23, point 5: the ids of an import's new people come from one reading of the registry (IdMaker), the
    same ids fresh_id gave one at a time: after the highest of the unit's prefix, including ids of deleted
    records, never one taken."""
    from generator.interchange.new import IdMaker, fresh_id

    from conftest import district_registry

    registry = district_registry()
    ids = IdMaker(registry, "caizheng", {"cai-0042"})
    made = [ids.next() for _ in range(3)]
    assert made == ["cai-0043", "cai-0044", "cai-0045"]
    assert fresh_id(registry, "caizheng", {"cai-0042"}) == "cai-0043"
    taken = {e.data["id"] for e in registry.cadres}
    first = IdMaker(registry, "caizheng").next()
    assert first not in taken and first.startswith("cai-")


def test_every_import_format_the_command_offers_has_one_reader_and_the_other_way_round():
    import argparse

    from generator.cli import _parser
    from generator.interchange.importing import FORMATS

    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    offered = next(a for a in commands.choices["import"]._actions if a.dest == "format").choices
    assert sorted(offered) == sorted(FORMATS)


def test_one_merge_and_the_formats_rules():
    """What differs between the formats is data (incoming.Rules), said here on one record."""
    from generator.interchange import incoming

    record = {
        "id": "cai-0099",
        "name": "王芳",
        "birth": "1985-03-15",
        "political_status": "民盟盟员",
        "employment": {"unit": "caizheng", "post": "科员"},
        "education": {"full_time": {"level": "大学本科", "school": "南京大学", "major": "金融学"}},
        "resume": [{"from": "2007-07", "post": "科员", "rank": "一级科员"}],
    }
    given = {"birth": "1985-03", "party_joined": "2001-06", "schools": {"full_time": "安徽大学 经济学"}}

    def merged(rules):
        notes: list[str] = []
        return incoming.merge(record, dict(given), "caizheng", rules, notes), notes

    form, said = merged(incoming.FORM)
    assert form["birth"] == "1985-03-15" and form["party_joined"] == "2001-06" and not said
    assert form["education"]["full_time"] == {"level": "大学本科", "school": "安徽大学 经济学"}
    roster, said = merged(incoming.ROSTER)
    assert roster["birth"] == "1985-03-15" and "party_joined" not in roster and "入党时间「2001-06」未导入" in said[0]
    assert roster["education"]["full_time"] == {"level": "大学本科", "school": "安徽大学", "major": "经济学"}
    template, _ = merged(incoming.TEMPLATE)
    assert template["birth"] == "1985-03"
    emptied = incoming.merge(
        record,
        {"employment": {"post": None}, "resume": [{"from": "2007-07", "post": "科员"}]},
        "caizheng",
        incoming.TEMPLATE,
        [],
    )
    assert "post" not in emptied["employment"] and emptied["resume"][0]["rank"] == "一级科员"
    assert record["employment"]["post"] == "科员"  # the record itself is never changed
