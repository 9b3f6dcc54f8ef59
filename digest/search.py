"""Site search, prebuilt: a GENERATOR that writes the index the browser searches.

Why not Material's search: its in-browser query segmentation drops the last word
of a Chinese query (新质生产力 searched as 新*), and from file:// it rebuilds its
index on every page load. Here the index is built once, at build time:

- records are the units readers land on: a document's title, each heading,
  paragraph and caption (with its anchor), the editors' summary, English
  translations, term pages;
- the browser matches the *whole* query as a substring of a folded copy
  (lower case, full-width → ASCII, Traditional → Simplified, one quote style), so
  a four-character term finds exactly the pages that contain it, in either script;
- each text is stored once, folded (what is searched, so loading the index is
  only parsing it), with a small patch giving back the display text (capitals,
  closing quotes, Traditional characters) for the few rows a result shows;
- a query that is not found whole is segmented by longest match over the corpus
  vocabulary (jieba with the termbase as user dictionary) and its words ANDed;
- pinyin (toneless, e.g. ``baiqianwan``) finds term pages;
- shards are plain ``<script>`` files so the index loads from file:// too.

The folding is length-preserving (per character, in UTF-16 units too), so match
offsets are display offsets.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from digest.model import Document
from digest.stages import Context, Writer

# Rows per shard file: shards load in parallel (and are parsed off the main thread); counting rows, not
# bytes, gives every reading (Simplified, Traditional) the same shard files, which the search page
# names up front so they load together with the manifest.
SHARD_ROWS = 2000
KIND_WEIGHT = {"title": 10, "term": 8, "heading": 3, "summary": 2, "paragraph": 1, "caption": 1}


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
    return {a: b for a, b in zip(chars, out, strict=True) if a != b and len(b) == 1 and ord(b) <= 0xFFFF}


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


def _u16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


@lru_cache(maxsize=1)
def _changed_runs() -> re.Pattern[str]:
    """Runs of characters that fold() changes (every key of its table maps to another character)."""
    table = _fold_table()
    codes = sorted(o for o, v in table.items() if v != chr(o))
    ranges: list[list[int]] = []
    for o in codes:
        if ranges and ranges[-1][1] == o - 1:
            ranges[-1][1] = o
        else:
            ranges.append([o, o])
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{cls}]+")


def fold_and_patch(text: str) -> tuple[str, list[object]]:
    """``(fold(text), patch(text, fold(text)))``, found with one regular-expression scan instead of a
    Python loop over every character (the search index folds every paragraph of every reading)."""
    folded = fold(text)
    if folded == text:
        return folded, []
    out: list[object] = []
    astral = len(text.encode("utf-16-le")) != 2 * len(text)
    end = 0  # UTF-16 offset of the end of the previous run
    for m in _changed_runs().finditer(text):
        start, run = m.start(), m.group()
        if astral:
            start = len(text[:start].encode("utf-16-le")) // 2
            width = len(run.encode("utf-16-le")) // 2
        else:
            width = len(run)
        out += [start - end, run]
        end = start + width
    return folded, out


def patch(text: str, folded: str) -> list[object]:
    """What turns ``folded`` back into ``text``: [gap, original, gap, original, …], each gap counted in
    UTF-16 units from the end of the previous run (JavaScript's string offsets). [] when they are equal."""
    out: list[object] = []
    pos = end = 0  # UTF-16 offset of the current character; end of the previous run
    run_start, run = -1, ""
    for a, b in zip(text, folded, strict=True):
        if a != b:
            if not run:
                run_start = pos
            run += a
        elif run:
            out += [run_start - end, run]
            end = run_start + sum(map(_u16, run))
            run = ""
        pos += _u16(a)
    if run:
        out += [run_start - end, run]
    return out


def unpatch(folded: str, patch_: list[object]) -> str:
    """The display text of an index row (what digest/assets/search.js does with a row's patch)."""
    units = folded.encode("utf-16-le")
    out, pos = [], 0
    for gap, original in zip(patch_[::2], patch_[1::2], strict=True):
        at = pos + 2 * int(str(gap))
        out.append(units[pos:at].decode("utf-16-le") + str(original))
        pos = at + len(str(original).encode("utf-16-le"))
    return "".join(out) + units[pos:].decode("utf-16-le")


def document_page(doc: Document, translations: dict[str, dict[str, str]], records: bool = True) -> Page:
    """A document's search page; without its records unless ``records`` (the table's row needs none)."""
    english = translations.get(doc.id, {})
    page = Page(f"docs/{doc.id}.html", doc.meta.title, doc.meta.date, "document", title_en=english.get("title", ""))
    if not records:
        return page
    page.records.append(Record(0, "", "title", doc.meta.title))
    for b in doc.blocks:
        if b.anchor:
            page.records.append(Record(0, b.anchor, b.kind, b.text))
    for lang in ("zh", "en"):  # the editors' summary, shown at the top of the page
        if doc.summary.get(lang):
            page.records.append(Record(0, "summary", "summary", doc.summary[lang], lang=lang))
    if english.get("title"):
        page.records.append(Record(0, "", "title", english["title"], lang="en"))
    for b in doc.blocks:
        if b.anchor and english.get(b.anchor):
            page.records.append(Record(0, b.anchor, b.kind, english[b.anchor], lang="en"))
    return page


def _sources(docs: list[Document], ctx: Context) -> Iterator[tuple[Page, Callable[[], Page], str]]:
    """Each search page (without its records where they need not be made), what makes it whole, and its
    key: the hash of its records, or of the document page's key (render.page_keys, which hashes all that
    the page, its text and translations among it, is made from) when the build has one, so that a page
    is made only when its rows are."""
    from digest import cache

    translations: dict[str, dict[str, str]] = ctx.data.get("translations", {})
    page_keys: dict[str, str] = ctx.data.get("page_keys", {})
    for doc in sorted(docs, key=lambda d: d.id):
        known = page_keys.get(doc.id)
        if known:
            yield (document_page(doc, translations, records=False),
                   functools.partial(document_page, doc, translations), cache.digest_of("search page", known))
        else:
            page = document_page(doc, translations)
            yield page, functools.partial(_same, page), _records_key(page)
    for page in term_pages(ctx):
        yield page, functools.partial(_same, page), _records_key(page)


def _same(page: Page) -> Page:
    """A page already whole (what makes it, for one that is)."""
    return page


def _records_key(page: Page) -> str:
    from digest import cache

    return cache.digest_of(json.dumps([page.url, page.title, page.date, page.kind, page.title_en,
                                       [[r.anchor, r.kind, r.text, r.lang, r.pinyin] for r in page.records]],
                                      ensure_ascii=False))


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


def _tokens(page: Page, words: list[str], tokens: set[str]) -> None:
    """Add the words of a page's Chinese records (rjieba, with the termbase as its dictionary)."""
    from digest.segment import cut

    for rec in page.records:
        if rec.lang == "zh":
            tokens.update(cut(rec.text, words))


def _vocabulary(tokens: set[str]) -> list[str]:
    """Words for segmenting a query: the corpus's and the termbase's, folded."""
    return sorted({fold(w) for w in tokens if len(w) >= 2 and _HAN.search(w)})


def generate(docs: list[Document], ctx: Context, writer: Writer, convert: Callable[[str], str] | None = None,
             prefix: str = "", convert_key: str = "") -> None:
    """Write the index under ``prefix`` (a reading's folder); ``convert`` maps Chinese text (zh-Hant) and
    ``convert_key`` names that mapping (its memo's input).

    Streamed: a page's records are made, folded and put in the current shard, and a shard is
    written as soon as it is full, so the index is never held whole in memory. Each page's rows
    (and its words for the vocabulary) are memoised under the hash of its records, so a rebuild
    after one document changed folds, converts and segments that document's page only."""
    from digest import cache, glossary

    try:
        words = glossary.search_words(ctx.settings)
    except FileNotFoundError:
        words = []
    tokens: set[str] | None = None
    if "search_vocab" not in ctx.data:  # one vocabulary serves both scripts: queries are folded to Simplified
        tokens = {w for w in words if len(w) >= 2}
    # a page's rows, title and words under its key; its title, number of rows and words under "size <key>"
    # (one memo: two would each hold the database for their writes)
    memo = cache.stage_memo(ctx, f"search{'-' + prefix.strip('/') if prefix else ''}", convert_key,
                            json.dumps(words, ensure_ascii=False), "tokens" if tokens is not None else "")
    table = []
    names: list[str] = []
    sizes: dict[str, int] = {}
    shard: list[tuple[int, str, int, int, list[str] | None]] = []  # its pages: (number, key, rows from, to, rows)
    filled = 0  # rows in the shard

    def made(pidx: int) -> tuple[str, list[str], list[str]]:
        """A page's title, rows and words, made (not from the memo)."""
        return _page_rows(pages[pidx](), convert, words if tokens is not None else None)

    def flush() -> None:
        """Write the shard, or keep the last build's if it was made of the same rows of the same pages."""
        name = f"assets/search/shard-{len(names):03d}.js"
        shard_key = cache.digest_of(memo.base, name, json.dumps([s[:4] for s in shard])) if memo.enabled else ""
        if writer.keep(prefix + name, shard_key):
            for _pidx, key, _lo, _hi, _rows in shard:
                memo.touch(key)  # the rows stay in the memo for the build that needs them again
            size = os.path.getsize(writer.root / (prefix + name))
        else:
            rows: list[str] = []
            for pidx, key, lo, hi, page_rows in shard:
                if page_rows is None:
                    page_rows = memo.get(key, lambda pidx=pidx: made(pidx))[1]  # type: ignore[misc]
                rows.extend(f"[{pidx},{row}]" for row in page_rows[lo:hi])
            body = f"window.__dgSearch.rows[{len(names)}] = [" + ",".join(rows) + "];\n"  # shards may run in any order
            writer.text(prefix + name, body, shard_key)
            size = len(body.encode())
        names.append(name)
        sizes[prefix + name] = size
        shard.clear()

    pages: dict[int, Callable[[], Page]] = {}  # what makes the pages of the shard being filled (made again
    # only if it must be written)
    for pidx, (page, whole, key) in enumerate(_sources(docs, ctx)):
        in_hand: list[str] | None = None

        def measure(pidx: int = pidx, key: str = key) -> tuple[str, int, list[str]]:
            nonlocal in_hand
            title, in_hand, page_tokens = memo.get(key, lambda: made(pidx))
            return title, len(in_hand), page_tokens

        pages[pidx] = whole
        title, count, page_tokens = memo.get(f"size {key}", measure)
        if tokens is not None:
            tokens.update(page_tokens)
        table.append([page.url, title, page.date, page.kind, page.title_en])
        lo = 0
        while lo < count:
            if filled == SHARD_ROWS:
                flush()
                pages = {pidx: whole}  # the next shard starts with this page
                filled = 0
            hi = min(count, lo + SHARD_ROWS - filled)
            shard.append((pidx, key, lo, hi, in_hand))
            filled += hi - lo
            lo = hi
    flush()  # the last shard (written even when empty: the search page names shard-000)
    memo.close()
    if tokens is not None:
        ctx.data["search_vocab"] = _vocabulary(tokens)
    manifest = {"version": 1, "pages": table, "shards": names, "weights": KIND_WEIGHT,
                "t2s": "".join(a + b for a, b in sorted(t2s_map().items())),
                "vocab": ctx.data["search_vocab"]}
    body = "window.__dgSearch = window.__dgSearch || {rows: []};\nwindow.__dgSearch.manifest = " \
        + _json(manifest) + ";\n"
    writer.text(prefix + "assets/search/manifest.js", body)
    sizes[prefix + "assets/search/manifest.js"] = len(body.encode())
    ctx.data.setdefault("search_index_bytes", {}).update(sizes)
    if not prefix:
        writer.text("search.md", _SEARCH_PAGE.replace("{shards}", " ".join(names)))


def _page_rows(page: Page, convert: Callable[[str], str] | None,
               words: list[str] | None) -> tuple[str, list[str], list[str]]:
    """One page's title (converted), its index rows and, given the segmenter's ``words``, the words
    of its Simplified text for the vocabulary.

    A row is kept as the JSON of its values without the page number and the brackets around them
    (the shard puts ``[page,`` … ``]`` around it): a rebuild reuses the text instead of encoding
    every page's rows again, and the memo holds one string per row."""
    found: set[str] = set()
    if words is not None:
        _tokens(page, words, found)  # the vocabulary is cut from the Simplified text
    title = page.title
    if convert is not None:
        title = convert(title)
        for rec in page.records:
            if rec.lang == "zh":
                rec.text = convert(rec.text)
    rows: list[str] = []
    for rec in page.records:
        folded, back = fold_and_patch(rec.text)
        row: list[object] = [rec.anchor, rec.kind, rec.lang, folded]
        if back or rec.pinyin:
            row.append(back or 0)
        if rec.pinyin:
            row.append(rec.pinyin)
        rows.append(_json(row)[1:-1])
    return title, rows, sorted(found)


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
<ol id="dg-search-results" class="dg-search-results" data-shards="{shards}"></ol>

<noscript><p>Search needs JavaScript. 搜索需要启用 JavaScript。</p></noscript>
"""
