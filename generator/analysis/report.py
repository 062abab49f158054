"""The statistics as people read them: plain text for a terminal, Markdown for a merge request or a page.

Only presentation: every figure comes ready from stats.py.
"""

from __future__ import annotations

import unicodedata

from generator.analysis.stats import BREAKDOWNS, Comparison, Statistics, TargetChange

TARGET_COLUMNS = ("编号", "项目", "数值", "分子/分母", "目标", "结果")


def met_text(met: bool) -> str:
    return "达到" if met else "未达到"


def _target_rows(stats: Statistics) -> list[tuple]:
    return [
        (t["id"], t["label"], t["figure"], f"{t['numerator']}/{t['denominator']}", t["target"], met_text(t["met"]))
        for t in stats["targets"]
    ]


def _parts_lines(stats: Statistics) -> list[str]:
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


def _heading(stats: Statistics) -> str:
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


def text(stats: Statistics) -> str:
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


def compare_text(change: Comparison) -> str:
    out = [
        f"后备干部队伍变化：{change['from']} → {change['to']}",
        f"在库人数 {change['pool']['before']} → {change['pool']['after']}；新入库 {len(change['entered'])} 人，"
        f"出库 {len(change['left'])} 人",
        "",
    ]
    out += table(
        [
            ("编号", "项目", change["from"], change["to"], "目标", "结果"),
            *[(t["id"], t["label"], t["before"], t["after"], t["target"], _movement(t)) for t in change["targets"]],
        ]
    )
    out += ["", "新入库："]
    out += [
        f"  {r['name']}（{r['id']}，{r['unit_name']}，{r['level']}）入库 {r['entered']}" for r in change["entered"]
    ] or ["  无"]
    out += ["", "出库："]
    out += [f"  {r['name']}（{r['id']}，{r['unit_name']}，{r['level']}）{_exit(r)}" for r in change["left"]] or ["  无"]
    return "\n".join(out) + "\n"


def _movement(t: TargetChange) -> str:
    if t["met_before"] == t["met_after"]:
        return met_text(t["met_after"])
    return f"{met_text(t['met_before'])} → {met_text(t['met_after'])}"


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


def markdown(stats: Statistics) -> str:
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


def compare_markdown(change: Comparison) -> str:
    out = [
        f"## 后备干部队伍变化：{change['from']} → {change['to']}",
        "",
        f"在库人数 {change['pool']['before']} → {change['pool']['after']}；新入库 {len(change['entered'])} 人，"
        f"出库 {len(change['left'])} 人",
        "",
    ]
    out += md_table(
        [
            ("编号", "项目", change["from"], change["to"], "目标", "结果"),
            *[(t["id"], t["label"], t["before"], t["after"], t["target"], _movement(t)) for t in change["targets"]],
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


# -- the adjustment round's plan (adjustment.plan) ------------------------------------------------


def _plan_sections(plan: dict) -> list[tuple[str, list[str], list[tuple]]]:
    """(heading, notes, table rows with the header first) of each part of the plan, for text and Markdown."""
    pool = plan["pool"]
    out = [("序号", "姓名", "单位", "层级", "年龄", "入库", "出库方式", "原因")] + [
        (str(i), o["name"], o["unit_name"], o["level"], str(o["age"]), o["entered"], o["status"],
         "；".join(r["reason"] for r in o["reasons"]))
        for i, o in enumerate(plan["out"], 1)
    ]  # fmt: skip
    entering = [("序号", "姓名", "单位", "层级", "培养类别", "产生方式", "民主推荐", "民主测评", "考察")] + [
        _candidate_row(i, c) for i, c in enumerate(plan["in"], 1)
    ]
    pending = [("序号", "姓名", "单位", "层级", "产生方式", "民主推荐")] + [
        (str(i), c["name"], c["unit_name"], c["level"], c["source"], (c["nomination"] or {}).get("share", ""))
        for i, c in enumerate(plan["pending"], 1)
    ]
    covered = [("单位", "班子正职", "正职后备", "班子副职", "副职后备", "缺")] + [
        (c["name"], str(c["posts"]["正职"]), _arrow(c, "正职"), str(c["posts"]["副职"]), _arrow(c, "副职"),
         "、".join(f"无{lv}后备" for lv in c["without"]))
        for c in plan["coverage"]
    ]  # fmt: skip
    targets = [("编号", "项目", "调整前", "调整后", "目标", "结果")] + [
        (t["id"], t["label"], t["before"], t["after"], t["target"],
         met_text(t["met_before"]) + ("" if t["met_before"] == t["met_after"] else f" → {met_text(t['met_after'])}"))
        for t in plan["targets"]
    ]  # fmt: skip
    fails = "、".join(plan["fails"]) or "无"
    without = [c["name"] for c in plan["coverage"] if c["without"]]
    return [
        ("建议出库", [f"{pool['out']} 人；出库原因后是政策依据，见 JSON 输出的 policy"], out),
        ("建议列入（已考察）", [f"{pool['in']} 人"], entering),
        ("尚未考察的人选（不提请本次研究）", [f"{len(plan['pending'])} 人"], pending),
        (
            "各单位班子职数与后备人数（调整前 → 调整后）",
            [f"没有某一层级后备的单位：{'、'.join(without) or '无'}"],
            covered,
        ),
        ("结构目标（调整前 → 调整后）", [f"调整后未达到的目标：{fails}"], targets),
    ]


def _candidate_row(i: int, c: dict) -> tuple:
    nomination = c["nomination"] or {}
    evaluation = c["evaluation"] or {}
    return (
        str(i), c["name"], c["unit_name"], c["level"], c["track"], c["source"],
        nomination.get("share", ""), evaluation.get("share", ""), c["inspection"],
    )  # fmt: skip


def _arrow(row: dict, level: str) -> str:
    before, after = row["before"][level], row["after"][level]
    return str(before) if before == after else f"{before} → {after}"


def _plan_heading(plan: dict) -> str:
    pool = plan["pool"]
    return (
        f"科级后备干部调整充实方案（截至 {plan['as_of']}）：在库 {pool['before']} 人，"
        f"建议出库 {pool['out']} 人、列入 {pool['in']} 人，调整后 {pool['after']} 人"
    )


def plan_text(plan: dict) -> str:
    lines = [_plan_heading(plan)]
    for title, notes, rows in _plan_sections(plan):
        lines += ["", f"{title}（{'；'.join(notes)}）"]
        lines += table(rows) if len(rows) > 1 else ["  无"]
    return "\n".join(lines) + "\n"


def plan_markdown(plan: dict) -> str:
    lines = [f"### {_plan_heading(plan)}"]
    for title, notes, rows in _plan_sections(plan):
        lines += ["", f"#### {title}", "", *notes, ""]
        lines += md_table(rows) if len(rows) > 1 else ["无"]
    return "\n".join(lines) + "\n"
