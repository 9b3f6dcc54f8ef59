"""Candidate discovery for the termbase (``digest terms --candidates``).

Three kinds of evidence, none of it already in the termbase:

* ``quoted``: phrases of 2–12 characters inside “…” (documents quote what they coin);
* ``formula``: numbered formulas — digit formulas (1+3+1, 1+6+N) and runs of two or more
  Chinese-numbered groups (三会一课, 一心两元三片区), plus a quoted numeral phrase (五个三);
* ``ngram``: character n-grams (3–8) frequent across the corpus, kept only when no longer
  n-gram with the same count contains them and they neither start nor end on a particle.

Each comes with its count (occurrences anywhere in the corpus, compared folded) and the
first place it occurs: document, anchor and sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from digest.glossary import Termbase
from digest.model import Document
from digest.terms import anchored_blocks, sentence_span
from digest.text import fold, fold_map, unfold_span

NUMERAL = "一二三四五六七八九十两万千百"  # numeral characters
_QUOTED = re.compile(r"[“‘]([^“”‘’\n]{2,12})[”’]")
_DIGIT_FORMULA = re.compile(r"(?<![\d+])\d+(?:\s*[+＋]\s*(?:\d+|[NnXx]))+(?![\d+])")
_GROUP = f"[{NUMERAL}]+[个大项]?(?:(?![{NUMERAL}])[\u4e00-\u9fff]){{1,3}}"
_GROUPS = re.compile(f"(?:{_GROUP}){{2,}}")
# a whole quoted phrase that is a numeral (and 个/大/项) and a few characters: 五个三, 三大主题
_NUMBERED = re.compile(f"^[{NUMERAL}\\d]+[个大项]?[A-Za-z\u4e00-\u9fff]{{1,4}}$")
_CJK_RUN = re.compile("[\u4e00-\u9fff]{3,}")
EDGE_STOP = set("的了和与及在是等为对将把被从于并或而也都就又还但各其这那之以由向给让")
NGRAM_MIN, NGRAM_MAX, NGRAM_WORDS = 3, 8, 3


@dataclass
class Candidate:
    kind: str  # quoted | formula | ngram
    phrase: str
    count: int
    doc_id: str = ""
    anchor: str = ""
    sentence: str = ""


@dataclass
class _Unit:
    doc_id: str
    anchor: str
    text: str
    folded: str


def _units(docs: list[Document]) -> list[_Unit]:
    out = []
    for doc in sorted(docs, key=lambda d: d.id):
        for _i, block, anchor in anchored_blocks(doc):
            out.append(_Unit(doc.id, anchor, block.text, fold_map(block.text, quotes=False)[0]))
    return out


def _example(units: list[_Unit], phrase: str, width: int = 30) -> tuple[str, str, str]:
    key = fold(phrase).replace("“", "").replace("‘", "")
    for u in units:
        folded, where = fold_map(u.text, quotes=False)
        pos = folded.find(key)
        if pos != -1:
            a, b = unfold_span(where, pos, pos + len(key))
            sa, sb = sentence_span(u.text, a, b)
            sa, sb = max(sa, a - width), min(sb, b + width)
            sentence = ("…" if sa > 0 else "") + u.text[sa:sb] + ("…" if sb < len(u.text) else "")
            return u.doc_id, u.anchor, sentence
    return "", "", ""


def _count(units: list[_Unit], phrase: str) -> int:
    key = fold(phrase).replace("“", "").replace("‘", "")
    return sum(u.folded.count(key) for u in units) if key else 0


def find(docs: list[Document], termbase: Termbase | None, min_count: int = 3) -> list[Candidate]:
    """All candidates, most frequent first (then kind, then phrase)."""
    units = _units(docs)
    known = {fold(f).replace("“", "").replace("‘", "") for t in (termbase.terms if termbase else [])
             for f in t.forms}

    def is_known(phrase: str) -> bool:
        return fold(phrase).replace("“", "").replace("‘", "") in known

    found: dict[str, str] = {}  # phrase → kind (formula beats quoted beats ngram)
    for u in units:
        for m in _QUOTED.finditer(u.text):
            phrase = m.group(1).strip()
            if not phrase or is_known(phrase) or not re.search("[\u4e00-\u9fff]", phrase):
                continue
            numbered = _NUMBERED.match(fold(phrase)) or _DIGIT_FORMULA.fullmatch(phrase)
            kind = "formula" if numbered else "quoted"
            if found.get(phrase) != "formula":
                found[phrase] = kind
        for rx in (_DIGIT_FORMULA, _GROUPS):
            for m in rx.finditer(fold(u.text)):
                phrase = m.group(0)
                if not any(phrase in k or k in phrase for k in known):  # nor part of one, nor around one
                    found[phrase] = "formula"
    for phrase in _ngrams(units, known, min_count):
        found.setdefault(phrase, "ngram")
    out = []
    for phrase, kind in found.items():
        n = _count(units, phrase)
        if kind == "ngram" and n < min_count:
            continue
        out.append(Candidate(kind, phrase, max(n, 1), *_example(units, phrase)))
    order = {"formula": 0, "quoted": 1, "ngram": 2}
    return sorted(out, key=lambda c: (-c.count, order[c.kind], c.phrase))


def _ngrams(units: list[_Unit], known: set[str], min_count: int) -> list[str]:
    """Closed, frequent runs of 2–3 whole words (jieba, the termbase's forms kept whole)."""
    from digest.segment import cut

    words = sorted(known)
    counts: Counter[str] = Counter()
    for u in units:
        for run in _CJK_RUN.findall(u.folded):
            tokens = cut(run, words)
            for n in range(2, NGRAM_WORDS + 1):
                for i in range(len(tokens) - n + 1):
                    gram = "".join(tokens[i : i + n])
                    if NGRAM_MIN <= len(gram) <= NGRAM_MAX:
                        counts[gram] += 1
    frequent = {g: c for g, c in counts.items() if c >= min_count}
    # closed n-grams only: drop one that a longer frequent n-gram with the same count contains
    kept = []
    for g, c in sorted(frequent.items()):
        if any(len(o) > len(g) and g in o and oc == c for o, oc in frequent.items()):
            continue
        if g[0] in EDGE_STOP or g[-1] in EDGE_STOP:
            continue
        if any(g in k or k in g for k in known):
            continue  # part of a known term, or a known term with a word attached
        kept.append(g)
    return kept
