"""`cadres init DIR`: a district's registry repository, holding only its data.

The program (schemas, code tables, page templates, site configuration) comes
from the installed package (core.defaults); the repository gets the registry
skeleton and what GitLab, pre-commit and the editor need to check every change
with the same program version:

    registry/policy.yaml      合蜀发〔2012〕11号 as shipped (the district's figures go here)
    registry/audiences.yaml   the usual readers: 组织部, 常委, one site per unit
    registry/units.yaml       one example unit, to be replaced by the district's list
    registry/recipients.txt   where the org department's age public keys go (cadres keygen)
    registry/cadres/ registry/nominations/   the units' files: people and their 民主推荐
    registry/inspections/ registry/decisions/   the org department's: 考察 and the 区委常委会's decisions
    .gitlab-ci.yml            the shipped pipeline, installing this program at the given version
    .pre-commit-config.yaml   the cadres-validate hook of this program's repository, same version
    CODEOWNERS                from units.yaml and audiences.yaml (cadres codeowners)
    schemas/json/             JSON Schema of each kind of file, for the editor
    .vscode/settings.json     maps every registry file to its JSON Schema (no `$schema` line needed)
    .gitignore                .cache/, site/, .venv/
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from generator.core import defaults
from generator.core.errors import CadresError
from generator.interchange import schema_json
from generator.registry import codeowners
from generator.registry.files import load_registry
from generator.registry.schema import KINDS

UNITS = """\
# 单位名录：按官方排序号排列。reviewers 是该单位合并请求的审核人（GitLab 用户名）。
# 下面是一个示例单位：请换成本区的单位名录（每个单位一项），然后运行 cadres codeowners。
units:
  - id: shili
    name: 示例单位
    aliases: [示例]  # 人们常写的简称（如 [区卫健委, 卫健委]）：网站搜索用它也能找到本单位的人；可不写
    kind: 党政机关
    order: 10
    party_org: 示例单位党支部
    leadership: {chief: 1, deputy: 2}
    reviewers: ["@shili-office"]
"""

RECIPIENTS = """\
# 个人号码（身份证号、联系电话）加密的收件人：区委组织部的 age 公钥（age1 开头），每行一个。
# 区委组织部运行 cadres keygen --output <密钥文件> 生成密钥，把它给出的公钥写在这里；
# 密钥文件只留在组织部，绝不提交。改动这里之后运行 cadres encrypt --rekey。
"""

GITIGNORE = """\
# 生成的网站和缓存不进仓库
/site/
/.cache/
/.venv/
"""

PRE_COMMIT = """\
# 提交前校验改动的名册文件。第一次使用：pip install pre-commit && pre-commit install
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: cadres-validate
"""

# the files of each kind (registry.files' discovery), for the editor's YAML extension
EDITOR_GLOBS = {
    "cadre": ["registry/cadres/**/*.yaml"],
    "nomination": ["registry/nominations/**/*.yaml"],
    "inspection": ["registry/inspections/**/*.yaml"],
    "decision": ["registry/decisions/*.yaml"],
    "watch": ["registry/watch.yaml"],
    "unit": ["registry/units.yaml"],
    "policy": ["registry/policy.yaml"],
    "audiences": ["registry/audiences.yaml"],
}


class InitError(CadresError):
    """The folder cannot be made a registry repository: said in Chinese."""


def planned(tool_repo: str, tool_rev: str) -> dict[str, str]:
    """Every file `init` writes, with its text (CODEOWNERS and the JSON schemas are made after)."""
    shipped = defaults.shipped()
    ci = (shipped / ".gitlab-ci.yml").read_text(encoding="utf-8")
    package_line = 'CADRES_PACKAGE: "."'
    if package_line not in ci:
        raise InitError(f"随程序提供的 .gitlab-ci.yml 中没有 {package_line}：程序安装不完整，请重新安装")
    ci = ci.replace(package_line, f'CADRES_PACKAGE: "cadres @ git+{tool_repo}@{tool_rev}"', 1)
    settings = {
        "yaml.schemas": {f"schemas/json/{kind}.schema.json": globs for kind, globs in EDITOR_GLOBS.items()},
        "files.encoding": "utf8",
        "files.insertFinalNewline": True,
    }
    return {
        "registry/policy.yaml": (shipped / "registry/policy.yaml").read_text(encoding="utf-8"),
        "registry/audiences.yaml": (shipped / "registry/audiences.yaml").read_text(encoding="utf-8"),
        "registry/units.yaml": UNITS,
        "registry/recipients.txt": RECIPIENTS,
        "registry/cadres/.gitkeep": "",
        "registry/nominations/.gitkeep": "",
        "registry/inspections/.gitkeep": "",
        "registry/decisions/.gitkeep": "",
        ".gitignore": GITIGNORE,
        ".gitlab-ci.yml": ci,
        ".pre-commit-config.yaml": PRE_COMMIT.format(repo=tool_repo, rev=tool_rev),
        ".vscode/settings.json": json.dumps(settings, ensure_ascii=False, indent=2) + "\n",
        ".vscode/extensions.json": json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n",
    }


def init(target: Path, tool_repo: str, tool_rev: str) -> list[str]:
    """Create the repository's files in `target` (never over existing ones); returns the paths written."""

    files = planned(tool_repo, tool_rev)
    existing = sorted(p for p in [*files, "CODEOWNERS", "schemas"] if (target / p).exists())
    if existing:
        shown = "、".join(existing[:3]) + (f" 等 {len(existing)} 项" if len(existing) > 3 else "")
        raise InitError(f"{target} 中已有 {shown}：cadres init 不覆盖已有文件，请换一个空文件夹")
    check_revision(tool_repo, tool_rev)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    registry = load_registry(target)
    out = target / "schemas" / "json"
    out.mkdir(parents=True)
    for kind in KINDS:
        (out / f"{kind}.schema.json").write_text(
            schema_json.dumps(schema_json.export(registry.schemas, kind)), encoding="utf-8"
        )
    codeowners.write(registry)
    written = [*files, *(f"schemas/json/{kind}.schema.json" for kind in KINDS), "CODEOWNERS"]
    if shutil.which("git") and not _in_work_tree(target):
        subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(target)], check=True)
    return written


