"""The demo's change log: a district's merge-request history, made up for the shipped registry.

It lives beside the demo generator (synth_registry.py), outside the installed program: `cadres build` run in
this project's checkout loads it from here (commands/build.py's demo_history); a district's repository never has it.

This project's own git history is its development (English subjects, regenerated
files), never what a district's 变更记录 looks like. So `cadres build`, run in
this project's checkout, reads the history of a repository made here from the
shipped `registry/`: each record goes back in time to its state on any date
(`version_at`: candidates before inspection, the pool before the decision,
resume, assessments, training and the rest as far as their dates go), and the
changes between those states are grouped into the merge requests a district
would make:

    !1   建立科级后备干部名册                       the org department, the configuration files
    …    2019年度民主推荐：区财政局推荐3名人选       each unit's nomination round, with its nomination file
    …    2019年度后备干部考察（15人）                the org department's inspection
    …    区委常委会研究确定2019年度后备干部（12人）   the decision: into the pool
    …    录入2020年度考核结果（区财政局）             the unit, every year
    …    区财政局干部任职变动（2人）                  new posts from the resume
    …    科级后备干部培训班结业登记（30人）           training, practice, rewards
    …    孙某提拔使用，出库 / 两年一次调整中未再列入   exits
    …    2025年度动态调整：复核在库后备干部           reviews
    …    更正孙某的籍贯                               a correction a week after entry (a few records)
    …    孙某调任区发改委                             a record whose id belongs to another unit moved with its new post

Each merge request is a branch commit by the unit's (or the org department's)
clerk and a merge commit in GitLab's template with its title, reference and
Approved-by trailers (names and made-up intranet addresses; sites show names
only). Dates come from the records, so the same registry gives the same
repository, commit for commit. Made with `git fast-import`, once per registry
content and program version, in the cache folder.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.core import cachefile
from generator.interchange.yamlout import dump
from generator.registry.acts import DERIVED
from generator.registry.files import Entry, Registry

PROJECT = "zuzhibu/cadres"
START = "2019-06-03"
WATCHED = "2026-05-18"  # 关注 people (柔性交流) were added in the current round
ORG = ("区委组织部干部科", "ganbuke")
ORG_HEAD = ("区委组织部干部科科长", "ganbuke-head")
TYPOS = {"江": "汪", "山": "出", "阳": "杨", "城": "成", "安": "按", "东": "冬", "西": "酉", "湖": "胡", "州": "洲"}
CORRECTED = 3  # how many records get a typo corrected a fortnight after they were added
EXIT_WORD = {"已使用": "出库", "调整出库": "调整出库"}
ORG_TITLES = {  # the titles of the org department's merge requests, by kind; key is the request's grouping key
    "setup": "建立科级后备干部名册（单位名录、政策参数、网站读者）",
    "watch": "新增柔性交流关注人选（{count}人）",
    "open": "{key[1]}年度{key[2]}产生的后备干部人选（{count}人）",
    "inspect": "{key[1]}年度后备干部考察（{count}人）",
    "decide": "区委常委会研究确定{key[1]}年度后备干部（{count}人入库）",
    "review": "{key[1]}年度动态调整：复核在库后备干部（{count}人）",
    "train": "后备干部培训结业登记（{count}人）",
    "practice": "后备干部挂职锻炼登记（{count}人）",
}
# a change of these fields, in this order, after a move, a status, a review or a correction (_kind)
FIELD_KINDS = (
    ("post", ("resume", "employment")),
    ("assess", ("assessments",)),
    ("train", ("training",)),
    ("practice", ("practice",)),
    ("reward", ("rewards_punishments",)),
)


# -- a record on a date --------------------------------------------------------------------------


def _before(value: str | None, day: str, late: bool = False) -> bool:
    """A record's date (YYYY-MM or YYYY-MM-DD) is known on `day` (YYYY-MM-DD); a month from its 15th (its 28th
    when `late`: an inspection follows that month's nomination meetings)."""
    return bool(value) and _day(str(value), late) <= day


