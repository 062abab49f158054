"""The semantic diff: what a change does to the pool, between two revisions of the registry.

`registry_at(root, rev)` loads the registry as it was at a git revision (its
own schemas and policy, via `git archive`); `pool_diff` compares two loaded
registries: who enters and who leaves the pool (and why), who changes level,
unit or status, every field change per person (loaded values, as
history.differences makes them), and how each target T01–T16 moves.
身份证号 and phone changes are said without their values.
"""

from __future__ import annotations

import datetime as _dt
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TypedDict

from generator.analysis.report import met_text
from generator.analysis.stats import Counts, TargetChange, statistics, target_changes
from generator.core.errors import CadresError
from generator.core.findings import shown
from generator.git.fields import differences
from generator.registry.files import Registry, load_registry
from generator.registry.records import Cadre
from generator.registry.schema import SchemaError
from generator.registry.sealed import RECIPIENTS


class DiffError(CadresError):
    """A revision that cannot be read: said in Chinese."""


def registry_at(root: Path, rev: str, workdir: Path, cache_dir: Path | None = None) -> Registry:
    """The registry at a git revision, unpacked into `workdir` and loaded (through the validation cache, if given)."""
    # the revision's own schemas when the repository keeps them (this project does; a registry repository need not)
    own = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{rev}:schemas"], capture_output=True)
    paths = ["registry", "schemas"] if own.returncode == 0 else ["registry"]
    result = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, *paths], capture_output=True)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise DiffError(
            f"读不到版本「{rev}」的名册（git archive：{message}）；请核对分支名或提交号（浅克隆时请取完整历史）"
        )
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as tar:
        tar.extractall(workdir, filter="data")
    try:
        return load_registry(workdir, cache_dir=cache_dir)
    except SchemaError as exc:
        raise DiffError(f"版本「{rev}」的 schemas/ 有错误，无法读取该版本的名册：{exc}") from None


class Someone(TypedDict):
    """A person as the pool diff names them: who, in which unit, at which level and status."""

    id: str
    name: str
    unit: str
    unit_name: str
    level: str
    status: str


class Departure(Someone):
    reason: str  # 已使用：…（date）, 记录已删除, 状态改为…


class Changed(Someone):
    changes: list[str]  # 层级: A → B…, or each field's change


class PoolDiff(TypedDict):
    """Two revisions of the registry compared as the org department reads them (`cadres diff`, the MR comment)."""

    base: str  # the revisions' names as given
    head: str
    as_of: str
    recipients: dict[str, list[str]]  # the public keys added and removed: said first
    pool: Counts
    unreadable: list[dict[str, str]]  # record files a revision cannot read: named, never compared
    entered: list[Someone]
    left: list[Departure]
    added: list[Someone]
    removed: list[Someone]
    moved: list[Changed]
    fields: list[Changed]
    targets: list[TargetChange]


def pool_diff(base: Registry, head: Registry, as_of: _dt.date, base_name: str, head_name: str) -> PoolDiff:
    before, after = statistics(base, as_of), statistics(head, as_of)
    unreadable = [(name, path) for name, reg in ((base_name, base), (head_name, head)) for path in _unreadable(reg)]
    skipped = {path.rsplit("/", 1)[-1].removesuffix(".yaml") for _, path in unreadable}  # not compared at all
    old = {e.data["id"]: e.data for e in base.cadres if e.data["id"] not in skipped}
    new = {e.data["id"]: e.data for e in head.cadres if e.data["id"] not in skipped}
    was, now = set(before["pool"]["ids"]) - skipped, set(after["pool"]["ids"]) - skipped
    names = {**{u["id"]: u["name"] for u in base.units}, **{u["id"]: u["name"] for u in head.units}}

    def who(data: Cadre) -> Someone:
        unit = data["employment"]["unit"]
        return {
            "id": data["id"],
            "name": data["name"],
            "unit": unit,
            "unit_name": names.get(unit, unit),
            "level": data["reserve"]["level"],
            "status": data["reserve"]["status"],
        }

    def why_left(cadre_id: str) -> str:
        data = new.get(cadre_id)
        if data is None:
            return "记录已删除"
        exit_ = data["reserve"].get("exit")
        return (
            f"{data['reserve']['status']}：{exit_['reason']}（{exit_['date']}）"
            if exit_
            else f"状态改为{data['reserve']['status']}"
        )

    label = head.schemas.label
    sensitive = head.schemas.vocabulary.sensitive
    moved: list[Changed] = []
    fields: list[Changed] = []
    for cadre_id in sorted(set(old) & set(new)):
        a, b = old[cadre_id], new[cadre_id]
        if a == b:
            continue
        steps = [
            f"{what}: {x} → {y}"
            for what, x, y in (
                ("层级", a["reserve"]["level"], b["reserve"]["level"]),
                (
                    "单位",
                    names.get(a["employment"]["unit"], a["employment"]["unit"]),
                    names.get(b["employment"]["unit"], b["employment"]["unit"]),
                ),
                ("状态", a["reserve"]["status"], b["reserve"]["status"]),
            )
            if x != y
        ]
        if steps:
            moved.append({**who(b), "changes": steps})
        texts = [text for _, text in differences(a, b, lambda p: label("cadre", p), sensitive)]
        fields.append({**who(b), "changes": texts})
    keys_before, keys_after = _recipients(base), _recipients(head)
    return {
        "base": base_name,
        "head": head_name,
        "as_of": as_of.isoformat(),
        "recipients": {
            "added": [k for k in keys_after if k not in keys_before],
            "removed": [k for k in keys_before if k not in keys_after],
        },
        "pool": {"before": len(was), "after": len(now)},
        "unreadable": [{"revision": name, "path": path} for name, path in unreadable],
        "entered": [who(new[i]) for i in sorted(now - was)],
        "left": [{**who(old[i]), "reason": why_left(i)} for i in sorted(was - now)],
        "added": [who(new[i]) for i in sorted(set(new) - set(old))],
        "removed": [who(old[i]) for i in sorted(set(old) - set(new))],
        "moved": moved,
        "fields": fields,
        "targets": target_changes(before["targets"], after["targets"]),
    }


