"""The fast paths that make large corpora build quickly give exactly the answers of the
plain definitions they replace: per-character folding, and related documents."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from digest import crosslinks
from digest.model import Document
from digest.stages import Context
from digest.text import _BREAKS, _QUOTES, RE_SPACES, fold, fold_map


def _fold_map_by_definition(text: str, quotes: bool) -> tuple[str, list[int]]:
    """fold_map as documented: each character NFKC'd, spaces and line breaks dropped, quotes unified."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _BREAKS or RE_SPACES.fullmatch(ch):
            continue
        folded = RE_SPACES.sub("", unicodedata.normalize("NFKC", ch)).translate(_QUOTES)
        if not quotes:
            folded = folded.replace("“", "").replace("‘", "")
        out.append(folded)
        where.extend([i] * len(folded))
    where.append(len(text))
    return "".join(out), where


_ALPHABET = "社区工作一二“”‘’\"' \u3000\n\r\tＡ１ａ①㎡ﬁ½abc1,.，。、\u00a0\ufeff\u2003ǅ"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40), st.booleans())
def test_fold_map_matches_its_definition(text: str, quotes: bool) -> None:
    """The memoised, segment-copying fold_map returns the same folded text and offsets as folding char by char."""
    assert fold_map(text, quotes) == _fold_map_by_definition(text, quotes)



@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40))
def test_fold_matches_its_definition(text: str) -> None:
    """fold, which unifies quotes with str.replace, equals its definition: NFKC, spaces dropped, the quote table."""
    assert fold(text) == RE_SPACES.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)

@dataclass
class _Term:
    term: str
    category: str
    slug: str


@dataclass
class _Index:
    counts: dict[str, dict[str, int]]
    termbase: SimpleNamespace = field(default_factory=SimpleNamespace)

    def doc_counts(self, doc_id: str) -> dict[str, int]:
        return self.counts.get(doc_id, {})


def _brute_force(docs: list[Document], terms_of: dict[str, set[str]], places: set[str],
                 inds_of: dict[str, set[str]]) -> dict[str, list[tuple[str, float]]]:
    """Every pair scored: Σ idf of shared terms (places at half weight) and indicators, best first."""
    ids = sorted(d.id for d in docs)
    n = len(ids)
    df_t = {t: sum(t in terms_of[d] for d in ids) for d in ids for t in terms_of[d]}
    df_i = {t: sum(t in inds_of[d] for d in ids) for d in ids for t in inds_of[d]}
    out = {}
    for a in ids:
        scored = []
        for b in ids:
            if a == b:
                continue
            ws = [math.log(n / df_t[t]) * (crosslinks.PLACE_WEIGHT if t in places else 1.0)
                  for t in sorted(terms_of[a] & terms_of[b]) if t not in places]
            ws += [math.log(n / df_t[t]) * crosslinks.PLACE_WEIGHT for t in sorted(terms_of[a] & terms_of[b])
                   if t in places]
            ws += [math.log(n / df_i[i]) for i in sorted(inds_of[a] & inds_of[b])]
            score = round(sum(w for w in ws if w > 0), 6)
            if score > 0:
                scored.append((b, score))
        scored.sort(key=lambda x: (-x[1], x[0]))
        out[a] = scored[: crosslinks.MAX_DOCS]
    return out


def test_related_documents_equal_the_all_pairs_definition() -> None:
    """Matrix-product candidates plus exact rescoring rank related documents exactly as scoring every pair does,
    ties (many equal scores) included; each shown relation carries the score it was ranked by."""
    rng = random.Random(7)
    vocabulary = [f"t{k}" for k in range(30)]
    places = {"t0", "t1", "t2"}
    docs, counts, inds = [], {}, {}
    for k in range(120):
        doc = Document(source=f"s{k}.txt", part=1, parts=1, items=[])
        doc.id = f"doc-{k:03d}"
        doc.meta.title = doc.id
        # a few exact copies make ties; a few documents share nothing
        pick = set(rng.sample(vocabulary, rng.randint(0, 8))) if k % 10 else {"t3", "t4", "t0"}
        counts[doc.id] = {t: 1 for t in sorted(pick)}
        inds[doc.id] = set(rng.sample(["gdp", "output", "jobs"], rng.randint(0, 2)))
        docs.append(doc)
    index = _Index(counts)
    index.termbase.terms = [_Term(t, "place" if t in places else "concept", t) for t in vocabulary]
    ctx = Context(settings=None)  # type: ignore[arg-type]
    ctx.data["glossary"] = index
    ctx.data["facts"] = {d: sorted(v) for d, v in inds.items()}
    crosslinks.relate(docs, ctx)
    expected = _brute_force(docs, {d: set(c) for d, c in counts.items()}, places, inds)
    assert ctx.data["related"] == expected
    shown = {d.id: [float(x) for x in re.findall(r'data-score="([0-9.]+)"', d.sections[0].make())]
             for d in docs if d.sections}
    assert shown == {a: [round(score, 3) for _b, score in rels] for a, rels in expected.items() if rels}
    assert sum(1 for d in docs if d.sections) == sum(1 for v in expected.values() if v) > 100


def _convert_by_definition(conv: object, text: str) -> str:
    """hant.Converter as first written: at each position the longest override starting there is kept
    verbatim, the text between overrides goes through OpenCC."""
    overrides: dict[str, str] = conv.overrides  # type: ignore[attr-defined]
    keys = sorted(overrides, key=len, reverse=True)
    out: list[str] = []
    pending: list[str] = []
    i = 0
    while i < len(text):
        for key in keys:
            if text.startswith(key, i):
                out.append(conv._cc.convert("".join(pending)))  # type: ignore[attr-defined]
                pending = []
                out.append(overrides[key])
                i += len(key)
                break
        else:
            pending.append(text[i])
            i += 1
    out.append(conv._cc.convert("".join(pending)))  # type: ignore[attr-defined]
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("百千万工程发展里于面台湾后头发干部系统计划“”a1 ")), max_size=40))
def test_overrides_are_applied_as_the_plain_loop_did(text: str) -> None:
    """The Traditional converter with overrides (one regex scan) converts as the per-position loop."""
    from digest.hant import Converter

    conv = Converter("s2tw", {"百千万工程": "百千萬工程", "百千万": "百千萬", "干部": "幹部", "发展里": "發展裡"})
    assert conv(text) == _convert_by_definition(conv, text)
