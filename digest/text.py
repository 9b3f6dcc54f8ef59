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
    # str.replace, not str.translate: a translate table is looked up character by character in Python
    # objects, dozens of times slower on the long paragraphs every block is folded from
    return text.replace('"', "“").replace("'", "‘").replace("”", "“").replace("’", "‘")


_QUOTES: dict[int, str] = {ord('"'): "“", ord("'"): "‘", ord("”"): "“", ord("’"): "‘"}
_BREAKS = "\n\r"


def fold_map(text: str, quotes: bool = True) -> tuple[str, list[int]]:
    """:func:`fold` character by character, with the way back to the display text.

    Returns the folded copy and, for each of its characters, the offset of the display
    character it came from (plus a final entry ``len(text)``), so a match found in the
    folded copy maps back to a span of the display text however many spaces or line
    breaks sat inside it. Line breaks are dropped too (a match may cross a joined line).
    With ``quotes=False`` quotation marks are dropped as well: “1+4”导师制度 reads 1+4导师制度.
    """
    table = _FOLDED[quotes]
    new = set(text).difference(table)
    if new:
        for ch in new:
            table[ch] = _fold_char(ch, quotes)
        if any(table[ch] != ch for ch in new):
            _SPECIAL.pop(quotes, None)
    special = _SPECIAL.get(quotes)
    if special is None:
        chars = sorted(ch for ch, f in table.items() if f != ch)
        special = _SPECIAL[quotes] = re.compile("[" + "".join(map(re.escape, chars)) + "]") if chars else None
    if special is None:
        return text, list(range(len(text) + 1))
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in special.finditer(text):  # characters that fold to something else; the rest is copied as is
        i = m.start()
        out.append(text[last:i])
        where.extend(range(last, i))
        folded = table[text[i]]
        out.append(folded)
        where.extend([i] * len(folded))
        last = i + 1
    out.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(out), where


_FOLDED: dict[bool, dict[str, str]] = {True: {}, False: {}}  # one character → its folded form (memo)
_SPECIAL: dict[bool, re.Pattern[str] | None] = {}  # any memoised character whose folded form differs


def _fold_char(ch: str, quotes: bool) -> str:
    if ch in _BREAKS or RE_SPACES.fullmatch(ch):
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    folded = RE_SPACES.sub("", folded).translate(_QUOTES)
    if not quotes:
        folded = folded.replace("“", "").replace("‘", "")
    return folded


def unfold_span(where: list[int], start: int, end: int) -> tuple[int, int]:
    """The display span of folded characters ``start:end`` (from :func:`fold_map`)."""
    if end <= start:
        return where[start], where[start]
    return where[start], where[end - 1] + 1


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