def check_revision(tool_repo: str, tool_rev: str) -> None:
    """The program's repository answers and has `tool_rev` as a tag, a branch or the commit at one of them:
    what the pipeline (pip) and the hook (pre-commit) will install. InitError, one Chinese line, otherwise."""
    if tool_repo.startswith("-") or tool_rev.startswith("-"):
        raise InitError(f"程序仓库地址或版本不能以「-」开头：{tool_repo} {tool_rev}")
    try:
        result = subprocess.run(
            ["git", "-c", "protocol.ext.allow=never", "ls-remote", "--", tool_repo],
            capture_output=True,
            timeout=120,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InitError(f"读不到程序仓库 {tool_repo}（{exc.__class__.__name__}）：请核对 --tool-repo 地址") from None
    if result.returncode != 0:
        why = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InitError(
            f"读不到程序仓库 {tool_repo}（{why[-1] if why else 'git ls-remote 失败'}）："
            "请核对 --tool-repo 地址，并在能访问内网 GitLab 的电脑上运行"
        )
    refs = [line.split("\t", 1) for line in result.stdout.decode("utf-8", "replace").splitlines() if "\t" in line]
    names = {name.removesuffix("^{}") for _, name in refs}
    found = f"refs/tags/{tool_rev}" in names or f"refs/heads/{tool_rev}" in names
    found = found or (
        re.fullmatch(r"[0-9a-f]{7,40}", tool_rev) is not None and any(sha.startswith(tool_rev) for sha, _ in refs)
    )
    if not found:
        tags = sorted(name.removeprefix("refs/tags/") for name in names if name.startswith("refs/tags/"))
        known = (
            f"已有的标签：{'、'.join(tags[-5:])}"
            if tags
            else "这个仓库还没有标签：请先为程序打版本标签（git tag v版本号 && git push --tags）"
        )
        raise InitError(f"程序仓库 {tool_repo} 中没有版本「{tool_rev}」（{known}）；请用 --tool-rev 写明标签或提交号")


def _in_work_tree(folder: Path) -> bool:
    result = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"], capture_output=True)
    return result.returncode == 0
