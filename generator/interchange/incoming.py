"""What every importer gives, and the one way an imported person goes into a record.

An import format is one module with one function, `read(registry, paths, unit) -> Reading`: the records its
files make, what keeps a row or form out (problems) and what was read but not taken (notes), each naming its
place. Each reader turns its cells or elements into values in the record's shape and hands them to an
`Intake`, which finds who the person is (matching.People), merges the values into that record (`merge`) or
starts a new one with a fresh id, and puts the fields in the schema's order.

The formats differ in what their values mean, and that is data (`Rules`), never a merge of their own: a form
and a 名册 give months, the template gives the record's own dates back; a form's 入党时间 column holds a date or
a party, a 名册's 政治面貌 and 入党时间 are kept consistent; a form's 院校系及专业 is one string, a 名册's
`南京大学 金融学` is split at its space. What the template's empty cell means is in its values: None removes
the field (the template reader leaves a blank 身份证号 or 联系电话 out, so the record keeps its number).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from generator.core.errors import CadresError
from generator.git.repo import ids_ever
from generator.interchange.lrmx import school_line
from generator.interchange.matching import People
from generator.interchange.new import IdMaker
from generator.registry.files import Registry


class ImportFailure(CadresError):
    """A file cannot be read at all: said in Chinese by the caller."""


@dataclass
class Reading:
    records: list[dict] = field(default_factory=list)  # the records to write, with `_photo` bytes where kept
    problems: list[str] = field(default_factory=list)  # what cannot be imported, and where
    notes: list[str] = field(default_factory=list)  # what was read but has no field, or was not kept


class Reader(Protocol):
    """An import format's one function: the records `paths` make for `unit` (ImportFailure: not readable)."""

    def __call__(self, registry: Registry, paths: list[Path], unit: str) -> Reading: ...


@dataclass(frozen=True)
class Rules:
    """How one format's values go into a record, where the formats genuinely differ."""

    # a birth day the record knows stays when the file gives the same month (forms and 名册 give months; the
    # template gives the record's own date back, so what it says is meant)
    keep_birth_day: bool
    # 政治面貌 and 入党时间: "as_given" (the template: two columns, each as typed), "form" (the 任免审批表's one
    # column: as given, and a date alone makes a new person a 中共党员), "consistent" (a 名册: a date goes with a
    # CPC membership only, a date beside a 民主党派 is said and not taken, and another status drops the date)
    party: Literal["as_given", "form", "consistent"]
    # a 院校系及专业 string that is not the record's own school and major: "whole" (a form's: it becomes the
    # school, the major goes) or "split" (a 名册's: at its first space, `南京大学 金融学`; said, not taken, where
    # the record has no education of that part)
    schools: Literal["whole", "split"]


TEMPLATE = Rules(keep_birth_day=False, party="as_given", schools="whole")
FORM = Rules(keep_birth_day=True, party="form", schools="whole")
ROSTER = Rules(keep_birth_day=True, party="consistent", schools="split")

# values a file gives that replace the record's as they are (None: emptied, the field removed)
AS_GIVEN = (
    "name",
    "sex",
    "ethnicity",
    "native_place",
    "birthplace",
    "work_started",
    "health",
    "id_number",
    "phone",
    "specialties",
    "expertise",
)
PARTS = {"full_time": "全日制", "in_service": "在职"}
CPC = ("中共党员", "中共预备党员")


def merge(existing: dict | None, values: dict, unit: str, rules: Rules, notes: list[str]) -> dict:
    """The record `values` make of `existing` (None: a new person of `unit`); what is not taken goes in `notes`.

    `values` is in the record's shape, with only what the file gives; besides the record's fields it may hold
    `schools` ({part: 院校系及专业 as one string}). A value None removes the field; lists the record keeps
    (简历, 奖惩, 年度考核) are merged, never replaced: nothing the record has is dropped by a shorter file."""
    data: dict[str, Any] = copy.deepcopy(existing) if existing else {"employment": {"unit": unit}}
    for key in AS_GIVEN:
        if key in values:
            _put(data, key, values[key])
    if "birth" in values:
        given, old = values["birth"], str((existing or {}).get("birth") or "")
        if not (rules.keep_birth_day and existing and given and old[:7] == given[:7]):
            _put(data, "birth", given)  # else a day already known stays
    _party(data, values, existing is None, rules, notes)
    employment = data.setdefault("employment", {"unit": unit})  # a record without one is of its folder's unit
    for key, value in values.get("employment", {}).items():
        _put(employment, key, value)
    if "education" in values or "schools" in values:
        _education(data.setdefault("education", {}), values, rules, notes)
    if "resume" in values:
        _put(data, "resume", merge_resume(data.get("resume"), values["resume"]) if values["resume"] else None)
    if values.get("rewards_punishments"):  # the record's and the file's, each once: nothing is dropped
        kept = list(data.get("rewards_punishments") or [])
        kept += [r for r in values["rewards_punishments"] if r not in kept]
        data["rewards_punishments"] = sorted(kept, key=lambda r: r["date"])
    if values.get("assessments"):
        years = {a["year"]: a for a in data.get("assessments") or []}
        years.update({a["year"]: a for a in values["assessments"]})
        data["assessments"] = [years[y] for y in sorted(years)]
    return data


