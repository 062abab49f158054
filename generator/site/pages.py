"""What each page of one audience's site shows: plain values for the templates, nothing counted in them.

`site_pages(registry, audience, as_of, edit_base)` returns {page path: (template, values)}
for one audience, from that audience's view of the registry only
(audiences.visible): a record it may not see never reaches this module's
output. Links between pages are computed here (relative, `.html`), because
page bodies are raw HTML that MkDocs passes through unchanged.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from generator.analysis import adjustment, roster, strokes
from generator.analysis.audiences import Audience, visible
from generator.analysis.stats import BREAKDOWNS, Tables, band, band_labels, statistics
from generator.core import dates
from generator.git.history import Change, History, visible_fields
from generator.registry import facts
from generator.registry.records import Cadre, Schooling, Unit
from generator.registry.rules import RULES
from generator.registry.vocabulary import ADMITTED, CHIEF, DEPUTY, FEMALE, IN_POOL, INSPECTED, STATUS_TEXT, TRACKED
from generator.site import charts

if TYPE_CHECKING:
    from generator.registry.files import Registry

RECENT_MONTHS = 12
WORKBOOK = "downloads/roster-{audience}.xlsx"  # each site offers its audience's 名册 (excel.roster_workbook)
OPEN_CHANGES = 5  # the latest merges are shown unfolded on the 变更记录 page, the others folded to one line
CHANGE_LOG_COMMITS = 100  # the 变更记录 page lists the latest commits; each profile keeps its whole history


def href(page: str, target: str, anchor: str = "") -> str:
    """A relative link from one page to another, both given as docs paths ('roster/unit.md', 'index.md')."""
    if posixpath.dirname(page) == posixpath.dirname(target):
        target = posixpath.basename(target)
    else:
        target = "../" * page.count("/") + target
    return target[: -len(".md")] + ".html" + (f"#{anchor}" if anchor else "")


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def dotted_in(text: str) -> str:
    """Every date in a sentence this program wrote (a reason, a field change) as the pages write dates:
    '上次 2023-09-19' -> '上次 2023.09.19', '2026-09' -> '2026.09' (dates.dotted, inside a text)."""
    return ISO_DATE.sub(lambda m: ".".join(g for g in m.groups() if g), text)


def _review(row: dict) -> dict:
    """An overdue review (stats.review_due), its dates as the pages write them."""
    return dict(row, last=dates.dotted(row["last"]), due=dates.dotted(row["due"]))


def profile_path(cadre_id: str) -> str:
    return f"profiles/{cadre_id}.md"


class View:
    """One audience's records and the lookups its pages need."""

    def __init__(
        self, registry: Registry, audience: Audience, as_of: _dt.date, edit_base: str, history: History | None
    ) -> None:
        self.registry, self.audience, self.as_of, self.edit_base = registry, audience, as_of, edit_base
        self.history = history or History(None, None, False, [], available=False)
        self.tables = Tables(registry)
        self.policy = registry.valid_policy
        self.people = visible(audience, [e.data for e in registry.cadres])
        self.people.sort(key=lambda d: strokes.name_key(d["name"]))
        self.order = {d["id"]: i for i, d in enumerate(self.people)}
        self.paths = {e.data["id"]: e.path for e in registry.cadres}
        self.units = [u for u in self.tables.units if audience.whole_pool or u["id"] == audience.unit]
        self.unit_names = self.tables.unit_names
        self.units_by_id = {u["id"]: u for u in self.tables.units}
        self.pool = roster.ordered(roster.pool(self.people, as_of), self.tables)  # the 名册, in its official order
        self.nominated = self._nominations()
        self.stats = statistics(registry, as_of, self.people)
        self._rows: dict = {}

    @functools.cached_property
    def plan(self) -> dict:
        """The adjustment round's plan over the people this audience sees (adjustment.plan)."""
        return adjustment.plan(self.registry, self.as_of, self.people, before=self.stats)

    def _nominations(self) -> dict:
        """{cadre id: its own row of its own nomination (the round and unit the acts name), with the meeting};
        another file naming the person (another unit's, X06) never replaces it."""
        own = {
            d["id"]: f"registry/nominations/{d['reserve']['nomination']}.yaml"
            for d in self.people
            if d["reserve"].get("nomination")
        }
        found = {}
        for entry in self.registry.nominations:
            data = entry.data
            for cand in data["candidates"]:
                if own.get(cand["cadre"]) == entry.path:
                    found[cand["cadre"]] = {
                        "round": data["round"],
                        "by": data["nominated_by"],
                        "date": dates.dotted(data["meeting"]["date"]),
                        "attended": data["meeting"]["attended"],
                        "eligible": data["meeting"]["eligible"],
                        "votes": cand["votes"],
                        "share": f"{cand['votes'] / data['meeting']['attended']:.1%}",
                    }
        return found

    # -- rows ---------------------------------------------------------------

    def row(self, data: Cadre, page: str) -> dict:
        """A roster row (made once per person and folder: the people lists repeat the same people)."""
        key = (data["id"], posixpath.dirname(page))
        if key not in self._rows:
            self._rows[key] = self._row(data, page)
        return self._rows[key]

    def _row(self, data: Cadre, page: str) -> dict:
        reserve = data["reserve"]
        return {
            "id": data["id"],
            "name": data["name"],
            "href": href(page, profile_path(data["id"])),
            "order": self.order[data["id"]],
            "sex": data["sex"],
            "birth": f"{dates.dotted(data['birth'])}（{dates.age(data['birth'], self.as_of)}岁）",
            "education": facts.highest_education(data, self.tables.education_order) or "",
            "unit": self.unit_names.get(data["employment"]["unit"], data["employment"]["unit"]),
            "post": data["employment"]["post"],
            "level": reserve["level"],
            "track": reserve.get("track", ""),
            "status": reserve["status"],
        }

    def pool_row(self, data: Cadre, page: str) -> dict:
        """A row of the 名册: the official columns (roster.COLUMNS), the name linked to the profile."""
        return {"href": href(page, profile_path(data["id"])), "cells": roster.cells(data, self.as_of, self.tables)}

    def pool_groups(self, page: str, key: Callable[[Cadre], object], order: Iterable[tuple]) -> list[dict]:
        """The pool in groups, each in the 名册's order (正职 before 副职, 姓氏笔画); empty groups kept."""
        found = defaultdict(list)
        for data in self.pool:
            found[key(data)].append(data)
        groups = []
        for i, (k, title) in enumerate(order):
            people = found.get(k, [])
            levels = [lv for lv in self.tables.levels if lv in self.audience.levels]
            count = "、".join(f"{lv} {sum(d['reserve']['level'] == lv for d in people)}" for lv in levels)
            rows = [self.pool_row(d, page) for d in people]
            groups.append({"title": title, "anchor": f"g{i}", "rows": rows, "note": "", "levels": count})
        return groups

    def groups(
        self, page: str, key: Callable[[Cadre], object], order: Iterable[tuple], people: list[Cadre] | None = None
    ) -> list[dict]:
        """Rows grouped by key(record) in the given order, 姓氏笔画 within a group; empty groups kept."""
        found = defaultdict(list)
        for data in people if people is not None else self.people:
            found[key(data)].append(self.row(data, page))
        return [
            {"title": title, "anchor": f"g{i}", "rows": found.get(k, []), "note": ""}
            for i, (k, title) in enumerate(order)
        ]


