"""Time `cadres build` for the org department's site, beside a bare `mkdocs build` of the same docs, in one run.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000 10000] [--out benchmarks/out] [--repeat 1]

For each size (the synthetic registries of bench_policy.py): `cadres build
--audience zuzhibu --jobs 1` as the user runs it (a fresh process, the
validation cache warm), its peak memory; then the same audience's docs
folder and config are staged once and `python -m mkdocs build` runs on them
alone. The generator's share is everything but that bare build. Targets
(issue 4): 10,000 records ≤ 60 s, 10k/1k ≤ 11x, generator share ≤ 30%,
peak ≤ 1.5 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import registry_of  # noqa: E402

from generator.analysis.audiences import expand  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402
from generator.site.build import stage  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
AUDIENCE = "zuzhibu"


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak MB so far of any child) of one command in a fresh process."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure(size: int, out: Path, repeat: int) -> dict:
    root = registry_of(size, out)
    env = {**os.environ, "CADRES_CACHE_DIR": str(root / ".cache"), "NO_MKDOCS_2_WARNING": "1"}
    cli = [sys.executable, "-m", "generator", "--root", str(root)]
    subprocess.run([*cli, "validate", "--as-of", AS_OF.isoformat()], env=env, capture_output=True, check=True)
    builds, peaks = [], []
    for _ in range(repeat):
        seconds, peak = timed([*cli, "build", "--as-of", AS_OF.isoformat(), "--audience", AUDIENCE, "--jobs", "1"], env)
        builds.append(seconds)
        peaks.append(peak)
    registry = load_registry(root, cache_dir=root / ".cache")
    audience = next(a for a in expand(registry) if a.id == AUDIENCE)
    work = (out / f"staged-{size}").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    staged = stage(registry, audience, AS_OF, work)
    staged.write_workbook(work / "docs" / staged.workbook)  # the docs as a build's mkdocs copies them, workbook in
    bare = min(
        timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(staged.config)], env)[0] for _ in range(repeat)
    )
    shutil.rmtree(work, ignore_errors=True)
    return {
        "size": size,
        "cadres": len(registry.cadres),
        "pages": staged.pages,
        "build": min(builds),
        "mkdocs": bare,
        "peak": max(peaks),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is reported")
    args = parser.parse_args(argv)
    rows = [measure(size, args.out, args.repeat) for size in args.sizes]
    print(f"cadres build --audience {AUDIENCE}, best of {args.repeat}, {os.cpu_count()} cores")
    heads = ("records", 8), ("pages", 6), ("build s", 8), ("bare mkdocs s", 14), ("generator s", 12), ("share", 6)
    print(" ".join(f"{h:>{w}}" for h, w in (*heads, ("peak MB", 8))))
    for r in rows:
        own = r["build"] - r["mkdocs"]
        print(
            f"{r['cadres']:>8} {r['pages']:>6} {r['build']:>8.1f} {r['mkdocs']:>14.1f} {own:>12.1f} "
            f"{own / r['build']:>6.0%} {r['peak']:>8.0f}"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(
            f"ratio {large['cadres']}/{small['cadres']} records: build {large['build'] / small['build']:.1f}x, "
            f"bare mkdocs {large['mkdocs'] / small['mkdocs']:.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
