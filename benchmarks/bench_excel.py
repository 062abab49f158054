"""Time the 名册 workbook export for the org department on 1,000 and 10,000 records, side by side in one run.

    .venv/bin/python benchmarks/bench_excel.py [--sizes 1000 10000] [--repeat 3]

In one process after one load (the synthetic registries of bench_policy.py),
best of N: `excel.roster_workbook` for zuzhibu (a sheet per level and per
unit, the statistics sheet); and `cadres export xlsx` as a fresh process.
Then `cadres import xlsx` of a filled template with 1,000 new people (a
copy of the 1,000-record registry: every row read, checked, written and the
written files validated), and 1,000 records exported as .lrmx forms and
imported back, renamed, as 1,000 new people of one unit. Targets (issue 7): export of 10,000 records ≤ 15 s,
import of 1,000 rows ≤ 10 s. Last, an import's read (dry run) of templates of about 1,000, 2,000 and 4,900 new
people, side by side: linear, 5,000 rows within 6x of 1,000 (issue 23).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_policy import registry_of, sized_parser  # noqa: E402

from generator.analysis.audiences import expand  # noqa: E402
from generator.interchange.excel import roster_workbook  # noqa: E402
from generator.registry.files import load_registry  # noqa: E402

AS_OF = dt.date(2026, 11, 25)


def main(argv=None) -> int:
    args = sized_parser(__doc__, [1000, 10000], 3).parse_args(argv)
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
                counts = roster_workbook(registry, audience, AS_OF, target, "内部资料 注意保密")
                times.append(time.perf_counter() - start)
            env = {**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")}
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "--root",
                    str(root),
                    "export",
                    "xlsx",
                    "--as-of",
                    AS_OF.isoformat(),
                    "--output",
                    str(target),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            cli = time.perf_counter() - start
            rows.append(
                (
                    len(registry.cadres),
                    sum(v for k, v in counts.items() if k.endswith("后备")),
                    len(counts) + 1,
                    min(times),
                    cli,
                    target.stat().st_size,
                )
            )
        imported = import_rows(args.out, Path(work), 1000)
        scaling = read_scaling(args.out, Path(work))
        rosters = roster_scaling(args.out, Path(work))
    print(f"cadres export xlsx (zuzhibu), best of {args.repeat}, {os.cpu_count()} cores")
    print(f"{'records':>8} {'rows':>6} {'sheets':>7} {'export s':>9} {'cadres export s':>16} {'bytes':>10}")
    for r in rows:
        print(f"{r[0]:>8} {r[1]:>6} {r[2]:>7} {r[3]:>9.2f} {r[4]:>16.2f} {r[5]:>10}")
    if len(rows) > 1:
        print(f"ratio {rows[-1][0]}/{rows[0][0]} records: export {rows[-1][3] / rows[0][3]:.1f}x")
    print(f"cadres import xlsx: {imported[0]} new rows in {imported[1]:.2f} s (read, check, write, validate)")
    print(
        "import dry run (read and new ids, in process): "
        + "; ".join(f"{n} rows {t:.2f} s ({t / n * 1000:.2f} ms a row)" for n, t in scaling)
        + f"; {scaling[-1][0]}/{scaling[0][0]} rows: {scaling[-1][1] / scaling[0][1]:.1f}x"
    )
    print(
        "import roster reading (two-row header, read, matched, new ids): "
        + "; ".join(f"{n} rows {t:.2f} s ({t / n * 1000:.2f} ms a row)" for n, t in rosters)
        + f"; {rosters[-1][0]}/{rosters[0][0]} rows: {rosters[-1][1] / rosters[0][1]:.1f}x"
    )
    forms = lrmx_round(args.out, Path(work), 1000)
    print(
        f"lrmx: {forms[0]} forms exported in {forms[1]:.2f} s (in process); cadres import lrmx of them as new "
        f"people in {forms[2]:.2f} s (read, say the changes, seal, write, validate)"
    )
    return 0


def lrmx_round(out: Path, work: Path, count: int) -> tuple[int, float, float]:
    """Export `count` records as .lrmx forms, then import them all, renamed, as new people of one unit."""
    import re

    from generator.core.numbers import id_check_char
    from generator.interchange import lrmx
    from generator.registry import sealed

    os.environ.setdefault("CADRES_AGE_IDENTITY_FILE", str(HERE / "demo-age-key.txt"))
    root = work / "lrmx"
    shutil.copytree(registry_of(1000, out), root, ignore=shutil.ignore_patterns(".cache", "site"))
    registry = load_registry(root)
    people = [sealed.opened(e.data) for e in registry.cadres][:count]
    count = len(people)  # the "1,000" registry holds 994 records
    forms = work / "forms"
    forms.mkdir()
    start = time.perf_counter()
    for n, data in enumerate(people):
        (forms / f"{n:04d}.lrmx").write_bytes(lrmx.export(data, AS_OF))
    exported = time.perf_counter() - start
    for n, path in enumerate(sorted(forms.iterdir())):  # new people: another name and 身份证号
        first17 = f"3401041990{n % 12 + 1:02d}1{n:04d}"[:17]
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<XingMing>[^<]*</XingMing>", f"<XingMing>新{n:04d}</XingMing>", text)
        number = first17 + id_check_char(first17)
        text = re.sub(r"<ShenFenZheng>[^<]*</ShenFenZheng>", f"<ShenFenZheng>{number}</ShenFenZheng>", text)
        path.write_text(text, encoding="utf-8")
    unit = registry.units[0]["id"]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "import", "lrmx", "--unit", unit]
        + [str(path) for path in sorted(forms.iterdir())],
        capture_output=True,
        text=True,
        env={**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")},
    )
    imported = time.perf_counter() - start
    if f"已写入 {count} 个记录文件" not in result.stdout:
        said = [ln for ln in result.stdout.splitlines() if ln.startswith(("将", "已写入", "有 "))]
        raise SystemExit(f"the lrmx import did not write every form: {said}\n{result.stderr[-2000:]}")
    return count, exported, imported


def filled_template(registry, unit: str, path: Path, count: int) -> None:
    """The unit's import template with `count` new people (the first row's values, a name of their own)."""
    import openpyxl

    from generator.interchange.excel import template_workbook

    template_workbook(registry, unit, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["干部信息"]
    model = [c.value for c in ws[2]]
    for n in range(count):
        row = list(model)
        row[0], row[1] = None, f"王{'一二三四五六七八九十'[n % 10]}{'甲乙丙丁戊己庚辛壬癸'[n // 10 % 10]}{n // 100}"
        ws.append(row)
    wb.save(path)


def read_scaling(out: Path, work: Path, counts: tuple[int, ...] = (1000, 2000, 4900)) -> list[tuple[int, float]]:
    """What an import's dry run costs per row as the file grows: the template read and every new person given
    an id, in process (issue 23: 1.8, 2.5, then 4.0 ms a row when each new id re-read every id)."""

    from generator.interchange import importing

    registry = load_registry(registry_of(1000, out))
    unit = registry.units[0]["id"]
    times = []
    for count in counts:
        path = work / f"template-{count}.xlsx"
        filled_template(registry, unit, path, count)
        start = time.perf_counter()
        reading = importing.read(registry, "xlsx", [path], unit)
        times.append((len(reading.records), time.perf_counter() - start))
    return times


def clerks_roster(path: Path, count: int) -> None:
    """A 名册 of `count` new people as a clerk makes one: a merged title, a two-row header (全日制教育 /
    在职教育 over 学历学位 and 毕业院校系及专业), dates as text, a 合计 line under the table."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["科级后备干部名册"])
    ws.merge_cells("A1:J1")
    ws.append(
        ["序号", "姓名", "性别", "出生年月", "政治面貌", "入党时间", "全日制教育", None, "现任职务", "参加工作时间"]
    )
    ws.append([None, None, None, None, None, None, "学历学位", "毕业院校系及专业"])
    ws.merge_cells("G2:H2")
    for n in range(count):
        digits = ("一二三四五六七八九十", "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉")
        name = "王" + "".join(d[n // 10**i % 10] for i, d in enumerate(digits))
        name += "戌亥"[n // 1000 % 2] * (1 + n // 2000)  # a name of its own for each of up to 9,999
        year = 1975 + n % 20
        ws.append(
            [
                n + 1,
                name,
                "男",
                f"{year}.{1 + n % 12:02d}",
                "中共党员",
                f"{year + 22}.06",
                "大学本科\n学士",
                "安徽大学 经济学",
                "科员",
                f"{year + 22}.07",
            ]
        )
    ws.append(["合计", f"{count}人"])
    wb.save(path)


def roster_scaling(out: Path, work: Path, counts: tuple[int, ...] = (1000, 2000, 4900)) -> list[tuple[int, float]]:
    """What `import roster`'s reading costs per row as the roster grows (the header found, every row read,
    matched and given an id), in process."""
    from generator.interchange import importing

    registry = load_registry(registry_of(1000, out))
    unit = registry.units[0]["id"]
    times = []
    for count in counts:
        path = work / f"roster-{count}.xlsx"
        clerks_roster(path, count)
        start = time.perf_counter()
        reading = importing.read(registry, "roster", [path], unit)
        times.append((len(reading.records), time.perf_counter() - start))
        if len(reading.records) != count:
            raise SystemExit(f"the roster gave {len(reading.records)} people, not {count}: {reading.problems[:3]}")
    return times


def import_rows(out: Path, work: Path, count: int) -> tuple[int, float]:

    root = work / "import"
    shutil.copytree(registry_of(1000, out), root, ignore=shutil.ignore_patterns(".cache", "site"))
    registry = load_registry(root)
    unit = registry.units[0]["id"]
    path = work / "template.xlsx"
    filled_template(registry, unit, path, count)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "import", "xlsx", str(path), "--unit", unit],
        capture_output=True,
        text=True,
        env={**os.environ, "CADRES_CACHE_DIR": str(root / ".cache")},
    )
    seconds = time.perf_counter() - start
    if f"已写入 {count} 个记录文件" not in result.stdout:  # the new ones (the unit's people are unchanged)
        raise SystemExit(f"the import did not write every row:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return count, seconds


if __name__ == "__main__":
    sys.exit(main())
