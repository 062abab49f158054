"""The 区委常委会's decision of an adjustment round, written from the plan the meeting approved.

`cadres round plan --format json > 方案.json` is what the 干部科 puts to the meeting; the meeting may strike
people from either list (the clerk deletes them from the JSON). `decide(registry, plan, day, ref)` turns what
is left into one decision file, `registry/decisions/<date>.yaml`: `admitted` (the inspected candidates, at the
level and track of their inspection), `left` (each proposed out, 已使用 or 调整出库, with the plan's reasons),
and `reviewed` (everyone else in the pool: the round reviewed them and kept them, R11's clock starts again).
Nothing is written while any item of the plan does not fit the registry; every problem is said at once.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.analysis import roster
from generator.analysis.stats import Tables
from generator.core import dates
from generator.core.errors import CadresError
from generator.interchange import migrate
from generator.interchange.yamlout import dump
from generator.registry import facts
from generator.registry.files import Registry
from generator.registry.records import Admitted, Cadre, DecisionAct, Left
from generator.registry.vocabulary import IN_POOL, INSPECTED, LEFT, USED


class DecideError(CadresError):
    """The plan cannot be written as a decision: every line says what and where, in Chinese."""


@dataclass
class Decision:
    path: str
    values: DecisionAct
    lines: list[str] = field(default_factory=list)  # each change, per person, as --dry-run lists it


def decide(registry: Registry, plan: Any, day: _dt.date, ref: str, source: str = "方案") -> Decision:
    """The decision file the approved plan makes, on the meeting's day. DecideError lists every problem."""
    people = {e.data["id"]: e.data for e in registry.cadres}
    problems: list[str] = []
    if not isinstance(plan, dict) or not isinstance(plan.get("in"), list) or not isinstance(plan.get("out"), list):
        raise DecideError(f"{source} 不是 cadres round plan --format json 写出的方案（没有 in 和 out 两个列表）")
    if not _plain(ref) or not ref.strip():
        problems.append(
            f"文号（--ref）「{ref!r}」不能为空，也不能有换行或控制字符："
            "请照会议纪要写一行，如 区委常委会会议纪要〔2027〕25号"
        )
    planned = plan.get("as_of")
    if isinstance(planned, str) and _day(planned) and day < _day(planned):  # type: ignore[operator]
        problems.append(f"会议日期 {day} 早于方案的统计日期 {planned}：常委会研究的是这份方案，日期请写会议当天")
    admitted: list[Admitted] = []
    left: list[Left] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(plan["in"], 1):
        data = _person(item, people, f"{source} 的 in 第{i}项", problems, seen)
        if data is None:
            continue
        inspected = found["date"] if (found := data.get("inspection")) else None
        if data["reserve"]["status"] != INSPECTED or not _day(inspected) or _day(inspected) > day:  # type: ignore[operator]
            problems.append(
                f"{source} 的 in 第{i}项 {data['name']}（{data['id']}）在 {day} 还不是已考察的人选"
                f"（现在是「{data['reserve']['status']}」{f'，考察时间 {inspected}' if inspected else ''}），"
                "只有会议前已考察的人选可以研究确定列入；请从方案中删去，或核对会议日期和考察记录"
            )
            continue
        admitted.append({"cadre": data["id"], "level": data["reserve"]["level"], "track": data["reserve"]["track"]})
    for i, item in enumerate(plan["out"], 1):
        where = f"{source} 的 out 第{i}项"
        data = _person(item, people, where, problems, seen)
        if data is None:
            continue
        if data["reserve"]["status"] != IN_POOL or not facts.within(facts.pool_span(data), day):
            problems.append(f"{where} {data['name']}（{data['id']}）在 {day} 不在库，不能出库；请从方案中删去")
            continue
        status = item.get("status", LEFT)
        reasons = item.get("reasons") if isinstance(item.get("reasons"), list) else []
        texts = [r.get("reason") for r in reasons if isinstance(r, dict)]
        reason = "；".join(t for t in texts if isinstance(t, str) and t.strip()).strip("；")
        if status not in (USED, LEFT) or not reason or not _plain(reason):
            problems.append(
                f"{where} {data['name']}（{data['id']}）须有出库方式（status：{USED} 或 {LEFT}）"
                "和原因（reasons 的 reason，一行文字，不能有控制字符）"
            )
            continue
        left.append({"cadre": data["id"], "status": status, "reason": reason})
    if problems:
        raise DecideError("\n".join(problems))
    gone = {x["cadre"] for x in left}
    tables = Tables(registry)
    staying = roster.ordered(
        [
            d
            for d in people.values()
            if d["reserve"]["status"] == IN_POOL and facts.within(facts.pool_span(d), day) and d["id"] not in gone
        ],
        tables,
    )
    body = registry.valid_policy["rules"]["deciding_bodies"][0]
    values: DecisionAct = {"body": body, "date": day.isoformat(), "ref": ref.strip()}
    if admitted:
        values["admitted"] = admitted
    if staying:
        values["reviewed"] = [{"cadre": d["id"]} for d in staying]
    if left:
        values["left"] = left
    path = _free_path(registry, day)
    lines = [f"列入 {_who(people[a['cadre']], tables)}：{a['level']}后备，{a['track']}" for a in admitted]
    lines += [f"出库 {_who(people[x['cadre']], tables)}：{x['status']}，{x['reason']}" for x in left]
    lines.append(f"保留 {len(staying)} 人：写在 reviewed 中，下次调整从 {day} 起算")
    return Decision(path, values, lines)


def write(root: Path, decision: Decision, registry: Registry) -> None:
    """Write the decision file; one already there (made since the registry was read) is never replaced."""
    units = {u["id"]: u["name"] for u in registry.units}
    text = dump(decision.values, migrate.header(decision.path, decision.values, units))
    target = Path(root) / decision.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise DecideError(f"{decision.path} 已经存在，没有写入：请核对后再运行") from None


def _person(item: Any, people: dict[str, Cadre], where: str, problems: list[str], seen: dict) -> Cadre | None:
    if not isinstance(item, dict):
        problems.append(f'{where}：每一项须写成 {{"id": "干部编号", …}}（cadres round plan --format json 的样子）')
        return None
    cadre = item.get("id")
    if not isinstance(cadre, str) or cadre not in people:
        problems.append(f"{where}：名册中没有编号「{cadre}」的人员；请核对方案（id）")
        return None
    if cadre in seen:  # once in the decision: in and out, or twice in one list
        problems.append(f"{where}：{people[cadre]['name']}（{cadre}）在方案中已见于{seen[cadre]}，一人只能出现一次")
        return None
    seen[cadre] = where
    return people[cadre]


def _plain(text: str) -> bool:
    """One line of text YAML and every editor keep: no control character, surrogate or non-character."""
    return re.search("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", text) is None


def _day(text: Any) -> _dt.date | None:
    try:
        return dates.day(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _who(data: Cadre, tables: Tables) -> str:
    unit = tables.unit_names.get(data["employment"]["unit"], data["employment"]["unit"])
    return f"{data['name']}（{data['id']}，{unit}）"


def _free_path(registry: Registry, day: _dt.date) -> str:
    """registry/decisions/<date>.yaml, or <date>-2.yaml … when the day already has a decision."""
    taken = {e.path for e in registry.entries}
    base = f"registry/decisions/{day.isoformat()}"
    n = 1
    while f"{base}{'' if n == 1 else f'-{n}'}.yaml" in taken:
        n += 1
    return f"{base}{'' if n == 1 else f'-{n}'}.yaml"