def _recipients(registry: Registry) -> list[str]:
    """The public keys registry/recipients.txt lists: who can open the personal numbers."""
    path = Path(registry.root) / RECIPIENTS
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _unreadable(registry: Registry) -> list[str]:
    return [e.path for e in registry.of_kind("cadre", valid_only=False) if not e.valid]


def diff(root: Path, base_rev: str, head_rev: str | None, as_of: _dt.date, cache_dir: Path | None = None) -> PoolDiff:
    """The pool diff from BASE to HEAD (a revision, or the working tree when None).

    Both versions are loaded through the validation cache: what did not change between them is read once.
    """
    with tempfile.TemporaryDirectory(prefix="cadres-diff-") as work:
        base = registry_at(root, base_rev, Path(work) / "base", cache_dir)
        head = (
            registry_at(root, head_rev, Path(work) / "head", cache_dir)
            if head_rev
            else load_registry(root, cache_dir=cache_dir)
        )
        for name, reg in ((base_rev, base), (head_rev or "工作区", head)):
            if reg.policy is None or not reg.units:
                raise DiffError(f"版本「{name}」的 policy.yaml 或 units.yaml 缺失或有错误，无法比较")
        try:
            return pool_diff(base, head, as_of, base_rev, head_rev or "工作区")
        except KeyError as exc:  # a revision from before a setting this program needs
            raise DiffError(
                f"有一个版本的 policy.yaml 没有本程序需要的设置「{exc.args[0]}」（该版本早于这项设置），无法比较；"
                "请选较新的版本作比较起点"
            ) from None


# -- as people read it ---------------------------------------------------------------------

_MD = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(line: str) -> str:
    """A line of the merge-request comment: what the records say is shown, never interpreted as Markdown."""
    if line.startswith("- "):
        return "- " + line[2:].translate(_MD)
    return line.translate(_MD)


def _person(p: Someone) -> str:
    return f"{p['name']}（{p['id']}，{p['unit_name']}，{p['level']}）"


def lines(d: PoolDiff, bullet: str = "- ") -> list[str]:
    out = []
    keys = d.get("recipients", {})
    if keys.get("added") or keys.get("removed"):  # who can open the numbers: said first, whatever else changed
        out.append(f"能打开身份证号和电话的密钥（{RECIPIENTS}）有变化，须区委组织部审核：")
        out += [f"{bullet}新增 {k[:16]}…" for k in keys.get("added", [])]
        out += [f"{bullet}删除 {k[:16]}…" for k in keys.get("removed", [])]
        out.append("")
    out += [f"在库人数 {d['pool']['before']} → {d['pool']['after']}（统计日期 {d['as_of']}）", ""]
    sections = (
        ("入库", d["entered"], lambda p: _person(p)),
        ("出库", d["left"], lambda p: f"{_person(p)}：{p['reason']}"),
        ("层级、单位或状态变化", d["moved"], lambda p: f"{_person(p)}：{'；'.join(p['changes'])}"),
        ("新增记录", d["added"], lambda p: f"{_person(p)}，状态 {p['status']}"),
        (
            "删除记录",
            d["removed"],
            lambda p: f"{_person(p)}——出库不删文件：请恢复文件；出库由区委组织部在决定的 left 中写明",
        ),
        ("字段修改", d["fields"], lambda p: f"{_person(p)}：{'；'.join(p['changes'])}"),
    )
    for title, rows, show in sections:
        if rows:
            out.append(f"{title}（{len(rows)} 人）：")
            out += [bullet + show(p) for p in rows]
            out.append("")
    if d["unreadable"]:
        out.append(
            f"无法读取的记录（{len(d['unreadable'])} 个，格式有错误，未参与比较；请运行 cadres validate 改正）："
        )
        out += [f"{bullet}{u['path']}（版本 {u['revision']}）" for u in d["unreadable"]]
        out.append("")
    # one line each, whatever a value holds, and never a personal number typed into the wrong field
    return [shown(line) for line in out]


def text(d: PoolDiff) -> str:
    out = [f"名册变化：{d['base']} → {d['head']}", *lines(d, "  "), "结构目标："]
    out += [
        f"  {t['id']} {t['label']} {t['before']} → {t['after']}"
        + ("" if t["met_before"] == t["met_after"] else f"（{met_text(t['met_after'])}）")
        for t in d["targets"]
        if t["changed"]
    ] or ["  各项目标的数值没有变化"]
    return "\n".join(out) + "\n"


def markdown(d: PoolDiff) -> str:
    body = [_md(line) for line in lines(d)]
    out = [
        f"### 名册变化：`{d['base']}` → `{d['head']}`",
        "",
        *body,
        "#### 结构目标",
        "",
        "| 编号 | 项目 | 之前 | 之后 | 结果 |",
        "|---|---|---|---|---|",
    ]
    for t in d["targets"]:
        result = (
            met_text(t["met_after"])
            if t["met_before"] == t["met_after"]
            else f"{met_text(t['met_before'])} → {met_text(t['met_after'])}"
        )
        mark = "**" if t["changed"] else ""
        out.append(f"| {t['id']} | {t['label']} | {t['before']} | {mark}{t['after']}{mark} | {result} |")
    return "\n".join(out) + "\n"
