"""Filter: a figure glued to a letter code is part of the code — 12栋B2类房屋 (B2类), A8版, GX07.

Codes, model names, phone numbers and dates without a counter after them (4G, PM2.5,
0755-28331234, 2025-02-24) are never read as figures in the first place (rules/quantity.py).
"""

from __future__ import annotations

from digest.facts.state import BlockState


def rule(state: BlockState) -> None:
    text = state.text
    for c in state.kept:
        if c.numeral != "arabic" or c.kind == "rank":
            continue
        before = text[c.start - 1] if c.start > 0 else "\0"
        after = text[c.end] if c.end < len(text) else "\0"
        if (before.isascii() and before.isalpha()) or (
            c.text[-1].isdigit() and after.isascii() and after.isalpha()
        ):
            c.dropped, c.why = "codes", "part of a code or model name"
