"""Rule ``rejoin``: put back together a sentence that a page break split, even when a
caption, a page number or blank lines were dropped into the middle of it
(``要自`` | caption | ``觉在大局``).

Line A is joined with the next body line B when A does not end a sentence and there
is evidence of a break rather than a heading: A reads as running text (a full stop, several clauses), A ends
on a comma or an open quote, A leaves a quote open, B closes a quote it never
opened, or a page-break gap (captions, two blank lines) follows a clause of A.
"""

from __future__ import annotations

from digest.model import Item, Source
from digest.rules.vocabulary import Vocabulary
from digest.text import (
    ends_midsentence,
    ends_sentence,
    is_heading_marker,
    is_prose,
    open_quotes,
    starts_with_unopened_close,
)

_SKIPPABLE = ("blank", "caption", "credit", "chrome")


def _should_join(a: Item, b: Item, gap: list[Item], heading_max: int) -> bool:
    if ends_sentence(a.text) or is_heading_marker(b.text) or b.text.startswith(("——", "—", "•", "·")):
        return False
    if ends_midsentence(a.text) or open_quotes(a.text) > 0 or starts_with_unopened_close(b.text):
        return True
    if is_prose(a.text, heading_max) or any(c in a.text for c in "！？!?"):
        return True
    page_break = any(it.kind != "blank" for it in gap) or sum(1 for it in gap if it.kind == "blank") >= 2
    clause = any(c in a.text for c in "，,、")
    return page_break and clause and not ends_sentence(a.text) and len(b.text) > len(a.text) // 2


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def rule(source: Source, vocab: Vocabulary) -> None:
    items = source.items
    i = 0
    while i < len(items):
        a = items[i]
        if a.kind != "body":
            i += 1
            continue
        j = i + 1
        while j < len(items) and items[j].kind in _SKIPPABLE:
            j += 1
        nxt = items[j] if j < len(items) else None
        if nxt is not None and nxt.kind == "body" and _should_join(a, nxt, items[i + 1 : j], vocab.heading_max):
            b = items[j]
            a.text = _join(a.text, b.text)
            a.lines.extend([b.line, *b.lines])
            b.kind, b.reason, b.text = "blank", "rejoin", ""
            continue  # A may still be unfinished: look again
        i += 1
