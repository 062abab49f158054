"""Imports against files shaped like the real ones (tests/data/interchange/): nothing is lost without being named.

The LRMX samples are written the way the official 任免表编辑器 and the public readers of the format show it
(UTF-8 with `standalone`, CRLF, CDATA 简历, Version 3.2.1.16, the photo as base64 wrapped every 76
characters, 学历 as 大学, 学位 as 经济学学士, 民主党派 in 入党时间); the people in them are invented.
Each case of issue 14 is named in its test.
"""

import datetime as dt
import shutil

import defusedxml.ElementTree as ET
import openpyxl
from plainyaml import yaml_of

from conftest import AS_OF, PROJECT, cadre_file

DATA = PROJECT / "tests" / "data" / "interchange"
UNIT = "caizheng"


def imported(project, cadres, name, *extra):
    """Import a form as a clerk does, from a folder of their own: the to-do list is written beside the form,
    never into this checkout's test data."""
    form = project.parent / "forms" / name
    form.parent.mkdir(exist_ok=True)
    shutil.copy(DATA / name, form)
    status, lines, err = cadres(project, "import", "lrmx", str(form), "--unit", UNIT, *extra)
    return status, lines, err


def new_record(project, name):
    for path in sorted((project / "registry/cadres" / UNIT).glob("*.yaml")):
        data = yaml_of(path.read_text(encoding="utf-8"))
        if data["name"] == name:
            return data
    raise AssertionError(f"{name} was not written")


def test_case_1_and_3_every_resume_form_is_read_and_the_current_post_kept(project, cadres):
    _status, lines, err = imported(project, cadres, "wang-resume-forms.lrmx")
    assert "王建国（cai-0008）：新建" in lines, (lines, err)
    resume = new_record(project, "王建国")["resume"]
    assert [(r["from"], r.get("to")) for r in resume] == [
        ("2007-07", "2010-12"),
        ("2011-01", "2014-06"),  # 2011.1—2014.6: single-digit months, an em dash
        ("2014-07", "2016-06"),  # 201407－201606: yyyyMM, a full-width hyphen
        ("2016-07", "2019-08"),  # ~
        ("2019-09", "2022-05"),  # 至
        ("2022-06", None),  # --至今: the current post, open
    ]
    assert resume[1]["post"] == "区财政局预算科副科长（其间：2012.09--2013.01在中共合肥市委党校中青年干部培训班学习）"
    assert resume[-1]["post"] == "区财政局预算科科长（一级主任科员）"


def test_case_3_a_resume_line_that_cannot_be_read_is_named_and_nothing_is_written(project, cadres, tmp_path):
    bad = tmp_path / "bad.lrmx"
    text = (DATA / "wang-resume-forms.lrmx").read_text(encoding="utf-8")
    bad.write_text(text.replace("2016.07~2019.08 区财政局国库科科长", "2016年夏天起 区财政局国库科科长"), "utf-8")
    before = sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir())
    status, lines, _ = cadres(project, "import", "lrmx", str(bad), "--unit", UNIT)
    assert status == 1 and any("简历第 5 行「2016年夏天起 区财政局国库科科长」看不懂" in ln for ln in lines), lines
    assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before


def test_case_4_and_6_assessments_schools_and_the_forms_wording_of_education(project, cadres):
    imported(project, cadres, "wang-resume-forms.lrmx")
    data = new_record(project, "王建国")
    assert data["assessments"] == [
        {"year": 2021, "grade": "称职"},
        {"year": 2022, "grade": "称职"},
        {"year": 2023, "grade": "优秀"},
    ]
    assert data["education"]["full_time"] == {  # the form's 经济学学士 keeps its discipline: it is a 学士
        "level": "大学本科",
        "degree": "经济学学士",
        "school": "安徽大学经济学院财政学专业",
    }
    assert data["education"]["in_service"] == {
        "level": "研究生",
        "degree": "公共管理硕士",
        "school": "中共安徽省委党校经济管理专业",
    }


