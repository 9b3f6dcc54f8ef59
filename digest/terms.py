"""Glossary stages: term recognition (an enricher) and term pages (a generator).

Recognition looks for every term and alias of the termbase in every anchored block
(title, headings, paragraphs, captions). It matches on the folded copy of the text
(:func:`digest.text.fold_map`: no spaces, unified quotes, NFKC) and maps each match
back to the display text. Among overlapping matches the longest wins (a five-character
slogan over the four-character slogan inside it), then the leftmost; so no term is ever
matched inside a longer one. A form that
begins or ends with a Latin letter or digit must not continue a longer Latin word or
number (1310 is not found in 13100).

Each match becomes a ``Block.marks`` entry of kind ``term``: a link to the term page
with a CSS-only tooltip (``aria-description``, shown on hover and keyboard focus). Items of
numbered formulas (a slogan → its items …) are found through the quote that spells them
out and marked ``term-item``, linking to the item on the term page.

The generator writes ``terms/<slug>.md`` per term and ``terms/<slug>/<n>.md`` for long document
lists, ``terms/index.md`` (by category and by pinyin) and ``glossary.json`` (all fields, search
forms, per-document counts); no page grows with the corpus (see "the generator" below).
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import operator
import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2

from digest import cache, escape, glossary, parallel, publish, render
from digest.glossary import CATEGORY_TITLES, Term, Termbase
from digest.model import Block, Document, Mark
from digest.text import fold, fold_map, unfold_span

if TYPE_CHECKING:
    from pathlib import Path

    from digest.stages import Context, Writer

RECOGNISED = ("title", "heading", "paragraph", "caption")
LINKED = ("paragraph", "caption")  # blocks whose marks the document page renders as links
KWIC_WIDTH = 18
CITE_WIDTH = 60
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_SENTENCE_END = "。！？；!?;"
_CLOSERS = "”’」』）)】》"


class Occurrence(NamedTuple):
    """One place where a term (or one of its aliases) is written.

    A named tuple, not a frozen dataclass: there are hundreds per document (4 million at 10,000
    documents), and a frozen dataclass takes three times as long to make (measured: 0.71 µs, 0.23 µs)."""

    term: str  # canonical term
    form: str  # the text as written in the document
    doc_id: str
    anchor: str  # anchor of the block ("title" for the title)
    block: int  # index in Document.blocks
    start: int  # display offsets in Block.text
    end: int


_DOC_ID = operator.attrgetter("doc_id")


class Cite(NamedTuple):
    """Where an item of a numbered formula is spelled out."""

    term: str
    item: int  # TermItem.number
    doc_id: str
    anchor: str
    block: int
    start: int  # the quote, display offsets in Block.text
    end: int


@dataclass
class GlossaryIndex:
    """What recognition found, for the generator and the cross-links (``ctx.data['glossary']``)."""

    termbase: Termbase
    documents: dict[str, Document]
    profile: str = "s2twp"  # OpenCC profile for Traditional forms
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)  # term → in reading order
    cites: dict[tuple[str, int], list[Cite]] = field(default_factory=dict)  # (term, item) → where
    _counts: tuple[dict[str, list[Occurrence]], dict[str, dict[str, int]]] | None = field(
        default=None, repr=False, compare=False)  # per-document counts, computed once per occurrences dict
    _rank: tuple[dict[str, Document], dict[str, int]] | None = field(
        default=None, repr=False, compare=False)  # documents' places, computed once per documents dict

    def rank(self) -> dict[str, int]:
        """document id → its place among the documents, oldest first (render.sort_key): a term's lists
        sort their documents by a lookup instead of making a date-and-id key for each one, per term."""
        if self._rank is None or self._rank[0] is not self.documents:
            ordered = sorted(self.documents.values(), key=render.sort_key)
            self._rank = (self.documents, {d.id: n for n, d in enumerate(ordered)})
        return self._rank[1]

    def doc_counts(self, doc_id: str) -> dict[str, int]:
        """term → number of occurrences in one document."""
        if self._counts is None or self._counts[0] is not self.occurrences:
            by_doc: dict[str, dict[str, int]] = {}
            for term, occs in self.occurrences.items():
                for o in occs:
                    counts = by_doc.setdefault(o.doc_id, {})
                    counts[term] = counts.get(term, 0) + 1
            self._counts = (self.occurrences, by_doc)
        return dict(self._counts[1].get(doc_id, {}))

    def doc_frequency(self, term: str) -> int:
        return len({o.doc_id for o in self.occurrences.get(term, [])})


# ───────────────────────── matching ─────────────────────────


class Matcher:
    """Every written form of every term, folded, longest first."""

    def __init__(self, termbase: Termbase) -> None:
        forms: dict[str, Term] = {}
        for t in termbase.terms:
            for f in t.forms:
                forms[fold(f)] = t
        self.forms = sorted(forms.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self.by_first: dict[str, list[tuple[str, Term]]] = {}  # first character → forms, longest first
        for form, term in self.forms:
            if form:
                self.by_first.setdefault(form[0], []).append((form, term))

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping (start, end, term) in display offsets of ``text``, in reading order.

        Quotation marks are ignored (“八五”普法 is 八五普法) unless two quoted phrases meet
        inside the match (“作风焕新”“指标攻坚” holds no term spanning both).
        """
        folded, where = fold_map(text, quotes=False)
        found: list[tuple[int, int, Term]] = []
        by_first = self.by_first
        for i, ch in enumerate(folded):
            for form, term in by_first.get(ch, ()):
                if folded.startswith(form, i):
                    found.append((i, i + len(form), term))
        ok = [m for m in found if not _QUOTE_JOIN.search(text[slice(*unfold_span(where, m[0], m[1]))])]
        return [(*_balance(text, *unfold_span(where, a, b)), t) for a, b, t in select(folded, ok)]


