"""MkDocs hooks for the generated sites (the config's `hooks:`): page bodies that are already HTML skip Markdown.

Every page rendered from site_templates/ is one `<div class="cadres-page">`
block of finished, escaped HTML. Python-Markdown would re-parse each of its
tags to find where the raw block ends, which was two thirds of the build
time at 10,000 profiles; these hooks take the block out before Markdown runs
and put it back after. A page that is not such a block is converted as usual
(and strict mode still checks its links).

The theme writes three small scripts inline into every page. The sites'
Content-Security-Policy allows scripts only from the site itself (no
'unsafe-inline'), so `on_post_page` moves each inline script into a file of its
own under assets/inline/ (named by its hash) and loads it from there in the
same place: a classic external script runs where it stands, in order, as the
inline one did. Only the scripts the theme's templates write are moved: each
inline script of the installed Material templates (not of an override) is a
pattern, its template expressions standing for any text without quotes or
markup; an inline script that matches none (a markup bug, a template override)
stops the build, so it never becomes a same-origin file the CSP would run.
`type="application/json"` blocks are data, never run, and stay.

Every build makes a new Jinja2 environment for the theme, so Material's
templates were compiled again for every audience (about half a second each);
`on_env` gives the environment a bytecode cache that lives as long as the
process, so a worker building many audiences compiles them once.

A profile's front matter lists, as `cadres_keywords`, the words search finds it
by that the page does not show (the unit's short names, the given name, the id:
pages.keywords). Material indexes only a page's title and text, and shows the
text in its results, so these words are kept off the page: `on_post_build`
writes them into the search index's own `keywords` field (declared with its
boost in mkdocs.yml, `plugins.search.fields`), which lunr indexes and the
results never show.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import jinja2
import material
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

MARK = '<div class="cadres-page'


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template name and source checksum (a changed template compiles again)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = MemoryBytecodeCache()  # one per process: the builds a worker runs share it


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing only what MkDocs may copy into a site: every file but those under a folder
    whose name begins with a dot, which MkDocs never copies (Material's 14,000 icons under .icons/, loaded by
    name, never listed). An installed package's folder is listed once per process: MkDocs lists the theme for
    every site (40 ms a site before)."""

    def list_templates(self) -> list[str]:
        return sorted({name for folder in self.searchpath for name in _listed(str(folder), self.followlinks)})


def _listed(folder: str, followlinks: bool) -> tuple[str, ...]:
    installed = any(Path(folder).is_relative_to(package) for package in _PACKAGES)
    return _listed_once(folder, followlinks) if installed else _walk(folder, followlinks)


@functools.cache
def _listed_once(folder: str, followlinks: bool) -> tuple[str, ...]:
    return _walk(folder, followlinks)


def _walk(folder: str, followlinks: bool) -> tuple[str, ...]:
    names = []
    for where, folders, files in os.walk(folder, followlinks=followlinks):
        folders[:] = [f for f in folders if not f.startswith(".")]
        inside = Path(where).relative_to(folder).as_posix()
        names += [name if inside == "." else f"{inside}/{name}" for name in files]
    return tuple(names)


_PACKAGES = tuple(str(Path(module.__file__).parent) for module in (material, mkdocs))  # type: ignore[arg-type]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The theme's environment gets ThemeLoader (this build's theme only: a method of its own theme object)."""
    from generator.site import hooks  # noqa: PLC0415 (this very file, as imported once per process: its cache)

    theme = config.theme
    make = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make()
        env.loader = hooks.ThemeLoader(theme.dirs)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]
    return config


def on_env(env: jinja2.Environment, config: object, files: object) -> jinja2.Environment:  # noqa: ARG001 (MkDocs passes a hook's arguments by name)
    # MkDocs executes this file anew for every build; the cache is the one of the module imported once per process
    from generator.site import hooks  # noqa: PLC0415 (this very file, as imported once per process)

    env.bytecode_cache = hooks.COMPILED
    return env


_KEYWORDS: dict[str, str] = {}  # one build's hidden search words, by page URL (the index entry's location)


def on_page_markdown(markdown: str, page: Page, config: object, files: object) -> str:  # noqa: ARG001 (MkDocs passes a hook's arguments by name)
    words = page.meta.get("cadres_keywords")
    if words:
        _KEYWORDS[page.url] = " ".join(str(w) for w in words)
    if markdown.lstrip().startswith(MARK):
        page.meta["cadres_html"] = markdown
        return ""
    return markdown


def on_page_content(html: str, page: Page, config: object, files: object) -> str:  # noqa: ARG001 (MkDocs passes a hook's arguments by name)
    stored = page.meta.pop("cadres_html", None)
    return stored if stored is not None else html


