"""What reading git history adds to `cadres build`, on a registry with 5 commits per record, side by side in one run.

    .venv/bin/python benchmarks/bench_history.py [--sizes 1000 10000] [--out benchmarks/out]

For each size: the synthetic registry (bench_policy.py) is committed, then
changed four times, each change a merge request merged as GitLab merges it
(a branch commit touching every record, merged with --no-ff, the MR
reference and an Approved-by trailer): 5 commits per record, packed as a
clone is. Timed: reading the history alone (one `git log` pass, one `git
cat-file --batch`, every version loaded), and `cadres build --audience
zuzhibu` in that repository, with the history cache cold and then warm,
beside the same build of a copy without .git (no history). Target (issue 5):
≤ 20 s added at 10,000 records.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import registry_of  # noqa: E402

from generator.git.history import read_history  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402

AS_OF = "2026-11-25"
ROUNDS = 4


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def repository(size: int, out: Path) -> Path:
    """The registry of this size with 1 + ROUNDS commits per record, made once and reused."""
    root = out / f"history-{size}"
    stamp = root / ".made"
    if stamp.exists():
        shutil.rmtree(root / "site_templates", ignore_errors=True)  # an old copy: the program brings its own
        return root
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(registry_of(size, out), root, ignore=shutil.ignore_patterns(".cache", "site", ".made-*"))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "组织部干部科")
    git(root, "config", "user.email", "gbk@example.intranet")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "名册初始导入")
    files = sorted((root / "registry" / "cadres").rglob("*.yaml"))
    for n in range(1, ROUNDS + 1):
        git(root, "checkout", "-q", "-b", f"round-{n}")
        note = f"（{2026 + n}年更新）"
        for path in files:  # one field changes in every record: its 专长 text
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^(expertise: .*)$", rf"\1{note}", text, count=1, flags=re.M), encoding="utf-8")
        git(root, "commit", "-q", "-am", f"第{n}次调整")
        git(root, "checkout", "-q", "main")
        git(
            root,
            "merge",
            "-q",
            "--no-ff",
            f"round-{n}",
            "-m",
            f"Merge branch 'round-{n}' into 'main'\n\n第{n}次调整\n\nSee merge request zuzhibu/cadres!{n}\n\n"
            f"Approved-by: 王审核 <wang@example.intranet>\n",
        )
    git(root, "gc", "-q")  # packed, as a clone is
    stamp.touch()
    return root


def build_time(root: Path) -> float:
    env = {**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")}
    command = [
        sys.executable,
        "-m",
        "generator",
        "--root",
        str(root),
        "build",
        "--as-of",
        AS_OF,
        "--audience",
        "zuzhibu",
        "--jobs",
        "1",
    ]
    subprocess.run([*command[:5], "validate", "--as-of", AS_OF], env=env, capture_output=True)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return time.perf_counter() - start


def measure(size: int, out: Path) -> dict:
    root = repository(size, out)
    schemas = load_registry(root).schemas
    start = time.perf_counter()
    history = read_history(root, schemas)
    reading = time.perf_counter() - start
    bare = out / f"history-{size}-nogit"
    shutil.rmtree(bare, ignore_errors=True)
    shutil.copytree(root, bare, ignore=shutil.ignore_patterns(".git", "site", ".cache"))
    (root / ".cache" / "history.marshal").unlink(missing_ok=True)
    cold, warm, without = build_time(root), build_time(root), build_time(bare)
    shutil.rmtree(bare, ignore_errors=True)
    return {
        "size": size,
        "records": len(list((root / "registry/cadres").rglob("*.yaml"))),
        "changes": len(history.changes),
        "read": reading,
        "cold": cold,
        "warm": warm,
        "without": without,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    rows = [measure(size, args.out) for size in args.sizes]
    print(f"history: {1 + ROUNDS} commits per record, {os.cpu_count()} cores")
    print(
        f"{'records':>8} {'changes':>8} {'read s':>7} {'build cold s':>13} {'build warm s':>13} {'no git s':>9} "
        f"{'added cold s':>13} {'added warm s':>13}"
    )
    for r in rows:
        print(
            f"{r['records']:>8} {r['changes']:>8} {r['read']:>7.1f} {r['cold']:>13.1f} {r['warm']:>13.1f} "
            f"{r['without']:>9.1f} {r['cold'] - r['without']:>13.1f} {r['warm'] - r['without']:>13.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
