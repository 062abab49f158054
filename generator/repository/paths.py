"""Paths another party controls: a unit repository's git tree, and a unit repository's working tree.

Nothing from a unit repository is ever written through a name or a link it chose. A tree is read object by
object (`git cat-file`), so every entry's name is seen as git stores it (a name git's own commands would
show joined with others, such as one holding a slash, is seen alone), and each name is judged before any
file is written: `..`, `.`, slashes, control and direction characters, `.git` in any spelling a file
system may take for it, and symlinks, submodules or other non-regular entries inside `registry/`.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import CadresError

REGISTRY = b"registry"
TREE, BLOB, EXECUTABLE, SYMLINK, SUBMODULE = b"40000", b"100644", b"100755", b"120000", b"160000"
MAX_ENTRIES = 100_000  # a unit repository holds a few dozen files; more is not a registry


class UnsafeTree(CadresError):
    """A tree or folder that would lead a write outside the unit's own paths: one Chinese line."""


@dataclass(frozen=True)
class Entry:
    path: str  # components joined with "/", each one already judged safe
    mode: bytes
    blob: str


def shown(name: str) -> str:
    """A name as a message may print it: control, format and direction characters as \\u escapes."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)


def name_problem(name: bytes) -> str | None:
    """Why one tree entry's name may not be written anywhere (None: a plain name)."""
    if name in (b"", b".", b".."):
        return "路径中有「.」或「..」（指向当前或上级目录）" if name else "名称为空"
    if b"/" in name or b"\\" in name:
        return "名称中有斜杠"
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        return "名称不是 UTF-8 文字"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return "名称中有控制字符或方向控制字符"
    plain = text.rstrip(". ").casefold()  # Windows drops trailing dots and spaces; macOS and Windows fold case
    if plain == ".git" or re.fullmatch(r"git~[0-9]+", plain):  # git~1: the 8.3 short name of .git
        return "名称是 git 自己的目录「.git」"
    return None


def mode_problem(mode: bytes) -> str | None:
    """Why an entry inside registry/ may not be taken (None: a file or a folder)."""
    if mode in (TREE, BLOB, EXECUTABLE):
        return None
    if mode == SYMLINK:
        return "是符号链接"
    if mode == SUBMODULE:
        return "是子模块"
    return "不是普通文件"


def registry_files(root: Path, rev: str) -> list[Entry]:
    """Every file under registry/ at a commit, each name judged; UnsafeTree at the first hostile entry.

    Names are judged in the whole tree (a `.git` folder or a `..` anywhere refuses the commit, since it can
    only be an attack); kinds only under registry/, the one folder the district reads.
    """
    with _Trees(root) as trees:
        top = trees.resolve(f"{rev}^{{tree}}")
        out: list[Entry] = []
        pending: list[tuple[tuple[str, ...], str, bool]] = [((), top, False)]
        seen = 0
        while pending:
            parents, tree, inside = pending.pop()
            for mode, name, sha in trees.entries(tree):
                seen += 1
                if seen > MAX_ENTRIES:
                    raise UnsafeTree(f"单位仓库的提交有 {MAX_ENTRIES} 个以上的文件和目录，不像单位仓库")
                display = "/".join((*parents, shown(name.decode("utf-8", "backslashreplace"))))
                is_registry = not parents and name == REGISTRY
                problem = name_problem(name)
                if problem is None and is_registry and mode != TREE:
                    problem = "不是目录"
                elif problem is None and inside:
                    problem = mode_problem(mode)
                if problem:
                    raise UnsafeTree(f"单位仓库中的「{display}」{problem}")
                path = (*parents, name.decode("utf-8"))
                if mode == TREE:
                    pending.append((path, sha, inside or is_registry))
                elif inside:
                    out.append(Entry("/".join(path), mode, sha))
    return sorted(out, key=lambda e: e.path)


def folder_problems(root: Path, top: str = "registry") -> list[str]:
    """Lines naming every symlink or non-regular entry under root/top (a working tree another party fills)."""
    base = root / top
    if os.path.islink(base):
        return [f"「{top}」是符号链接"]
    if not base.exists():
        return []
    if not base.is_dir():
        return [f"「{top}」不是目录"]
    problems = []
    for folder, dirs, names in os.walk(base):  # os.walk never descends through a link to a folder
        for name in sorted(dirs + names):
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                problems.append(f"「{shown(rel)}」是符号链接")
            elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                problems.append(f"「{shown(rel)}」不是普通文件")
            elif stat.S_ISREG(mode) and os.lstat(full).st_nlink > 1:  # writing it would write the other name too
                problems.append(f"「{shown(rel)}」是硬链接")
    return problems


def write_inside(root: Path, rel: str, data: bytes) -> None:
    """Write root/rel, making folders as needed, never through a link (O_NOFOLLOW at every step)."""
    *folders, name = rel.split("/")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in folders:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644, dir_fd=fd)
        with os.fdopen(out, "wb") as fh:
            fh.write(data)
    finally:
        os.close(fd)


class _Trees:
    """One `git cat-file --batch` process reading tree objects in their stored form."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __enter__(self) -> _Trees:
        self.process = subprocess.Popen(
            ["git", "-C", str(self.root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()

    def resolve(self, rev: str) -> str:
        kind, sha, _ = self._read(rev)
        if kind != b"tree":
            raise UnsafeTree(f"单位仓库的「{shown(rev)}」不是一个提交")
        return sha

    def entries(self, sha: str) -> list[tuple[bytes, bytes, str]]:
        """[(mode, name, object id)] of one tree, as stored."""
        kind, _, raw = self._read(sha)
        if kind != b"tree":
            raise UnsafeTree(f"单位仓库的对象 {sha} 不是目录")
        out, at = [], 0
        while at < len(raw):
            space = raw.index(b" ", at)
            nul = raw.index(b"\0", space)
            out.append((raw[at:space], raw[space + 1 : nul], raw[nul + 1 : nul + 21].hex()))
            at = nul + 21
        return out

    def _read(self, name: str) -> tuple[bytes, str, bytes]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(name.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            raise UnsafeTree(f"单位仓库中没有对象「{shown(name)}」")
        sha, kind, size = header
        raw = stdout.read(int(size) + 1)[:-1]
        return kind, sha.decode(), raw
