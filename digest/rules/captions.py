"""Rule ``captions``: photo captions mixed into the body.

A line is a caption when it
- ends with a credit marker (``受访单位供图``, ``张三 摄``), or
- stands alone after a page-break gap (two or more blank lines) and is one short sentence, or
- belongs to a run of two or more short one-sentence lines at the top of a page,
  before any running text (a picture strip above the lede).
"""

from __future__ import annotations

import re

from digest.model import Item, Source
from digest.rules.vocabulary import Vocabulary
from digest.text import ends_sentence, is_heading_marker, is_prose

_CLUSTER_MAX = 30  # picture-strip captions are short: a subject and what it shows


def _one_sentence(text: str) -> bool:
    return ends_sentence(text) and sum(text.count(c) for c in "。！？!?") == 1


def rule(source: Source, vocab: Vocabulary) -> None:
    suffix = re.compile(
        r"[。.!！]?\s*[（(]?[\u4e00-\u9fff·\s]{0,12}(?:" + "|".join(map(re.escape, vocab.caption_credit_suffixes))
        + r")[）)]?$"
    )
    body = [it for it in source.items if it.kind == "body"]
    for item in body:
        text = item.text
        if len(text) > vocab.caption_max * 2 or is_heading_marker(text):
            continue
        credited = "。" in text[:-1] and suffix.search(text) and _credit_after_sentence(text, suffix)
        isolated = item.gap_before >= 2 and len(text) <= vocab.caption_max and _one_sentence(text)
        if credited or isolated:
            item.kind, item.reason = "caption", "captions"
    _clusters([it for it in source.items if it.kind in ("body", "caption")], vocab.heading_max)


def _credit_after_sentence(text: str, suffix: re.Pattern[str]) -> bool:
    """``…。受访单位供图``: a sentence, then a short credit naming who gave the picture."""
    last_stop = text.rfind("。", 0, len(text) - 1)
    tail = text[last_stop + 1 :]
    return 0 < len(tail) <= 14 and suffix.search(tail) is not None


def _clusters(items: list[Item], heading_max: int) -> None:
    first_prose = next((i for i, it in enumerate(items) if it.kind == "body" and len(it.text) > _CLUSTER_MAX
                        and is_prose(it.text, heading_max)), None)
    if first_prose is None:
        return  # a strip of captions sits above running text; with none, these lines are the text
    run: list[Item] = []
    for item in [*items[:first_prose], None]:
        if item is not None and item.kind == "body" and len(item.text) <= _CLUSTER_MAX and _one_sentence(item.text) \
                and item.gap_before <= 1 and sum(item.text.count(c) for c in "，,；;") <= 1:
            run.append(item)
            continue
        if len(run) >= 2:
            for it in run:
                it.kind, it.reason = "caption", "captions"
        run = []