_QUOTE_JOIN = re.compile(r"[”’\"']\s*[“‘\"']")
_PAIRS = {"”": "“", "’": "‘"}


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quote mark that opens (or closes) a quote the match cuts in two: “1+4”导师制度."""
    span = text[start:end]
    for close, open_ in _PAIRS.items():
        if span.count(close) > span.count(open_) and start > 0 and text[start - 1] == open_:
            start -= 1
        elif span.count(open_) > span.count(close) and end < len(text) and text[end] == close:
            end += 1
    return start, end


def select(folded: str, found: list[tuple[int, int, Term]]) -> list[tuple[int, int, Term]]:
    """Longest first, then leftmost; drop matches that overlap a chosen one or split a Latin word."""
    taken = [False] * len(folded)
    chosen: list[tuple[int, int, Term]] = []
    for a, b, t in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0], m[2].term)):
        if any(taken[a:b]):
            continue
        if _ASCII_WORD.match(folded[a]) and a > 0 and _ASCII_WORD.match(folded[a - 1]):
            continue
        if _ASCII_WORD.match(folded[b - 1]) and b < len(folded) and _ASCII_WORD.match(folded[b]):
            continue
        for k in range(a, b):
            taken[k] = True
        chosen.append((a, b, t))
    return sorted(chosen, key=lambda m: m[0])


def anchored_blocks(doc: Document) -> list[tuple[int, Block, str]]:
    """(index, block, anchor) of every block terms are looked for in."""
    out: list[tuple[int, Block, str]] = []
    for i, b in enumerate(doc.blocks):
        if b.kind not in RECOGNISED:
            continue
        anchor = "title" if b.kind == "title" else b.anchor
        if anchor:
            out.append((i, b, anchor))
    return out


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around ``start:end`` (ends after 。！？； and closing quotes)."""
    a = start
    while a > 0 and text[a - 1] not in _SENTENCE_END:
        a -= 1
    b = end
    if not (end > start and text[end - 1] in _SENTENCE_END):
        while b < len(text):
            b += 1
            if text[b - 1] in _SENTENCE_END:
                break
    while b < len(text) and text[b] in _CLOSERS:
        b += 1
    while a < b and text[a] in " \u3000":
        a += 1
    return a, b


# ───────────────────────── the enricher ─────────────────────────


def _tip_attrs(tip: str) -> str:
    """The tooltip, in one attribute that serves both the screen reader and the CSS (``attr()``): a
    second copy would be a third of a document page's weight."""
    return f'aria-description="{escape.html(tip)}"'


def term_mark(term: Term, start: int, end: int, again: bool) -> Mark:
    return Mark(start, end, "term", {"open": _term_open(term.slug, term.tip(), again), "close": "</a>",
                                     "term": term.term, "slug": term.slug})


@functools.lru_cache(maxsize=4096)
def _term_open(slug: str, tip: str, again: bool) -> str:
    """The opening tag of a term link: built once per term, shared by all its occurrences."""
    cls = "dg-term dg-term--again" if again else "dg-term"
    return (f'<a class="{cls}" href="../terms/{escape.html(slug)}.html" '
            f'data-term="{escape.html(slug)}" {_tip_attrs(tip)}>')


def item_mark(term: Term, number: int, start: int, end: int) -> Mark:
    item = term.items[number - 1]
    tip = f"{term.english} ({term.term}), item {number}: {item.en}"
    open_ = (f'<a class="dg-term dg-term--item" href="../terms/{escape.html(term.slug)}.html#item-{number}" '
             f'data-term="{escape.html(term.slug)}" data-item="{number}" {_tip_attrs(tip)}>')
    return Mark(start, end, "term-item", {"open": open_, "close": "</a>", "term": term.term,
                                          "slug": term.slug, "item": str(number)})


