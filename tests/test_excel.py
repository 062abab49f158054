"""The 名册 workbook: opened with openpyxl and read cell by cell, per audience, and offered by each site;
converted to PDF by LibreOffice Calc, where it is installed, to see it printed."""

import re
import shutil
import subprocess

import openpyxl
import pytest
import small
from pages import links
from small import _sealed, chief, deputy
from test_site import RECORDS, UNITS, sees

from generator.analysis import strokes
from generator.analysis.audiences import expand
from generator.interchange.excel import roster_workbook
from generator.registry.files import with_files

from conftest import ARTIFACTS, AS_OF, AS_OF_DATE, DISTRICT, libreoffice


@pytest.fixture
def workbook(cadres, tmp_path):
    def make(audience):
        path = tmp_path / f"{audience}.xlsx"
        status, _lines, err = cadres(
            DISTRICT, "export", "xlsx", "--audience", audience, "--as-of", AS_OF, "--output", str(path)
        )
        assert status == 0, err
        return openpyxl.load_workbook(path)

    return make


def test_the_org_workbook_has_a_sheet_per_level_and_unit_and_the_statistics(workbook):
    wb = workbook("zuzhibu")
    pool = [d for d in RECORDS.values() if d["reserve"]["status"] == "在库"]
    staffed = {d["employment"]["unit"] for d in pool}  # 区科技局 has no one: no sheet
    units = [u["name"] for u in sorted(UNITS, key=lambda u: u["order"]) if u["id"] in staffed]
    assert wb.sheetnames == ["正职后备", "副职后备", *units, "结构统计"] and len(units) == 15
    assert wb["正职后备"].max_row - 2 == sum(d["reserve"]["level"] == "正职" for d in pool) == 16
    stats = list(wb["结构统计"].iter_rows(min_row=2, values_only=True))
    assert stats[0] == ("编号", "项目", "数值", "分子/分母", "目标", "结果")
    assert stats[1] == ("T01", "后备干部总量", "34人", "34/34", "210人左右（189–231人）", "未达到")


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
        assert ws.page_setup.fitToHeight == (1 if ws.title == "结构统计" else 0)  # the statistics on one page
        assert ws.oddHeader.right.text == "内部资料 注意保密"  # mkdocs.yml extra.print_mark, as the site prints it
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
    assert wb.sheetnames == ["区财政局", "结构统计"]
    names = {r[1] for r in wb["区财政局"].iter_rows(min_row=3, values_only=True)}
    expected = {d["name"] for d in RECORDS.values() if sees("unit-caizheng", d) and d["reserve"]["status"] == "在库"}
    assert names == expected
    everything = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "T01" not in everything and not any(d["id_number"] in everything for d in RECORDS.values())


def test_each_site_offers_its_workbook(district_site):
    _, site = district_site
    home = (site / "unit-caizheng/index.html").read_text(encoding="utf-8")
    assert "downloads/roster-unit-caizheng.xlsx" in (href for href, _ in links(home))
    wb = openpyxl.load_workbook(site / "unit-caizheng/downloads/roster-unit-caizheng.xlsx")
    outsiders = {d["name"] for d in RECORDS.values() if not sees("unit-caizheng", d)}
    assert not outsiders & {r[1] for ws in wb for r in ws.iter_rows(min_row=3, values_only=True)}
    assert (site / "zuzhibu/downloads/roster-zuzhibu.xlsx").is_file()


def test_an_unknown_audience_is_named(cadres):
    status, _, err = cadres(DISTRICT, "export", "xlsx", "--audience", "nobody")
    assert status == 2 and "没有读者「nobody」" in err


# -- laid out as an official list prints (issue 27), on a small district built here -------------------------------

MARK = "内部资料 注意保密"
EVIL = "=HYPERLINK(B3,B2)"  # what the schema lets through (no quotes, no < > &): a formula all the same


def studied_in_service() -> dict:
    """A 副职 of 区财政局 with a 研究生 degree gained in service: two lines in the 学历学位 cell."""
    person = deputy()
    person.update(id="cai-0905", name="周强", id_number=_sealed("1989-04-15", True), birth="1989-04")
    degree = {"level": "研究生", "degree": "硕士", "school": "中共安徽省委党校", "major": "经济管理"}
    person["education"] = {**person["education"], "in_service": degree}
    return person


def elsewhere() -> dict:
    """A 副职 of 区发改委 (区发展和改革委员会)."""
    person = deputy()
    person.update(id="fag-0901", name="吴刚", id_number=_sealed("1988-02-15", True), birth="1988-02")
    person["employment"] = {**person["employment"], "unit": "fagai", "post": "区发改委综合科科长"}
    person["reserve"] = {**person["reserve"], "nomination": "2025/fagai"}
    return person


def registry_findings(settings):
    return with_files(small.district(), settings).findings


def small_workbook(path, audience_id, settings=None):
    """The 名册 workbook of a district of four (区财政局's 正职 and two 副职, one 副职 of 区发改委), as read back."""
    registry = small.district(chief(), deputy(), studied_in_service(), elsewhere())
    if settings:
        registry = with_files(registry, settings)
    audience = next(a for a in expand(registry) if a.id == audience_id)
    roster_workbook(registry, audience, AS_OF_DATE, path, MARK)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def org_book(tmp_path_factory):
    return small_workbook(tmp_path_factory.mktemp("xlsx") / "zuzhibu.xlsx", "zuzhibu")


def table(ws):
    """The cells of the table: the header row and every row below it."""
    return [c for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=ws.max_column) for c in row]


