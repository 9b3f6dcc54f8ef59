"""What the fact rules see: one paragraph at a time, with its document context.

Like markdown-it-py's ``StateInline``: rules read ``state.text`` (a same-length
matching copy of the paragraph) and add or annotate :class:`Candidate` objects.
Scanners add candidates, filters drop them (recording why), annotators fill in
metric, subject, period, qualifiers, kind and the planned flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from digest.facts.vocabulary import Gazetteer, MetricVocabulary, Place, matchable
from digest.model import Block, Document

SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:。！？!?"
OPEN_QUOTES = "“「『《"
CLOSE_QUOTES = "”」』》"
NAME_QUOTE_BREAKS = set("，,。！？!?；;：:")  # a quotation holding these is speech, not a name


@dataclass
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


@dataclass
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


@dataclass
class BlockState:
    block: Block
    env: Env
    ctx: DocContext
    text: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    _mentions: list[tuple[int, int, Place]] | None = None
    _quotes: list[tuple[int, int]] | None = None

    def __post_init__(self) -> None:
        self.text = matchable(self.block.text)

    # --- spans -------------------------------------------------------------------------------------
    def claimed(self, start: int, end: int) -> bool:
        return any(c.start < end and start < c.end for c in self.candidates)

    def add(self, cand: Candidate) -> bool:
        if self.claimed(cand.start, cand.end):
            return False
        self.candidates.append(cand)
        self.candidates.sort(key=lambda c: c.start)
        return True

    @property
    def kept(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.dropped]

    def sentence(self, pos: int) -> tuple[int, int]:
        start = max((self.text.rfind(c, 0, pos) for c in SENTENCE_END), default=-1) + 1
        ends = [i for i in (self.text.find(c, pos) for c in SENTENCE_END) if i != -1]
        end = min(ends) + 1 if ends else len(self.text)
        while end < len(self.text) and self.text[end] in CLOSE_QUOTES:
            end += 1
        return start, end

    def clause_start(self, pos: int) -> int:
        """Start of the clause holding ``pos``: after the last clause punctuation outside quotes."""
        i = pos - 1
        while i >= 0:
            if self.text[i] in CLAUSE_END and not self.inside_quote(i):
                return i + 1
            i -= 1
        return 0

    def clause_end(self, pos: int) -> int:
        i = pos
        while i < len(self.text):
            if self.text[i] in CLAUSE_END and not self.inside_quote(i):
                return i
            i += 1
        return len(self.text)

    def previous(self, cand: Candidate) -> Candidate | None:
        """The kept candidate just before ``cand`` in the same sentence."""
        s, _ = self.sentence(cand.start)
        before = [c for c in self.kept if c.end <= cand.start and c.start >= s]
        return before[-1] if before else None

    # --- quotes ------------------------------------------------------------------------------------
    def quotes(self) -> list[tuple[int, int]]:
        """Spans of quotations and titles (start of the opening mark, end after the closing one)."""
        if self._quotes is None:
            spans: list[tuple[int, int]] = []
            stack: list[int] = []
            for i, c in enumerate(self.text):
                if c in OPEN_QUOTES:
                    stack.append(i)
                elif c in CLOSE_QUOTES and stack:
                    spans.append((stack.pop(), i + 1))
            self._quotes = sorted(spans)
        return self._quotes

    def inside_quote(self, pos: int) -> bool:
        return any(q[0] < pos < q[1] - 1 for q in self.quotes())

    def name_quote(self, start: int, end: int) -> tuple[int, int] | None:
        """A quotation around [start, end) that is a name or formula (no sentence punctuation inside),
        or a book/document title 《…》."""
        for q in self.quotes():
            if q[0] < start and end <= q[1] - 1:
                inner = self.text[q[0] + 1 : q[1] - 1]
                if self.text[q[0]] == "《" or not (set(inner) & NAME_QUOTE_BREAKS):
                    return q
        return None

    # --- places ------------------------------------------------------------------------------------
    def mentions(self) -> list[tuple[int, int, Place]]:
        if self._mentions is None:
            self._mentions = self.env.places.mentions(self.text)
        return self._mentions
