"""Annotator: the kind of figure — amount, count, ratio, change or rank.

- rank claims stay ranks;
- a figure directly after a change verb (同比增长, 下降, 增长两倍 …) is a change; a level reached
  (提升至95%, 增至320家, 达到98%) is not;
- percentages and 成 are ratios (完成率215%, 近八成); percentage points are changes;
- a per-head figure (每千人床位数达6.5张) is a ratio, whatever its counter;
- otherwise the unit decides: money, area, length → amount; counters → count.
"""

from __future__ import annotations

from digest.facts.rules.qualifiers import CHANGE
from digest.facts.state import BlockState


def rule(state: BlockState) -> None:
    text = state.text
    for c in state.kept:
        if c.kind == "rank":
            continue
        if c.unit == "pp" or set(c.qualifiers) & CHANGE:
            c.kind = "change"
        elif (
            c.unit in ("percent", "times")
            or c.metric.startswith("每")
            or text.startswith("每", state.clause_start(c.start), c.start)
        ):
            c.kind = "ratio"
