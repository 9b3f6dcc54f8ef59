"""Rule ``strip``: trim each line, drop icon-font glyphs (private-use characters), mark blank lines."""

from __future__ import annotations

from digest.model import Source
from digest.rules.vocabulary import Vocabulary
from digest.text import RE_PUA, SPACE_CHARS


def rule(source: Source, vocab: Vocabulary) -> None:
    for item in source.items:
        item.text = RE_PUA.sub("", item.text).strip(SPACE_CHARS + "\u200b\u200c\u200d")
        if not item.text:
            item.kind, item.reason = "blank", "strip"