def recognise(docs: list[Document], ctx: Context) -> None:
    """Enricher: mark every term occurrence and every cited formula item; index them in ``ctx.data``."""
    pinyin = cache.stage_memo(ctx, "pinyin")
    termbase = glossary.load(ctx.settings, pinyin)
    pinyin.close()
    if termbase is None:
        return
    index = GlossaryIndex(termbase, {d.id: d for d in docs}, ctx.settings.opencc_profile)
    ctx.data["glossary"] = index
    matcher = Matcher(termbase)
    # Matches depend on the document and on the forms alone: editing a definition keeps the memo.
    forms = json.dumps([[f, t.term] for f, t in matcher.forms], ensure_ascii=False)
    memo = cache.stage_memo(ctx, "terms", forms)
    keys: dict[str, str] = ctx.data.get("doc_keys", {})
    by_name = {t.term: t for t in termbase.terms}
    datas: dict[tuple[str, bool], Mapping[str, str]] = {}  # one data mapping per term and link style, shared
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    ordered = sorted(docs, key=lambda d: d.id)
    all_blocks = [anchored_blocks(doc) for doc in ordered]

    def find(n: int) -> list[list[tuple[int, int, str]]]:
        return [[(a, b, t.term) for a, b, t in matcher.find(block.text)] for _, block, _ in all_blocks[n]]

    founds = memo.get_each([keys.get(doc.id) for doc in ordered], find, parallel.workers(ctx.settings))
    for doc, blocks, found in zip(ordered, all_blocks, founds, strict=True):
        seen: set[str] = set()
        for (i, block, anchor), matches in zip(blocks, found, strict=True):
            linked_here: set[str] = set()  # a term is linked once per paragraph; every occurrence is indexed
            for start, end, name in matches:
                term = by_name[name]
                occurrences[term.term].append(Occurrence(term.term, sys.intern(block.text[start:end]), doc.id,
                                                         anchor, i, start, end))
                if term.term in linked_here:
                    continue
                linked_here.add(term.term)
                again = term.term in seen
                data = datas.get((name, again))
                if data is None:
                    data = datas[(name, again)] = term_mark(term, 0, 0, again).data
                block.marks.append(Mark(start, end, "term", data))
                if block.kind in LINKED:
                    seen.add(term.term)
    memo.close()
    index.occurrences = dict(sorted(occurrences.items()))
    _cite_items(ordered, all_blocks, ctx, index, forms)


def _cite_items(ordered: list[Document], all_blocks: list[list[tuple[int, Block, str]]], ctx: Context,
                index: GlossaryIndex, forms: str) -> None:
    """Find every formula item's quote in the documents (in id order, with their anchored blocks as the
    term matching used them, their term marks made) and mark the item's words there; marks are applied
    in (term, item, place) order. ``forms``: what the term marks were made from (the matcher's forms)."""
    items = [(term, item, fold(item.quote)) for term in index.termbase.terms for item in term.items]
    quotes = [quote for _term, _item, quote in items]
    words = [fold(item.zh) for _term, item, _quote in items]
    # What a document's item marks are depends on the document (its term marks among it, made from the
    # forms) and on the quotes and the items' words alone (cache.Memo).
    memo = cache.stage_memo(ctx, "cite-items", json.dumps([quotes, words, forms], ensure_ascii=False))
    keys: dict[str, str] = ctx.data.get("doc_keys", {})
    hits: list[tuple[int, int, Document, int, Block, str, int, int, int, int]] = []  # item, doc, …

    def find(n: int) -> list[tuple[int, int, int, int, int, int]]:
        return item_spans(quotes, words, [b for _, b, _ in all_blocks[n]]) if all_blocks[n] else []

    wanted = [keys.get(doc.id) if blocks else None for doc, blocks in zip(ordered, all_blocks, strict=True)]
    founds = memo.get_each(wanted, find, parallel.workers(ctx.settings))
    for d, (doc, blocks, found) in enumerate(zip(ordered, all_blocks, founds, strict=True)):
        for k, j, qs, qe, a, b in found:
            i, block, anchor = blocks[j]
            hits.append((k, d, doc, i, block, anchor, qs, qe, a, b))
    memo.close()
    hits.sort(key=lambda h: (h[0], h[1]))  # stable: each document's own order (block, place) stays
    cites: dict[int, list[Cite]] = defaultdict(list)
    for k, _d, doc, i, block, anchor, qs, qe, a, b in hits:
        term, item, _quote = items[k]
        cites[k].append(Cite(term.term, item.number, doc.id, anchor, i, qs, qe))
        if a >= 0:
            block.marks.append(item_mark(term, item.number, a, b))
    for k, (term, item, _quote) in enumerate(items):
        if not cites.get(k):
            ctx.warn(str(index.termbase.path), f"'{term.term}': the quote of item {item.number} "
                     f"'{item.zh}' occurs in no document", item.line)
        index.cites[(term.term, item.number)] = cites.get(k, [])


def item_spans(quotes: list[str], words: list[str], blocks: list[Block]) -> list[tuple[int, int, int, int, int, int]]:
    """Where each item's quote (folded) occurs in one document's blocks, and the span to mark there:
    (item, block, quote start, quote end, mark start, mark end), in (item, block, place) order, the mark
    -1, -1 where it would overlap a mark. The marks are those of the blocks, and each span found before
    (see :func:`item_span`)."""
    found = find_quotes(quotes, [b.text for b in blocks])
    found.sort()
    marks: dict[int, list[tuple[int, int]]] = {}
    maps: dict[int, list[int]] = {}
    out: list[tuple[int, int, int, int, int, int]] = []
    for k, j, pos in found:
        text = blocks[j].text
        where = maps.get(j)
        if where is None:
            where = maps[j] = fold_map(text)[1]
            marks[j] = [(m.start, m.end) for m in blocks[j].marks]
        qs, qe = unfold_span(where, pos, pos + len(quotes[k]))
        span = item_span(text, marks[j], words[k], qs, qe)
        if span is None:
            out.append((k, j, qs, qe, -1, -1))
        else:
            marks[j].append(span)
            out.append((k, j, qs, qe, *span))
    return out


