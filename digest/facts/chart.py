"""A small horizontal bar chart as SVG text, rendered at build time (no script, deterministic)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from digest.escape import html

WIDTH = 720
LABEL_W = 300
BAR_H = 20
GAP = 8
TOP = 8
VALUE_W = 150


@dataclass
class Bar:
    label: str  # e.g. "东湖街道 · 2024"
    value: Decimal
    display: str  # e.g. "12.345 billion yuan"
    href: str = ""  # link to the figure in its document


def _num(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def bar_chart(title: str, bars: list[Bar]) -> str:
    """An SVG bar chart; all text escaped, all numbers fixed to one decimal place."""
    if not bars:
        return ""
    top = max((abs(b.value) for b in bars), default=Decimal(0)) or Decimal(1)
    span = Decimal(WIDTH - LABEL_W - VALUE_W)
    height = TOP * 2 + len(bars) * (BAR_H + GAP)
    out = [
        f'<svg class="dg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{html(title)}">',
        f"<title>{html(title)}</title>",
    ]
    for i, b in enumerate(bars):
        y = TOP + i * (BAR_H + GAP)
        w = max(Decimal(1), abs(b.value) / top * span) if b.value else Decimal(0)
        mid = _num(Decimal(y) + Decimal(BAR_H) / 2)
        row = [
            f'<text class="dg-chart-label" x="{LABEL_W - 8}" y="{mid}" text-anchor="end" '
            f'dominant-baseline="middle">{html(b.label)}</text>',
            f'<rect class="dg-chart-bar" x="{LABEL_W}" y="{y}" width="{_num(w)}" height="{BAR_H}" rx="2"/>',
            f'<text class="dg-chart-value" x="{_num(LABEL_W + w + 6)}" y="{mid}" '
            f'dominant-baseline="middle">{html(b.display)}</text>',
        ]
        if b.href:
            out.append(f'<a href="{html(b.href)}">{"".join(row)}</a>')
        else:
            out.extend(row)
    out.append("</svg>")
    return "".join(out)
