"""The :class:`Fact` record and its documented schema (one list drives the CSV, the JSON, the JSON
Schema and the schema page, so they cannot drift apart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

KINDS = {
    "amount": "a quantity with a physical or money unit (yuan, m², ha, km …)",
    "count": "a number of things, people, events or times",
    "ratio": "a share or rate (per cent of something, a completion rate, a per-capita figure)",
    "change": "a change against an earlier value (同比增长/下降, 增长两倍, percentage points)",
    "rank": "a rank claim (全区第一 = 1, 全国首家 = 1, 十强 = 10, 前50名 = 50)",
}


@dataclass(slots=True)
class Fact:
    """One figure in one document, normalised and located."""

    id: str  # stable: hash of document id, paragraph anchor, figure text and occurrence
    doc: str  # document id
    anchor: str  # paragraph anchor (p-…/c-…)
    sentence: str  # the source sentence, exactly as displayed
    start: int  # span of the figure in the paragraph text (characters, end exclusive)
    end: int
    text: str  # the figure as written (number + unit), e.g. 123.45亿元
    value: Decimal  # normalised value in `unit`
    unit: str
    kind: str
    value_max: Decimal | None = None  # upper end of a range (3-5个), else None
    qualifiers: list[str] = field(default_factory=list)  # 超/近/约/余/累计/同比增长/同比下降/提升至/完成率 …
    metric: str = ""  # the metric as written in the text (or as listed in the vocabulary)
    metric_en: str = ""  # English name from annotations/metrics.yaml ("" when unknown)
    metric_slug: str = ""  # indicator page slug ("" when unknown)
    metric_known: bool = False  # True when the metric is listed in annotations/metrics.yaml
    subject: str = ""  # place or body the figure is about
    subject_en: str = ""
    period: int | None = None  # year the figure refers to (or the target year), None when not stated
    planned: bool = False  # a target or plan (力争/预计/工作安排 …), not a reported result
    display: str = ""  # the normalised value in English words, e.g. "over 29.7 billion yuan"


# (name, JSON type, description) — the documented export schema, in column order
FIELDS: list[tuple[str, str, str]] = [
    (
        "id",
        "string",
        "Stable fact id: f- + 12 hex digits of SHA-1 over document id, paragraph anchor, "
        "figure text and its occurrence in that paragraph. Unchanged across rebuilds while the "
        "paragraph keeps its anchor.",
    ),
    ("doc", "string", "Document id (page docs/<doc>.html)."),
    ("anchor", "string", "Paragraph anchor; docs/<doc>.html#<anchor> links to the paragraph."),
    ("url", "string", "Relative link to the highlighted figure: docs/<doc>.html#<id>."),
    ("sentence", "string", "The source sentence containing the figure, as displayed."),
    ("start", "integer", "Start of the figure in the paragraph text (0-based characters)."),
    ("end", "integer", "End of the figure in the paragraph text (exclusive)."),
    ("text", "string", "The figure as written (number and unit, without leading qualifier words)."),
    ("value", "number", "Normalised value, exact (亿/万 applied): 123.45亿元 → 12345000000."),
    ("value_max", "number|null", "Upper end of a range (3-5个 → value 3, value_max 5), else null."),
    ("unit", "string", "Normalised unit: CNY, m2, km2, ha, mu, km, m, t, count, percent, pp, times, rank."),
    ("kind", "string", "amount | count | ratio | change | rank (see the kinds list)."),
    (
        "qualifiers",
        "array of string",
        "Words qualifying the figure: 超 (over), 近 (nearly), 约 (about), 余 (more "
        "than, '+'), 累计 (cumulative), 达到, 突破, 增至, 提升至, 同比增长, "
        "同比下降, 增长, 下降, 完成率, 连续N年 …. Declines keep a positive value.",
    ),
    ("display", "string", "The normalised value in English, qualifiers included."),
    ("metric", "string", "The metric as written (e.g. 社会消费品零售总额)."),
    ("metric_en", "string", "English name of the metric from annotations/metrics.yaml; empty when unknown."),
    ("metric_known", "boolean", "True when the metric is in the curated vocabulary; false = flagged."),
    ("metric_slug", "string", "Indicator page facts/<metric_slug>.html (empty when unknown)."),
    ("subject", "string", "Place or body the figure is about (from context), e.g. 东湖街道."),
    ("subject_en", "string", "English name of the subject (from the glossary), if known."),
    (
        "period",
        "integer|null",
        "Year the figure refers to: stated in the sentence, its paragraph or section "
        "heading, or resolved from 全年/去年 and the document date; null if unknown.",
    ),
    (
        "planned",
        "boolean",
        "True for targets and plans (力争, 预计, 计划, a work-plan section); false for reported results.",
    ),
]
