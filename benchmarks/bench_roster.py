"""The 名册 pages in the browser, side by side in one run: the org department's site of the demo (210 in the pool)
and of a synthetic registry of 10,000 records, each built with `cadres build --audience zuzhibu`:

    .venv/bin/python benchmarks/bench_roster.py [--sizes 10000] [--out benchmarks/out] [--repeat 5]

Reported: the page weight of roster/unit.html and roster/all.html (bytes and gzip), and in headless Chromium
(Debian's, through Playwright) on roster/all.html: the script's set-up at load, one filter (unit), a filter
with a name, and a sort by age, each the best of N (performance.now() around the synchronous handler, and
to the next paint).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import registry_of  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
AS_OF = "2026-11-25"

TIMED = """async ([selector, value]) => {
  const el = document.querySelector(selector);
  el.value = value;
  const start = performance.now();
  el.dispatchEvent(new Event(el.tagName === 'INPUT' ? 'input' : 'change'));
  const took = performance.now() - start;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [took, performance.now() - start, document.querySelector('.cadres-count').textContent];
}"""


def build(root: Path, out: Path) -> Path:
    env = {**os.environ, "CADRES_CACHE_DIR": str(out / "cache")}
    command = [sys.executable, "-m", "generator", "--root", str(root), "build", "--as-of", AS_OF]
    subprocess.run([*command, "--audience", "zuzhibu", "--output", str(out / "site")], check=True, env=env,
                   capture_output=True)  # fmt: skip
    return out / "site" / "zuzhibu"


def weight(path: Path) -> str:
    raw = path.read_bytes()
    return f"{len(raw) / 1e6:.2f} MB ({len(gzip.compress(raw)) / 1e6:.2f} MB gzip)"


def measure(site: Path, repeat: int, browser) -> dict:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "roster/all.html").as_uri())
    rows = page.evaluate("JSON.parse(document.getElementById('cadres-roster-data').textContent).rows.length")
    unit = page.evaluate("document.querySelector('select[data-filter=unit]').options[1].value")
    best: dict[str, list] = {"filter": [], "paint": [], "name": [], "sort": []}
    for _ in range(repeat):
        took, painted, _ = page.evaluate(TIMED, ["select[data-filter=unit]", unit])
        best["filter"].append(took)
        best["paint"].append(painted)
        page.evaluate(TIMED, ["select[data-filter=unit]", ""])
        took, _, _ = page.evaluate(TIMED, ["form.cadres-filters input", "王"])
        best["name"].append(took)
        page.evaluate(TIMED, ["form.cadres-filters input", ""])
        took, _, _ = page.evaluate(TIMED, ["select[data-order]", "-birth"])
        best["sort"].append(took)
        page.evaluate(TIMED, ["select[data-order]", "strokes"])
    page.reload()
    setup = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    page.close()
    return {"rows": rows, "load": setup, **{k: min(v) for k, v in best.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    roots = [("demo", HERE.parent)] + [(f"{size:,}", registry_of(size, args.out)) for size in args.sizes]
    print(
        "| registry | pool | roster/unit.html | roster/all.html | DOM ready | filter (unit) | to paint | name |", end=""
    )
    print(" sort (age) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, root in roots:
            with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
                site = build(root, Path(tmp))
                m = measure(site, args.repeat, browser)
                print(
                    f"| {name} | {m['rows']:,} | {weight(site / 'roster/unit.html')} "
                    f"| {weight(site / 'roster/all.html')}"
                    f" | {m['load']:.0f} ms | {m['filter']:.1f} ms | {m['paint']:.1f} ms | {m['name']:.1f} ms"
                    f" | {m['sort']:.1f} ms |",
                    flush=True,
                )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
