"""Scanner: numbers with a unit or counter — 123.45亿元, 12.3万平方米, 2.5万余家, 5.5%, 两所, 三倍, 近八成,
上千名, 3-5个 (ranges), and bare 亿/万 when the clause is about money (突破300亿大关).

A number with no unit is not a fact (years, dates, codes and names have none: 2024年, 12月14日,
10号线, 75周年, 二〇二五年). Chinese numerals need a counter; 成 (tenths, 八成 = 80%) only
follows a Chinese numeral; a bare 百/千/万 only counts after 上/近/约/数/超/逾 (上千名).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from digest.facts import numerals
from digest.facts.state import BlockState, Candidate
from digest.facts.units import BY_SURFACE, MONEY_WORDS, RE_UNIT

A = numerals.RE_ARABIC
SCALE = numerals.RE_SCALE
RANGE_SEP = "-—–~～至到"
# A number starts at a digit not preceded by 0-9 or "." or "0-9,". The pattern begins with the digit
# (the lookbehinds are checked after it) so that the regex engine skips ahead to the next digit: the
# same matches as (?<![0-9.])(?<![0-9],)(?P<num>{A}), several times faster.
A_START = r"\d(?<![0-9.]\d)(?<![0-9],\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
ARABIC = re.compile(
    rf"(?P<num>{A_START})(?P<u1>%|％)?(?:(?P<sep>[{RANGE_SEP}])(?P<num2>{A}))?"
    rf"(?P<scale>{SCALE})?(?P<approx>余|多)?(?P<scale2>万|亿)?(?P<unit>{RE_UNIT})?"
)
ARABIC_GROUPS = ("num", "u1", "sep", "num2", "scale", "approx", "scale2", "unit")  # m.groups(), in order
assert tuple(ARABIC.groupindex) == ARABIC_GROUPS and ARABIC.groups == len(ARABIC_GROUPS)
CN_UNITS = "|".join(s for s in BY_SURFACE if s not in ("%", "％", "个百分点", "百分点"))
PRE = "上近约数超逾"  # 上千, 近八成, 约三成, 数百, 超万, 逾千
# What it finds is (?P<pre>[PRE])?(?P<num>{RE_CN})(?P<approx>余|多)?(?P<unit>…). The pattern starts
# with a numeral character, so that the regex engine skips ahead to the next one (several times faster),
# and :func:`chinese` puts the optional 上/近/… before it back.
CHINESE_NUM = re.compile(
    rf"(?P<num>[{numerals.CN_CHARS}][{numerals.CN_CHARS}]*)(?P<approx>余|多)?(?P<unit>{CN_UNITS})"
)
assert tuple(CHINESE_NUM.groupindex) == ("num", "approx", "unit") and CHINESE_NUM.groups == 3
CHENG_NOT_AFTER = set("为立功效果本员长熟型交就绩都片了体套群批色")
ROUND = set("十百千亿万")  # numeral characters (tens … hundred-millions)


def _money_context(state: BlockState, start: int) -> bool:
    clause = state.text[state.clause_start(start) : start]
    return any(w in clause for w in MONEY_WORDS)


def chinese(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """(pre, match) for each Chinese numeral with a counter, as ``finditer`` would find them with the
    optional pre-word in the pattern: ``pre`` is the 上/近/… just before the numeral, unless the previous
    figure ends after it."""
    last_end = 0
    for m in CHINESE_NUM.finditer(text):
        start = m.start()
        pre = text[start - 1] if start - 1 >= last_end and text[start - 1] in PRE else ""
        last_end = m.end()
        yield pre, m


@lru_cache(maxsize=8192)
def _arabic_value(num: str, unit_s: str, scale: str, scale2: str) -> Decimal:
    """The value of an Arabic number with its unit ("" = yuan) and 万/亿 scales (exact, tidied)."""
    factor = BY_SURFACE[unit_s].factor if unit_s else Decimal(1)
    mult = factor * (numerals.SCALES[scale] if scale else 1) * (numerals.SCALES[scale2] if scale2 else 1)
    return numerals.tidy(numerals.parse_arabic(num) * mult)


def rule(state: BlockState) -> None:
    text, shown = state.text, state.block.text
    for m in ARABIC.finditer(text):
        num, u1, sep, num2, scale, approx, scale2, unit_s = m.groups()  # ARABIC_GROUPS
        scale = scale or ""
        scale2 = scale2 or ""
        if sep and not unit_s and not u1:
            continue  # 2024-2025 without a unit: dates, codes
        if sep and u1 and unit_s not in ("%", "％"):
            continue  # 20%-30 …: only 20%-30% is a range
        end = m.end()
        if unit_s is None:
            if u1 and not sep:
                unit_s = u1
            elif (scale in ("亿", "万亿", "万") or scale2) and _money_context(state, m.start()):
                unit_s = ""  # bare 亿/万 of money
            else:
                continue
        if unit_s == "成":
            continue  # tenths only after Chinese numerals
        if unit_s:
            unit = BY_SURFACE[unit_s]
            u_code, kind = unit.unit, unit.kind
        else:
            u_code, kind = "CNY", "amount"
            end = m.end("approx") if approx else m.end("scale2") if scale2 else m.end("scale")
        if sep and not num2:
            continue
        start = m.start()
        value_max = _arabic_value(num2, unit_s, scale, scale2) if num2 else None
        value = _arabic_value(num, unit_s, scale, scale2)
        state.add(Candidate(start, end, shown[start:end], value, u_code, kind, "quantity", value_max))
    for pre, m in chinese(text):
        num, _, unit_s = m.groups()  # num, approx, unit
        parsed = numerals.parse_chinese(num)
        if parsed is None or parsed == 0:
            continue
        value = parsed
        if len(num) == 1 and num in ROUND and not pre:
            continue  # 万家, 千色, 百师: idioms and names, not counts
        end = m.end()
        if unit_s == "成":
            if end < len(text) and text[end] in CHENG_NOT_AFTER:
                continue  # 两成为, 三成立 …: 成 is a verb here
            if value >= 10 and num != "十":
                continue
        start = m.start()
        unit = BY_SURFACE[unit_s]
        value = numerals.tidy(value * unit.factor)
        state.add(Candidate(start, end, shown[start:end], value, unit.unit, unit.kind, "quantity", None, "chinese"))