def test_every_sheet_is_an_official_list_bordered_in_song_with_the_title_merged_and_centred(org_book):
    assert org_book.sheetnames == ["正职后备", "副职后备", "区发展和改革委员会", "区财政局", "结构统计"]
    for ws in org_book:
        last = ws.cell(2, ws.max_column).column_letter
        assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{last}1"], ws.title
        title = ws["A1"]
        assert title.alignment.horizontal == "center" and title.alignment.vertical == "center", ws.title
        assert title.font.name == "宋体" and title.font.b and title.font.sz >= 14, ws.title
        for cell in table(ws):
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert all(side.style == "thin" for side in sides), (ws.title, cell.coordinate)
            assert cell.font.name == "宋体" and cell.font.sz < title.font.sz, (ws.title, cell.coordinate)
        assert ws.oddHeader.right.text == MARK and ws.print_title_rows == "$2:$2", ws.title


def test_the_level_sheets_name_each_persons_unit(org_book):
    fagai = "区发展和改革委员会"
    for level, names in (("正职后备", ["区财政局"]), ("副职后备", [fagai, "区财政局", "区财政局"])):
        ws = org_book[level]
        assert [c.value for c in ws[2]][:3] == ["序号", "单位", "姓名"]
        assert [r[1] for r in ws.iter_rows(min_row=3, values_only=True)] == names  # in the units' official order
    assert [c.value for c in org_book["区财政局"][2]][:2] == ["序号", "姓名"]  # a unit's sheet is titled by it


def test_a_two_line_education_cell_wraps_in_a_row_high_enough_for_both_lines(org_book):
    ws = org_book["区财政局"]
    column = [c.value for c in ws[2]].index("学历学位") + 1
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3)}
    two, one = rows["周强"][column - 1], rows["赵明"][column - 1]
    assert two.value == "大学本科 学士\n研究生 硕士（在职）" and one.value == "大学本科 学士"
    assert two.alignment.wrap_text
    high, low = (ws.row_dimensions[c.row].height or 0 for c in (two, one))  # 0: no height, the program guesses
    assert low >= 15 and high >= 2 * 15 and high > low  # a line of 11 pt 宋体 (or the font in its place): 15 pt


def test_a_units_workbook_has_its_own_sheet_and_statistics_only(tmp_path):
    wb = small_workbook(tmp_path / "unit.xlsx", "unit-caizheng")
    assert wb.sheetnames == ["区财政局", "结构统计"]  # no 副职后备 sheet listing the same people again
    assert [r[1] for r in wb["区财政局"].iter_rows(min_row=3, values_only=True)] == ["周强", "赵明"]


def test_a_unit_or_audience_named_like_a_formula_is_text_in_every_cell_the_title_included(tmp_path):
    """Issue 26: a name that starts with = (or + - @) is never run as a formula by Excel or WPS."""
    units = (DISTRICT / "registry/units.yaml").read_text(encoding="utf-8")
    audiences = (DISTRICT / "registry/audiences.yaml").read_text(encoding="utf-8")
    settings = {
        "registry/units.yaml": units.replace("name: 区财政局\n", f"name: '{EVIL}'\n").encode(),
        "registry/audiences.yaml": audiences.replace("title: 区委组织部（全区）", f"title: '{EVIL}'").encode(),
    }
    for audience in ("zuzhibu", "unit-caizheng"):
        wb = small_workbook(tmp_path / f"{audience}.xlsx", audience, settings)
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], audience
        assert not [f for f in registry_findings(settings) if f.code.startswith("S")]  # a name the schema allows
        assert all(ws["A1"].value.startswith(EVIL) for ws in wb), audience  # the title row
        assert any(c.value == EVIL for c in cells) or audience != "zuzhibu"  # the 单位 column


def words_of(pdf, page: int) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of every word on a page of a PDF, as pdftotext places them (points from the top)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    found = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(word, float(top), float(bottom)) for top, bottom, word in found]


@pytest.mark.office
def test_libreoffice_prints_each_sheet_on_landscape_a4_with_its_title_mark_and_both_lines_of_a_cell(tmp_path):
    """One conversion (LibreOffice takes seconds): the small district's org workbook, a page a sheet; the PDF and
    its pages go to artifacts/ to be looked at."""
    soffice = libreoffice()
    assert soffice, "LibreOffice is missing: apt install libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils"
    book = small_workbook(tmp_path / "名册.xlsx", "zuzhibu")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "名册.xlsx")],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})  # fmt: skip
    pdf = tmp_path / "名册.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {len(book.sheetnames)}\n" in info, info  # one page a sheet: all fit on one
    assert re.search(r"Page size:\s+841.\d+ x 595.\d+ pts \(A4\)", info), info  # landscape
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for sheet, page in zip(book.sheetnames, pages, strict=False):
        text = "".join(page.split())  # a title as wide as its table may wrap
        assert f"区委组织部（全区）·蜀山区科级后备干部名册统计日期：2026.11.25（{sheet}）" in text, (sheet, page)
        assert "内部资料注意保密" in text, (sheet, page)  # the page header
    # 区财政局's sheet: 钱进 (正职), then 周强 with two lines of education, then 赵明; each line of 周强's cell lies
    # between the rows above and below it, so neither is hidden under a neighbour or cut off by a short row
    words = words_of(pdf, book.sheetnames.index("区财政局") + 1)
    top = {word: (y0, y1) for word, y0, y1 in reversed(words)}  # the first of each word
    above, below = top["钱进"][1], top["赵明"][0]
    first = [y for word, y, _ in words if word == "大学本科" and above < y < below]
    second = [(y0, y1) for word, y0, y1 in words if word == "研究生" and above < y0 < below]
    assert first and second and first[0] < second[0][0] and second[0][1] <= below, (above, below, first, second)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "名册-small.pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "名册-small")], check=True)
