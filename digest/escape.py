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


def marked(value: str, marks: Iterable[Mark], wrap: dict[str, tuple[str, str]] | None = None) -> str:
    """HTML-escape ``value`` (raw-HTML context) and wrap each non-overlapping mark in the HTML its renderer gives.

    ``wrap`` is not used directly; each mark carries ``data['open']`` and
    ``data['close']`` produced by the stage that made it, from escaped values only.
    """
    out: list[str] = []
    pos = 0
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue  # overlapping marks: the earlier, longer one wins
        out.append(html(value[pos : m.start]))
        out.append(m.data.get("open", ""))
        out.append(html(value[m.start : m.end]))
        out.append(m.data.get("close", ""))
        pos = m.end
    out.append(html(value[pos:]))
    return "".join(out)