def find_quotes(quotes: list[str], texts: list[str]) -> list[tuple[int, int, int]]:
    """Every occurrence of each quote (folded) in the folded texts: (quote, text, position), in that order."""
    folded = [fold_map(text)[0] for text in texts]
    starts = list(itertools.accumulate((len(f) + 1 for f in folded[:-1]), initial=0))
    joined = "\x00".join(folded)  # a quote holds no NUL, so no match spans two texts
    found: list[tuple[int, int, int]] = []
    for k, quote in enumerate(quotes):
        pos = joined.find(quote) if quote else -1
        while pos != -1:
            j = bisect.bisect_right(starts, pos) - 1
            found.append((k, j, pos - starts[j]))
            pos = joined.find(quote, pos + 1)
    return found


def item_span(text: str, marks: list[tuple[int, int]], zh: str, qs: int, qe: int) -> tuple[int, int] | None:
    """The span to mark for an item whose quote is at ``qs:qe`` of ``text``: the item's own words (``zh``,
    folded) nearest to the quote inside its sentence, else the quote itself; None when each overlaps
    one of ``marks``."""
    sa, sb = sentence_span(text, qs, qe)
    folded, where = fold_map(text[sa:sb])
    spans: list[tuple[int, int]] = []
    pos = folded.find(zh) if zh else -1
    while pos != -1:
        a, b = unfold_span(where, pos, pos + len(zh))
        spans.append((sa + a, sa + b))
        pos = folded.find(zh, pos + 1)
    spans.sort(key=lambda s: (0 if qs <= s[0] and s[1] <= qe else 1, abs(s[0] - qs), s[0]))
    for a, b in [*spans, (qs, qe)]:
        if not any(s < b and a < e for s, e in marks):
            return a, b
    return None


# ───────────────────────── the generator ─────────────────────────
#
# A term page stays small however many documents use the term; nothing on it grows with the corpus:
#
# - ``terms/<slug>.md`` (its URL never changes) holds the entry (forms, English rendering and source,
#   definition, items, related terms), the editors' notes that link to the term (at most NOTES_MAX),
#   the counts (occurrences, documents, per year), keyword-in-context lines from the KWIC_DOCS newest
#   documents (at most KWIC_PER_DOC each, then "N more in this document" linking to the next one), and
#   the next documents as one-line rows (date, title, count, link to the first occurrence).
# - ``terms/<slug>/<n>.md`` hold the older documents, DOCS_PER_PAGE rows a page. Pages are numbered
#   from the *oldest* document and every page but the term page is full, so a newer document never
#   changes what an existing page lists: page 1 always lists the same oldest documents, and a cited
#   page keeps its content (only its pager changes, when a new page appears within PAGER_WINDOW of
#   it). The pager (a window of nearby pages, never all of them) links the pages, newest first. A
#   page once published (annotations/published.txt) that is no longer needed, because the term is
#   now in fewer documents, stays as a short page pointing back to the term page: published URLs
#   never disappear.
# - ``glossary.json`` holds per term and document a count and the first anchor, never one entry per
#   occurrence (see :func:`glossary_json` for its shape).
#
# Why pages and not a capped list: a researcher needs the complete list of documents using a term,
# readable without tools; search finds text, not recognised terms (it would find a place name inside a
# longer one, and miss an alias), and glossary.json is for programs. The cost is one more page per
# DOCS_PER_PAGE documents using a term, built in each reading; rows are short (title linking to the
# first occurrence, date, count, where) so that pages can be long: a page stays under ~100 KB of HTML.

KWIC_DOCS = 10  # documents with keyword-in-context lines on the term page (the newest)
KWIC_PER_DOC = 3  # lines per document
DOCS_PER_PAGE = 300  # one-line rows per page of the document list (~200 bytes each)
CITES_PER_ITEM = 3  # documents quoted per formula item
NOTES_MAX = 10  # editors' notes shown on a term page
NOTE_EXCERPT = 160  # characters of a note's text
PAGER_WINDOW = 2  # pages shown either side of the current one (plus the newest and the oldest)
TITLE_MAX = 60  # characters of a document title in a list (the document page has it whole)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("digest", "templates"),
    autoescape=False,  # Markdown output; every value goes through esc() or h()
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.globals.update(esc=escape.text, h=escape.html, yaml_str=escape.yaml_str)

LEVEL_TITLES = {"national": "national 国家", "provincial": "provincial 省级", "municipal": "municipal 市级",
                "district": "district 区级", "street": "subdistrict 街道级", "community": "community 社区级"}


@dataclass
class Kwic:
    left: str
    key: str
    right: str
    href: str
    label: str  # where in the document ("paragraph 3")


@dataclass(slots=True)
class DocUse:
    """One document's use of a term: its occurrences in reading order."""

    doc: Document
    occs: list[Occurrence]

    @property
    def count(self) -> int:
        return len(self.occs)

    @property
    def first(self) -> Occurrence:
        return self.occs[0]


