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
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from generator.core import dates

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
    "JiangChengQingKuang": "奖惩情况",
    "RenMianLiYou": "任免理由",
    "JiaTingChengYuan": "家庭成员",
    "ChengBaoDanWei": "呈报单位",
    "TianBiaoShiJian": "填表时间",
    "TianBiaoRen": "填表人",
    "ZhaoPian": "照片",
}
GRADES = "优秀|基本称职|称职|不称职|基本合格|合格|不合格|不定等次"
ASSESSMENT = re.compile(rf"(\d{{4}})\s*年(?:度)?\s*(?:年度考核|考核)?\s*(?:结果)?\s*(?:为|被评为|确定为)?\s*({GRADES})")
RESUME = re.compile(r"^\s*(\d{4})\.(\d{2})\s*-{1,2}\s*(?:(\d{4})\.(\d{2}))?\s+(.+?)\s*$")


class LrmxError(Exception):
    """The file cannot be taken: said in Chinese, naming the file."""


def _yyyymm(text: str | None) -> str:
    return text[:4] + text[5:7] if text else ""


def _from_yyyymm(text: str | None) -> str | None:
    text = (text or "").strip().replace(".", "")
    if not text:
        return None
    if not re.fullmatch(r"\d{6}(\d{2})?", text) or dates.parse(f"{text[:4]}-{text[4:6]}") is None:
        raise ValueError(text)
    return f"{text[:4]}-{text[4:6]}"


def _school(part: dict | None) -> str:
    return " ".join(x for x in ((part or {}).get("school"), (part or {}).get("major")) if x)


# -- out ---------------------------------------------------------------------------------------


def export(data: dict, as_of: _dt.date, unit_name: str = "") -> bytes:
    """One record as an .lrmx file (UTF-8, the official element order)."""
    edu = data["education"]
    full, part = edu.get("full_time") or {}, edu.get("in_service") or {}
    values = {
        "XingMing": data["name"],
        "XingBie": data["sex"],
        "ChuShengNianYue": _yyyymm(data["birth"]),
        "MinZu": data["ethnicity"],
        "JiGuan": data["native_place"],
        "ChuShengDi": data.get("birthplace", ""),
        "RuDangShiJian": _yyyymm(data.get("party_joined")),
        "CanJiaGongZuoShiJian": _yyyymm(data["work_started"]),
        "JianKangZhuangKuang": data["health"],
        "ZhuanYeJiShuZhiWu": "",
        "ShuXiZhuanYeYouHeZhuanChang": data.get("expertise", ""),
        "QuanRiZhiJiaoYu_XueLi": full.get("level", ""),
        "QuanRiZhiJiaoYu_XueWei": full.get("degree", ""),
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": _school(full),
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "ZaiZhiJiaoYu_XueLi": part.get("level", ""),
        "ZaiZhiJiaoYu_XueWei": part.get("degree", ""),
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": _school(part),
        "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "XianRenZhiWu": data["employment"]["post"],
        "NiRenZhiWu": "",
        "NiMianZhiWu": "",
        "JianLi": "\r\n".join(
            f"{r['from'][:4]}.{r['from'][5:7]}--"
            f"{(r['to'][:4] + '.' + r['to'][5:7]) if r.get('to') else ''}  {r['post']}"
            for r in data["resume"]
        ),
        "JiangChengQingKuang": "；".join(f"{r['date'][:4]}年{r['text']}" for r in data.get("rewards_punishments") or [])
        or "无",
        "NianDuKaoHeJieGuo": "；".join(f"{a['year']}年度考核{a['grade']}" for a in data.get("assessments") or []),
        "RenMianLiYou": "",
        "JiaTingChengYuan": None,
        "ChengBaoDanWei": unit_name,
        "JiSuanNianLingShiJian": as_of.strftime("%Y%m%d"),
        "TianBiaoShiJian": as_of.strftime("%Y%m%d"),
        "TianBiaoRen": "",
        "ShenFenZheng": data.get("id_number", ""),
        "ZhaoPian": "",
        "Version": "1.0",
    }
    root = Element("Person")
    for name in ORDER:
        element = SubElement(root, name)
        if values[name]:
            element.text = values[name]
    return b'<?xml version="1.0" encoding="UTF-8"?>\r\n' + tostring(root, encoding="utf-8")


# -- in ------------------------------------------------------------------------------------------