def test_case_4_a_partly_read_assessment_is_named(project, cadres, tmp_path):
    path = tmp_path / "partly.lrmx"
    text = (DATA / "wang-resume-forms.lrmx").read_text(encoding="utf-8")
    path.write_text(text.replace("2023年度考核优秀。", "2023年度考核优秀，2024年度考核待定。"), "utf-8")
    _, lines, _ = cadres(project, "import", "lrmx", str(path), "--unit", UNIT, "--dry-run")
    assert any("「2024年度考核待定」没有看出年度和等次，这部分未导入" in ln for ln in lines), lines


def test_case_5_democratic_parties_in_the_party_column(project, cadres):
    imported(project, cadres, "li-minmeng.lrmx")
    li = new_record(project, "李文静")
    assert li["political_status"] == "民盟盟员" and "party_joined" not in li
    _status, lines, _ = imported(project, cadres, "zhao-dual.lrmx")
    zhao = new_record(project, "赵立新")
    assert (zhao["political_status"], zhao["party_joined"]) == ("中共党员", "2001-06")
    assert any("另为民盟盟员，记录只有一个政治面貌，保存为中共党员" in ln for ln in lines), lines
    assert not any("None" in ln for ln in lines)


def test_case_7_a_wrapped_photo_is_read_and_a_stored_photo_exported(project, cadres, tmp_path):
    import base64

    policy = project / "registry/policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("photos_allowed: false", "photos_allowed: true"))
    imported(project, cadres, "wang-resume-forms.lrmx")
    data = new_record(project, "王建国")
    photo = (project / "registry/cadres" / UNIT / data["photo"]).read_bytes()
    assert photo.startswith(b"\xff\xd8\xff") and photo.endswith(b"\xff\xd9")  # every wrapped line read
    record = cadre_file(project, "cai-0001")
    (record.parent / "cai-0001.jpg").write_bytes(photo)
    record.write_text(record.read_text(encoding="utf-8").replace("employment:", "photo: cai-0001.jpg\nemployment:"))
    out = tmp_path / "back.lrmx"
    status, _, err = cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    assert status == 0, err
    assert base64.b64decode(ET.parse(out).getroot().findtext("ZhaoPian")) == photo


def test_case_10_export_is_written_as_real_files_are(project, cadres, tmp_path):
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    root = ET.parse(out).getroot()
    assert root.findtext("Version") == "3.2.1.16"
    lines = root.findtext("JianLi").splitlines()  # CRLF in the file; XML reads line ends as LF
    assert all(line[16:18] == "  " and line[18] != " " for line in lines), lines  # the 16-character date column
    assert lines[-1].startswith("2022.06--       " + "  ")
    assert root.findtext("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi") == "南京大学金融学专业"
    data = yaml_of(cadre_file(project, "cai-0001").read_text(encoding="utf-8"))
    shown = root.findtext("NianDuKaoHeJieGuo").split("；")
    assert len(shown) == min(3, len(data["assessments"])) and str(data["assessments"][-1]["year"]) in shown[-1]
    # and it comes back unchanged: nothing to write
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 0 and "孙杰（cai-0001）：不变" in lines and "已写入 0 个记录文件。" in lines


def test_case_4_a_changed_school_string_replaces_school_and_major_only_when_asked(project, cadres, tmp_path):
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    out.write_text(out.read_text(encoding="utf-8").replace("南京大学金融学专业", "南京大学商学院金融学专业"), "utf-8")
    before = cadre_file(project, "cai-0001").read_bytes()
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 1 and "  【删除】专业: 删除 金融学" in lines, lines
    assert "  毕业院校: 南京大学 → 南京大学商学院金融学专业" in lines
    assert cadre_file(project, "cai-0001").read_bytes() == before  # nothing written
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT, "--allow-removal")
    assert status == 0 and "已写入 1 个记录文件。" in lines


