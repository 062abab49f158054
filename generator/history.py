"""The registry's history from git: who changed which record, through which merge request, approved by whom.

One `git log --first-parent -m --raw` pass over registry/cadres/ gives every
change on the main line (a merged merge request is one change: its merge
commit against the line before it), and one `git cat-file --batch` reads
every version of every record. A record is followed by its id, which is its
file name and never changes, so a move between unit folders keeps one
history. Each change carries a field-level difference made by loading both
versions, never by diffing text.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CADRES = "registry/cadres/"
MR = re.compile(r"See merge request (\S+?!\d+)")
APPROVED = re.compile(r"^Approved-by:\s*(.+?)\s*$", re.MULTILINE)
LIST_KEYS = {"resume": "from", "assessments": "year", "evaluations": "date", "training": "from", "practice": "from",
             "rewards_punishments": "date", "exceptions": "rule"}
SENSITIVE = ("id_number", "phone")


class HistoryError(Exception):
    """git could not be read: said in Chinese by the caller."""


@dataclass
class Change:
    """One record's change in one commit of the main line."""
    commit: str
    short: str
    date: str  # ISO, the commit's author date
    author: str
    subject: str
    merge_request: str | None  # group/project!N
    approvers: list
    cadre: str  # the record's id
    kind: str  # 新建 | 修改 | 调动 | 删除
    path: str  # the file after the change (before, for a deletion)
    fields: list = field(default_factory=list)  # [(top-level field, text)]


@dataclass
class History:
    head: str | None  # short hash of HEAD
    head_date: str | None
    shallow: bool
    changes: list  # newest first
    available: bool = True  # False: not a git repository, or git missing

    def of(self, cadre_id: str) -> list[Change]:
        return [c for c in self.changes if c.cadre == cadre_id]


def read_history(root, schemas=None) -> History:
    """The history of every cadre record under root/registry/cadres, newest first."""
    root = Path(root)
    if not _git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() == "true":
        return History(None, None, False, [], available=False)
    head = _git(root, "log", "-1", "--format=%h%x1f%cI", check=False).strip()
    if not head:
        return History(None, None, False, [], available=False)
    short, date = head.split("\x1f")
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    commits = _log(root)
    blobs = _blobs(root, {b for c in commits for e in c["entries"] for b in (e[0], e[1]) if b})
    labels = _Labels(schemas)
    changes = []
    for commit in commits:
        changes.extend(_changes(commit, blobs, labels))
    return History(short, date, shallow, changes)


# -- reading git -------------------------------------------------------------------------


def _git(root: Path, *args, check: bool = True, stdin: bytes | None = None) -> str:
    result = _run(root, args, stdin)
    if check and result.returncode != 0:
        raise HistoryError(f"git {' '.join(args[:2])} 失败：{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8", "replace")


def _run(root: Path, args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True)
    except FileNotFoundError:
        raise HistoryError("找不到 git 命令：请安装 git") from None


def _log(root: Path) -> list[dict]:
    """Every first-parent commit touching registry/cadres, newest first, with (old blob, new blob, status, paths)."""
    out = _run(root, ["log", "--first-parent", "-m", "--raw", "-z", "--no-abbrev", "--no-renames",
                      "--format=%x1e%H%x1f%aI%x1f%an%x1f%B%x1f", "--", CADRES]).stdout.decode("utf-8", "replace")
    commits = []
    for chunk in out.split("\x1e")[1:]:
        full, date, author, message, raw = chunk.split("\x1f", 4)
        short = full[:7]  # %h would be unabbreviated here: --no-abbrev is for the blob ids
        tokens = raw.split("\0")
        entries, i = [], 0
        while i < len(tokens):
            token = tokens[i].strip("\n")
            if token.startswith(":"):
                _, _, old, new, status = token[1:].split(" ")
                path = tokens[i + 1]
                i += 2
                if path.endswith(".yaml"):
                    entries.append((None if set(old) == {"0"} else old, None if set(new) == {"0"} else new,
                                    status[0], path))
            else:
                i += 1
        mr = MR.search(message)
        commits.append({"commit": full, "short": short, "date": date, "author": author,
                        "subject": message.strip().splitlines()[0] if message.strip() else "",
                        "mr": mr[1] if mr else None, "approvers": APPROVED.findall(message), "entries": entries})
    return commits


