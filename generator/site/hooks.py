"""MkDocs hooks for the generated sites (the config's `hooks:`): page bodies that are already HTML skip Markdown.

Every page rendered from site_templates/ is one `<div class="cadres-page">`
block of finished, escaped HTML. Python-Markdown would re-parse each of its
tags to find where the raw block ends, which was two thirds of the build
time at 10,000 profiles; these hooks take the block out before Markdown runs
and put it back after. A page that is not such a block is converted as usual
(and strict mode still checks its links).
"""

from __future__ import annotations

from mkdocs.structure.pages import Page

MARK = '<div class="cadres-page'


def on_page_markdown(markdown: str, page: Page, config: object, files: object) -> str:
    if markdown.lstrip().startswith(MARK):
        page.meta["cadres_html"] = markdown
        return ""
    return markdown


def on_page_content(html: str, page: Page, config: object, files: object) -> str:
    stored = page.meta.pop("cadres_html", None)
    return stored if stored is not None else html
