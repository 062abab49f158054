"""The checks that need git, against a base revision: X19 (a record file deleted) and X27 (an id given to
another person). `cadres validate --base` and `cadres review` add them to the registry's own findings."""

from __future__ import annotations

from pathlib import Path

from generator.core.findings import ERROR, WARNING, Finding
from generator.git import repo
from generator.git.repo import CADRES, deleted_records
from generator.registry import sealed
from generator.registry.files import Registry
from generator.registry.load import load_bytes


def deletions(root: Path, base: str) -> list[Finding]:
    """X19: record files deleted since `base` (a person leaves the pool by a decision, never by deleting the file).
    Raises HistoryError for a revision git does not know."""
    return [
        Finding(
            path,
            1,
            1,
            WARNING,
            "X19",
            "",
            "",
            f"删除了干部记录文件（与 {base} 相比）：删除后网站上查不到此人，也查不到他为何离开后备干部队伍",
            "出库不删文件：请恢复文件（git restore --source="
            f"{base} {path}）；出库由区委组织部在区委常委会的决定中写明（left：调整出库或已使用和原因）；"
            "确属误建的记录，请在合并请求中说明",
        )
        for path in deleted_records(root, base)
    ]


def identities(root: Path, base: str, registry: Registry) -> list[Finding]:
    """X27: a record whose person changed under its id since `base` (name and birth month both different; with
    the key, another 身份证号): two merge requests that made the same id, or a conflict resolved with one side's
    file, must not turn one person into another. Raises HistoryError for a revision git does not know."""
    root = Path(root)
    if repo.run(root, ["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"]).returncode != 0:
        return []  # no such revision: `deletions` says so (HEAD in a repository without commits: nothing to compare)
    listed = repo.git(root, "ls-tree", "-r", base, "--", CADRES).splitlines()
    then = {}
    for line in listed:
        meta, path = line.split("\t", 1)
        if path.endswith(".yaml") and meta.split()[1] == "blob":
            then[path.rsplit("/", 1)[-1].removesuffix(".yaml")] = (meta.split()[2], path)
    now = {e.data["id"]: e for e in registry.of_kind("cadre") if e.data.get("id") in then}
    blobs = repo.read_blobs(root, {then[cadre][0] for cadre in now})
    keys = sealed.keys()
    out = []
    for cadre, entry in sorted(now.items()):
        old = load_bytes(blobs.get(then[cadre][0], b""), then[cadre][1], registry.schemas.types["cadre"]).data
        if not isinstance(old, dict):
            continue
        new = entry.data
        was = f"{old.get('name')}（出生 {str(old.get('birth', ''))[:7]}）"
        if old.get("name") != new["name"] and str(old.get("birth", ""))[:7] != str(new["birth"])[:7]:
            now_is = f"{new['name']}（出生 {new['birth'][:7]}）"
            message = f"编号「{cadre}」在 {base} 是{was}，现在是{now_is}：一个编号只属于一个人"
            hint = "另一个人请用 cadres new cadre 生成新编号；合并冲突时不要用一方的文件整个替换另一方"
            out.append(Finding(entry.path, 1, 1, ERROR, "X27", "编号", "id", message, hint))
        elif keys.available and _number(keys, old) and _number(keys, new) and _number(keys, old) != _number(keys, new):
            message = f"编号「{cadre}」的身份证号与 {base} 时不同（{was}）：号码填错的更正没有问题，换了人的须用新编号"
            out.append(Finding(entry.path, 1, 1, WARNING, "X27", "身份证号", "id_number", message, "请核对是否同一人"))
    return out


def _number(keys: sealed.Keys, data: dict) -> str | None:
    value = data.get("id_number")
    try:
        return keys.open(value) if isinstance(value, str) and sealed.is_sealed(value) else value
    except sealed.SealError:
        return None
