"""Meeting documents a clerk finishes in Word or WPS (.docx, python-docx): the 人选方案 and the 干部任免审批表.

Both are A4 portrait, 仿宋 for the text and 宋体 for titles as official documents use, with 内部资料 in the
header and the page number in the footer. The 干部任免审批表 takes its fields from `lrmx.form_values` (the
same values as the .lrmx file) and lays them out in the official grid: page one from 姓名 to 简历, page two
奖惩情况, 年度考核结果, 任免理由, the family members (empty rows: the registry does not record them) and the
approval boxes. Neither holds a personal number: the official forms have none.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from generator.core import dates
from generator.interchange import lrmx
from generator.registry.records import Cadre

BODY_FONT, TITLE_FONT = "仿宋", "宋体"
MARK = "内部资料 注意保密"
FAMILY_ROWS = 6  # the form's rows for 家庭主要成员及重要社会关系


# -- the document ----------------------------------------------------------------------------


def _document() -> Any:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    normal = doc.styles["Normal"]
    _font(normal.font, normal.element, BODY_FONT, 12)
    normal.paragraph_format.space_after = Pt(0)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(header, MARK, size=9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "第 ", size=9)
    _field(footer, "PAGE")
    _run(footer, " 页 / 共 ", size=9)
    _field(footer, "NUMPAGES")
    _run(footer, " 页", size=9)
    return doc


def _font(font: Any, element: Any, name: str, size: float, bold: bool = False) -> None:
    font.name, font.size, font.bold = name, Pt(size), bold
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)  # the font Word and WPS use for Chinese characters


def _run(paragraph: Any, text: str, size: float = 12, bold: bool = False, font: str = BODY_FONT) -> Any:
    run = paragraph.add_run(text)
    _font(run.font, run._element, font, size, bold)
    return run


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and WPS fill it in when the page is laid out."""
    run = _run(paragraph, "", size=9)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._element.append(shown)


def _title(doc: Any, text: str, size: float = 18) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, text, size=size, bold=True, font=TITLE_FONT)


def _line(doc: Any, text: str, size: float = 12, bold: bool = False, keep: bool = False) -> Any:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = keep  # a heading never left alone at a page's foot
    _run(paragraph, text, size=size, bold=bold)
    return paragraph


