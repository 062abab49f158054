"""The registry's words, one home: read from the schemas, which already say them.

Levels and tracks are the `allowed` lists of schemas/inspection.yaml (the org
department's records of candidates), in the order written there; the sensitive
fields are the cadre schema's top-level fields whose `meta` says `sensitive:
true`. The statuses are not written in any file: the acts make them
(registry/acts.py), and they are named here once, in the order of the procedure.
"""

from __future__ import annotations

from dataclasses import dataclass

TRACKED = "关注"  # 优秀干部苗子, followed by the org department before any nomination
NOMINEE, INSPECTED = "推荐", "考察"  # nominated; inspected: not yet decided by the 区委常委会
IN_POOL, USED, LEFT = "在库", "已使用", "调整出库"  # admitted by the 区委常委会; promoted; out at a review
CANDIDATES = (NOMINEE, INSPECTED)
ADMITTED = (IN_POOL, USED, LEFT)
STATUSES = (TRACKED, *CANDIDATES, *ADMITTED)  # in the order of the procedure
STATUS_TEXT = {  # what each status means, as the sites' 使用说明 says it
    TRACKED: "跟踪了解：组织部跟踪了解、尚未推荐的招考录用人员、“柔性”交流人员、挂职干部和优秀干部苗子"
    "（只在组织部的站点显示）",
    NOMINEE: "已经单位民主推荐（或公开选拔等方式产生），尚待组织考察",
    INSPECTED: "区委组织部已考察，待区委常委会研究确定",
    IN_POOL: "区委常委会研究确定，列入后备干部名册（名册只列在库人员）",
    USED: "已提拔任用，出库",
    LEFT: "两年一次调整中不再列入，或调离本区等，出库",
}

# the words the program gives a meaning to, as the schemas and code tables write them: read() refuses schemas
# that name the levels otherwise
CHIEF, DEPUTY = "正职", "副职"  # the two levels of the pool (schemas/inspection.yaml `level`)
LEVELS = (CHIEF, DEPUTY)
MALE, FEMALE = "男", "女"  # schemas/codes/sex.yaml
TOWNSHIP = "乡镇街道"  # the unit kind the grassroots figures count (units.yaml `kind`)
CPC_MEMBER = "中共党员"  # schemas/codes/political_status.yaml


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[str, ...]  # 正职, 副职
    statuses: tuple[str, ...]  # 关注 … 调整出库, in procedure order
    tracks: tuple[str, ...]  # 近期备用, 中期强化, 远期储备
    sensitive: frozenset[str]  # 身份证号, phone: shown only to audiences marked sensitive


def read(cadre_rules: dict, inspection_rules: dict) -> Vocabulary:
    """The vocabulary of the schemas: levels and tracks from the org department's inspection records
    (schemas/inspection.yaml), the sensitive fields from the cadre schema; the statuses are what the acts
    make (acts.derive), in the order of the procedure."""
    proposal = inspection_rules["candidates"]["schema"]["schema"]
    if tuple(proposal["level"]["allowed"]) != LEVELS:
        raise ValueError(f"schemas/inspection.yaml 的后备层级应是 {'、'.join(LEVELS)}：程序按这两个层级计数和核对")
    return Vocabulary(
        levels=tuple(proposal["level"]["allowed"]),
        statuses=STATUSES,
        tracks=tuple(proposal["track"]["allowed"]),
        sensitive=frozenset(name for name, rules in cadre_rules.items() if rules.get("meta", {}).get("sensitive")),
    )


def _labels(label: str, **fields: object) -> dict:
    """A label-only schema node (the derived values are never validated as a person's own: acts.py makes them)."""
    node: dict = {"meta": {"label": label}}
    if fields:
        node["schema"] = {k: v if isinstance(v, dict) else {"meta": {"label": v}} for k, v in fields.items()}
    return node


# what the change log and `cadres diff` call a person's values that the acts derive (acts.DERIVED)
DERIVED_LABELS: dict = {
    "reserve": _labels(
        "后备情况",
        level="后备层级",
        track="培养类别",
        direction="培养方向",
        source="产生方式",
        nomination="推荐文件",
        status="状态",
        decision=_labels("确定依据", body="决定机关", date="决定日期", ref="文号"),
        entered="入库时间",
        reviewed="最近调整时间",
        exit=_labels("出库情况", date="出库时间", reason="出库原因"),
    ),
    "evaluations": {"meta": {"label": "民主测评（评议）"}},
    "inspection": _labels("考察情况", date="考察时间", by="考察组", summary="考察材料摘要"),
    "development_plan": _labels("培养方案"),
    "selection": _labels("竞争性选拔", kind="选拔方式", date="选拔时间", result="选拔结果"),
    "tracking": _labels("跟踪了解", category="跟踪类别", log="跟踪了解记录"),
    "exceptions": {"meta": {"label": "例外批准"}},
}
