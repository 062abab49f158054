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
CANDIDATES = ("推荐", "考察")  # nominated, not yet decided by the 区委常委会
ADMITTED = ("在库", "已使用", "调整出库")  # passed the 区委常委会 decision
STATUSES = (TRACKED, *CANDIDATES, *ADMITTED)  # in the order of the procedure


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
