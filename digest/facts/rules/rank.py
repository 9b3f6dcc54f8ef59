"""Scanner: rank claims — 全区第一, 全国首家, 华南地区第一个, 全球第三, 全市前50名, 十强, 年度十大, 入选首批.

The value is the rank (首/第一 = 1, 第三 = 3); top-N claims (十强, 前50名, 年度十大) give N.
A scope (全区/全市/全国/全球 … or a place from the gazetteer) is part of the figure text,
except for N强 and N大, whose text is the minimal rank phrase.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from digest.facts import numerals
from digest.facts.state import BlockState, Candidate

GENERIC_SCOPES = "全世界|全球|世界|全国|国内|全省|省内|全市|市内|全区|区内|全街道|全网|业内|同行业|亚洲"
FIRST_COUNTERS = "家|个|座|所|条|例|场|批|项|位|名|台|款|部|支|推|创|发|单|套|只|辆|栋|张|处"
NOT_RANK_AFTER = "届代期轮号阶季版人"
NUM = rf"\d+|{numerals.RE_CN}"


DIGIT = rf"[\d{numerals.CN_CHARS}]"  # the first character of a NUM
Patterns = tuple[re.Pattern[str], list[tuple[str, re.Pattern[str], re.Pattern[str]]]]


@lru_cache(maxsize=8)
def _patterns(places: tuple[str, ...]) -> Patterns:
    """(any hint, [(name, hint, pattern)]). Every match of a pattern contains a match of its hint (首家,
    前50, 十强 …): a paragraph without the hint cannot match, so the pattern is not run on it. Most
    paragraphs claim no rank, and one search for any hint finds them quickly (each hint starts with a
    fixed character, so the regex engine skips ahead)."""
    scope = "|".join([GENERIC_SCOPES, *(re.escape(p) for p in places)])
    scope = rf"(?:{scope})(?:地区|范围内)?"
    patterns = [
        (
            "first",
            rf"首(?:{FIRST_COUNTERS})|第[一二三四五六七八九十\d]",
            rf"(?P<t>{scope}(?P<r>首(?:{FIRST_COUNTERS})|第(?P<n>[一二三四五六七八九十]+|\d+)"
            rf"(?:{FIRST_COUNTERS})?))(?![{NOT_RANK_AFTER}])",
        ),
        (
            "top",
            rf"前{DIGIT}",
            rf"(?:(?P<s>{scope})|(?<=进入|跻身|位列|排名|名列)|(?<=居))(?P<t2>前(?P<n>{NUM})(?:名|位|强)?)",
        ),
        ("strong", rf"强(?<={DIGIT}强)", rf"(?<![{numerals.CN_CHARS}\d])(?P<t>(?P<n>{NUM})强)"),
        ("annual", rf"年度{DIGIT}", rf"(?<=年度)(?P<t>(?P<n>{NUM})(?:大|佳))"),
        ("batch", "首批", r"(?<=入选|成为|获评|列入|跻身|获批|评为|纳入)(?P<t>首批)"),
        ("head", "之首|首位|榜首", r"(?:居|位居|位列|名列)[^，,。；;！？]{0,12}?(?P<t>之首|首位|榜首)"),
    ]
    any_hint = re.compile("|".join(hint for _, hint, _ in patterns))
    return any_hint, [(name, re.compile(hint), re.compile(pattern)) for name, hint, pattern in patterns]


_last: tuple[tuple[str, ...], Patterns] | None = None


def _patterns_of(places: tuple[str, ...]) -> Patterns:
    """:func:`_patterns` for this gazetteer, without hashing its names again for every paragraph."""
    global _last
    if _last is None or _last[0] is not places:
        _last = (places, _patterns(places))
    return _last[1]


def _value(n: str | None) -> Decimal:
    """The rank's number; 0 (no rank) when the characters matched are no numeral (亿一〇)."""
    if not n:
        return Decimal(1)
    value = numerals.parse(n) if n.isdigit() else numerals.parse_chinese(n)
    return value if value is not None else Decimal(0)


def rule(state: BlockState) -> None:
    text = state.text
    any_hint, patterns = _patterns_of(state.env.places.surfaces())
    if not any_hint.search(text):
        return
    for name, hint, pattern in patterns:
        if not hint.search(text):
            continue
        for m in pattern.finditer(text):
            if name == "top":  # the scope, when there is one, belongs to the figure: 全市前50名
                start = m.start("s") if m.group("s") is not None else m.start("t2")
                end = m.end("t2")
            else:
                start, end = m.start("t"), m.end("t")
            n = m.groupdict().get("n")
            if name == "first" and m.group("r").startswith("首"):
                n = None  # 首家, 首个 …
            value = _value(n)
            if value > 0:
                numeral = "chinese" if n and not n.isdigit() else "arabic"
                figure = state.block.text[start:end]
                state.add(Candidate(start, end, figure, value, "rank", "rank", rule="rank", numeral=numeral))
