"""Annotator: the year a figure refers to.

Read backwards from the figure, in its sentence and then its paragraph: an explicit year
(2024年, 到2027年, 二〇二五年), 今年/去年/明年 (from the document date), or 全年/一年来/这一年 (the year
of the section heading, else the year the document reviews: its own year, or the year before
when it appeared in January–March). 现有/目前 (a stock at publication time) gives no year.
With nothing in the paragraph, the nearest heading with a year decides (一、2023年工作回顾);
without one the period is unknown (None).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from digest.facts import numerals
from digest.facts.state import BlockState

MARKER = re.compile(
    r"(?P<year>(?:19|20)\d{2}|[一二][〇零一二三四五六七八九]{3})\s*年(?!以来|以前|前)|(?P<rel>今年|去年|明年|上年|全年|一年来|这一年|"
    r"过去一年|年内|本年度)|(?P<stock>现有|目前|截至目前|当前)"
)


# MARKER's three alternatives as patterns of their own, each starting with a fixed set of characters
# so that the regex engine skips ahead: :func:`markers` finds the same matches several times faster.
_PARTS = (
    re.compile(
        r"(?P<year>[12一二](?:(?<=1)9\d{2}|(?<=2)0\d{2}|(?<=[一二])[〇零一二三四五六七八九]{3}))\s*年(?!以来|以前|前)"
    ),
    re.compile(r"(?P<rel>今年|去年|明年|上年|全年|一年来|这一年|过去一年|年内|本年度)"),
    re.compile(r"(?P<stock>现有|目前|截至目前|当前)"),
)


def markers(text: str) -> list[re.Match[str]]:
    """``MARKER.finditer(text)``: the leftmost match of any part, then on from its end (at one
    position at most one part matches)."""
    found: list[re.Match[str]] = []
    pos = 0
    ahead = [part.search(text) for part in _PARTS]  # each part's next match
    while True:
        best = None
        for i, m in enumerate(ahead):
            if m is not None and m.start() < pos:  # overlapped by the last one: look again from its end
                m = ahead[i] = _PARTS[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return found
        found.append(best)
        pos = best.end()


def year_of(state: BlockState, m: re.Match[str]) -> int | None:
    ctx = state.ctx
    if m.lastgroup == "year":
        year = m.group("year")
        return int(year) if year.isdigit() else int(numerals.parse_chinese(year) or 0) or None
    if m.lastgroup == "stock":
        return None
    rel = m.group("rel")
    if rel in ("今年", "本年度", "年内"):
        return ctx.heading_year() or ctx.year
    if rel in ("去年", "上年"):
        return ctx.year - 1 if ctx.year else None
    if rel == "明年":
        return ctx.year + 1 if ctx.year else None
    return ctx.heading_year() or ctx.reviewed_year


def rule(state: BlockState) -> None:
    kept = state.kept
    if not kept:
        return
    found = markers(state.text)
    ends = [m.end() for m in found]  # sorted: the markers do not overlap
    for c in kept:
        i = bisect_right(ends, c.start)  # the markers that end before the figure
        if i:
            c.period = year_of(state, found[i - 1])
        else:
            c.period = state.ctx.heading_year()
