"""The adjustment round's plan (cadres round plan) beside what it is built from, side by side in one run.

    .venv/bin/python benchmarks/bench_round.py [--sizes 1000 10000] [--out benchmarks/out] [--repeat 3]

For each size the synthetic registry is loaded once, then timed in the same process, best of N: the
statistics over the pool (`cadres stats`), the rules R01–R11 (what validation adds), and the plan, which
judges every person of the pool by its reasons and counts the statistics twice (before and after). The
ratio plan/stats says what the round costs on top of the statistics a build already computes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import AS_OF, best, registry_of, sized_parser  # noqa: E402

from generator.analysis.adjustment import plan  # noqa: E402
from generator.analysis.stats import statistics  # noqa: E402
from generator.registry.engine import run_checks  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402
from generator.registry.rules import RULES  # noqa: E402


def main(argv=None) -> int:
    args = sized_parser(__doc__, [1000, 10000], 3).parse_args(argv)
    os.environ.pop("CADRES_AGE_IDENTITY_FILE", None)  # the plan reads no personal number
    print(f"cadres round plan, best of {args.repeat}, in process")
    print(" records   pool  stats s  rules s   plan s  plan/stats  out   in")
    for size in args.sizes:
        registry = load_registry(registry_of(size, args.out))
        records = len(registry.cadres)
        stats_s, stats = best(args.repeat, lambda: statistics(registry, AS_OF))  # noqa: B023
        rules_s, _ = best(args.repeat, lambda: run_checks(registry, AS_OF, RULES))  # noqa: B023
        plan_s, made = best(args.repeat, lambda: plan(registry, AS_OF))  # noqa: B023
        print(
            f"{records:8d} {stats['pool']['count']:6d} {stats_s:8.2f} {rules_s:8.2f} {plan_s:8.2f}"
            f" {plan_s / stats_s:10.1f}x {made['pool']['out']:4d} {made['pool']['in']:4d}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
