"""Filter: ordinals are not quantities — 第一个, 市第三人民医院, 五届三次全会 (a session number)."""

from __future__ import annotations

from digest.facts.state import BlockState


def rule(state: BlockState) -> None:
    text = state.text
    for c in state.kept:
        if c.kind == "rank":
            continue
        before = text[max(0, c.start - 1) : c.start]
        if before == "第":
            c.dropped, c.why = "ordinals", "ordinal (第…)"
        elif before == "届" and c.text.endswith("次"):
            c.dropped, c.why = "ordinals", "session number (…届…次)"
