"""Checks across records and within a record, as a table of small named functions.

Each check's docstring is the rule it enforces. A check yields findings and
never raises for bad data; it runs only on files that passed their schema
(the identity checks excepted, which guard every value they read). The
codes: X.. for the registry's integrity, R12 for a record's own consistency
(policy.md); the policy's rules R01–R11 are in rules.py. The engine that runs
the table (Check, Context, run_checks: exceptions applied, conditions judged
then and now) is engine.py.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from generator.core import dates, numbers
from generator.core.findings import WARNING, Finding, may_hold_a_number
from generator.core.numbers import id_check_char, kind_in
from generator.registry import acts, codeowners, facts, sealed, vocabulary
from generator.registry.engine import GRADE_SCALE, Check, Context
from generator.registry.files import UNIT_REPOSITORY, Entry
from generator.registry.load import ITEM
from generator.registry.schema import texts_of
from generator.registry.vocabulary import FEMALE, IN_POOL, MALE

# -- identity: where a record lives and what it is called ---------------------


def x01_unique_cadre_ids(ctx: Context) -> Iterator[Finding]:
    """每名干部的编号唯一：两个文件不能用同一个编号。"""
    for cadre_id, entries in ctx.cadres.items():
        for entry in entries[1:]:
            yield ctx.finding(
                entry,
                ("id",),
                "X01",
                f"编号「{cadre_id}」已被 {entries[0].path} 使用",
                "编号一经确定不再改变，也不能重复；新记录请用 cadres new cadre 生成新编号",
            )


def x02_file_name_is_id(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """文件名就是编号：<编号>.yaml。"""
    cadre_id = entry.data.get("id")
    stem = entry.path.rsplit("/", 1)[-1][: -len(".yaml")]
    if isinstance(cadre_id, str) and cadre_id != stem:
        owner = next((e for e in ctx.cadres.get(cadre_id, []) if e.path.endswith(f"/{cadre_id}.yaml")), None)
        hint = (
            f"{cadre_id}.yaml 已用这个编号（本文件像是复制来的）：新记录请把 id 改为新编号（如文件名 {stem}），"
            "或用 cadres new cadre 生成"
            if owner is not None and owner is not entry
            else f"请把文件改名为 {cadre_id}.yaml（编号不要改）"
        )
        yield ctx.finding(entry, ("id",), "X02", f"编号「{cadre_id}」与文件名「{stem}.yaml」不一致", hint)


def x03_folder_is_unit(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """记录放在所在单位的文件夹里：cadres/<单位编号>/。"""
    employment = entry.data.get("employment")
    unit = employment.get("unit") if isinstance(employment, dict) else None
    folder = entry.path.split("/")[-2]
    if isinstance(unit, str) and unit != folder:
        yield ctx.finding(
            entry,
            ("employment", "unit"),
            "X03",
            f"所在单位是「{unit}」，文件却在 cadres/{folder}/ 里",
            f"调动的干部请用 git mv 把文件移到 registry/cadres/{unit}/（保留历史），或改正所在单位",
        )


def x04_cadre_unit_exists(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """所在单位必须在 units.yaml 中。"""
    unit = entry.data["employment"]["unit"]
    if ctx.units and unit not in ctx.units:
        yield ctx.finding(
            entry,
            ("employment", "unit"),
            "X04",
            f"单位编号「{unit}」不在 registry/units.yaml 中",
            "请核对单位编号；新设单位先在 units.yaml 中登记",
        )


def x08_nomination_file_exists(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """注明的民主推荐文件必须存在（单位仓库中只有本单位的推荐文件：其他单位的在区名册中核对，见 X26）。"""
    ref = entry.data["reserve"].get("nomination")
    if ref and _elsewhere(ctx, ref):
        return
    if ref and f"registry/nominations/{ref}.yaml" not in ctx.nomination_files:  # one with errors exists
        yield ctx.finding(
            entry,
            ("reserve", "nomination"),
            "X08",
            f"找不到推荐文件 registry/nominations/{ref}.yaml",
            "请核对年份和单位编号，或先提交本单位的民主推荐记录",
        )


def _elsewhere(ctx: Context, ref: str) -> bool:
    """A nomination of another unit, named in a unit repository: that file is the district's to check."""
    scope = ctx.registry.scope_unit
    return scope is not None and not ref.endswith(f"/{scope}")


def x26_checked_in_the_district(ctx: Context) -> Iterator[Finding]:
    """单位仓库中只有本单位的文件：引用其他单位文件之处（如调入人员原单位的推荐文件）不在这里核对，而是说明在区名册中核对。"""
    scope = ctx.registry.scope_unit
    if scope is None:
        return
    refs = sorted(
        {
            f"registry/nominations/{r}.yaml"
            for e in ctx.registry.cadres
            if e.data["employment"]["unit"] == scope and (r := e.data["reserve"].get("nomination"))
        }
    )
    elsewhere = [ref for ref in refs if _elsewhere(ctx, ref.removeprefix("registry/nominations/")[:-5])]
    if elsewhere:
        yield Finding(
            UNIT_REPOSITORY,
            1,
            1,
            WARNING,
            "X26",
            "",
            "",
            f"本单位仓库中没有 {'、'.join(elsewhere)}（调入人员原单位的文件）：对它们的核对不在这里运行",
            "这些核对在区名册仓库中进行（区委组织部导入本单位仓库时）；单位不用处理",
        )


