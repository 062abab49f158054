"""CODEOWNERS from units.yaml and audiences.yaml: who must approve a merge request that touches a file.

In the district registry the org department (the reviewers of the audiences
that see the whole pool) owns every file; in a unit repository (`cadres
unit-export`), the unit's reviewers own every file. `render` makes the text,
`verdict` judges the committed file; `cadres codeowners` writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import CadresError
from generator.core.findings import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from generator.registry.files import Registry

FILE = "CODEOWNERS"
HEADER = (
    "# 由 cadres codeowners 根据 registry/units.yaml 和 registry/audiences.yaml 生成，请勿手改。\n"
    "# 审核人有变化后，运行 cadres codeowners 并把本文件一并提交。\n"
)


ORG_SECTION = "区委组织部（区名册）"


class OwnersError(CadresError):
    """The registry does not say who the org department's reviewers are."""


def org_reviewers(registry: Registry) -> list[str]:
    found = []
    for audience in registry.audiences:
        if audience.get("sees") == "all":
            found += [r for r in audience.get("reviewers", []) if r not in found]
    if not found:
        raise OwnersError(
            "registry/audiences.yaml 中看全部名册（sees: all）的读者没有写审核人（reviewers），"
            "无法生成 CODEOWNERS；请为区委组织部写上审核人"
        )
    return found


def render(registry: Registry) -> str:
    """CODEOWNERS as GitLab reads it (one section: GitLab combines sections of one name, case-insensitively,
    so a file that names one body once cannot be misread).

    The district registry's project has the org department's members only (README: 谁能看到什么): its
    CODEOWNERS names them, and they approve every file, the org department's acts, every 正职 record and
    each unit's state brought in by `cadres unit-pull`. A unit's reviewers approve in the unit's own
    repository (`_unit_repository`), where the org department is not asked twice.
    """
    if registry.scope_unit is not None:
        return _unit_repository(registry, registry.scope_unit)
    org = " ".join(org_reviewers(registry))
    lines = [
        HEADER,
        "# 区名册仓库只有区委组织部的人是成员：全部文件由区委组织部审核。",
        "# 各单位的修改先在本单位的单位仓库由本单位审核人批准，再由区委组织部导入（cadres unit-pull）。",
        f"[{ORG_SECTION}] {org}",
        "*",
    ]
    return "\n".join(lines) + "\n"


def _unit_repository(registry: Registry, unit_id: str) -> str:
    """A unit repository's CODEOWNERS: its own reviewers approve its merge requests; the org department
    approves once, when it takes the unit's state into the district registry (cadres unit-pull)."""
    unit = next((u for u in registry.units if u["id"] == unit_id), None)
    if unit is None or not unit.get("reviewers"):
        raise OwnersError(
            f"registry/units.yaml 中单位「{unit_id}」没有写审核人（reviewers），无法生成本单位仓库的 CODEOWNERS"
        )
    lines = [
        HEADER,
        f"# {unit['name']}的单位仓库：本单位审核人批准；区委组织部在导入区名册时另行审批，不在这里重复",
        f"[{unit['name']}] {' '.join(unit['reviewers'])}",
        "*",
    ]
    return "\n".join(lines) + "\n"


def verdict(registry: Registry) -> Finding | None:
    """The one judgement of the committed CODEOWNERS, for `cadres validate` (X15) and `cadres codeowners --check`.

    None when it is current; a warning when there is none (merge requests then
    need no particular approval); an error when it differs from what the
    registry says, or when the registry does not say who the org department is.
    """
    try:
        text = render(registry)
    except OwnersError as exc:
        return Finding("registry/audiences.yaml", 1, 1, ERROR, "X15", "", "", str(exc), "")
    path = Path(registry.root) / FILE
    if not path.is_file():
        return Finding(
            FILE,
            1,
            1,
            WARNING,
            "X15",
            "",
            "",
            "没有 CODEOWNERS 文件：合并请求不会要求单位和区委组织部审核",
            "运行 cadres codeowners 生成，并提交到仓库根目录",
        )
    if path.read_text(encoding="utf-8") != text:
        return Finding(
            FILE,
            1,
            1,
            ERROR,
            "X15",
            "",
            "",
            "CODEOWNERS 与 units.yaml、audiences.yaml 中的审核人不一致",
            "运行 cadres codeowners 重新生成，并与本次修改一起提交",
        )
    return None


def write(registry: Registry) -> bool:
    """Write CODEOWNERS as the registry says it; False when it already was."""
    path = Path(registry.root) / FILE
    text = render(registry)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