def version_at(final: dict, day: str, home: str | None = None, typo: tuple | None = None) -> dict:
    """The record as the registry held it on `day`, from its final state: what is dated later is not known yet.
    `home`: the unit it belonged to before its current post (a moved record); `typo`: (field, wrong, until)."""
    data = copy.deepcopy(final)
    reserve = data["reserve"]
    exit_ = reserve.get("exit")
    if exit_ and not _before(exit_["date"], day):
        reserve.pop("exit")
        reserve["status"] = "在库"
    decided = (reserve.get("decision") or {}).get("date") or reserve.get("entered")
    if decided and not _before(decided, day):
        for key in ("decision", "entered", "reviewed"):
            reserve.pop(key, None)
        reserve["status"] = "考察"
    inspection = data.get("inspection")
    if inspection and not _before(inspection.get("date"), day, late=True):
        data.pop("inspection")
        data.pop("development_plan", None)
        reserve["status"] = "推荐"
    if reserve.get("reviewed") and not _before(reserve["reviewed"], day):
        reserve.pop("reviewed")
    # the 民主测评 (evaluations) came with the nomination: part of the record from the day it was added
    for key, date_key in (("rewards_punishments", "date"), ("exceptions", "date")):
        if key in data:
            data[key] = [item for item in data[key] if _before(item.get(date_key), day)]
    if "assessments" in data:
        data["assessments"] = [a for a in data["assessments"] if _before(f"{a['year'] + 1}-01-20", day)]
    if "training" in data:
        data["training"] = [t for t in data["training"] if _before(t.get("to") or t.get("from"), day)]
    for key in ("resume", "practice"):
        if key in data:
            kept = [dict(item) for item in data[key] if _before(item.get("from"), day)]
            for item in kept:
                if item.get("to") and not _before(item["to"], day):
                    item.pop("to")
            data[key] = kept
    for key in [k for k in ("rewards_punishments", "exceptions", "training", "practice") if k in data]:
        if not data[key]:
            data.pop(key)
    current = data.get("resume", [])[-1:] if data.get("resume") else []
    employment = data["employment"]
    if current and final["resume"] and current[0]["from"] != final["resume"][-1]["from"]:
        employment.update(post=current[0]["post"], post_since=current[0]["from"])
        if current[0].get("rank"):
            employment["rank"] = current[0]["rank"]
        if home and home != employment["unit"]:
            employment["unit"] = home
    if typo and not _before(typo[2], day):
        data[typo[0]] = typo[1]
    return data


def acts_at(registry: Registry, day: str, people: dict[str, Person]) -> dict[str, tuple[Entry, dict | None]]:
    """The org department's act files as they stood on `day` ({path: (its entry, values or None while not
    written)}): a decision from its date, a candidate's entry in an inspection record from the day the
    candidate was added (the 考察 and 培养方案 from the inspection's month), the watch list's from theirs."""
    return {
        entry.path: (entry, _act_at(entry, day, people))
        for entry in registry.entries
        if entry.kind in ("inspection", "decision", "watch") and entry.valid
    }


def _act_at(entry: Entry, day: str, people: dict[str, Person]) -> dict | None:
    data = entry.data
    if entry.kind == "decision":
        return data if _before(data["date"], day) else None
    key = "candidates" if entry.kind == "inspection" else "watched"
    items = []
    for item in data[key]:
        person = people.get(item["cadre"])
        inspection = item.get("inspection")
        if inspection and not _before(inspection["date"], day, late=True):
            continue  # the org department writes a candidate down when it inspects them
        if person is not None and person.created > day:
            continue
        items.append(item)
    return {**data, key: items} if items else None


# -- the plan: which merge request changes what, when ----------------------------------------------------


@dataclass
class Request:
    key: tuple  # (kind, …) groups the records' changes into one merge request
    day: str = ""
    records: set = field(default_factory=set)  # the ids of the records it changes
    files: dict = field(default_factory=dict)  # path -> bytes, other registry files


@dataclass
class Person:
    id: str
    final: dict
    raw: bytes
    created: str
    home: str | None = None
    typo: tuple | None = None

    def at(self, day: str) -> dict:
        return version_at(self.final, day, self.home, self.typo)

    def own_at(self, day: str) -> bytes:
        """The person's own file on `day`: the file itself once nothing later is missing from it."""
        own = {k: v for k, v in self.at(day).items() if k not in DERIVED}
        return self.raw if own == self.own else dump(own).encode()

    @property
    def own(self) -> dict:
        return {k: v for k, v in self.final.items() if k not in DERIVED}

    def path_at(self, day: str) -> str:
        unit = self.at(day)["employment"]["unit"]
        return f"registry/cadres/{unit}/{self.id}.yaml"


