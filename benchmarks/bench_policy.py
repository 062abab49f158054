"""What the policy rules (R01–R11) and the statistics (T01–T16) add to validation, side by side in one run.

    .venv/bin/python benchmarks/bench_policy.py [--sizes 1000 10000] [--out benchmarks/out] [--repeat 3]

For each size the registry is loaded once (as `cadres validate` loads it),
then timed in the same process, best of N: the integrity checks alone
(X.., R12), the same with the rules R01–R11 and exceptions, the statistics
over the pool, and a two-date comparison (`--since`). "Added" is rules plus
statistics: what this stage costs on top of validation. Target (issue 3):
at most 2 s at 10,000 records. Also timed: `cadres stats` as the user runs
it, in a fresh process with a warm cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synth_registry  # noqa: E402

from generator.analysis.stats import compare, statistics  # noqa: E402
from generator.registry.checks import CHECKS  # noqa: E402
from generator.registry.engine import run_checks  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402
from generator.registry.rules import RULES  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
BEFORE = dt.date(2025, 8, 31)


def sized_parser(
    doc: str | None, sizes: list[int], repeat: int, repeat_help: str | None = None
) -> argparse.ArgumentParser:
    """The options every registry benchmark takes: the sizes, where the registries go, runs per measurement."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=repeat, help=repeat_help)
    return parser


def registry_of(size: int, out: Path) -> Path:
    """The synthetic registry of this size, written once and reused (same seed and size, same files)."""
    root = out / f"registry-{size}"
    stamp = root / f".made-{synth_registry.pool_for(size)}"
    if not stamp.exists():
        synth_registry.write_registry(root, pool=synth_registry.pool_for(size))
        stamp.touch()
    for folder in ("schemas", "site_templates"):  # a registry of its own: the program brings these (core/defaults)
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "mkdocs.yml").unlink(missing_ok=True)
    return root


def best(repeat: int, func) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(size: int, out: Path, repeat: int) -> dict:
    root = registry_of(size, out)
    cache = root / ".cache"
    registry = load_registry(root, cache_dir=cache)
    checks, found = best(repeat, lambda: run_checks(registry, AS_OF, CHECKS))
    with_rules, found_all = best(repeat, lambda: run_checks(registry, AS_OF, CHECKS + RULES))
    stats, result = best(repeat, lambda: statistics(registry, AS_OF))
    since, _ = best(repeat, lambda: compare(registry, BEFORE, AS_OF))
    errors = [f for f in found_all if f.severity == "错误"]
    if errors:
        raise SystemExit(f"the synthetic registry of {size} has errors, e.g. {errors[0].format()}")
    env = {**os.environ, "CADRES_CACHE_DIR": str(cache)}
    command = [
        sys.executable,
        "-m",
        "generator",
        "--root",
        str(root),
        "stats",
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
    ]
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm the cache
    fresh, _ = best(repeat, lambda: subprocess.run(command, env=env, capture_output=True, check=True))
    return {
        "size": size,
        "cadres": len(registry.cadres),
        "pool": result["pool"]["count"],
        "checks": checks,
        "rules": with_rules - checks,
        "stats": stats,
        "since": since,
        "added": with_rules - checks + stats,
        "cli": fresh,
        "rule_findings": len(found_all) - len(found),
    }


def main(argv=None) -> int:
    args = sized_parser(__doc__, [1000, 10000], 3, "runs per measurement; the best is reported").parse_args(argv)
    rows = [measure(size, args.out, args.repeat) for size in args.sizes]
    print(f"rules and statistics, best of {args.repeat}, {os.cpu_count()} cores, as of {AS_OF}")
    print(
        f"{'records':>8} {'pool':>6} {'X+R12 s':>8} {'+R01–R11 s':>11} {'stats s':>8} {'added s':>8} "
        f"{'--since s':>10} {'cadres stats s':>15}"
    )
    for r in rows:
        print(
            f"{r['cadres']:>8} {r['pool']:>6} {r['checks']:>8.3f} {r['rules']:>11.3f} {r['stats']:>8.3f} "
            f"{r['added']:>8.3f} {r['since']:>10.3f} {r['cli']:>15.2f}"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(
            f"ratio {large['cadres']}/{small['cadres']} records: rules {large['rules'] / small['rules']:.1f}x, "
            f"stats {large['stats'] / small['stats']:.1f}x, added {large['added'] / small['added']:.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