# -- pages ---------------------------------------------------------------------------


def site_pages(
    registry: Registry,
    audience: Audience,
    as_of: _dt.date,
    edit_base: str = "",
    history: History | None = None,
    view: View | None = None,
) -> dict[str, tuple[str, dict]]:
    """{page path: (template, its values)} of an audience's site (`view`: what it sees, when made already)."""
    view = view or View(registry, audience, as_of, edit_base, history)
    makers: dict[str, Callable[[], tuple[str, dict]]] = {
        "roster/unit.md": lambda: ("roster.md.j2", roster_by_unit(view, "roster/unit.md")),
        "roster/all.md": lambda: ("roster-all.md.j2", roster_all(view, "roster/all.md")),
        "roster/level.md": lambda: (
            "roster.md.j2",
            roster_by(view, "roster/level.md", "按层级", "level", view.tables.levels),
        ),
        "roster/track.md": lambda: (
            "roster.md.j2",
            roster_by(view, "roster/track.md", "按培养类别", "track", view.tables.tracks),
        ),
        "roster/others.md": lambda: ("others.md.j2", others(view, "roster/others.md")),
    }
    pages = {
        "index.md": ("index.md.j2", home(view, "index.md")),
        **{path: makers[path]() for _, path in roster_views(audience)},
        "stats.md": ("stats.md.j2", statistics_page(view, "stats.md")),
        "changes.md": ("changes.md.j2", change_log(view, "changes.md")),
    }
    if audience.whole_pool:
        pages["candidates.md"] = ("candidates.md.j2", candidates(view, "candidates.md"))
    if audience.whole_pool and audience.tracked:  # the org department's own working page
        pages["round.md"] = ("round.md.j2", adjustment_page(view, "round.md"))
    if audience.tracked:
        pages["tracked.md"] = ("others.md.j2", tracked(view, "tracked.md"))
    pages["help.md"] = ("help.md.j2", help_page(view))
    for data in view.people:
        pages[profile_path(data["id"])] = ("profile.md.j2", profile(view, data))
    pages.update(people_pages(view))
    return pages


def roster_views(audience: Audience) -> list[tuple[str, str]]:
    """The 名册's pages this audience is offered, as (navigation label, page): only views that differ for its
    people. A unit's site has one unit (no 按单位 groups: its 名册 is one table, sortable and filterable, which
    makes 筛选和排序 a second copy of it) and, when it sees one level only (副职), no 按层级 either."""
    whole = audience.whole_pool
    views = [("按单位" if whole else "本单位名册", "roster/unit.md")]
    if whole:
        views.append(("筛选和排序", "roster/all.md"))
    if len(audience.levels) > 1:
        views.append(("按层级", "roster/level.md"))
    views.append(("按培养类别", "roster/track.md"))
    views.append((others_title(audience), "roster/others.md"))
    return views


def others_title(audience: Audience) -> str:
    """The page of those not on the 名册: 候选和出库人员, or 候选人员 where the audience sees no one who left."""
    return "候选和出库人员" if set(ADMITTED[1:]) & set(audience.statuses) else "候选人员"


def nav(audience: Audience) -> list:
    """The navigation: profiles and people lists stay out of it (not_in_nav)."""
    items: list = [
        {"首页": "index.md"},
        {"名册": [{label: path} for label, path in roster_views(audience)]},
    ]
    if audience.whole_pool:
        items.append({"人选方案": "candidates.md"})
    if audience.whole_pool and audience.tracked:
        items.append({"调整充实": "round.md"})
    if audience.tracked:
        items.append({"优秀干部苗子": "tracked.md"})
    items.append({"结构分析": "stats.md"})
    items.append({"变更记录": "changes.md"})
    items.append({"使用说明": "help.md"})
    return items


R12_TEXT = (
    "记录本身前后一致：证件号码校验码与出生日期、性别相符，日期不晚于核对日期且先后有序，简历前后衔接，"
    "考核等次与编制相符，票数不超过人数。"
)