def _people(registry: Registry) -> list[Person]:
    meetings = {
        f"{e.data['round']}/{e.data['unit']}": e.data["meeting"]["date"]
        for e in registry.nominations
        if isinstance(e.data.get("meeting"), dict)
    }
    # a record whose id prefix no other record of its unit uses came from the unit whose records use it
    prefixes = Counter((e.data["id"].split("-")[0], e.data["employment"]["unit"]) for e in registry.cadres)
    home_of: dict[str, str] = {}
    for (prefix, unit), _ in prefixes.most_common():
        home_of.setdefault(prefix, unit)
    people = []
    for entry in registry.cadres:
        data = entry.data
        reserve = data["reserve"]
        if reserve.get("nomination") in meetings:
            created = _shift(meetings[reserve["nomination"]], 1)
        elif reserve["status"] == "关注":
            created = WATCHED
        else:
            dated = [str(d) for d in (_first(data, "evaluations"), (data.get("inspection") or {}).get("date")) if d]
            dated += [str((reserve.get("decision") or {}).get("date") or reserve.get("entered") or WATCHED)]
            created = _shift(min(_day(d) for d in dated), -10)
        prefix = data["id"].split("-")[0]
        alone = prefixes[(prefix, data["employment"]["unit"])] == 1
        home = home_of.get(prefix) if alone else None
        raw = (registry.root / entry.path).read_bytes()
        people.append(Person(data["id"], data, raw, max(created, START), home))
    chosen = [p for p in people if p.final["reserve"]["status"] == "在库" and _typo(p.final.get("native_place"))]
    for person in chosen[:: max(1, len(chosen) // CORRECTED)][:CORRECTED]:
        person.typo = ("native_place", _typo(person.final["native_place"]), _shift(person.created, 14))
    return people


def _first(data: dict, key: str) -> str | None:
    items = data.get(key) or []
    return items[0].get("date") if items else None


def _typo(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    for i, char in enumerate(text):
        if char in TYPOS:
            return text[:i] + TYPOS[char] + text[i + 1 :]
    return None


def _day(value: str, late: bool = False) -> str:
    """A record's date as a day: a month's changes are merged on its 15th (`late`: its 28th)."""
    return value if len(value) == 10 else f"{value[:7]}-{28 if late else 15}"


def _shift(day: str, days: int) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=days)).isoformat()


def _change_days(person: Person) -> list[str]:
    """Every day on which the record may have changed after it was added."""
    data = person.final
    reserve = data["reserve"]
    inspected = (data.get("inspection") or {}).get("date")
    dated: list[object] = [
        (reserve.get("decision") or {}).get("date"),
        reserve.get("entered"),
        reserve.get("reviewed"),
        (reserve.get("exit") or {}).get("date"),
        person.typo[2] if person.typo else None,
    ]
    for key in ("resume", "practice", "training"):
        for item in data.get(key) or []:
            dated += [item.get("from"), item.get("to")]
    for key in ("rewards_punishments", "exceptions"):
        dated += [item.get("date") for item in data.get(key) or []]
    dated += [f"{a['year'] + 1}-01-20" for a in data.get("assessments") or []]  # entered in January
    days = {_day(str(d)) for d in dated if d} | ({_day(str(inspected), late=True)} if inspected else set())
    return sorted(d for d in days if d > person.created)


def _kind(person: Person, before: dict, after: dict, day: str) -> tuple:
    unit = after["employment"]["unit"]
    if before["employment"]["unit"] != unit:
        return ("move", person.id, day[:7])
    if before["reserve"]["status"] != after["reserve"]["status"]:
        status = after["reserve"]["status"]
        if status in EXIT_WORD:
            return ("exit", person.id, day[:7])
        return ("inspect" if status == "考察" else "decide", day[:4])
    if before["reserve"].get("reviewed") != after["reserve"].get("reviewed"):
        return ("review", day[:4])
    if person.typo and before.get(person.typo[0]) != after.get(person.typo[0]):
        return ("fix", person.id, day)
    for kind, keys in FIELD_KINDS:
        if any(before.get(k) != after.get(k) for k in keys):
            if kind in ("train", "practice"):
                return (kind, day[:7])
            return (kind, unit, day[:4] if kind in ("assess", "reward") else day[:7])
    return ("update", unit, day[:7])


def plan(registry: Registry, people: list[Person] | None = None) -> list[Request]:
    """The merge requests, oldest first, each with the records it changes and the files it adds."""
    people = people if people is not None else _people(registry)
    requests: dict[tuple, Request] = {}

    def request(key: tuple, day: str) -> Request:
        found = requests.setdefault(key, Request(key))
        found.day = max(found.day, day)
        return found

    setup = request(("setup",), START)
    for path in ("registry/units.yaml", "registry/policy.yaml", "registry/audiences.yaml"):
        setup.files[path] = (registry.root / path).read_bytes()
    for entry in registry.nominations:
        nomination = f"{entry.data['round']}/{entry.data['unit']}"
        day = _shift(entry.data["meeting"]["date"], 1) if isinstance(entry.data.get("meeting"), dict) else START
        request(("nominate", nomination), day).files[entry.path] = (registry.root / entry.path).read_bytes()
    for person in people:
        reserve = person.final["reserve"]
        if reserve.get("nomination") and ("nominate", reserve["nomination"]) in requests:
            key: tuple = ("nominate", reserve["nomination"])
        elif reserve["status"] == "关注":
            key = ("watch", person.created[:4])
        else:
            key = ("open", person.created[:4], reserve["source"])
        request(key, person.created).records.add(person.id)
        previous = person.at(person.created)
        for day in _change_days(person):
            now = person.at(day)
            if now != previous:
                request(_kind(person, previous, now, day), day).records.add(person.id)
                previous = now
    ordered = sorted(requests.values(), key=lambda r: (r.day, r.key != ("setup",), r.key))
    return ordered


# -- the repository ----------------------------------------------------------------------------------------


def history_repo(registry: Registry, cache_dir: Path) -> Path:
    """The demo repository for this registry, in the cache folder: made again when the registry or the program
    changed, otherwise reused."""
    digest = hashlib.sha256(cachefile.program_fingerprint().encode() + Path(__file__).read_bytes())
    for path in sorted(p for p in (registry.root / "registry").rglob("*.yaml")):
        digest.update(f"\0{path.relative_to(registry.root).as_posix()}\0".encode() + path.read_bytes())
    target = Path(cache_dir) / "demo-history"
    stamp = target / ".git" / "cadres-demo"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    people = _people(registry)  # every record read once, for the plan and the stream
    stream = _stream(registry, plan(registry, people), people)
    subprocess.run(["git", "-C", str(target), "fast-import", "--quiet", "--done"], input=stream, check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "-f", "main"], check=True)
    stamp.write_text(digest.hexdigest())
    return target


