"""Chinese word segmentation (rjieba, the Rust port of jieba), with the termbase's words kept whole."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def _tokenizer(words: tuple[str, ...]):
    import rjieba

    tok = rjieba.Jieba()
    for w in words:
        tok.add_word(w, 2000, None)
    return tok


def cut(text: str, words: list[str] | tuple[str, ...] = ()) -> list[str]:
    return list(_tokenizer(tuple(sorted(set(words)))).cut(text, False))
