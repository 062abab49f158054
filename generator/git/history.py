"""The registry's history from git: who changed which record, through which merge request, approved by whom.

One `git log --first-parent -m --raw` pass over registry/cadres/ gives every
change on the main line (a merged merge request is one change: its merge
commit against the line before it), and one `git cat-file --batch` reads
every version of every record. A record is followed by its id, which is its
file name and never changes, so a move between unit folders keeps one
history. Each change carries a field-level difference made by loading both
versions (with the registry's own loader, each version once, on every core),
never by diffing text; the differences are kept by blob pair in the cache
folder, so a later build loads only what is new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import cachefile, parallel
from generator.git import approvals, repo
from generator.git.fields import differences
from generator.git.repo import CADRES, REGISTRY, HistoryError, merge_trailers, unit_trail
from generator.registry.load import load_bytes
from generator.registry.schema import Schemas
from generator.registry.sealed import RECIPIENTS


@dataclass
class Change:
    """One record's change in one commit of the main line."""

    commit: str
    short: str
    date: str  # ISO, the commit's author date
    author: str  # who made the change (for a merge: the author of the merged branch)
    subject: str
    merge_request: str | None  # group/project!N
    approvers: list  # names only: GitLab's Approved-by trailers without their e-mail addresses
    cadre: str  # the record's id ("" for a change to another file of the registry)
    kind: str  # 新建 | 修改 | 调动 | 删除
    path: str  # the file after the change (before, for a deletion)
    fields: list = field(default_factory=list)  # [(top-level field, text)]
    merged_by: str = ""  # who merged it ("" for a direct commit)
    unit_trail: list = field(default_factory=list)  # a unit repository's merge requests it brought (cadres unit-pull)
    identity: tuple = ()  # (name, birth month) of the file made or deleted: a new person under an old id


@dataclass
class History:
    head: str | None  # short hash of HEAD
    head_date: str | None
    shallow: bool
    changes: list  # newest first
    available: bool = True  # False: not a git repository, or git missing
    source: str = "commit"  # where approvers, authors and mergers come from: "gitlab" (its API) or "commit"
    _by_cadre: dict | None = field(default=None, repr=False)

    def of(self, cadre_id: str) -> list[Change]:
        """One person's changes, newest first (indexed on first use): back to the file's making, and past a
        deletion only when the file made again is the same person (restored); a deleted person's changes never
        follow an id given again to someone else, into another unit's pages."""
        if self._by_cadre is None:
            self._by_cadre = {}
            for change in self.changes:
                self._by_cadre.setdefault(change.cadre, []).append(change)
        out: list[Change] = []
        made: Change | None = None
        for change in self._by_cadre.get(cadre_id, []):
            if change.kind == "删除" and made is not None and _another(made.identity, change.identity):
                break
            made = change if change.kind == "新建" else made
            out.append(change)
        return out


def read_history(
    root: Path, schemas: Schemas | None = None, cache_dir: Path | None = None, api: approvals.Api | None = None
) -> History:
    """The history of every cadre record under root/registry/cadres, newest first; with `api`, each merge
    request's approvers, author and merger as GitLab records them (approvals.py), not as text says them."""
    root = Path(root)
    if repo.git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() != "true":
        return History(None, None, False, [], available=False)
    head = repo.git(root, "log", "-1", "--format=%h%x1f%cI", check=False).strip()
    if not head:
        return History(None, None, False, [], available=False)
    short, date = head.split("\x1f")
    shallow = repo.git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    commits = _log(root)
    slots = [(commit, _group(commit)) for commit in commits]
    chains: dict[str, list] = {}  # a record's content changes: each version is loaded once
    for _, group in slots:
        for cadre, s in group.items():
            if s["old"] and s["new"] and (s["old"], s["new"]) not in chains.setdefault(cadre, []):
                chains[cadre].append((s["old"], s["new"]))
    ends = {
        s[side] for _, group in slots for s in group.values() for side in ("old", "new") if not s["old"] or not s["new"]
    }
    also = _Acts.shas(commits) | {sha for sha in ends if sha}  # the acts' versions; files made or deleted
    fields, blobs = _pair_fields(root, list(chains.values()), schemas, cache_dir, also=also)
    acts = _Acts(schemas, blobs)
    changes = []
    for commit, group in slots:
        changes.extend(_changes(commit, group, fields, acts.changes(commit), _Identity(blobs, schemas)))
        changes.extend(_file_changes(commit))
    if api is None:
        return History(short, date, shallow, changes)
    try:
        known = approvals.facts(api, {c.merge_request for c in changes if c.merge_request}, cache_dir)
    except approvals.ApprovalsError as exc:
        raise HistoryError(f"{exc}；审批记录须取自 GitLab（设置了 {approvals.TOKEN}），未生成网站") from None
    for change in changes:
        found = known.get(change.merge_request or "")
        if found:
            change.approvers, change.author, change.merged_by = found["approvers"], found["author"], found["merged_by"]
    return History(short, date, shallow, changes, source="gitlab")