def _stream(registry: Registry, requests: list[Request], everyone: list[Person]) -> bytes:
    people = {p.id: p for p in everyone}
    units = {u["id"]: u["name"] for u in registry.units}
    created = _dt.datetime.fromisoformat(f"{START}T08:00:00+08:00")
    out = _commit(1, ORG, created, "初始化仓库", "", [])  # an empty first commit: even the setup is a merge request
    mark = main = 1
    where: dict[str, str] = {}  # cadre id -> its path now
    written: dict[str, bytes] = {}  # path -> the bytes main holds
    act_values: dict[str, dict | None] = {}  # an act file's values on main
    for number, req in enumerate(requests, start=1):
        ops: list[bytes] = []
        changed: list[str] = []
        for path, raw in sorted(req.files.items()):
            ops.append(_modify(path, raw))
        for cadre in sorted(req.records):
            person = people[cadre]
            path = person.path_at(req.day)
            raw = person.own_at(req.day)
            if cadre in where and where[cadre] != path:
                ops.append(f"D {where[cadre]}\n".encode())
            if written.get(path) != raw:
                ops.append(_modify(path, raw))
            where[cadre], written[path] = path, raw
            changed.append(cadre)
        for path, (entry, values) in sorted(acts_at(registry, req.day, people).items()):  # the org's acts
            if (path in act_values and act_values[path] == values) or (path not in act_values and values is None):
                continue
            act_values[path] = values
            if values is None:
                ops.append(f"D {path}\n".encode())
            else:
                raw = (registry.root / path).read_bytes() if values == entry.data else dump(values).encode()
                ops.append(_modify(path, raw))
        if not ops:
            continue
        title, author, approvers = _describe(req, [people[c] for c in changed], units)
        when = _dt.datetime.fromisoformat(f"{req.day}T09:00:00+08:00") + _dt.timedelta(minutes=number)
        branch = f"mr-{number}"
        mark += 1  # the clerk's commit on the branch
        out += _commit(mark, author, when, title, f"from :{main}\n", ops)
        mark += 1  # GitLab's merge commit, in its template, with the same tree
        message = f"Merge branch '{branch}' into 'main'\n\n{title}\n\n"
        message += "".join(f"Approved-by: {name} <{handle}@example.intranet>\n" for name, handle in approvers)
        message += f"\nSee merge request {PROJECT}!{number}\n"
        merged = when + _dt.timedelta(hours=6)
        out += _commit(mark, ORG, merged, message, f"from :{main}\nmerge :{mark - 1}\n", ops)
        main = mark
    out.append(b"done\n")
    return b"".join(out)


