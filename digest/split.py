"""Stage 3, splitting: one seed page → one :class:`Document` per article.

A page carries several articles when, after running text has started, a new
article's lede appears: a reporter byline line, or a paragraph opening with a
dateline (``本报讯(…)``, ``新华社深圳2月4日电``). The new article begins at the
headline lines (short, no full stop) directly above that lede.
"""

from __future__ import annotations

import re

from digest.model import Document, Item, Removed, Source
from digest.text import is_heading_marker, is_prose

_DATELINE = re.compile(r"^(本报讯|本报[\u4e00-\u9fff]{0,6}电|[\u4e00-\u9fff]{2,8}(讯|电))\s*[（(]")


def is_lede_marker(item: Item) -> bool:
    return item.kind == "byline" or (item.kind == "body" and _DATELINE.match(item.text) is not None)


def article_starts(items: list[Item], heading_max: int) -> list[int]:
    starts = [0]
    seen_prose = False
    for idx, item in enumerate(items):
        if is_lede_marker(item) and seen_prose:
            start = idx
            k = idx - 1
            while k > starts[-1]:
                it = items[k]
                if it.kind in ("blank", "caption", "chrome", "meta"):
                    k -= 1
                    continue
                if it.kind == "body" and not is_prose(it.text, heading_max) and not is_heading_marker(it.text):
                    start = k
                    k -= 1
                    continue
                break
            if start > starts[-1]:
                starts.append(start)
                seen_prose = False
        if item.kind == "body" and is_prose(item.text, heading_max):
            seen_prose = True
    return starts


def split(source: Source, heading_max: int = 40) -> list[Document]:
    items = source.items
    starts = article_starts(items, heading_max)
    bounds = list(zip(starts, [*starts[1:], len(items)], strict=True))
    docs = []
    page_text = "\n".join(it.text for it in items if it.kind == "body")
    for n, (a, b) in enumerate(bounds, start=1):
        share = items[a:b]
        doc = Document(source=source.name, part=n, parts=len(bounds), items=share, page_text=page_text)
        doc.removed = [Removed(it.line, it.raw, it.kind) for it in share if it.kind in ("chrome", "meta")]
        docs.append(doc)
    return docs