def test_dry_run_says_what_would_change_and_writes_nothing(project, cadres, tmp_path):
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    out.write_text(out.read_text(encoding="utf-8").replace("<JianKangZhuangKuang>健康", "<JianKangZhuangKuang>良好"))
    before = cadre_file(project, "cai-0001").read_bytes()
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT, "--dry-run")
    assert status == 0 and lines[-3:] == [
        "  健康状况: 健康 → 良好",
        "将新建 0 人，修改 1 人，不变 0 人。",
        "试运行（--dry-run）：什么也没有写入。",
    ]
    assert cadre_file(project, "cai-0001").read_bytes() == before


def test_case_12_an_old_lrm_file_is_refused_by_name(project, cadres):
    shutil.copy(DATA / "chen-old.lrm", project.parent / "chen-old.lrm")
    status, lines, _ = cadres(project, "import", "lrmx", str(project.parent / "chen-old.lrm"), "--unit", UNIT)
    assert status == 1
    assert any("是任免审批表 2.0 的 .lrm 文件" in ln and "另存为 .lrmx" in ln for ln in lines), lines


# -- the Excel template ------------------------------------------------------------------------


def rows_of(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["干部信息"]
    return wb, ws, [c.value for c in ws[1]]


def test_case_2_a_deleted_column_leaves_its_field_alone(project, cadres, template):
    wb, ws, header = rows_of(template)
    for name in ("联系电话", "熟悉专业有何专长"):
        ws.delete_cols(header.index(name) + 1)
        header = [c.value for c in ws[1]]
    wb.save(template)
    before = {p.name: p.read_bytes() for p in (project / "registry/cadres" / UNIT).glob("*.yaml")}
    status, lines, _ = cadres(project, "import", "xlsx", str(template), "--unit", UNIT)
    assert status == 0 and "已写入 0 个记录文件。" in lines, lines
    assert {p.name: p.read_bytes() for p in (project / "registry/cadres" / UNIT).glob("*.yaml")} == before


def test_case_1_and_8_the_current_post_and_dates_a_spreadsheet_made(project, cadres, template):
    wb, ws, header = rows_of(template)
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "cai-0005")
    resume = row[header.index("简历")].value.splitlines()
    resume[-1] = resume[-1].split("--")[0] + "--至今  " + resume[-1].split("  ", 1)[1].split("  〔")[0]
    row[header.index("简历")].value = "\n".join(resume)
    year, month = (int(x) for x in resume[-1].split("--")[0].split("."))  # the current post's month (R12)
    row[header.index("任现职时间")].value = dt.datetime(year, month, 1)  # a retyped month, made a date by Excel
    row[header.index("参加工作时间")].value = 2007.09  # typed into a General cell
    wb.save(template)
    _status, lines, _ = cadres(project, "import", "xlsx", str(template), "--unit", UNIT, "--allow-removal")
    data = yaml_of(cadre_file(project, "cai-0005").read_text(encoding="utf-8"))
    assert data["employment"]["post_since"] == f"{year}-{month:02d}" and data["work_started"] == "2007-09", lines
    assert not data["resume"][-1].get("to") and not data["resume"][-1]["post"].startswith("今")


def test_case_8_an_ambiguous_month_number_is_named(project, cadres, template):
    wb, ws, header = rows_of(template)
    ws.cell(row=2, column=header.index("参加工作时间") + 1).value = 2007.1  # 2007.10 as Excel keeps it
    wb.save(template)
    status, lines, _ = cadres(project, "import", "xlsx", str(template), "--unit", UNIT)
    assert status == 1 and any("可能是 2007 年 1 月，也可能是 10 月" in ln for ln in lines), lines


def test_template_dates_and_numbers_are_text_columns(template):
    _, ws, header = rows_of(template)
    for name in ("身份证号", "出生年月", "任现职时间"):
        column = openpyxl.utils.get_column_letter(header.index(name) + 1)
        assert ws.column_dimensions[column].number_format == "@", name


