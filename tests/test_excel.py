"""The 名册 workbook: opened with openpyxl and read cell by cell, per audience, and offered by each site."""

import openpyxl
import pytest
from test_site import RECORDS, UNITS, sees

from generator.analysis import strokes

from conftest import AS_OF, AS_OF_DATE, PROJECT


@pytest.fixture
def workbook(cadres, tmp_path):
    def make(audience):
        path = tmp_path / f"{audience}.xlsx"
        status, _lines, err = cadres(
            PROJECT, "export", "xlsx", "--audience", audience, "--as-of", AS_OF, "--output", str(path)
        )
        assert status == 0, err
        return openpyxl.load_workbook(path)

    return make


def test_the_org_workbook_has_a_sheet_per_level_and_unit_and_the_statistics(workbook):
    wb = workbook("zuzhibu")
    units = [u["name"] for u in sorted(UNITS, key=lambda u: u["order"])]
    assert wb.sheetnames == ["正职后备", "副职后备", *units, "结构统计"]
    pool = [d for d in RECORDS.values() if d["reserve"]["status"] == "在库"]
    assert wb["正职后备"].max_row - 2 == sum(d["reserve"]["level"] == "正职" for d in pool) == 90
    stats = list(wb["结构统计"].iter_rows(min_row=2, values_only=True))
    assert stats[0] == ("编号", "项目", "数值", "分子/分母", "目标", "结果")
    assert stats[1] == ("T01", "后备干部总量", "210人", "210/210", "210人左右（189–231人）", "达到")


def test_a_known_person_cell_by_cell(workbook):
    wb = workbook("zuzhibu")
    person = RECORDS["cai-0001"]
    ws = wb["区财政局"]
    assert (
        ws["A1"].value == f"区委组织部（全区）·蜀山区科级后备干部名册 统计日期：{AS_OF.replace('-', '.')}（区财政局）"
    )
    header = [c.value for c in ws[2]]
    assert header == [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月（岁）",
        "籍贯",
        "入党时间",
        "参加工作时间",
        "学历学位",
        "毕业院校及专业",
        "现任职务",
        "任现职时间",
        "类别",
        "入库时间",
    ]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] == person["name"])
    birth = person["birth"]
    age = AS_OF_DATE.year - int(birth[:4]) - (AS_OF_DATE.month < int(birth[5:]))
    ft = person["education"]["full_time"]
    assert row[2:] == (
        person["sex"],
        person["ethnicity"],
        f"{birth.replace('-', '.')}（{age}岁）",
        person["native_place"],
        person["party_joined"].replace("-", "."),
        person["work_started"].replace("-", "."),
        f"{ft['level']} {ft['degree']}",
        f"{ft['school']} {ft['major']}",
        person["employment"]["post"],
        person["employment"]["post_since"].replace("-", "."),
        "正职后备",
        person["reserve"]["entered"].replace("-", "."),
    )
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["K"].width >= 2 * len(person["employment"]["post"])  # widths fit the text


def test_every_sheet_prints_on_landscape_a4_fitted_to_width_with_the_header_repeated(workbook):
    wb = workbook("zuzhibu")
    for ws in wb:
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$2:$2"
        assert ws.print_area == f"'{ws.title}'!$A$1:${ws.cell(2, ws.max_column).column_letter}${ws.max_row}"
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_a_unit_lists_its_chiefs_before_its_deputies(workbook):
    ws = workbook("zuzhibu")["区财政局"]
    kinds = [r[12] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert kinds == sorted(kinds, key=["正职后备", "副职后备"].index) and len(set(kinds)) == 2


def test_names_are_in_stroke_order_within_a_unit(workbook):
    wb = workbook("zuzhibu")
    for unit in ("区财政局", "城东街道"):
        rows = list(wb[unit].iter_rows(min_row=3, values_only=True))
        for level in ("正职后备", "副职后备"):
            names = [r[1] for r in rows if r[12] == level]
            assert names == sorted(names, key=strokes.name_key)
        assert len(rows) > 2


def test_a_units_workbook_holds_its_own_people_only(workbook):
    wb = workbook("unit-caizheng")
    assert wb.sheetnames == ["副职后备", "区财政局", "结构统计"]
    names = {r[1] for r in wb["区财政局"].iter_rows(min_row=3, values_only=True)}
    expected = {d["name"] for d in RECORDS.values() if sees("unit-caizheng", d) and d["reserve"]["status"] == "在库"}
    assert names == expected
    everything = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "T01" not in everything and not any(d["id_number"] in everything for d in RECORDS.values())


def test_each_site_offers_its_workbook(demo_site):
    _, site = demo_site
    assert 'href="downloads/roster-unit-caizheng.xlsx"' in (site / "unit-caizheng/index.html").read_text(
        encoding="utf-8"
    )
    wb = openpyxl.load_workbook(site / "unit-caizheng/downloads/roster-unit-caizheng.xlsx")
    outsiders = {d["name"] for d in RECORDS.values() if not sees("unit-caizheng", d)}
    assert not outsiders & {r[1] for ws in wb for r in ws.iter_rows(min_row=3, values_only=True)}
    assert (site / "zuzhibu/downloads/roster-zuzhibu.xlsx").is_file()


def test_an_unknown_audience_is_named(cadres):
    status, _, err = cadres(PROJECT, "export", "xlsx", "--audience", "nobody")
    assert status == 2 and "没有读者「nobody」" in err
