"""The registry's words, one home: read from the cadre schema, which already says them.

Levels, statuses and tracks are the `allowed` lists of schemas/cadre.yaml, in
the order written there (the statuses in the order of the procedure); the
sensitive fields are the top-level fields whose `meta` says `sensitive: true`.
The statuses that carry a meaning of their own are named here once; a test
checks that each is among the schema's.
"""

from __future__ import annotations

from dataclasses import dataclass

TRACKED = "关注"  # 优秀干部苗子, followed by the org department before any nomination
CANDIDATES = ("推荐", "考察")  # nominated, not yet decided by the 区委常委会
ADMITTED = ("在库", "已使用", "调整出库")  # passed the 区委常委会 decision


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[str, ...]  # 正职, 副职
    statuses: tuple[str, ...]  # 关注 … 调整出库, in procedure order
    tracks: tuple[str, ...]  # 近期备用, 中期强化, 远期储备
    sensitive: frozenset[str]  # 身份证号, phone: shown only to audiences marked sensitive


def read(cadre_rules: dict) -> Vocabulary:
    """The vocabulary of a cadre schema (schemas/cadre.yaml's `schema` mapping)."""
    reserve = cadre_rules["reserve"]["schema"]
    return Vocabulary(
        levels=tuple(reserve["level"]["allowed"]),
        statuses=tuple(reserve["status"]["allowed"]),
        tracks=tuple(reserve["track"]["allowed"]),
        sensitive=frozenset(name for name, rules in cadre_rules.items() if rules.get("meta", {}).get("sensitive")),
    )
