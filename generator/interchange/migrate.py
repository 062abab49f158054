"""`cadres migrate`: a registry of the first layout, whose people's files held the org department's acts,
converted to the layout in which each act is a file of the body that made it (registry/acts.py).

`split` is the conversion itself, on values: every old record gives its own facts back, and its `reserve`,
`evaluations`, `inspection`, `development_plan` and `exceptions` become entries of the inspection records
(one file per round and unit), the decisions (one file per meeting) and the watch list. Nothing is dropped:
what the new layout derives instead of storing (the 入库时间 is the decision's date) and what the old record
did not say (a review's or an exit's deciding body) is said in the notes, which the command prints.
The demo generator writes its registry through `split` too.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import CadresError
from generator.interchange import roundtrip
from generator.interchange.yamlout import dump
from generator.registry.acts import DERIVED, NOMINATED
from generator.registry.load import load_bytes
from generator.registry.vocabulary import ADMITTED, LEFT, TRACKED, USED

INSPECTION_HEADER = (
    "区委组织部对{unit}{round}年度后备干部人选的考察（人选、测评、考察情况、培养方案），只由区委组织部提交"
)
DECISION_HEADER = "{body}{date}的决定（列入、调整中保留、出库、例外批准），只由区委组织部提交"
WATCH_HEADER = "区委组织部跟踪了解的优秀干部苗子（关注），只由区委组织部提交，只在区委组织部的站点显示"


class MigrateError(CadresError):
    """A registry that cannot be converted without losing a value: said in Chinese, nothing written."""


@dataclass
class Split:
    people: dict = field(default_factory=dict)  # person file -> its own values
    acts: dict = field(default_factory=dict)  # act file -> its values
    notes: list = field(default_factory=list)  # what was derived or assumed, one line each


def split(records: list[tuple[str, dict]], body: str, today: str) -> Split:
    """Old-layout records ([(path, values)]) as the new layout's files. `body`: the deciding body a review or an
    exit without a recorded decision is filed under; `today`: the round of a candidate with no dated step yet."""
    out = Split()
    inspections: dict[tuple[int, str], list] = defaultdict(list)
    meetings: dict[tuple[str, str, str], dict] = {}  # (date, body, ref) -> decision values
    watched: list = []
    assumed: list[str] = []
    later: list[tuple[str, dict]] = []
    for path, data in sorted(records, key=lambda r: r[0]):
        out.people[path] = {k: copy.deepcopy(v) for k, v in data.items() if k not in DERIVED}
        reserve = data.get("reserve") or {}
        cadre, status = data["id"], reserve.get("status")
        proposal = {k: reserve[k] for k in ("level", "track", "direction") if k in reserve}
        if status == TRACKED:
            tracking = data.get("tracking") or {}
            watched.append({"cadre": cadre, "source": reserve.get("source"), **proposal, **tracking})
            later.append((path, data))
            continue
        round_, unit = _round(data, today)
        item = {"cadre": cadre, "source": reserve.get("source"), **proposal}
        for key in ("evaluations", "inspection", "development_plan", "selection"):
            if key in data:
                item[key] = copy.deepcopy(data[key])
        inspections[(round_, unit)].append(item)
        decision = reserve.get("decision")
        if decision:
            meeting = _meeting(meetings, decision["date"], decision["body"], decision.get("ref"))
            meeting.setdefault("admitted", []).append({"cadre": cadre, **{k: reserve[k] for k in ("level", "track")}})
            if reserve.get("entered") and reserve["entered"] != decision["date"]:
                out.notes.append(
                    f"{path}：入库时间 {reserve['entered']} 与决定日期 {decision['date']} 不同，"
                    f"今后入库时间就是决定日期（{decision['date']}）"
                )
        elif status in ADMITTED and reserve.get("entered"):
            meeting = _meeting(meetings, reserve["entered"], body, None, like=True)
            meeting.setdefault("admitted", []).append({"cadre": cadre, **{k: reserve[k] for k in ("level", "track")}})
            assumed.append(f"{path}：入库（{reserve['entered']}）没有写决定机关和文号，记为{meeting['body']}的决定")
        later.append((path, data))
    for path, data in later:  # reviews, exits and waivers join a decision of their date once all are known
        _later_acts(path, data, meetings, body, assumed)
    for (round_, unit), items in sorted(inspections.items()):
        target = f"registry/inspections/{round_}/{unit}.yaml"
        out.acts[target] = {"unit": unit, "round": round_, "candidates": items}
    names: dict[str, int] = defaultdict(int)
    for (date, _body, _ref), values in sorted(meetings.items(), key=lambda m: (m[0][0], m[0][1], m[0][2] or "")):
        names[date] += 1
        suffix = "" if names[date] == 1 else f"-{names[date]}"
        ordered = {k: values[k] for k in ("body", "date", "ref") if k in values}
        ordered |= {k: values[k] for k in ("admitted", "reviewed", "left", "waivers") if k in values}
        out.acts[f"registry/decisions/{date}{suffix}.yaml"] = ordered
    if watched:
        out.acts["registry/watch.yaml"] = {"watched": watched}
    if assumed:
        out.notes.append(
            f"{len(assumed)} 项调整原来只写了日期、没有写决定机关和文号：已记入当天的决定文件"
            f"（没有同日决定的，决定机关按 policy.yaml 的 deciding_bodies 记为「{body}」）；有文号的请补上"
        )
        out.notes.extend(f"  {line}" for line in assumed)
    return out


def _later_acts(path: str, data: dict, meetings: dict, body: str, assumed: list[str]) -> None:
    """A person's review, exit and waivers, each added to the decision of its date (assumed: those filed under
    `body` because the old layout wrote no deciding body or reference)."""
    cadre, reserve = data["id"], data["reserve"]
    status = reserve.get("status")
    if reserve.get("reviewed"):
        meeting = _meeting(meetings, reserve["reviewed"], body, None, like=True)
        meeting.setdefault("reviewed", []).append({"cadre": cadre})
        if "ref" not in meeting:
            assumed.append(f"{path}：调整中保留（{reserve['reviewed']}）记为{meeting['body']}当日的决定")
    exit_ = reserve.get("exit")
    if exit_ and status in (USED, LEFT):
        meeting = _meeting(meetings, exit_["date"], body, None, like=True)
        meeting.setdefault("left", []).append({"cadre": cadre, "status": status, "reason": exit_["reason"]})
        if "ref" not in meeting:
            assumed.append(f"{path}：出库（{exit_['date']}，{exit_['reason']}）记为{meeting['body']}当日的决定")
    for waiver in data.get("exceptions") or []:
        meeting = _meeting(meetings, waiver["date"], waiver["decided_by"], None, like=True, same_body=True)
        meeting.setdefault("waivers", []).append({"cadre": cadre, "rule": waiver["rule"], "reason": waiver["reason"]})


def header(path: str, values: Mapping[str, Any], units: dict[str, str]) -> str:
    """The comment that opens an act's file."""
    if path.startswith("registry/inspections/"):
        return INSPECTION_HEADER.format(unit=units.get(values["unit"], values["unit"]), round=values["round"])
    if path.startswith("registry/decisions/"):
        return DECISION_HEADER.format(body=values["body"], date=values["date"])
    return WATCH_HEADER


