"""The built sites, read as their readers would: the HTML of every audience's build of the demo."""

import json
import re

import pytest
from pages import before, elements, find, has, inner_html, inside, links, rows, section, text, visible_text
from plainyaml import yaml_of

from generator.analysis import strokes
from generator.analysis.stats import statistics
from generator.registry.files import load_registry
from generator.serving.audit import any_of  # a prefix-factored regex: hundreds of names at once

from conftest import AS_OF_DATE, DISTRICT, raw_records

RECORDS = {d["id"]: d for d in raw_records()}
UNITS = yaml_of((DISTRICT / "registry/units.yaml").read_text(encoding="utf-8"))["units"]


def sees(audience: str, data: dict) -> bool:
    """Who sees whom, as registry/audiences.yaml says it (written out again here, independently)."""
    status, level, unit = data["reserve"]["status"], data["reserve"]["level"], data["employment"]["unit"]
    if audience == "zuzhibu":
        return True
    if audience == "changwei":
        return status != "关注"
    return unit == audience.removeprefix("unit-") and level == "副职" and status in ("推荐", "考察", "在库")


AUDIENCES = ["zuzhibu", "changwei"] + [f"unit-{u['id']}" for u in UNITS]


def read(site, audience, page):
    return (site / audience / page).read_text(encoding="utf-8")


def body(html: str) -> str:
    """The page's own content, without the theme's navigation."""
    return inner_html(html, "article", class_="md-content__inner")


def test_every_audience_has_its_site(district_site):
    _, site = district_site
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == sorted(AUDIENCES)
    for audience in AUDIENCES:
        for page in (
            "index.html",
            "roster/unit.html",
            "stats.html",
            "404.html",
            "search/search_index.json",
            "sitemap.xml",
        ):
            assert (site / audience / page).is_file(), (audience, page)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_site_has_exactly_the_profiles_its_audience_may_see(district_site, audience):
    _, site = district_site
    expected = sorted(cid for cid, data in RECORDS.items() if sees(audience, data))
    assert sorted(p.stem for p in (site / audience / "profiles").glob("*.html")) == expected


def test_nothing_of_anyone_else_appears_anywhere_in_a_build(district_site):
    """Every file of every build, scanned for the names, ids and ID numbers of people outside its audience."""
    import hashlib

    from generator.serving.audit import theme_files

    _, site = district_site
    theme = theme_files()  # a file byte for byte the theme's own cannot hold anyone (and is 2.5 MB a site)
    for audience in AUDIENCES:
        inside = [d for d in RECORDS.values() if sees(audience, d)]
        texts = [d["name"] for d in inside] + [d["employment"]["post"] for d in inside]
        outside = [d for d in RECORDS.values() if not sees(audience, d)]
        names = [d["name"] for d in outside if not any(d["name"] in t for t in texts)]
        marks = names + [d["id"] for d in outside] + [d["id_number"] for d in outside]
        if not marks:
            continue  # sees everyone
        pattern = any_of(marks)
        for path in (site / audience).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js", ".css", ".txt"):
                raw = path.read_bytes()
                if hashlib.blake2b(raw, digest_size=16).digest() in theme:
                    continue
                found = pattern.search(raw.decode("utf-8", errors="replace"))
                assert not found, f"{audience}: {found and found[0]} in {path.relative_to(site)}"


def test_sensitive_fields_only_where_the_audience_may_see_them(district_site):
    _, site = district_site
    person = RECORDS["cai-0001"]
    assert person["id_number"] in read(site, "zuzhibu", "profiles/cai-0001.html")
    assert person["phone"] in read(site, "zuzhibu", "profiles/cai-0001.html")
    for audience in AUDIENCES[1:]:
        for path in (site / audience).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert "身份证号" not in text and person["id_number"] not in text, path


