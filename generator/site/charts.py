"""Charts as inline SVG, made at build time: no script, no external file, readable in print.

Colours come from CSS classes (site_templates/assets/cadres.css) so the light
and dark schemes and the print stylesheet decide them. Every bar can link to
the page listing its people. Text is escaped here: these functions return
finished markup.

Every chart is WIDTH units wide in its viewBox and has no size of its own: the
stylesheet draws it at the width of its box, at most WIDTH pixels, with the
height that keeps its proportions. WIDTH is small enough that on a 360 px
phone (about 328 px of chart) the 13-unit text is still about 9 px; the
columns are laid out from the widths of the labels and figures they hold
(`text_width`, an estimate a little on the wide side), so no text is cut off.
"""

from __future__ import annotations

from html import escape

WIDTH = 460  # the viewBox's width: the CSS's max-width of svg.cadres-chart (cadres.css)
FONT = 13  # the text's size in viewBox units (cadres.css: svg.cadres-chart font-size)
ROW, GAP, PAD = 22, 6, 6  # a row's height, the space between bars, the space between a bar and its text
MIN_BAR = 120  # the bars' least room: longer labels than that leave for is a layout error


def text_width(text: str) -> float:
    """The width of `text` at FONT: a Chinese character or full-width sign (and — in a Chinese font) is one em,
    anything else at most 0.62."""
    return sum(FONT if ord(c) >= 0x2E80 or c in "—…" else FONT * 0.62 for c in text)


def _svg(title: str, height: float) -> str:
    return (
        f'<svg class="cadres-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def _a(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def _columns(labels: list[str], figures: list[str]) -> tuple[float, float]:
    """(where the bars start, their full length): the widest label before them, the widest figure after."""
    start = max([text_width(t) for t in labels] + [0]) + 2 * PAD
    room = max([text_width(t) for t in figures] + [0]) + 2 * PAD
    length = WIDTH - start - room
    if length < MIN_BAR:
        raise ValueError(f"chart labels too long for {WIDTH} units: {max(labels, key=text_width)}")
    return start, length


def _label(start: float, y: float, text: object) -> str:
    """A row's label, right-aligned before the bars."""
    return f'<text class="label" x="{start - PAD:.1f}" y="{y + 14}" text-anchor="end">{escape(str(text))}</text>'


def bars(title: str, rows: list[dict], *, percent_of: int | None = None, legend: tuple = ()) -> str:
    """Horizontal bars, one row each: {label, count, href?, parts?: [(class, count)]}.

    With `parts` a bar is stacked (正职 / 副职) and `legend` names the parts: ((class, text), …);
    `percent_of` adds the share to the figure.
    """
    top = max([r["count"] for r in rows] + [1])
    height = ROW * len(rows) + 28 + (ROW if legend else 0)
    figures = [str(r["count"]) + (f"（{r['count'] / percent_of:.1%}）" if percent_of else "") for r in rows]
    start, length = _columns([str(r["label"]) for r in rows], figures)
    out = [_svg(title, height)]
    for i, (row, figure) in enumerate(zip(rows, figures, strict=True)):
        y = 8 + i * ROW
        out.append(_label(start, y, row["label"]))
        x = start
        for cls, count in row.get("parts") or [("bar", row["count"])]:
            w = length * count / top
            if w:
                out.append(f'<rect class="{cls}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - GAP}"/>')
            x += w
        out.append(_a(row.get("href"), f'<text class="figure" x="{x + PAD:.1f}" y="{y + 14}">{escape(figure)}</text>'))
    x, y = start, 8 + len(rows) * ROW + 8
    for cls, text in legend:
        out.append(f'<rect class="{cls}" x="{x:.1f}" y="{y + 3}" width="12" height="12"/>')
        out.append(f'<text class="label" x="{x + 18:.1f}" y="{y + 14}">{escape(text)}</text>')
        x += 18 + text_width(text) + 24
    out.append("</svg>")
    return "".join(out)


def pyramid(title: str, rows: list[dict], left: str, right: str) -> str:
    """An age pyramid: {label, left, right, href?} per band, youngest at the bottom, `left` level to the left.
    The band's label sits between the bars (`gap` on each side), each figure beside its bar."""
    top = max([max(r["left"], r["right"]) for r in rows] + [1])
    mid = WIDTH / 2
    gap = max([text_width(str(r["label"])) for r in rows] + [text_width(left), text_width(right)]) / 2 + PAD
    room = max([text_width(str(r[side])) for r in rows for side in ("left", "right")] + [0]) + 2 * PAD
    half = mid - gap - room  # the longest bar, with its figure beside it, ends at the edge
    if half < MIN_BAR / 2:
        raise ValueError(f"age band labels too long for {WIDTH} units")
    height = ROW * len(rows) + 44
    out = [
        _svg(title, height),
        f'<text class="label" x="{mid - gap:.1f}" y="18" text-anchor="end">{escape(left)}</text>',
        f'<text class="label" x="{mid + gap:.1f}" y="18">{escape(right)}</text>',
    ]
    for i, row in enumerate(reversed(rows)):
        y = 26 + i * ROW
        lw, rw = half * row["left"] / top, half * row["right"] / top
        out.append(f'<rect class="chief" x="{mid - gap - lw:.1f}" y="{y}" width="{lw:.1f}" height="{ROW - GAP}"/>')
        out.append(f'<rect class="deputy" x="{mid + gap:.1f}" y="{y}" width="{rw:.1f}" height="{ROW - GAP}"/>')
        out.append(
            _a(
                row.get("href"),
                f'<text class="label" x="{mid:.1f}" y="{y + 14}" text-anchor="middle">{escape(row["label"])}</text>',
            )
        )
        left_x = mid - gap - lw - PAD
        out.append(f'<text class="figure" x="{left_x:.1f}" y="{y + 14}" text-anchor="end">{row["left"]}</text>')
        out.append(f'<text class="figure" x="{mid + gap + rw + PAD:.1f}" y="{y + 14}">{row["right"]}</text>')
    out.append("</svg>")
    return "".join(out)


def shares(title: str, rows: list[dict]) -> str:
    """100% bars: {label, part, whole, href?}: the part filled, the figure as 'part/whole（share）'."""
    height = ROW * len(rows) + 16
    figures = [
        f"{r['part']}/{r['whole']}（{r['part'] / r['whole']:.1%}）" if r["whole"] else f"{r['part']}/{r['whole']}（—）"
        for r in rows
    ]
    start, length = _columns([str(r["label"]) for r in rows], figures)
    out = [_svg(title, height)]
    for i, (row, figure) in enumerate(zip(rows, figures, strict=True)):
        y = 8 + i * ROW
        w = length * row["part"] / row["whole"] if row["whole"] else 0
        out.append(_label(start, y, row["label"]))
        out.append(f'<rect class="track" x="{start:.1f}" y="{y}" width="{length:.1f}" height="{ROW - GAP}"/>')
        if w:
            out.append(f'<rect class="bar" x="{start:.1f}" y="{y}" width="{w:.1f}" height="{ROW - GAP}"/>')
        out.append(
            _a(
                row.get("href"),
                f'<text class="figure" x="{start + length + PAD:.1f}" y="{y + 14}">{escape(figure)}</text>',
            )
        )
    out.append("</svg>")
    return "".join(out)
