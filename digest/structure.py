"""Stage 4, structure: classified lines → blocks (title, kicker, headings, paragraphs, captions).

- The header zone is everything before the first running-text paragraph or numbered
  heading. Its short lines are the title (the metadata 名称 when present, otherwise
  the longest) and kickers (column names, overlines, subtitles).
- Headings: ``一、`` → level 2; ``（一）`` → level 3; a short standalone line without a
  full stop → level 3, or 4 when the document already uses ``（一）``. A short line
  directly under another short line is its subtitle (one level deeper).
"""

from __future__ import annotations

from digest.model import Block, Document
from digest.text import RE_HEADING_L2, RE_HEADING_L3, ends_sentence, is_heading_marker, is_prose


def _is_heading_line(text: str, heading_max: int) -> bool:
    if is_heading_marker(text):
        return len(text) <= heading_max * 2 and "。" not in text
    return not is_prose(text, heading_max) and not ends_sentence(text)


def structure(doc: Document, heading_max: int = 40, meta_title: str = "") -> Document:
    items = [it for it in doc.items if it.kind not in ("blank", "chrome", "meta")]
    uses_l3 = any(it.kind == "body" and RE_HEADING_L3.match(it.text) for it in items)
    # header zone
    header_end = len(items)
    for idx, it in enumerate(items):
        if it.kind == "body" and (is_prose(it.text, heading_max) or is_heading_marker(it.text)
                                  or (ends_sentence(it.text) and idx > 0 and len(it.text) > heading_max // 2)):
            header_end = idx
            break
    header = [it for it in items[:header_end] if it.kind == "body"]
    title_item = None
    if header:
        exact = [it for it in header if meta_title and it.text == meta_title]
        title_item = exact[0] if exact else max(header, key=lambda it: (len(it.text), -it.line))
    blocks: list[Block] = []
    prev_heading_level = 0
    for idx, it in enumerate(items):
        lines = [it.line, *it.lines]
        if it.kind in ("caption", "credit", "byline"):
            blocks.append(Block(it.kind, it.text, lines))
            prev_heading_level = 0
            continue
        if idx < header_end:
            blocks.append(Block("title" if it is title_item else "kicker", it.text, lines))
            continue
        if RE_HEADING_L2.match(it.text) and _is_heading_line(it.text, heading_max):
            level = 2
        elif RE_HEADING_L3.match(it.text) and _is_heading_line(it.text, heading_max):
            level = 3
        elif _is_heading_line(it.text, heading_max):
            level = min(prev_heading_level + 1, 5) if prev_heading_level >= 3 else (4 if uses_l3 else 3)
        else:
            blocks.append(Block("paragraph", it.text, lines))
            prev_heading_level = 0
            continue
        blocks.append(Block("heading", it.text, lines, level=level))
        prev_heading_level = level
    doc.blocks = blocks
    return doc