def rule_texts() -> dict[str, str]:
    """{R01: the sentence of 合蜀发〔2012〕11号 it enforces, …}: the first line of each rule's docstring."""
    texts: dict[str, str] = {}
    for check in RULES:
        texts.setdefault(check.code, (check.func.__doc__ or "").strip().splitlines()[0])
    return texts | {"R12": R12_TEXT}


def help_page(view: View) -> dict:
    """使用说明: what the statuses, pages and codes mean, for this audience."""
    return {
        "title": "使用说明",
        "scope": scope(view),
        "whole_pool": view.audience.whole_pool,
        "tracked": view.audience.tracked,
        "statuses": [(status, STATUS_TEXT.get(status, "")) for status in view.audience.statuses],
        "rules": sorted(rule_texts().items()),
        "targets": [
            (t["id"], t["label"], t["text"], t["target"], counted(policy_target))
            for t, policy_target in zip(view.stats["targets"], view.policy["targets"], strict=True)
        ],
        "policy": view.policy.get("source", ""),
        "roster_views": "、".join(
            f"{label}（正职后备在前）" if path == "roster/unit.md" and view.audience.whole_pool else label
            for label, path in roster_views(view.audience)[:-1]
        ),
        "others_title": others_title(view.audience),
    }


def counted(target: dict) -> str:
    """What a target counts, in its policy.yaml words (T14 and T15 count only some training and practice)."""
    parts = []
    if target.get("institution_kinds"):
        parts.append(f"计入名称含{'、'.join(target['institution_kinds'])}的机构的培训")
    if target.get("degree_study"):
        parts.append(f"不含学历教育（{'、'.join(target['degree_study'][:3])}等）")
    if target.get("practice_kinds"):
        parts.append(f"计入{'、'.join(target['practice_kinds'])}")
    if target.get("grassroots"):
        parts.append(f"到{'、'.join(target['grassroots'])}（或乡镇街道单位）")
    if target.get("since_entry") or target.get("practice_kinds"):
        parts.append("入库后开始的")
    if target.get("measure") == "practice_per_year":
        parts.append("按开始的年份计，当年在库人数为分母；当年已达到的显示当年数")
    return "；".join(parts)


def home(view: View, page: str) -> dict:
    stats, audience = view.stats, view.audience
    targets = {t["id"]: t for t in stats["targets"]}
    recent_from = view.as_of.replace(year=view.as_of.year - 1)
    recent = []
    for data in view.people:
        reserve = data["reserve"]
        exit_ = reserve.get("exit")
        for when, what in (
            (reserve.get("entered"), "入库"),
            (exit_["date"] if exit_ else None, f"出库（{exit_['reason'] if exit_ else ''}）"),
        ):
            if when and recent_from <= dates.day(when) <= view.as_of:
                recent.append(dict(view.row(data, page), date=dates.dotted(when), what=what))
    recent.sort(key=lambda r: (r["date"], r["order"]), reverse=True)
    return {
        "title": audience.title,
        "district": view.policy.get("district", ""),
        "scope": scope(view),
        "as_of": dates.dotted(view.as_of.isoformat()),
        "whole_pool": audience.whole_pool,
        "pool": stats["pool"]["count"],
        "counts": [dict(targets[t], href=href(page, f"people/{t}.md")) for t in ("T01", "T02", "T03") if t in targets]
        if audience.whole_pool
        else [],
        "by_status": [
            {"status": s, "count": sum(d["reserve"]["status"] == s for d in view.people)} for s in audience.statuses
        ],
        "missed": [dict(t, href=href(page, "stats.md", t["id"])) for t in stats["targets"] if not t["met"]]
        if audience.whole_pool
        else [],
        "overdue": [dict(_review(r), href=href(page, profile_path(r["id"]))) for r in stats["review_due"]],
        "waivers": [
            dict(
                w,
                date=dates.dotted(w["date"]),
                href=href(page, profile_path(w["id"])),
                rule_text=rule_texts().get(w["rule"], ""),
                rule_href=href(page, "help.md", w["rule"]),
            )
            for w in stats["waivers"]
        ],
        "round": _round_link(view, page),
        "posts": "" if audience.whole_pool else posts_and_reserves(view, view.units_by_id[audience.unit or ""]),
        "recent": recent[:20],
        "recent_total": len(recent),
        "recent_months": RECENT_MONTHS,
        "links": {
            "roster": href(page, "roster/unit.md"),
            "stats": href(page, "stats.md"),
            "workbook": WORKBOOK.format(audience=audience.id),  # the home page sits at the root
            "candidates": href(page, "candidates.md") if audience.whole_pool else "",
        },
    }


def scope(view: View) -> str:
    """What this site holds and for whom, said on its home page and rosters."""
    audience, levels = view.audience, view.tables.levels
    private = "含身份证号和联系电话，注意保密" if audience.sensitive else "不含个人证件号码和联系方式"
    if audience.everyone:
        return f"本站含全区全部科级后备干部、人选、优秀干部苗子和已出库人员；{private}。"
    shown = "、".join(audience.statuses)
    if audience.whole_pool:
        return f"本站含全区{'、'.join(audience.levels)}后备干部（{shown}）；{private}。"
    unit = view.unit_names.get(audience.unit or "", audience.unit or "")
    text = f"本站只含{unit}的{'、'.join(audience.levels)}后备干部（{shown}）"
    missing = [lv for lv in levels if lv not in audience.levels]
    if missing:
        text += f"；本单位的{'、'.join(missing)}后备由区委组织部管理，不在本站显示"
    return f"{text}；{private}。"


