"""Each act in the file of the body that made it; a person's reserve status derived from the acts.

The policy's steps are documents, each kept by the body that takes the step (CODEOWNERS gives the org
department's files to the org department alone):

    registry/nominations/<yyyy>/<unit>.yaml   the unit's party organisation: 民主推荐 (candidates, level, votes)
    registry/inspections/<yyyy>/<unit>.yaml   the 区委组织部: each candidate of the round it takes up, with the
                                              path (source), the proposed level and track, the 民主测评, the
                                              考察 and the 培养方案
    registry/decisions/<yyyy-mm-dd>.yaml      one meeting of the 区委常委会: admitted, reviewed (kept in a
                                              round), left (已使用 / 调整出库, with the reason), waivers
    registry/watch.yaml                       the 区委组织部's 关注 list (优秀干部苗子)

A person's own file keeps the person's facts (identity, employment, education, resume, assessments, training,
practice, rewards and punishments), which the unit keeps up to date. `assemble` gives every person's values
the fields the later stages read, as the acts say them: `reserve` (level, track, direction, source,
nomination, status, decision, entered, reviewed, exit), `evaluations`, `inspection`, `development_plan` and
`exceptions`; and it remembers where each came from (`Registry.origin`), so a finding about a derived value
names the act's file and line, not the person's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.core.errors import CadresError
from generator.core.findings import ERROR, Finding
from generator.registry import files as registry_files  # files imports this module: its names are read at call time
from generator.registry.vocabulary import IN_POOL, INSPECTED, LEFT, NOMINEE, TRACKED, USED

if TYPE_CHECKING:
    from generator.registry.files import Entry, Registry

ACT_KINDS = ("nomination", "inspection", "decision", "watch")
# never in a person's file
DERIVED = ("reserve", "evaluations", "inspection", "development_plan", "selection", "tracking", "exceptions")
PROPOSAL = ("level", "track", "direction", "source")  # what an inspection entry or the watch list proposes
SECTIONS = ("admitted", "reviewed", "left", "waivers")  # a decision's parts, applied in this order
NOMINATED = "民主推荐"


class OldLayout(CadresError):
    """A registry whose people's files still hold the org department's acts: one line saying how to convert."""


@dataclass
class Index:
    """Every valid act, by the person it names: (entry, position in its list)."""

    nominations: dict = field(default_factory=lambda: defaultdict(list))
    candidates: dict = field(default_factory=lambda: defaultdict(list))
    decisions: dict = field(default_factory=lambda: defaultdict(list))  # (entry, section, position)
    watched: dict = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, registry: Registry) -> Index:
        index = cls()
        for entry in registry.entries:
            if not entry.valid:
                continue
            if entry.kind == "nomination":
                for i, item in enumerate(entry.data["candidates"]):
                    index.nominations[item["cadre"]].append((entry, i))
            elif entry.kind == "inspection":
                for i, item in enumerate(entry.data["candidates"]):
                    index.candidates[item["cadre"]].append((entry, i))
            elif entry.kind == "watch":
                for i, item in enumerate(entry.data["watched"]):
                    index.watched[item["cadre"]].append((entry, i))
            elif entry.kind == "decision":
                for section in SECTIONS:
                    for i, item in enumerate(entry.data.get(section) or ()):
                        index.decisions[item["cadre"]].append((entry, section, i))
        for acts in index.decisions.values():
            acts.sort(key=lambda a: (_day(a[0].data["date"]), a[0].path, SECTIONS.index(a[1]), a[2]))
        return index


def assemble(registry: Registry) -> None:
    """Give each person's values the fields derived from the acts (new Entry objects: a registry shared with
    another, as `with_files` makes, is never changed), with their origins; a person no act names is a finding."""
    if _old_layout(registry):
        raise OldLayout(
            "这个名册还是旧格式：干部记录里有 reserve（后备情况）等由区委组织部、区委常委会填写的内容。"
            "请运行 cadres migrate 把它们移到 registry/inspections/、registry/decisions/ 和 registry/watch.yaml，"
            "再提交（cadres migrate --dry-run 先列出要做的修改）"
        )
    index = Index.of(registry)

    entries, origins, unenrolled = [], {}, set()
    # a person an act file names while that file fails its schema: what the acts say of them is unknown until it
    # is fixed (its own errors say how), so they are not judged on half their values, nor told no act names them
    pending = _named_in_broken_acts(registry)
    for entry in registry.entries:
        own = entry.own if entry.own is not None else entry.data
        if entry.kind != "cadre" or not isinstance(own, dict) or not isinstance(own.get("id"), str):
            entries.append(entry)
            continue
        derived, where, problem = derive(own["id"], index)
        valid = entry.valid and problem is None and own["id"] not in pending
        if problem is not None and entry.valid and own["id"] not in pending:
            registry.findings.append(problem(registry, entry))
            unenrolled.add(entry.path)
        data = {k: v for k, v in own.items() if k not in DERIVED} | derived
        entries.append(registry_files.Entry(entry.path, entry.kind, data, valid, own))
        origins[entry.path] = where
    registry.entries = entries
    registry.origins = origins
    registry.unenrolled = unenrolled


def derive(cadre: str, index: Index) -> tuple[dict, dict, Any]:
    """(derived values, {derived field path: (file, path in it)}, None or a function making the finding)."""
    reserve: dict[str, Any] = {}
    out: dict[str, Any] = {"reserve": reserve}
    where: dict[tuple, tuple[str, tuple]] = {}
    candidate = max(index.candidates.get(cadre, ()), key=lambda a: (a[0].data["round"], a[0].path), default=None)
    nomination = max(index.nominations.get(cadre, ()), key=lambda a: (a[0].data["round"], a[0].path), default=None)
    watched = index.watched.get(cadre, [])
    if candidate is not None:
        entry, i = candidate
        item = entry.data["candidates"][i]
        at = ("candidates", i)
        _propose(reserve, where, item, entry.path, at)
        if item["source"] == NOMINATED:
            reserve["nomination"] = f"{entry.data['round']}/{entry.data['unit']}"
            where[("reserve", "nomination")] = (entry.path, (*at, "source"))
        reserve["status"] = INSPECTED if item.get("inspection") else NOMINEE
        where[("reserve",)] = where[("reserve", "status")] = (entry.path, at)
        for key in ("inspection", "development_plan", "selection"):
            if key in item:
                out[key] = item[key]
                where[(key,)] = (entry.path, (*at, key))
        evaluations = sorted(
            (
                (ev["date"], e.path, i, m)
                for e, i in index.candidates[cadre]
                for m, ev in enumerate(e.data["candidates"][i].get("evaluations") or ())
            ),
        )
        if evaluations:
            out["evaluations"] = []
            for k, (_, path, i_, m) in enumerate(evaluations):
                found = next(e for e, j in index.candidates[cadre] if e.path == path and j == i_)
                out["evaluations"].append(found.data["candidates"][i_]["evaluations"][m])
                where[("evaluations", k)] = (path, ("candidates", i_, "evaluations", m))
    elif watched:
        entry, i = watched[-1]
        _propose(reserve, where, entry.data["watched"][i], entry.path, ("watched", i))
        reserve["status"] = TRACKED
        where[("reserve",)] = where[("reserve", "status")] = (entry.path, ("watched", i))
        item = entry.data["watched"][i]
        tracking = {k: item[k] for k in ("category", "log") if k in item}
        if tracking:  # 跟踪了解: its category and the dated observations, the org department's own
            out["tracking"] = tracking
            where[("tracking",)] = (entry.path, ("watched", i))
    elif nomination is not None:
        entry, i = nomination
        item = entry.data["candidates"][i]
        reserve.update(level=item["level"], source=NOMINATED, status=NOMINEE)
        reserve["nomination"] = f"{entry.data['round']}/{entry.data['unit']}"
        at = ("candidates", i)
        where[("reserve",)] = where[("reserve", "status")] = where[("reserve", "nomination")] = (entry.path, at)
        where[("reserve", "level")] = (entry.path, (*at, "level"))
    _decide(cadre, index, out, where, candidate)
    if not reserve.get("status"):
        return {}, {}, _unnamed
    if "level" not in reserve or (reserve["status"] in (IN_POOL, USED, LEFT) and "track" not in reserve):
        never = reserve["status"] in (USED, LEFT) and "decision" not in reserve
        return {}, {}, _undecided(where.get(("reserve",)), never)
    if "source" not in reserve:  # a decision names them, and no nomination, inspection or watch list does
        return {}, {}, _undecided(where.get(("reserve",)), False, pathless=True)
    return out, where, None


def origin(origins: dict, path: str, field_path: tuple) -> tuple[str, tuple]:
    """Where a field of a person's derived values was written: (file, field path in it); the person's own file
    for the person's own fields."""
    mapped = origins.get(path)
    if not mapped or not field_path or field_path[0] not in DERIVED:
        return path, field_path
    for cut in range(len(field_path), 0, -1):
        found = mapped.get(field_path[:cut])
        if found is not None:
            return found[0], found[1] + field_path[cut:]
    return path, ()