def test_a_profile_shows_the_record(district_site):
    _, site = district_site
    person = RECORDS["cai-0001"]
    html = body(read(site, "changwei", "profiles/cai-0001.html"))
    age = AS_OF_DATE.year - int(person["birth"][:4]) - (AS_OF_DATE.month < int(person["birth"][5:]))
    assert has(html, "td", f"{person['birth'].replace('-', '.')}（{age}岁）")
    assert has(html, "h1", person["name"])
    first = person["resume"][0]
    assert has(html, "p", f"{first['from'].replace('-', '.')}--{first['to'].replace('-', '.')}\u3000{first['post']}")
    assert has(html, "td", "区财政局", colspan="3") and has(html, "td", person["employment"]["post"], colspan="4")
    for title in (
        "干部简要情况",
        "民主推荐",
        "民主测评",
        "年度考核",
        "考察情况和培养方案",
        "理论培训",
        "实践锻炼",
        "奖惩情况",
        "变更记录",
    ):
        assert any(e.text == title and re.fullmatch(r"h[1-6]", e.tag) for e in elements(html)), title
    edit = "https://git.example.intranet/zuzhibu/cadres/-/edit/main/registry/cadres/caizheng/cai-0001.yaml"
    assert edit not in html  # leaders read (edits: false); the org department edits
    assert edit in (href for href, _ in links(read(site, "zuzhibu", "profiles/cai-0001.html")))
    assert "身份证号" not in html


def test_a_waived_rule_shows_on_the_profile_and_the_home_page(district_site):
    _, site = district_site
    waived = next(d for d in RECORDS.values() if d.get("exceptions"))
    profile = body(read(site, "zuzhibu", f"profiles/{waived['id']}.html"))
    waivers = next(h for h in find(profile, "h2") if h.text == "例外批准")
    assert "R04：" in text(section(profile, waivers.attrs["id"]))
    assert waived["name"] in (name for _, name in links(body(read(site, "zuzhibu", "index.html"))))


def test_a_units_roster_lists_exactly_its_visible_people_in_stroke_order(district_site):
    _, site = district_site
    html = body(read(site, "unit-caizheng", "roster/unit.html"))
    listed = [name for href, name in links(html) if re.fullmatch(r"\.\./profiles/[a-z0-9-]+\.html", href)]
    expected = [d["name"] for d in RECORDS.values() if sees("unit-caizheng", d)]
    assert listed == sorted(expected, key=strokes.name_key)
    starts = [e.text for e in elements(html)]
    assert any(t.startswith("区财政局（") for t in starts) and not any(t.startswith("区委办公室（") for t in starts)


def roster_rows(group):
    """(name, 类别) of each row of a roster table: its linked name, and its 类别 cell."""
    found = []
    for row in find(group, "tr"):
        cells = [cell for cell in row.children if cell.tag == "td"]
        names = [a.text for cell in cells if cell.matches(class_="name") for a in cell.children if a.matches("a")]
        kinds = [cell.text for cell in cells if cell.text in ("正职后备", "副职后备")]
        if names and kinds:
            found.append((names[0], kinds[0]))
    return found


def group_headings(html):
    """(heading, count) of each group of a roster: 区财政局（3人：…）."""
    return [re.match(r"([^（]+)（(\d+)人", h.text).groups() for h in find(html, "h2", id=re.compile(r"g\d+"))]


def test_the_org_roster_is_the_pool_by_unit_in_official_order_chiefs_first_and_by_strokes_within(district_site):
    root, site = district_site
    html = body(read(site, "zuzhibu", "roster/unit.html"))
    headings = group_headings(html)
    assert [h for h, _ in headings] == [u["name"] for u in sorted(UNITS, key=lambda u: u["order"])]
    by_unit = {r["name"]: r["count"] for r in statistics(load_registry(root), AS_OF_DATE)["breakdowns"]["unit"]}
    assert {h: int(n) for h, n in headings} == by_unit  # every count on the page is the statistics' count
    assert sum(by_unit.values()) == 34
    for heading in find(html, "h2"):
        rows = roster_rows(section(html, heading.attrs["id"]))
        assert [kind for _, kind in rows] == sorted((kind for _, kind in rows), key=["正职后备", "副职后备"].index)
        for kind in ("正职后备", "副职后备"):
            names = [name for name, k in rows if k == kind]
            assert names == sorted(names, key=strokes.name_key)
    pool = {d["name"] for d in RECORDS.values() if d["reserve"]["status"] == "在库"}
    assert {name for name, _ in roster_rows(html)} == pool  # nobody else: candidates and leavers have their page


def test_a_units_roster_says_what_the_site_holds(district_site):
    _, site = district_site
    html = body(read(site, "unit-caizheng", "roster/unit.html"))
    assert (
        "本站只含区财政局的副职后备干部（推荐、考察、在库）；本单位的正职后备由区委组织部管理，不在本站显示；"
        "不含个人证件号码和联系方式。" in visible_text(html)
    )
    assert "正职 0" not in html
    others = body(read(site, "unit-caizheng", "roster/others.html"))
    assert [h for h, _ in group_headings(others)] == ["推荐", "考察"]