def _put(node: dict, key: str, value: object) -> None:
    """Set a field; None or an empty list removes it."""
    if value is None or value == []:
        node.pop(key, None)
    else:
        node[key] = value


def _party(data: dict, values: dict, new: bool, rules: Rules, notes: list[str]) -> None:
    """政治面貌 and 入党时间 as the format's rule says (Rules.party)."""
    status, joined = values.get("political_status"), values.get("party_joined")
    if rules.party != "consistent":
        for key in ("political_status", "party_joined"):
            if key in values:
                _put(data, key, values[key])
        if rules.party == "form" and joined and "political_status" not in values and new:
            data["political_status"] = "中共党员"  # a date alone in 入党时间: a CPC member
        return
    if status:
        data["political_status"] = status
        if status not in CPC:
            data.pop("party_joined", None)
    if joined:
        now = data.get("political_status")
        if now is None:
            data["political_status"] = "中共党员"  # a join date and nothing else: a CPC member
        elif now not in CPC:
            notes.append(f"入党时间「{joined}」未导入：政治面貌是「{now}」（只有中共党员、预备党员填入党时间）")
            return
        data["party_joined"] = joined


def _education(education: dict, values: dict, rules: Rules, notes: list[str]) -> None:
    """Each part's values over the record's (None removes one); then each part's 院校系及专业 string."""
    for part, given in values.get("education", {}).items():
        merged = dict(education.get(part) or {})
        for key, value in given.items():
            _put(merged, key, value)
        education[part] = merged
    if not education.get("in_service") and "in_service" in values.get("education", {}):
        education.pop("in_service", None)  # an in-service part emptied is no part
    for part, text in values.get("schools", {}).items():
        old = dict(education.get(part) or {})
        words = [x for x in (old.get("school"), old.get("major")) if x]
        if rules.schools == "whole":
            if text in (school_line(old), school_line(old).removesuffix("专业")):
                continue
            # one string on the form: where it is not the record's own school and major, it is taken whole and the
            # old major goes (listed as a removal before anything is written)
            old.pop("major", None)
            education[part] = {**old, "school": text}
            continue
        if text in (school_line(old), " ".join(words), "".join(words)):
            continue  # the record's own school and major, as a 名册 shows them
        if not old:
            notes.append(f"{PARTS[part]}教育的毕业院校「{text}」未导入：没有对应的学历")
            continue
        first, _, rest = text.partition(" ")
        old.pop("major", None)
        education[part] = {**old, "school": first, **({"major": rest} if rest else {})}


def merge_resume(old: list | None, new: list) -> list:
    """New 简历 lines keep the 职级 and 中层岗位 of the old entry that starts in the same month."""
    by_start = {r["from"]: r for r in old or []}
    return [{**{k: v for k, v in by_start.get(r["from"], {}).items() if k not in ("to",)}, **r} for r in new]


def in_schema_order(registry: Registry, data: dict, rules: dict | None = None) -> dict:
    """Fields in the schema's order, at every depth, as every record file has them."""
    rules = registry.schemas.rules["cadre"] if rules is None else rules
    order = list(rules)
    out = {}
    for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order)):
        value, sub = data[key], rules.get(key, {})
        if isinstance(value, dict) and "schema" in sub:
            value = in_schema_order(registry, value, sub["schema"])
        elif isinstance(value, list) and isinstance(sub.get("schema"), dict) and "schema" in sub["schema"]:
            value = [in_schema_order(registry, v, sub["schema"]["schema"]) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


class Intake:
    """The people one import brings into `unit`: who each is (matching.People: everyone readable, complete or
    not, and the people this import has made), the record each makes (`merge`), and fresh ids for new people
    (never an id a deleted record had)."""

    def __init__(self, registry: Registry, unit: str, rules: Rules) -> None:
        self.registry, self.unit, self.rules = registry, unit, rules
        self.people = People(registry)
        self.ids = IdMaker(registry, unit, ids_ever(registry.root))

    def take(self, values: dict, what: str, where: str, said: list[str]) -> tuple[dict | None, str]:
        """(the record `values` make, ""), or (None, why they are not taken): `what` is 这份表 or 这一行, `where`
        the file or row that names the person once; what is said goes in `said`."""
        existing, problem = self.people.match(values, self.unit, what, said, where)
        if problem:
            return None, problem
        return self.record(existing, values, where, said), ""

    def record(self, existing: dict | None, values: dict, where: str, said: list[str]) -> dict:
        """The record of a person already found (`existing`, or None: a new person, given the next id)."""
        data = merge(existing, values, self.unit, self.rules, said)
        if existing is None:
            data["id"] = self.ids.next()
            self.people.add(data, where, self.unit)
        return in_schema_order(self.registry, data)
