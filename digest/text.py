"""Character classes and small predicates shared by the cleaning rules.

Display text is never NFKC-normalised; :func:`fold` makes the *matching* copy.
"""

from __future__ import annotations

import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
RE_CJK = re.compile(f"[{CJK}]")
RE_PUA = re.compile("[\ue000-\uf8ff]")
SPACE_CHARS = " \t\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\ufeff"
SPACES = " \t\u00a0\u3000\u2002-\u200a\u202f\u205f\ufeff"  # for use inside a regex character class
RE_SPACES = re.compile(f"[{SPACES}]+")

TERMINAL = "。！？!?…；;"
CLOSERS = "”’」』）)】》\"'"
OPENERS_OPEN = "“‘「『（(【《"
MIDSENTENCE_END = "，,、（(“‘「『《【"

RE_HEADING_L2 = re.compile(r"^[一二三四五六七八九十百]+[、.．]")
RE_HEADING_L3 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
RE_HEADING_NUM = re.compile(r"^\d{1,2}[.、．](?!\d)")


def fold(text: str) -> str:
    """A normalised copy for matching: NFKC, no spaces, unified quotes. Not for display."""
    text = unicodedata.normalize("NFKC", text)
    text = RE_SPACES.sub("", text)
    return text.translate(str.maketrans({'"': "“", "'": "‘", "”": "“", "’": "‘"}))


def has_cjk(text: str) -> bool:
    return RE_CJK.search(text) is not None


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends at a sentence boundary (closing quotes after a terminator count)."""
    stripped = text.rstrip(CLOSERS + SPACE_CHARS)
    if not stripped:
        return False
    if stripped.endswith(("··", "..", "…")):  # ellipses, however typed
        return True
    return stripped[-1] in TERMINAL


def ends_midsentence(text: str) -> bool:
    text = text.rstrip(SPACE_CHARS)
    return bool(text) and text[-1] in MIDSENTENCE_END


def is_prose(text: str, heading_max: int = 40) -> bool:
    """Running text rather than a title or heading: a full stop inside, two or more
    clause breaks (headlines have at most one), or longer than any heading."""
    if "。" in text or len(text) > heading_max:
        return True
    return sum(text.count(c) for c in "，,；;") >= 2


def open_quotes(text: str) -> int:
    """Curly double quotes opened but not closed in ``text`` (negative: closed first)."""
    return text.count("“") - text.count("”")


def starts_with_unopened_close(text: str) -> bool:
    first_close, first_open = text.find("”"), text.find("“")
    return first_close != -1 and (first_open == -1 or first_close < first_open)


def is_heading_marker(text: str) -> bool:
    return bool(RE_HEADING_L2.match(text) or RE_HEADING_L3.match(text))