def test_statistics_page_shows_what_the_policy_engine_computed(district_site):
    root, site = district_site
    stats = statistics(load_registry(root), AS_OF_DATE)
    html = body(read(site, "zuzhibu", "stats.html"))
    page = elements(html)
    for t in stats["targets"]:
        (row,) = find(page, "tr", id=t["id"])
        cells = [cell.text for cell in row.children]
        assert t["figure"] in [a.text for a in find(inside(row, page), "a")], t["id"]
        assert f"{t['numerator']}/{t['denominator']}" in cells, t["id"]
        assert ("met" if t["met"] else "missed") in row.classes and ("missed" if t["met"] else "met") not in row.classes
    assert len(find(page, "svg")) >= 7
    assert "2026年 4/34（11.8%，未满一年）" in text(
        page
    )  # the year of the as-of date is not over: said as the text output says it
    t13 = json.loads(json.dumps(next(t for t in stats["targets"] if t["id"] == "T13")))
    people = body(read(site, "zuzhibu", "people/T13.html"))
    listed = [re.fullmatch(r"(?:\.\./)?profiles/([a-z0-9-]+)\.html", href) for href, _ in links(people)]
    assert sorted(m[1] for m in listed if m) == sorted(t13["ids"])


def test_a_units_statistics_are_its_own_and_show_no_pool_wide_figures(district_site):
    _, site = district_site
    html = body(read(site, "unit-caizheng", "stats.html"))
    own = sum(1 for d in RECORDS.values() if sees("unit-caizheng", d) and d["reserve"]["status"] == "在库")
    assert f"在库 {own} 人" in visible_text(html)
    assert not any(h.text == "结构目标" for h in find(html, "h2")) and "T01" not in html and "区委办公室" not in html


def test_candidates_are_for_the_org_department_and_leaders_and_tracked_talent_for_the_org_department(district_site):
    """The 人选方案 as the 常委会 reads it (issue 22): the inspected candidates put to it, the exits with their
    reasons, those only recommended apart and never counted, a sheet per inspected candidate, the structure
    before and after; the 调整充实 page and the home page's notice for the org department."""
    _, site = district_site
    candidates = [d for d in RECORDS.values() if d["reserve"]["status"] in ("推荐", "考察")]
    inspected = [d for d in candidates if d["reserve"]["status"] == "考察"]
    nominated = [d for d in candidates if d["reserve"]["status"] == "推荐"]
    html = body(read(site, "changwei", "candidates.html"))
    page = elements(html)
    assert len(find(page, "section", class_="cadres-candidate")) == len(inspected)  # the sheets of those put to it
    assert has(page, "h2", f"一、提请区委常委会研究列入的人选（{len(inspected)}人）", id="考察")
    assert has(page, "h2", f"三、尚未考察的人选（{len(nominated)}人）", id="推荐")
    assert [h.attrs.get("id") for h in find(page, "h2")][-5:] == ["考察", "exits", "推荐", "structure", "sheets"]
    put, exits, waiting = section(page, "考察"), section(page, "exits"), section(page, "推荐")
    names = lambda part: {a.text for cell in find(part, "td", class_="name") for a in cell.children if a.tag == "a"}  # noqa: E731
    assert names(put) == {d["name"] for d in inspected}
    assert names(waiting) == {d["name"] for d in nominated}
    assert names(exits) == {RECORDS[i]["name"] for i in ("zfb-0001", "fag-0001", "jia-0003", "xia-0004")}
    assert "正职后备，现年 46 岁，超过 45 岁" in text(exits) and "2025年度为「不称职」" in text(exits)
    assert [h.text.split("（")[0] for h in find(put, "h3")] == ["正职后备人选", "副职后备人选"]
    pool = sum(d["reserve"]["status"] == "在库" and "exit" not in d["reserve"] for d in RECORDS.values())
    after = pool - 4 + len(inspected)  # the 推荐 never counted: 33, not 35
    assert f"在库 {pool} 人 → {after} 人" in text(page) and after == 33
    assert len(rows(section(page, "structure"))) - 1 == 16  # every target, before and after
    sheets = section(page, "sheets")
    for label in ("民主推荐", "民主测评", "近三年年度考核", "考察意见", "简历"):
        assert sum(th.text == label for th in find(sheets, "th")) == len(inspected), label
    assert any(cell.text.endswith("（在职）") for cell in find(put, "td"))  # a degree gained in service is marked
    tracked = [d for d in RECORDS.values() if d["reserve"]["status"] == "关注"]
    assert all(d["name"] in read(site, "zuzhibu", "tracked.html") for d in tracked)
    # 跟踪了解 (issue 24, point 9): by category, with each person's dated observations, the newest first
    page = body(read(site, "zuzhibu", "tracked.html"))
    assert has(page, "h2", f"“柔性”交流人员（{len(tracked)}人）") and has(page, "h2", "招考录用人员（0人）")
    log = section(page, "log")
    assert len(find(log, "h3")) == len(tracked)
    entries = [li.text for li in find(log, "li")]
    assert entries.index(next(e for e in entries if e.startswith("2026.09：参与重点项目攻坚"))) < entries.index(
        next(e for e in entries if e.startswith("2026.03：在交流岗位上熟悉情况快"))
    )
    assert not any(
        "参与重点项目攻坚" in p.read_text(encoding="utf-8")
        for p in (site / "changwei").rglob("*.*")
        if p.suffix in (".html", ".json")
    )
    assert not (site / "changwei" / "tracked.html").exists()
    assert not (site / "unit-caizheng" / "candidates.html").exists()
    # the org department's working page, and the notice while the round is open
    assert (site / "zuzhibu" / "round.html").exists() and not (site / "changwei" / "round.html").exists()
    plan = body(read(site, "zuzhibu", "round.html"))
    assert "依据：七、建立后备干部动态管理制度" in visible_text(plan) and "无正职后备" in visible_text(plan)
    notice = "调整充实进行中：建议列入 3 人、出库 4 人（在库 34 人 → 33 人）"
    assert notice in visible_text(read(site, "zuzhibu", "index.html"))
    assert "调整充实方案" not in body(read(site, "changwei", "index.html"))  # leaders: the 人选方案 only
    assert "调整充实进行中" not in read(site, "unit-caizheng", "index.html")