def _describe(req: Request, people: list[Person], units: dict) -> tuple[str, tuple, list]:
    """The merge request's title, its author (the clerk) and its approvers."""
    kind = req.key[0]
    count = len(people)

    def clerk(unit: str) -> tuple:
        return (f"{units.get(unit, unit)}人事干事", f"{unit}-office")

    def leader(unit: str) -> tuple:
        return (f"{units.get(unit, unit)}分管领导", f"{unit}-leader")

    org = [ORG_HEAD]
    if kind in ORG_TITLES:  # the org department's own merge requests
        return ORG_TITLES[kind].format(key=req.key, count=count), ORG, org
    if kind == "nominate":
        year, unit = req.key[1].split("/")
        title = f"{year}年度民主推荐：{units.get(unit, unit)}推荐{count}名后备干部人选"
        return title, clerk(unit), [leader(unit), *org]
    person = people[0]
    unit = person.final["employment"]["unit"]
    if kind == "exit":
        exit_ = person.final["reserve"]["exit"]
        return f"{person.final['name']}{exit_['reason']}，{EXIT_WORD[person.final['reserve']['status']]}", ORG, org
    if kind == "move":
        return f"{person.final['name']}调任{units.get(unit, unit)}，记录随人转入", ORG, org
    if kind == "fix":
        return f"更正{person.final['name']}的籍贯", clerk(unit), [leader(unit), *org]
    name = units.get(req.key[1], req.key[1])
    if kind == "assess":  # entered in January for the year before
        title = f"录入{int(req.key[2]) - 1}年度考核结果（{name}）"
    elif kind == "post":
        title = f"{name}干部任职变动（{count}人）"
    elif kind == "reward":
        title = f"{name}后备干部奖惩情况登记"
    else:
        title = f"{name}后备干部信息更新（{count}人）"
    return title, clerk(req.key[1]), [leader(req.key[1]), *org]


def _commit(mark: int, who: tuple, when: _dt.datetime, message: str, parents: str, ops: list[bytes]) -> list[bytes]:
    """One commit of the fast-import stream on refs/heads/main."""
    head = b"commit refs/heads/main\n" + f"mark :{mark}\n".encode()
    return [
        head,
        _who("author", who, when),
        _who("committer", who, when),
        _data(message),
        parents.encode(),
        *ops,
        b"\n",
    ]


def _modify(path: str, raw: bytes) -> bytes:
    return f"M 100644 inline {path}\n".encode() + _data_bytes(raw)


def _data(text: str) -> bytes:
    return _data_bytes(text.encode())


def _data_bytes(raw: bytes) -> bytes:
    return f"data {len(raw)}\n".encode() + raw + b"\n"


def _who(role: str, person: tuple, when: _dt.datetime) -> bytes:
    name, handle = person
    return f"{role} {name} <{handle}@example.intranet> {int(when.timestamp())} +0800\n".encode()