@dataclass
class Usage:
    """Where a term occurs, laid out on its pages. Every list of documents is newest first."""

    uses: list[DocUse]  # every document using the term
    rich: list[DocUse]  # the KWIC_DOCS newest: keyword-in-context lines on the term page
    rows: list[DocUse]  # the next ones, as rows on the term page (1 to DOCS_PER_PAGE of them)
    pages: list[list[DocUse]]  # pages[n - 1] is page n: DOCS_PER_PAGE rows each, page 1 the oldest

    @property
    def total(self) -> int:
        return sum(u.count for u in self.uses)


_PLACE = operator.attrgetter("block", "start")  # an Occurrence's (block, start): its place in reading order


def usage(term: Term, index: GlossaryIndex) -> Usage:
    """The documents using ``term``, split into the term page and full pages counted from the oldest."""
    by_doc: dict[str, list[Occurrence]] = {}
    # A document's occurrences are listed together (recognise goes document by document): grouped by runs,
    # without a step per occurrence in Python; a run of a document met before joins its first one.
    for doc_id, run in itertools.groupby(index.occurrences.get(term.term, []), key=_DOC_ID):
        if (occs := by_doc.get(doc_id)) is None:
            by_doc[doc_id] = list(run)
        else:
            occs.extend(run)
    rank = index.rank()
    oldest_first = [DocUse(index.documents[d], sorted(by_doc[d], key=_PLACE))
                    for d in sorted(by_doc, key=rank.__getitem__)]
    rest = oldest_first[: max(0, len(oldest_first) - KWIC_DOCS)]
    full = max(0, -(-len(rest) // DOCS_PER_PAGE) - 1)  # the term page keeps 1 to DOCS_PER_PAGE rows
    pages = [rest[n * DOCS_PER_PAGE : (n + 1) * DOCS_PER_PAGE][::-1] for n in range(full)]
    return Usage(oldest_first[::-1], oldest_first[len(rest) :][::-1], rest[full * DOCS_PER_PAGE :][::-1], pages)


def _block_label(doc: Document, block: int) -> str:
    """Readable position of an anchored block: title, heading 2, paragraph 7, caption 1."""
    kind = doc.blocks[block].kind
    if kind == "title":
        return kind
    return f"{kind} {sum(1 for b in doc.blocks[: block + 1] if b.kind == kind)}"


def _doc_url(doc_id: str, anchor: str) -> str:
    return f"docs/{doc_id}.html#{anchor}"


def _kwic(doc: Document, occ: Occurrence, width: int = KWIC_WIDTH) -> Kwic:
    text = doc.blocks[occ.block].text
    a, b = max(0, occ.start - width), min(len(text), occ.end + width)
    left = ("…" if a > 0 else "") + text[a : occ.start]
    right = text[occ.end : b] + ("…" if b < len(text) else "")
    return Kwic(left, text[occ.start : occ.end], right, "../" + _doc_url(doc.id, occ.anchor),
                _block_label(doc, occ.block))


def _doc_sort(doc: Document) -> tuple[str, str]:
    return (doc.meta.date or "9999", doc.id)


def _row(use: DocUse, up: str) -> dict[str, Any]:
    """One line of a document list: the title links to the first occurrence (a citation, like a
    keyword-in-context line); ``up`` leads from the page to the site root."""
    doc = use.doc
    return {"title": short_title(doc), "date": doc.meta.date, "count": use.count,
            "href": f"{up}{_doc_url(doc.id, use.first.anchor)}", "label": _block_label(doc, use.first.block)}


def short_title(doc: Document) -> str:
    """The title as a list shows it: at most TITLE_MAX characters (the id when there is none)."""
    title = doc.meta.title or doc.id
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _range(uses: list[DocUse]) -> str:
    """The dates a page covers, oldest – newest ("undated" for documents without a date)."""
    old, new = (uses[-1].doc.meta.date or "undated"), (uses[0].doc.meta.date or "undated")
    return old if old == new else f"{old} – {new}"


def pager(slug: str, pages: list[list[DocUse]], current: int) -> list[dict[str, Any]]:
    """Links between the pages of a term's document list, newest first: the term page (``current`` 0),
    then pages n … 1, each labelled with its dates. Listed are the term page, the oldest page and
    PAGER_WINDOW pages either side of the current one, so the pager stays small however many pages
    there are. A ``gap`` entry marks older pages left out; newer ones left out are not marked (the
    first entry is the term page, "newest"), so a page's pager changes only when a page appears within
    its window."""
    order = [0, *range(len(pages), 0, -1)]
    at = order.index(current)
    keep = {0, len(order) - 1, *range(at - PAGER_WINDOW, at + PAGER_WINDOW + 1)}
    out: list[dict[str, Any]] = []
    for i, n in enumerate(order):
        if i not in keep:
            if i > at and not out[-1]["gap"]:
                out.append({"gap": True})
            continue
        if n == 0:
            href, label = (f"../{slug}.html#documents" if current else "#documents"), "newest 最新"
        else:
            href, label = (f"{slug}/{n}.html" if current == 0 else f"{n}.html"), _range(pages[n - 1])
        out.append({"gap": False, "href": href, "label": label, "page": n, "current": n == current})
    return out


def _years(uses: list[DocUse]) -> list[dict[str, Any]]:
    """Documents and occurrences per year, newest first, undated last."""
    years: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for u in uses:
        y = years[u.doc.meta.date[:4] or "undated"]
        y[0] += 1
        y[1] += u.count
    return [{"year": y, "docs": d, "occs": o}
            for y, (d, o) in sorted(years.items(), key=lambda kv: (kv[0] != "undated", kv[0]), reverse=True)]


_TERM_LINK = re.compile(r'href="\.\./terms/([a-z0-9-]+)\.html')
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|h[1-6]|blockquote|pre|table|tr|td|th|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def notes_by_term(docs: list[Document]) -> dict[str, list[dict[str, Any]]]:
    """slug → the editors' notes that link to that term page, newest document first, as excerpts."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in sorted(docs, key=render.sort_key, reverse=True):
        for b in doc.blocks:
            for n, note in enumerate(b.notes, start=1):
                text = " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", note.html))).split())
                if len(text) > NOTE_EXCERPT:
                    text = text[: NOTE_EXCERPT - 1] + "…"
                for slug in dict.fromkeys(_TERM_LINK.findall(note.html)):
                    out[slug].append({"doc": doc, "title": short_title(doc), "text": text, "author": note.author,
                                      "href": f"../docs/{doc.id}.html#note-{b.anchor}-{n}"})
    return out


def _item_cites(term: Term, index: GlossaryIndex) -> list[dict[str, Any]]:
    """Each item with the passages that spell it out: the first in each of the CITES_PER_ITEM newest
    documents quoting it, and how many documents are left out."""
    items = []
    for item in term.items:
        first: dict[str, Cite] = {}
        for c in index.cites.get((term.term, item.number), []):
            first.setdefault(c.doc_id, c)
        newest = sorted(first.values(), key=lambda c: render.sort_key(index.documents[c.doc_id]), reverse=True)
        cites = []
        for c in newest[:CITES_PER_ITEM]:
            doc = index.documents[c.doc_id]
            text = doc.blocks[c.block].text
            sa, sb = sentence_span(text, c.start, c.end)
            sa, sb = max(sa, c.start - CITE_WIDTH), min(sb, c.end + CITE_WIDTH)
            cut_left = sa > 0 and text[sa - 1] not in _SENTENCE_END
            cut_right = sb < len(text) and text[sb - 1] not in _SENTENCE_END
            cites.append({"doc": doc, "href": "../" + _doc_url(doc.id, c.anchor),
                          "label": _block_label(doc, c.block),
                          "before": ("…" if cut_left else "") + text[sa : c.start],
                          "quote": text[c.start : c.end],
                          "after": text[c.end : sb] + ("…" if cut_right else "")})
        items.append({"item": item, "cites": cites, "more": max(0, len(newest) - CITES_PER_ITEM)})
    return items


def term_context(term: Term, index: GlossaryIndex, use: Usage | None = None,
                 notes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Everything the term page shows, already in display order and bounded in size."""
    use = use or usage(term, index)
    groups = []
    for u in use.rich:
        shown = u.occs[:KWIC_PER_DOC]
        more = u.occs[KWIC_PER_DOC:]
        groups.append({"doc": u.doc, "title": short_title(u.doc), "count": u.count, "first": _kwic(u.doc, u.first),
                       "lines": [_kwic(u.doc, o) for o in shown], "more": len(more),
                       "more_href": "../" + _doc_url(u.doc.id, more[0].anchor) if more else ""})
    dated = min((u.doc for u in use.uses), key=_doc_sort, default=None)
    notes = notes or []
    return {"t": term, "groups": groups, "items": _item_cites(term, index),
            "related": [index.termbase.by_term[r] for r in term.related],
            "notes": notes[:NOTES_MAX], "notes_more": max(0, len(notes) - NOTES_MAX),
            "total": use.total, "documents": len(use.uses), "years": _years(use.uses),
            "rows": [_row(u, "../") for u in use.rows], "last": len(use.uses) - len(use.rich),
            "pager": pager(term.slug, use.pages, 0) if use.pages else [], "page_count": len(use.pages),
            "older": sum(len(p) for p in use.pages), "kwic_per_doc": KWIC_PER_DOC,
            "category_title": CATEGORY_TITLES[term.category], "level_title": LEVEL_TITLES.get(term.level, ""),
            "first_doc": dated}


def page_context(term: Term, use: Usage, n: int) -> dict[str, Any]:
    """Page ``n`` of the term's document list (1 = the oldest documents); past the last page, an empty
    page that points back to the term page (a page once published is never removed). Nothing on it
    depends on newer documents: documents are numbered from the oldest, and totals are left to the term
    page."""
    uses = use.pages[n - 1] if n <= len(use.pages) else []
    return {"t": term, "n": n, "range": _range(uses) if uses else "", "rows": [_row(u, "../../") for u in uses],
            "first": (n - 1) * DOCS_PER_PAGE + 1, "last": (n - 1) * DOCS_PER_PAGE + len(uses),
            "pager": pager(term.slug, use.pages, n) if uses else []}


def _letter(term: Term) -> str:
    first = term.pinyin_plain[:1].upper()
    return first if first.isalpha() else "0–9"


def index_context(index: GlossaryIndex) -> dict[str, Any]:
    terms = index.termbase.terms
    counts = {t.term: len(index.occurrences.get(t.term, [])) for t in terms}
    categories = []
    for cat, title in CATEGORY_TITLES.items():
        members = sorted((t for t in terms if t.category == cat), key=lambda t: (t.pinyin_plain, t.term))
        if members:
            categories.append({"id": f"cat-{cat}", "title": title, "terms": members})
    letters: dict[str, list[Term]] = defaultdict(list)
    for t in sorted(terms, key=lambda t: (t.pinyin_plain, t.term)):
        letters[_letter(t)].append(t)
    order = sorted(letters, key=lambda k: (not k.isalpha(), k))
    az = [{"letter": k, "id": "az-" + (k.lower() if k.isalpha() else "0-9"), "terms": letters[k]}
          for k in order]
    return {"terms": terms, "categories": categories, "az": az, "counts": counts,
            "documents": len({o.doc_id for occs in index.occurrences.values() for o in occs})}


def glossary_json(index: GlossaryIndex) -> dict[str, Any]:
    """The machine-readable glossary (``version`` 2), as :func:`write_pages` writes it to glossary.json.
    Its size grows by one short row per document and term that occurs in it, never per occurrence::

        {"version": 2, "count": <number of terms>,
         "documents": {<doc id>: {"title", "date", "url": "docs/<id>.html"}},  # every document using a term
         "terms": [{                                                            # by slug
            "term", "slug", "url": "terms/<slug>.html", "aliases", "traditional", "pinyin", "pinyin_plain",
            "initials", "search": {"forms", "traditional", "pinyin", "initials", "english"},
            "category", "level", "english", "english_source", "english_ours", "english_alt",
            "definition_en", "definition_zh", "related": [{"term", "slug"}],
            "items": [{"number", "zh", "en", "quote",
                       "cites": [{"doc", "anchor", "url", "count"}]}],  # per document quoting the item:
                                                                        # its first passage, how many
            "pages": ["terms/<slug>.html", "terms/<slug>/<n>.html", …],  # the pages listing its documents
            "occurrences": {"total": <occurrences>, "document_count": <documents>,
                            "documents": [{"id", "count", "first": <anchor>}]}}]}  # newest first

    Version 1 listed every occurrence (anchor, form, offsets) and each document's title and URL under
    every term; the title and URL are now in ``documents``, once.
    """
    entries: list[dict[str, Any]] = []
    used: dict[str, Document] = {}
    for t in sorted(index.termbase.terms, key=lambda t: t.slug):
        use = usage(t, index)
        entries.append(glossary_entry(t, index, use))
        used.update((u.doc.id, u.doc) for u in use.uses)
    return {"version": 2, "count": len(entries), "documents": documents_table(used), "terms": entries}


def documents_table(used: dict[str, Document]) -> dict[str, dict[str, str]]:
    """glossary.json's ``documents``: id → title, date and URL, newest first."""
    return {d.id: {"title": d.meta.title, "date": d.meta.date, "url": f"docs/{d.id}.html"}
            for d in sorted(used.values(), key=render.sort_key, reverse=True)}


def glossary_entry(t: Term, index: GlossaryIndex, use: Usage) -> dict[str, Any]:
    """One term of glossary.json (see :func:`glossary_json`)."""
    items = []
    for it in t.items:
        cites: dict[str, dict[str, Any]] = {}
        for c in index.cites.get((t.term, it.number), []):
            cite = cites.setdefault(c.doc_id, {"doc": c.doc_id, "anchor": c.anchor,
                                               "url": _doc_url(c.doc_id, c.anchor), "count": 0})
            cite["count"] += 1
        items.append({"number": it.number, "zh": it.zh, "en": it.en, "quote": it.quote,
                      "cites": list(cites.values())})
    return {
        "term": t.term, "slug": t.slug, "url": f"terms/{t.slug}.html",
        "aliases": t.aliases, "traditional": t.traditional, "pinyin": t.pinyin,
        "pinyin_plain": t.pinyin_plain, "initials": t.initials,
        "search": {"forms": t.forms,
                   "traditional": t.search_forms["traditional"],
                   "pinyin": t.search_forms["pinyin"],
                   "initials": t.search_forms["initials"],
                   "english": [t.english, *t.english_alt]},
        "category": t.category, "level": t.level or None,
        "english": t.english, "english_source": t.english_source, "english_ours": t.ours,
        "english_alt": t.english_alt, "definition_en": t.definition_en, "definition_zh": t.definition_zh,
        "related": [{"term": r, "slug": index.termbase.by_term[r].slug} for r in t.related],
        "items": items,
        "pages": [f"terms/{t.slug}.html", *(f"terms/{t.slug}/{n}.html" for n in range(1, len(use.pages) + 1))],
        "occurrences": {"total": use.total, "document_count": len(use.uses),
                        "documents": [{"id": u.doc.id, "count": u.count, "first": u.first.anchor}
                                      for u in use.uses]},
    }


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


GLOSSARY_JSON = "glossary.json"


def glossary_head(documents: dict[str, dict[str, str]], count: int) -> str:
    """glossary.json up to its terms: one line per document and per term, compact, yet readable line by
    line. Then come the terms, each one line of JSON, joined by ",\\n", and :data:`GLOSSARY_TAIL`."""
    table = ",\n".join(_compact(k).decode() + ":" + _compact(v).decode() for k, v in documents.items())
    return f'{{\n"version":2,\n"count":{count},\n"documents":{{\n{table}\n}},\n"terms":[\n'


GLOSSARY_TAIL = "\n]\n}\n"


_PUBLISHED_PAGE = re.compile(r"(?:[A-Za-z-]+/)?terms/([a-z0-9-]+)/(\d+)\.html")  # in any reading


def published_pages(annotations: Path) -> dict[str, int]:
    """slug → the highest page number of its document list ever published (annotations/published.txt)."""
    out: dict[str, int] = {}
    for url in sorted(publish.recorded(annotations)):
        if m := _PUBLISHED_PAGE.fullmatch(url):
            out[m.group(1)] = max(out.get(m.group(1), 0), int(m.group(2)))
    return out


def term_key(term: Term, index: GlossaryIndex, use: Usage, notes: list[dict[str, Any]] | None, count: int,
             inputs: render.KeyInputs) -> str:
    """The hash of everything a term's page is made from (render.key_inputs): the glossary (among the
    annotations every page reads), the documents using the term or quoting its items, as read (their
    text, titles and dates), the editors' notes linking to it and how many list pages it has."""
    base, doc_keys = inputs.base, inputs.doc_keys
    users = [u.doc.id for u in use.uses]
    users += sorted({c.doc_id for item in term.items for c in index.cites.get((term.term, item.number), [])})
    return cache.digest_of("term pages", base, term.slug, str(count),
                           json.dumps([[d, doc_keys.get(d, "")] for d in users]),
                           json.dumps([{k: v for k, v in n.items() if k != "doc"} for n in notes or []],
                                      ensure_ascii=False, sort_keys=True))


def list_page_key(term: Term, use: Usage, n: int, inputs: render.KeyInputs) -> str:
    """The hash of what page ``n`` of a term's document list is made from: the glossary (see
    :func:`term_key`), the documents it lists, as read, and its pager (the dates of the pages near it)."""
    base, doc_keys = inputs.base, inputs.doc_keys
    uses = use.pages[n - 1] if n <= len(use.pages) else []
    return cache.digest_of("term list page", base, term.slug, str(n),
                           json.dumps(pager(term.slug, use.pages, n) if uses else [], ensure_ascii=False),
                           json.dumps([[u.doc.id, doc_keys.get(u.doc.id, "")] for u in uses]))


def write_pages(docs: list[Document], ctx: Context, writer: Writer) -> None:
    """Generator: term pages and the pages of their document lists, the glossary index, glossary.json and
    the nav entry. One term at a time: only its own usage is held, and its glossary.json entry as text,
    when the last build's glossary.json does not hold it under the same key (the term page's)."""
    index: GlossaryIndex | None = ctx.data.get("glossary")
    if index is None:
        return
    page, more = _ENV.get_template("term.md.j2"), _ENV.get_template("term_docs.md.j2")
    notes = notes_by_term(docs)
    published = published_pages(ctx.settings.annotations)
    entries: list[tuple[Term, str, bytes | None]] = []  # each term's glossary.json entry and its key
    known = writer.known_pieces.get(GLOSSARY_JSON, {}).get("pieces", {})  # the entries of the last build's file
    used: dict[str, Document] = {}
    inputs = render.key_inputs(ctx)
    for t in sorted(index.termbase.terms, key=lambda t: t.slug):
        use = usage(t, index)
        count = max(len(use.pages), published.get(t.slug, 0))
        key = term_key(t, index, use, notes.get(t.slug), count, inputs) if inputs else ""
        if not writer.keep(f"terms/{t.slug}.md", key):
            writer.text(f"terms/{t.slug}.md", page.render(**term_context(t, index, use, notes.get(t.slug))), key)
        entry_key = cache.digest_of("glossary entry", key) if key else ""  # what the page is made from covers it
        entries.append((t, entry_key, None if entry_key in known else _compact(glossary_entry(t, index, use))))
        for n in range(1, count + 1):
            key = list_page_key(t, use, n, inputs) if inputs else ""
            if not writer.keep(f"terms/{t.slug}/{n}.md", key):
                writer.text(f"terms/{t.slug}/{n}.md", more.render(**page_context(t, use, n)), key)
        used.update((u.doc.id, u.doc) for u in use.uses)
    writer.text("terms/index.md", _ENV.get_template("terms_index.md.j2").render(**index_context(index)))
    with writer.in_pieces(GLOSSARY_JSON) as out:
        out.raw(glossary_head(documents_table(used), len(entries)))
        for n, (t, entry_key, entry) in enumerate(entries):
            if n:
                out.raw(",\n")
            out.piece(entry_key, lambda t=t, entry=entry: (  # type: ignore[misc]
                entry if entry is not None else _compact(glossary_entry(t, index, usage(t, index)))).decode())
        out.raw(GLOSSARY_TAIL)
    ctx.nav.append(("Glossary 术语", "terms/index.md"))
    reg = index.termbase.registry
    if reg is not None and reg.changed:
        reg.save()