def test_the_exit_lists_show_when_and_why(district_site):
    _, site = district_site
    html = body(read(site, "zuzhibu", "roster/others.html"))
    rows_ = rows(html)
    assert (
        sum(1 for r in rows_ if "出库时间" in r and r[r.index("出库时间") + 1] == "出库原因") == 2
    )  # 已使用, 调整出库
    left = [d for d in RECORDS.values() if d["reserve"]["status"] in ("已使用", "调整出库")]
    for d in left:
        exit_ = d["reserve"]["exit"]
        when = exit_["date"].replace("-", ".")
        assert any(r[i : i + 2] == [when, exit_["reason"]] for r in rows_ for i in range(len(r))), d["id"]


def test_profiles_are_out_of_the_navigation(district_site):
    _, site = district_site
    nav = primary_nav(read(site, "zuzhibu", "index.html"))
    everything = text(nav, attributes=True)  # its links, titles and text
    assert "profiles/" not in everything and "people/" not in everything and "roster/unit.html" in everything
    assert "人选方案" in text(nav) and "结构分析" in text(nav)


def test_search_finds_a_full_name_as_one_word(district_site):
    _, site = district_site
    index = json.loads(read(site, "zuzhibu", "search/search_index.json"))
    three = next(d for d in RECORDS.values() if len(d["name"]) == 3 and d["reserve"]["status"] == "在库")
    doc = next(doc for doc in index["docs"] if doc["location"] == f"profiles/{three['id']}.html")
    assert doc["title"] == three["name"] and doc["text"].startswith(three["name"] + "\u200b")
    assert three["id_number"] not in json.dumps(index, ensure_ascii=False)  # the archive is not indexed
    assert not any(doc["location"].startswith(("roster/", "people/")) for doc in index["docs"])


