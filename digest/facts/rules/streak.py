"""Scanner: streaks — 连续5年超额完成任务 is a count (5).

When the streak leads to a rank claim in the same clause (连续三年蝉联“…十强”, 连续两年总量
全区第一) it qualifies that rank (qualifier 连续三年) instead of being a figure of its own.
"""

from __future__ import annotations

import re

from digest.facts import numerals
from digest.facts.state import BlockState, Candidate

STREAK = re.compile(rf"连续(?P<t>(?P<n>\d+|[{numerals.CN_CHARS}]+)(?P<u>年|届|次))")


def rule(state: BlockState) -> None:
    for m in STREAK.finditer(state.text):
        value = (
            numerals.parse(m.group("n")) if m.group("n").isdigit() else numerals.parse_chinese(m.group("n"))
        )
        if not value:
            continue
        clause_end = state.clause_end(m.end())
        ranks = [c for c in state.candidates if c.kind == "rank" and m.end() <= c.start < clause_end]
        if ranks:
            ranks[0].qualifiers.append(state.block.text[m.start() : m.end()])
            continue
        start, end = m.start("t"), m.end("t")
        state.add(
            Candidate(
                start,
                end,
                state.block.text[start:end],
                value,
                "count",
                "count",
                rule="streak",
                numeral="arabic" if m.group("n").isdigit() else "chinese",
            )
        )
