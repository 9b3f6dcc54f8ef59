"""Filter: slogan numbers and formula labels are not measurements.

- inside a name or formula in quotation marks (no sentence punctuation inside) or a title
  《…》: “五大工程12项任务”, “两项机制”, “1名调解员+N名志愿者” (a rank claim in an
  honour's name, “全省营商环境十强”, is kept);
- next to a plus sign: 1+2+1, “1+5”;
- a Chinese-numeral count right after a closing quote that labels the enumeration it follows:
  “东西南”三个片区, “市-区-街”三级;
- 一 + counter is an article, not a count: 一批, 一个个, 一支队伍;
- a Chinese count directly before another figure: 两个100%, 双100%.
"""

from __future__ import annotations

from digest.facts.numerals import CN_CHARS
from digest.facts.state import CLOSE_QUOTES, BlockState

PLUS = "+＋"


def rule(state: BlockState) -> None:
    text = state.text
    for c in state.kept:
        before = text[c.start - 1] if c.start > 0 else "\0"
        after = text[c.end] if c.end < len(text) else "\0"
        if c.kind != "rank" and state.name_quote(c.start, c.end):
            c.dropped, c.why = "formulas", "inside a quoted name or formula"
        elif before in PLUS or after in PLUS or c.text[-1] in PLUS:
            c.dropped, c.why = "formulas", "slogan number (N+N)"
        elif c.numeral == "chinese" and c.kind != "rank" and before in CLOSE_QUOTES:
            c.dropped, c.why = "formulas", "label of the enumeration in quotes before it"
        elif (
            c.numeral == "chinese" and c.kind != "rank" and c.text[:1] == "一" and c.text[1:2] not in CN_CHARS
        ):
            c.dropped, c.why = "formulas", "一 + counter is an article"
        elif c.numeral == "chinese" and c.kind != "rank" and (after.isdigit() or after in "%％"):
            c.dropped, c.why = "formulas", "count of the figure that follows (两个100%)"
