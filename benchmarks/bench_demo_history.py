"""The demo's change log (benchmarks/demo_history.py), side by side in one run, on the shipped demo and on
synthetic registries of 1,000 and 10,000 records:

    .venv/bin/python benchmarks/bench_demo_history.py [--sizes 1000 10000] [--out benchmarks/out] [--repeat 3]

Timed for each: planning the merge requests, making the repository cold (plan, `git fast-import`, checkout),
finding it again unchanged (the content hash), and reading its history (cold cache, every version loaded).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import demo_history as demo  # noqa: E402
from bench_policy import registry_of  # noqa: E402

from generator.git.history import read_history  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def measure(root: Path, repeat: int) -> dict:
    registry = load_registry(root)
    plan_s = min(timed(lambda: demo.plan(registry))[0] for _ in range(repeat))
    requests = len(demo.plan(registry))
    colds, warms, reads, changes, commits = [], [], [], 0, 0
    for _ in range(repeat):
        cache = Path(tempfile.mkdtemp(prefix="demo-bench-"))
        cold, repo = timed(lambda cache=cache: demo.history_repo(registry, cache))
        warm, _ = timed(lambda cache=cache: demo.history_repo(registry, cache))
        read, history = timed(lambda repo=repo: read_history(repo, registry.schemas))
        colds.append(cold)
        warms.append(warm)
        reads.append(read)
        changes = len(history.changes)
        commits = int(subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True,
                                     text=True, check=True).stdout)  # fmt: skip
        shutil.rmtree(cache)
    records = len(registry.cadres)
    return {
        "records": records,
        "requests": requests,
        "commits": commits,
        "changes": changes,
        "plan": plan_s,
        "cold": min(colds),
        "warm": min(warms),
        "read": min(reads),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    roots = [("demo", HERE.parent)] + [(str(size), registry_of(size, args.out)) for size in args.sizes]
    print("| registry | records | merge requests | commits | changes | plan | make (cold) | reuse | read history |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, root in roots:
        m = measure(root, args.repeat)
        print(
            f"| {name} | {m['records']:,} | {m['requests']:,} | {m['commits']:,} | {m['changes']:,} | "
            f"{m['plan']:.2f} s | {m['cold']:.2f} s | {m['warm']:.3f} s | {m['read']:.2f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