# -- private ---------------------------------------------------------------------------------------------


def _propose(reserve: dict, where: dict, item: dict, path: str, at: tuple) -> None:
    for key in PROPOSAL:
        if key in item:
            reserve[key] = item[key]
            where[("reserve", key)] = (path, (*at, key))


def _decide(cadre: str, index: Index, out: dict, where: dict, candidate: Any) -> None:
    """Apply every decision naming the person, oldest first; a later round's candidacy after a departure
    starts again from the candidacy."""
    reserve = out["reserve"]
    acts = index.decisions.get(cadre, [])
    if candidate is not None and acts:
        last = acts[-1]
        if last[1] == "left" and candidate[0].data["round"] > int(str(last[0].data["date"])[:4]):
            acts = []  # left, then a candidate of a later round: the candidacy is what stands now
    for entry, section, i in acts:
        data, item, path = entry.data, entry.data[section][i], entry.path
        at = (section, i)
        decision = {key: data[key] for key in ("body", "date", "ref") if key in data}
        if section == "admitted":
            for key in ("exit", "reviewed"):
                reserve.pop(key, None)
            reserve.update(status=IN_POOL, decision=decision, entered=data["date"])
            for key in ("level", "track"):
                if key in item:
                    reserve[key] = item[key]
                    where[("reserve", key)] = (path, (*at, key))
            where[("reserve",)] = where[("reserve", "status")] = where[("reserve", "entered")] = (path, at)
            where[("reserve", "decision")] = (path, at)
            for key in ("body", "date", "ref"):
                where[("reserve", "decision", key)] = (path, (key,))
        elif section == "reviewed":
            reserve["reviewed"] = data["date"]
            where[("reserve", "reviewed")] = (path, at)
        elif section == "left":
            reserve.update(status=item["status"], exit={"date": data["date"], "reason": item["reason"]})
            where[("reserve",)] = where[("reserve", "exit")] = (path, at)
            where[("reserve", "status")] = (path, (*at, "status"))
            where[("reserve", "exit", "date")] = (path, ("date",))
            where[("reserve", "exit", "reason")] = (path, (*at, "reason"))
        else:
            waivers = out.setdefault("exceptions", [])
            k = len(waivers)
            waivers.append(
                {"rule": item["rule"], "reason": item["reason"], "decided_by": data["body"], "date": data["date"]}
            )
            where[("exceptions", k)] = (path, at)
            for key in ("rule", "reason"):
                where[("exceptions", k, key)] = (path, (*at, key))
            where[("exceptions", k, "decided_by")] = (path, ("body",))
            where[("exceptions", k, "date")] = (path, ("date",))


