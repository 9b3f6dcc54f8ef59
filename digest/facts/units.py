"""Units and counters: what follows a number, what it normalises to, what kind of figure it makes.

General Chinese usage only (no knowledge of any document). Longer surfaces are tried
first, so 万平方米 wins over 平方米 and 家次 over 家.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    surface: str  # as written after the number
    unit: str  # normalised unit code (see UNIT_NAMES)
    factor: Decimal  # multiply the written number by this
    kind: str  # default kind: amount | count | ratio | change


UNIT_NAMES = {
    "CNY": "yuan (renminbi)",
    "m2": "square metres",
    "km2": "square kilometres",
    "ha": "hectares",
    "mu": "mu (Chinese acre, 1/15 ha)",
    "km": "kilometres",
    "m": "metres",
    "t": "tonnes",
    "count": "count (items, people, times …)",
    "percent": "per cent",
    "pp": "percentage points",
    "times": "times (multiple)",
    "rank": "rank (1 = first; top-N claims give N)",
}

_D = Decimal
_UNITS: list[Unit] = [
    # money
    Unit("万亿元", "CNY", _D(10) ** 12, "amount"),
    Unit("亿元", "CNY", _D(10) ** 8, "amount"),
    Unit("万元", "CNY", _D(10) ** 4, "amount"),
    Unit("元", "CNY", _D(1), "amount"),
    # area, length, mass
    Unit("万平方米", "m2", _D(10) ** 4, "amount"),
    Unit("平方公里", "km2", _D(1), "amount"),
    Unit("平方千米", "km2", _D(1), "amount"),
    Unit("平方米", "m2", _D(1), "amount"),
    Unit("㎡", "m2", _D(1), "amount"),
    Unit("公顷", "ha", _D(1), "amount"),
    Unit("万亩", "mu", _D(10) ** 4, "amount"),
    Unit("亩", "mu", _D(1), "amount"),
    Unit("公里", "km", _D(1), "amount"),
    Unit("千米", "km", _D(1), "amount"),
    Unit("万吨", "t", _D(10) ** 4, "amount"),
    Unit("吨", "t", _D(1), "amount"),
    # ratios and changes
    Unit("个百分点", "pp", _D(1), "change"),
    Unit("百分点", "pp", _D(1), "change"),
    Unit("%", "percent", _D(1), "ratio"),
    Unit("％", "percent", _D(1), "ratio"),
    Unit("倍", "times", _D(1), "change"),
    Unit("成", "percent", _D(10), "ratio"),  # 八成 = 80%; only after a Chinese numeral (rules/quantity.py)
]
# counters: things, people, events, times (家次/人次 count visits, not households)
COUNTERS = ("家次", "人次", "户次", "家", "个", "项", "所", "场", "条", "名", "人", "次", "件", "处",
            "宗", "户", "份", "栋", "幢", "张", "种", "类", "套", "台", "辆", "座", "间", "批", "支", "位",
            "篇", "部", "款", "株", "棵", "盏", "块", "趟")
_UNITS.extend(Unit(c, "count", _D(1), "count") for c in COUNTERS)

UNITS: list[Unit] = sorted(_UNITS, key=lambda u: -len(u.surface))
BY_SURFACE = {u.surface: u for u in UNITS}
# a regex alternation, longest first
RE_UNIT = "|".join(re.escape(u.surface) for u in UNITS)
# bare 亿/万 without 元: money when the metric is about money
MONEY_WORDS = (
    "产值",
    "投资",
    "金额",
    "收入",
    "营收",
    "消费",
    "经费",
    "资金",
    "税收",
    "销售额",
    "总额",
    "预算",
    "元",
)
AMOUNT_UNITS = {"CNY", "m2", "km2", "ha", "mu", "km", "m", "t"}