def _roster(view: View, title: str, intro: str, groups: list[dict], heading: str | None = None) -> dict:
    audience = view.audience
    statuses = "推荐、考察中的人选" + ("和已出库人员" if others_title(audience) == "候选和出库人员" else "")
    return {
        "scope": scope(view),
        "title": title,
        "heading": f"{audience.title}·{view.policy.get('district', '')}科级后备干部名册"
        + (f"（{title}）" if heading is None else heading),
        "as_of": dates.dotted(view.as_of.isoformat()),
        "intro": intro,
        "header": roster.HEADER,
        "groups": groups,
        "total": sum(len(g["rows"]) for g in groups),
        "others": href("roster/unit.md", "roster/others.md"),
        "others_title": others_title(audience),
        "others_text": statuses,
    }


def roster_by_unit(view: View, page: str) -> dict:
    """The pool by unit; every unit's 班子职数 beside its reserves (a unit's site: its own, with the levels it sees)."""
    order = [(u["id"], u["name"]) for u in view.units]
    groups = view.pool_groups(page, lambda d: d["employment"]["unit"], order)
    for unit, group in zip(view.units, groups, strict=True):
        group["note"] = posts_and_reserves(view, unit)
    if view.audience.whole_pool:
        intro = "在库的科级后备干部。单位按官方排序，单位内正职后备在前、副职后备在后，各按姓氏笔画排列。"
        return _roster(view, "按单位", intro, groups)
    levels = view.audience.levels
    order_text = "按姓氏笔画排列" if len(levels) == 1 else "正职后备在前、副职后备在后，各按姓氏笔画排列"
    return _roster(view, "本单位", f"本单位在库的{'、'.join(levels)}后备干部，{order_text}。", groups, "")


def posts_and_reserves(view: View, unit: Unit) -> str:
    """The unit's 班子职数 (units.yaml `leadership`) beside its reserves in the pool, at the levels this audience
    sees: 班子职数 正职1名、副职3名；在库后备 正职1名、副职4名. A unit's site does not see its 正职后备 (managed
    by the 区委组织部, as the page's scope line says): they are left out, never counted as none. The policy
    (合蜀发〔2012〕11号) sets no number of reserves per post and policy.yaml holds none: no ratio is compared."""
    posts = unit.get("leadership") or {}
    pool = [d for d in view.people if d["employment"]["unit"] == unit["id"] and d["reserve"]["status"] == IN_POOL]
    seen = [lv for lv in view.tables.levels if lv in view.audience.levels]
    reserves = "在库后备 " + "、".join(f"{lv}{sum(d['reserve']['level'] == lv for d in pool)}名" for lv in seen)
    if not posts:
        return reserves
    return f"班子职数 正职{posts.get('chief', 0)}名、副职{posts.get('deputy', 0)}名；{reserves}"


def roster_by(view: View, page: str, title: str, field: Literal["level", "track"], keys: Iterable[str]) -> dict:
    groups = view.pool_groups(page, lambda d: d["reserve"][field], [(k, k) for k in keys])
    return _roster(view, title, "在库的科级后备干部。组内按单位排序，再按姓氏笔画排列。", groups)


