"""Figures in English: 12345000000 CNY → "12.345 billion yuan", qualifiers included."""

from __future__ import annotations

from decimal import Decimal

from digest.facts.model import Fact
from digest.facts.numerals import plain

BEFORE = {"超": "over", "突破": "over", "近": "nearly", "约": "about", "不到": "under"}
KIND_NAMES = {"amount": "amount", "count": "count", "ratio": "ratio", "change": "change", "rank": "rank"}
KIND_ZH = {"amount": "数额", "count": "数量", "ratio": "比率", "change": "变化", "rank": "排名"}


def grouped(value: Decimal) -> str:
    """1423 → 1,423; 6.28 → 6.28 (exact, no rounding)."""
    text = plain(value)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + (f".{frac}" if frac else "")


_CNY_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_FORMATS = {
    "m2": "{} m²",
    "km2": "{} km²",
    "ha": "{} ha",
    "mu": "{} mu",
    "km": "{} km",
    "m": "{} m",
    "t": "{} t",
    "percent": "{}%",
    "pp": "{} percentage points",
    "times": "{} times",
    "count": "{}",
}


def number(value: Decimal, unit: str) -> str:
    """The value with its unit, scaled for reading (exact digits kept)."""
    if unit == "CNY":
        for size, word in _CNY_SCALES:
            if abs(value) >= size:
                return f"{plain(value / size)} {word} yuan"
        return f"{grouped(value)} yuan"
    return _FORMATS.get(unit, "{} " + unit).format(grouped(value))


def value(fact: Fact) -> str:
    """The figure in English: "over 30.5 billion yuan", "up 5.5% year on year", "No. 1", "top 10"."""
    if fact.unit == "rank":
        n = plain(fact.value)
        top = any(ch in fact.text for ch in "强大佳前") and fact.value > 1
        core = f"top {n}" if top else ("first" if fact.value == 1 else f"No. {n}")
    else:
        core = number(fact.value, fact.unit)
        if fact.value_max is not None:
            core = f"{number(fact.value, fact.unit)} to {number(fact.value_max, fact.unit)}"
    q = fact.qualifiers
    if not q:
        return core
    words = [BEFORE[x] for x in q if x in BEFORE][:1]
    if "余" in q and not words:
        core = core + "+" if fact.unit in ("count",) else "more than " + core
    if "同比增长" in q or "增长" in q:
        words.insert(0, "up")
    elif "同比下降" in q or "下降" in q:
        words.insert(0, "down")
    elif "提升至" in q or "增至" in q:
        words.insert(0, "rose to")
    elif "降至" in q:
        words.insert(0, "fell to")
    text = " ".join([*words, core])
    if "同比增长" in q or "同比下降" in q:
        text += " year on year"
    if "累计" in q:
        text += " (cumulative)"
    return text
