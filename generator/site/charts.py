"""Charts as inline SVG, made at build time: no script, no external file, readable in print.

Colours come from CSS classes (site_templates/assets/cadres.css) so the light
and dark schemes and the print stylesheet decide them. Every bar can link to
the page listing its people. Text is escaped here: these functions return
finished markup.
"""

from __future__ import annotations

from html import escape

ROW, LABEL, BAR, GAP = 22, 150, 360, 6


def _svg(title: str, width: float, height: float) -> str:
    return (
        f'<svg class="cadres-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def _label(y: float, text: object) -> str:
    """A row's label, right-aligned before the bars."""
    return f'<text class="label" x="{LABEL - 8}" y="{y + 14}" text-anchor="end">{escape(str(text))}</text>'


def _a(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def bars(title: str, rows: list[dict], *, percent_of: int | None = None, legend: tuple = ()) -> str:
    """Horizontal bars, one row each: {label, count, href?, parts?: [(class, count)]}.

    With `parts` a bar is stacked (正职 / 副职) and `legend` names the parts: ((class, text), …);
    `percent_of` adds the share to the figure.
    """
    top = max([r["count"] for r in rows] + [1])
    height = ROW * len(rows) + 28 + (ROW if legend else 0)
    width = LABEL + BAR + 90
    out = [_svg(title, width, height)]
    for i, row in enumerate(rows):
        y = 8 + i * ROW
        out.append(_label(y, row["label"]))
        x = LABEL
        for cls, count in row.get("parts") or [("bar", row["count"])]:
            w = BAR * count / top
            if w:
                out.append(f'<rect class="{cls}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - GAP}"/>')
            x += w
        figure = str(row["count"])
        if percent_of:
            figure += f"（{row['count'] / percent_of:.1%}）"
        out.append(_a(row.get("href"), f'<text class="figure" x="{x + 6:.1f}" y="{y + 14}">{escape(figure)}</text>'))
    x, y = LABEL, 8 + len(rows) * ROW + 8
    for cls, text in legend:
        out.append(f'<rect class="{cls}" x="{x}" y="{y + 3}" width="12" height="12"/>')
        out.append(f'<text class="label" x="{x + 18}" y="{y + 14}">{escape(text)}</text>')
        x += 18 + 16 * len(text) + 24
    out.append("</svg>")
    return "".join(out)


def pyramid(title: str, rows: list[dict], left: str, right: str) -> str:
    """An age pyramid: {label, left, right, href?} per band, youngest at the bottom, `left` level to the left.
    The band's label sits between the bars (`gap` on each side), each figure beside its bar."""
    top = max([max(r["left"], r["right"]) for r in rows] + [1])
    half, gap = 180, 92
    mid = 44 + half + gap  # room for the figure beside the longest bar
    height = ROW * len(rows) + 40
    out = [
        _svg(title, mid * 2, height),
        f'<text class="label" x="{mid - gap}" y="14" text-anchor="end">{escape(left)}</text>',
        f'<text class="label" x="{mid + gap}" y="14">{escape(right)}</text>',
    ]
    for i, row in enumerate(reversed(rows)):
        y = 22 + i * ROW
        lw, rw = half * row["left"] / top, half * row["right"] / top
        out.append(f'<rect class="chief" x="{mid - gap - lw:.1f}" y="{y}" width="{lw:.1f}" height="{ROW - GAP}"/>')
        out.append(f'<rect class="deputy" x="{mid + gap:.1f}" y="{y}" width="{rw:.1f}" height="{ROW - GAP}"/>')
        out.append(
            _a(
                row.get("href"),
                f'<text class="label" x="{mid}" y="{y + 14}" text-anchor="middle">{escape(row["label"])}</text>',
            )
        )
        left_x = mid - gap - lw - 6
        out.append(f'<text class="figure" x="{left_x:.1f}" y="{y + 14}" text-anchor="end">{row["left"]}</text>')
        out.append(f'<text class="figure" x="{mid + gap + rw + 6:.1f}" y="{y + 14}">{row["right"]}</text>')
    out.append("</svg>")
    return "".join(out)


def shares(title: str, rows: list[dict]) -> str:
    """100% bars: {label, part, whole, href?}: the part filled, the figure as 'part/whole（share）'."""
    height = ROW * len(rows) + 16
    width = LABEL + BAR + 130
    out = [_svg(title, width, height)]
    for i, row in enumerate(rows):
        y = 8 + i * ROW
        w = BAR * row["part"] / row["whole"] if row["whole"] else 0
        share = f"{row['part'] / row['whole']:.1%}" if row["whole"] else "—"
        out.append(_label(y, row["label"]))
        out.append(f'<rect class="track" x="{LABEL}" y="{y}" width="{BAR}" height="{ROW - GAP}"/>')
        if w:
            out.append(f'<rect class="bar" x="{LABEL}" y="{y}" width="{w:.1f}" height="{ROW - GAP}"/>')
        out.append(
            _a(
                row.get("href"),
                f'<text class="figure" x="{LABEL + BAR + 6}" y="{y + 14}">'
                f"{row['part']}/{row['whole']}（{share}）</text>",
            )
        )
    out.append("</svg>")
    return "".join(out)
