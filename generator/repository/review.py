"""`cadres review BRANCH`: the org department's reviewer checks a merge request's branch with the key before
approving it.

A merge request's pipeline has no key, so what needs the numbers themselves (the same 身份证号 in two records,
X17; a number that does not match the birth date or sex, R12; a sealed value that does not open, X20) is said
there as not checked (X21) and would first fail on main, after the merge. The reviewer, whose machine holds the
key, runs this before approving: the branch is checked out into a temporary worktree (the reviewer's own
checkout is left as it is), validated whole with the key against the fork point, and the worktree removed.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
import tempfile
from pathlib import Path

from generator.core.errors import CadresError
from generator.core.findings import Finding
from generator.git.trail import deletions, identities
from generator.registry import sealed
from generator.registry.validate import validate


class ReviewError(CadresError):
    """The branch cannot be checked: said in Chinese."""


def review(root: Path, branch: str, target: str, as_of: _dt.date) -> tuple[str, list[Finding]]:
    """(the fork point, every finding of the branch checked with the key)."""
    if not sealed.keys().available:
        raise ReviewError(
            f"审核前的核对要用密钥解开号码：请设置环境变量 {sealed.IDENTITY_FILE_ENV}（密钥文件的路径）后再运行"
        )
    for rev in (branch, target):
        if rev.startswith("-") or _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode:
            raise ReviewError(f"git 中没有分支或版本「{rev}」：请先 git fetch，再写合并请求的源分支名")
    fork = _git(root, "merge-base", target, branch).stdout.decode().strip()
    with tempfile.TemporaryDirectory(prefix="cadres-review-") as folder:
        tree = Path(folder) / "branch"
        added = _git(root, "worktree", "add", "--detach", "--quiet", str(tree), branch)
        if added.returncode:
            raise ReviewError(f"无法检出分支「{branch}」：{added.stderr.decode('utf-8', 'replace').strip()}")
        try:
            registry, found = validate(tree, as_of=as_of)
            found = deletions(tree, fork) + identities(tree, fork, registry) + found
        finally:
            _git(root, "worktree", "remove", "--force", str(tree))
    return fork, found


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True)