def files(result: Split, units: dict[str, str]) -> dict[str, str]:
    """{path: text} of every act file (the people's files are rewritten by `migrate`, keeping their form)."""
    return {path: dump(values, header(path, values, units)) for path, values in result.acts.items()}


def migrate(root: Path, dry_run: bool = False) -> tuple[Split, list[str]]:
    """Convert the registry under root in place: (the conversion, the files written). MigrateError: nothing
    written (an act file already there, a record that is not readable)."""

    root = Path(root)
    base = root / "registry"
    policy = yaml.safe_load((base / "policy.yaml").read_text(encoding="utf-8")) or {}
    units_doc = yaml.safe_load((base / "units.yaml").read_text(encoding="utf-8")) or {}
    units = {u["id"]: u["name"] for u in units_doc.get("units", [])}
    body = (policy.get("rules", {}).get("deciding_bodies") or ["区委常委会"])[0]
    records, texts = [], {}
    for file in sorted(base.glob("cadres/*/*.yaml")):
        rel = file.relative_to(root).as_posix()
        raw = file.read_bytes()
        doc = load_bytes(raw, rel)
        if doc.findings or not isinstance(doc.data, dict) or not isinstance(doc.data.get("id"), str):
            why = doc.findings[0].message if doc.findings else "不是一份记录"
            raise MigrateError(f"{rel} 读不出来（{why}）：请先改正再转换")
        records.append((rel, doc.data))
        texts[rel] = raw.decode("utf-8-sig")
    if not any("reserve" in data for _, data in records):
        raise MigrateError("名册已经是新格式：干部记录里没有 reserve，不需要转换")

    result = split(records, body, str(_dt.date.today().year))
    present = [p for p in result.acts if (root / p).exists()]
    if present:
        raise MigrateError(f"{present[0]} 已经存在：请确认名册没有转换过一半（git status），恢复后再运行")
    written = []
    for path, text in sorted(files(result, units).items()):
        written.append(path)
        if not dry_run:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
    for path, own in sorted(result.people.items()):
        text = roundtrip.rewrite(texts[path], own)
        if text != texts[path]:
            written.append(path)
            if not dry_run:
                (root / path).write_text(text, encoding="utf-8")
    return result, written