def test_a_value_that_looks_like_a_formula_is_written_as_text(project, cadres, tmp_path):
    path = cadre_file(project, "cai-0001")
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("健康状况", "健康状况")
        .replace("health: 健康", 'health: "=HYPERLINK(\\"http://x.example/\\",\\"点我\\")"'),
        encoding="utf-8",
    )
    out = tmp_path / "t.xlsx"
    status, _, err = cadres(project, "export", "xlsx", "--template", "--unit", UNIT, "--output", str(out))
    assert status == 0, err
    _, ws, header = rows_of(out)
    cell = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "cai-0001")[header.index("健康状况")]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)


def test_case_9_a_rewritten_record_keeps_its_schema_line_and_an_unchanged_one_is_not_written(project, cadres, tmp_path):
    record = cadre_file(project, "cai-0001")
    head = "# yaml-language-server: $schema=../../../schemas/json/cadre.schema.json\n# 2026 年核对\n"
    record.write_text(head + record.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    before = record.read_bytes()
    cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert record.read_bytes() == before  # no change, not written
    out.write_text(out.read_text(encoding="utf-8").replace("<JianKangZhuangKuang>健康", "<JianKangZhuangKuang>良好"))
    status, _lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert (
        status == 0
        and record.read_text(encoding="utf-8").startswith(head)
        and "health: 良好" in record.read_text(encoding="utf-8")
    )


# -- a unit's own roster (case 11) ---------------------------------------------------------------


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕"


def real_roster(path, people=30):
    """A 名册 as an office keeps it: a merged title row and a subtitle above the header, Sheet1, the usual
    headers plus 备注 and one this program does not know, dates as numbers, real date cells, text and full-width
    text, a blank row and the header repeated where a printed page began."""
    from generator.core.numbers import id_check_char

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = ["序号", "姓名", "性别", "民族", "出生年月", "籍贯", "入党时间", "参加工作时间", "学历学位"]
    header += ["毕业院校及专业", "现任职务", "任现职时间", "公民身份号码", "家庭住址", "备注"]
    ws.append(["区财政局科级后备干部名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(
        ["填报单位（盖章）：区财政局", None, None, None, None, None, None, None, None, "填报日期：2026年11月20日"]
    )
    ws.append([])
    ws.append(header)
    for i in range(people):
        if i == 12:
            ws.append([])  # a blank row
        if i == 20:
            ws.append(header)  # the header again, where the printed page began
        year, month = 1980 + i % 12, 1 + i % 12
        sex = "男" if i % 2 else "女"
        born = [float(f"{year}.{month:02d}") if month != 10 else f"{year}.10", dt.datetime(year, month, 1)]
        born += [
            f"{year}.{month:02d}",
            f"{year}．{month:02d}".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        ]
        first17 = f"340104{year}{month:02d}150{i % 10}{(i % 5) * 2 + (1 if sex == '男' else 0)}"
        ws.append(
            [
                i + 1,
                SURNAMES[i] + GIVEN[i],
                sex,
                "汉族",
                born[i % 4],
                "安徽合肥",
                "九三学社" if i == 5 else f"{year + 22}.06",
                f"{year + 22}.07",
                "大学本科 学士" if i % 3 else "研究生 硕士",
                "安徽大学 经济学",
                f"区财政局{'预算' if i % 2 else '国库'}科副科长",
                dt.datetime(2022, 1 + i % 12, 1),
                first17 + id_check_char(first17),
                "合肥市蜀山区某街道",
                "拟推荐" if i % 7 == 0 else None,
            ]
        )
    wb.save(path)


def test_case_11_a_real_roster_goes_in_with_one_command_and_a_to_do_list(project, cadres, tmp_path):
    path = tmp_path / "财政局名册.xlsx"
    real_roster(path)
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--dry-run")
    assert status == 0 and "将新建 30 人，修改 0 人，不变 0 人。" in lines, (lines, err)
    assert "注意：财政局名册.xlsx：N列「家庭住址」没有对应的字段，未导入" in lines
    assert "注意：财政局名册.xlsx：O列「备注」有 5 行填了内容，未导入（记录中没有这一栏，或由区委组织部填写）" in lines
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT)
    assert status == 1 and "已写入 30 个记录文件。" in lines, (lines, err)
    assert "财政局名册-待补充.csv" in lines[-1]
    people = {d["name"]: d for d in (new_record(project, SURNAMES[i] + GIVEN[i]) for i in range(30))}
    first = people["王伟"]
    assert first["birth"] == "1980-01" and first["work_started"] == "2002-07" and first["party_joined"] == "2002-06"
    assert first["employment"]["post_since"] == "2022-01" and first["education"]["full_time"]["level"] == "研究生"
    assert people["刘敏"]["birth"] == "1983-04"  # written in full-width digits
    assert people["杨丽"]["political_status"] == "九三学社社员" and "party_joined" not in people["杨丽"]
    assert all(d["id_number"].startswith("ENC[age,") for d in people.values())  # sealed as it was written
    todo = (tmp_path / "财政局名册-待补充.csv").read_text(encoding="utf-8-sig").splitlines()
    assert todo[0] == "编号,姓名,字段,问题,怎么改,文件,行"
    assert {row.split(",")[1] for row in todo[1:]} == set(people)  # everyone has something left to fill in
    assert not any(d["id_number"] in "\n".join(todo) for d in people.values())


def test_case_11_this_programs_own_roster_comes_back_unchanged(project, cadres, tmp_path):
    path = tmp_path / "名册.xlsx"
    status, _, err = cadres(project, "export", "xlsx", "--audience", "zuzhibu", "--as-of", AS_OF, "--output", str(path))
    assert status == 0, err
    status, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--dry-run")
    assert status == 0, (lines, err)
    changed = [ln for ln in lines if ln.endswith(("：修改", "：新建"))]
    assert changed == [], lines
    assert any(ln.endswith("：不变") for ln in lines)


def test_case_6_a_value_no_code_table_knows_never_replaces_a_good_one(project, cadres, tmp_path):
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("<QuanRiZhiJiaoYu_XueLi>大学本科", "<QuanRiZhiJiaoYu_XueLi>函授大学"), "utf-8")
    before = cadre_file(project, "cai-0001").read_bytes()
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 1 and "孙杰（cai-0001）：不写入" in lines, lines
    assert any(
        ln.startswith("  【不写入】导入后学历学位·全日制教育·学历: 「函授大学」不在《学历》代码表") for ln in lines
    ), lines
    assert cadre_file(project, "cai-0001").read_bytes() == before
    out.write_text(text.replace("<QuanRiZhiJiaoYu_XueLi>大学本科", "<QuanRiZhiJiaoYu_XueLi>大学"), "utf-8")
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 0 and "孙杰（cai-0001）：不变" in lines  # 大学, as the form writes it, is 大学本科


