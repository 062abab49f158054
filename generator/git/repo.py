"""Reading git: one place runs git for the registry's history, the pool diff, the trail checks and unit
repositories; every other module asks it (never a subprocess of its own)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.core.errors import CadresError

CADRES = "registry/cadres/"
REGISTRY = "registry/"
APPROVED = re.compile(r"Approved-by:\s*(.+?)\s*")


class HistoryError(CadresError):
    """git could not be read: said in Chinese by the caller."""


def ids_ever(root: Path) -> set[str]:
    """Every cadre id that has had a file under registry/cadres/ in any commit of any branch: never to be given
    again, so a deleted record's id keeps meaning that person in the history (empty outside git)."""
    result = run(Path(root), ["log", "--all", "--format=", "--name-only", "--diff-filter=A", "--", CADRES])
    if result.returncode != 0:
        return set()
    return {line.rsplit("/", 1)[-1].removesuffix(".yaml") for line in decoded(result.stdout).splitlines() if line}


def deleted_records(root: Path, base: str) -> list[str]:
    """Record files at revision `base` that the working tree no longer has under any unit (a move is not a
    deletion). Raises HistoryError for a revision git does not know; [] outside git."""
    root = Path(root)
    if run(root, ["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"]).returncode != 0:
        if base == "HEAD":  # a repository without commits yet, or no repository: nothing was deleted
            return []
        raise HistoryError(f"git 中没有版本「{base}」：请核对分支名或提交号（浅克隆时请取完整历史）")
    listed = git(root, "ls-tree", "-r", "--name-only", base, "--", CADRES).splitlines()
    present = {p.name for p in (root / CADRES).rglob("*.yaml")}
    return [path for path in listed if path.endswith(".yaml") and path.rsplit("/", 1)[-1] not in present]


def deleted_people(root: Path) -> list[tuple[str, str, str]]:
    """(id, name, unit folder) of every record file deleted on any branch whose id has no file now: what a
    change log could still show of them ([] outside git). A file git cannot parse gives its id alone."""
    root = Path(root)
    result = run(root, ["log", "--all", "--diff-filter=D", "--format=%x1e%H", "--name-only", "-z", "--", CADRES])
    if result.returncode != 0:
        return []
    present = {p.stem for p in (root / CADRES).rglob("*.yaml")}
    wanted: dict[str, tuple[str, str]] = {}  # id -> (commit, path), the latest deletion first
    for chunk in decoded(result.stdout).split("\x1e")[1:]:
        commit, *names = (part.strip("\n") for part in chunk.split("\0"))  # <hash>\0\n<path>\0<path>\0…
        for path in filter(None, names):
            cadre = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            if path.endswith(".yaml") and cadre not in present:
                wanted.setdefault(cadre, (commit, path))
    if not wanted:
        return []
    asked = "".join(f"{commit}^:{path}\n" for commit, path in wanted.values()).encode()
    out = run(root, ["cat-file", "--batch"], asked).stdout
    people = []
    for cadre, (_, path) in wanted.items():
        header, _, out = out.partition(b"\n")
        parts = header.split()  # <blob id> blob <size>, or <what was asked> missing
        blob = b""
        if len(parts) == 3 and parts[1] == b"blob":
            size = int(parts[2])
            blob, out = out[:size], out[size + 1 :]
        try:
            data = yaml.safe_load(blob)
        except yaml.YAMLError:
            data = None
        name = data.get("name") if isinstance(data, dict) else None
        people.append((cadre, name if isinstance(name, str) else "", path.removeprefix(CADRES).split("/", 1)[0]))
    return people


def git(root: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> str:
    result = run(root, args, stdin)
    if check and result.returncode != 0:
        raise HistoryError(f"git {' '.join(args[:2])} 失败：{result.stderr.decode('utf-8', 'replace').strip()}")
    return decoded(result.stdout)


def run(root: Path, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True)
    except FileNotFoundError:
        raise HistoryError("找不到 git 命令：请安装 git") from None


def decoded(value: bytes) -> str:
    """Text from git: UTF-8, else GB18030 (a message from a Windows client that git could not re-encode),
    else UTF-8 with replacement characters; never an exception."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return value.decode(encoding)
        except UnicodeDecodeError:
            pass
    return value.decode("utf-8", "replace")


def read_blobs(root: Path, shas: set) -> dict[str, bytes]:
    order = sorted(shas)
    out = run(root, ["cat-file", "--batch"], stdin="".join(f"{s}\n" for s in order).encode()).stdout
    found, pos = {}, 0
    for sha in order:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) >= 3 and header[1] == b"blob":
            size = int(header[2])
            found[sha] = out[pos : pos + size]
            pos += size + 1
    return found


def brought_by(root: Path, path: str) -> str:
    """The merge request (or, failing one, the commit) of the main line that last changed a file."""
    body = decoded(run(Path(root), ["log", "--first-parent", "-1", "--format=%h%x00%B", "--", path]).stdout)
    if "\x00" not in body:
        return "（不在 git 中）"
    short, message = body.split("\x00", 1)
    reference = merge_trailers(message).reference
    return f"合并请求 {reference}" if reference else f"提交 {short}（未经合并请求）"


def unit_trail(message: str) -> list[str]:
    """The unit repository's merge requests a `cadres unit-pull` commit lists ('caizheng/cadres!3 标题（批准：…）')."""
    if not re.search(r"^Cadres-Unit: ", message, re.MULTILINE):
        return []
    return [line[2:].strip() for line in message.splitlines() if line.startswith("- ")]


@dataclass(frozen=True)
class Trailers:
    """What GitLab wrote of a merge request into its merge commit: the reference, the title, the approvers."""

    reference: str | None  # group/project!N
    title: str | None
    approvers: list  # names only, without their e-mail addresses


def merge_trailers(message: str) -> Trailers:
    """The merge request of a GitLab merge commit, read only where GitLab's template writes it (README, GitLab
    项目设置): `Merge branch '…' into '…'`, the title, then at the end `See merge request group/project!N` and
    the `Approved-by:` block (in either order). A title or a branch commit that merely says `Approved-by: …` or
    `See merge request …` is text, never an approver or a reference."""
    paragraphs = [p.strip() for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 3 or not paragraphs[0].startswith("Merge branch "):
        return Trailers(None, None, [])
    tail = paragraphs[2:][-2:]  # what GitLab writes after the title
    reference = next((m[1] for p in tail if (m := re.fullmatch(r"See merge request (\S+?!\d+)", p))), None)
    if reference is None:
        return Trailers(None, None, [])
    approvers: list[str] = []
    for block in tail:
        found = [APPROVED.fullmatch(line) for line in block.splitlines()]
        if found and all(found):
            approvers = [re.sub(r"\s*<[^>]*>$", "", m[1]) for m in found if m]
    return Trailers(reference, paragraphs[1].splitlines()[0], approvers)