def parse(raw: bytes, name: str) -> tuple[dict, list[str]]:
    """(the fields a .lrmx file gives, what it holds that has no field), or LrmxError."""
    head = raw[:200].decode("ascii", "replace").lower()
    declared = re.search(r'encoding=["\']([\w-]+)', head)
    if declared and declared[1] not in ("utf-8", "utf8"):
        raise LrmxError(
            f"{name} 的编码是 {declared[1].upper()}，本系统只读 UTF-8 的 .lrmx；"
            "请在任免审批表软件中重新导出，或用记事本“另存为 UTF-8”后再导入"
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LrmxError(f"{name} 不是 UTF-8 编码（可能是 GB2312/GBK）；请另存为 UTF-8 后再导入") from None
    try:
        root = SafeET.fromstring(raw)
    except DefusedXmlException:
        raise LrmxError(f"{name} 含有实体定义或外部引用（可能是恶意构造的文件），已拒绝读取") from None
    except SafeET.ParseError as exc:
        raise LrmxError(f"{name} 不是完整的 XML（{exc}）；文件可能已损坏") from None
    if root.tag != "Person":
        raise LrmxError(f"{name} 的根元素是 <{root.tag}>，不是任免审批表的 <Person>")
    nested = [child.tag for child in root if child.tag in ORDER and child.tag not in LABELS and len(child)]
    if nested:  # a field's element holds text; elements inside it would silently be read as nothing
        raise LrmxError(
            f"{name} 中 {'、'.join(f'<{t}>' for t in nested)} 里有下级元素，应只有文字；"
            "文件可能不是任免审批表软件导出的，已拒绝读取"
        )
    text = {child.tag: (child.text or "").strip() for child in root}
    missing = [tag for tag in REQUIRED if tag not in text]
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
        data = _fields(text)
    except ValueError as exc:
        raise LrmxError(f"{name} 中的日期「{exc}」看不懂：应写成 yyyyMM，如 198509") from None
    grades = text.get("NianDuKaoHeJieGuo", "")
    if grades and not data.get("assessments"):
        notes.append(f"<NianDuKaoHeJieGuo>「{grades}」中没有看出年度和等次，年度考核未导入")
    photo = text.get("ZhaoPian")
    if photo:
        try:
            data["_photo"] = base64.b64decode(photo, validate=True)
        except ValueError:
            notes.append("<ZhaoPian>（照片）不是有效的 base64，未导入")
    return data, notes


def _summary(element: Element) -> str:
    if len(element):
        return f"{len(element)} 项（{'、'.join((item.findtext('ChengWei') or item.tag) for item in element)}）"
    text = (element.text or "").strip()
    return text if len(text) <= 40 else text[:40] + "……"


def _fields(text: dict) -> dict:
    def edu(prefix: str) -> dict:
        part = {"level": text.get(f"{prefix}_XueLi", ""), "degree": text.get(f"{prefix}_XueWei", "")}
        school = text.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", "")
        if school:
            first, _, rest = school.partition(" ")
            part.update(school=first, major=rest)
        return {k: v for k, v in part.items() if v}

    resume = []
    for line in re.split(r"\r\n|\n|\r", text.get("JianLi", "")):
        m = RESUME.match(line)
        if m:
            item = {"from": f"{m[1]}-{m[2]}"}
            if m[3]:
                item["to"] = f"{m[3]}-{m[4]}"
            item["post"] = m[5]
            resume.append(item)
    data = {
        "name": text["XingMing"],
        "sex": text["XingBie"],
        "birth": _from_yyyymm(text["ChuShengNianYue"]),
        "ethnicity": text["MinZu"],
        "native_place": text["JiGuan"],
        "birthplace": text.get("ChuShengDi") or None,
        "party_joined": _from_yyyymm(text.get("RuDangShiJian")),
        "work_started": _from_yyyymm(text["CanJiaGongZuoShiJian"]),
        "health": text.get("JianKangZhuangKuang") or None,
        "id_number": text.get("ShenFenZheng") or None,
        "expertise": text.get("ShuXiZhuanYeYouHeZhuanChang") or None,
        "post": text.get("XianRenZhiWu") or None,
        "education": {
            k: v for k, v in (("full_time", edu("QuanRiZhiJiaoYu")), ("in_service", edu("ZaiZhiJiaoYu"))) if v
        },
        "resume": resume,
        "assessments": [{"year": int(y), "grade": g} for y, g in ASSESSMENT.findall(text.get("NianDuKaoHeJieGuo", ""))],
    }
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def merge(existing: dict | None, fields: dict, unit: str) -> dict:
    """A record from what a .lrmx gives: an update of `existing` (the same 身份证号), or a new record's start."""
    from generator.interchange.excel import merge_resume

    data: dict[str, Any] = dict(existing) if existing else {"employment": {"unit": unit}}
    for key in (
        "name",
        "sex",
        "ethnicity",
        "native_place",
        "birthplace",
        "party_joined",
        "work_started",
        "health",
        "id_number",
        "expertise",
    ):
        if key in fields:
            data[key] = fields[key]
    if "birth" in fields and not (existing and existing.get("birth", "")[:7] == fields["birth"]):
        data["birth"] = fields["birth"]  # a day already known stays
    if fields.get("post"):
        data["employment"] = {**data.get("employment", {}), "post": fields["post"]}
    if fields.get("education"):
        data["education"] = {
            part: {**(data.get("education", {}).get(part) or {}), **value}
            for part, value in fields["education"].items()
        }
    if fields.get("resume"):
        data["resume"] = merge_resume(data.get("resume"), fields["resume"])
    if fields.get("assessments"):
        years = {a["year"]: a for a in data.get("assessments") or []}
        years.update({a["year"]: a for a in fields["assessments"]})
        data["assessments"] = [years[y] for y in sorted(years)]
    return data
