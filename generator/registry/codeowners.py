"""CODEOWNERS from units.yaml and audiences.yaml: who must approve a merge request that touches a file.

A unit's reviewers own its cadre folder and its nomination files; the org
department (the reviewers of the audiences that see the whole pool) owns
everything, and alone the policy, the schemas, the configuration files and,
when policy.yaml says so, every 正职 record. GitLab applies the last matching
line, so the lines run from the general to the particular. `render` makes
the text, `verdict` judges the committed file; `cadres codeowners`
writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.findings import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from generator.registry.files import Registry

FILE = "CODEOWNERS"
HEADER = (
    "# 由 cadres codeowners 根据 registry/units.yaml、registry/audiences.yaml 和各干部记录生成，请勿手改。\n"
    "# 单位、审核人或正职后备有变化后，运行 cadres codeowners 并把本文件一并提交。\n"
)


class OwnersError(Exception):
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
    """CODEOWNERS in GitLab's sections: each section needs its own approval.

    The org department's section owns every file; each unit's section owns the
    unit's cadre folder and nomination files, so a unit's change needs the unit's
    reviewer and the org department. 正职 records are excluded from their unit's
    section (`!path`, GitLab 17.10 and later) when policy.yaml gives them to the
    org department alone; policy, units, audiences, schemas and this file are in
    no unit's section.
    """
    if registry.scope_unit is not None:
        return _unit_repository(registry, registry.scope_unit)
    org = " ".join(org_reviewers(registry))
    chiefs_to_org = (registry.policy or {}).get("rules", {}).get("chief_records_owned_by_org_department")
    lines = [
        HEADER,
        "# 区委组织部：全部文件（政策、单位、读者、规则和本文件只由区委组织部审核）",
        f"[区委组织部] {org}",
        "*",
        "",
    ]
    for unit in sorted(registry.units, key=lambda u: u["order"]):
        if not unit.get("reviewers"):
            continue  # no reviewer of its own: the org department's approval alone
        lines += [
            f"# {unit['name']}：本单位的干部记录和民主推荐文件，另须本单位审核",
            f"[{unit['name']}] {' '.join(unit['reviewers'])}",
            f"/registry/cadres/{unit['id']}/",
            f"/registry/nominations/*/{unit['id']}.yaml",
        ]
        if chiefs_to_org:
            lines += [
                f"!/{e.path}"
                for e in registry.cadres
                if e.data["employment"]["unit"] == unit["id"] and e.data["reserve"]["level"] == "正职"
            ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


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
    if _unreadable(registry):
        return None  # a record that failed its schema has no level to judge by: its own error says what to fix
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
            "CODEOWNERS 与 units.yaml、audiences.yaml 或正职后备名单不一致",
            "运行 cadres codeowners 重新生成，并与本次修改一起提交",
        )
    return None


def write(registry: Registry) -> bool:
    """Write CODEOWNERS as the registry says it; False when it already was.

    Refused while a record fails its schema: its level is unknown, and writing
    would drop the org department's ownership of a 正职 record.
    """
    broken = _unreadable(registry)
    if broken:
        raise OwnersError(
            f"{broken[0]} 等 {len(broken)} 个干部记录有错误，看不出层级，现在生成会漏掉正职后备的审核人；"
            "请先运行 cadres validate 改正"
        )
    path = Path(registry.root) / FILE
    text = render(registry)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _unreadable(registry: Registry) -> list[str]:
    return [e.path for e in registry.of_kind("cadre", valid_only=False) if not e.valid]
