"""Numbers as Chinese documents write them: Arabic, Chinese and mixed (2.5万余家).

Every value is a :class:`decimal.Decimal`, so 123.45亿 is exactly 12345000000 and
never 12344999999.99.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import lru_cache

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10**4, "亿": 10**8}
CN_CHARS = "".join(DIGITS) + "".join(SMALL) + "".join(BIG)
RE_CN = f"[{CN_CHARS}]+"
RE_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALES = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}
RE_SCALE = "万亿|千万|百万|亿|万|千"


@lru_cache(maxsize=4096)
def parse_chinese(text: str) -> Decimal | None:
    """``三`` → 3, ``十二`` → 12, ``两百五十`` → 250, ``一万二千`` → 12000, ``二〇二五`` → 2025.

    Returns None when ``text`` is not a well-formed numeral.
    """
    if not text or any(c not in CN_CHARS for c in text):
        return None
    if len(text) > 1 and all(c in DIGITS for c in text):  # digit by digit, as in years: 二〇二五
        return Decimal("".join(str(DIGITS[c]) for c in text))
    total = Decimal(0)  # finished 亿/万 groups
    section = Decimal(0)  # the group being read
    number: int | None = None  # the digit waiting for its unit
    for c in text:
        if c in DIGITS:
            if number is not None and number != 0:
                return None  # two digits in a row: 三四
            number = DIGITS[c]
        elif c in SMALL:
            section += (number if number is not None else 1) * SMALL[c]
            number = None
        else:  # 万 / 亿
            section += number or 0
            number = None
            if section == 0 and total == 0:
                section = Decimal(1)  # 万 alone
            if BIG[c] == 10**8:
                total = (total + section) * BIG[c]
            else:
                total += section * BIG[c]
            section = Decimal(0)
    return total + section + (number or 0)


def parse_arabic(text: str) -> Decimal:
    """``1,423`` → 1423; ``５.５`` (full-width) → 5.5."""
    return Decimal(unicodedata.normalize("NFKC", text).replace(",", ""))


def parse(number: str, scale: str = "") -> Decimal:
    """A number as written (Arabic or Chinese) times its 万/亿 scale."""
    value = parse_chinese(number)
    if value is None:
        value = parse_arabic(number)
    if scale:
        value *= SCALES[scale]
    return value


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent: 12345000000.00 → 12345000000, 6.280 → 6.28."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return Decimal(plain(value))


def plain(value: Decimal) -> str:
    """The shortest exact decimal text: 12345000000, 5.5, 0.5 (never an exponent)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
