"""Rule ``quotes``: paired ASCII quotes around Chinese text become Chinese quotes
(``"虚拟社区"`` → ``“虚拟社区”``, ``'…'`` → ``‘…’``). A stray mixed pair such as
``'虚拟社区"`` is read as one double-quoted phrase. Quotes in Latin-only text stay."""

from __future__ import annotations

import re

from digest.model import Source
from digest.rules.vocabulary import Vocabulary
from digest.text import has_cjk

_MIXED = re.compile(r"'([^'\"\n]{1,40})\"")


def convert(text: str) -> str:
    if '"' not in text and "'" not in text:
        return text
    if not has_cjk(text):
        return text
    text = _pair(text, '"', "“", "”")
    text = _pair(text, "'", "‘", "’")
    if text.count("'") == 1 and text.count('"') == 1:
        text = _MIXED.sub(lambda m: f"“{m.group(1)}”" if has_cjk(m.group(1)) else m.group(0), text)
    return text


def _pair(text: str, q: str, left: str, right: str) -> str:
    positions = [m.start() for m in re.finditer(re.escape(q), text)]
    if len(positions) < 2:
        return text
    if len(positions) % 2:
        positions = positions[:-1]  # an unmatched last quote stays as written
    chars = list(text)
    for k in range(0, len(positions), 2):
        a, b = positions[k], positions[k + 1]
        inner = text[a + 1 : b]
        # only quotes around Chinese text: code, URLs and Latin words (don't) keep theirs
        if not has_cjk(inner):
            continue
        chars[a], chars[b] = left, right
    return "".join(chars)


def rule(source: Source, vocab: Vocabulary) -> None:
    for item in source.items:
        if item.kind in ("body", "caption", "credit", "byline"):
            item.text = convert(item.text)