def x09_specialties_from_policy(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """熟悉专业从政策列出的专业中选；其他专长写在“熟悉专业有何专长”里。"""
    if not ctx.specialties:
        return
    for i, name in enumerate(entry.data.get("specialties") or []):
        if name not in ctx.specialties:
            yield ctx.finding(
                entry,
                ("specialties", i),
                "X09",
                f"「{name}」不是政策列出的专业",
                f"可选：{'、'.join(sorted(ctx.specialties))}；其他专长请写在 expertise（熟悉专业有何专长）里",
            )


# -- a record's own consistency (R12) -----------------------------------------

# a 简历 line of study before work (大学学习, 学生, 读研): 参加工作时间 is not held to it
STUDY = re.compile(r"(学习|学生|读书|就读|求学|研究生|本科生|专科生|毕业)$|^在.*(大学|学院|学校).*(学习|就读)")


def x20_personal_numbers_sealed(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """身份证号和联系电话只以加密形式（ENC[age,…]）保存；没有密钥也核对密文的结构（age 头部、收件人数、号码长度），
    有密钥时，能解密，解密后格式正确，不是另一种号码。"""
    for name in ctx.sensitive:
        value = entry.data.get(name)
        if not isinstance(value, str) or not value:
            continue
        if not sealed.is_sealed(value):
            yield ctx.finding(
                entry,
                (name,),
                "X20",
                "以明文保存：个人号码提交到仓库前必须加密",
                f"运行 cadres encrypt {entry.path}（加密前会核对号码），再提交",
            )
            continue
        rules = ctx.registry.schemas.field_rules("cadre", (name,))
        problem = _ciphertext_problem(value, rules, ctx)
        if problem:
            yield ctx.finding(
                entry,
                (name,),
                "X20",
                problem,
                "请填写本人号码的明文，运行 cadres encrypt 重新加密；"
                "收件人数不对的，请区委组织部运行 cadres encrypt --rekey",
            )
        elif ctx.keys.available:
            try:
                plain = ctx.keys.open(value)
            except sealed.SealError as exc:
                yield ctx.finding(
                    entry,
                    (name,),
                    "X20",
                    str(exc),
                    "请区委组织部用 cadres encrypt --rekey 按 registry/recipients.txt 重新加密",
                )
                continue
            if re.fullmatch(rules["regex"].removesuffix("$"), plain) is None:
                yield ctx.finding(entry, (name,), "X20", "解密后格式不对", rules.get("meta", {}).get("hint", ""))
            elif name != "id_number" and numbers.valid_id(plain):  # 340104-19880312-0010 too
                yield ctx.finding(
                    entry,
                    (name,),
                    "X20",
                    "解密后是一个身份证号，不是这个字段的号码：密文多半是从身份证号字段复制来的",
                    "请填写本人号码的明文，运行 cadres encrypt 重新加密",
                )


def _ciphertext_problem(value: str, rules: dict, ctx: Context) -> str | None:
    """What is wrong with a ciphertext, read without the key (sealed.shape): None when nothing."""
    try:
        recipients, clear = sealed.shape(value)
    except sealed.SealError as exc:
        return str(exc)
    low, high = rules.get("meta", {}).get("clear_length", (1, 64))
    if not low <= clear <= high:
        expected = f"{low} 位" if low == high else f"{low}–{high} 位"
        return f"密文里的号码有 {clear} 位，这个字段的号码应是 {expected}：密文多半是从别的字段复制来的"
    try:
        expected_recipients = len(ctx.registry.recipients)
    except sealed.SealError:
        return None  # X21 says the recipients file is missing or broken
    if recipients != expected_recipients:
        return (
            f"密文加密给了 {recipients} 个收件人，{sealed.RECIPIENTS} 中有 {expected_recipients} 个公钥："
            "不是按现在的收件人加密的"
        )
    return None


def x20_ciphertexts_not_copied(ctx: Context) -> Iterator[Finding]:
    """每次加密的结果都不同：两处完全相同的密文，是从别人的记录或别的字段复制来的（两处都指出）。"""
    places: dict[bytes, list[tuple[Entry, str]]] = defaultdict(list)
    for entry in ctx.registry.of_kind("cadre", valid_only=False):
        for name in ctx.sensitive if isinstance(entry.data, dict) else ():
            value = entry.data.get(name)
            if isinstance(value, str) and sealed.is_sealed(value):
                try:
                    places[sealed.ciphertext(value)].append((entry, name))  # its bytes, however base64 spells them
                except sealed.SealError:
                    continue  # x20_personal_numbers_sealed says what is wrong with it
    for found in places.values():
        for entry, name in found if len(found) > 1 else ():
            others = "、".join(
                f"{e.path} 的{ctx.registry.schemas.label('cadre', (n,))}" for e, n in found if (e, n) != (entry, name)
            )
            yield ctx.finding(
                entry,
                (name,),
                "X20",
                f"密文与 {others}完全相同：每次加密的结果都不同，其中一处是复制来的",
                "请填写本人号码的明文，运行 cadres encrypt 重新加密",
            )


def x32_no_numbers_in_free_text(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """身份证号、手机号只写在加密的字段里；写进专长、简历、备注等文字里，就会以明文提交并显示在网站上。"""
    own = entry.own if entry.own is not None else entry.data
    if not may_hold_a_number(own):  # most records: no text to look at one by one
        return
    for path, text in texts_of(own):
        if entry.kind == "cadre" and path[0] in ctx.sensitive:
            continue
        kind = kind_in(text)
        if kind:
            yield ctx.finding(
                entry,
                path,
                "X32",
                f"文字里像是有{kind}：这段文字以明文保存，并显示在各读者的网站上",
                "请删去号码；个人号码只写在 id_number（身份证号）、phone（联系电话）里，并用 cadres encrypt 加密",
                WARNING,
            )


def x21_numbers_not_checked(ctx: Context) -> Iterator[Finding]:
    """没有解密密钥时，需要号码本身的核对（校验位、出生日期、性别、一人一档）如实报告为未运行，不算通过。"""
    if ctx.keys.available:
        return
    sealed_files = [e for e in ctx.registry.cadres if any(sealed.is_sealed(e.data.get(name)) for name in ctx.sensitive)]
    if sealed_files:
        yield Finding(
            sealed.RECIPIENTS,
            1,
            1,
            WARNING,
            "X21",
            "",
            "",
            f"{len(sealed_files)} 个记录的加密号码未核对（身份证号校验位、出生日期、性别，一人一档）：本次没有解密密钥",
            f"这些核对在区委组织部设置了 {sealed.IDENTITY_FILE_ENV} 的电脑和主分支流水线上运行；"
            "单位录入的号码在 cadres encrypt 加密时已核对",
        )


def r12_id_number(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """身份证号（GB 11643）校验码正确，出生日期与出生年月一致，第17位与性别一致（奇数男、偶数女）。"""
    number = ctx.plain(entry, "id_number")
    if number is None:
        return  # sealed, and no key in this run: X21 says the check did not run
    for message, hint in id_number_problems(number, entry.data["birth"], entry.data["sex"]):
        yield ctx.finding(entry, ("id_number",), "R12", message, hint)


def id_number_problems(number: str, birth: str, sex: str) -> list[tuple[str, str]]:
    """What is wrong with a clear 身份证号 for a person of this birth and sex, said without the number's digits
    (a finding reaches CI logs and reports); also what `cadres encrypt` checks before it seals a number."""
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return [("身份证号应为 18 位，最后一位是数字或大写 X", "请对照身份证核对位数")]
    if number[17] != id_check_char(number[:17]):
        return [("身份证号的校验位（第18位）与前17位不符", "请对照身份证逐位核对，常见的是两位数字颠倒或少输一位")]
    born = number[6:14]
    try:
        born_date = _dt.date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        return [("身份证号第7–14位不是有效的出生日期", "请核对身份证号")]
    found = []
    day = dates.day(birth)
    same = (born_date.year, born_date.month) == (day.year, day.month)
    if same and not dates.is_month_precision(birth):
        same = born_date == day
    if not same:
        found.append((f"身份证号中的出生日期与出生年月「{birth}」不一致", "请核对出生年月或身份证号，以档案认定的为准"))
    told = MALE if int(number[16]) % 2 else FEMALE
    if told != sex:
        found.append((f"身份证号第17位表示「{told}」，与性别「{sex}」不一致", "请核对性别或身份证号"))
    return found


def r12_dates_not_in_future(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """日期不晚于核对日期（--as-of，默认今天）。"""
    for path, value in _dates_after(entry.data, ctx.date_fields[entry.kind], ctx.as_of_text):
        yield ctx.finding(
            entry,
            path,
            "R12",
            f"「{value}」晚于核对日期 {ctx.as_of:%Y-%m-%d}",
            "请核对年份和月份；尚未发生的事项不要录入",
        )


def r12_dates_in_order(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """出生早于参加工作，参加工作不晚于简历第一条；入党时已满18岁；每段经历起止有序。"""
    data = entry.data
    birth, work = data["birth"], data["work_started"]
    if dates.month_index(work) <= dates.month_index(birth) + 12 * 14:
        yield ctx.finding(
            entry,
            ("work_started",),
            "R12",
            f"参加工作时间「{work}」与出生年月「{birth}」不合（不满14岁）",
            "请核对出生年月和参加工作时间",
        )
    # the 简历 of a 任免审批表 starts with the university: the first line of work is what 参加工作 is held to
    at = next((i for i, r in enumerate(data["resume"]) if not STUDY.search(r["post"])), None)
    first = data["resume"][at]["from"] if at is not None else work
    if at is not None and dates.month_index(first) < dates.month_index(work):
        yield ctx.finding(
            entry,
            ("resume", at, "from"),
            "R12",
            f"简历第一条从「{first}」开始，早于参加工作时间「{work}」",
            "参加工作时间应不晚于简历中第一段工作经历；请核对",
        )
    joined = data.get("party_joined")
    if joined and dates.age(birth, dates.day(joined)) < 18:
        yield ctx.finding(
            entry, ("party_joined",), "R12", f"入党时间「{joined}」时未满18岁", "请核对入党时间和出生年月"
        )
    for key in ("resume", "training", "practice"):
        for i, item in enumerate(data.get(key) or []):
            if item.get("to") and dates.month_index(item["to"]) < dates.month_index(item["from"]):
                yield ctx.finding(
                    entry,
                    (key, i, "to"),
                    "R12",
                    f"截止时间「{item['to']}」早于起始时间「{item['from']}」",
                    "请核对起止时间",
                )
    reserve = data["reserve"]
    exit_date = (reserve.get("exit") or {}).get("date")
    if exit_date and reserve.get("entered") and exit_date < reserve["entered"]:
        yield ctx.finding(
            entry,
            ("reserve", "exit", "date"),
            "R12",
            f"出库时间「{exit_date}」早于入库时间「{reserve['entered']}」",
            "请核对出库和入库时间",
        )


def r12_current_post_in_resume(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """现任职务的任职时间与简历最后一条（现任职务，不填截止时间）的起始时间一致。"""
    employment, last = entry.data["employment"], entry.data["resume"][-1]
    since = employment["post_since"]
    if not last.get("to") and since[:7] != last["from"][:7]:
        yield ctx.finding(
            entry,
            ("employment", "post_since"),
            "R12",
            f"任现职时间「{since}」与简历最后一条（现任职务）的起始时间「{last['from']}」不一致",
            "两处写的是同一个时间：请按任职文件改正其中一处（职务变了的，简历也要加上新的一条）",
        )


def r12_resume_continuous(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """简历按时间先后排列，前后衔接，没有重叠；只有最后一条（现任职务）可以不填截止时间。"""
    resume = entry.data["resume"]
    for i, (prev, item) in enumerate(itertools.pairwise(resume), start=1):
        if not prev.get("to"):
            yield ctx.finding(
                entry,
                ("resume", i - 1, "from"),
                "R12",
                "只有最后一条（现任职务）可以不填截止时间",
                "请补上这段经历的截止时间",
            )
            continue
        start, end = dates.month_index(item["from"]), dates.month_index(prev["to"])
        # the official convention: a line may start in the month the one before it ended (2004.12--2012.06,
        # then 2012.06--2016.03); with days on both, the day decides (a change on the 15th is no overlap)
        days = len(item["from"]) == len(prev["to"]) == 10
        if start < end or (days and item["from"] < prev["to"]):
            what = "早于" if start < dates.month_index(prev["from"]) else "与上一条重叠"
            yield ctx.finding(
                entry,
                ("resume", i, "from"),
                "R12",
                f"起始时间「{item['from']}」{what}（上一条到「{prev['to']}」）",
                "简历按时间先后排列，下一段从上一段截止的当月或次月开始",
            )
        elif start > end + 1:
            yield ctx.finding(
                entry,
                ("resume", i, "from"),
                "R12",
                f"与上一条之间有空档（上一条到「{prev['to']}」，这一条从「{item['from']}」开始）",
                "简历应前后衔接；学习、待分配等经历也要写上",
                WARNING,
            )


def r12_assessment_grades(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """年度考核等次与编制相符（公务员：称职等；事业单位：合格等），每年只有一个等次。"""
    establishment = entry.data["employment"]["establishment"]
    table = ctx.registry.schemas.codes["assessment_grade"]
    flag = GRADE_SCALE.get(establishment)  # 其他: either scale
    allowed = ctx.flagged("assessment_grade", flag) if flag else None
    seen: dict = {}
    for i, item in enumerate(entry.data.get("assessments") or []):
        if item["year"] in seen:
            yield ctx.finding(
                entry,
                ("assessments", i, "year"),
                "R12",
                f"{item['year']} 年度的考核写了两次",
                "每年只保留一条年度考核结果",
            )
        seen[item["year"]] = i
        if allowed and item["grade"] not in allowed:
            kind = "事业单位工作人员" if flag == "institution" else "公务员"
            yield ctx.finding(
                entry,
                ("assessments", i, "grade"),
                "R12",
                f"「{item['grade']}」不是{kind}的考核等次（编制类型：{establishment}）",
                f"{kind}的等次为：{'、'.join(n for n in table.names() if n in allowed)}",
            )


def r12_evaluation_votes(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """民主测评各档票数之和不超过参加人数。"""
    for i, ev in enumerate(entry.data.get("evaluations") or []):
        total = ev["excellent"] + ev["competent"] + ev["basic"] + ev["incompetent"]
        if total > ev["participants"]:
            yield ctx.finding(
                entry,
                ("evaluations", i, "participants"),
                "R12",
                f"各档票数之和 {total} 超过参加人数 {ev['participants']}",
                "请核对测评票数",
            )


# -- nominations -----------------------------------------------------------------


def x12_nomination_file_place(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """推荐文件放在 nominations/<调整轮次>/<单位编号>.yaml。"""
    yield from _round_file_place(entry, ctx, "X12", "nominations", "推荐单位")


def _round_file_place(entry: Entry, ctx: Context, code: str, folder: str, unit_word: str) -> Iterator[Finding]:
    """A file of a round and a unit is where its round and unit say: <folder>/<round>/<unit>.yaml."""
    year, name = entry.path.split("/")[-2:]
    data = entry.data
    if str(data["round"]) != year:
        yield ctx.finding(
            entry,
            ("round",),
            code,
            f"调整轮次是 {data['round']}，文件却在 {folder}/{year}/ 里",
            f"请把文件移到 registry/{folder}/{data['round']}/，或改正调整轮次",
        )
    if data["unit"] != name[: -len(".yaml")]:
        yield ctx.finding(
            entry,
            ("unit",),
            code,
            f"{unit_word}是「{data['unit']}」，文件名却是 {name}",
            f"请把文件改名为 {data['unit']}.yaml，或改正{unit_word}",
        )


def x04_round_file_unit_exists(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """推荐、考察文件的单位在 units.yaml 中。"""
    if ctx.units and entry.data["unit"] not in ctx.units:
        yield ctx.finding(
            entry, ("unit",), "X04", f"单位编号「{entry.data['unit']}」不在 registry/units.yaml 中", "请核对单位编号"
        )


def x05_candidates_exist(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """推荐人选都有干部记录，同一人不重复推荐。

    A nomination records whom a unit recommended in that round. Whether they were of the unit is X06 (below);
    the level the org department takes the candidate up at is compared in its inspection record (X06).
    """
    seen = set()
    for i, cand in enumerate(entry.data["candidates"]):
        cadre_id = cand["cadre"]
        if cadre_id in seen:
            yield ctx.finding(
                entry, ("candidates", i, "cadre"), "X05", f"「{cadre_id}」在本文件中出现了两次", "每名人选只写一次"
            )
        seen.add(cadre_id)
        cadre = ctx.cadre(cadre_id)
        if cadre is None and cadre_id in ctx.unreadable:
            continue  # the record exists but could not be read: its own file's error says why
        if cadre is None:
            yield ctx.finding(
                entry,
                ("candidates", i, "cadre"),
                "X05",
                f"没有编号为「{cadre_id}」的干部记录",
                "请核对编号，或在同一合并请求中提交该干部的记录",
            )


def x06_nominated_of_the_unit(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """各单位只推荐本单位的干部：推荐时属于推荐单位（此后调动不改写那一轮）。"""
    ref = entry.path.removeprefix("registry/nominations/").removesuffix(".yaml")
    for i, cand in enumerate(entry.data["candidates"]):
        cadre = ctx.cadre(cand["cadre"])
        if cadre is None or not cadre.valid:
            continue  # X05 says there is no such record; an unreadable one's own file says why
        if cadre.data["reserve"].get("nomination") == ref:
            yield from _of_another_unit(
                entry, ctx, i, cadre, f"不是推荐单位「{entry.data['unit']}」", "各单位只推荐本单位的干部；请核对编号"
            )
        elif cadre.data["employment"]["unit"] != entry.data["unit"] and not _was_of(cadre, entry.data["unit"]):
            yield ctx.finding(  # not this person's nomination, not their unit, and never their unit
                entry,
                ("candidates", i, "cadre"),
                "X06",
                f"{acts.person(cadre)}属于{ctx.unit_name(cadre.data['employment']['unit'])}，"
                f"不是推荐单位{ctx.unit_name(entry.data['unit'])}",
                "各单位只推荐本单位的干部；请核对编号",
            )


def _was_of(cadre: Entry, unit: str) -> bool:
    """Whether the person was of `unit` when a round named them there: their file's history is the resume, so
    a nomination or inspection record of their round and unit (acts.derive) says it; else not known here."""
    return str(cadre.data["reserve"].get("nomination", "")).endswith(f"/{unit}")


def _of_another_unit(entry: Entry, ctx: Context, i: int, cadre: Entry, what: str, hint: str) -> Iterator[Finding]:
    """X06: a round's file naming, as its candidate, someone of another unit (after the decision a move does not
    rewrite the round that admitted them)."""
    unit = cadre.data["employment"]["unit"]
    if unit != entry.data["unit"] and cadre.data["reserve"]["status"] in vocabulary.CANDIDATES:
        yield ctx.finding(
            entry, ("candidates", i, "cadre"), "X06", f"{acts.person(cadre)}属于{ctx.unit_name(unit)}，{what}", hint
        )


def x07_nomination_counts(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """得票数不超过实到人数，实到人数不超过应到人数。"""
    meeting = entry.data["meeting"]
    if meeting["attended"] > meeting["eligible"]:
        yield ctx.finding(
            entry,
            ("meeting", "attended"),
            "X07",
            f"实到 {meeting['attended']} 人，多于应到 {meeting['eligible']} 人",
            "请核对参会人数",
        )
    for i, cand in enumerate(entry.data["candidates"]):
        if cand["votes"] > meeting["attended"]:
            yield ctx.finding(
                entry,
                ("candidates", i, "votes"),
                "X07",
                f"得票 {cand['votes']}，多于实到 {meeting['attended']} 人",
                "请核对得票数",
            )


# -- the org department's acts: inspections, decisions, the watch list -----------------------------------


def x23_inspection_file_place(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """考察记录放在 inspections/<调整轮次>/<单位编号>.yaml，单位在 units.yaml 中。"""
    yield from _round_file_place(entry, ctx, "X23", "inspections", "人选所在单位")


def x23_decision_file_place(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """决定放在 decisions/<决定日期>.yaml；同一天的第二份、第三份决定加 -2、-3。"""
    stem = entry.path.rsplit("/", 1)[-1].removesuffix(".yaml")
    date = str(entry.data["date"])
    if re.fullmatch(rf"{re.escape(date)}(-[2-9]|-[1-9][0-9]+)?", stem) is None:
        yield ctx.finding(
            entry,
            ("date",),
            "X23",
            f"决定日期是 {date}，文件名却是 {stem}.yaml",
            f"请把文件改名为 {date}.yaml（同一天另有决定的，用 {date}-2.yaml），或改正决定日期",
        )


def x24_acts_name_people(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """考察记录、决定和关注名单中的每名干部都有记录，同一名单中不重复。"""
    lists = ("candidates",) if entry.kind == "inspection" else ("watched",) if entry.kind == "watch" else acts.SECTIONS
    for section in lists:
        seen = set()
        for i, item in enumerate(entry.data.get(section) or ()):
            cadre_id, where = item["cadre"], (section, i, "cadre")
            key = (cadre_id, item.get("rule"))
            if key in seen:
                yield ctx.finding(entry, where, "X24", f"「{cadre_id}」在这一部分中出现了两次", "每人只写一次")
            seen.add(key)
            if ctx.cadre(cadre_id) is None and cadre_id not in ctx.unreadable:
                yield ctx.finding(
                    entry,
                    where,
                    "X24",
                    f"没有编号为「{cadre_id}」的干部记录",
                    "请核对编号（即干部记录的文件名，不含 .yaml）",
                )


def x24_inspected_of_the_unit(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """考察人选属于考察记录的单位（决定之后调动的不改原考察记录），层级与本轮推荐一致。"""
    ref = f"{entry.data['round']}/{entry.data['unit']}"
    nominated = ctx.nominations.get(f"registry/nominations/{ref}.yaml")
    levels = {c["cadre"]: c["level"] for c in nominated.data["candidates"]} if nominated else {}
    for i, item in enumerate(entry.data["candidates"]):
        cadre = ctx.cadre(item["cadre"])
        if cadre is None or not cadre.valid:
            continue
        yield from _of_another_unit(
            entry,
            ctx,
            i,
            cadre,
            f"不是本考察记录的单位{ctx.unit_name(entry.data['unit'])}",
            "尚未研究确定的人选调到别的单位后，原单位的推荐和考察不再适用：请由新单位推荐，考察记录写在新单位的文件中",
        )
        if item["source"] == acts.NOMINATED and item["cadre"] in levels and levels[item["cadre"]] != item["level"]:
            yield ctx.finding(
                entry,
                ("candidates", i, "level"),
                "X06",
                f"{acts.person(cadre)}的后备层级写的是「{item['level']}」，"
                f"本轮推荐（registry/nominations/{ref}.yaml）是「{levels[item['cadre']]}」",
                "请使两处的后备层级一致",
            )


def x25_one_candidacy_a_round(ctx: Context) -> Iterator[Finding]:
    """同一轮中一名人选只由一个单位推荐一次，只有一条考察记录。"""
    index = acts.Index.of(ctx.registry)
    tables = (
        (index.nominations, "已由 {path} 推荐", "同一轮中每名人选只由本单位推荐一次；请核对编号"),
        (index.candidates, "已有考察记录（{path}）", "同一轮中每名人选只写一条考察记录；调动的人选写在原单位的记录中"),
    )
    for table, said, hint in tables:
        for cadre_id, items in sorted(table.items()):
            cadre = ctx.cadre(cadre_id)
            ref = cadre.data.get("reserve", {}).get("nomination") if cadre is not None and cadre.valid else None
            own = f"registry/nominations/{ref}.yaml"  # the person's own file comes first; another is the second
            first: dict = {}
            for entry, i in sorted(items, key=lambda a: (a[0].path != own, a[0].path)):
                round_ = entry.data["round"]
                if round_ in first:
                    message = f"「{cadre_id}」在 {round_} 年度{said.format(path=first[round_])}"
                    yield ctx.finding(entry, ("candidates", i, "cadre"), "X25", message, hint)
                first.setdefault(round_, entry.path)


# -- units ---------------------------------------------------------------------


def x13_unique_units(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """单位编号和排序号不重复。"""
    for key, what in (("id", "单位编号"), ("order", "排序号")):
        seen: dict = {}
        for i, unit in enumerate(entry.data["units"]):
            if unit[key] in seen:
                yield ctx.finding(
                    entry,
                    ("units", i, key),
                    "X13",
                    f"{what}「{unit[key]}」与第 {seen[unit[key]] + 1} 个单位重复",
                    f"每个单位的{what}不同",
                )
            seen.setdefault(unit[key], i)


def x16_audiences_coherent(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """读者编号不重复；只看本单位（sees: own-unit）的读者须每单位一个站点（per_unit: true）。"""
    seen: dict = {}
    sites: dict[str, int] = {}  # each site's folder: a per-unit audience makes <id>-<unit id> for every unit
    units = [u["id"] for u in ctx.registry.units]
    for i, audience in enumerate(entry.data["audiences"]):
        if audience["id"] in seen:
            yield ctx.finding(
                entry,
                ("audiences", i, "id"),
                "X16",
                f"读者编号「{audience['id']}」与第 {seen[audience['id']] + 1} 个读者重复",
                "每个读者一个编号：它也是站点的目录名",
            )
        else:
            folders = [f"{audience['id']}-{u}" for u in units] if audience.get("per_unit") else [audience["id"]]
            clash = next((f for f in folders if f in sites), None)
            if clash:
                yield ctx.finding(
                    entry,
                    ("audiences", i, "id"),
                    "X16",
                    f"这个读者的站点目录「{clash}」与第 {sites[clash] + 1} 个读者的站点重名，后生成的会覆盖先生成的",
                    "换一个读者编号（按单位生成的站点目录是“读者编号-单位编号”）",
                )
            for folder in folders:
                sites.setdefault(folder, i)
        seen.setdefault(audience["id"], i)
        if audience["sees"] == "own-unit" and not audience.get("per_unit"):
            yield ctx.finding(
                entry,
                ("audiences", i, "sees"),
                "X16",
                "只看本单位的读者没有写 per_unit: true，生成的站点里将没有任何人",
                "加上 per_unit: true（每个单位生成一个站点），或改为 sees: all",
            )


def x17_one_person_one_record(ctx: Context) -> Iterator[Finding]:
    """一人一份记录：同一身份证号只能有一个记录；姓名和出生年月都相同的，核对是否同一人。"""
    by_number: dict[str, list[Entry]] = defaultdict(list)
    by_name: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    # every record that can be read, complete or not: a person no act names yet, or whose record still lacks
    # fields (a new person from an import), is still one person
    for entry in ctx.registry.of_kind("cadre", valid_only=False):
        if not isinstance(entry.data, dict) or not isinstance(entry.data.get("name"), str):
            continue
        number = ctx.plain(entry, "id_number")
        if number:
            by_number[number.strip().upper()].append(entry)
        if isinstance(entry.data.get("birth"), str) and entry.data["birth"]:
            by_name[facts.normal_name(entry.data["name"]), entry.data["birth"][:7]].append(entry)
    for entries in by_number.values():
        for entry in entries if len(entries) > 1 else ():
            others = "、".join(e.path for e in entries if e is not entry)
            yield ctx.finding(
                entry,
                ("id_number",),
                "X17",
                f"身份证号与 {others} 相同：一人只能有一个记录",
                "同一人请只保留一个记录（调动用 git mv 移动原文件，不要复制）；号码填错的请改正",
            )
    for (name, month), entries in by_name.items():
        if len(entries) > 1 and len({ctx.plain(e, "id_number") for e in entries}) == len(entries):
            for entry in entries:
                others = "、".join(e.path for e in entries if e is not entry)
                yield ctx.finding(
                    entry,
                    ("name",),
                    "X17",
                    f"与 {others} 姓名相同（{name}）、出生年月相同（{month}）",
                    "请核对是否同一人：是同一人的只保留一个记录；不是的不用改",
                    WARNING,
                )


def x28_flags_match_posts(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """“现任班子副职”和简历的“中层岗位”与职务名称不矛盾（职务字样见 schemas/post_words.yaml）。"""
    words = ctx.post_words
    if not words:
        return
    employment = entry.data["employment"]
    post = _as_clerk(employment["post"], words.get("rank_words", ()))
    deputy = _has(post, words.get("leadership_deputy", ()))
    if employment.get("leadership_deputy") and not deputy and (found := _has(post, words.get("not_leadership", ()))):
        yield ctx.finding(
            entry,
            ("employment", "leadership_deputy"),
            "X28",
            f"记录写的是现任班子副职，现任职务「{employment['post']}」却是{found}",
            "班子副职指单位领导班子的副职（副局长、副镇长、副书记等）；不是的，把 leadership_deputy 改为 false",
            WARNING,
        )
    elif not employment.get("leadership_deputy") and deputy:
        yield ctx.finding(
            entry,
            ("employment", "leadership_deputy"),
            "X28",
            f"现任职务「{employment['post']}」是{deputy}，记录却写的不是现任班子副职",
            "是单位领导班子副职的，把 leadership_deputy 改为 true（正职后备须从班子副职中推荐）",
            WARNING,
        )
    for i, item in enumerate(entry.data["resume"]):
        post = _as_clerk(item["post"], words.get("rank_words", ()))
        staff = _has(post, words.get("staff", ()))
        if item.get("middle_management") and staff and not _has(post, words.get("middle", ())):
            yield ctx.finding(
                entry,
                ("resume", i, "middle_management"),
                "X28",
                f"简历这一段标为中层岗位，职务「{item['post']}」却是{staff}",
                "中层岗位指科长、副科长、办公室主任等；一般工作人员的经历不标 middle_management",
                WARNING,
            )


def _as_clerk(post: str, words: Iterable[str]) -> str:
    """A post with its rank titles read as what they are (一级主任科员 is a 科员-level rank, not a 主任)."""
    for word in sorted(words, key=len, reverse=True):  # 一级主任科员 before 主任科员
        post = post.replace(word, "科员")
    return post


def _has(post: str, words: Iterable[str]) -> str | None:
    return next((w for w in words if w in post), None)


def x30_tracking_recorded(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """区委组织部对招考录用人员、“柔性”交流人员、挂职干部要跟踪了解，并对优秀干部苗子进行培养。"""
    for i, item in enumerate(entry.data["watched"]):
        if not item.get("category"):
            yield ctx.finding(
                entry,
                ("watched", i, "cadre"),
                "X30",
                f"关注人选「{item['cadre']}」没有写跟踪类别",
                "请写上 category：招考录用人员、“柔性”交流人员、挂职干部或优秀干部苗子",
                WARNING,
            )


# what each kind of target needs from policy.yaml to be counted (stats.MEASURES)
TARGET_NEEDS = {
    "count": ("target",),
    "age_share": ("age", "band", "min_share"),
    "share": ("of",),
    "practice_per_year": ("practice_kinds",),
}


def x31_policy_coherent(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """policy.yaml 的数值彼此一致：每个结构目标有其计算方式要的数值，年龄段由小到大，民主推荐不是“其他产生方式”。"""
    data = entry.data
    for i, target in enumerate(data["targets"]):
        missing = [key for key in TARGET_NEEDS.get(target["measure"], ()) if key not in target]
        if missing:
            yield ctx.finding(
                entry,
                ("targets", i, "measure"),
                "X31",
                f"{target['id']}（计算方式 {target['measure']}）缺少 {'、'.join(missing)}，无法统计",
                f"请在 {target['id']} 中写上 {'、'.join(missing)}（写法见 schemas/policy.yaml）",
            )
    bands = data["statistics"]["age_bands"]
    if list(bands) != sorted(set(bands)):
        yield ctx.finding(
            entry,
            ("statistics", "age_bands"),
            "X31",
            f"年龄段的上限应由小到大、不重复：写的是 {bands}",
            "请按由小到大的顺序写，如 [27, 32, 37, 42, 47]",
        )
    if acts.NOMINATED in data["rules"].get("open_sources", ()):
        yield ctx.finding(
            entry,
            ("rules", "open_sources"),
            "X31",
            "民主推荐不是“其他产生方式”：写进 open_sources 会让民主推荐的人选不再核对推荐结果",
            "请从 open_sources 中去掉民主推荐",
        )


# 七、能力实绩档案: what each of its contents is in the registry (简要情况表 is the record itself)
ARCHIVE: tuple[tuple[str, Callable[[dict], object], str], ...] = (
    ("考察材料", lambda d: d.get("inspection"), "区委组织部在考察记录此人的条目中写上 inspection"),
    ("培养方案", lambda d: d.get("development_plan"), "区委组织部在考察记录此人的条目中写上 development_plan"),
    (
        "民主推荐情况",
        lambda d: d["reserve"].get("nomination") or d["reserve"].get("source") != "民主推荐",
        "单位在本轮推荐文件中列上此人",
    ),
    ("民主评议情况", lambda d: d.get("evaluations"), "区委组织部在考察记录中写上民主测评或民主评议（evaluations）"),
    ("年度考核情况", lambda d: d.get("assessments"), "单位在本人记录中写上年度考核（assessments）"),
    (
        "培养和奖惩情况",
        lambda d: d.get("training") or d.get("practice") or d.get("rewards_punishments"),
        "单位在本人记录中写上理论培训（training）、实践锻炼（practice）或奖惩情况（rewards_punishments）",
    ),
)


def x29_archive_complete(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """建立后备干部能力、实绩档案，内容包括干部简要情况表、考察材料及培养方案、民主推荐情况、民主评议情况、年度考核情况、培养和奖惩情况等。"""
    if entry.data["reserve"]["status"] != IN_POOL:
        return
    missing = [(what, hint) for what, held, hint in ARCHIVE if not held(entry.data)]
    if missing:
        yield ctx.finding(
            entry,
            ("id",),
            "X29",
            f"能力实绩档案缺少{'、'.join(what for what, _ in missing)}",
            "；".join(hint for _, hint in missing) + "（早年入库、当时没有记录的，补上能找到的即可）",
            WARNING,
        )


def x18_training_counted(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """依托党校、行政院校和其他干部培训基地……把后备干部全部轮训一遍：看不出类别的培训机构不计入，提醒核对。"""
    target = ctx.schooling
    if not target.get("institution_kinds") or entry.data["reserve"]["status"] not in ctx.rules["checked_statuses"]:
        return
    kinds = "、".join(target["institution_kinds"])
    for i, item in enumerate(entry.data.get("training") or []):
        word = facts.degree_study(target, item["program"])
        if word:
            yield ctx.finding(
                entry,
                ("training", i, "program"),
                "X18",
                f"「{item['program']}」是学历教育{'' if word == item['program'] else f'（{word}）'}，"
                f"不计入“全部轮训一遍”（{target['id']}）",
                "在职学历请写在学历学位的在职教育（education 的 in_service）中；轮训指党校、行政学院等的培训班",
                WARNING,
            )
        elif not facts.counted_training(target, item["institution"]):
            yield ctx.finding(
                entry,
                ("training", i, "institution"),
                "X18",
                f"「{item['institution']}」看不出是{kinds}一类的机构，不计入“全部轮训一遍”（{target['id']}）",
                "是这类机构的，请写全称（如“中共合肥市蜀山区委党校”）；确属其他培训的不用改"
                "（计入的类别见 policy.yaml 的 institution_kinds）",
                WARNING,
            )


def x15_codeowners_current(ctx: Context) -> Iterator[Finding]:
    """提交的 CODEOWNERS 与单位、审核人和正职后备一致。"""

    if not ctx.registry.units or not ctx.registry.audiences:
        return  # X10 says what is missing
    found = codeowners.verdict(ctx.registry)
    if found is not None:
        yield found


CHECKS = (
    Check("X01", "registry", x01_unique_cadre_ids),
    Check("X15", "registry", x15_codeowners_current),
    Check("X17", "registry", x17_one_person_one_record, numbers=True),
    Check("X21", "registry", x21_numbers_not_checked, numbers=True),
    Check("X25", "registry", x25_one_candidacy_a_round),
    Check("X26", "registry", x26_checked_in_the_district),
    Check("X02", "cadre", x02_file_name_is_id, needs_valid=False),
    Check("X03", "cadre", x03_folder_is_unit, needs_valid=False),
    Check("X04", "cadre", x04_cadre_unit_exists),
    Check("X08", "cadre", x08_nomination_file_exists),
    Check("X09", "cadre", x09_specialties_from_policy),
    Check("X28", "cadre", x28_flags_match_posts),
    Check("X29", "cadre", x29_archive_complete),
    Check("X30", "watch", x30_tracking_recorded),
    Check("X31", "policy", x31_policy_coherent),
    Check("X18", "cadre", x18_training_counted),
    Check("X20", "cadre", x20_personal_numbers_sealed, numbers=True),
    Check("X20", "registry", x20_ciphertexts_not_copied),
    *(Check("X32", k, x32_no_numbers_in_free_text) for k in ("cadre", "nomination", "inspection", "decision", "watch")),
    Check("R12", "cadre", r12_id_number, numbers=True),
    Check("R12", "cadre", r12_dates_not_in_future),
    Check("R12", "cadre", r12_dates_in_order),
    Check("R12", "cadre", r12_resume_continuous),
    Check("R12", "cadre", r12_current_post_in_resume),
    Check("R12", "cadre", r12_assessment_grades),
    Check("R12", "cadre", r12_evaluation_votes),
    Check("X12", "nomination", x12_nomination_file_place),
    Check("X04", "nomination", x04_round_file_unit_exists),
    Check("X05", "nomination", x05_candidates_exist),
    Check("X06", "nomination", x06_nominated_of_the_unit),
    Check("X07", "nomination", x07_nomination_counts),
    Check("R12", "nomination", r12_dates_not_in_future),
    Check("X23", "inspection", x23_inspection_file_place),
    Check("X04", "inspection", x04_round_file_unit_exists),
    Check("X24", "inspection", x24_acts_name_people),
    Check("X06", "inspection", x24_inspected_of_the_unit),
    Check("R12", "inspection", r12_dates_not_in_future),
    Check("X23", "decision", x23_decision_file_place),
    Check("X24", "decision", x24_acts_name_people),
    Check("R12", "decision", r12_dates_not_in_future),
    Check("X24", "watch", x24_acts_name_people),
    Check("R12", "watch", r12_dates_not_in_future),
    Check("X13", "unit", x13_unique_units),
    Check("X16", "audiences", x16_audiences_coherent),
)


def _dates_after(data: object, tree: dict, limit: str) -> list[tuple[tuple, str]]:
    """(path, value) of every date the tree reaches that is later than `limit` (ISO text).

    Schema-checked 'YYYY-MM[-DD]' text orders like the dates it means, so text
    is compared as it is; a path is built only for a date that is found.
    """
    found: list = []
    stack: list = []

    def walk(value: object, node: dict) -> None:
        if not node:
            if isinstance(value, str) and value > limit:
                found.append((tuple(stack), value))
        elif isinstance(value, list):
            sub = node.get(ITEM)
            if sub is not None:
                for i, item in enumerate(value):
                    stack.append(i)
                    walk(item, sub)
                    stack.pop()
        elif isinstance(value, dict):
            for key, sub in node.items():
                if key in value:
                    stack.append(key)
                    walk(value[key], sub)
                    stack.pop()

    walk(data, tree)
    return found