def _page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(doc: Any, rows: int, widths: list[float]) -> Any:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):  # the grid Word and LibreOffice lay out by
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _put(cell: Any, text: str, size: float = 11, bold: bool = False, left: bool = False, top: bool = False) -> None:
    """A cell's text (lines kept), centred as the form's labels are, or from the left (and the top) for long text."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP if top else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = str(text).split("\n")
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, size=size, bold=bold)


def _grid(doc: Any, header: tuple, rows: list[tuple], widths: list[float], size: float = 10) -> Any:
    table = _table(doc, len(rows) + 1, widths)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _put(cell, text, size=size, bold=True)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _put(cell, text, size=size)
    _repeat_header(table)
    return table


def _repeat_header(table: Any) -> None:
    """The header row printed again at the top of each page the table runs onto."""
    props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    props.append(repeat)


def _height(row: Any, cm: float) -> None:
    row.height = Cm(cm)


# -- 干部任免审批表 --------------------------------------------------------------------------------


def _dotted(yyyymm: str) -> str:
    return f"{yyyymm[:4]}.{yyyymm[4:6]}" if len(yyyymm) >= 6 else yyyymm


def appointment_form(doc: Any, data: Cadre, as_of: _dt.date, unit_name: str, photo: bytes | None) -> None:
    """One person's 干部任免审批表, two pages, in the official grid."""
    v = lrmx.form_values(data, as_of, unit_name)
    _title(doc, "干部任免审批表", size=20)
    widths = [2.3, 2.2, 1.9, 2.3, 2.5, 2.2, 2.6]
    t = _table(doc, 10, widths)
    cells = t.rows
    birth = f"{_dotted(v['ChuShengNianYue'])}\n（{dates.age(data['birth'], as_of)}岁）"
    party = _dotted(v["RuDangShiJian"]) if v["RuDangShiJian"].isdigit() else v["RuDangShiJian"]
    for r, items in enumerate(
        (
            ("姓名", v["XingMing"], "性别", v["XingBie"], "出生年月\n（岁）", birth),
            ("民族", v["MinZu"], "籍贯", v["JiGuan"], "出生地", v["ChuShengDi"]),
            (
                "入党时间",
                party,
                "参加工作时间",
                _dotted(v["CanJiaGongZuoShiJian"]),
                "健康状况",
                v["JianKangZhuangKuang"],
            ),
        )
    ):
        for c, text in enumerate(items):
            _put(cells[r].cells[c], text, bold=c % 2 == 0)
        _height(cells[r], 1.1)
    # 专业技术职务 | value | 熟悉专业有何专长 | value
    _put(cells[3].cells[0], "专业技术\n职务", bold=True)
    _put(cells[3].cells[1].merge(cells[3].cells[2]), v["ZhuanYeJiShuZhiWu"])
    _put(cells[3].cells[3], "熟悉专业\n有何专长", bold=True)
    _put(cells[3].cells[4].merge(cells[3].cells[5]), v["ShuXiZhuanYeYouHeZhuanChang"], size=10)
    _height(cells[3], 1.1)
    picture = cells[0].cells[6].merge(cells[3].cells[6])
    if photo:
        picture.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraphs[0].add_run().add_picture(io.BytesIO(photo), width=Cm(2.3))
    else:
        _put(picture, "照片", size=10)
    # 学历学位: 全日制教育 and 在职教育, each with 毕业院校系及专业
    _put(cells[4].cells[0].merge(cells[5].cells[0]), "学历\n学位", bold=True)
    for r, (label, level, degree, school) in enumerate(
        (
            (
                "全日制\n教育",
                v["QuanRiZhiJiaoYu_XueLi"],
                v["QuanRiZhiJiaoYu_XueWei"],
                v["QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"],
            ),
            ("在职\n教育", v["ZaiZhiJiaoYu_XueLi"], v["ZaiZhiJiaoYu_XueWei"], v["ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"]),
        ),
        start=4,
    ):
        _put(cells[r].cells[1], label, bold=True)
        _put(cells[r].cells[2].merge(cells[r].cells[3]), "\n".join(x for x in (level, degree) if x), size=10)
        _put(cells[r].cells[4], "毕业院校\n系及专业", bold=True)
        _put(cells[r].cells[5].merge(cells[r].cells[6]), school, size=10)
        _height(cells[r], 1.1)
    for r, (label, text) in enumerate(
        (("现任职务", v["XianRenZhiWu"]), ("拟任职务", v["NiRenZhiWu"]), ("拟免职务", v["NiMianZhiWu"])), start=6
    ):
        _put(cells[r].cells[0], label, bold=True)
        _put(cells[r].cells[1].merge(cells[r].cells[6]), text, left=True)
        _height(cells[r], 1.0)
    _put(cells[9].cells[0], "简\n\n\n\n历", bold=True)
    resume = v["JianLi"].replace("\r\n", "\n")
    _put(cells[9].cells[1].merge(cells[9].cells[6]), resume, size=10.5, left=True, top=True)
    _height(cells[9], 11.5)
    _page_break(doc)
    t = _table(doc, 7 + FAMILY_ROWS, [2.3, 1.8, 2.0, 1.3, 2.2, 3.4, 3.0])
    rows = t.rows
    for r, (label, text, tall) in enumerate(
        (
            ("奖惩\n情况", v["JiangChengQingKuang"], 3.0),
            ("年度考核\n结果", v["NianDuKaoHeJieGuo"], 1.8),
            ("任免\n理由", v["RenMianLiYou"], 3.0),
        )
    ):
        _put(rows[r].cells[0], label, bold=True)
        _put(rows[r].cells[1].merge(rows[r].cells[6]), text, size=10.5, left=True, top=True)
        _height(rows[r], tall)
    family = rows[3].cells[0].merge(rows[3 + FAMILY_ROWS].cells[0])
    _put(family, "家庭\n主要\n成员\n及\n重要\n社会\n关系", bold=True)
    for c, text in enumerate(("称谓", "姓名", "年龄", "政治\n面貌"), start=1):
        _put(rows[3].cells[c], text, bold=True, size=10)
    _put(rows[3].cells[5].merge(rows[3].cells[6]), "工作单位及职务", bold=True, size=10)
    for r in range(4, 4 + FAMILY_ROWS):
        rows[r].cells[5].merge(rows[r].cells[6])
        _height(rows[r], 0.9)
    boxes = (
        ("呈报\n单位", f"{v['ChengBaoDanWei']}\n\n（盖章）    年  月  日"),
        ("审批机关\n意见", "\n\n（盖章）    年  月  日"),
        ("行政机关\n任免意见", "\n\n（盖章）    年  月  日"),
    )
    for r, (label, text) in enumerate(boxes, start=4 + FAMILY_ROWS):
        _put(rows[r].cells[0], label, bold=True)
        _put(rows[r].cells[1].merge(rows[r].cells[6]), text, size=10.5)
        _height(rows[r], 2.6)
    _line(doc, f"填表人：            填表时间：{as_of:%Y年%m月%d日}    （年龄计算至 {as_of:%Y.%m.%d}）", size=10.5)


def appointment_forms(people: list[tuple[Cadre, str, bytes | None]], as_of: _dt.date) -> Any:
    """The forms of several people, each on its own pages: [(values, unit name, photo or None)]."""
    doc = _document()
    for i, (data, unit_name, photo) in enumerate(people):
        if i:
            _page_break(doc)
        appointment_form(doc, data, as_of, unit_name, photo)
    return doc


# -- 人选方案 ------------------------------------------------------------------------------------