SHOWN_ROWS = 300  # rows of the whole-pool roster in the page itself; the script shows the rest on demand
FILTERS = (  # (key, label) of the filters of the whole-pool roster, in the order they are shown
    ("unit", "单位"),
    ("level", "层级"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("age", "年龄段"),
    ("specialty", "专业"),
    ("track", "培养类别"),
    ("year", "入库年份"),
)


def roster_all(view: View, page: str) -> dict:
    """The whole pool in one table: its first SHOWN_ROWS rows in the page (without scripts, the 名册 in its
    official order), and every row as data (a JSON island) that assets/tables.js filters, sorts and shows, a few
    hundred rows at a time: 10,000 people cost the browser a JSON.parse, not 140,000 table cells."""
    bands = view.policy["statistics"]["age_bands"]
    rows: list[dict] = []
    values: dict[str, set] = defaultdict(set)
    for data in view.pool:
        age = dates.age(data["birth"], view.as_of)
        attrs = {
            "unit": view.unit_names.get(data["employment"]["unit"], data["employment"]["unit"]),
            "level": data["reserve"]["level"],
            "sex": data["sex"],
            "ethnicity": data["ethnicity"],
            "education": facts.highest_education(data, view.tables.education_order) or "",
            "age": band(age, bands),
            "specialty": "|".join(data.get("specialties") or []),
            "track": data["reserve"].get("track", ""),
            "year": (data["reserve"].get("entered") or "")[:4],
        }
        for key, value in attrs.items():
            values[key].update(value.split("|") if key == "specialty" else [value])
        sort = {
            "strokes": view.order[data["id"]],
            "birth": data["birth"],
            "entered": data["reserve"].get("entered", ""),
        }
        rows.append(dict(view.pool_row(data, page), attrs=attrs, sort=sort))
    keys = [key for key, _ in FILTERS]
    table = [[r["href"], r["cells"], [r["attrs"][k] for k in keys], r["sort"]["strokes"], r["sort"]["birth"],
              r["sort"]["entered"]] for r in rows]  # fmt: skip
    island = json.dumps({"keys": keys, "rows": table}, ensure_ascii=False, separators=(",", ":"))
    island = island.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # inert in <script>
    known = {
        "unit": [u["name"] for u in view.units],
        "level": list(view.tables.levels),
        "education": list(view.tables.education),
        "age": band_labels(bands),
        "specialty": list(view.policy.get("specialties") or []),
        "track": list(view.tables.tracks),
    }
    filters = []
    for key, label in FILTERS:
        order = known.get(key) or sorted(values[key])
        filters.append({"key": key, "label": label, "options": [v for v in order if v in values[key]]})
    return dict(
        _roster(view, "筛选和排序", "在库的科级后备干部，一张表；可按下列各项筛选和排序。", []),
        rows=rows[:SHOWN_ROWS],
        data=Markup(island),
        shown=SHOWN_ROWS,
        filters=filters,
        total=len(rows),
        by_unit=href(page, "roster/unit.md"),
    )


def others(view: View, page: str) -> dict:
    """Everyone this audience sees who is not in the pool: candidates (推荐, 考察) and those who left."""
    statuses = [s for s in view.audience.statuses if s not in (IN_POOL, TRACKED)]
    groups = view.groups(page, lambda d: d["reserve"]["status"], [(s, s) for s in statuses])
    exits = {d["id"]: _exit(d) for d in view.people}
    for group in groups:  # those who left: when and why (the decision's left)
        group["exits"] = group["title"] in ADMITTED[1:]
        if group["exits"]:
            group["rows"] = [dict(r, exit_date=exits[r["id"]][0], exit_reason=exits[r["id"]][1]) for r in group["rows"]]
    title = others_title(view.audience)
    return {
        "title": title,
        "as_of": dates.dotted(view.as_of.isoformat()),
        "intro": "不在名册上的人员：推荐、考察中的人选，和已使用（提拔任用）、调整出库的人员。"
        if title == "候选和出库人员"
        else "不在名册上的人员：推荐、考察中的人选，尚未经区委常委会研究确定列入名册。",
        "groups": groups,
        "logs": [],
    }


def _exit(data: Cadre) -> tuple[str, str]:
    """When (dotted) and why a person left the pool; empty texts for one who did not."""
    exit_ = data["reserve"].get("exit")
    return (dates.dotted(exit_["date"]), exit_["reason"]) if exit_ else ("", "")


def tracked(view: View, page: str) -> dict:
    """跟踪了解: the watch list by its categories (schemas/watch.yaml), then each person's dated observations."""
    people = [d for d in view.people if d["reserve"]["status"] == TRACKED]
    rules = view.registry.schemas.rules["watch"]["watched"]["schema"]["schema"]
    order = [(c, c) for c in rules["category"]["allowed"]]
    category = {d["id"]: (d.get("tracking") or {}).get("category") for d in people}
    if any(c is None for c in category.values()):
        order.append((None, "未分类"))
    logs = [
        {
            "name": d["name"],
            "href": href(page, profile_path(d["id"])),
            "category": category[d["id"]] or "未分类",
            "entries": [
                dict(e, date=dates.dotted(e["date"]))
                for e in sorted(d["tracking"]["log"], key=lambda e: e["date"], reverse=True)
            ],
        }
        for d in people
        if (d.get("tracking") or {}).get("log")
    ]
    return {
        "title": "优秀干部苗子（关注）",
        "as_of": dates.dotted(view.as_of.isoformat()),
        "intro": "区委组织部跟踪了解的招考录用人员、“柔性”交流人员、挂职干部和优秀干部苗子，尚未推荐；"
        "只在组织部的站点显示。",
        "groups": view.groups(page, lambda d: category[d["id"]], order, people),
        "logs": logs,
    }


def candidates(view: View, page: str) -> dict:
    """人选方案 as the 区委常委会 reads it: the inspected candidates put before it (正职 then 副职), the people
    proposed out with their reasons, those still at 推荐 apart (not put to this meeting, not counted), each
    candidate's sheet, and the structure before and after (adjustment.plan: pool − out + in)."""
    plan = view.plan
    by_id = {d["id"]: d for d in view.people}
    rows = [_candidate_row(view, page, by_id[c["id"]], c) for c in plan["in"] + plan["pending"]]
    sections = []
    for status, title, note in (
        ("考察", "提请区委常委会研究列入的人选", "已经民主推荐（或其他方式产生）和组织考察。"),
        ("推荐", "尚未考察的人选", "已民主推荐，尚待组织考察，不提请本次区委常委会研究，不计入调整后的结构。"),
    ):
        groups = []
        for level in view.tables.levels:
            chosen = [r for r in rows if r["status"] == status and r["level"] == level]
            if chosen:
                groups.append({"title": f"{level}后备人选（{len(chosen)}人）", "rows": chosen})
        count = sum(len(g["rows"]) for g in groups)
        sections.append({"status": status, "title": f"{title}（{count}人）", "note": note, "groups": groups})
    return {
        "title": "人选方案",
        "as_of": dates.dotted(view.as_of.isoformat()),
        "sections": sections,
        "sheets": [r for r in rows if r["status"] == INSPECTED],
        "exits": _exit_rows(view, page, plan),
        "moves": _moves(plan),
        "pool": plan["pool"],
        "fails": plan["fails"],
        "round_href": href(page, "round.md") if view.audience.tracked else "",
    }


def _round_link(view: View, page: str) -> dict | None:
    """The home page's notice while a round is open: someone is put to the 常委会 or proposed out."""
    if not view.audience.whole_pool:
        return None
    pool = view.plan["pool"]
    if not (pool["in"] or pool["out"] or view.plan["pending"]):
        return None
    return dict(
        pool,
        pending=len(view.plan["pending"]),
        candidates=href(page, "candidates.md"),
        plan=href(page, "round.md") if view.audience.tracked else "",
    )


def adjustment_page(view: View, page: str) -> dict:
    """调整充实 (the org department's): the whole plan, with each reason's policy sentence and each unit's
    班子职数 beside its reserves before and after."""
    plan = view.plan
    by_id = {d["id"]: d for d in view.people}
    return {
        "title": "调整充实",
        "as_of": dates.dotted(view.as_of.isoformat()),
        "pool": plan["pool"],
        "exits": _exit_rows(view, page, plan),
        "entering": [_candidate_row(view, page, by_id[c["id"]], c) for c in plan["in"]],
        "pending": [_candidate_row(view, page, by_id[c["id"]], c) for c in plan["pending"]],
        "coverage": [
            dict(c, shown=any(c["before"][lv] != c["after"][lv] for lv in (CHIEF, DEPUTY)) or bool(c["without"]))
            for c in plan["coverage"]
        ],
        "without": [c["name"] for c in plan["coverage"] if c["without"]],
        "moves": _moves(plan),
        "fails": plan["fails"],
        "candidates_href": href(page, "candidates.md"),
        "cycle": view.policy["rules"]["review_cycle_years"],
    }


def _candidate_row(view: View, page: str, data: Cadre, planned: dict) -> dict:
    """One candidate: the summary row's cells and the sheet the meeting decides on."""
    row = dict(view.row(data, page))  # the cached row stays as it is
    years = sorted(data.get("assessments") or [], key=lambda a: a["year"])[-3:]
    nomination = view.nominated.get(data["id"])
    evaluation = planned["evaluation"]
    row.update(
        education=roster.education_text(data, view.tables),
        brief=brief(view, data),
        nomination=nomination,
        source=planned["source"],
        status=planned["status"],
        direction=data["reserve"].get("direction", ""),
        evaluation=dict(evaluation, date=dates.dotted(evaluation["date"])) if evaluation else None,
        inspection=dates.dotted(planned["inspection"]),
        summary=inspection["summary"] if (inspection := data.get("inspection")) else "",
        plan=data.get("development_plan", ""),
        resume=[
            f"{dates.dotted(r['from'])}--{dates.dotted(r.get('to'))}" + "\u3000" + r["post"] for r in data["resume"]
        ],
        assessments="；".join(f"{a['year']}年度 {a['grade']}" for a in years),
        votes=nomination["share"] if nomination else "",
    )
    return row


def _exit_rows(view: View, page: str, plan: dict) -> list[dict]:
    by_id = {d["id"]: d for d in view.people}
    return [
        dict(
            view.row(by_id[o["id"]], page),
            age=o["age"],
            entered=dates.dotted(o["entered"]),
            reviewed=dates.dotted(o["reviewed"]),
            how=o["status"],
            reasons=[dict(x, reason=dotted_in(x["reason"])) for x in o["reasons"]],
        )
        for o in plan["out"]
    ]


def _moves(plan: dict) -> list[dict]:
    return [dict(t, verdict_changed=t["met_before"] != t["met_after"]) for t in plan["targets"]]


def brief(view: View, data: Cadre) -> dict:
    """The 干部任免审批表 header fields, as shown."""
    edu = data["education"]

    def school(e: Schooling | None) -> str:
        return " ".join(x for x in (e.get("school", ""), e.get("major", "")) if x) if e else ""

    def level(e: Schooling | None) -> str:
        return " ".join(x for x in (e.get("level", ""), e.get("degree", "")) if x) if e else ""

    party = data.get("party_joined")
    return {
        "name": data["name"],
        "sex": data["sex"],
        "birth": f"{dates.dotted(data['birth'])}（{dates.age(data['birth'], view.as_of)}岁）",
        "ethnicity": data["ethnicity"],
        "native_place": data["native_place"],
        "birthplace": data.get("birthplace", ""),
        "party": dates.dotted(party) if party else data["political_status"],
        "political": data["political_status"],
        "work_started": dates.dotted(data["work_started"]),
        "health": data["health"],
        "expertise": "、".join(data.get("specialties") or [])
        + (f"；{data['expertise']}" if data.get("expertise") else ""),
        "full_time": level(edu.get("full_time")),
        "full_time_school": school(edu.get("full_time")),
        "in_service": level(edu.get("in_service")),
        "in_service_school": school(edu.get("in_service")),
        "unit": view.unit_names.get(data["employment"]["unit"], ""),
        "post": data["employment"]["post"],
        "post_since": dates.dotted(data["employment"]["post_since"]),
        "rank": data["employment"]["rank"],
        "id_number": data.get("id_number"),
        "phone": data.get("phone"),
    }


COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
)


