"""Scoring the fact extractor against the hand-built gold lists in tests/gold/.

A gold entry is located by its ``context`` (searched, spaces and width folded, in the
paragraphs of its document and scope); the figure's position is the position of its
``text`` inside that context. An extracted fact matches a gold entry when it lies in the
same paragraph and its span overlaps the gold span (one-to-one).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from digest.facts.model import Fact
from digest.model import Document
from digest.text import RE_SPACES

GOLD_DIR = Path(__file__).parent / "gold"
# gold file → (seed file, heading that opens the scope or None for the whole document)
GOLD = {
    "facts_001.yaml": ("001_7112ccc26b82181a.txt", None),
    "facts_002.yaml": ("002_87e769d0dbf5db3d.txt", "一、2024年工作回顾"),
}


def folded(text: str) -> tuple[str, list[int]]:
    """A folded copy (NFKC, no spaces) and, for each of its characters, the index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if RE_SPACES.fullmatch(ch):
            continue
        for f in unicodedata.normalize("NFKC", ch):
            out.append(f)
            index.append(i)
    return "".join(out), index


@dataclass
class GoldFact:
    text: str
    context: str
    kind: str
    value: Decimal
    unit: str
    qualifiers: list[str]
    period: int | None
    subject: str
    metric: str
    anchor: str = ""
    start: int = -1
    end: int = -1


@dataclass
class Score:
    gold: int = 0
    extracted: int = 0
    matched: list[tuple[GoldFact, Fact]] = field(default_factory=list)
    missed: list[GoldFact] = field(default_factory=list)
    spurious: list[Fact] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return len(self.matched) / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return len(self.matched) / self.gold if self.gold else 0.0

    def agreement(self, attr: str) -> float:
        if not self.matched:
            return 0.0
        same = 0
        for g, f in self.matched:
            if attr == "value":
                same += Decimal(str(g.value)) == f.value
            elif attr == "qualifiers":
                same += set(g.qualifiers) == set(f.qualifiers)
            elif attr == "all":
                same += Decimal(str(g.value)) == f.value and g.unit == f.unit and g.kind == f.kind
            else:
                same += getattr(g, attr) == getattr(f, attr)
        return same / len(self.matched)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched
        self.missed += other.missed
        self.spurious += other.spurious


def scope_anchors(doc: Document, heading: str | None) -> list[str]:
    """Anchors of the paragraphs and captions in scope: the whole document, or from ``heading`` to the
    next heading of the same or a higher level."""
    anchors: list[str] = []
    inside = heading is None
    level = 0
    for b in doc.blocks:
        if b.kind == "heading" and heading is not None:
            if b.text == heading:
                inside, level = True, b.level
                continue
            if inside and b.level <= level:
                inside = False
        if inside and b.kind in ("paragraph", "caption") and b.anchor:
            anchors.append(b.anchor)
    return anchors


def load_gold(name: str, doc: Document, anchors: list[str]) -> list[GoldFact]:
    """The gold entries of ``name``, each located in ``doc`` (raises if a context is missing or ambiguous)."""
    entries = yaml.safe_load((GOLD_DIR / name).read_text(encoding="utf-8"))
    blocks = {b.anchor: b for b in doc.blocks if b.anchor in anchors}
    out: list[GoldFact] = []
    for e in entries:
        g = GoldFact(
            str(e["text"]),
            str(e["context"]),
            e["kind"],
            Decimal(str(e["value"])),
            e["unit"],
            list(e.get("qualifiers") or []),
            e.get("period"),
            str(e.get("subject", "")),
            str(e["metric"]),
        )
        ctx_f, _ = folded(g.context)
        text_f, _ = folded(g.text)
        offset = ctx_f.find(text_f)
        if offset == -1:
            raise AssertionError(f"{name}: text {g.text!r} is not inside its context {g.context!r}")
        hits = []
        for anchor in anchors:
            block_f, index = folded(blocks[anchor].text)
            pos = block_f.find(ctx_f)
            while pos != -1:
                s = pos + offset
                hits.append((anchor, index[s], index[s + len(text_f) - 1] + 1))
                pos = block_f.find(ctx_f, pos + 1)
        if len(hits) != 1:
            raise AssertionError(
                f"{name}: context {g.context!r} found {len(hits)} times in scope (need exactly 1)"
            )
        g.anchor, g.start, g.end = hits[0]
        out.append(g)
    return out


def score(gold: list[GoldFact], facts: list[Fact], anchors: list[str]) -> Score:
    in_scope = [f for f in facts if f.anchor in anchors]
    result = Score(gold=len(gold), extracted=len(in_scope))
    free = list(in_scope)
    for g in gold:
        match = next((f for f in free if f.anchor == g.anchor and f.start < g.end and g.start < f.end), None)
        if match is None:
            result.missed.append(g)
        else:
            free.remove(match)
            result.matched.append((g, match))
    result.spurious = free
    return result


def report(s: Score) -> list[str]:
    lines = [
        f"facts vs gold: precision {s.precision:.3f} ({len(s.matched)}/{s.extracted}), "
        f"recall {s.recall:.3f} ({len(s.matched)}/{s.gold})",
        "agreement on matched pairs: "
        + ", ".join(
            f"{a} {s.agreement(a):.3f}"
            for a in ("value", "unit", "kind", "all", "text", "qualifiers", "period", "subject")
        ),
    ]
    lines += [f"  missed  {g.anchor} {g.text} | {g.context}" for g in s.missed]
    lines += [f"  extra   {f.anchor} {f.text} | {f.sentence[:60]}" for f in s.spurious]
    for g, f in s.matched:
        if not (Decimal(str(g.value)) == f.value and g.unit == f.unit and g.kind == f.kind):
            lines.append(
                f"  differ  {f.anchor} {f.text}: gold {g.kind} {g.value} {g.unit}, got {f.kind} {f.value} "
                f"{f.unit}"
            )
    return lines