def test_case_5_a_democratic_party_member_is_exported_by_party_and_comes_back_unchanged(project, cadres, tmp_path):
    record = yaml_of(cadre_file(project, "cai-0007").read_text(encoding="utf-8"))
    out = tmp_path / "cai-0007.lrmx"
    status, _, err = cadres(project, "export", "lrmx", "cai-0007", "--as-of", AS_OF, "--output", str(out))
    assert status == 0, err
    assert ET.parse(out).getroot().findtext("RuDangShiJian") == record["political_status"]
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 0 and f"{record['name']}（cai-0007）：不变" in lines, lines


def test_case_9_a_changed_record_keeps_its_comments_order_and_quoting(project, cadres, tmp_path):
    record = cadre_file(project, "cai-0001")
    original = record.read_text(encoding="utf-8")
    edited = "# yaml-language-server: $schema=../../../schemas/json/cadre.schema.json\n" + original.replace(
        "native_place: 安徽庐江", "native_place: '安徽庐江'  # 以档案为准"
    ).replace("health: 健康", "health: 健康   # 2026 年体检").replace(
        "ethnicity: 汉族", "ethnicity: 汉族\n# 下面是出生地"
    )
    record.write_text(edited, encoding="utf-8")
    out = tmp_path / "cai-0001.lrmx"
    cadres(project, "export", "lrmx", "cai-0001", "--as-of", AS_OF, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("<XianRenZhiWu>区财政局副局长", "<XianRenZhiWu>区财政局副局长（正科级）"), "utf-8")
    status, lines, _ = cadres(project, "import", "lrmx", str(out), "--unit", UNIT)
    assert status == 0 and "  现任职务: 区财政局副局长 → 区财政局副局长（正科级）" in lines, lines
    after = record.read_text(encoding="utf-8").splitlines()
    before = edited.splitlines()
    assert len(after) == len(before)
    assert [(b, a) for b, a in zip(before, after, strict=True) if a != b] == [
        ("  post: 区财政局副局长", "  post: 区财政局副局长（正科级）")
    ]


