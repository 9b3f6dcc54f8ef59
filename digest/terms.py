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
with a CSS-only tooltip (``data-tip``, shown on hover and keyboard focus). Items of
numbered formulas (a slogan → its items …) are found through the quote that spells them
out and marked ``term-item``, linking to the item on the term page.

The generator writes ``terms/<slug>.md`` per term, ``terms/index.md`` (by category and
by pinyin) and ``glossary.json`` (all fields, search forms and occurrences).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2

from digest import escape, glossary
from digest.glossary import CATEGORY_TITLES, Term, Termbase
from digest.model import Block, Document, Mark
from digest.text import fold, fold_map, unfold_span

if TYPE_CHECKING:
    from digest.stages import Context, Writer

RECOGNISED = ("title", "heading", "paragraph", "caption")
LINKED = ("paragraph", "caption")  # blocks whose marks the document page renders as links
KWIC_WIDTH = 18
CITE_WIDTH = 60
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_SENTENCE_END = "。！？；!?;"
_CLOSERS = "”’」』）)】》"


@dataclass(frozen=True)
class Occurrence:
    """One place where a term (or one of its aliases) is written."""

    term: str  # canonical term
    form: str  # the text as written in the document
    doc_id: str
    anchor: str  # anchor of the block ("title" for the title)
    block: int  # index in Document.blocks
    start: int  # display offsets in Block.text
    end: int


@dataclass(frozen=True)
class Cite:
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
    value = escape.html(tip)
    return f'data-tip="{value}" aria-description="{value}"'


def term_mark(term: Term, start: int, end: int, again: bool) -> Mark:
    key = (id(term), again)
    cached = _OPEN_TAGS.get(key)
    if cached is None or cached[0] is not term:
        cls = "dg-term dg-term--again" if again else "dg-term"
        open_ = (f'<a class="{cls}" href="../terms/{escape.html(term.slug)}.html" '
                 f'data-term="{escape.html(term.slug)}" {_tip_attrs(term.tip())}>')
        cached = _OPEN_TAGS[key] = (term, open_)
    return Mark(start, end, "term", {"open": cached[1], "close": "</a>", "term": term.term, "slug": term.slug})


_OPEN_TAGS: dict[tuple[int, bool], tuple[Term, str]] = {}  # the same link for every occurrence of a term


def item_mark(term: Term, number: int, start: int, end: int) -> Mark:
    item = term.items[number - 1]
    tip = f"{term.english} ({term.term}), item {number}: {item.en}"
    open_ = (f'<a class="dg-term dg-term--item" href="../terms/{escape.html(term.slug)}.html#item-{number}" '
             f'data-term="{escape.html(term.slug)}" data-item="{number}" {_tip_attrs(tip)}>')
    return Mark(start, end, "term-item", {"open": open_, "close": "</a>", "term": term.term,
                                          "slug": term.slug, "item": str(number)})


def _overlaps(marks: list[Mark], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in marks)


def recognise(docs: list[Document], ctx: Context) -> None:
    """Enricher: mark every term occurrence and every cited formula item; index them in ``ctx.data``."""
    termbase = glossary.load(ctx.settings)
    if termbase is None:
        return
    index = GlossaryIndex(termbase, {d.id: d for d in docs}, ctx.settings.opencc_profile)
    ctx.data["glossary"] = index
    matcher = Matcher(termbase)
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.id):
        seen: set[str] = set()
        for i, block, anchor in anchored_blocks(doc):
            linked_here: set[str] = set()  # a term is linked once per paragraph; every occurrence is indexed
            for start, end, term in matcher.find(block.text):
                occurrences[term.term].append(Occurrence(term.term, block.text[start:end], doc.id, anchor, i,
                                                         start, end))
                if term.term in linked_here:
                    continue
                linked_here.add(term.term)
                block.marks.append(term_mark(term, start, end, again=term.term in seen))
                if block.kind in LINKED:
                    seen.add(term.term)
    index.occurrences = dict(sorted(occurrences.items()))
    _cite_items(docs, ctx, index)