def _unnamed(_registry: Registry, entry: Entry) -> Finding:
    return Finding(
        entry.path,
        1,
        1,
        ERROR,
        "X22",
        "",
        "",
        "这名干部不在任何推荐、考察、决定或关注名单中：记录写好了，却没有人推荐他",
        "单位推荐的人选：请在本单位本轮的推荐文件 registry/nominations/<年份>/<单位编号>.yaml 的 candidates 中"
        "写上他的编号、层级和得票；区委组织部关注的人选写在 registry/watch.yaml",
    )


def _undecided(
    at: tuple[str, tuple] | None, never_admitted: bool, pathless: bool = False
) -> Callable[[Registry, Entry], Finding]:
    """X22 at the act that made a person's status, when it leaves them with no level or track, or admitted by no
    path of the policy (no nomination, inspection record or watch list names them)."""

    def finding(registry: Registry, entry: Entry) -> Finding:
        where, path = at if at else (entry.path, ())
        line, col = registry.locate(where, path)
        own = entry.own if isinstance(entry.own, dict) else entry.data
        who = f"{own.get('name', '')}（{own.get('id', '')}）"
        if pathless:
            message = f"{who}：决定列入了此人，但没有任何推荐文件或考察记录：后备干部须经推荐（或其他产生方式）和考察"
            hint = "请补上此人所在单位那一轮的推荐文件和区委组织部的考察记录；决定写错了人的，请改正编号"
        elif never_admitted:
            message = f"{who}：决定写的是出库，但此人从未被研究确定列入后备（没有 admitted），不能出库"
            hint = "尚未入库的人选不再考虑时，从考察记录或推荐文件中去掉即可；核对编号是否写错"
        else:
            message = f"{who}：没有写明后备层级和培养类别"
            hint = (
                "请在 registry/inspections/<年份>/<单位编号>.yaml 中写上此人的 level 和 track，或写在决定的 admitted 中"
            )
        return Finding(where, line, col, ERROR, "X22", "", "", message, hint)

    return finding


def _named_in_broken_acts(registry: Registry) -> set[str]:
    """The ids an act file names (as far as it can be read) when that file fails its schema."""
    named: set[str] = set()
    for entry in registry.entries:
        if entry.kind in ACT_KINDS and not entry.valid and isinstance(entry.data, dict):
            for value in entry.data.values():
                for item in value if isinstance(value, list) else ():
                    if isinstance(item, dict) and isinstance(item.get("cadre"), str):
                        named.add(item["cadre"])
    return named


def _day(text: str) -> str:
    return str(text) if len(str(text)) == 10 else f"{text}-00"


def _old_layout(registry: Registry) -> bool:
    if any(e.kind in ("inspection", "decision", "watch") for e in registry.entries):
        return False
    return any(isinstance(e.data, dict) and "reserve" in e.data for e in registry.entries if e.kind == "cadre")


def own(entry: Entry) -> dict:
    """A person's values as the person's own file holds them (what an import compares and writes back)."""
    data = entry.own if entry.own is not None else entry.data
    return {k: v for k, v in data.items() if k not in DERIVED}


def person(entry: Entry) -> str:
    """「姓名（编号）」 of a person's values, for a finding written in an act's file."""
    data = entry.data if isinstance(entry.data, dict) else {}
    return f"{data.get('name', '')}（{data.get('id', '')}）"
