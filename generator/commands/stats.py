"""`cadres stats`: the pool's figures on a date, or how it moved since an earlier one.

Nothing is counted from files the figures rest on that are missing or broken (policy, units), nor from a policy
whose figures contradict each other (X31, said as validate says it); a record with errors is left out of the
count, and the exit status says so.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis.stats import Comparison, Statistics, compare, statistics
from generator.core.errors import UsageError
from generator.registry.checks import x31_policy_coherent
from generator.registry.engine import Context
from generator.registry.files import load_registry


@dataclass
class Counted:
    figures: Statistics | Comparison
    since: _dt.date | None  # a comparison since this date, or None: the figures on one date
    left_out: list[str] = field(default_factory=list)  # the records with errors, not counted

    @property
    def status(self) -> int:
        """1 when a record was left out, else 0."""
        return 1 if self.left_out else 0


def run(root: Path, *, as_of: _dt.date, since: _dt.date | None, cache_dir: Path | None) -> Counted:
    """The statistics on `as_of`, or their comparison with `since`'s; UsageError when they cannot be counted."""
    registry = load_registry(root, cache_dir=cache_dir)
    broken = [
        e.path
        for e in registry.of_kind("policy", valid_only=False) + registry.of_kind("unit", valid_only=False)
        if not e.valid
    ]
    if broken or registry.policy is None or not registry.units:
        raise UsageError(
            f"{'、'.join(broken) or 'registry/policy.yaml 或 registry/units.yaml'} 缺失或有错误，无法统计；"
            "请先运行 cadres validate 查看并改正"
        )
    policy = registry.of_kind("policy")[0]
    incoherent = [f.format() for f in x31_policy_coherent(policy, Context(registry, as_of, numbers=False))]
    if incoherent:  # figures the statistics cannot count with: said as validate says them
        raise UsageError("\n".join(incoherent) + "\n以上问题改正后才能统计")
    if since is not None and since >= as_of:
        raise UsageError(f"--since {since} 应早于统计日期 {as_of}")
    figures = statistics(registry, as_of) if since is None else compare(registry, since, as_of)
    left_out = [e.path for e in registry.of_kind("cadre", valid_only=False) if not e.valid]
    return Counted(figures, since, left_out)