def _cite_items(docs: list[Document], ctx: Context, index: GlossaryIndex) -> None:
    """Find every formula item's quote; one pass per document, marks applied in (term, item, place) order."""
    items = [(term, item, fold(item.quote)) for term in index.termbase.terms for item in term.items]
    hits: list[tuple[int, int, int, int, Document, int, Block, str]] = []  # item, doc, block, pos, …
    for d, doc in enumerate(sorted(docs, key=lambda d: d.id)):
        blocks = anchored_blocks(doc)
        if not blocks:
            continue
        folded = [fold_map(b.text)[0] for _, b, _ in blocks]
        starts = list(itertools.accumulate((len(f) + 1 for f in folded[:-1]), initial=0))
        joined = "\x00".join(folded)  # a quote holds no NUL, so no match spans two blocks
        for k, (_term, _item, quote) in enumerate(items):
            pos = joined.find(quote) if quote else -1
            while pos != -1:
                j = bisect.bisect_right(starts, pos) - 1
                i, block, anchor = blocks[j]
                hits.append((k, d, j, pos - starts[j], doc, i, block, anchor))
                pos = joined.find(quote, pos + 1)
    hits.sort(key=lambda h: h[:4])
    cites: dict[int, list[Cite]] = defaultdict(list)
    maps: dict[int, list[int]] = {}
    for k, _d, _j, pos, doc, i, block, anchor in hits:
        term, item, quote = items[k]
        where = maps.get(id(block))
        if where is None:
            where = maps[id(block)] = fold_map(block.text)[1]
        qs, qe = unfold_span(where, pos, pos + len(quote))
        cites[k].append(Cite(term.term, item.number, doc.id, anchor, i, qs, qe))
        _mark_item(block, term, item.number, qs, qe)
    for k, (term, item, _quote) in enumerate(items):
        if not cites.get(k):
            ctx.warn(str(index.termbase.path), f"'{term.term}': the quote of item {item.number} "
                     f"'{item.zh}' occurs in no document", item.line)
        index.cites[(term.term, item.number)] = cites.get(k, [])


def _mark_item(block: Block, term: Term, number: int, qs: int, qe: int) -> None:
    """Mark the item's own words nearest to its quote (inside the sentence), else the quote itself."""
    zh = fold(term.items[number - 1].zh)
    sa, sb = sentence_span(block.text, qs, qe)
    folded, where = fold_map(block.text[sa:sb])
    spans: list[tuple[int, int]] = []
    pos = folded.find(zh) if zh else -1
    while pos != -1:
        a, b = unfold_span(where, pos, pos + len(zh))
        spans.append((sa + a, sa + b))
        pos = folded.find(zh, pos + 1)
    spans.sort(key=lambda s: (0 if qs <= s[0] and s[1] <= qe else 1, abs(s[0] - qs), s[0]))
    for a, b in [*spans, (qs, qe)]:
        if not _overlaps(block.marks, a, b):
            block.marks.append(item_mark(term, number, a, b))
            return


# ───────────────────────── the generator ─────────────────────────

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


def _block_labels(doc: Document) -> dict[int, str]:
    """Readable position of each anchored block: title, heading 2, paragraph 7, caption 1."""
    counts: dict[str, int] = defaultdict(int)
    labels: dict[int, str] = {}
    for i, b in enumerate(doc.blocks):
        if b.kind in RECOGNISED:
            counts[b.kind] += 1
            labels[i] = b.kind if b.kind == "title" else f"{b.kind} {counts[b.kind]}"
    return labels


def _doc_url(doc_id: str, anchor: str) -> str:
    return f"docs/{doc_id}.html#{anchor}"


def _kwic(doc: Document, occ: Occurrence, labels: dict[int, str], width: int = KWIC_WIDTH) -> Kwic:
    text = doc.blocks[occ.block].text
    a, b = max(0, occ.start - width), min(len(text), occ.end + width)
    left = ("…" if a > 0 else "") + text[a : occ.start]
    right = text[occ.end : b] + ("…" if b < len(text) else "")
    return Kwic(left, text[occ.start : occ.end], right, "../" + _doc_url(doc.id, occ.anchor),
                labels.get(occ.block, ""))


def _doc_sort(doc: Document) -> tuple[str, str]:
    return (doc.meta.date or "9999", doc.id)


