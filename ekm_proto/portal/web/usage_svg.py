"""The overview's "Monthly Usage History" as inline SVG, drawn server-side (no JavaScript): mono
and colour pages per month, stacked, from ``reports.meters_by_month``."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 12, 28, 48
MONO, COLOUR = "#4d4d4d", "#2a9df4"


def _nice_top(value: int) -> int:
    """A round axis maximum (1, 2 or 5 times a power of ten) at or above ``value``."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def usage_svg(rows: Sequence[dict[str, Any]], title: str) -> str:
    """One ``<svg>`` element; every bar has a ``<title>`` (the month and its pages)."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    top = _nice_top(max([r["mono_pages"] + r["colour_pages"] for r in rows] + [1]))
    slot = plot_w / max(len(rows), 1)
    bar = max(2.0, slot * 0.7)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="usage-chart" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}">',
             f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14">'
             f'{escape(title)}</text>']
    for fraction in (0, 0.5, 1):
        y = _TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" '
                     'stroke="#ccc"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{round(top * fraction):,}</text>')
    for i, row in enumerate(rows):
        x = _LEFT + i * slot + (slot - bar) / 2
        mono_h = plot_h * row["mono_pages"] / top
        colour_h = plot_h * row["colour_pages"] / top
        base = _TOP + plot_h
        tip = (f'{row["month"]}: {row["mono_pages"]:,} mono, {row["colour_pages"]:,} colour '
               "pages")
        parts.append(f'<g class="bar" data-month="{escape(row["month"])}" '
                     f'data-mono="{row["mono_pages"]}" data-colour="{row["colour_pages"]}">'
                     f"<title>{escape(tip)}</title>"
                     f'<rect x="{x:.1f}" y="{base - mono_h:.1f}" width="{bar:.1f}" '
                     f'height="{mono_h:.1f}" fill="{MONO}"/>'
                     f'<rect x="{x:.1f}" y="{base - mono_h - colour_h:.1f}" width="{bar:.1f}" '
                     f'height="{colour_h:.1f}" fill="{COLOUR}"/></g>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - _BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11">{escape(row["month"])}</text>')
    parts.append(f'<rect x="{_LEFT}" y="{HEIGHT - 18}" width="10" height="10" fill="{MONO}"/>'
                 f'<text x="{_LEFT + 14}" y="{HEIGHT - 9}" font-size="11">Mono</text>'
                 f'<rect x="{_LEFT + 60}" y="{HEIGHT - 18}" width="10" height="10" '
                 f'fill="{COLOUR}"/><text x="{_LEFT + 74}" y="{HEIGHT - 9}" '
                 'font-size="11">Colour</text></svg>')
    return "".join(parts)
