"""Chinese word segmentation (jieba), quiet, with the termbase's words kept whole."""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def _tokenizer(words: tuple[str, ...]):  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in words:
        tok.add_word(w, freq=2000)
    return tok


def cut(text: str, words: list[str] | tuple[str, ...] = ()) -> list[str]:
    return list(_tokenizer(tuple(sorted(set(words)))).cut(text, HMM=False))