def term_context(term: Term, index: GlossaryIndex) -> dict[str, Any]:
    """Everything the term page shows, already in display order."""
    tb = index.termbase
    occs = index.occurrences.get(term.term, [])
    by_doc: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occs:
        by_doc[o.doc_id].append(o)
    groups = []
    for doc in sorted((index.documents[d] for d in by_doc), key=_doc_sort):
        labels = _block_labels(doc)
        lines = [_kwic(doc, o, labels) for o in sorted(by_doc[doc.id], key=lambda o: (o.block, o.start))]
        groups.append({"doc": doc, "count": len(lines), "first": lines[0], "lines": lines})
    items = []
    for item in term.items:
        cites = []
        for c in index.cites.get((term.term, item.number), []):
            doc = index.documents[c.doc_id]
            text = doc.blocks[c.block].text
            sa, sb = sentence_span(text, c.start, c.end)
            sa, sb = max(sa, c.start - CITE_WIDTH), min(sb, c.end + CITE_WIDTH)
            cut_left = sa > 0 and text[sa - 1] not in _SENTENCE_END
            cut_right = sb < len(text) and text[sb - 1] not in _SENTENCE_END
            cites.append({"doc": doc, "href": "../" + _doc_url(doc.id, c.anchor),
                          "label": _block_labels(doc).get(c.block, ""),
                          "before": ("…" if cut_left else "") + text[sa : c.start],
                          "quote": text[c.start : c.end],
                          "after": text[c.end : sb] + ("…" if cut_right else "")})
        items.append({"item": item, "cites": cites})
    related = [tb.by_term[r] for r in term.related]
    return {"t": term, "groups": groups, "items": items, "related": related, "total": len(occs),
            "category_title": CATEGORY_TITLES[term.category], "level_title": LEVEL_TITLES.get(term.level, ""),
            "first_doc": groups[0]["doc"] if groups else None}


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
    """The machine-readable glossary: every field, the search forms, the occurrences."""
    entries = []
    for t in sorted(index.termbase.terms, key=lambda t: t.slug):
        occs = index.occurrences.get(t.term, [])
        docs = []
        for doc_id in sorted({o.doc_id for o in occs}, key=lambda d: _doc_sort(index.documents[d])):
            mine = [o for o in occs if o.doc_id == doc_id]
            docs.append({"id": doc_id, "title": index.documents[doc_id].meta.title,
                         "url": f"docs/{doc_id}.html", "count": len(mine), "first": mine[0].anchor,
                         "occurrences": [{"anchor": o.anchor, "form": o.form, "start": o.start, "end": o.end}
                                         for o in mine]})
        entries.append({
            "term": t.term, "slug": t.slug, "url": f"terms/{t.slug}.html",
            "aliases": t.aliases, "traditional": t.traditional, "pinyin": t.pinyin,
            "pinyin_plain": t.pinyin_plain, "initials": t.initials,
            "search": {"forms": t.forms,
                       "traditional": [glossary.traditional(f, index.profile) for f in t.forms],
                       "pinyin": [glossary.pinyin_plain(f) for f in t.forms],
                       "initials": [glossary.pinyin_initials(f) for f in t.forms],
                       "english": [t.english, *t.english_alt]},
            "category": t.category, "level": t.level or None,
            "english": t.english, "english_source": t.english_source, "english_ours": t.ours,
            "english_alt": t.english_alt, "definition_en": t.definition_en, "definition_zh": t.definition_zh,
            "related": [{"term": r, "slug": index.termbase.by_term[r].slug} for r in t.related],
            "items": [{"number": it.number, "zh": it.zh, "en": it.en, "quote": it.quote,
                       "cites": [{"doc": c.doc_id, "anchor": c.anchor, "url": _doc_url(c.doc_id, c.anchor)}
                                 for c in index.cites.get((t.term, it.number), [])]} for it in t.items],
            "occurrences": {"total": len(occs), "documents": docs},
        })
    return {"version": 1, "count": len(entries), "terms": entries}


def write_pages(docs: list[Document], ctx: Context, writer: Writer) -> None:
    """Generator: term pages, the glossary index, glossary.json and the nav entry."""
    index: GlossaryIndex | None = ctx.data.get("glossary")
    if index is None:
        return
    page = _ENV.get_template("term.md.j2")
    for t in sorted(index.termbase.terms, key=lambda t: t.slug):
        writer.text(f"terms/{t.slug}.md", page.render(**term_context(t, index)))
    writer.text("terms/index.md", _ENV.get_template("terms_index.md.j2").render(**index_context(index)))
    writer.text("glossary.json", json.dumps(glossary_json(index), ensure_ascii=False, indent=1) + "\n")
    ctx.nav.append(("Glossary 术语", "terms/index.md"))
    reg = index.termbase.registry
    if reg is not None and reg.changed:
        reg.save()