# -- reading git -------------------------------------------------------------------------


def _log(root: Path) -> list[dict]:
    """Every first-parent commit touching registry/cadres, newest first, with (old blob, new blob, status, paths)."""
    out = repo.run(
        root,
        [
            "log",
            "--first-parent",
            "-m",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-renames",
            "--format=%x1e%H%x1f%aI%x1f%an%x1f%P%x1f%B%x1f",
            "--",
            REGISTRY,
        ],
    ).stdout
    commits: list[dict[str, Any]] = []
    for chunk in out.split(b"\x1e")[1:]:
        full, date, author, parents, message, raw = map(repo.decoded, chunk.split(b"\x1f", 5))
        short = full[:7]  # %h would be unabbreviated here: --no-abbrev is for the blob ids
        tokens = raw.split("\0")
        entries, i = [], 0
        while i < len(tokens):
            token = tokens[i].strip("\n")
            if token.startswith(":"):
                _, _, old, new, status = token[1:].split(" ")
                path = tokens[i + 1]
                i += 2
                if path.endswith(".yaml") or path == RECIPIENTS:  # who can open the numbers: on the org's log
                    entries.append(
                        (None if set(old) == {"0"} else old, None if set(new) == {"0"} else new, status[0], path)
                    )
            else:
                i += 1
        trailers = merge_trailers(message)
        commits.append(
            {
                "commit": full,
                "short": short,
                "date": date,
                "author": author,  # of a merge commit: who merged; the branch's author is filled in below
                "merged_by": author if len(parents.split()) > 1 else "",
                "branch_head": parents.split()[1] if len(parents.split()) > 1 else "",
                "subject": message.strip().splitlines()[0] if message.strip() else "",
                "title": trailers.title,
                "mr": trailers.reference,
                "approvers": trailers.approvers,
                "entries": entries,
                "unit_trail": unit_trail(message),
            }
        )
    heads = [c["branch_head"] for c in commits if c["branch_head"]]
    if heads:  # the clerk who made a merged branch: the author of its last commit, all read in one call
        named = repo.decoded(
            repo.run(root, ["log", "--no-walk=unsorted", "--format=%x1e%H%x1f%an%x1f%B", *heads]).stdout
        )
        branch = {}
        for chunk in named.split("\x1e")[1:]:
            sha, name, body = [*chunk.split("\x1f", 2), "", ""][:3]
            branch[sha.strip()] = (name, body)
        for c in commits:
            if c["branch_head"] in branch:
                name, body = branch[c["branch_head"]]
                c["author"] = name or c["author"]
                c["unit_trail"] = c["unit_trail"] or unit_trail(body)  # an org merge request of a unit-pull
    return commits


