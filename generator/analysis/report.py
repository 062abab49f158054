"""The statistics as people read them: plain text for a terminal, Markdown for a merge request or a page.

Only presentation: every figure comes ready from stats.py.
"""

from __future__ import annotations

import unicodedata

from generator.analysis.stats import BREAKDOWNS

TARGET_COLUMNS = ("编号", "项目", "数值", "分子/分母", "目标", "结果")


def met_text(met: bool) -> str:
    return "达到" if met else "未达到"


def _target_rows(stats: dict) -> list[tuple]:
    return [
        (t["id"], t["label"], t["figure"], f"{t['numerator']}/{t['denominator']}", t["target"], met_text(t["met"]))
        for t in stats["targets"]
    ]


def _parts_lines(stats: dict) -> list[str]:
    """The per-part figures of the targets that have parts (专业, 年度, 类别)."""
    lines = []
    for t in stats["targets"]:
        if "parts" not in t:
            continue
        if t["measure"] == "practice_per_year":
            parts = [
                f"{p['key']}年 {p['count']}/{p['of']}（{p['figure']}{'，未满一年' if p['partial'] else ''}）"
                for p in t["parts"]
            ]
        else:
            parts = [f"{p['key']} {p['count']}" for p in t["parts"]]
        lines.append(f"{t['id']} {t['label']}：{'，'.join(parts)}")
    return lines


def _row_key(name: str, row: dict) -> str:
    return row.get("name", row["key"]) if name == "unit" else row["key"]


def _heading(stats: dict) -> str:
    return f"科级后备干部结构统计（截至 {stats['as_of']}，在库 {stats['pool']['count']} 人）"


# -- text ----------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[tuple], indent: str = "  ") -> list[str]:
    widths = [max(width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(str(cell) + " " * (w - width(str(cell))) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    ]


def text(stats: dict) -> str:
    out = [_heading(stats), f"政策依据：{stats['policy']}", "", "结构目标（T01–T16）"]
    out += table([TARGET_COLUMNS, *_target_rows(stats)])
    out += ["", *("  " + line for line in _parts_lines(stats)), "", "分布"]
    for name, title in BREAKDOWNS.items():
        rows = stats["breakdowns"][name]
        if name in ("unit", "age_band"):
            out.append(f"  {title}（正职/副职）：")
            out += table(
                [(_row_key(name, r), r["count"], f"{r['by_level']['正职']}/{r['by_level']['副职']}") for r in rows],
                indent="    ",
            )
        else:
            out.append(f"  {title}：" + ("，".join(f"{_row_key(name, r)} {r['count']}" for r in rows) or "无"))
    out += ["", f"逾期未调整（{len(stats['review_due'])} 人，R11）"]
    out += [
        f"  {r['name']}（{r['id']}，{r['unit_name']}，{r['level']}）上次 {r['last']}，应于 {r['due']} 前调整"
        for r in stats["review_due"]
    ] or ["  无"]
    out += ["", f"已批准例外（{len(stats['waivers'])} 项）"]
    out += [
        f"  {w['name']}（{w['id']}，{w['unit_name']}）{w['rule']}：{w['reason']}（{w['decided_by']} {w['date']}）"
        for w in stats["waivers"]
    ] or ["  无"]
    return "\n".join(out) + "\n"


def compare_text(change: dict) -> str:
    out = [
        f"后备干部队伍变化：{change['from']} → {change['to']}",
        f"在库人数 {change['pool']['from']} → {change['pool']['to']}；新入库 {len(change['entered'])} 人，"
        f"出库 {len(change['left'])} 人",
        "",
    ]
    out += table(
        [
            ("编号", "项目", change["from"], change["to"], "结果"),
            *[(t["id"], t["label"], t["from"], t["to"], _movement(t)) for t in change["targets"]],
        ]
    )
    out += ["", "新入库："]
    out += [
        f"  {r['name']}（{r['id']}，{r['unit_name']}，{r['level']}）入库 {r['entered']}" for r in change["entered"]
    ] or ["  无"]
    out += ["", "出库："]
    out += [f"  {r['name']}（{r['id']}，{r['unit_name']}，{r['level']}）{_exit(r)}" for r in change["left"]] or ["  无"]
    return "\n".join(out) + "\n"


def _movement(t: dict) -> str:
    if t["met_from"] == t["met_to"]:
        return met_text(t["met_to"])
    return f"{met_text(t['met_from'])} → {met_text(t['met_to'])}"


def _exit(row: dict) -> str:
    return f"{row['exit']['date']} {row['exit']['reason']}" if "exit" in row else "（记录中没有出库信息）"


# -- Markdown ------------------------------------------------------------------------


def md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(rows: list[tuple]) -> list[str]:
    head, *body = rows
    return [
        "| " + " | ".join(map(md_cell, head)) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(map(md_cell, row)) + " |" for row in body),
    ]


def markdown(stats: dict) -> str:
    out = [f"## {_heading(stats)}", "", f"政策依据：{stats['policy']}", "", "### 结构目标", ""]
    out += md_table([TARGET_COLUMNS, *_target_rows(stats)])
    out += ["", *(f"- {line}" for line in _parts_lines(stats)), "", "### 分布", ""]
    for name, title in BREAKDOWNS.items():
        rows = stats["breakdowns"][name]
        if rows:
            out += [f"**{title}**", ""]
            out += md_table(
                [
                    (title, "人数", "正职", "副职"),
                    *[(_row_key(name, r), r["count"], r["by_level"]["正职"], r["by_level"]["副职"]) for r in rows],
                ]
            )
            out.append("")
    out += [f"### 逾期未调整（{len(stats['review_due'])} 人）", ""]
    out += md_table(
        [
            ("姓名", "编号", "单位", "层级", "上次调整", "应调整"),
            *[(r["name"], r["id"], r["unit_name"], r["level"], r["last"], r["due"]) for r in stats["review_due"]],
        ]
    )
    out += ["", f"### 已批准例外（{len(stats['waivers'])} 项）", ""]
    out += md_table(
        [
            ("姓名", "编号", "单位", "规则", "理由", "批准机关", "日期"),
            *[
                (w["name"], w["id"], w["unit_name"], w["rule"], w["reason"], w["decided_by"], w["date"])
                for w in stats["waivers"]
            ],
        ]
    )
    return "\n".join(out) + "\n"


def compare_markdown(change: dict) -> str:
    out = [
        f"## 后备干部队伍变化：{change['from']} → {change['to']}",
        "",
        f"在库人数 {change['pool']['from']} → {change['pool']['to']}；新入库 {len(change['entered'])} 人，"
        f"出库 {len(change['left'])} 人",
        "",
    ]
    out += md_table(
        [
            ("编号", "项目", change["from"], change["to"], "结果"),
            *[(t["id"], t["label"], t["from"], t["to"], _movement(t)) for t in change["targets"]],
        ]
    )
    out += ["", "### 新入库", ""]
    out += md_table(
        [
            ("姓名", "编号", "单位", "层级", "入库时间"),
            *[(r["name"], r["id"], r["unit_name"], r["level"], r["entered"]) for r in change["entered"]],
        ]
    )
    out += ["", "### 出库", ""]
    out += md_table(
        [
            ("姓名", "编号", "单位", "层级", "出库"),
            *[(r["name"], r["id"], r["unit_name"], r["level"], _exit(r)) for r in change["left"]],
        ]
    )
    return "\n".join(out) + "\n"
