"""Time `cadres validate` on synthetic registries of 1,000 and 10,000 records, side by side in one run.

    .venv/bin/python benchmarks/bench_validate.py [--sizes 1000 10000] [--out benchmarks/out] [--repeat 2]

For each size: the parse floor (a bare `yaml.load(..., Loader=yaml.CSafeLoader)`
of every file of the registry, nothing else), cold (no cache), unchanged
(everything cached), one file changed, all three as a unit's clerk or a merge
request's pipeline runs them (no key), then unchanged again with the org
department's key (every sealed 身份证号 and phone opened for R12 and X17), and
the peak memory of the largest process. Each command runs in a fresh process
(`python -m generator validate`, as the user runs it; the floor likewise), the
measurements of one repeat one after the other, best of N; cold and unchanged
are also said as multiples of the floor measured in the same run, and the CPU
seconds of floor, cold and unchanged are given too (on a busy machine the two
workers of a cold run lose more to other jobs than the floor's one process). The registry
of a size is made once under --out and reused (same seed and size, same files);
the changed file is put back after each repeat. Targets (issue 2): 10,000
records cold <= 10 s, unchanged <= 1 s, peak memory <= 1 GB; (issue 25) cold
<= 2x the parse floor, unchanged <= 0.25x.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth_registry  # noqa: E402
from bench_policy import registry_of  # noqa: E402

AS_OF = "2026-11-25"

# the floor: every file of the registry read and parsed by libyaml into Python values, and nothing else
FLOOR = textwrap.dedent(
    """
    import os, sys, yaml
    for folder, dirs, names in os.walk(os.path.join(sys.argv[1], "registry")):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".yaml"):
                with open(os.path.join(folder, name), "rb") as fh:
                    yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    """
)


def cpu() -> float:
    """CPU seconds (user and system) of every finished child process so far, their workers included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor(root: Path) -> float:
    """Seconds for a fresh process to parse every file of the registry with libyaml (yaml.load, CSafeLoader)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(root)], check=True)
    return time.perf_counter() - start


def run(root: Path, cache: Path, key: bool = False) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) for one `validate` run in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADRES_AGE_")}
    env["CADRES_CACHE_DIR"] = str(cache)
    if key:
        env["CADRES_AGE_IDENTITY_FILE"] = str(synth_registry.DEMO_KEY)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate", "--as-of", AS_OF],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"validate failed on {root}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def measure(size: int, out: Path, repeat: int) -> dict:
    root = registry_of(size, out)
    cadres = sum(1 for _ in (root / "registry" / "cadres").rglob("*.yaml"))
    files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
    cache = root / ".cache"
    one = min((root / "registry" / "cadres").rglob("*.yaml"))
    original = one.read_bytes()
    floors, cold, unchanged, changed, keyed, peaks = [], [], [], [], [], []
    cpus: dict[str, list[float]] = {"floor": [], "cold": [], "unchanged": []}  # on a busy machine, the work itself
    for _ in range(repeat):
        start = cpu()
        floors.append(floor(root))
        cpus["floor"].append(cpu() - start)
        shutil.rmtree(cache, ignore_errors=True)
        start = cpu()
        seconds, peak = run(root, cache)
        cpus["cold"].append(cpu() - start)
        cold.append(seconds)
        peaks.append(peak)
        start = cpu()
        seconds, peak = run(root, cache)
        cpus["unchanged"].append(cpu() - start)
        unchanged.append(seconds)
        peaks.append(peak)
        one.write_bytes(original + b"# touched\n")
        try:
            seconds, peak = run(root, cache)
            changed.append(seconds)
            peaks.append(peak)
            seconds, peak = run(root, cache, key=True)
            keyed.append(seconds)
            peaks.append(peak)
        finally:
            one.write_bytes(original)  # the registry is reused: as it was made
    return {
        "size": size,
        "cadres": cadres,
        "files": files,
        "floor": min(floors),
        "cold": min(cold),
        "unchanged": min(unchanged),
        "changed": min(changed),
        "keyed": min(keyed),
        "peak": max(peaks),
        "cpu": {name: min(values) for name, values in cpus.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is reported")
    args = parser.parse_args(argv)
    rows = [measure(size, args.out, args.repeat) for size in args.sizes]
    print(f"cadres validate, best of {args.repeat}, {os.cpu_count()} cores")
    heads = (
        ("records", 8),
        ("files", 6),
        ("floor s", 8),
        ("cold s", 7),
        ("unchanged s", 12),
        ("1 changed s", 12),
        ("cold/unch.", 10),
        ("with key s", 11),
        ("cold/floor", 11),
        ("unch./floor", 12),
    )
    print(" ".join(f"{h:>{w}}" for h, w in (*heads, ("peak MB", 8))))
    for r in rows:
        print(
            f"{r['cadres']:>8} {r['files']:>6} {r['floor']:>8.2f} {r['cold']:>7.2f} {r['unchanged']:>12.2f} "
            f"{r['changed']:>12.2f} {r['cold'] / r['unchanged']:>10.1f} {r['keyed']:>11.2f} "
            f"{r['cold'] / r['floor']:>10.2f}x {r['unchanged'] / r['floor']:>11.2f}x {r['peak']:>8.0f}"
        )
    for r in rows:
        used = r["cpu"]
        print(
            f"CPU s (the process and its workers, user+system), best of {args.repeat}, {r['cadres']} records: "
            f"floor {used['floor']:.2f}, cold {used['cold']:.2f}, unchanged {used['unchanged']:.2f} "
            f"({used['unchanged'] / used['floor']:.2f}x the floor's)"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(
            f"ratio {large['cadres']}/{small['cadres']} records: cold {large['cold'] / small['cold']:.1f}x, "
            f"unchanged {large['unchanged'] / small['unchanged']:.1f}x; "
            f"opening the numbers costs {large['keyed'] / large['unchanged']:.1f}x an unchanged run"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
