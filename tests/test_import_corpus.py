"""Issue 23, points 2 to 4: files as other people's software and clerks make them, never written by this project.

A 名册 with a two-row merged header (全日制教育 / 在职教育 over 学历学位 and 毕业院校系及专业), 政治面貌 and
入党时间 in two columns, hidden rows, a 合计 and a 填表人 line, padded names, a numeric and a lowercase 身份证号,
WPS text dates, Excel's `_x000D_`; and tests/data/interchange/zhou-real-form.lrmx, a 任免审批表 as the official
software writes one (a sanction in 奖惩情况, 经济学学士, 学位「无」, 中央党校大学, a 简历 that starts at university
and shares months between lines, a post starting with 12345, 〔借调〕, full-width digits, a no-break space in the
name, a lowercase x). Each value is kept as given or named: nothing is changed or lost without a word.
"""

import os
import shutil
import stat

import openpyxl
import pytest
from plainyaml import yaml_of

from generator.core.numbers import id_check_char

from conftest import AS_OF, AS_OF_DATE, PROJECT, cadre_file, plain, validate_lines

DATA = PROJECT / "tests" / "data" / "interchange"
UNIT = "caizheng"


def number(birth: str, seq: int, male: bool) -> str:
    first17 = f"340104{birth.replace('-', '')}150{seq % 10}{(seq % 5) * 2 + male}"
    return first17 + id_check_char(first17)


