"""Rule ``spaces``: remove stray spaces between CJK characters in running text
(``作为 共建共治共享`` → ``作为共建共治共享``), which scrapes leave at old line wraps.

Short lines (titles, headings) keep a single space, since there it separates two
phrases of a headline; runs of spaces collapse to one."""

from __future__ import annotations

import re

from digest.model import Source
from digest.rules.vocabulary import Vocabulary
from digest.text import CJK, CJK_PUNCT, SPACES

_BETWEEN_CJK = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[{SPACES}]+(?=[{CJK}{CJK_PUNCT}])")
_RUNS = re.compile(f"[{SPACES}]+")


def rule(source: Source, vocab: Vocabulary) -> None:
    for item in source.items:
        if item.kind in ("body", "caption"):
            if len(item.text) > vocab.heading_max or "。" in item.text:
                item.text = _BETWEEN_CJK.sub("", item.text)
            item.text = _RUNS.sub(" ", item.text)
