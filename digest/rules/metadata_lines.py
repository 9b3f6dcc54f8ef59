"""Rule ``metadata_lines``: header lines of labelled fields (索引号: … 发布日期: …) are
read into ``source.meta`` and marked ``meta``; a page headline carrying a trailing
date (``标题 2025年01月16日``) gives up the date as the page date."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.model import Item, Source
from digest.rules.vocabulary import Vocabulary

_TRAILING_DATE = re.compile(r"^(?P<head>.{4,80}?)\s+(?P<date>\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})$")
_MAX_HEADER_LINE = 30  # only the top of a page carries a dated headline


def _label_regex(vocab: Vocabulary) -> re.Pattern[str]:
    return _compile_labels(tuple(sorted(vocab.label_to_field, key=len, reverse=True)))


@lru_cache(maxsize=16)
def _compile_labels(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Built once per label set: escaping every label for every line cost more than the match."""
    return re.compile("(" + "|".join(map(re.escape, labels)) + r")\s*[:：]")


def parse_labelled(text: str, vocab: Vocabulary) -> dict[str, str] | None:
    """``{field: value}`` when ``text`` is made only of label: value pairs, else None."""
    regex = _label_regex(vocab)
    matches = list(regex.finditer(text))
    if not matches or matches[0].start() > 2:
        return None
    fields: dict[str, str] = {}
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):
        end = nxt.start() if nxt else len(text)
        value = text[m.end() : end].strip(" \u3000\u00a0\t")
        fld = vocab.label_to_field[m.group(1)]
        # a value that runs on for long is prose that happens to start with a label
        if len(value) > 80 or "。" in value:
            return None
        if value and value not in ("-", "—"):
            fields.setdefault(fld, value.rstrip("T").strip())
    return fields


def rule(source: Source, vocab: Vocabulary) -> None:
    new_items: list[Item] = []
    for item in source.items:
        new_items.append(item)
        if item.kind != "body":
            continue
        fields = parse_labelled(item.text, vocab)
        if fields is not None:
            item.kind, item.reason = "meta", "metadata_lines"
            for key, value in fields.items():
                source.meta.setdefault(key, value)
            continue
        if item.line <= _MAX_HEADER_LINE and "page_date" not in source.meta:
            m = _TRAILING_DATE.match(item.text)
            if m and "。" not in m.group("head"):
                source.meta["page_date"] = m.group("date")
                item.text = m.group("head").strip()
                new_items.append(Item(line=item.line, raw=m.group("date"), text=m.group("date"),
                                      kind="meta", reason="metadata_lines"))
    source.items = new_items
