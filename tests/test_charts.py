"""The statistics page's SVG charts (generator/site/charts.py), as markup: they scale, and no text leaves them."""

import re

import pytest

from generator.site import charts

from conftest import PROJECT

ROWS = [
    {"label": "区人力资源和社会保障局", "count": 210, "parts": [("chief", 100), ("deputy", 110)], "href": "a.html"},
    {"label": "城建", "count": 3},
]
BANDS = [
    {"label": "48岁及以上", "left": 0, "right": 0},
    {"label": "43–47岁（45岁左右）", "left": 118, "right": 0, "href": "b.html"},
    {"label": "27岁及以下", "left": 5, "right": 264},
]
SHARES = [{"label": "有基层锻炼经历", "part": 196, "whole": 210}, {"label": "女干部", "part": 0, "whole": 0}]
CHARTS = {
    "bars": charts.bars("学历", ROWS, percent_of=210, legend=(("chief", "正职"), ("deputy", "副职"))),
    "pyramid": charts.pyramid("年龄结构", BANDS, "正职", "副职"),
    "shares": charts.shares("性别", SHARES),
}
CSS = (PROJECT / "site_templates/assets/cadres.css").read_text(encoding="utf-8")
TEXT = re.compile(r'<text class="\w+" x="([\d.]+)" y="[\d.]+"(?: text-anchor="(\w+)")?>([^<]*)</text>')


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_scales_to_its_box_with_a_view_box_and_no_size_in_pixels(name):
    """Issue 27: at 390 px the pyramid showed only its 正职 half. The stylesheet sizes the chart (at most its
    viewBox's width, which keeps its text at about 9 px on a 360 px screen)."""
    svg = CHARTS[name]
    tag = svg[: svg.index(">") + 1]
    view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', tag)
    assert view, tag
    assert not re.search(r'\b(?:width|height)="[\d.]+(?:px)?"', tag), tag  # width="100%" only
    rule = re.search(r"svg\.cadres-chart \{[^}]*\}", CSS)[0]
    assert "min-width" not in rule and f"max-width: {view[1]}px" in rule and "height: auto" in rule, rule
    font = float(re.search(r"font-size: ([\d.]+)px", rule)[1])
    assert font * (360 - 32) / float(view[1]) >= 9  # a 360 px phone leaves 328 px for a chart


def width_of(text: str, font: float = 13) -> float:
    """Text's width, generously: a Chinese character, a full-width sign or — is one em, anything else 0.62."""
    return sum(font if ord(c) >= 0x2E80 or c == "—" else font * 0.62 for c in text)


@pytest.mark.parametrize("name", CHARTS)
def test_no_text_of_a_chart_reaches_past_its_view_box(name):
    """The longest figure (210（100.0%）, 196/210（93.3%）) has its room: a figure cut off at the edge was the fault."""
    svg = CHARTS[name]
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg)[1])
    texts = TEXT.findall(svg)
    assert len(texts) >= 4
    for x, anchor, text in texts:
        extent = width_of(text.replace("&amp;", "&"))
        left = float(x) - {"end": extent, "middle": extent / 2}.get(anchor, 0)
        assert left >= 0 and left + extent <= width, (text, left, left + extent, width)


def test_labels_too_long_for_the_chart_are_refused_not_cut():
    with pytest.raises(ValueError):
        charts.bars("x", [{"label": "很长" * 12, "count": 1}])


def test_the_charts_are_shown_but_not_searched(district_site):
    """A chart's labels and figures, and the distribution tables' cells, run together in the search index
    (年龄结构正职副职48岁及以上0043–47岁…, 区委党校101城东街道321…): a search result for the statistics page
    was a wall of numbers. The page keeps them; the index keeps the targets."""
    import json

    _, site = district_site
    page = (site / "zuzhibu/stats.html").read_text(encoding="utf-8")
    charts = re.findall(r"<figure[^>]*>.*?</figure>", page, re.S)
    assert len(charts) >= 7 and all("<svg " in c for c in charts)
    index = json.loads((site / "zuzhibu/search/search_index.json").read_text(encoding="utf-8"))
    text = "".join(d["text"] for d in index["docs"] if d["location"].startswith("stats.html")).replace("\u200b", "")
    assert "结构目标" in text
    for chart in charts:  # its caption and first labels as the index would run them together
        words = [
            *re.findall(r"<figcaption>([^<]+)</figcaption>", chart),
            *re.findall(r"<text[^>]*>([^<]+)</text>", chart),
        ]
        assert "".join(words[:3]) not in text, words[:3]
    assert "分布" in page and "区财政局" in page and "区财政局" not in text  # a unit is found by its people