def test_a_form_imported_again_or_twice_in_a_batch_or_with_a_padded_name_is_the_same_person(project, cadres):
    """Issue 23, point 1: a new person from a form is an incomplete record, and the next import of the same form
    (as the refusal itself advises) made the same person again; so did the form twice in one batch and a name
    padded with a full-width space."""
    _, lines, err = imported(project, cadres, "wang-resume-forms.lrmx")
    assert "王建国（cai-0008）：新建" in lines, (lines, err)
    before = sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir())
    _, lines, err = imported(project, cadres, "wang-resume-forms.lrmx")
    assert "王建国（cai-0008）：不变" in lines and not any("新建" in ln for ln in lines if "：" in ln), lines
    forms = project.parent / "forms"
    text = (DATA / "wang-resume-forms.lrmx").read_text(encoding="utf-8")
    (forms / "padded.lrmx").write_text(
        text.replace("<XingMing>王建国</XingMing>", "<XingMing>王\u3000建国</XingMing>"), "utf-8"
    )
    (forms / "again.lrmx").write_text(text, "utf-8")
    _, lines, err = cadres(
        project, "import", "lrmx", str(forms / "padded.lrmx"), str(forms / "again.lrmx"), "--unit", UNIT
    )
    assert not any(ln.endswith("：新建") for ln in lines), (lines, err)
    assert "注意：padded.lrmx：姓名「王\u3000建国」中的空格已去掉，按「王建国」导入" in lines  # said, not silent
    assert sorted(p.name for p in (project / "registry/cadres" / UNIT).iterdir()) == before
    assert new_record(project, "王建国")["id"] == "cai-0008"


def test_a_roster_imported_again_changes_no_one_and_under_another_unit_copies_no_one(project, cadres, tmp_path):
    """Issue 23, point 1: the 30 incomplete people of a roster were made again on every import (30 more 新建);
    under the wrong --unit the same people were copied into that unit."""
    path = tmp_path / "财政局名册.xlsx"
    real_roster(path)
    _, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT)
    assert "已写入 30 个记录文件。" in lines, (lines, err)
    files = sorted(p.as_posix() for p in (project / "registry/cadres").rglob("*.yaml"))
    _, lines, err = cadres(project, "import", "roster", str(path), "--unit", UNIT, "--dry-run")
    assert "将新建 0 人，修改 0 人，不变 30 人。" in lines, (lines, err)
    _, lines, err = cadres(project, "import", "roster", str(path), "--unit", "fagai", "--dry-run")
    refused = [ln for ln in lines if "这个人已在名册中另一个单位的记录里，不能由「fagai」导入" in ln]
    assert len(refused) == 30 and not any("将新建" in ln and "将新建 0 人" not in ln for ln in lines), lines
    assert sorted(p.as_posix() for p in (project / "registry/cadres").rglob("*.yaml")) == files
