"""What the fact rules see: one paragraph at a time, with its document context.

Like markdown-it-py's ``StateInline``: rules read ``state.text`` (a same-length
matching copy of the paragraph) and add or annotate :class:`Candidate` objects.
Scanners add candidates, filters drop them (recording why), annotators fill in
metric, subject, period, qualifiers, kind and the planned flag.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from decimal import Decimal

from digest.facts.vocabulary import Gazetteer, MetricVocabulary, Place, matchable
from digest.model import Block, Document

SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:。！？!?"
OPEN_QUOTES = "“「『《"
CLOSE_QUOTES = "”」』》"
NAME_QUOTE_BREAKS = set("，,。！？!?；;：:")  # a quotation holding these is speech, not a name
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_END)}]")
_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_END)}]")
_QUOTE_MARK = re.compile(f"[{re.escape(OPEN_QUOTES + CLOSE_QUOTES)}]")


@dataclass(slots=True)
class Candidate:
    start: int  # span in the paragraph text
    end: int
    text: str
    value: Decimal
    unit: str
    kind: str  # default kind from the scanner; rules/kind.py settles it
    rule: str  # the scanner that found it
    value_max: Decimal | None = None
    numeral: str = "arabic"  # arabic | chinese
    qualifiers: list[str] = field(default_factory=list)
    metric: str = ""
    metric_en: str = ""
    metric_slug: str = ""
    metric_known: bool = False
    metric_unit: str = ""
    subject: str = ""
    subject_en: str = ""
    period: int | None = None
    planned: bool = False
    dropped: str = ""  # name of the rule that excluded it ("" = kept)
    why: str = ""  # the reason, for fixtures and debugging


def _start(c: Candidate) -> int:
    return c.start


@dataclass
class Env:
    """Corpus-wide knowledge."""

    metrics: MetricVocabulary = field(default_factory=MetricVocabulary)
    places: Gazetteer = field(default_factory=Gazetteer)


@dataclass
class Section:
    level: int
    text: str
    year: int | None
    plan: bool


@dataclass(slots=True)
class DocContext:
    """The document around the paragraph: date, section headings, default subject."""

    doc: Document
    year: int | None = None  # year of the document date
    month: int | None = None
    sections: list[Section] = field(default_factory=list)  # open headings, outermost first
    default_subject: Place | None = None
    last_heading_year: int | None = (
        None  # the latest heading that named a year (奋进2023, 一、2023年工作回顾)
    )

    @property
    def reviewed_year(self) -> int | None:
        """The year that 全年/这一年/一年来 mean: the document's year, or the year before when the
        document appeared in the first quarter (annual reviews are published early in the next year)."""
        if self.year is None:
            return None
        return self.year - 1 if self.month is not None and self.month <= 3 else self.year

    def heading_year(self) -> int | None:
        """The year of the latest heading that names one: it holds until another heading names a
        year, across sibling headings (a dated part title governs the untitled-year sections after it)."""
        return self.last_heading_year

    def in_plan_section(self) -> bool:
        reviewed = self.reviewed_year
        future = (
            self.last_heading_year is not None and reviewed is not None and self.last_heading_year > reviewed
        )
        return future or any(s.plan for s in self.sections)


@dataclass(slots=True)
class BlockState:
    block: Block
    env: Env
    ctx: DocContext
    text: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    _mentions: list[tuple[int, int, Place]] | None = None
    _kept: list[Candidate] | None = None  # set once the filters have run
    _quotes: list[tuple[int, int]] | None = None
    _name_quotes: list[tuple[int, int]] | None = None  # the quotes that are names, formulas or titles
    _sentence_ends: list[int] | None = None  # positions of sentence-final punctuation
    _sentences: dict[int, tuple[int, int]] = field(default_factory=dict)  # position → its sentence
    _clause_ends: list[int] | None = None  # positions of clause punctuation outside quotes

    def __post_init__(self) -> None:
        self.text = matchable(self.block.text)

    # --- spans -------------------------------------------------------------------------------------
    def claimed(self, start: int, end: int) -> bool:
        return any(c.start < end and start < c.end for c in self.candidates)

    def add(self, cand: Candidate) -> bool:
        """Add a candidate unless its span overlaps one already found; candidates stay sorted by start."""
        if self.claimed(cand.start, cand.end):
            return False
        self._kept = None
        if self.candidates and self.candidates[-1].start > cand.start:
            insort(self.candidates, cand, key=_start)  # after equal starts, as a stable sort
        else:
            self.candidates.append(cand)
        return True

    @property
    def kept(self) -> list[Candidate]:
        """The candidates no filter dropped, in order (once settled, the same list: do not change it)."""
        if self._kept is not None:
            return self._kept
        return [c for c in self.candidates if not c.dropped]

    def settle(self) -> list[Candidate]:
        """Fix :attr:`kept` after the filters (annotators add no candidate and drop none)."""
        self._kept = [c for c in self.candidates if not c.dropped]
        return self._kept

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``: after the last sentence end before it, through the next one
        (and the closing quotes right after it)."""
        if self._sentence_ends is None:
            self._sentence_ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        elif pos in self._sentences:
            return self._sentences[pos]
        ends = self._sentence_ends
        i = bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i else 0
        end = ends[i] + 1 if i < len(ends) else len(self.text)
        while end < len(self.text) and self.text[end] in CLOSE_QUOTES:
            end += 1
        self._sentences[pos] = (start, end)
        return start, end

    def _clauses(self) -> list[int]:
        if self._clause_ends is None:
            marks = [m.start() for m in _CLAUSE_END.finditer(self.text)]
            quotes = self.quotes()
            if quotes:  # keep the marks outside quotes (inside_quote, in one sweep: both are sorted)
                outside: list[int] = []
                j, reach = 0, -1  # reach: the furthest inner end of the quotes opened before the mark
                for i in marks:
                    while j < len(quotes) and quotes[j][0] < i:
                        reach = max(reach, quotes[j][1] - 1)
                        j += 1
                    if reach <= i:
                        outside.append(i)
                marks = outside
            self._clause_ends = marks
        return self._clause_ends

    def clause_start(self, pos: int) -> int:
        """Start of the clause holding ``pos``: after the last clause punctuation outside quotes."""
        ends = self._clause_ends if self._clause_ends is not None else self._clauses()
        i = bisect_left(ends, pos)
        return ends[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        ends = self._clause_ends if self._clause_ends is not None else self._clauses()
        i = bisect_left(ends, pos)
        return ends[i] if i < len(ends) else len(self.text)

    def previous(self, cand: Candidate) -> Candidate | None:
        """The kept candidate just before ``cand`` in the same sentence."""
        for c in reversed(self.candidates):  # sorted and disjoint: the last one ending before it
            if c.end <= cand.start and not c.dropped:
                return c if c.start >= self.sentence(cand.start)[0] else None
        return None

    # --- quotes ------------------------------------------------------------------------------------
    def quotes(self) -> list[tuple[int, int]]:
        """Spans of quotations and titles (start of the opening mark, end after the closing one)."""
        if self._quotes is None:
            spans: list[tuple[int, int]] = []
            stack: list[int] = []
            for m in _QUOTE_MARK.finditer(self.text):
                i = m.start()
                if self.text[i] in OPEN_QUOTES:
                    stack.append(i)
                elif stack:
                    spans.append((stack.pop(), i + 1))
            self._quotes = sorted(spans)
        return self._quotes

    def inside_quote(self, pos: int) -> bool:
        return any(q[0] < pos < q[1] - 1 for q in self.quotes())

    def name_quote(self, start: int, end: int) -> tuple[int, int] | None:
        """A quotation around [start, end) that is a name or formula (no sentence punctuation inside),
        or a book/document title 《…》."""
        if self._name_quotes is None:
            self._name_quotes = [
                q
                for q in self.quotes()
                if self.text[q[0]] == "《" or not (set(self.text[q[0] + 1 : q[1] - 1]) & NAME_QUOTE_BREAKS)
            ]
        for q in self._name_quotes:
            if q[0] < start and end <= q[1] - 1:
                return q
        return None

    # --- places ------------------------------------------------------------------------------------
    def mentions(self) -> list[tuple[int, int, Place]]:
        if self._mentions is None:
            self._mentions = self.env.places.mentions(self.text)
        return self._mentions