def _pair_fields(
    root: Path, chains: list, schemas: Schemas | None, cache_dir: Path | None, also: set[str]
) -> tuple[dict, dict[str, bytes]]:
    """({(old blob, new blob): field differences} for every change of a record's content, {sha: bytes} of the
    blobs `also` names: the act files' versions).

    `chains` holds each record's pairs. Known pairs come from the cache; for
    the others the blobs are read, with `also`, by one `git cat-file --batch`
    and each record's versions are loaded (once each) and compared on forked
    workers, which inherit the blobs and send back only the differences.
    """
    cache = _PairCache(cache_dir, schemas)
    found: dict = {}
    todo = []
    for chain in chains:
        missing = [pair for pair in chain if f"{pair[0]}:{pair[1]}" not in cache.pairs]
        found.update((pair, cache.pairs[f"{pair[0]}:{pair[1]}"]) for pair in chain if pair not in missing)
        if missing:
            todo.append(missing)
    if not todo and not also:
        return found, {}
    blobs = repo.read_blobs(root, {sha for chain in todo for pair in chain for sha in pair} | also)
    extra = {sha: blobs[sha] for sha in also if sha in blobs}
    if not todo:
        return found, extra
    results = parallel.fork_map(_compare_chain, todo, _Versions(blobs, schemas))
    new = {pair: texts for found_in_chain in results for pair, texts in found_in_chain}
    cache.save({f"{a}:{b}": texts for (a, b), texts in new.items()})
    return found | new, extra


@dataclass
class _Versions:
    """What the workers comparing versions need: the blobs' bytes and the schemas to load them with."""

    blobs: dict[str, bytes]
    schemas: Schemas | None

    def load(self, sha: str) -> dict | None:
        types = self.schemas.types["cadre"] if self.schemas is not None else {}
        data = load_bytes(self.blobs[sha], sha, types).data if sha in self.blobs else None
        return data if isinstance(data, dict) else None

    @property
    def sensitive(self) -> frozenset[str]:
        return self.schemas.vocabulary.sensitive if self.schemas is not None else frozenset(("id_number", "phone"))

    def label(self, path: tuple) -> str:
        found = self.schemas.label("cadre", path) if self.schemas is not None else ""
        return found or ".".join(map(str, path))


def _compare_chain(versions: _Versions, chain: list) -> list:
    """[(pair, differences)] for one record's changes, each version loaded once."""
    loaded: dict = {}
    out = []
    for pair in chain:
        for sha in pair:
            if sha not in loaded:
                loaded[sha] = versions.load(sha)
        before, after = loaded[pair[0]], loaded[pair[1]]
        if before is None or after is None:
            out.append((pair, [[None, "（此版本无法读取，不列出字段变化）"]]))
        else:
            changed = differences(before, after, versions.label, versions.sensitive)
            out.append((pair, [list(item) for item in changed]))
    return out


class _PairCache:
    """Field differences by blob pair (blobs never change), valid for one schema and one build of this program."""

    def __init__(self, folder: Path | None, schemas: Schemas | None) -> None:
        self.file = Path(folder) / "history.marshal" if folder else None
        schema = schemas.fingerprint if schemas is not None else ""
        self.fingerprint = hashlib.sha256(f"{cachefile.program_fingerprint()}\0{schema}".encode()).hexdigest()
        self.pairs: dict = cachefile.read(self.file, self.fingerprint)

    def save(self, new: dict) -> None:
        if new:
            self.pairs.update(new)
            cachefile.write(self.file, self.fingerprint, self.pairs)


# -- the org department's acts: each person's part of a decision, an inspection record, the watch list --------


ACT_FILES = {"registry/inspections/": "inspection", "registry/decisions/": "decision", "registry/watch.yaml": "watch"}


