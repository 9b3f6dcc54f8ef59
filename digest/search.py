"""Site search, prebuilt: a GENERATOR that writes the index the browser searches.

Why not Material's search: its in-browser query segmentation drops the last word
of a Chinese query (新质生产力 searched as 新*), and from file:// it rebuilds its
index on every page load. Here the index is built once, at build time:

- records are the units readers land on: a document's title, each heading,
  paragraph and caption (with its anchor), English translations, term pages;
- the browser matches the *whole* query as a substring of a folded copy
  (lower case, full-width → ASCII, Traditional → Simplified, one quote style), so
  百千万工程 finds exactly the pages that contain it, in either script;
- a query that is not found whole is segmented by longest match over the corpus
  vocabulary (jieba with the termbase as user dictionary) and its words ANDed;
- pinyin (toneless, e.g. ``baiqianwan``) finds term pages;
- shards are plain ``<script>`` files so the index loads from file:// too.

The folding is length-preserving, so match offsets are display offsets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from digest.model import Document
from digest.stages import Context, Writer

SHARD_CHARS = 1_500_000
KIND_WEIGHT = {"title": 10, "term": 8, "heading": 3, "paragraph": 1, "caption": 1}


@dataclass
class Record:
    page: int  # index into the page table
    anchor: str
    kind: str
    text: str
    lang: str = "zh"
    pinyin: str = ""  # term pages: toneless pinyin and initials, space-separated


@dataclass
class Page:
    url: str  # relative to the site root
    title: str
    date: str
    kind: str  # document | term | page
    records: list[Record] = field(default_factory=list)
    title_en: str = ""


@lru_cache(maxsize=1)
def t2s_map() -> dict[str, str]:
    """Character-level Traditional → Simplified map from OpenCC (for folding both scripts)."""
    import opencc

    chars = "".join(chr(i) for i in range(0x3400, 0xA000))
    out = opencc.OpenCC("t2s").convert(chars)
    return {a: b for a, b in zip(chars, out, strict=True) if a != b and len(b) == 1}


_QUOTES = {"”": "“", "’": "‘", '"': "“", "'": "‘", "「": "“", "」": "“", "『": "‘", "』": "‘"}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table = {ord(a): b for a, b in t2s_map().items()}
    table.update({o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)})
    table[0x3000] = " "
    table.update({ord(a): b for a, b in _QUOTES.items()})
    for o in list(table):  # full-width Ａ → A → a
        v = table[o]
        if len(v) == 1 and "A" <= v <= "Z":
            table[o] = v.lower()
    table.update({o: chr(o + 32) for o in range(0x41, 0x5B)})
    return table


def fold(text: str) -> str:
    """Length-preserving fold (one character for one); digest/assets/search.js implements the same:
    full-width ASCII → ASCII, ideographic space → space, one quote style, Traditional → Simplified
    (character level), ASCII upper → lower case."""
    return text.translate(_fold_table())


def document_pages(docs: list[Document], ctx: Context) -> list[Page]:
    translations: dict[str, dict[str, str]] = ctx.data.get("translations", {})
    pages = []
    for doc in sorted(docs, key=lambda d: d.id):
        page = Page(f"docs/{doc.id}.html", doc.meta.title, doc.meta.date, "document",
                    title_en=translations.get(doc.id, {}).get("title", ""))
        page.records.append(Record(0, "", "title", doc.meta.title))
        for b in doc.blocks:
            if b.anchor:
                page.records.append(Record(0, b.anchor, b.kind, b.text))
        english = translations.get(doc.id, {})
        if english.get("title"):
            page.records.append(Record(0, "", "title", english["title"], lang="en"))
        for b in doc.blocks:
            if b.anchor and english.get(b.anchor):
                page.records.append(Record(0, b.anchor, b.kind, english[b.anchor], lang="en"))
        pages.append(page)
    return pages


_HAN = re.compile(r"[\u4e00-\u9fff]")


def term_pages(ctx: Context) -> list[Page]:
    """Term pages: found by the term, its aliases and Traditional form, its English, and pinyin."""
    index = ctx.data.get("glossary")
    if index is None:
        return []
    pages = []
    for t in sorted(index.termbase.terms, key=lambda t: t.slug):
        page = Page(f"terms/{t.slug}.html", f"{t.term} {t.english}", "", "term", title_en=f"{t.english} {t.term}")
        forms = " ".join(dict.fromkeys([t.term, *t.aliases, t.traditional]))
        py = " ".join(dict.fromkeys([t.pinyin_plain, t.initials, *(p.replace(" ", "") for p in [t.pinyin]),
                                     *t.pinyin.split()]))
        page.records.append(Record(0, "", "term", forms, pinyin=fold(py)))
        page.records.append(Record(0, "", "term", t.english, lang="en"))
        page.records.append(Record(0, "", "paragraph", t.definition_zh))
        page.records.append(Record(0, "", "paragraph", t.definition_en, lang="en"))
        pages.append(page)
    return pages


def vocabulary(pages: list[Page], words: list[str]) -> list[str]:
    """Words for segmenting a query: corpus tokens (rjieba + termbase), folded."""
    from digest.segment import cut

    tokens: set[str] = {w for w in words if len(w) >= 2}
    for page in pages:
        for rec in page.records:
            if rec.lang == "zh":
                tokens.update(cut(rec.text, words))
    return sorted({fold(w) for w in tokens if len(w) >= 2 and _HAN.search(w)})


def generate(docs: list[Document], ctx: Context, writer: Writer, convert: Callable[[str], str] | None = None,
             prefix: str = "") -> None:
    """Write the index under ``prefix`` (a reading's folder); ``convert`` maps Chinese text (zh-Hant)."""
    from digest import glossary

    pages = document_pages(docs, ctx) + term_pages(ctx)
    if convert is not None:
        for page in pages:
            page.title = convert(page.title)
            for rec in page.records:
                if rec.lang == "zh":
                    rec.text = convert(rec.text)
    try:
        words = glossary.search_words(ctx.settings)
    except FileNotFoundError:
        words = []
    table = []
    shards: list[list[list[object]]] = [[]]
    size = 0
    for pidx, page in enumerate(pages):
        table.append([page.url, page.title, page.date, page.kind, page.title_en])
        for rec in page.records:
            folded = fold(rec.text)
            row: list[object] = [pidx, rec.anchor, rec.kind, rec.lang, rec.text]
            if folded != rec.text or rec.pinyin:
                row.append(folded)
            if rec.pinyin:
                row.append(rec.pinyin)
            if size > SHARD_CHARS:
                shards.append([])
                size = 0
            shards[-1].append(row)
            size += len(rec.text) * (2 if len(row) > 5 else 1)
    names = []
    sizes: dict[str, int] = {}
    for n, rows in enumerate(shards):
        name = f"assets/search/shard-{n:03d}.js"
        path = prefix + name
        body = "window.__dgSearch.rows.push(" + _json(rows) + ");\n"
        writer.text(path, body)
        names.append(name)
        sizes[path] = len(body.encode())
    if "search_vocab" not in ctx.data:  # one vocabulary serves both scripts: queries are folded to Simplified
        ctx.data["search_vocab"] = vocabulary(pages, words)
    manifest = {"version": 1, "pages": table, "shards": names, "weights": KIND_WEIGHT,
                "t2s": "".join(a + b for a, b in sorted(t2s_map().items())),
                "vocab": ctx.data["search_vocab"]}
    body = "window.__dgSearch = window.__dgSearch || {rows: []};\nwindow.__dgSearch.manifest = " \
        + _json(manifest) + ";\n"
    writer.text(prefix + "assets/search/manifest.js", body)
    sizes[prefix + "assets/search/manifest.js"] = len(body.encode())
    ctx.data.setdefault("search_index_bytes", {}).update(sizes)
    if not prefix:
        writer.text("search.md", _SEARCH_PAGE)


def _json(value: object) -> str:
    # "</" would end a <script> element if this were ever inlined; escape it anyway.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


_SEARCH_PAGE = """---
title: Search 搜索
hide: [navigation, toc]
---

# Search 搜索

<form class="dg-search-form" role="search" action="search.html" method="get">
<label for="dg-search-page-input" class="dg-visually-hidden">Search 搜索</label>
<input id="dg-search-page-input" class="dg-search-input" type="search" name="q" autocomplete="off"
 placeholder="搜索 · Search · 拼音">
<button type="submit">Search 搜索</button>
</form>

<div id="dg-search-status" class="dg-search-status" role="status" aria-live="polite"></div>
<ol id="dg-search-results" class="dg-search-results"></ol>

<noscript><p>Search needs JavaScript. 搜索需要启用 JavaScript。</p></noscript>
"""
