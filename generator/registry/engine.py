"""The check engine: what a check is (Check), what it reads (Context), and how the table runs (run_checks).

A check is a small named function in a table (checks.CHECKS, rules.RULES): given a file's entry and the
context (or the context alone, for a check across the registry) it yields findings under its one code. The
engine runs every check on every file of its kind, judges the conditions of eligibility on the day the
区委常委会 admitted a person and again now (then_and_now), and applies the exceptions a decision recorded
(_apply_exceptions).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from generator.core import dates, defaults
from generator.core.findings import ERROR, WAIVED, WARNING, Finding, field_path
from generator.registry import acts, facts, sealed
from generator.registry.files import Entry, Registry
from generator.registry.load import load_file
from generator.registry.vocabulary import IN_POOL

# which assessment scale of schemas/codes/assessment_grade.yaml applies to an establishment
GRADE_SCALE = {"行政编制": "civil_servant", "参照公务员法管理事业编制": "civil_servant", "事业编制": "institution"}


@dataclass(frozen=True)
class Check:
    code: str
    scope: str  # 'cadre' | 'nomination' | 'registry'
    func: Callable
    needs_valid: bool = True
    # a condition of eligibility (选备条件): judged when the 常委会 admitted the person (and again now, when
    # `dated`: its answer depends on the date, as years at rank do). Which conditions a recorded exception may
    # waive is policy.yaml's to say (rules.waivable), and only conditions may be listed there (X31)
    condition: bool = False
    dated: bool = False
    # it reads the personal numbers (ctx.keys, ctx.plain): its findings depend on the run's key. Every other
    # check runs with no key at all (run_checks' `keys`), so what it finds may be kept on disk (validate.py)
    numbers: bool = False

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


class Context:
    """What every check may read: the registry, lookups built once, and the as-of date."""

    def __init__(
        self, registry: Registry, as_of: _dt.date, numbers: bool = True, keys: sealed.Keys | None = None
    ) -> None:
        """`numbers`: open the sealed personal numbers now, for the checks that read them (R12, X17, X20);
        `keys`: the keys to open them with (default: the run's; `sealed.Keys()`: none)."""
        self.registry = registry
        self.as_of = as_of
        self.units = {u["id"]: u for u in registry.units}
        self.cadres = defaultdict(list)
        self.unreadable = set()  # names of cadre files that did not load: their ids are unknown, not missing
        for entry in registry.of_kind("cadre", valid_only=False):
            if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
                self.cadres[entry.data["id"]].append(entry)
            elif entry.data is None:
                self.unreadable.add(entry.path.rsplit("/", 1)[-1][: -len(".yaml")])
        self.nominations = {e.path: e for e in registry.nominations}
        self.nomination_files = {e.path for e in registry.of_kind("nomination", valid_only=False)}
        self.nominated = {path: {c["cadre"] for c in e.data["candidates"]} for path, e in self.nominations.items()}
        policy = registry.policy or {}
        self.specialties = set(policy.get("specialties", []))
        self.rules = policy.get("rules", {})
        self.schooling: dict = next((t for t in policy.get("targets", ()) if t.get("of") == "party_school"), {})
        self.codes = registry.schemas.codes
        self._derived: dict = {}  # code-table lookups made once per run
        self._at: dict[_dt.date, Context] = {}  # the same lookups at other dates
        self.as_of_text = as_of.isoformat()
        self.date_fields = {
            kind: _tree(p for p, t in types.items() if t == "date") for kind, types in registry.schemas.types.items()
        }
        self.keys = sealed.keys() if keys is None else keys
        self.sensitive = sorted(registry.schemas.vocabulary.sensitive)
        if numbers and self.keys.available:  # every number R12, X17 and X20 will read, opened at once on every core
            self.keys.open_many(e.data.get(name) for e in registry.cadres for name in self.sensitive)

    def plain(self, entry: Entry, name: str) -> str | None:
        """A personal number in clear text, or None when it is sealed and this run has no key that opens it."""
        value = entry.data.get(name)
        if not isinstance(value, str) or (sealed.is_sealed(value) and not self.keys.available):
            return None
        try:
            return self.keys.open(value)
        except sealed.SealError:
            return None  # X20 says so

    def at(self, day: _dt.date) -> Context:
        """The same lookups, counted at another date (when the 常委会 admitted a person); one per date."""
        if day not in self._at:
            other = copy.copy(self)
            other.as_of, other.as_of_text = day, day.isoformat()
            self._at[day] = other
        return self._at[day]

    def finding(
        self, entry: Entry, path: tuple, code: str, message: str, hint: str = "", severity: str = ERROR
    ) -> Finding:
        """A finding at a field of a file; a value a person's record has from an act (acts.py) is found in the
        act's file, at the person's entry there, and the message starts with whom it is about."""
        where, at = self.registry.origin(entry.path, path)
        kind = entry.kind if where == entry.path else self.registry.kind_at(where)
        if where != entry.path:
            message = f"{acts.person(entry)}：{message}"
        line, col = self.registry.locate(where, at)
        label = self.registry.schemas.label(kind, at) if at else ""
        return Finding(where, line, col, severity, code, label, field_path(at), message, hint)

    def unit_name(self, unit_id: str) -> str:
        """「区财政局」（caizheng）: a unit as a message names it."""
        unit = self.units.get(unit_id)
        name = unit["name"] if unit else None
        return f"「{name}」（{unit_id}）" if name else f"「{unit_id}」"

    def ranks_from(self, lowest: str) -> frozenset[str]:
        """The ranks at or above `lowest` (the rank table runs from low to high)."""
        if ("rank", lowest) not in self._derived:
            names = self.codes["rank"].names()
            self._derived["rank", lowest] = frozenset(names[names.index(lowest) :])
        return self._derived["rank", lowest]

    def flagged(self, table: str, flag: str) -> frozenset[str]:
        """The names of a code table that carry a flag, looked up once per run."""
        if (table, flag) not in self._derived:
            self._derived[table, flag] = frozenset(self.codes[table].with_flag(flag))
        return self._derived[table, flag]

    @functools.cached_property
    def post_words(self) -> dict:
        """schemas/post_words.yaml (the repository's, else the shipped one): the words X28 reads posts by."""

        path = post_words_file(self.registry.schemas.folder)
        data = load_file(path, str(path)).data if path.is_file() else None
        return data if isinstance(data, dict) else {}

    @functools.cached_property
    def low_grades(self) -> frozenset[str]:
        """policy.yaml's `adjustment.low_grades`: the grades after entry the round decides on (R11), read once."""
        return frozenset((self.registry.policy or {}).get("adjustment", {}).get("low_grades") or ())

    @functools.cached_property
    def min_approval(self) -> Fraction:
        return facts.fraction(self.rules["min_approval"])

    @functools.cached_property
    def education_order(self) -> dict[str, int]:
        """学历 name -> position in the code table (0 is the highest)."""
        return {name: i for i, name in enumerate(self.codes["education_level"].names())}

    def cadre(self, cadre_id: str) -> Entry | None:
        """The first file with this id, valid or not (None: no file has it)."""
        found = self.cadres.get(cadre_id)
        return found[0] if found else None


def post_words_file(schemas_folder: Path) -> Path:
    """The post_words.yaml X28 reads: the repository's own schemas' copy, else the shipped one."""
    path = schemas_folder / "post_words.yaml"
    return path if path.is_file() else defaults.shipped() / "schemas" / "post_words.yaml"


def run_checks(
    registry: Registry, as_of: _dt.date, checks: Iterable[Check], keys: sealed.Keys | None = None
) -> list[Finding]:
    """The findings of every check in the table, with recorded exceptions applied; `keys` as Context's."""
    checks = list(checks)
    ctx = Context(registry, as_of, numbers=any(c.numbers for c in checks), keys=keys)
    found: list[Finding] = []
    waivable_found: list[tuple[Entry, Finding]] = []  # a rule's findings about a person, whatever file they name
    by_scope = defaultdict(list)
    for check in checks:
        by_scope[check.scope].append(check)
    for check in by_scope.pop("registry", []):
        found.extend(_own(check, list(check.func(ctx))))
    for scope, group in by_scope.items():
        # every check on one record before the next: its values stay in the CPU cache
        for entry in registry.of_kind(scope, valid_only=False):
            if isinstance(entry.data, dict):
                admitted = admitted_on(entry) if entry.valid and scope == "cadre" else None
                for check in group:
                    if check.condition and admitted is not None:
                        waivable_found.extend((entry, f) for f in then_and_now(check, entry, ctx, admitted))
                    elif check.condition and entry.valid:
                        now = _own(check, list(check.func(entry, ctx)))
                        waivable_found.extend((entry, _dated(f, f"截至{ctx.as_of_text}", ctx.as_of_text)) for f in now)
                    elif entry.valid or not check.needs_valid:
                        found.extend(_own(check, list(check.func(entry, ctx))))
    flagged = {check.code for check in checks if check.condition}
    if not flagged:
        return found + [f for _, f in waivable_found]
    allowed = ctx.rules.get("waivable")
    policy = next((e for e in registry.entries if e.kind == "policy" and e.valid), None)
    for code in sorted(set(allowed or ()) - flagged):  # a path or a step: never
        if policy is None:
            break
        found.append(
            ctx.finding(
                policy,
                ("rules", "waivable"),
                "X31",
                f"{code} 不能写进可以例外批准的规则：它是程序或产生途径，不是选备条件",
                f"可以例外批准的只有选备条件（{'、'.join(sorted(flagged))}）；请从 waivable 中去掉 {code}",
            )
        )
    waivable = sorted(flagged if allowed is None else flagged & set(allowed))
    return found + _apply_exceptions(ctx, waivable_found, waivable)


def _own(check: Check, found: list[Finding]) -> list[Finding]:
    """A check's findings, which are under its own code only (the table says which code each function gives):
    one under another code is the program's mistake, never shown as the registry's."""
    if found and any(f.code != check.code for f in found):
        raise AssertionError(f"{check.name} reported under {sorted({f.code for f in found})}, not {check.code}")
    return found


def admitted_on(entry: Entry) -> _dt.date | None:
    """When the 常委会 admitted a person in the pool (its decision, else the entry date); None for anyone else."""
    reserve = entry.data["reserve"]
    if reserve["status"] != IN_POOL:
        return None
    day = (reserve.get("decision") or {}).get("date") or reserve.get("entered")
    return dates.day(day) if day else None


def then_and_now(check: Check, entry: Entry, ctx: Context, admitted: _dt.date) -> list[Finding]:
    """A condition judged on the day the 常委会 admitted the person (an error: admitted against the rules),
    and on the as-of date (a warning, for what no longer holds: the review or 调整出库 is due)."""
    then = _own(check, list(check.func(entry, ctx.at(admitted))))
    if then:
        day = admitted.isoformat()
        then = [_dated(f, f"按 {day} 区委常委会研究确定时的情况", day) for f in then]
    if not check.dated:  # what the record says now is what it said then
        return then
    now = _own(check, list(check.func(entry, ctx)))
    if not now:
        return then
    seen = {(f.code, f.field) for f in then}
    now = [_dated(f, f"截至{ctx.as_of_text}", ctx.as_of_text) for f in now]
    return then + [
        dataclasses.replace(
            f,
            severity=WARNING,
            message=f"入库后情况有变化：{f.message}",
            hint="请在本轮调整中审核：已不符合条件的，由区委常委会决定出库（决定的 left：调整出库和原因）；"
            "记录填错的请改正",
        )
        for f in now
        if (f.code, f.field) not in seen
    ]


def _dated(finding: Finding, when: str, day: str) -> Finding:
    """A condition's finding that says the date it was judged at: in place of the 截至 date its message names
    (an R03 judged on the 常委会's day says it is that day's decision), else at its end."""
    if f"截至{day}" in finding.message:
        return dataclasses.replace(finding, message=finding.message.replace(f"截至{day}", when))
    return finding if day in finding.message else dataclasses.replace(finding, message=f"{finding.message}（{when}）")


def _apply_exceptions(ctx: Context, found: list[tuple[Entry, Finding]], waivable: list[str]) -> list[Finding]:
    """A recorded exception turns its rule's findings about that person into 例外 (listed, not failing).

    An exception for a rule the record does not break is stale: a warning,
    for records the rules apply to. One for a rule that cannot be waived is an error.
    """
    entries = {e.path: e for e in ctx.registry.of_kind("cadre") if e.data.get("exceptions")}
    bodies = ctx.rules.get("deciding_bodies", ())
    out, used = [], set()
    for subject, finding in found:
        entry = entries.get(subject.path)
        waiver = (
            facts.waivers(entry.data, ctx.as_of, bodies).get(finding.code)
            if entry and finding.code in waivable
            else None
        )
        if waiver is None or finding.severity == WARNING:  # a waiver covers the admission, not what came after
            out.append(finding)
            continue
        i, item = waiver
        used.add((subject.path, finding.code))
        decided_in, _ = ctx.registry.origin(subject.path, ("exceptions", i))
        out.append(
            dataclasses.replace(
                finding,
                severity=WAIVED,
                hint=f"已由{item['decided_by']}于 {item['date']} 批准例外（{decided_in}）：{item['reason']}",
            )
        )
    for path, entry in entries.items():
        for i, item in enumerate(entry.data["exceptions"]):
            where = ("exceptions", i, "rule")
            if item["rule"] not in waivable:
                out.append(
                    ctx.finding(
                        entry,
                        where,
                        "X14",
                        f"规则「{item['rule']}」不能例外批准",
                        f"可以例外批准的规则：{'、'.join(waivable)}（policy.yaml 的 rules.waivable）；"
                        "推荐、考察和常委会研究确定的程序（R08、R10）必须履行，"
                        "产生途径（R09 连续优秀、R10 选拔和交流的记录）必须属实，记录本身的错误（R12）请改正",
                    )
                )
                continue
            problem = facts.waiver_problem(entry.data, item, bodies)
            if problem is not None:
                field, message = problem
                out.append(
                    ctx.finding(
                        entry,
                        ("exceptions", i, field),
                        "X14",
                        message,
                        f"这条例外不生效，{item['rule']} 仍按错误处理；请核对批准机关和日期",
                    )
                )
            elif (
                (path, item["rule"]) not in used
                and dates.day(item["date"]) <= ctx.as_of
                and entry.data["reserve"]["status"] in ctx.rules.get("checked_statuses", ())
            ):
                out.append(
                    ctx.finding(
                        entry,
                        where,
                        "X14",
                        f"例外批准针对 {item['rule']}，但本记录并不违反 {item['rule']}（截至{ctx.as_of_text}）",
                        "条件已经具备的，请删除这条例外批准；否则请核对规则编号",
                        WARNING,
                    )
                )
    return out


def _tree(patterns: Iterable[tuple]) -> dict:
    """Path patterns as a tree to walk once: {'resume': {ITEM: {'from': {}, 'to': {}}}, 'birth': {}}."""
    tree: dict = {}
    for pattern in patterns:
        node = tree
        for part in pattern:
            node = node.setdefault(part, {})
    return tree
