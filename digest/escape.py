"""Seed text is untrusted: these make it inert text in Markdown and HTML.

Every ASCII punctuation character becomes a numeric character reference, so no
Markdown, HTML, attribute-list, Jinja, snippet or abbreviation syntax survives as
syntax; the browser shows the same characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from digest.model import Mark

_PUNCT = re.compile(r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]""")


def text(value: str) -> str:
    """Inert text for Markdown inline context or raw HTML element content."""
    return _PUNCT.sub(lambda m: f"&#{ord(m.group())};", value)


_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;",
         "`": "&#96;"}
_HTML_RE = re.compile("[&<>\"'{}`]")


def html(value: str) -> str:
    """Inert text inside a raw-HTML block or an attribute value.

    Python-Markdown passes raw HTML blocks through untouched, so escaping HTML's own
    characters (and braces, against any template layer) is enough there.
    """
    return _HTML_RE.sub(lambda m: _HTML[m.group()], value)


def yaml_str(value: str) -> str:
    """A YAML-safe scalar (JSON is YAML) of already-escaped text."""
    return json.dumps(value, ensure_ascii=False)


PRIORITY = {"fact": 0, "term": 1}  # when two marks cross, the figure keeps its highlight and id


def _nests(a: Mark, b: Mark) -> bool:
    return a.end <= b.start or b.end <= a.start or (a.start <= b.start and b.end <= a.end) or (
        b.start <= a.start and a.end <= b.end)


def marked(value: str, marks: Iterable[Mark]) -> str:
    """HTML-escape ``value`` (raw-HTML context) and wrap the marks' spans in their open/close HTML.

    Marks nest (a figure inside a linked term); of two marks that cross, the one of higher
    priority (figures before terms, then the earlier) is kept. Each mark carries ``data['open']``
    and ``data['close']``, built by its stage from escaped values only.
    """
    accepted: list[Mark] = []
    for m in sorted(marks, key=lambda m: (PRIORITY.get(m.kind, 9), m.start, -m.end)):
        if m.end > m.start and all(_nests(m, a) for a in accepted):
            accepted.append(m)
    events: list[tuple[int, int, int, int, str]] = []  # (position, opens after closes, width order, tie, html)
    for i, m in enumerate(accepted):
        width = m.end - m.start
        events.append((m.start, 1, -width, i, m.data.get("open", "")))
        events.append((m.end, 0, width, -i, m.data.get("close", "")))
    events.sort(key=lambda e: e[:4])
    out: list[str] = []
    pos = 0
    for at, _closing, _width, _tie, piece in events:
        out.append(html(value[pos:at]))
        out.append(piece)
        pos = at
    out.append(html(value[pos:]))
    return "".join(out)
