"""Time the 名册 workbook export for the org department on 1,000 and 10,000 records, side by side in one run.

    .venv/bin/python benchmarks/bench_excel.py [--sizes 1000 10000] [--repeat 3]

In one process after one load (the synthetic registries of bench_policy.py),
best of N: `excel.roster_workbook` for zuzhibu (a sheet per level and per
unit, the statistics sheet); and `cadres export xlsx` as a fresh process.
Target (issue 7): 10,000 records ≤ 15 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import registry_of  # noqa: E402
from generator.audiences import expand  # noqa: E402
from generator.excel import roster_workbook  # noqa: E402
from generator.registry import load_registry  # noqa: E402

AS_OF = dt.date(2026, 11, 25)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            root = registry_of(size, args.out)
            registry = load_registry(root, cache_dir=root / ".cache")
            audience = next(a for a in expand(registry) if a.id == "zuzhibu")
            target = Path(work) / f"{size}.xlsx"
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                counts = roster_workbook(registry, audience, AS_OF, target)
                times.append(time.perf_counter() - start)
            env = {**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")}
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "export", "xlsx", "--as-of",
                            AS_OF.isoformat(), "--output", str(target)], env=env, check=True, capture_output=True)
            cli = time.perf_counter() - start
            rows.append((len(registry.cadres), sum(v for k, v in counts.items() if k.endswith("后备")), len(counts) + 1,
                         min(times), cli, target.stat().st_size))
    print(f"cadres export xlsx (zuzhibu), best of {args.repeat}, {os.cpu_count()} cores")
    print(f"{'records':>8} {'rows':>6} {'sheets':>7} {'export s':>9} {'cadres export s':>16} {'bytes':>10}")
    for r in rows:
        print(f"{r[0]:>8} {r[1]:>6} {r[2]:>7} {r[3]:>9.2f} {r[4]:>16.2f} {r[5]:>10}")
    if len(rows) > 1:
        print(f"ratio {rows[-1][0]}/{rows[0][0]} records: export {rows[-1][3] / rows[0][3]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
