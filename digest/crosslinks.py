"""Cross-links: each document page ends with the other documents most related to it.

Two documents are related by the glossary terms they share, places counted apart from
the other terms, and (when the facts stage left ``ctx.data["facts"]``) the indicators
they both report. Each shared thing weighs its inverse document frequency,
log(N / df): a term found in every document says nothing, a term shared by just two
says much. The section lists documents by score, the reasons spelled out.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from digest import escape
from digest.model import Document, Section

if TYPE_CHECKING:
    from digest.stages import Context

SECTION_ID = "related-documents"
SECTION_TITLE = "Related documents 相关文件"
SECTION_ORDER = 80
MAX_DOCS = 5
MAX_REASONS = 5
PLACE_WEIGHT = 0.5  # a shared place relates documents less than a shared programme or slogan
INDICATOR_WEIGHT = 1.0


@dataclass
class Relation:
    other: Document
    score: float = 0.0
    terms: list[tuple[float, str]] = field(default_factory=list)  # (weight, term)
    places: list[tuple[float, str]] = field(default_factory=list)
    indicators: list[tuple[float, str]] = field(default_factory=list)


def _idf(n_docs: int, df: int) -> float:
    return math.log(n_docs / df) if df else 0.0


def indicators_by_doc(facts: Any, doc_ids: Iterable[str]) -> dict[str, set[str]]:
    """Indicator names per document from the facts stage, whatever shape it took.

    Accepted: a mapping ``doc id → iterable of facts`` or an iterable of facts carrying a
    document id (``doc``, ``doc_id`` or ``document``); a fact is a mapping or object with
    ``indicator`` or ``metric``, or a plain string.
    """
    def name(f: Any) -> str:
        if isinstance(f, str):
            return f
        for key in ("indicator", "metric"):
            v = f.get(key) if isinstance(f, dict) else getattr(f, key, None)
            if isinstance(v, str) and v:
                return v
        return ""

    def doc_of(f: Any) -> str:
        for key in ("doc_id", "doc", "document"):
            v = f.get(key) if isinstance(f, dict) else getattr(f, key, None)
            if isinstance(v, str):
                return v
            if isinstance(v, Document):
                return v.id
        return ""

    wanted = set(doc_ids)
    out: dict[str, set[str]] = {d: set() for d in wanted}
    if isinstance(facts, dict):
        pairs = [(str(k), f) for k, fs in facts.items() if not isinstance(fs, (str, bytes)) for f in fs]
    elif isinstance(facts, Iterable) and not isinstance(facts, (str, bytes)):
        pairs = [(doc_of(f), f) for f in facts]
    else:
        pairs = []
    for doc_id, f in pairs:
        n = name(f)
        if doc_id in wanted and n:
            out[doc_id].add(n)
    return out


def relate(docs: list[Document], ctx: Context) -> None:
    """Enricher: add a "Related documents" section to every document that has any.

    Scores of all pairs are one matrix product (numpy, in row blocks so memory stays
    bounded); the few best candidates of each document are then scored again exactly,
    in Python, with their reasons, so ranks and figures do not depend on float rounding.
    """
    index = ctx.data.get("glossary")
    if index is None or len(docs) < 2:
        return
    ids = sorted(d.id for d in docs)
    by_id = {d.id: d for d in docs}
    categories = {t.term: t.category for t in index.termbase.terms}
    terms_of = {d: set(index.doc_counts(d)) for d in ids}
    inds_of = indicators_by_doc(ctx.data["facts"], ids) if "facts" in ctx.data else {d: set() for d in ids}
    @functools.cache
    def weights() -> tuple[dict[tuple[str, str], float], set[str]]:  # made only when something is scored
        return _weights(terms_of, inds_of, categories, len(ids)), {t for t, c in categories.items() if c == "place"}

    def best() -> dict[str, list[str]]:
        return _best(ids, terms_of, inds_of, *weights())

    def reasons(a: str) -> list[Reasons]:  # for the few that are shown
        return [_reasons(b, terms_of[a] & terms_of[b], inds_of[a] & inds_of[b], *weights()) for b in chosen[a]]

    ranking = None
    if ctx.data.get("site_key"):  # the ranking depends on every document's terms and indicators, and on nothing else
        from digest import cache

        memo = cache.stage_memo(ctx, "related")
        features = json.dumps([[a, sorted(terms_of[a]), sorted(inds_of[a])] for a in ids]
                              + [sorted(categories.items())], ensure_ascii=False)
        ranking = cache.digest_of(features)
        chosen = memo.get(ranking, best)
        # each document's reasons under the ranking and its id: one small entry each, never the corpus's in one
        found = [memo.get(cache.digest_of(ranking, a), functools.partial(reasons, a)) for a in ids]
        memo.close()
    else:
        chosen = best()
        found = [reasons(a) for a in ids]
    related: dict[str, list[tuple[str, float]]] = {}
    slugs = {t.term: t.slug for t in index.termbase.terms}
    for a, shown in zip(ids, found, strict=True):
        rels = [Relation(by_id[b], score, terms, places, inds) for b, score, terms, places, inds in shown]
        related[a] = [(r.other.id, r.score) for r in rels]
        if rels:
            by_id[a].sections.append(Section(SECTION_ID, SECTION_TITLE, "", SECTION_ORDER,
                                             make=functools.partial(render, rels, slugs),
                                             key=None if ranking is None else _key(ranking, a, rels)))
    ctx.data["related"] = related  # doc id → its MAX_DOCS most related (id, score)


def _weights(terms_of: dict[str, set[str]], inds_of: dict[str, set[str]], categories: dict[str, str],
             n: int) -> dict[tuple[str, str], float]:
    """(kind, name) → the weight of sharing it: its inverse document frequency (places weigh less)."""
    weights: dict[tuple[str, str], float] = {}
    for kind, sets in (("term", terms_of), ("indicator", inds_of)):
        df: dict[str, int] = {}
        for s in sets.values():
            for t in s:
                df[t] = df.get(t, 0) + 1
        for t, k in df.items():
            w = _idf(n, k)
            if kind == "term":
                w *= PLACE_WEIGHT if categories.get(t) == "place" else 1.0
            else:
                w *= INDICATOR_WEIGHT
            if w > 0 and k > 1:  # a thing only one document has relates nothing
                weights[(kind, t)] = w
    return weights


def _best(ids: list[str], terms_of: dict[str, set[str]], inds_of: dict[str, set[str]],
          weights: dict[tuple[str, str], float], places: set[str]) -> dict[str, list[str]]:
    """For each document, the ids of its MAX_DOCS most related, best first (ties by id)."""
    by_kind: dict[str, dict[str, float]] = {"term": {}, "indicator": {}}
    for (kind, name), w in weights.items():
        by_kind[kind][name] = w
    chosen: dict[str, list[str]] = {}
    for a, candidates in zip(ids, _candidates(ids, terms_of, inds_of, weights), strict=True):
        scored = [(score, b) for b in candidates
                  if (score := _score(terms_of[a] & terms_of[b], inds_of[a] & inds_of[b], by_kind, places)) > 0]
        scored.sort(key=lambda x: (-x[0], x[1]))
        chosen[a] = [b for _, b in scored[:MAX_DOCS]]
    return chosen


def _score(terms: set[str], inds: set[str], weights: dict[str, dict[str, float]], places: set[str]) -> float:
    """:func:`_reasons`'s score alone, added up in the same order (so to the same float), without the
    reasons: a document has a dozen candidates or more, and only MAX_DOCS are shown."""
    shared = sorted(terms)
    term_w, ind_w = weights["term"], weights["indicator"]
    ws = [w for t in shared if t not in places and (w := term_w.get(t, 0.0)) > 0]
    ws += [w for t in shared if t in places and (w := term_w.get(t, 0.0)) > 0]
    ws += [w for ind in sorted(inds) if (w := ind_w.get(ind, 0.0)) > 0]
    return round(sum(ws), 6)


Weighed = list[tuple[float, str]]
Reasons = tuple[str, float, Weighed, Weighed, Weighed]
"""A relation without its document: (other document's id, score, terms, places, indicators), each kind of
reason cut to what the section shows (:func:`_top`); the score counts them all."""


def _reasons(other: str, terms: set[str], inds: set[str], weights: dict[tuple[str, str], float],
             places: set[str]) -> Reasons:
    """The exact score and reasons of one pair (shared terms, places and indicators)."""
    shared: Weighed = []
    same_places: Weighed = []
    indicators: Weighed = []
    for t in sorted(terms):
        w = weights.get(("term", t), 0.0)
        if w > 0:
            (same_places if t in places else shared).append((w, t))
    for ind in sorted(inds):
        w = weights.get(("indicator", ind), 0.0)
        if w > 0:
            indicators.append((w, ind))
    score = round(sum(w for w, _ in shared + same_places + indicators), 6)
    return other, score, _top(shared), _top(same_places), _top(indicators)


def _top(weighted: Weighed) -> Weighed:
    """The reasons :func:`render` shows, in its order, and one more when there are more (its " …")."""
    return sorted(weighted, key=lambda x: (-x[0], x[1]))[:MAX_REASONS + 1]


BLOCK_ROWS = 512  # documents scored against all others at a time (memory: BLOCK_ROWS × N floats)
TOLERANCE = 1e-3  # float32 sums may differ from the exact ones by far less than this


def _candidates(ids: list[str], terms_of: dict[str, set[str]], inds_of: dict[str, set[str]],
                weights: dict[tuple[str, str], float]) -> Iterator[list[str]]:
    """For each document (in ``ids`` order), the others that may rank among its MAX_DOCS best.

    Approximate scores (float32 matrix product) pick every document whose score comes
    within TOLERANCE of the MAX_DOCS-th best, ties included; the caller scores them exactly.
    """
    import numpy as np

    features = {f: j for j, f in enumerate(sorted(weights))}
    n = len(ids)
    matrix = np.zeros((n, max(1, len(features))), dtype=np.float32)
    for i, d in enumerate(ids):
        for kind, names in (("term", terms_of[d]), ("indicator", inds_of[d])):
            for name in names:
                j = features.get((kind, name))
                if j is not None:
                    matrix[i, j] = 1.0
    w = np.array([weights[f] for f in sorted(weights)] or [0.0], dtype=np.float32)
    weighted = matrix * w
    for lo in range(0, n, BLOCK_ROWS):
        scores = weighted[lo:lo + BLOCK_ROWS] @ matrix.T
        for r in range(scores.shape[0]):
            row = scores[r]
            row[lo + r] = -1.0  # not related to itself
            k = min(MAX_DOCS, n - 1)
            kth = np.partition(row, n - k)[n - k]
            chosen = np.flatnonzero(row > 0) if kth <= 0 else np.flatnonzero(row >= kth - TOLERANCE)
            yield [ids[int(j)] for j in chosen]


def _reason(label: str, weighted: list[tuple[float, str]], slugs: dict[str, str] | None = None) -> str:
    if not weighted:
        return ""
    top = sorted(weighted, key=lambda x: (-x[0], x[1]))
    names = []
    for _, name in top[:MAX_REASONS]:
        if slugs and name in slugs:
            names.append(f'<a class="dg-related-term" href="../terms/{escape.html(slugs[name])}.html">'
                         f"{escape.html(name)}</a>")
        else:
            names.append(escape.html(name))
    more = " …" if len(top) > MAX_REASONS else ""
    return f'<span class="dg-related-why">{label} {"、".join(names)}{more}</span>'


def _key(ranking: str, doc_id: str, rels: list[Relation]) -> str:
    """Everything :func:`render` makes the section of ``doc_id`` from but the terms' slugs (which page keys
    hash anyway): the ranking (the hash of every document's terms and indicators, which settles the
    relations, their scores and reasons) and the related documents' dates and titles."""
    return json.dumps([ranking, doc_id, *([r.other.id, r.other.meta.date, r.other.meta.title] for r in rels)],
                      ensure_ascii=False)


def render(rels: list[Relation], slugs: dict[str, str]) -> str:
    """The section body: raw HTML built from escaped values only; ``slugs``: term → its page's slug."""
    lines = ['<ol class="dg-related">']
    for r in rels:
        doc = r.other
        date = f'<span class="dg-related-date">{escape.html(doc.meta.date)}</span> ' if doc.meta.date else ""
        reasons = [x for x in (_reason("shares", r.terms, slugs), _reason("same places:", r.places, slugs),
                               _reason("same indicators:", r.indicators)) if x]
        href, title = escape.html(doc.id), escape.html(doc.meta.title)
        link = f'<a class="dg-related-link" href="{href}.html">{title}</a>'
        lines.append(f'<li data-doc="{escape.html(doc.id)}" data-score="{r.score:.3f}">{date}{link}<br>'
                     f'{" · ".join(reasons)}</li>')
    lines.append("</ol>")
    return "\n".join(lines)