def _blobs(root: Path, shas: set) -> dict[str, object]:
    """{blob sha: its values} for every version, read by one `git cat-file --batch`."""
    if not shas:
        return {}
    order = sorted(shas)
    out = _run(root, ["cat-file", "--batch"], stdin="".join(f"{s}\n" for s in order).encode()).stdout
    found, pos = {}, 0
    for sha in order:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            found[sha] = None
            continue
        size = int(header[2])
        found[sha] = _values(out[pos:pos + size])
        pos += size + 1
    return found


def _values(raw: bytes):
    """One version's values (None when that version could not be read)."""
    try:
        data = yaml.load(raw, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


# -- what changed --------------------------------------------------------------------------


def _changes(commit: dict, blobs: dict, labels: "_Labels") -> list[Change]:
    """A commit's entries grouped by record id: a deletion and an addition of one id is a move."""
    by_id: dict[str, dict] = {}
    for old, new, status, path in commit["entries"]:
        cadre = path.rsplit("/", 1)[-1][: -len(".yaml")]
        slot = by_id.setdefault(cadre, {"old": None, "new": None, "old_path": None, "new_path": None})
        if old:
            slot["old"], slot["old_path"] = old, path
        if new:
            slot["new"], slot["new_path"] = new, path
    out = []
    for cadre, s in sorted(by_id.items()):
        before, after = blobs.get(s["old"]) if s["old"] else None, blobs.get(s["new"]) if s["new"] else None
        if s["new"] is None:
            kind, fields = "删除", []
        elif s["old"] is None:
            kind, fields = "新建", [(None, "新建记录")]
        else:
            moved = s["old_path"] != s["new_path"]
            kind = "调动" if moved else "修改"
            fields = differences(before, after, labels) if before is not None and after is not None \
                else [(None, "（此版本无法读取，不列出字段变化）")]
            if moved:
                fields.insert(0, (None, f"文件 {s['old_path']} → {s['new_path']}"))
        out.append(Change(commit["commit"], commit["short"], commit["date"], commit["author"], commit["subject"],
                          commit["mr"], commit["approvers"], cadre, kind, s["new_path"] or s["old_path"], fields))
    return out


class _Labels:
    def __init__(self, schemas):
        self.schemas = schemas

    def __call__(self, path: tuple) -> str:
        if self.schemas is None:
            return ".".join(map(str, path))
        return self.schemas.label("cadre", path) or ".".join(map(str, path))


def differences(before: dict, after: dict, label) -> list[tuple[str, str]]:
    """[(top-level field, '现任职务: A → B')] between two versions of a record, in field order."""
    out: list = []
    _diff(before, after, (), label, out)
    return out


def _show(value) -> str:
    if isinstance(value, dict):
        return "，".join(_show(v) for v in value.values() if not isinstance(v, (dict, list)))
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)


def _diff(a, b, path: tuple, label, out: list) -> None:
    top = path[0] if path else None
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in b:
                out.append((top or key, f"{_last(label(path + (key,)))}: 删除 {_show(a[key])}"))
            elif key not in a:
                out.append((top or key, f"{_last(label(path + (key,)))}: 新增 {_show(b[key])}"))
            elif a[key] != b[key]:
                _diff(a[key], b[key], path + (key,), label, out)
        return
    key = LIST_KEYS.get(path[-1]) if path and len(path) == 1 else None
    if isinstance(a, list) and isinstance(b, list) and key and all(isinstance(x, dict) for x in a + b):
        old = {str(x.get(key)): x for x in a}
        new = {str(x.get(key)): x for x in b}
        name = label(path)
        for k in list(old) + [k for k in new if k not in old]:
            if k not in new:
                out.append((top, f"{name} {k}: 删除 {_show({f: v for f, v in old[k].items() if f != key})}"))
            elif k not in old:
                out.append((top, f"{name} {k}: 新增 {_show({f: v for f, v in new[k].items() if f != key})}"))
            elif old[k] != new[k]:
                for f in list(old[k]) + [f for f in new[k] if f not in old[k]]:
                    if old[k].get(f) != new[k].get(f):
                        out.append((top, f"{name} {k} {_last(label(path + (0, f)))}: "
                                         f"{_show(old[k].get(f)) or '（空）'} → {_show(new[k].get(f)) or '（空）'}"))
        return
    out.append((top, f"{_last(label(path))}: {_show(a) or '（空）'} → {_show(b) or '（空）'}"))


def _last(label: str) -> str:
    """后备情况·状态 -> 状态: a field is named by its own label."""
    return label.rsplit("·", 1)[-1]


def visible_fields(change: Change, sensitive: bool) -> list[str]:
    """The change's field texts an audience may read: changes of 身份证号 and phone only where sensitive."""
    return [text for top, text in change.fields if sensitive or top not in SENSITIVE]
