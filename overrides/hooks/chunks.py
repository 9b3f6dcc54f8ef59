"""MkDocs hook: put a page's raw-HTML blocks back in place.

Digest moves the raw-HTML blocks of a document page (paragraph units, captions, tables) into
``<page>.chunks.json`` beside its Markdown and leaves ``<!--dg-chunk N-->`` placeholders, so that
Python-Markdown does not parse tens of thousands of tags it would pass through unchanged anyway.
Seed text cannot forge a placeholder: it is HTML-escaped, so its ``<!--`` arrives as ``&lt;!--``.

The blocks go back in ``on_post_page``, into the finished page just before it is written, not
into ``page.content``: MkDocs converts every page before it writes any, so a page's full HTML held
from conversion to writing would keep the whole site in memory at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_PLACEHOLDER = re.compile(r"<!--dg-chunk (\d+)-->")


def on_post_page(html, page, config):  # type: ignore[no-untyped-def]
    source = page.file.abs_src_path
    if not source or "<!--dg-chunk " not in html:
        return html
    path = Path(source).with_name(Path(source).stem + ".chunks.json")
    if not path.exists():
        return html
    chunks = json.loads(path.read_text(encoding="utf-8"))
    return _PLACEHOLDER.sub(lambda m: chunks[int(m.group(1))], html)