def clerks_roster(path, extra_rows=()):
    """区财政局's roster as a clerk built it in WPS: a merged title, a two-row header, rows as people type them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["区财政局科级后备干部名册"])
    ws.merge_cells("A1:M1")
    ws.append(["序号", "姓名", "性别", "出生年月", "政治面貌", "入党时间", "全日制教育", None, "在职教育", None])
    ws.append([None, None, None, None, None, None, "学历学位", "毕业院校系及专业", "学历学位", "毕业院校系及专业"])
    for column in "ABCDEF":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("G2:H2")
    ws.merge_cells("I2:J2")
    ws["K2"], ws["L2"], ws["M2"] = "现任职务", "身份证号", "参加工作时间"
    for column in "KLM":
        ws.merge_cells(f"{column}2:{column}3")
    rows = [
        # name, sex, birth, status, joined, full-time, school, in-service, school, post, id, work
        ["林　芳", "女", "1986.05", "民盟盟员", "2012.06", "大学本科\n学士", "安徽大学 法学", None, None],
        ["郑  强", "男", "198703", "中共预备党员", "2025.09", "大学本科 经济学学士", "安徽财经大学 财政学"],
        ["许丽", "女", "1988年06月", "群众", None, "研究生\n硕士", "南京大学 会计学", "中央党校大学", "中央党校"],
        ["韩磊", "男", "1984-11", "中共党员", "2006-05", "大学本科 学士", "合肥工业大学 管理学"],
    ]
    posts = [
        "区财政局预算科_x000D_副科长",
        "区财政局国库科\u00a0副科长",
        "区财政局会计科副科长",
        "区财政局综合科副科长",
    ]
    for i, row in enumerate(rows):
        row += [None] * (9 - len(row))
        birth = "1986-05" if i == 0 else "1987-03" if i == 1 else "1988-06" if i == 2 else "1984-11"
        male = row[1] == "男"
        id_text = number(birth, i, male).lower()
        ws.append([i + 1, *row, posts[i], id_text, f"{int(birth[:4]) + 22}.07"])
    ws.append([5, "马军", "男", "1983.02", "中共党员", "2004.06", "大学本科 学士", "安徽大学 历史学"])
    ws.row_dimensions[ws.max_row].hidden = True  # someone who left, kept out of sight
    ws.append([])
    ws.append(["合计", "4人"])
    ws.append(["填表人：张某", None, None, None, None, None, None, None, None, None, "审核人：李某"])
    for row in extra_rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text: what a clerk sees is =1+2
    wb.save(path)


def dry_run(project, cadres, path, *extra):
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--dry-run", *extra)
    assert "Traceback" not in err, err
    return status, lines


def test_a_clerks_roster_keeps_every_value_as_given_or_names_it(project, cadres, tmp_path):
    path = tmp_path / "财政局名册.xlsx"
    clerks_roster(path)
    status, lines = dry_run(project, cadres, path)
    assert status == 0 and "将新建 4 人，修改 0 人，不变 0 人。" in lines, lines
    said = "\n".join(lines)
    # 政治面貌 and 入党时间 are two columns: each kept, the conflict named
    assert "入党时间「2012-06」未导入：政治面貌是「民盟盟员」" in said
    # the hidden row, the 合计 and the 填表人 lines are named and never people
    assert "Sheet1!第 8 行（马军）是隐藏行，未导入" in said
    assert "Sheet1!第 10 行「合计」不是人员" in said and "Sheet1!第 11 行「填表人：张某」不是人员" in said
    # every new person is itemised, field by field, before anything is written
    assert "  学历学位·全日制教育·学位: 学士" in lines and "  学历学位·全日制教育·学历: 大学本科" in lines
    assert "学历「中央党校大学」按「大学本科」保存" in said
    assert "身份证号: 已填写（加密保存）" in said
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT)
    assert "已写入 4 个记录文件。" in lines, (lines, err)
    people = {d["name"]: d for d in records(project) if d["name"] in ("林芳", "郑强", "许丽", "韩磊")}
    assert set(people) == {"林芳", "郑强", "许丽", "韩磊"}  # names without their padding
    assert people["林芳"]["political_status"] == "民盟盟员" and "party_joined" not in people["林芳"]
    assert people["郑强"]["political_status"] == "中共预备党员" and people["郑强"]["party_joined"] == "2025-09"
    assert people["许丽"]["political_status"] == "群众"
    assert people["林芳"]["education"] == {
        "full_time": {"level": "大学本科", "degree": "学士", "school": "安徽大学", "major": "法学"}
    }
    assert people["郑强"]["education"]["full_time"]["degree"] == "经济学学士"  # the discipline kept
    assert people["许丽"]["education"] == {
        "full_time": {"level": "研究生", "degree": "硕士", "school": "南京大学", "major": "会计学"},
        "in_service": {"level": "大学本科", "school": "中央党校"},
    }
    assert people["郑强"]["birth"] == "1987-03" and people["许丽"]["birth"] == "1988-06"  # 198503, WPS text
    assert people["林芳"]["employment"]["post"] == "区财政局预算科副科长"  # _x000D_: a line break, joined
    assert people["郑强"]["employment"]["post"] == "区财政局国库科 副科长"  # no-break space as a space
    assert plain(people["韩磊"]["id_number"]).endswith("X") or plain(people["韩磊"]["id_number"]).isdigit()
    assert all(plain(d["id_number"]) == plain(d["id_number"]).upper() for d in people.values())
    status, lines = dry_run(project, cadres, path)
    assert "将新建 0 人，修改 0 人，不变 4 人。" in lines, lines  # idempotent


def records(project):
    return [yaml_of(p.read_text(encoding="utf-8")) for p in (project / "registry/cadres" / UNIT).glob("*.yaml")]


def test_a_roster_refusal_names_file_sheet_row_and_column(project, cadres, tmp_path):
    path = tmp_path / "名册.xlsx"
    clerks_roster(
        path, [[6, "宋洋", "男", 32874, "中共党员", "2004.06", None, None, None, None, "科员", 3.40104198301151e17]]
    )
    status, lines = dry_run(project, cadres, path)
    assert status == 1
    assert any(
        ln.startswith("名册.xlsx:Sheet1!第 12 行（宋洋） D列「出生年月」：") and "Excel 的日期序列号" in ln
        for ln in lines
    ), lines
    assert any(
        ln.startswith("名册.xlsx:Sheet1!第 12 行（宋洋） L列「身份证号」：") and "被 Excel 当成了数字" in ln
        for ln in lines
    ), lines


def test_a_roster_over_the_limits_is_refused(project, cadres, tmp_path, monkeypatch):
    from generator.interchange import cells

    path = tmp_path / "大名册.xlsx"
    clerks_roster(path, [[6, "宋洋", "男", "1983.02", None, None, None, None, None, None, "科员" * 6000]])
    status, lines = dry_run(project, cadres, path)
    assert status == 1 and any("超过上限 10000 个字" in ln and "K列「现任职务」" in ln for ln in lines), lines
    path = tmp_path / "太多.xlsx"
    monkeypatch.setattr(cells, "MAX_ROWS", 40)  # the limit made small: the test writes 41 rows, not 5,001
    clerks_roster(path, [[n, f"人{n}"] for n in range(41)])
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--dry-run")
    assert status != 0 and "超过一次导入的上限 40 行" in err + "\n".join(lines)


def test_an_old_xls_workbook_gets_one_line_saying_to_save_it_as_xlsx(project, cadres, tmp_path):
    for fmt in ("roster", "xlsx"):
        path = tmp_path / "名册.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        status, lines, err = cadres(project, "import", fmt, str(path), "--unit", UNIT)
        assert status != 0 and "旧版 Excel 97-2003 工作簿（.xls）" in err + "\n".join(lines), (lines, err)
        assert "另存为" in err + "\n".join(lines)


def test_the_to_do_list_goes_where_asked_is_formula_safe_and_a_read_only_folder_is_said_first(
    project, cadres, tmp_path
):
    path = tmp_path / "名册.xlsx"
    clerks_roster(path, [[6, "=1+2", "男", "1983.02"]])
    status, lines = dry_run(project, cadres, path)
    assert any("「=1+2」不是人员" in ln for ln in lines)  # a formula is not a name
    clerks_roster(path)
    before = sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir())
    status, lines, err = cadres(
        project, "import", "roster", str(path), "--unit", UNIT, "--todo", str(tmp_path / "no-such-folder" / "t.csv")
    )
    assert status == 1 and any("不能写入（只读或不存在）" in ln and "什么也没有写入" in ln for ln in lines), (
        lines,
        err,
    )
    assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before
    if os.geteuid() != 0:  # root writes anywhere: a read-only folder stops everyone else
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            status, lines, err = cadres(
                project, "import", "roster", str(path), "--unit", UNIT, "--todo", str(locked / "todo.csv")
            )
        finally:
            locked.chmod(stat.S_IRWXU)
        assert status == 1 and any("不能写入" in ln for ln in lines), (lines, err)
        assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before
    todo = tmp_path / "lists" / "todo.csv"
    todo.parent.mkdir()
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--todo", str(todo))
    assert status == 1 and str(todo) in lines[-1], (lines, err)
    assert not (tmp_path / "名册-待补充.csv").exists()
    rows = todo.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) > 1 and not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.split(","))


def test_the_to_do_list_writes_a_formula_like_value_as_text():
    from generator.core.findings import ERROR, Finding
    from generator.interchange.importing import todo_list

    finding = Finding("registry/cadres/x/x-0001.yaml", 3, 1, ERROR, "S01", "籍贯", "native_place", "=HYPERLINK(1)", "+")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        target = todo_list([finding], {finding.path: {"id": "x-0001", "name": "@王"}}, Path(folder) / "t.csv")
        row = target.read_text(encoding="utf-8-sig").splitlines()[1]
    assert row.startswith("x-0001,'@王,籍贯,'=HYPERLINK(1),'+,")


# -- a 任免审批表 as the official software writes one ------------------------------------------------------


def import_form(project, cadres, tmp_path, text=None, *extra):
    form = tmp_path / "forms" / "zhou-real-form.lrmx"
    form.parent.mkdir(exist_ok=True)
    if text is None:
        shutil.copy(DATA / form.name, form)
    else:
        form.write_text(text, encoding="utf-8")
    status, lines, err = cadres(project, "import", "lrmx", str(form), "--unit", UNIT, *extra)
    assert "Traceback" not in err, err
    return status, lines


def zhou(project):
    return next(d for d in records(project) if d["name"] == "周晓梅")


def test_a_real_form_goes_in_faithfully_and_passes_the_records_own_checks(project, cadres, tmp_path):
    _, lines = import_form(project, cadres, tmp_path)
    assert "周晓梅（cai-0008）：新建" in lines, lines
    assert "注意：zhou-real-form.lrmx：<ZaiZhiJiaoYu_XueLi>：学历「中央党校大学」按「大学本科」保存" in lines
    data = zhou(project)
    assert data["rewards_punishments"] == [
        {"date": "2019-12", "kind": "奖励", "text": "被评为全区优秀共产党员"},
        {"date": "2024-03", "kind": "惩戒", "text": "因履职不力受到政务警告处分"},
    ]
    assert data["education"]["full_time"]["degree"] == "经济学学士"
    assert data["education"]["in_service"] == {"level": "大学本科", "school": "中央党校函授学院经济管理专业"}
    assert [r["from"] for r in data["resume"]] == ["2004-09", "2008-07", "2012-06", "2016-03", "2021-05"]
    assert data["resume"][2] == {"from": "2012-06", "to": "2016-03", "post": "区政务服务中心综合科副科长〔借调〕"}
    assert data["resume"][-1] == {"from": "2021-05", "post": "12345政务服务便民热线工作专班负责人（正科级）"}
    assert plain(data["id_number"]).endswith("X")
    _, found = validate_lines(cadres, project, str(cadre_file(project, data["id"])))
    assert not any("[R12]" in ln for ln in found), found  # shared months and the university line are the convention
    _, lines = import_form(project, cadres, tmp_path)
    assert "周晓梅（cai-0008）：不变" in lines, lines
    from generator.interchange.lrmx import form_values

    said = form_values(data, AS_OF_DATE)["JiangChengQingKuang"]  # what the next form prints: never 「无」
    assert said == "2019年12月被评为全区优秀共产党员；2024年3月因履职不力受到政务警告处分"


def test_a_form_with_an_empty_id_number_updates_the_same_person(project, cadres, tmp_path):
    import_form(project, cadres, tmp_path)
    text = (DATA / "zhou-real-form.lrmx").read_text(encoding="utf-8")
    _, lines = import_form(
        project, cadres, tmp_path, text.replace("<ShenFenZheng>34010419860412158x", "<ShenFenZheng>")
    )
    assert "周晓梅（cai-0008）：不变" in lines and not any(ln.endswith("：新建") for ln in lines), lines


def test_a_truncated_form_is_called_truncated(project, cadres, tmp_path):
    raw = (DATA / "zhou-real-form.lrmx").read_bytes()
    cut = raw[: raw.index("区政务服务中心".encode()) + 4]  # inside a character
    form = tmp_path / "cut.lrmx"
    form.write_bytes(cut)
    status, lines, _ = cadres(project, "import", "lrmx", str(form), "--unit", UNIT)
    assert status == 1 and any("cut.lrmx 不完整" in ln and "没有复制或下载完" in ln for ln in lines), lines
    form.write_bytes(raw[: raw.index(b"<JianLi>")])  # cut between elements
    status, lines, _ = cadres(project, "import", "lrmx", str(form), "--unit", UNIT)
    assert status == 1 and any("cut.lrmx 不完整" in ln for ln in lines), lines


def test_an_update_that_would_break_a_valid_record_is_not_written(project, cadres, tmp_path):
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    before = cadre_file(project, "cai-0001").read_bytes()
    out.write_text(text.replace("2011.01--2017.08", "2010.06--2017.08"), encoding="utf-8")  # overlaps the line above
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 1 and "孙杰（cai-0001）：不写入" in lines, lines
    assert any("【不写入】导入后简历第2条·起始时间: 起始时间「2010-06」与上一条重叠" in ln for ln in lines), lines
    assert cadre_file(project, "cai-0001").read_bytes() == before


def test_the_template_completes_an_incomplete_record_by_its_number(project, cadres, tmp_path):
    import_form(project, cadres, tmp_path)
    path = tmp_path / "template.xlsx"
    status, _, err = cadres(project, "export", "xlsx", "--template", "--unit", UNIT, "--output", str(path))
    assert status == 0, err
    wb = openpyxl.load_workbook(path)
    ws = wb["干部信息"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[headers.index("编号")].value == "cai-0008")  # listed
    assert row[headers.index("姓名")].value == "周晓梅"
    row[headers.index("现职级")].value = "正科级"
    wb.save(path)
    status, lines, err = cadres(project, "import", "xlsx", str(path), "--unit", UNIT, "--dry-run")
    assert "周晓梅（cai-0008）：修改" in lines and not any(ln.endswith("：新建") for ln in lines), (lines, err)
    assert "  现任职情况·现职级: （空） → 正科级" in lines or any("正科级" in ln for ln in lines), lines
    assert not any("【删除】" in ln for ln in lines), lines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021.05--       12345政务服务便民热线", [{"from": "2021-05", "post": "12345政务服务便民热线"}]),
        ("2019.03--       12380举报中心", [{"from": "2019-03", "post": "12380举报中心"}]),
        ("2021.05--今山街道办事处", [{"from": "2021-05", "post": "今山街道办事处"}]),
        ("2021.05--今  区委办", [{"from": "2021-05", "post": "区委办"}]),
        ("２０１６．０３--２０２１．０５  区委办", [{"from": "2016-03", "to": "2021-05", "post": "区委办"}]),
        ("2016.03--2021.05  区委办〔借调〕", [{"from": "2016-03", "to": "2021-05", "post": "区委办〔借调〕"}]),
        (
            "2016.03--2021.05  区委办〔副科级，中层〕",
            [{"from": "2016-03", "to": "2021-05", "post": "区委办", "rank": "副科级", "middle_management": True}],
        ),
        (
            "2016.03--2021.05  区委办\u00a0科员_x000D_\n2021.06--  区政府办",
            [{"from": "2016-03", "to": "2021-05", "post": "区委办 科员"}, {"from": "2021-06", "post": "区政府办"}],
        ),
    ],
)
def test_the_resume_reader_keeps_the_post_whole(text, expected):
    from generator.interchange.resume import read

    assert read(text, ("科员", "副科级", "正科级")) == (expected, [])


def test_the_same_person_twice_is_found_among_incomplete_records_too(edits):
    """X17 read only complete records: an incomplete copy of a person (a new person an import made twice) went
    unseen. A padded name is the same name."""
    edits.write("registry/cadres/fagai/fag-0099.yaml", 'id: fag-0099\nname: "孙\u3000杰"\nbirth: "1985-09"\nsex: 男\n')
    found = [f for f in edits.findings() if f.code == "X17"]
    assert {f.path for f in found} == {"registry/cadres/fagai/fag-0099.yaml", "registry/cadres/caizheng/cai-0001.yaml"}
    assert all("出生年月相同（1985-09）" in f.message for f in found)


# -- what an attack on the importers found (issue 23, review) -----------------------------------------------


def roster(path, header, rows, merge=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def test_the_same_person_twice_in_one_roster_is_refused_naming_the_first(project, cadres, tmp_path):
    path = roster(
        tmp_path / "r.xlsx",
        ["姓名", "性别", "出生年月", "现任职务"],
        [["孙杰", "男", "1985.09", "区财政局副局长"], ["孙 杰", "男", "1985.09", "区财政局局长"]],
    )
    status, lines = dry_run(project, cadres, path)
    assert status == 1 and any(
        "第 3 行（孙 杰）：与第 2 行是同一人（cai-0001）：同一人在一次导入中只能出现一次" in ln for ln in lines
    ), lines


def test_a_roster_without_birth_months_matches_by_name_within_the_unit(project, cadres, tmp_path):
    path = roster(tmp_path / "r.xlsx", ["姓名", "性别", "民族", "现任职务"], [["孙杰", "男", "汉族", "区财政局副局长"]])
    status, lines = dry_run(project, cadres, path)
    assert status == 0 and "孙杰（cai-0001）：不变" in lines, lines


@pytest.mark.parametrize(
    "header, rows, merge, said",
    [
        (  # two columns for one field: one would silently replace the other
            ["姓名", "性别", "出生年月", "手机", "电话"],
            [["孙杰", "男", "1985.09", "13900001111", "0551-62345678"]],
            (),
            "D列「手机」和E列「电话」是同一栏",
        ),
        (  # a person of another unit, by the 单位 column: a problem, not a note
            ["姓名", "性别", "出生年月", "单位"],
            [["新人甲", "男", "1990.01", "区科学技术局"]],
            (),
            "第 2 行（新人甲）：单位是「区科学技术局」，不是「区财政局」；这一行未导入",
        ),
        (  # a row with values and no name
            ["姓名", "性别", "出生年月"],
            [[None, "男", "1990.01"]],
            (),
            "第 2 行：姓名是空的，其他栏有内容",
        ),
        (  # 单位 merged down two rows: both rows are of it, and both are refused
            ["姓名", "性别", "出生年月", "单位"],
            [["新人己", "男", "1990.01", "区科学技术局"], ["新人庚", "女", "1991.02", None]],
            ("D2:D3",),
            "第 3 行（新人庚）：单位是「区科学技术局」",
        ),
        (  # a malformed number, said without its digits
            ["姓名", "性别", "出生年月", "身份证号"],
            [["新人乙", "男", "1990.01", "12345"]],
            (),
            "第 2 行（新人乙）：身份证号应为 18 位",
        ),
    ],
)
def test_a_roster_row_that_cannot_be_taken_as_given_is_refused_by_name(
    project, cadres, tmp_path, header, rows, merge, said
):
    path = roster(tmp_path / "r.xlsx", header, rows, merge)
    before = sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir())
    status, lines, _ = cadres(project, "import", "roster", str(path), "--unit", UNIT)
    assert status == 1 and any(said in ln for ln in lines), lines
    assert not any("12345" in ln for ln in lines)
    assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before


def test_a_short_unit_name_a_remark_after_a_name_and_a_level_typed_with_its_degree(project, cadres, tmp_path):
    path = roster(
        tmp_path / "r.xlsx",
        ["姓名", "性别", "出生年月", "单位", "学历学位", "毕业院校及专业"],
        [["王芳（挂职）", "女", "1990.01", "财政局", "大学本科学士", "南京大学 金融学"]],
    )
    status, lines = dry_run(project, cadres, path)
    assert status == 0 and "王芳（cai-0008）：新建" in lines, lines
    assert any("姓名后的「（挂职）」不是姓名的一部分，未导入" in ln for ln in lines)
    assert "  学历学位·全日制教育·学历: 大学本科" in lines and "  学历学位·全日制教育·学位: 学士" in lines
    # the record's own school and major, written without the space, is no change
    path = roster(
        tmp_path / "r2.xlsx",
        ["姓名", "性别", "出生年月", "毕业院校及专业"],
        [["孙杰", "男", "1985.09", "南京大学金融学"]],
    )
    status, lines = dry_run(project, cadres, path)
    assert status == 0 and "孙杰（cai-0001）：不变" in lines, lines


def test_with_the_key_the_same_name_and_month_with_another_number_is_refused(project, cadres, tmp_path):
    other = number("1985-09", 7, True)  # valid, and not 孙杰's
    path = roster(tmp_path / "r.xlsx", ["姓名", "性别", "出生年月", "身份证号"], [["孙杰", "男", "1985.09", other]])
    status, lines = dry_run(project, cadres, path)
    assert status == 1 and any("姓名和出生年月与本单位的 cai-0001 相同，身份证号却不同" in ln for ln in lines), lines
    assert not any(other in ln for ln in lines)


def test_without_the_key_a_number_the_record_holds_stays_as_it_is_and_that_is_said(
    project, cadres, tmp_path, monkeypatch
):
    import_form(project, cadres, tmp_path)
    before = cadre_file(project, "cai-0008").read_bytes()
    monkeypatch.delenv("CADRES_AGE_IDENTITY_FILE")
    _, lines = import_form(project, cadres, tmp_path)
    assert "周晓梅（cai-0008）：不变" in lines, lines
    assert "  注意：身份证号保持记录中的号码：本机没有解密密钥，无法核对表中的号码是否与它相同；" in "\n".join(lines)
    assert cadre_file(project, "cai-0008").read_bytes() == before  # the ciphertext is not rewritten


def test_template_rows_without_a_number_are_matched_and_a_number_twice_is_refused(project, cadres, template):
    wb = openpyxl.load_workbook(template)
    ws = wb["干部信息"]
    headers = [c.value for c in ws[1]]
    first = [c.value for c in ws[2]]
    copy = list(first)
    copy[headers.index("编号")] = None
    copy[headers.index("姓名")] = first[headers.index("姓名")][0] + "\u3000" + first[headers.index("姓名")][1:]
    ws.append(copy)  # the same person again, no 编号, the name padded
    ws.append(first)  # and the same 编号 again
    wb.save(template)
    status, lines, _ = cadres(project, "import", "xlsx", str(template), "--unit", UNIT, "--dry-run")
    cadre = first[headers.index("编号")]
    said = "\n".join(lines)
    assert status == 1 and f"与第 2 行是同一人（{cadre}）" in said, lines
    assert f"编号「{cadre}」与第 2 行重复" in said
    assert not any(ln.endswith("：新建") for ln in lines)


@pytest.mark.parametrize(
    "change, said",
    [
        (
            lambda text: text.replace("<XingMing>周\u00a0晓梅</XingMing>", "<XingMing></XingMing>"),
            "<XingMing>（姓名）是空的",
        ),
        (lambda text: text[: len(text) // 2], "不完整：文件在 <"),
    ],
)
def test_a_form_without_a_name_or_cut_in_half_is_refused(project, cadres, tmp_path, change, said):
    text = (DATA / "zhou-real-form.lrmx").read_text(encoding="utf-8")
    status, lines = import_form(project, cadres, tmp_path, change(text))
    assert status == 1 and any(said in ln for ln in lines), lines


def test_an_office_file_given_as_a_form_is_named(project, cadres, tmp_path):
    form = tmp_path / "old.lrmx"
    form.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    status, lines, _ = cadres(project, "import", "lrmx", str(form), "--unit", UNIT)
    assert status == 1 and any("old.lrmx 是Excel 或 Word 文件" in ln for ln in lines), lines


def test_todo_given_a_folder_is_refused_before_anything_is_written(project, cadres, tmp_path):
    path = tmp_path / "名册.xlsx"
    clerks_roster(path)
    before = sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir())
    status, lines, _ = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--todo", str(tmp_path))
    assert status == 1 and any("是一个文件夹；什么也没有写入" in ln for ln in lines), lines
    assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "2019年12月被评为全区优秀公务员，2021年3月受到诫勉谈话",
            [("2019-12", "奖励", "被评为全区优秀公务员"), ("2021-03", "惩戒", "受到诫勉谈话")],
        ),
        ("2022年5月被评为全区执纪问责工作先进个人", [("2022-05", "奖励", "被评为全区执纪问责工作先进个人")]),
        ("2024年3月因履职不力受到政务警告处分。", [("2024-03", "惩戒", "因履职不力受到政务警告处分")]),
        ("2023年1月调往某局", []),  # neither: named, not guessed
    ],
)
def test_rewards_and_punishments_sentence_by_sentence(text, expected):
    from generator.interchange.lrmx import _rewards

    notes: list = []
    assert [(r["date"], r["kind"], r["text"]) for r in _rewards(text, notes)] == expected
    assert bool(notes) == (not expected)


@pytest.mark.parametrize(
    "text, years",
    [
        ("2021至2023年度考核均为称职", [2021, 2022, 2023]),
        ("2021年至2023年度考核均为称职", [2021, 2022, 2023]),
        ("2021、2022年度考核均为称职，2023年度考核优秀。", [2021, 2022, 2023]),
    ],
)
def test_assessment_ranges_keep_their_middle_years(text, years):
    from generator.interchange.lrmx import _assessments

    assert [a["year"] for a in _assessments(text, [])] == years
