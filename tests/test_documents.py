"""Meeting documents for Word and WPS (issue 22, point 3): read back with python-docx, field by field where the
form has it, and converted to PDF with LibreOffice where it is installed, its pages looked at (artifacts/)."""

import re
import shutil
import subprocess

import pytest
from docx import Document

from conftest import ARTIFACTS, AS_OF, DISTRICT, PROJECT, libreoffice, raw_records

RECORDS = {d["id"]: d for d in raw_records()}


def texts(table):
    """[[cell text]] of a table, a merged cell's text in every grid cell it spans (as python-docx reads it)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "forms.docx"
    result = subprocess.run(
        [str(PROJECT / ".venv/bin/cadres") if (PROJECT / ".venv/bin/cadres").exists() else "cadres",
         "--root", str(DISTRICT), "export", "docx", "任免审批表", "cai-0001", "cai-0004", "--as-of", AS_OF,
         "--output", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"已写入 {out}，2 人，每人两页")
    return out


def test_the_appointment_form_has_every_field_where_the_official_grid_has_it(forms):
    doc = Document(str(forms))
    assert len(doc.tables) == 4  # two tables a person: page one and page two
    person = RECORDS["cai-0001"]
    one, two = texts(doc.tables[0]), texts(doc.tables[1])
    assert one[0][:6] == ["姓名", person["name"], "性别", person["sex"], "出生年月\n（岁）", one[0][5]]
    assert one[0][5] == f"{person['birth'].replace('-', '.')}\n（41岁）" and one[0][6] == "照片"
    assert one[1] == [
        "民族",
        person["ethnicity"],
        "籍贯",
        person["native_place"],
        "出生地",
        person["birthplace"],
        "照片",
    ]
    assert one[2][:2] == ["入党时间", person["party_joined"].replace("-", ".")]
    assert one[2][2:6] == ["参加工作时间", person["work_started"].replace("-", "."), "健康状况", person["health"]]
    assert one[3][3] == "熟悉专业\n有何专长" and one[3][4] == person.get("expertise", "")
    assert one[4][0] == one[5][0] == "学历\n学位" and one[4][1] == "全日制\n教育" and one[5][1] == "在职\n教育"
    full = person["education"]["full_time"]
    assert one[4][2] == "\n".join(x for x in (full["level"], full.get("degree")) if x) and full["school"] in one[4][5]
    assert one[6] == ["现任职务"] + [person["employment"]["post"]] * 6
    assert one[7][0] == "拟任职务" and one[8][0] == "拟免职务"
    assert one[9][0] == "简\n\n\n\n历"
    resume = one[9][1].split("\n")
    assert len(resume) == len(person["resume"]) and resume[0].startswith(person["resume"][0]["from"].replace("-", "."))
    assert two[0][0] == "奖惩\n情况" and two[1][0] == "年度考核\n结果" and two[2][0] == "任免\n理由"
    years = person["assessments"][-3:]
    assert two[1][1] == "；".join(f"{a['year']}年度考核{a['grade']}" for a in years)
    assert two[3][0].startswith("家庭") and two[3][1:5] == ["称谓", "姓名", "年龄", "政治\n面貌"]
    assert [row[0] for row in two[-3:]] == ["呈报\n单位", "审批机关\n意见", "行政机关\n任免意见"]
    assert two[-3][1].startswith("区财政局")
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert section.header.paragraphs[0].text == "内部资料 注意保密"
    fonts = {
        r.font.name for t in doc.tables[:2] for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    }
    assert fonts == {"仿宋"}
    assert texts(doc.tables[2])[0][1] == RECORDS["cai-0004"]["name"]
    every = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert not any(RECORDS[i]["id_number"] in every for i in ("cai-0001", "cai-0004"))  # the forms hold no number


def test_the_candidates_plan_as_a_document(tmp_path, cadres):
    out = tmp_path / "plan.docx"
    status, _, err = cadres(DISTRICT, "export", "docx", "人选方案", "--as-of", AS_OF, "--output", str(out))
    assert status == 0, err
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[:2] == ["科级后备干部人选方案", "统计日期：2026.11.25"]
    assert "建议研究确定列入 3 人，调整出库 4 人，调整后 33 人" in paragraphs[2]
    summary, exits, structure, *sheets = (texts(t) for t in doc.tables)
    inspected = [d for d in RECORDS.values() if d["reserve"]["status"] == "考察"]
    assert len(summary) == 1 + len(inspected) and {r[1] for r in summary[1:]} == {d["name"] for d in inspected}
    assert [r[1] for r in exits[1:]] == [RECORDS[i]["name"] for i in ("zfb-0001", "fag-0001", "jia-0003", "xia-0004")]
    assert len(structure) == 17 and structure[1][:4] == ["T01", "后备干部总量", "34人", "33人"]
    assert len(sheets) == len(inspected)
    assert [r[0] for r in sheets[0]] == [
        "性别", "出生年月", "民族", "籍贯", "政治面貌", "学历", "现任职务", "产生方式", "民主推荐", "民主测评",
        "近三年年度考核", "考察意见", "简历",
    ]  # fmt: skip
    assert any("（在职）" in r[4] for r in summary[1:])


def test_a_document_only_for_an_audience_that_may_see_its_people(tmp_path, cadres):
    status, _, err = cadres(
        DISTRICT, "export", "docx", "人选方案", "--audience", "unit-caizheng", "--output", str(tmp_path / "x.docx")
    )
    assert status == 2 and "看不到全区的人选" in err
    status, _, err = cadres(
        DISTRICT,
        "export",
        "docx",
        "任免审批表",
        "cai-0001",
        "--audience",
        "unit-caizheng",
        "--output",
        str(tmp_path / "y.docx"),
    )
    assert status == 2 and "看不到 cai-0001" in err  # a 正职 reserve: the org department's
    status, _, err = cadres(DISTRICT, "export", "docx", "名册")
    assert status == 2 and "人选方案、任免审批表" in err
    assert not list(tmp_path.glob("*.docx"))


@pytest.mark.office
def test_libreoffice_lays_the_form_out_on_two_a4_pages_a_person(forms, tmp_path):
    soffice = libreoffice()
    assert soffice, "LibreOffice is missing: apt install libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(forms)],
                   check=True, capture_output=True, timeout=120, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})  # fmt: skip
    pdf = tmp_path / "forms.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           4" in info and "(A4)" in info
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    assert "干部任免审批表" in pages[0] and RECORDS["cai-0001"]["name"] in pages[0] and "简" in pages[0]
    assert "年度考核" in pages[1] and "任免意见" in pages[1] and re.search(r"第\s*2\s*页\s*/\s*共\s*4\s*页", pages[1])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "任免审批表.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "任免审批表")], check=True
    )
