"""Unit repositories: each unit proposes changes in a repository that holds only its own people.

The district registry (区名册仓库) is the org department's alone. A unit's office staff are members of
their unit's repository (单位仓库) only: it holds the unit's records and nominations, the shared
configuration, and no other unit's file. They work there as before (YAML, `cadres validate`, a merge
request approved by the unit's reviewers); the org department then takes the merged state in:

- `export(district, unit, target)` writes into a unit repository's working tree what the unit may hold
  (the configuration files, its records folder, its nomination files), removing its files that the
  district no longer has (a person moved away, decided by the org department);
- `take_in(district, unit, source, rev)` reads the unit repository at a committed revision (never a
  working tree), takes only the unit's own paths (any other file is named and ignored), refuses a file
  that both sides changed since the last take-in, writes the unit's files into the district's working
  tree and makes one commit on a new branch whose message carries the unit's trail: each of its merge
  requests with its title and approvers, and the unit revision (`Cadres-Unit-Revision:`), which the next
  take-in starts from. The org department pushes that branch as its own merge request, so the
  district's history holds both approvals: the unit's in the message, the org department's in the merge.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.analysis.audiences import expand
from generator.core.errors import CadresError
from generator.git import repo
from generator.interchange import migrate
from generator.interchange.yamlout import dump
from generator.registry.files import UNIT_REPOSITORY, load_registry
from generator.registry.load import load_bytes
from generator.registry.sealed import RECIPIENTS
from generator.registry.vocabulary import CHIEF
from generator.repository import paths

SHARED = ("registry/policy.yaml", "registry/units.yaml", "registry/audiences.yaml", RECIPIENTS)
MARKER = UNIT_REPOSITORY
MARKER_TEXT = (
    "# 本仓库是单位仓库：只有本单位网站能看到的人员和文件（cadres unit-export 生成，请勿修改）。\n"
    "# 引用其他单位文件的核对（如调入人员原单位的推荐文件）在区名册仓库中进行。\n"
    "{unit}\n"
)
RECORD_ID = "[a-z0-9][a-z0-9-]{2,40}"  # records.md: a cadre's id
PHOTO = r"[a-z0-9][a-z0-9-]*\.(jpg|jpeg|png)"  # schemas/cadre.yaml: a photo beside the record
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # what a JPEG and a PNG file begin with
PHOTO_LIMIT = 5 * 2**20  # a 证件照 is some hundred KB; this bounds what a unit can put on every build
SYNC = "unit-sync"  # unit-sync/<unit>.txt: the unit revision last taken in, in the district's tree
SYNC_NOTE = "# cadres unit-pull 最近一次导入的单位仓库版本（下一次从这里合并），请勿手改\n"
UNIT_TRAILER = "Cadres-Unit"
REVISION_TRAILER = "Cadres-Unit-Revision"


class UnitRepoError(CadresError):
    """A repository or revision that cannot be used: said in Chinese by the caller."""


def own_path(unit: str, path: str) -> bool:
    """Whether a file of the registry belongs to the unit: a record or photo in its folder, or one of its
    nomination files.

    Only these exact shapes count (an id as `cadres new` makes it, a four-digit round), so a name that a
    file system or git could read otherwise never reaches a write.
    """
    return (
        re.fullmatch(rf"registry/cadres/{re.escape(unit)}/{RECORD_ID}\.yaml", path) is not None
        or re.fullmatch(rf"registry/cadres/{re.escape(unit)}/{PHOTO}", path) is not None
        or re.fullmatch(rf"registry/nominations/[0-9]{{4}}/{re.escape(unit)}\.yaml", path) is not None
    )


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files of the unit repository that are not the unit's
    refused: list[str] = field(default_factory=list)  # the unit's paths it may not write: one line why, each
    conflicts: list[str] = field(default_factory=list)
    trail: list[str] = field(default_factory=list)  # the unit's merge requests, one line each
    branch: str = ""


# -- district -> unit ------------------------------------------------------------------------


@dataclass
class Given:
    """What a unit repository is given (`files`), and whom: the people in it, and every person of the district."""

    files: dict[str, bytes]
    people: set[str]
    everyone: set[str]


def contents(district: Path, unit: str) -> dict[str, bytes]:
    """{path: bytes} of what a unit repository holds: exactly what the unit's site shows, no more.

    The people its audience sees (registry/audiences.yaml: by default the unit's 副职 candidates and pool),
    their photos, the unit's nomination files with those people only, the org department's inspection records
    and decisions with those people's entries only, the shared configuration, and the marker naming the unit
    (registry/unit-repository.txt), by which validation knows that files of other units are not here.
    """
    return given(district, unit).files


def given(district: Path, unit: str) -> Given:
    """`contents` with the people it holds. A person is the unit's by the folder their file is in; an id that
    two files carry refuses the export (an act names people by id: it could hand another unit's entries over)."""

    registry = load_registry(district)
    audience = next((a for a in expand(registry) if a.unit == unit), None)
    if audience is None:
        raise UnitRepoError(
            f"registry/audiences.yaml 中没有按单位生成的读者（per_unit: true），无法确定{unit}能看到什么"
        )
    chiefs_to_org = registry.valid_policy.get("rules", {}).get("chief_records_owned_by_org_department")
    folder = f"registry/cadres/{unit}/"
    records = [e for e in registry.entries if e.kind == "cadre" and isinstance(e.data.get("id"), str)]
    seen = {
        e.data["id"]: e
        for e in records
        if e.path.startswith(folder)
        and e.valid
        and audience.sees(e.data)
        and not (chiefs_to_org and e.data["reserve"]["level"] == CHIEF)
    }  # 七、科级正职后备干部由区委组织部管理: never in a unit's repository
    for person, entry in seen.items():
        twice = [e.path for e in records if e.data["id"] == person and e.path != entry.path]
        if twice:
            raise UnitRepoError(
                f"编号 {person} 同时是 {entry.path} 和 {twice[0]} 的编号，没有写入任何文件："
                "请先在区名册中改正重复的编号（cadres validate 会指出），再导出"
            )
    out = {p: (district / p).read_bytes() for p in SHARED if (district / p).is_file()}
    out[MARKER] = MARKER_TEXT.format(unit=unit).encode()
    units = {u["id"]: u["name"] for u in registry.units}
    for entry in seen.values():
        out[entry.path] = (district / entry.path).read_bytes()
        photo = entry.data.get("photo")
        if isinstance(photo, str) and own_path(unit, f"{folder}{photo}") and (district / folder / photo).is_file():
            out[f"{folder}{photo}"] = (district / folder / photo).read_bytes()
    for entry in registry.entries:
        if entry.kind in ("nomination", "inspection", "decision") and entry.valid:
            if entry.kind == "nomination" and entry.data["unit"] != unit:
                continue
            kept = _only(entry.data, seen)
            if kept is None:
                continue
            if entry.kind == "nomination" and kept == entry.data:  # the unit's own file, as the unit wrote it
                out[entry.path] = (district / entry.path).read_bytes()
            else:  # the org department's acts written anew: a comment in them may name anyone
                header = "" if entry.kind == "nomination" else migrate.header(entry.path, kept, units)
                out[entry.path] = dump(kept, header).encode()
    return Given(out, set(seen), {e.data["id"] for e in records})


def _only(data: dict, people: Collection[str]) -> dict | None:
    """An act's values with only these people's entries (None: none of them is in it)."""
    out = {k: [i for i in v if i.get("cadre") in people] if isinstance(v, list) else v for k, v in data.items()}
    out = {k: v for k, v in out.items() if v != [] or not isinstance(data[k], list)}
    return out if any(isinstance(v, list) and v for v in out.values()) else None


def export(district: Path, unit: str, target: Path) -> Result:
    """Make `target`'s registry/ hold exactly what the unit may read (`contents`).

    The target is a unit repository's working tree: a symlink or a special file anywhere in its registry/
    (committed by the unit, or left there) refuses the export before anything is written.
    """
    problems = paths.folder_problems(target)
    if problems:
        raise UnitRepoError(f"单位仓库 {target} 中{problems[0]}，没有写入任何文件；请删除它（单位仓库只能有普通文件）")
    ours = contents(district, unit)
    out = Result()
    for path in sorted(_files(target)):
        if path not in ours:
            (target / path).unlink()
            out.removed.append(path)
    for path, raw in sorted(ours.items()):
        file = target / path
        if not file.is_file() or file.read_bytes() != raw:
            paths.write_inside(target, path, raw)
            out.written.append(path)
    return out


def _files(root: Path) -> list[str]:
    base = root / "registry"
    if not base.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file() and not p.is_symlink())


# -- unit -> district ------------------------------------------------------------------------


def take_in(district: Path, unit: str, source: str, rev: str) -> Result:
    """Bring the unit repository's state at `rev` into the district registry, on a new branch, as one commit.

    Each of the unit's files is merged three ways, as git merges: the base is the unit's state at the last
    take-in (`unit-sync/<unit>.txt` in the district's tree, so a squash or fast-forward merge of the district's
    merge request keeps it; before any, the unit repository's first commit, the org department's export),
    "ours" is what the district gives the unit now, "theirs" the unit's. A file only one side changed takes
    that side; one both changed is merged line by line, and what git cannot merge is written with both sides
    between git's conflict markers (`conflicts`), for the org department to settle on the branch.
    """
    out = Result()
    if _git(district, "status", "--porcelain", "--", "registry", SYNC).strip():
        raise UnitRepoError("名册仓库的 registry/ 有未提交的修改：请先提交或放弃，再导入单位仓库")
    problems = paths.folder_problems(district)
    if problems:
        raise UnitRepoError(f"区名册仓库中{problems[0]}：请先换成普通文件，再导入单位仓库")
    fetched = _fetch(district, source, rev)
    theirs = _unit_tree(district, fetched)
    last = _last_take_in(district, unit, fetched)
    base = _unit_tree(district, last or _first_commit(district, fetched))
    offered = given(district, unit)  # what the unit repository is given now: the district's side
    given_blobs = {path: _blob_id(raw) for path, raw in offered.files.items()}
    for path, blob in sorted(theirs.items()):
        if not own_path(unit, path) and path.startswith("registry/") and given_blobs.get(path) != blob:
            out.ignored.append(path)
    # the unit's own paths it holds or held; a file of the unit it may not see (a 正职 record) is never touched
    mine = {p for p in set(theirs) | set(base) | set(offered.files) if own_path(unit, p)}
    changes: dict[str, bytes | None] = {}
    for path in sorted(mine):
        unit_side, before, district_side = theirs.get(path), base.get(path), given_blobs.get(path)
        if unit_side in (before, district_side):
            continue  # the unit did not change it, or holds what the district has
        refused = _not_given(district, path, offered, _blob(district, unit_side))
        if refused:
            out.refused.append(f"不取 {path}：{refused}")
        elif district_side == before:
            changes[path] = _blob(district, unit_side)
        elif unit_side is None or district_side is None:  # one side deleted what the other changed: keep it
            changes[path] = offered.files.get(path) if unit_side is None else _blob(district, unit_side)
            out.conflicts.append(path)
        else:
            merged, clean = _merge(offered.files[path], _blob(district, before), _blob(district, unit_side))
            changes[path] = merged
            if not clean:
                out.conflicts.append(path)
    # every file made whole before the branch is made: a file that cannot be read leaves the district as it was
    final = {path: _with_hidden(district, path, raw, offered.files.get(path)) for path, raw in changes.items()}
    out.trail = _trail(district, last, fetched)
    full = _git(district, "rev-parse", fetched).strip()
    if not final:
        return out
    short = _git(district, "rev-parse", "--short", fetched).strip()
    out.branch = f"unit/{unit}-{short}"
    _git(district, "switch", "-q", "-c", out.branch)
    for path, raw in final.items():
        if raw is None:
            _git(district, "rm", "-q", "--", path)
            out.removed.append(path)
        else:
            paths.write_inside(district, path, raw)
            _git(district, "add", "--", path)
            out.written.append(path)
    paths.write_inside(district, f"{SYNC}/{unit}.txt", f"{SYNC_NOTE}{full}\n".encode())
    _git(district, "add", "--", f"{SYNC}/{unit}.txt")
    trail = out.trail or ["（单位仓库中没有合并请求记录）"]
    head = f"导入单位仓库 {unit}：{len(final)} 个文件" + (
        f"，{len(out.conflicts)} 个有冲突待解决" if out.conflicts else ""
    )
    message = "\n".join([head, "", *trail, "", f"{UNIT_TRAILER}: {unit}", f"{REVISION_TRAILER}: {full}"])
    _git(district, "commit", "-q", "-F", "-", stdin=message.encode())
    return out


def _not_given(district: Path, path: str, offered: Given, raw: bytes | None) -> str:
    """Why the unit's version of one of its paths is not taken, or "": a file the district holds but never gave
    the unit (a 正职 reserve's record or photo, 七、由区委组织部管理), or a nomination naming a person of the
    district the unit was not given (a vote could change their level and so who may read them)."""
    if path not in offered.files and (district / path).is_file() and not path.startswith("registry/nominations/"):
        return (
            "区名册中有这个文件，但没有交给本单位（如正职后备干部的记录由区委组织部管理），"
            "单位仓库不能新建、修改或删除它"
        )
    if raw is not None and re.fullmatch(PHOTO, path.rsplit("/", 1)[-1]):
        if not raw.startswith(PHOTO_MAGIC):
            return "照片文件不是 JPEG 或 PNG 图片，请单位换成证件照的 .jpg 或 .png 文件"
        if len(raw) > PHOTO_LIMIT:
            return f"照片文件有 {len(raw) / 2**20:.1f} MB，超过 {PHOTO_LIMIT // 2**20} MB，请单位压缩后再提交"
    if raw is None or not path.startswith("registry/nominations/"):
        return ""

    data: Any = load_bytes(raw, path).data
    candidates = data.get("candidates") if isinstance(data, dict) else None
    named = [c.get("cadre") for c in candidates if isinstance(c, dict)] if isinstance(candidates, list) else []
    hidden = sorted(str(c) for c in named if c in offered.everyone and c not in offered.people)
    if hidden:
        return (
            f"推荐了没有交给本单位的人员 {'、'.join(hidden)}（其记录不在单位仓库中，由区委组织部管理），"
            "请单位删去这些人选后合并，再导入；需要推荐的，请与区委组织部联系"
        )
    return ""


def _blob(district: Path, sha: str | None) -> bytes | None:
    return _run(district, ["cat-file", "blob", sha]).stdout if sha else None


def _merge(ours: bytes, base: bytes | None, theirs: bytes | None) -> tuple[bytes, bool]:
    """git merge-file of one file: (the merged bytes, no conflict). Conflicting hunks keep both sides."""

    with tempfile.TemporaryDirectory(prefix="cadres-merge-") as folder:
        files = []
        for name, raw in (("ours", ours), ("base", base or b""), ("theirs", theirs or b"")):
            (Path(folder) / name).write_bytes(raw)
            files.append(str(Path(folder) / name))
        labels = ["-L", "区名册", "-L", "上次导入时", "-L", "单位仓库"]
        result = subprocess.run(["git", "merge-file", "-p", *labels, *files], capture_output=True)
    if result.returncode < 0 or result.returncode > 127:
        raise UnitRepoError(f"git merge-file 失败：{repo.decoded(result.stderr).strip()}")
    return result.stdout, result.returncode == 0


def _first_commit(district: Path, fetched: str) -> str:
    """The unit repository's first commit (the org department's export that made it): the base of the first
    take-in. A history with two first commits is refused: the unit could pick the base the merge starts from."""
    roots = _git(district, "rev-list", "--max-parents=0", fetched).split()
    if len(roots) != 1:
        raise UnitRepoError(
            f"单位仓库的历史有 {len(roots)} 个起点提交（应当只有区委组织部导出的那一个），没有导入任何文件："
            "请区委组织部核对单位仓库的历史，必要时用 cadres unit-export 重新建立单位仓库"
        )
    return roots[0]


def _with_hidden(district: Path, path: str, raw: bytes | None, given: bytes | None) -> bytes | None:
    """A nomination file as the unit changed it, with the candidates the unit was not given kept (a unit's
    repository holds only the people its site shows: its 正职 candidates are the district's alone)."""

    current = district / path
    if not path.startswith("registry/nominations/") or not current.is_file():
        return raw
    held: Any = load_bytes(current.read_bytes(), path).data
    offered: Any = load_bytes(given, path).data if given else {}
    shown = {c["cadre"] for c in offered.get("candidates", [])}
    hidden = [c for c in held.get("candidates", []) if c.get("cadre") not in shown]
    if not hidden:
        return raw
    if raw is None:
        return dump({**held, "candidates": hidden}).encode()
    doc = load_bytes(raw, path)
    data: Any = doc.data
    if doc.findings or not isinstance(data, dict) or not isinstance(data.get("candidates"), list):
        raise UnitRepoError(
            f"单位仓库的 {path} 读不出来（{doc.findings[0].message if doc.findings else '没有 candidates'}），"
            "没有导入任何文件：请单位改正后合并，再导入"
        )
    return dump({**data, "candidates": [*data["candidates"], *hidden]}).encode()


def _blob_id(raw: bytes) -> str:
    """git's object id of a file's bytes (what ls-tree shows for it)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _fetch(district: Path, source: str, rev: str) -> str:
    """The unit repository's commit `rev`, fetched into the district's object store (no branch is made)."""
    if source.startswith("-") or rev.startswith("-"):  # git would read it as an option
        raise UnitRepoError(f"单位仓库地址或版本不能以「-」开头：{paths.shown(source)} {paths.shown(rev)}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", rev) or ".." in rev or rev.endswith((".lock", "/", ".")):
        # a refspec (`a:refs/heads/b`, `+a`) would make or move the district's own branches
        raise UnitRepoError(f"单位仓库的版本只能是分支名或提交号（如 main），不能是「{paths.shown(rev)}」")
    # only the transports a repository address is: never `ext::` (a command) or another helper
    allowed = [f"protocol.{name}.allow=always" for name in ("file", "https", "http", "ssh", "git")]
    config = [a for item in ("protocol.allow=never", *allowed) for a in ("-c", item)]
    result = _run(district, [*config, "fetch", "-q", "--no-tags", "--", source, rev])
    if result.returncode != 0:
        raise UnitRepoError(
            f"读不到单位仓库 {source} 的 {rev}：{repo.decoded(result.stderr).strip() or 'git fetch 失败'}"
            "；请检查地址、访问权限和分支名（用合并后的主分支，如 main）"
        )
    return _git(district, "rev-parse", "FETCH_HEAD^{commit}").strip()


def _unit_tree(district: Path, rev: str) -> dict[str, str]:
    """{path: blob id} of a unit repository's registry files at a fetched commit, every entry judged first."""
    try:
        return {e.path: e.blob for e in paths.registry_files(district, rev)}
    except paths.UnsafeTree as exc:
        raise UnitRepoError(f"{exc}，没有导入任何文件；请单位在单位仓库中删除这一项并合并后再导入") from None


def _tree(root: Path, rev: str) -> dict[str, str]:
    """{path: blob id} of the registry files at a revision."""
    listing = _git(root, "ls-tree", "-r", "-z", rev, "--", "registry")
    out = {}
    for item in listing.split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            mode, kind, blob = meta.split()
            if kind == "blob" and mode in ("100644", "100755"):  # a symlink in a unit repository is never taken
                out[path] = blob
    return out


def _last_take_in(district: Path, unit: str, fetched: str) -> str | None:
    """The unit revision the district last took in: `unit-sync/<unit>.txt` in HEAD's tree (there whatever
    way the merge request was merged), else the trailer of a take-in commit HEAD reaches (registries from
    before the file); None when none is an ancestor of what was fetched now (a unit repository made anew)."""
    found = None
    shown = _run(district, ["cat-file", "blob", f"HEAD:{SYNC}/{unit}.txt"])
    if shown.returncode == 0:
        found = re.search(r"^([0-9a-f]{40})$", repo.decoded(shown.stdout), re.MULTILINE)
    if found is None:
        log = _git(district, "log", "--format=%B%x01", f"--grep=^{UNIT_TRAILER}: {unit}$", "HEAD")
        found = re.search(rf"^{REVISION_TRAILER}: ([0-9a-f]{{40}})$", log, re.MULTILINE)
    if found and _run(district, ["merge-base", "--is-ancestor", found[1], fetched]).returncode == 0:
        return found[1]
    return None


def _trail(district: Path, since: str | None, until: str) -> list[str]:
    """The unit's merge requests since the last take-in: '- caizheng/cadres!12 标题（批准：王审核）'."""
    span = f"{since}..{until}" if since else until
    log = _git(district, "log", "--first-parent", "--format=%H%x00%an%x00%B%x01", span)
    lines = []
    for entry in log.split("\x01"):
        if "\x00" not in entry:
            continue
        _, author, body = entry.strip().split("\x00", 2)
        trailers = repo.merge_trailers(body)
        if trailers.reference is None:
            title = body.strip().splitlines()[0] if body.strip() else ""
            lines.append(f"- 未经合并请求：{title}（{author}）")
            continue
        approved = f"批准：{'、'.join(trailers.approvers)}" if trailers.approvers else "未记录审核人"
        lines.append(f"- {trailers.reference} {trailers.title}（{approved}）")
    return list(reversed(lines))


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    try:
        return repo.git(root, *args, stdin=stdin)
    except repo.HistoryError as exc:
        raise UnitRepoError(str(exc)) from None


def _run(root: Path, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return repo.run(root, args, stdin)
    except repo.HistoryError as exc:
        raise UnitRepoError(str(exc)) from None
