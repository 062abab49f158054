"""The 干部任免审批表 interchange file (.lrmx): a record out, and records in.

The format (records.md): UTF-8 XML, root <Person>, elements in a fixed order,
dates as yyyyMM, 简历 one line per entry ('yyyy.MM--yyyy.MM  text', CRLF).
Import maps the elements onto record fields and reports every element that
has no field (family members, photo, 拟任/拟免职务…): nothing is dropped
silently. Files are parsed with defusedxml, which refuses entity expansion
(XML bombs) and external entities.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from generator.core import dates
from generator.core.errors import CadresError
from generator.interchange.cells import clean, digits, id_number
from generator.interchange.resume import read as read_resume
from generator.registry.records import Cadre, ResumeLine

ORDER = (
    "XingMing",
    "XingBie",
    "ChuShengNianYue",
    "MinZu",
    "JiGuan",
    "ChuShengDi",
    "RuDangShiJian",
    "CanJiaGongZuoShiJian",
    "JianKangZhuangKuang",
    "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi",
    "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi",
    "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu",
    "NiRenZhiWu",
    "NiMianZhiWu",
    "JianLi",
    "JiangChengQingKuang",
    "NianDuKaoHeJieGuo",
    "RenMianLiYou",
    "JiaTingChengYuan",
    "ChengBaoDanWei",
    "JiSuanNianLingShiJian",
    "TianBiaoShiJian",
    "TianBiaoRen",
    "ShenFenZheng",
    "ZhaoPian",
    "Version",
)
REQUIRED = ("XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "CanJiaGongZuoShiJian", "JianLi")
LABELS = {
    "ZhuanYeJiShuZhiWu": "专业技术职务",
    "NiRenZhiWu": "拟任职务",
    "NiMianZhiWu": "拟免职务",
    "RenMianLiYou": "任免理由",
    "JiaTingChengYuan": "家庭成员",
    "ChengBaoDanWei": "呈报单位",
    "TianBiaoShiJian": "填表时间",
    "TianBiaoRen": "填表人",
    "ZhaoPian": "照片",
}
GRADES = "优秀|基本称职|称职|不称职|基本合格|合格|不合格|不定等次"
# one or more years (2021、2022年), then their grade: 2021、2022年度考核均为称职
ASSESSMENTS = re.compile(
    rf"((?:\d{{4}}\s*年?\s*[、,，和及至\-—－~～]\s*)*\d{{4}})\s*年(?:度)?\s*(?:年度考核|考核)?\s*(?:结果)?\s*"
    rf"(?:均|都)?\s*(?:为|被评为|确定为|评为)?\s*({GRADES})(?:等次)?"
)


class LrmxError(CadresError):
    """The file cannot be taken: said in Chinese, naming the file."""


class ResumeError(ValueError):
    """简历 lines that cannot be read: the file is not taken, rather than a shorter 简历 written."""


def _yyyymm(text: str | None) -> str:
    return text[:4] + text[5:7] if text else ""


def _from_yyyymm(text: str | None) -> str | None:
    text = digits(text or "").strip().replace(".", "")
    if not text:
        return None
    if not re.fullmatch(r"\d{6}(\d{2})?", text) or dates.parse(f"{text[:4]}-{text[4:6]}") is None:
        raise ValueError(text)
    return f"{text[:4]}-{text[4:6]}"


def school_line(part: Mapping[str, Any] | None) -> str:
    """院校系及专业 as the form writes it: one string, 南京大学金融学专业 (an import compares a file's with it)."""
    school, major = (part or {}).get("school", ""), (part or {}).get("major", "")
    return f"{school}{major}{'专业' if major and not major.endswith('专业') else ''}"


def _resume_line(entry: ResumeLine) -> str:
    """One 简历 line as the official software writes it: the dates in a 16-character column, two spaces, the post
    (an open end is `2022.06--` and seven spaces)."""
    to = f"{entry['to'][:4]}.{entry['to'][5:7]}" if entry.get("to") else ""
    return f"{entry['from'][:4]}.{entry['from'][5:7]}--{to}".ljust(16) + f"  {entry['post']}"


PARTS = {"full_time": "QuanRiZhiJiaoYu", "in_service": "ZaiZhiJiaoYu"}  # education's parts, as elements name them
SHOWN_YEARS = 3  # the form shows the last three years' assessments
VERSION = "3.2.1.16"  # what the official 任免表编辑器 writes in files of this form


# -- out ---------------------------------------------------------------------------------------


def export(data: Cadre, as_of: _dt.date, unit_name: str = "", photo: bytes | None = None) -> bytes:
    """One record as an .lrmx file (UTF-8, the official element order), with its photo when one is stored."""
    values = form_values(data, as_of, unit_name)
    values["ZhaoPian"] = base64.b64encode(photo).decode() if photo else ""
    root = Element("Person")
    for name in ORDER:
        element = SubElement(root, name)
        if values[name]:
            element.text = values[name]
    return b'<?xml version="1.0" encoding="UTF-8"?>\r\n' + tostring(root, encoding="utf-8")


def form_values(data: Cadre, as_of: _dt.date, unit_name: str = "") -> dict:
    """The 干部任免审批表's fields of one record, by their LRMX names: what the .lrmx file and the Word form hold."""
    edu = data["education"]
    full: Mapping[str, Any] = edu.get("full_time") or {}
    part: Mapping[str, Any] = edu.get("in_service") or {}
    values = {
        "XingMing": data["name"],
        "XingBie": data["sex"],
        "ChuShengNianYue": _yyyymm(data["birth"]),
        "MinZu": data["ethnicity"],
        "JiGuan": data["native_place"],
        "ChuShengDi": data.get("birthplace", ""),
        # a CPC member's date; a 民主党派 by its name, as the forms write it (none for 群众)
        "RuDangShiJian": _yyyymm(data.get("party_joined"))
        or ("" if data.get("political_status") in (None, "群众") else data["political_status"]),
        "CanJiaGongZuoShiJian": _yyyymm(data["work_started"]),
        "JianKangZhuangKuang": data["health"],
        "ZhuanYeJiShuZhiWu": "",
        "ShuXiZhuanYeYouHeZhuanChang": data.get("expertise", ""),
        "QuanRiZhiJiaoYu_XueLi": full.get("level", ""),
        "QuanRiZhiJiaoYu_XueWei": full.get("degree", ""),
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": school_line(full),
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "ZaiZhiJiaoYu_XueLi": part.get("level", ""),
        "ZaiZhiJiaoYu_XueWei": part.get("degree", ""),
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": school_line(part),
        "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "XianRenZhiWu": data["employment"]["post"],
        "NiRenZhiWu": "",
        "NiMianZhiWu": "",
        "JianLi": "\r\n".join(_resume_line(r) for r in data["resume"]),
        "JiangChengQingKuang": "；".join(
            f"{r['date'][:4]}年{int(r['date'][5:7])}月{r['text']}" for r in data.get("rewards_punishments") or []
        )
        or "无",
        "NianDuKaoHeJieGuo": "；".join(
            f"{a['year']}年度考核{a['grade']}" for a in (data.get("assessments") or [])[-SHOWN_YEARS:]
        ),
        "RenMianLiYou": "",
        "JiaTingChengYuan": None,
        "ChengBaoDanWei": unit_name,
        "JiSuanNianLingShiJian": as_of.strftime("%Y%m%d"),
        "TianBiaoShiJian": as_of.strftime("%Y%m%d"),
        "TianBiaoRen": "",
        "ShenFenZheng": data.get("id_number", ""),
        "ZhaoPian": "",
        "Version": VERSION,
    }
    return values


# -- in ------------------------------------------------------------------------------------------


def parse(raw: bytes, name: str, codes: dict | None = None) -> tuple[dict, list[str]]:
    """(the values a .lrmx file gives, in the record's shape, with its 院校系及专业 strings as `schools` and its
    photo as `_photo`; what it holds that has no field or was only partly read), or LrmxError.

    `codes` (the registry's code tables) maps the form's wording of 学历, 学位 and 民主党派 onto the tables."""
    root = _xml_root(raw, name)
    if root.tag != "Person":
        raise LrmxError(f"{name} 的根元素是 <{root.tag}>，不是任免审批表的 <Person>")
    nested = [child.tag for child in root if child.tag in ORDER and child.tag not in LABELS and len(child)]
    if nested:  # a field's element holds text; elements inside it would silently be read as nothing
        raise LrmxError(
            f"{name} 中 {'、'.join(f'<{t}>' for t in nested)} 里有下级元素，应只有文字；"
            "文件可能不是任免审批表软件导出的，已拒绝读取"
        )
    text = {child.tag: clean(child.text or "").strip() for child in root}
    missing = [tag for tag in REQUIRED if tag not in text]
    if not missing and not text["XingMing"]:
        raise LrmxError(f"{name} 的<XingMing>（姓名）是空的：请在任免审批表软件中填上姓名后重新导出")
    if missing:
        raise LrmxError(f"{name} 缺少元素 {'、'.join(f'<{t}>' for t in missing)}；请在任免审批表软件中补全后重新导出")
    notes = [
        f"<{child.tag}>（{LABELS[child.tag]}）没有对应的字段，未导入：{_summary(child)}"
        for child in root
        if child.tag in LABELS
        and child.tag != "ZhaoPian"
        and (len(child) or (child.text or "").strip() not in ("", "无"))
    ]
    notes += [f"<{tag}> 不是任免审批表的元素，未导入" for tag in text if tag not in ORDER]
    data: dict = {}
    try:
        data = _fields(text, codes or {}, notes)
    except ResumeError as exc:
        raise LrmxError(
            f"{name} 的<JianLi>中有读不懂的行，未导入（以免简历少了内容）：{'；'.join(exc.args[0])}"
        ) from None
    except ValueError as exc:
        raise LrmxError(
            f"{name} 中的「{exc}」看不懂：日期应写成 yyyyMM（如 198509），入党时间栏的民主党派写名称（如 民盟）"
        ) from None
    photo = re.sub(r"\s+", "", text.get("ZhaoPian", ""))  # Java's encoder wraps every 76 characters
    if photo:
        try:
            data["_photo"] = base64.b64decode(photo, validate=True)
        except ValueError:
            notes.append("<ZhaoPian>（照片）不是有效的 base64，未导入")
    return data, notes


def _xml_root(raw: bytes, name: str) -> Element:
    """The <Person> element tree of a .lrmx file's bytes, or LrmxError saying what the file is instead: the
    older .lrm, an Office file, another encoding, a file cut short, XML with entities."""
    if name.lower().endswith(".lrm") or raw[:1] == b'"':  # the 2.0 format: quoted values, comma-separated
        raise LrmxError(
            f"{name} 是任免审批表 2.0 的 .lrm 文件（GBK 编码、逗号分隔的文本，照片在同名的 .pic 文件里），"
            "不是 .lrmx：请用任免表编辑器打开它，另存为 .lrmx 后再导入"
        )
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or raw[:4] == b"PK\x03\x04":
        kind = "Excel 或 Word 文件（.xls/.doc/.xlsx/.docx）" if raw[:1] == b"\xd0" else "压缩包或 Office 文件"
        raise LrmxError(f"{name} 是{kind}，不是任免审批表 .lrmx；请用任免审批表软件导出 .lrmx 后再导入")
    head = raw[:200].decode("ascii", "replace").lower()
    declared = re.search(r'encoding=["\']([\w-]+)', head)
    if declared and declared[1] not in ("utf-8", "utf8"):
        raise LrmxError(
            f"{name} 的编码是 {declared[1].upper()}，本系统只读 UTF-8 的 .lrmx；"
            "请在任免审批表软件中重新导出，或用记事本“另存为 UTF-8”后再导入"
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a character: a file that did not arrive whole
            raise LrmxError(
                f"{name} 不完整：在第 {exc.start + 1} 个字节处中断（{len(raw)} 字节）；文件可能没有复制或下载完，"
                "请重新拷贝或从任免审批表软件中重新导出"
            ) from None
        raise LrmxError(f"{name} 不是 UTF-8 编码（可能是 GB2312/GBK）；请另存为 UTF-8 后再导入") from None
    try:
        root = SafeET.fromstring(raw)
    except DefusedXmlException:
        raise LrmxError(f"{name} 含有实体定义或外部引用（可能是恶意构造的文件），已拒绝读取") from None
    except SafeET.ParseError as exc:
        if b"</Person>" not in raw:  # the file ends before its last element closes: it did not arrive whole
            raise LrmxError(
                f"{name} 不完整：文件在 <{_last_tag(raw)}> 处中断（{len(raw)} 字节）；文件可能没有复制或下载完，"
                "请重新拷贝或从任免审批表软件中重新导出"
            ) from None
        raise LrmxError(f"{name} 不是完整的 XML（{exc}）；文件可能已损坏") from None
    return root


def _last_tag(raw: bytes) -> str:
    tags = re.findall(rb"<([A-Za-z_]+)", raw)
    return tags[-1].decode() if tags else "Person"


# 2024年3月因履职不力受到政务警告处分: a time, then what it was. 受到/给予… a sanction is a 惩戒, 被评为/荣获…
# a reward is a 奖励; a text that says neither is named, not guessed (执纪问责工作先进个人 is a reward)
REWARD_LINE = re.compile(r"((?:19|20)[0-9]{2})\s*(?:年\s*([0-9]{1,2})\s*月|[.\-/]([0-9]{1,2}))?\s*[，,]?\s*(.+)")
SANCTION = re.compile(
    r"(受到|给予|予以|被)(?!评)[^，。；]{0,12}(处分|警告|记过|降级|撤职|开除|诫勉|通报批评|组织处理|问责|停职检查|责令辞职)"
)
REWARD = re.compile(r"被评为|评为|荣获|获得|获评|记.{0,2}功|嘉奖|表彰|授予|先进|优秀")
ITEM_START = re.compile(r"[，,](?=\s*(?:19|20)[0-9]{2}\s*(?:年|[.\-/]))")  # 2019年…，2021年3月…: two items


def _rewards(text: str, notes: list[str]) -> list[dict]:
    """奖惩情况, one item per sentence: its month and text, and whether it is a 奖励 or a 惩戒. An item with no
    month (only a year, or no time at all) is said with its text: the record's 奖惩 has a month."""
    found = []
    sentences = (x.strip() for part in re.split(r"[；;。\n]+", digits(text)) for x in ITEM_START.split(part))
    for item in filter(None, sentences):
        if item in ("无", "没有", "-"):
            continue
        match = REWARD_LINE.fullmatch(item)
        month = match and (match[2] or match[3])
        if not match or not month or not 1 <= int(month) <= 12:
            notes.append(
                f"<JiangChengQingKuang>（奖惩情况）「{item}」没有写明年月，未导入：请在记录的奖惩情况中补上时间"
            )
            continue
        kind = "惩戒" if SANCTION.search(match[4]) else "奖励" if REWARD.search(match[4]) else None
        if kind is None:
            notes.append(f"<JiangChengQingKuang>（奖惩情况）「{item}」看不出是奖励还是惩戒，未导入：请在记录中补上")
            continue
        found.append({"date": f"{match[1]}-{int(month):02d}", "kind": kind, "text": match[4].strip()})
    return found


def _assessments(text: str, notes: list[str]) -> list[dict]:
    """2021、2022年度考核均为称职，2023年度考核优秀 → three years; what is left unread is noted with its text."""
    found, rest = [], text
    for match in ASSESSMENTS.finditer(text):
        for year in _years(match[1]):
            found.append({"year": year, "grade": match[2]})
        rest = rest.replace(match[0], "", 1)
    rest = re.sub(r"[\s，,；;。、]+", "", rest)
    if rest:
        notes.append(f"<NianDuKaoHeJieGuo>「{text}」中「{rest}」没有看出年度和等次，这部分未导入")
    return found


def _years(text: str) -> list[int]:
    """2021、2022 -> [2021, 2022]; 2021至2023 or 2021-2023 -> [2021, 2022, 2023] (a range keeps its middle)."""
    years: list[int] = []
    for part in re.split(r"[、,，和及]", text):
        ends = [int(y) for y in re.findall(r"[0-9]{4}", part)]
        years += list(range(ends[0], ends[-1] + 1)) if len(ends) == 2 and ends[0] < ends[1] else ends
    return years


def _party(text: str, codes: dict, notes: list[str]) -> tuple[str | None, str | None]:
    """(入党时间, 政治面貌) from <RuDangShiJian>: a date, a 民主党派 (民盟), or both (200106；民盟)."""
    joined, status = None, None
    for token in filter(None, (t.strip() for t in re.split(r"[；;，,、\s]+", text))):
        if re.fullmatch(r"\d{4}\.?\d{2}(\d{2})?", token):
            joined = _from_yyyymm(token)
            continue
        named = codes["political_status"].lookup(token) if "political_status" in codes else None
        if named is None:
            raise ValueError(token)
        if status is not None:
            notes.append(f"<RuDangShiJian>「{text}」中的「{token}」未导入：记录只有一个政治面貌")
        else:
            status = named
    if joined and status:  # a CPC member who is also in a 民主党派: the record keeps the CPC membership
        notes.append(f"<RuDangShiJian>「{text}」：另为{status}，记录只有一个政治面貌，保存为中共党员")
        status = None
    return joined, status


def _summary(element: Element) -> str:
    if len(element):
        return f"{len(element)} 项（{'、'.join((item.findtext('ChengWei') or item.tag) for item in element)}）"
    text = (element.text or "").strip()
    return text if len(text) <= 40 else text[:40] + "……"


def _fields(text: dict, codes: dict, notes: list[str]) -> dict:
    def coded(table: str, value: str) -> str:
        return (codes[table].lookup(value) if table in codes else None) or value  # else kept, and validation says so

    schools: dict[str, str] = {}

    def edu(prefix: str) -> dict:
        level, degree = text.get(f"{prefix}_XueLi", ""), text.get(f"{prefix}_XueWei", "")
        degree = "" if degree in ("无", "-", "—") else degree  # 学位「无」: no degree
        said = codes["education_level"].said(level) if level and "education_level" in codes else None
        if said:
            notes.append(f"<{prefix}_XueLi>：{said}")
        part = {"level": coded("education_level", level) if level else "", "degree": coded("degree", degree)}
        school = text.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", "")
        by_degree = text.get(f"{prefix}_XueWei_BiYeYuanXiaoXi", "")
        if by_degree and by_degree != school:
            if school:
                notes.append(
                    f"<{prefix}_XueWei_BiYeYuanXiaoXi>「{by_degree}」与学历的毕业院校不同，未导入：记录只有一个毕业院校"
                )
            else:
                school = by_degree
        if school:
            schools[prefix] = school  # taken against the record's own school and major (incoming.merge)
        return {k: v for k, v in part.items() if v}

    resume, unread = read_resume(text.get("JianLi", ""), codes["rank"].names() if "rank" in codes else ())
    if unread:
        raise ResumeError(unread)
    party = _party(text.get("RuDangShiJian", ""), codes, notes)
    education = {k: v for k, v in (("full_time", edu("QuanRiZhiJiaoYu")), ("in_service", edu("ZaiZhiJiaoYu"))) if v}
    data = {
        "name": text["XingMing"],
        "sex": text["XingBie"],
        "birth": _from_yyyymm(text["ChuShengNianYue"]),
        "ethnicity": text["MinZu"],
        "native_place": text["JiGuan"],
        "birthplace": text.get("ChuShengDi") or None,
        "party_joined": party[0],
        "political_status": party[1],
        "work_started": _from_yyyymm(text["CanJiaGongZuoShiJian"]),
        "health": text.get("JianKangZhuangKuang") or None,
        "id_number": id_number(text["ShenFenZheng"])[0] if text.get("ShenFenZheng") else None,
        "expertise": text.get("ShuXiZhuanYeYouHeZhuanChang") or None,
        "employment": {"post": text["XianRenZhiWu"]} if text.get("XianRenZhiWu") else None,
        "education": education,
        "schools": {part: schools[prefix] for part, prefix in PARTS.items() if prefix in schools},
        "resume": resume,
        "assessments": _assessments(text.get("NianDuKaoHeJieGuo", ""), notes),
        "rewards_punishments": _rewards(text.get("JiangChengQingKuang", ""), notes),
    }
    return {k: v for k, v in data.items() if v not in (None, [], {})}