class _Acts:
    """What a commit's changes to act files (registry/acts.py) did to each person they name."""

    def __init__(self, schemas: Schemas | None, blobs: dict[str, bytes]) -> None:
        self.schemas = schemas
        self.blobs = blobs
        self.loaded: dict[str, dict] = {}

    @staticmethod
    def kind(path: str) -> str | None:
        return next((kind for prefix, kind in ACT_FILES.items() if path.startswith(prefix)), None)

    @classmethod
    def shas(cls, commits: list[dict]) -> set[str]:
        """Every version of an act file the history names (read with the records' versions, in one pass)."""
        return {s for c in commits for old, new, _, path in c["entries"] if cls.kind(path) for s in (old, new) if s}

    def changes(self, commit: dict) -> dict[str, tuple[str, list]]:
        """{cadre: (an act file, texts)}: what the commit's act files say anew of each person they name. A
        candidate's entry that moved to another inspection record is compared with itself, field by field."""
        before: dict[str, list] = {}
        after: dict[str, list] = {}
        paths: dict[str, str] = {}
        for old, new, _status, path in commit["entries"]:
            kind = self.kind(path)
            if kind is None:
                continue
            for side, sha in ((before, old), (after, new)):
                for cadre, items in self.people(sha, kind).items():
                    side.setdefault(cadre, []).extend(items)
                    paths.setdefault(cadre, path)
        out = {}
        for cadre in sorted(set(before) | set(after)):
            texts = self.describe(before.get(cadre, []), after.get(cadre, []))
            if texts:
                out[cadre] = (paths[cadre], texts)
        return out

    def people(self, sha: str | None, kind: str) -> dict[str, list]:
        """{cadre: [(part, entry, the act's body, date and reference)]} of one version of an act file."""
        if not sha:
            return {}
        if sha not in self.loaded:
            types = self.schemas.types[kind] if self.schemas is not None else {}
            data = load_bytes(self.blobs.get(sha, b""), sha, types).data
            found: dict[str, list] = {}
            if isinstance(data, dict):
                head = tuple(str(data.get(k) or "") for k in ("body", "date", "ref"))
                for part in ("candidates", "watched", "admitted", "reviewed", "left", "waivers"):
                    for item in data.get(part) or ():
                        if isinstance(item, dict) and isinstance(item.get("cadre"), str):
                            found.setdefault(item["cadre"], []).append((part, item, head))
            self.loaded[sha] = found
        return self.loaded[sha]

    def describe(self, before: list, after: list) -> list[tuple[str, str]]:
        out = []
        for part, kind in (("candidates", "inspection"), ("watched", "watch")):  # one entry each, field by field
            old = next((item for p, item, _ in before if p == part), None)
            new = next((item for p, item, _ in after if p == part), None)
            if old == new:
                continue
            if old is None:
                out.append(("reserve", "列入关注" if part == "watched" else "列为考察人选"))
            elif new is None:
                out.append(("reserve", "移出关注名单" if part == "watched" else "移出考察人选名单"))
            out += self.fields(kind, part, old or {}, new or {}) if new is not None else []
        decided = [entry for entry in after if entry[0] in ("admitted", "reviewed", "left", "waivers")]
        undone = [entry for entry in before if entry[0] in ("admitted", "reviewed", "left", "waivers")]
        out += [("reserve", _decided(entry)) for entry in decided if entry not in undone]
        out += [("reserve", _decided(entry, undone=True)) for entry in undone if entry not in decided]
        return out

    def fields(self, kind: str, part: str, old: dict, new: dict) -> list[tuple[str, str]]:
        def label(path: tuple) -> str:
            found = self.schemas.label(kind, (part, 0, *path)) if self.schemas is not None else ""
            return found.split("·", 1)[-1] if found else ".".join(map(str, path))

        def drop(entry: dict) -> dict:
            return {k: v for k, v in entry.items() if k != "cadre"}

        return differences(drop(old), drop(new), label)


def _decided(entry: tuple, undone: bool = False) -> str:
    """A decision's part about one person, as the change log says it: 「研究确定列入后备干部: 副职，中期强化（…）」."""
    part, item, (body, date, ref) = entry
    by = "，".join(x for x in (body, date, ref) if x)
    if part == "admitted":
        label = "研究确定列入后备干部"
        what = "，".join(item[k] for k in ("level", "track") if item.get(k))
        text = f"{what}（{by}）" if what else by
    elif part == "reviewed":
        label, text = "调整中保留", by
    elif part == "left":
        label, text = "出库", f"{item.get('status', '')}（{item.get('reason', '')}），{by}"
    else:
        label, text = f"例外批准 {item.get('rule', '')}", f"{item.get('reason', '')}（{by}）"
    return f"撤销{label}: {text}" if undone else f"{label}: {text}"


# -- what changed --------------------------------------------------------------------------