def keywords(view: View, data: Cadre) -> list[str]:
    """What search finds a profile by besides the name, unit and post on the page, indexed but never shown (the
    hooks put them in the search index's `keywords` field): the unit's short names (units.yaml `aliases`), the post
    without the unit's name (副主任) and with each of its names (卫健委副主任), the given name and the record's id.
    No single characters: the search box splits a query at the longest word of the index it starts with, so a
    surname as a word would turn 孟敏霞 into 孟 (a surname still finds its people: a word matches as a prefix)."""
    name = data["name"]
    cut = 2 if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else 1
    unit = view.units_by_id.get(data["employment"]["unit"])
    names = [unit["name"], *(unit.get("aliases") or [])] if unit else [""]
    post = data["employment"]["post"]
    bare = next((post[len(n) :] for n in sorted(names, key=len, reverse=True) if n and post.startswith(n)), "")
    words = [*names[1:], bare, *(n + bare for n in names if n and bare), name[cut:], data["id"]]
    return list(dict.fromkeys(w for w in words if len(w) > 1 and w != post))


def search_boost(name: str) -> float:
    """A profile's weight in search, above every other page's (1); a shorter name weighs more, so that 孙杰 comes
    before 孙杰明 when 孙杰 is searched (a query matches every word it starts)."""
    return 64 / 2 ** min(len(name), 5)


