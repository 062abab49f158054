"""A built page read as elements: what a test asks of a page, whatever the order of attributes, the classes added
or the spacing the templates write. (Not `html`: the standard library's.)"""

from __future__ import annotations

import re
from html import parser as html_parser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """One element: its tag, attributes, text (its children's too), parent and children, and where it stands in
    the page (`order`: the how-manieth to open; `last`: the order of the last element opened inside it)."""

    def __init__(self, tag: str, attrs: dict, parent: Element | None, order: int) -> None:
        self.tag, self.attrs, self.parent, self.order, self.last = tag, attrs, parent, order, order
        self.children: list[Element] = []
        self.parts: list[str] = []  # its text and its children's, in order
        self.inner = (0, 0)  # its content's offsets in the page's source

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def matches(self, tag: str | None = None, **attrs) -> bool:
        """`class_` is one of its classes; any other attribute is the value given, or matches a compiled regex."""
        if tag is not None and self.tag != tag:
            return False
        for key, want in attrs.items():
            if key == "class_":
                if want not in self.classes:
                    return False
                continue
            value = self.attrs.get(key.rstrip("_"))
            if value is None or (want.fullmatch(value) is None if isinstance(want, re.Pattern) else value != want):
                return False
        return True

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>{self.text[:40]}"


class Reader(html_parser.HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.open[-1] if self.open else None, len(self.elements))
        if element.parent:
            element.parent.children.append(element)
        self.elements.append(element)
        start = self.position() + len(self.get_starttag_text() or "")
        element.inner = (start, start)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):  # <path/> in an svg: opened and closed at once
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.finish(self.open.pop(), self.position())

    def handle_endtag(self, tag):
        if not any(e.tag == tag for e in self.open):
            return  # a stray end tag
        end = self.position()
        while self.open:
            element = self.open.pop()
            self.finish(element, end)
            if element.tag == tag:
                break

    def finish(self, element: Element, end: int) -> None:
        element.last = len(self.elements) - 1
        element.inner = (element.inner[0], end)
        if element.parent:  # its text is its parent's too
            element.parent.parts.append("".join(element.parts))

    def handle_data(self, data):
        if self.open:
            self.open[-1].parts.append(data)


def elements(page: str | list[Element]) -> list[Element]:
    """Every element of a page (or of a part of one, as `section` gives it), in the order they open."""
    if not isinstance(page, str):
        return page
    reader = Reader(page)
    reader.feed(page)
    reader.close()
    while reader.open:  # what the page left open
        reader.finish(reader.open.pop(), len(page))
    return reader.elements


def find(page: str | list[Element], tag: str | None = None, **attrs) -> list[Element]:
    """The elements `tag` with attributes `attrs` (see Element.matches), in page order."""
    return [e for e in elements(page) if e.matches(tag, **attrs)]


def has(page: str | list[Element], tag: str, text: str, **attrs) -> bool:
    """An element `tag` whose text is `text` and whose attributes include `attrs`, in any order."""
    return any(e.text == text for e in find(page, tag, **attrs))


def inside(element: Element, page: list[Element]) -> list[Element]:
    """The elements within `element`."""
    return [e for e in page if element.order < e.order <= element.last]


def section(page: str | list[Element], heading_id: str) -> list[Element]:
    """The elements after the heading with id `heading_id`, up to the next heading of its rank or above: only
    those wholly between the two (not the group that opens the next heading)."""
    found = elements(page)
    heading = next(e for e in found if e.attrs.get("id") == heading_id and re.fullmatch(r"h[1-6]", e.tag))
    ends = [
        e.order
        for e in found
        if e.order > heading.last and re.fullmatch(r"h[1-6]", e.tag) and e.tag <= heading.tag  # h1 < h2 < h3
    ]
    end = min(ends, default=len(found))
    return [e for e in found if heading.last < e.order and e.last < end]


def before(page: str | list[Element], element_id: str) -> list[Element]:
    """The elements wholly before the one with id `element_id`."""
    found = elements(page)
    mark = next(e for e in found if e.attrs.get("id") == element_id)
    return [e for e in found if e.last < mark.order]


def text(part: list[Element], attributes: bool = False) -> str:
    """The text of a part of a page (its outermost elements' texts, one after another); with `attributes`, their
    attributes' values too (titles, links: for checks that something appears nowhere)."""
    orders = {e.order for e in part}
    outermost = [e for e in part if e.parent is None or e.parent.order not in orders]
    words = [e.text for e in outermost]
    if attributes:
        words += [v for e in part for v in e.attrs.values() if v]
    return "\n".join(words)


def rows(page: str | list[Element], table_class: str | None = None) -> list[list[str]]:
    """The cells' texts of each row of the tables with class `table_class` (of every table without one)."""
    found = elements(page)
    tables = find(found, "table", **({"class_": table_class} if table_class else {}))
    return [
        [cell.text for cell in row.children if cell.tag in ("td", "th")]
        for table in tables
        for row in find(inside(table, found), "tr")
    ]


def links(page: str | list[Element]) -> list[tuple[str, str]]:
    """(href, text) of every link."""
    return [(a.attrs["href"], a.text) for a in find(page, "a") if "href" in a.attrs]


class VisibleText(html_parser.HTMLParser):
    """The text a reader sees: no tags, attributes (sort keys, titles), scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def inner_html(page: str, tag: str, **attrs) -> str:
    """The source of the first element `tag` with `attrs`, its tags left out."""
    element = find(page, tag, **attrs)[0]
    return page[element.inner[0] : element.inner[1]]