def _round(data: dict, today: str) -> tuple[int, str]:
    """The round and unit of a candidate: its nomination's, else the year of its first dated step."""
    reserve = data.get("reserve") or {}
    nomination = reserve.get("nomination")
    if reserve.get("source") == NOMINATED and isinstance(nomination, str) and "/" in nomination:
        year, unit = nomination.split("/", 1)
        return int(year), unit
    dated = [str((reserve.get("decision") or {}).get("date") or ""), str(reserve.get("entered") or "")]
    dated += [str((data.get("inspection") or {}).get("date") or "")]
    dated += [str(e.get("date") or "") for e in data.get("evaluations") or []]
    years = [int(d[:4]) for d in dated if d[:4].isdigit()]
    return (min(years) if years else int(today)), data["employment"]["unit"]


def _meeting(
    meetings: dict, date: str, body: str, ref: str | None, like: bool = False, same_body: bool = False
) -> dict:
    """The decision of a meeting on `date`; with `like`, an existing one of that date (of that body, with
    `same_body`) is taken when there is one."""
    date = str(date)
    if like:
        for (day, who, _), values in sorted(meetings.items(), key=lambda m: (m[0][0], m[0][1], m[0][2] or "")):
            if day == date and (not same_body or who == body):
                return values
    key = (date, body, ref or "")
    if key not in meetings:
        meetings[key] = {"body": body, "date": date, **({"ref": ref} if ref else {})}
    return meetings[key]


def place(acts: dict[str, dict], path: str, data: dict, body: str, today: str) -> dict:
    """A person's whole values (as `acts.assemble` gives them) written into the act files `acts` ({path:
    values}), as `split` would write them: into the file of the same round and unit, or of the same meeting
    (body, date and reference), or a new one. An entry of the person that stays in a file keeps its place
    there; one no longer wanted is taken out. Returns the changed act files ({path: values}, None for a file
    left with no one in it)."""
    cadre = data["id"]
    current = dict(acts)
    wanted: dict[str, dict] = {}  # act file -> the values split would give it for this person alone
    for act_path, values in split([(path, data)], body, today).acts.items():
        target = act_path
        if act_path.startswith("registry/decisions/"):
            target = _meeting_file(current, act_path, values)
        wanted[target] = values
    changed: dict[str, dict | None] = {}
    for act_path in sorted(set(current) | set(wanted)):
        old = current.get(act_path)
        new = _placed(old, wanted.get(act_path), cadre)
        if new != old:
            changed[act_path] = new
    return changed


def _meeting_file(current: dict[str, dict], act_path: str, values: dict) -> str:
    """The decision file a meeting's part for one person goes into: the file of that meeting (same body and
    date; same reference where the part names one: a review, an exit or a waiver names only its date), else a
    new file named by the date."""
    same = ("body", "date", "ref") if "ref" in values else ("body", "date")
    for path in sorted(p for p in current if p.startswith("registry/decisions/")):
        if all(current[path].get(k) == values.get(k) for k in same):
            return path
    stem, target, n = act_path.removesuffix(".yaml"), act_path, 1
    while target in current:
        n += 1
        target = f"{stem}-{n}.yaml"
    return target


def _placed(old: dict | None, mine: dict | None, cadre: str) -> dict | None:
    """One act file with the person's entries replaced (in place), taken out, or added at the end."""
    if old is None:
        return mine
    out = dict(old)
    lists = [k for k, v in old.items() if isinstance(v, list)] + [
        k for k, v in (mine or {}).items() if isinstance(v, list) and k not in old
    ]
    for key in lists:
        pending = list((mine or {}).get(key) or [])
        items = []
        for item in old.get(key) or []:
            if item.get("cadre") != cadre:
                items.append(item)
            elif pending:
                items.append(pending.pop(0))
        items += pending
        if items:
            out[key] = items
        else:
            out.pop(key, None)
    return out if any(isinstance(v, list) and v for v in out.values()) else None
