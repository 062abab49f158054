"""MkDocs hooks for the generated sites (the config's `hooks:`): page bodies that are already HTML skip Markdown.

Every page rendered from site_templates/ is one `<div class="cadres-page">`
block of finished, escaped HTML. Python-Markdown would re-parse each of its
tags to find where the raw block ends, which was two thirds of the build
time at 10,000 profiles; these hooks take the block out before Markdown runs
and put it back after. A page that is not such a block is converted as usual
(and strict mode still checks its links).

Every build makes a new Jinja2 environment for the theme, so Material's
templates were compiled again for every audience (about half a second each);
`on_env` gives the environment a bytecode cache that lives as long as the
process, so a worker building many audiences compiles them once.
"""

from __future__ import annotations

import jinja2
from mkdocs.structure.pages import Page

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


def on_env(env: jinja2.Environment, config: object, files: object) -> jinja2.Environment:
    # MkDocs executes this file anew for every build; the cache is the one of the module imported once per process
    from generator.site import hooks

    env.bytecode_cache = hooks.COMPILED
    return env


def on_page_markdown(markdown: str, page: Page, config: object, files: object) -> str:
    if markdown.lstrip().startswith(MARK):
        page.meta["cadres_html"] = markdown
        return ""
    return markdown


def on_page_content(html: str, page: Page, config: object, files: object) -> str:
    stored = page.meta.pop("cadres_html", None)
    return stored if stored is not None else html