def candidates_plan(plan: dict, people: dict[str, Cadre], as_of: _dt.date, education: Any) -> Any:
    """The 人选方案 as the 常委会 reads it: title, 统计日期, the summary, the exits, each inspected candidate's
    sheet on a page of its own, the structure before and after. `education(data)` says a person's 学历."""
    doc = _document()
    pool = plan["pool"]
    _title(doc, "科级后备干部人选方案")
    paragraph = _line(doc, f"统计日期：{dates.dotted(as_of.isoformat())}", size=12)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(
        doc,
        f"现在库 {pool['before']} 人。建议研究确定列入 {pool['in']} 人，调整出库 {pool['out']} 人，"
        f"调整后 {pool['after']} 人；另有 {len(plan['pending'])} 名人选已民主推荐、尚未考察，不提请本次研究。",
    )
    _line(doc, "一、提请研究列入的人选", size=14, bold=True, keep=True)
    rows: list[tuple] = [
        (str(i), c["name"], people[c["id"]]["sex"], _birth(people[c["id"]], as_of), education(people[c["id"]]),
         c["unit_name"], c["post"], c["level"], (c["nomination"] or {}).get("share", c["source"]),
         (c["evaluation"] or {}).get("share", ""))
        for i, c in enumerate(plan["in"], 1)
    ]  # fmt: skip
    header: tuple[str, ...] = (
        "序号",
        "姓名",
        "性别",
        "出生年月\n（岁）",
        "学历",
        "单位",
        "现任职务",
        "层级",
        "推荐\n得票率",
        "测评\n认可率",
    )
    _grid(doc, header, rows, [0.9, 1.3, 0.9, 1.9, 1.8, 1.9, 2.5, 1.0, 1.4, 1.3], size=9)
    _line(doc, "")
    _line(doc, "二、建议调整出库的人员", size=14, bold=True, keep=True)
    rows = [
        (str(i), o["name"], o["unit_name"], o["level"], str(o["age"]), dates.dotted(o["entered"]), o["status"],
         "；".join(r["reason"] for r in o["reasons"]))
        for i, o in enumerate(plan["out"], 1)
    ]  # fmt: skip
    header = ("序号", "姓名", "单位", "层级", "年龄", "入库时间", "出库方式", "原因")
    _grid(doc, header, rows, [0.9, 1.4, 2.2, 0.9, 0.9, 1.8, 1.6, 5.3], size=9) if rows else _line(doc, "无。")
    _line(doc, "")
    _line(doc, "三、调整前后的结构", size=14, bold=True, keep=True)
    rows = [
        (t["id"], t["label"], t["before"], t["after"], t["target"],
         ("达到" if t["met_after"] else "未达到") + ("" if t["met_before"] == t["met_after"] else "（有变化）"))
        for t in plan["targets"]
    ]  # fmt: skip
    _grid(doc, ("编号", "项目", "调整前", "调整后", "目标", "调整后结果"), rows, [1.1, 3.0, 2.6, 2.6, 3.3, 2.4], size=9)
    for c in plan["in"]:
        _page_break(doc)
        _sheet(doc, c, people[c["id"]], as_of, education)
    return doc


def _birth(data: Cadre, as_of: _dt.date) -> str:
    return f"{dates.dotted(data['birth'])}\n（{dates.age(data['birth'], as_of)}岁）"


def _sheet(doc: Any, c: dict, data: Cadre, as_of: _dt.date, education: Any) -> None:
    """One candidate's sheet: what the meeting decides on."""
    _line(doc, f"{c['name']}（{c['unit_name']} · {c['level']}后备 · {c['track']}）", size=14, bold=True, keep=True)
    v = lrmx.form_values(data, as_of, c["unit_name"])
    nomination = c["nomination"]
    evaluation = c["evaluation"]
    inspection = data.get("inspection")
    items = [
        ("性别", v["XingBie"]),
        ("出生年月", _birth(data, as_of).replace("\n", "")),
        ("民族", v["MinZu"]),
        ("籍贯", v["JiGuan"]),
        ("政治面貌", data["political_status"]),
        ("学历", education(data)),
        ("现任职务", v["XianRenZhiWu"]),
        ("产生方式", c["source"]),
        (
            "民主推荐",
            f"{dates.dotted(nomination['date'])}，实到 {nomination['attended']} 人，得票 {nomination['votes']}"
            f"（{nomination['share']}）"
            if nomination
            else f"无（{c['source']}产生）",
        ),
        (
            "民主测评",
            f"{dates.dotted(evaluation['date'])} {evaluation['kind']}，参加 {evaluation['participants']} 人，"
            f"优秀和称职 {evaluation['good']} 票（{evaluation['share']}）"
            if evaluation
            else "无",
        ),
        ("近三年年度考核", v["NianDuKaoHeJieGuo"] or "无"),
        ("考察意见", f"{dates.dotted(inspection['date'])} {inspection['summary']}".strip() if inspection else ""),
        ("简历", v["JianLi"].replace("\r\n", "\n")),
    ]
    table = _table(doc, len(items), [3.0, 13.0])
    for row, (label, text) in zip(table.rows, items, strict=True):
        _put(row.cells[0], label, bold=True, size=10.5)
        _put(row.cells[1], text, size=10.5, left=True)


def save(doc: Any, path: Path) -> None:
    doc.save(str(path))