# every script element, however it is spelled (<script >, <SCRIPT>, attributes in any order)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
DATA_TYPES = {"application/json", "application/ld+json"}  # data blocks: never run
# an element with an event handler (onerror=, onload=…), attribute values skipped as a browser reads them, or
# an address that runs script: the theme writes neither, so either on a page was put there
_HANDLER = re.compile(
    r"""<[a-zA-Z][\w:-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*?\s+on[a-zA-Z]+\s*=""", re.S | re.I
)
_ON = re.compile(r"on[a-z]+\s*=")  # in the page's lower-case text: where a handler could begin (after a space)
_SCRIPT_URL = re.compile(r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:""", re.I)
INLINE_DIR = "assets/inline"
_BUNDLE = re.compile(r'<script src="([^"]*?)assets/javascripts/bundle\.')
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# what a template expression inside a theme script renders to: a relative path (base_url: "..", "../.."),
# never an address of another host
_SLOT = "(?!//)[A-Za-z0-9_./-]*"
UNUSED_TEMPLATES = {"redirect.html"}  # the sites have no redirect pages: its script is never theirs


@functools.cache
def theme_scripts(template_dirs: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    """The inline scripts the templates in `template_dirs` write, each a pattern of what it renders to."""
    patterns = set()
    for folder in template_dirs:
        for template in Path(folder).rglob("*.html"):
            if template.name in UNUSED_TEMPLATES:
                continue
            for attributes, body in _SCRIPT.findall(template.read_text(encoding="utf-8")):
                if not attributes.strip():
                    patterns.add(_SLOT.join(re.escape(part) for part in _EXPRESSION.split(body)))
    return tuple(re.compile(p, re.S) for p in sorted(patterns))


class ForeignScript(PluginError):
    """An inline script on a page that no template of the theme writes."""


def external_scripts(html: str, page_url: str, found: dict[str, str], allowed: Sequence[re.Pattern] = ()) -> str:
    """The page with each of the theme's inline scripts replaced by a `<script src>` of a file named by its hash
    (kept in `found`); ForeignScript for any other inline script, an event handler or a `javascript:` address."""

    # the way this page reaches the theme's assets (relative, or from the root on the 404 page), else its URL's
    bundle = _BUNDLE.search(html)
    prefix = bundle[1] if bundle else get_relative_url(".", page_url).rstrip(".")

    def foreign(what: str) -> ForeignScript:
        return ForeignScript(
            f"页面 {page_url} 里有{what}：它可能是被插入的，已停止生成，原网站不变。"
            "请检查 site_templates/ 的模板和模板覆盖"
        )

    def move(match: re.Match) -> str:
        attributes, code = match[1], match[2]
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) or (kind and kind[1].lower() in DATA_TYPES):
            return match[0]  # a file the CSP judges by its address, or data
        if attributes.strip() or not any(pattern.fullmatch(code) for pattern in allowed):
            raise foreign(f"一段不是主题写的内联脚本（{match[0][:60]!r}）")
        name = f"{INLINE_DIR}/{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
        found[name] = code
        return f'<script src="{prefix}{name}"></script>'

    # the two patterns are slow over a whole page (1 ms a page): they run only where the lower-case page holds
    # what each must match (an attribute name is any case: ONERROR= is a handler)
    low = html.lower()
    could = (any(m.start() and low[m.start() - 1].isspace() for m in _ON.finditer(low)), "javascript:" in low)
    for maybe, pattern, what in zip(
        could, (_HANDLER, _SCRIPT_URL), ("一个事件处理属性（on…=）", "一个 javascript: 地址"), strict=True
    ):
        hit = pattern.search(html) if maybe else None
        if hit:
            raise foreign(f"{what}（{hit[0][-60:]!r}）")
    return _SCRIPT.sub(move, html)


_SCRIPTS: dict[str, str] = {}  # one build's moved scripts, written by on_post_build


def _allowed() -> tuple[re.Pattern, ...]:
    """The installed Material's own inline scripts: a template override's are not among them."""
    from generator.site import hooks  # noqa: PLC0415 (the module imported once per process holds the cache: on_env)

    return hooks.theme_scripts((str(Path(material.__file__).parent / "templates"),))


def on_post_page(output: str, page: Page, config: dict) -> str:  # noqa: ARG001 (MkDocs passes a hook's arguments by name)
    return external_scripts(output, page.url, _SCRIPTS, _allowed())


def on_post_template(output: str, template_name: str, config: dict) -> str:  # noqa: ARG001 (MkDocs passes a hook's arguments by name)
    if not template_name.endswith(".html"):
        return output
    return external_scripts(output, template_name, _SCRIPTS, _allowed())


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _glue(text: str, prefixes: set[str]) -> str:
    """`text` (jieba's words joined by zero-width spaces) with every word that begins a name joined to the Chinese
    word beside it: 应\u200b于 becomes 应于."""
    out: list[str] = []
    for word in text.split("\u200b"):
        if out and ((word in prefixes and _han(out[-1][-1:])) or (out[-1] in prefixes and _han(word[:1]))):
            out[-1] += word
        else:
            out.append(word)
    return "\u200b".join(out)


def finish_index(index_file: Path, keywords: dict[str, str], units: Iterable[str] = ()) -> None:
    """The search index as the sites need it.

    Each page's hidden words become its index entry's `keywords` field (the page's first entry: its URL).

    The search box splits a Chinese query at the longest word of the index that it starts with, and keeps only
    that part: with 于 a word anywhere (jieba cuts 应于 so), 于明健 is searched as 于 and finds everyone named 于
    in no order. So no word of the index may be the start of a person's name (the profiles' titles) or of a
    unit's (区委 made 区委党校 a search for 区委): such a word is joined to the word beside it (the text looks the
    same: only zero-width spaces go).
    """
    if not index_file.is_file():  # search is off
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    names = set(units)
    for entry in index["docs"]:
        words = keywords.get(entry["location"])
        if words:
            entry["keywords"] = words
            names.add(entry["title"].replace("\u200b", ""))
    prefixes = {name[:end] for name in names for end in range(1, len(name))}
    for entry in index["docs"]:
        for field in ("title", "text"):
            if "\u200b" in entry.get(field, ""):
                entry[field] = _glue(entry[field], prefixes)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: dict) -> None:
    finish_index(
        Path(config["site_dir"]) / "search" / "search_index.json", _KEYWORDS, config["extra"].get("cadres_units", ())
    )
    _KEYWORDS.clear()
    for name, code in _SCRIPTS.items():
        path = Path(config["site_dir"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    _SCRIPTS.clear()
