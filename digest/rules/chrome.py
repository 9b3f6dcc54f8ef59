"""Rule ``chrome``: site toolbars, breadcrumbs, print/font links, view counters, QR prompts,
back-to-top links and page numbers. Also catches chrome phrases broken over several
short lines (回到 / 顶部)."""

from __future__ import annotations

import re

from digest.model import Item, Source
from digest.rules.vocabulary import Vocabulary

_TOKEN_SPLIT = re.compile(r"[\s【】\[\]|｜/:：·•]+")
_SHORT = 6
MAX_CHROME = 100  # chrome is short; running text that mentions 二维码 is not chrome


def is_chrome(text: str, vocab: Vocabulary) -> bool:
    if len(text) > MAX_CHROME or "。" in text:
        return False
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    if tokens and all(t in vocab.toolbar_words for t in tokens):
        return True
    return any(p.search(text) for p in vocab.chrome_patterns)


def rule(source: Source, vocab: Vocabulary) -> None:
    body = [it for it in source.items if it.kind == "body"]
    for item in body:
        if is_chrome(item.text, vocab):
            item.kind, item.reason = "chrome", "chrome"
    _split_phrases(body, vocab)


def _split_phrases(body: list[Item], vocab: Vocabulary) -> None:
    """Consecutive short lines whose concatenation is a known chrome phrase."""
    i = 0
    while i < len(body):
        run: list[Item] = []
        j = i
        while j < len(body) and len(body[j].text) <= _SHORT and body[j].kind == "body":
            run.append(body[j])
            j += 1
            joined = "".join(it.text for it in run)
            if len(run) > 1 and joined in vocab.split_phrases:
                for it in run:
                    it.kind, it.reason = "chrome", "chrome"
                break
        i += 1