def profile(view: View, data: Cadre) -> dict:
    reserve = data["reserve"]
    cycle = view.policy["rules"]["review_cycle_years"]
    due = facts.review_due(data, cycle, view.as_of) if reserve["status"] == IN_POOL else None
    decision = reserve.get("decision")
    path = view.paths[data["id"]]
    return {
        "title": data["name"],
        "id": data["id"],
        "keywords": keywords(view, data),
        "boost": search_boost(data["name"]),
        "brief": brief(view, data),
        "as_of": dates.dotted(view.as_of.isoformat()),
        "resume": [
            f"{dates.dotted(r['from'])}--{dates.dotted(r.get('to'))}" + "\u3000" + r["post"] for r in data["resume"]
        ],
        "reserve": [
            ("后备层级", reserve["level"]),
            ("培养类别", reserve.get("track", "")),
            ("培养方向", reserve.get("direction", "")),
            ("产生方式", reserve["source"]),
            ("状态", reserve["status"]),
            (
                "确定依据",
                " ".join(x for x in (decision["body"], dates.dotted(decision["date"]), decision.get("ref", "")) if x)
                if decision
                else "",
            ),
            ("入库时间", dates.dotted(reserve.get("entered"))),
            ("最近调整", dates.dotted(reserve.get("reviewed"))),
            ("下次调整", dates.dotted(due.isoformat()) if due else ""),
            (
                "出库",
                f"{dates.dotted(reserve['exit']['date'])} {reserve['exit']['reason']}" if reserve.get("exit") else "",
            ),
        ],
        "nomination": view.nominated.get(data["id"]),
        "evaluations": [
            dict(e, date=dates.dotted(e["date"]), share=f"{float(facts.approval(e)):.1%}")
            for e in data.get("evaluations") or []
        ],
        "assessments": data.get("assessments") or [],
        "inspection": dict(data["inspection"], date=dates.dotted(data["inspection"]["date"]))
        if data.get("inspection")
        else None,
        "plan": data.get("development_plan", ""),
        "training": [
            dict(t, period=f"{dates.dotted(t['from'])}--{dates.dotted(t.get('to'))}")
            for t in data.get("training") or []
        ],
        "practice": [
            dict(p, period=f"{dates.dotted(p['from'])}--{dates.dotted(p.get('to'))}")
            for p in data.get("practice") or []
        ],
        "rewards": [dict(r, date=dates.dotted(r["date"])) for r in data.get("rewards_punishments") or []],
        "exceptions": [dict(x, date=dates.dotted(x["date"])) for x in data.get("exceptions") or []],
        "edit_url": view.edit_base + path if view.edit_base and view.audience.edits else "",
        "file": path if view.audience.edits else "",
        "history": history_state(view),
        "changes": [change_row(view, c) for c in view.history.of(data["id"])],
        "trail": view.audience.edits,  # merge requests, reviewers and authors: for those who keep records
    }


# -- history --------------------------------------------------------------------------------


def history_state(view: View) -> dict:
    h = view.history
    return {
        "available": h.available,
        "shallow": h.shallow,
        "head": h.head,
        "head_date": (h.head_date or "")[:10],
        "source": h.source if view.audience.everyone else "",  # names of approvers: shown to those alone
    }


def change_row(view: View, change: Change) -> dict:
    """A change as this audience may read it. Free text from git (the merge request's title, commit subjects,
    names of authors and approvers) may name anyone: only an audience that sees every record reads it."""
    everyone, edits = view.audience.everyone, view.audience.edits
    return {
        "date": dates.dotted(change.date[:10]),
        "commit": change.short,
        "trail": edits,  # the commit, the merge request and whether it was reviewed: for those who keep records
        "subject": change.subject if everyone else "",
        "author": change.author if everyone else "",
        "merged_by": change.merged_by if everyone else "",
        "mr": (change.merge_request or "") if edits else "",
        "approvers": "、".join(change.approvers) if everyone else "",
        "unreviewed": unreviewed(change) if edits else "",
        "unit_trail": change.unit_trail if everyone else [],
        "kind": change.kind,
        "fields": change_fields(view, change),
    }


def change_fields(view: View, change: Change) -> list[str]:
    """A change's fields as sentences this audience may read: a moved file's paths only for those who edit."""
    texts = visible_fields(change, view.audience.hidden, view.audience.everyone)
    return [readable(t, view.unit_names) for t in texts if view.audience.edits or not t.startswith(FILE_MOVED)]


FILE_MOVED = "文件 "  # history's line for a record file moved between unit folders: a path, for those who edit


def readable(text: str, unit_names: dict) -> str:
    """A field change as a Chinese sentence: 「现任职务：A → B」, units by name, dates as 2023.09."""
    label, _, rest = text.partition(": ")
    if not rest:
        return text
    if label.endswith("所在单位"):
        rest = " → ".join(unit_names.get(part, part) for part in rest.split(" → "))
    return f"{dotted_in(label)}：{dotted_in(rest)}"


def unreviewed(change: Change) -> str:
    """What the trail lacks, said on every site: no merge request (a direct push, a fast-forward or squashed
    merge), or a merge request whose merge commit names no approver (GitLab's default template)."""
    if not change.merge_request:
        return "未经合并请求审核"
    return "" if change.approvers else "未记录审核人"


def change_log(view: View, page: str) -> dict:
    """The latest merges into the registry, each with the records this audience sees and what changed in them."""
    seen = {d["id"]: d for d in view.people}
    commits: list[dict] = []
    for change in view.history.changes:
        # a deleted record stays in the org department's change log: who deleted it, when, through which request
        gone = change.kind == "删除" and change.cadre not in seen and view.audience.everyone
        other = not change.cadre and view.audience.everyone  # a nomination, units.yaml, policy.yaml…
        if change.cadre not in seen and not gone and not other:
            continue
        if not commits or commits[-1]["commit"] != change.short:
            if len(commits) == CHANGE_LOG_COMMITS:
                break
            commits.append(
                {k: v for k, v in change_row(view, change).items() if k not in ("kind", "fields")}
                | {"records": [], "units": set()}
            )
        unit = seen[change.cadre]["employment"]["unit"] if change.cadre in seen else ""
        if unit:
            commits[-1]["units"].add(view.unit_names.get(unit, unit))
        commits[-1]["records"].append(
            {
                "unit": view.unit_names.get(unit, unit),
                "name": change.path
                if other
                else f"{change.cadre}（{change.path}，记录文件已删除）"
                if gone
                else seen[change.cadre]["name"],
                "kind": change.kind,
                "href": "" if gone or other else href(page, profile_path(change.cadre)),
                "fields": change_fields(view, change),
            }
        )
    for commit in commits:
        commit["units"] = " ".join(sorted(commit["units"]))
    return {
        "title": "变更记录",
        "history": history_state(view),
        "commits": commits,
        "limit": CHANGE_LOG_COMMITS,
        "open": OPEN_CHANGES,
    }