def test_search_indexes_a_units_short_names_and_shows_none_of_the_hidden_words(district_site):
    """Issue 27: 卫健委 found nothing, and a result showed the hidden line with a short name cut out of the full
    one (单位：委组织部). The short names are the unit's `aliases`, in a field of the index that no result shows."""
    _, site = district_site
    index = json.loads(read(site, "zuzhibu", "search/search_index.json"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    aliases = {u["id"]: u["aliases"] for u in UNITS}
    assert index["config"]["fields"]["keywords"]["boost"] > index["config"]["fields"]["text"]["boost"]
    for cadre_id, data in RECORDS.items():
        doc = docs[f"profiles/{cadre_id}.html"]
        words = doc["keywords"].split(" ")
        assert set(aliases[data["employment"]["unit"]]) <= set(words), cadre_id
        assert data["employment"]["post"] in doc["text"].replace("\u200b", ""), cadre_id  # the post as written
        assert "：" not in doc["text"] and data["id"] not in doc["text"], doc["text"]  # no hidden line in the text
    assert "区卫健委" in docs["profiles/wei-0011.html"]["keywords"].split(" ")
    assert "委组织部" not in json.dumps(index, ensure_ascii=False).replace("区委组织部", "")
    assert "cadres-keywords" not in read(site, "zuzhibu", "profiles/zuz-0007.html")


def test_no_word_of_the_search_index_begins_a_persons_or_units_name(district_site):
    """The search box cuts a Chinese query at the longest word of the index it starts with: with 孟 a word (the
    surname once indexed alone), 孟敏霞 was searched as 孟 and came fourth among the 孟s; 于 (jieba's 应于) and 高
    did the same to 于明健 and 高超. A unit without reserves, named on the statistics page alone, was cut into
    区/科学技术/局, and 区财政局 was searched as 区."""
    _, site = district_site
    for audience in ("zuzhibu", "unit-caizheng"):
        index = json.loads(read(site, audience, "search/search_index.json"))
        separator = re.compile(index["config"]["separator"])
        words = {
            word.lower()
            for doc in index["docs"]
            for field in ("title", "text", "keywords")
            for word in separator.split(re.sub(r"</?\w+>", " ", doc.get(field, "")))
        }
        names = [d["name"] for d in RECORDS.values() if sees(audience, d)] + [u["name"] for u in UNITS]
        assert names
        own = {u["name"]: set(u.get("aliases", [])) for u in UNITS}  # 区政府办 begins 区政府办公室 and finds its people
        starts = {
            name: [name[:end] for end in range(1, len(name)) if name[:end] in words - own.get(name, set())]
            for name in names
        }
        assert {name: found for name, found in starts.items() if found} == {}, audience


def test_nothing_is_loaded_from_outside(district_site):
    _, site = district_site
    outside = re.compile(r"\s*(?:https?:)?//", re.I)
    for path in (site / "zuzhibu").rglob("*.html"):
        for e in find(path.read_text(encoding="utf-8")):
            if e.tag in ("script", "img", "link", "iframe", "source"):
                assert not any(outside.match(e.attrs.get(a) or "") for a in ("src", "href")), (path, e)
    css = (site / "zuzhibu" / "assets" / "cadres.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_no_raw_yaml_is_copied(district_site):
    _, site = district_site
    for path in site.rglob("*"):
        assert path.suffix not in (".yaml", ".yml"), path
        if path.suffix in (".html", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "political_status:" not in text and "id_number:" not in text, path


@pytest.mark.parametrize("audience", ["zuzhibu", "changwei", "unit-caizheng"])
def test_every_internal_link_and_anchor_leads_somewhere(district_site, audience):
    """Page bodies are raw HTML, which MkDocs' strict mode does not check: follow every link of the site."""
    from urllib.parse import unquote, urlsplit

    site = district_site[1] / audience
    ids: dict = {}

    def anchors(page):
        if page not in ids:
            found = elements(page.read_text(encoding="utf-8"))
            ids[page] = {e.attrs[a] for e in found for a in ("id", "name") if e.attrs.get(a)}
        return ids[page]

    broken, followed = [], 0
    # 404.html is left out: MkDocs writes its links from the server root (/index.html), which is wrong for a
    # site served under /<audience>/; the site issue (#16) replaces the 404 page.
    for page in sorted(p for p in site.rglob("*.html") if p.name != "404.html"):
        for href, _ in links(page.read_text(encoding="utf-8")):  # the parser unescapes &amp;
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            followed += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors(target):
                broken.append(f"{page.relative_to(site)} → {href}（锚点不存在）")
    assert followed > 100
    assert broken == [], "\n".join(broken)


def test_every_roster_by_unit_shows_the_units_leadership_posts_beside_its_reserves(district_site):
    """Issue 27: the clerk of a unit needs its 班子职数 beside its reserves, on its home page and its 名册; a unit's
    site counts only the levels it sees (its 正职后备 are the org department's, never shown as none)."""
    _, site = district_site
    org = read(site, "zuzhibu", "roster/unit.html")
    unit = next(u for u in UNITS if u["id"] == "caizheng")
    in_pool = [
        d for d in RECORDS.values() if d["employment"]["unit"] == "caizheng" and d["reserve"]["status"] == "在库"
    ]
    chiefs = sum(d["reserve"]["level"] == "正职" for d in in_pool)
    posts = f"班子职数 正职{unit['leadership']['chief']}名、副职{unit['leadership']['deputy']}名"
    assert f"{posts}；在库后备 正职{chiefs}名、副职{len(in_pool) - chiefs}名" in text(elements(org))
    assert chiefs  # the unit's site below leaves out someone to leave out
    for page in ("index.html", "roster/unit.html"):
        own = body(read(site, "unit-caizheng", page))
        assert any(e.text.endswith(f"{posts}；在库后备 副职{len(in_pool) - chiefs}名") for e in find(own, "p")), page
        assert "正职后备由区委组织部管理" in visible_text(own) and "后备 正职" not in own, page
    assert "班子职数" not in body(read(site, "zuzhibu", "index.html"))  # the whole district's home: per unit, no


def primary_nav(html: str):
    """The elements of the site's navigation (the theme's primary nav)."""
    page = elements(html)
    (nav,) = find(page, "nav", class_="md-nav--primary")
    return [nav, *inside(nav, page)]


def nav_labels(html: str) -> dict[str, str]:
    """{page: label} of the 名册 section of the site's navigation."""
    return {
        re.fullmatch(r"(?:\.\./)?(roster/[a-z]+\.html)", a.attrs["href"])[1]: span.text
        for a in find(primary_nav(html), "a", class_="md-nav__link")
        if re.fullmatch(r"(?:\.\./)?roster/[a-z]+\.html", a.attrs.get("href", ""))
        for span in a.children
        if span.matches("span", class_="md-ellipsis")
    }


def test_a_units_site_offers_only_the_roster_views_that_differ_for_its_people(district_site):
    """Issue 27: five views of the same three people. One unit needs no 按单位 groups nor a second copy of its one
    table (筛选和排序), and a site that sees one level (副职) no 按层级; the whole district keeps every view."""
    _, site = district_site
    own = site / "unit-caizheng"
    assert sorted(p.name for p in (own / "roster").glob("*.html")) == ["others.html", "track.html", "unit.html"]
    assert nav_labels(read(site, "unit-caizheng", "index.html")) == {
        "roster/unit.html": "本单位名册",
        "roster/track.html": "按培养类别",
        "roster/others.html": "候选人员",
    }
    assert nav_labels(read(site, "zuzhibu", "index.html")) == {
        "roster/unit.html": "按单位",
        "roster/all.html": "筛选和排序",
        "roster/level.html": "按层级",
        "roster/track.html": "按培养类别",
        "roster/others.html": "候选和出库人员",
    }
    roster = body(read(site, "unit-caizheng", "roster/unit.html"))
    assert has(roster, "h1", "区财政局（本单位）·蜀山区科级后备干部名册") and not find(roster, class_="cadres-toc")
    see = [a for a in find(roster, "a", href="others.html") if a.text == "候选人员"]
    assert see and "见候选人员" in see[0].parent.text and "已出库" not in roster
    help_ = body(read(site, "unit-caizheng", "help.html"))
    assert "在库的后备干部，本单位名册、按培养类别；" in visible_text(help_) and "按层级" not in help_


def test_the_404_page_is_in_chinese(district_site):
    _, site = district_site
    html = read(site, "unit-caizheng", "404.html")
    assert has(html, "h1", "没有这个页面") and "Not found" not in html


def test_each_site_explains_its_statuses_pages_and_codes(district_site):
    _, site = district_site
    for audience in ("zuzhibu", "changwei", "unit-caizheng"):
        html = body(read(site, audience, "help.html"))
        codes = [row.attrs.get("id") for row in find(html, "tr", id=re.compile(r"[RT]\d\d"))]
        assert [c for c in codes if c[0] == "R"] == [f"R{i:02d}" for i in range(1, 13)], audience
        assert [c for c in codes if c[0] == "T"] == [f"T{i:02d}" for i in range(1, 17)], audience
        seen = visible_text(html)
        assert "科级副职后备干部须任科员级职务2年以上。" in seen and "把后备干部全部轮训一遍" in seen
    assert has(read(site, "zuzhibu", "help.html"), "td", "关注", class_="nowrap")
    assert "关注" not in text(before(body(read(site, "unit-caizheng", "help.html")), "pages"), attributes=True)
    home = body(read(site, "zuzhibu", "index.html"))
    assert has(home, "a", "R04", href="help.html#R04", title="科级副职后备干部……并有单位中层岗位工作经历。")


def test_the_level_and_track_rosters_count_the_pool_as_the_statistics_do(district_site):
    root, site = district_site
    stats = statistics(load_registry(root), AS_OF_DATE)["breakdowns"]
    for page, key in (("roster/level.html", "level"), ("roster/track.html", "track")):
        headings = group_headings(body(read(site, "zuzhibu", page)))
        assert {h: int(n) for h, n in headings} == {r["key"]: r["count"] for r in stats[key]}, page
    assert group_headings(body(read(site, "zuzhibu", "roster/level.html"))) == [
        ("正职", "16"),
        ("副职", "18"),
    ]


def test_only_audiences_that_edit_see_file_paths_and_edit_links(district_site):
    """Issue 27: leaders read; the YAML path and the 修改记录文件 link are tool details for those who keep records."""
    _, site = district_site
    org = read(site, "zuzhibu", "profiles/cai-0001.html")
    leaders = read(site, "changwei", "profiles/cai-0001.html")
    assert "记录文件：registry/cadres/caizheng/cai-0001.yaml" in visible_text(org)
    assert "registry/cadres" not in body(leaders) and "修改记录文件" not in leaders


def test_every_site_names_the_district_and_its_audience(district_site):
    """Issue 27: the org department's whole-district site and the 区委组织部's own unit site looked identical."""
    _, site = district_site
    titles = {}
    for audience in ("zuzhibu", "unit-zuzhi", "changwei"):
        html = read(site, audience, "index.html")
        titles[audience] = find(html, "title")[0].text
        assert "蜀山区科级后备干部名册" in titles[audience], titles[audience]
    assert "区委组织部（全区）" in titles["zuzhibu"] and "区委组织部（本单位）" in titles["unit-zuzhi"]
    assert len(set(titles.values())) == 3


def test_every_page_writes_a_date_one_way(district_site):
    """Issue 27: dates were written 2025-09, 2025.09 and 2025年9月 on the same site; a page writes 2025.09 for a month
    and 2025.09.18 for a day. Not dates: a year (2025年度), a file's name (registry/decisions/2025-12-18.yaml), and
    the policy's own citation as policy.yaml quotes it (（2012年7月23日）). (The sites built here have no git history:
    their 变更记录 pages are empty and left out here.)"""
    root, site = district_site
    source = yaml_of((root / "registry/policy.yaml").read_text(encoding="utf-8"))["source"]
    iso = re.compile(r"\d{4}-\d{1,2}|\d{4}/\d{1,2}|\d{4}年\d{1,2}月")
    dotted = re.compile(r"\b\d{4}\.\d{2}(?:\.\d{2})?\b")
    pages = {
        "zuzhibu": ["index.html", "stats.html", "candidates.html", "round.html", "tracked.html",
                    "help.html", "roster/unit.html", "roster/others.html", "people/T15.html", "profiles/cai-0001.html"],
        "unit-caizheng": ["index.html", "roster/unit.html", "profiles/cai-0005.html"],
    }  # fmt: skip
    for audience, paths in pages.items():
        for path in paths:
            text = visible_text(body(read(site, audience, path)))
            text = re.sub(r"registry/\S+\.yaml", "", text.replace(source, ""))
            assert iso.findall(text) == [], (audience, path)
            assert path == "help.html" or dotted.search(text), (audience, path)  # dates there, written one way
    home = visible_text(body(read(site, "zuzhibu", "index.html")))
    assert re.search(r"上次 \d{4}\.\d{2}\.\d{2}，应于 \d{4}\.\d{2}\.\d{2} 前调整", home)