def _group(commit: dict) -> dict:
    """A commit's entries of people's files, by record id: a deletion and an addition of one id is a move."""
    by_id: dict[str, dict] = {}
    for old, new, _status, path in commit["entries"]:
        if not path.startswith(CADRES):
            continue  # nominations, units, policy, audiences: listed as files (_file_changes)
        cadre = path.rsplit("/", 1)[-1][: -len(".yaml")]
        slot = by_id.setdefault(cadre, {"old": None, "new": None, "old_path": None, "new_path": None})
        if old:
            slot["old"], slot["old_path"] = old, path
        if new:
            slot["new"], slot["new_path"] = new, path
    return by_id


def _file_changes(commit: dict) -> list[Change]:
    """The commit's changes to the registry's other files (nominations, units, policy, audiences), file by file:
    `cadre` is empty, so only an audience that sees everyone is shown them."""
    kinds = {"A": "新建", "D": "删除"}
    return [
        _change(commit, "", kinds.get(status, "修改"), path, [])
        for _old, _new, status, path in commit["entries"]
        if not path.startswith(CADRES)
    ]


def _change(commit: dict, cadre: str, kind: str, path: str, fields: list) -> Change:
    """One change in one commit: what the commit says (title, merge request, approvers) and what changed."""
    return Change(
        commit["commit"],
        commit["short"],
        commit["date"],
        commit["author"],
        commit["title"] or commit["subject"],
        commit["mr"],
        commit["approvers"],
        cadre,
        kind,
        path,
        fields,
        commit["merged_by"],
        commit.get("unit_trail", []),
    )


def _another(made: tuple, deleted: tuple) -> bool:
    """Another person: name and birth month both different (as X27 judges a file changed under its id)."""
    return bool(made and deleted) and made[0] != deleted[0] and made[1] != deleted[1]


@dataclass
class _Identity:
    """(name, birth month) of a record's version, for the file made or deleted in a commit."""

    blobs: dict[str, bytes]
    schemas: Schemas | None

    def __call__(self, sha: str | None) -> tuple:
        types = self.schemas.types["cadre"] if self.schemas is not None else {}
        data = load_bytes(self.blobs[sha], sha, types).data if sha and sha in self.blobs else None
        return (data.get("name"), str(data.get("birth", ""))[:7]) if isinstance(data, dict) else ()


def _changes(
    commit: dict, group: dict, fields: dict, acts: dict[str, tuple[str, list]], identity: Callable | None = None
) -> list[Change]:
    """Each person's change in a commit: their own file's, with what the commit's act files say of them; a
    person only the acts name gets a change of their own, at the act's file."""
    out = []
    for cadre, (path, texts) in sorted(acts.items()):
        if cadre not in group:
            out.append(_change(commit, cadre, "修改", path, texts))
    for cadre, s in sorted(group.items()):
        if s["new"] is None:
            kind, texts = "删除", []
        elif s["old"] is None:
            kind, texts = "新建", [(None, "新建记录")]
        else:
            moved = s["old_path"] != s["new_path"]
            kind = "调动" if moved else "修改"
            texts = [tuple(item) for item in fields[s["old"], s["new"]]]
            if moved:
                texts.insert(0, (None, f"文件 {s['old_path']} → {s['new_path']}"))
        texts += acts.get(cadre, ("", []))[1]
        change = _change(commit, cadre, kind, s["new_path"] or s["old_path"], texts)
        if identity is not None and kind in ("新建", "删除"):
            change.identity = identity(s["new"] or s["old"])
        out.append(change)
    out.sort(key=lambda c: c.cadre)
    return out


def visible_fields(change: Change, hidden: frozenset[str], everyone: bool) -> list[str]:
    """The change's field texts as an audience may read them.

    Changes of the `hidden` fields (身份证号, phone, for most audiences) are not listed;
    a name's former value only where it sees every record (a former name may
    be someone else's, outside the audience); elsewhere 「姓名: 已修改」.
    """
    out = []
    for top, text in change.fields:
        if top in hidden:
            continue
        out.append(f"{text.split(':')[0]}: 已修改" if top == "name" and not everyone else text)
    return out