# -- statistics and the people behind each figure ---------------------------------------


def _listed(view: View, name: str, row: dict) -> bool:
    """A breakdown row shown with its people page: for a unit's site, not the other units."""
    return view.audience.whole_pool or name != "unit" or row["count"] > 0


def _people_key(name: str, i: int) -> str:
    return f"people/{name}-{i}.md"


LEGEND = (("chief", "正职"), ("deputy", "副职"))  # the two parts of every stacked bar


def statistics_page(view: View, page: str) -> dict:
    stats, whole = view.stats, view.audience.whole_pool
    b = stats["breakdowns"]
    pool = stats["pool"]["count"]

    def rows(name: str, label_of: Callable[[dict], str] | None = None) -> list[dict]:
        return [
            {
                "label": label_of(r) if label_of else r["key"],
                "count": r["count"],
                "href": href(page, _people_key(name, i)),
                "parts": [("chief", r["by_level"]["正职"]), ("deputy", r["by_level"]["副职"])],
            }
            for i, r in enumerate(b[name])
        ]

    def share_row(label: str, name: str, key: str) -> dict:
        i, r = next((i, r) for i, r in enumerate(b[name]) if r["key"] == key)
        return {"label": label, "part": r["count"], "whole": pool, "href": href(page, _people_key(name, i))}

    charts_ = [
        (
            "年龄结构（正职／副职）",
            charts.pyramid(
                "年龄结构",
                [
                    {
                        "label": r["key"],
                        "left": r["by_level"][CHIEF],
                        "right": r["by_level"][DEPUTY],
                        "href": href(page, _people_key("age_band", i)),
                    }
                    for i, r in enumerate(b["age_band"])
                ],
                "正职",
                "副职",
            ),
        ),
        ("学历", charts.bars("学历", [r for r in rows("education") if r["count"]], percent_of=pool, legend=LEGEND)),
        ("熟悉专业", charts.bars("熟悉专业", rows("specialty"), legend=LEGEND)),
        (
            "性别、少数民族、非中共党员",
            charts.shares(
                "性别、民族、党派",
                [
                    share_row("女干部", "sex", FEMALE),
                    share_row("少数民族", "ethnicity", "少数民族"),
                    share_row("非中共党员", "party", "非中共党员"),
                ],
            ),
        ),
        (
            "党校轮训、基层锻炼",
            charts.shares(
                "培训和锻炼",
                [
                    share_row("已参加党校轮训", "training", "已参加党校轮训"),
                    share_row("有基层锻炼经历", "practice", "有基层锻炼经历"),
                ],
            ),
        ),
        ("培养类别", charts.bars("培养类别", rows("track"), legend=LEGEND)),
    ]
    if whole:
        by_unit = charts.bars("各单位人数", rows("unit", lambda r: r["name"]), legend=LEGEND)
        charts_.append(("各单位人数（正职／副职）", by_unit))
    return {
        "title": "结构分析",
        "as_of": dates.dotted(view.as_of.isoformat()),
        "whole_pool": whole,
        "pool": pool,
        "policy": stats["policy"],
        "targets": [
            dict(
                t,
                href=href(page, f"people/{t['id']}.md"),
                parts=[dict(p, href=href(page, f"people/{t['id']}-{j}.md")) for j, p in enumerate(t.get("parts", []))],
            )
            for t in stats["targets"]
        ]
        if whole
        else [],
        "district_figures": whole and any(t["district"] for t in stats["targets"]),
        "charts": [(title, Markup(svg)) for title, svg in charts_],
        "tables": [
            {
                "title": BREAKDOWNS[name],
                "rows": [
                    dict(r, label=r.get("name", r["key"]), href=href(page, _people_key(name, i)))
                    for i, r in enumerate(b[name])
                    if _listed(view, name, r)
                ],
            }
            for name in BREAKDOWNS
            if b[name]
        ],
        "overdue": [dict(_review(r), href=href(page, profile_path(r["id"]))) for r in stats["review_due"]],
        "waivers": [
            dict(w, date=dates.dotted(w["date"]), href=href(page, profile_path(w["id"]))) for w in stats["waivers"]
        ],
    }


def people_pages(view: View) -> dict:
    """A page per figure: the people behind a target, a part of one, or a breakdown row."""
    by_id = {d["id"]: d for d in view.people}
    out = {}

    def add(path: str, title: str, ids: Iterable[str]) -> None:
        people = sorted((by_id[i] for i in ids if i in by_id), key=lambda d: view.order[d["id"]])
        out[path] = (
            "people.md.j2",
            {
                "title": title,
                "back": href(path, "stats.md"),
                "as_of": dates.dotted(view.as_of.isoformat()),
                "rows": [view.row(d, path) for d in people],
            },
        )

    if view.audience.whole_pool:
        for t in view.stats["targets"]:
            add(f"people/{t['id']}.md", f"{t['id']} {t['label']}：{t['figure']}", t["ids"])
            for j, part in enumerate(t.get("parts", [])):
                add(f"people/{t['id']}-{j}.md", f"{t['id']} {t['label']}：{part['key']}", part["ids"])
    for name, title in BREAKDOWNS.items():
        for i, r in enumerate(view.stats["breakdowns"][name]):
            if _listed(view, name, r):
                add(_people_key(name, i), f"{title}：{r.get('name', r['key'])}（{r['count']}人）", r["ids"])
    return out
