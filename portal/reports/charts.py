"""Charts drawn on the server as SVG: every figure is a real ``<text>``, no JavaScript."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 260
BAR_WIDTH = 300


def bar_chart(title: str, items: Sequence[tuple[str, float]], unit: str = "") -> Markup:
    """Horizontal bars, each with its label and its value written beside it."""
    height = BAR_HEIGHT * max(len(items), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 80
    top = max((value for _, value in items), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for row, (label, value) in enumerate(items):
        y = 4 + row * BAR_HEIGHT
        length = round(BAR_WIDTH * value / top)
        shown = f"{value:g}{unit}"
        parts += [
            f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + 15}" '
            f'text-anchor="end">{escape(label)}</text>',
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" '
            f'height="{BAR_HEIGHT - 6}"></rect>',
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6}" y="{y + 15}">'
            f"{escape(shown)}</text>",
        ]
    if not items:
        parts.append('<text class="chart-label" x="4" y="18">Nothing to show yet</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped
