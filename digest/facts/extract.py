"""Run the fact rules over a document's paragraphs and captions and make :class:`Fact` records."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from digest.facts import present
from digest.facts.model import Fact
from digest.facts.rules import PHASES
from digest.facts.rules.planned import PLAN_HEADING
from digest.facts.state import BlockState, Candidate, DocContext, Env, Section
from digest.facts.vocabulary import Place
from digest.model import Block, Document

RE_HEADING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
FACT_BLOCKS = ("paragraph", "caption")


def fact_id(doc_id: str, anchor: str, text: str, occurrence: int) -> str:
    return "f-" + hashlib.sha1(f"{doc_id}\x1f{anchor}\x1f{text}\x1f{occurrence}".encode()).hexdigest()[:12]


def _places(state: BlockState) -> list[Place]:
    """Places named in the block outside quotation marks (“智慧社区” is a concept, not a place)."""
    mentions = state.mentions()
    if not mentions or not state.quotes():
        return [p for _, _, p in mentions if not p.body]
    return [p for s, e, p in mentions if not p.body and not state.name_quote(s, e)]


def default_subject(doc: Document, env: Env, states: dict[int, BlockState] | None = None) -> Place | None:
    """The most local place named in the title (glossary places before names found by suffix); else
    the most often named place in the body. ``states`` (block id → its state) reuses the places
    already found in blocks that are scanned anyway."""
    blank = DocContext(Document("", 0, 0, []))
    title = _places(BlockState(Block("paragraph", doc.meta.title, []), env, blank))
    if title:
        return max(title, key=lambda p: (bool(p.english), p.level))
    known = states or {}
    counts: Counter[Place] = Counter()
    for b in doc.body:
        counts.update(_places(known.get(id(b)) or BlockState(b, env, blank)))
    if not counts:
        return None
    return sorted(counts, key=lambda p: (-counts[p], -p.level, p.name))[0]


def context(doc: Document, env: Env, states: dict[int, BlockState] | None = None) -> DocContext:
    year = int(doc.meta.date[:4]) if doc.meta.date[:4].isdigit() else None
    month = int(doc.meta.date[5:7]) if len(doc.meta.date) >= 7 and doc.meta.date[5:7].isdigit() else None
    return DocContext(doc, year, month, default_subject=default_subject(doc, env, states))


def _enter_heading(ctx: DocContext, block: Block) -> None:
    while ctx.sections and ctx.sections[-1].level >= block.level:
        ctx.sections.pop()
    m = RE_HEADING_YEAR.search(block.text)
    year = int(m.group(1)) if m else None
    if year is not None:
        ctx.last_heading_year = year
    ctx.sections.append(Section(block.level, block.text, year, bool(PLAN_HEADING.search(block.text))))


def run_rules(state: BlockState, only: list[str] | None = None) -> BlockState:
    """Run the rules (or the rules named in ``only``) over one block, in order. Filters and annotators
    work on kept candidates only, so they are skipped once none is left."""
    scanners, filters, annotators = PHASES
    for name, rule in scanners:
        if only is None or name in only:
            rule(state)
    if not state.candidates:
        return state
    for name, rule in filters:
        if only is None or name in only:
            rule(state)
    if not state.settle():
        return state
    for name, rule in annotators:
        if only is None or name in only:
            rule(state)
    return state


def scan_block(block: Block, env: Env, ctx: DocContext, only: list[str] | None = None) -> BlockState:
    return run_rules(BlockState(block, env, ctx), only)


def scan_document(doc: Document, env: Env) -> list[BlockState]:
    """Every paragraph and caption of ``doc`` after all rules (dropped candidates included)."""
    ctx = DocContext(doc)
    # one state per scanned block, made first so that the default subject reuses their places
    states = {id(b): BlockState(b, env, ctx) for b in doc.blocks if b.kind in FACT_BLOCKS and b.anchor}
    found = context(doc, env, states)
    ctx.year, ctx.month, ctx.default_subject = found.year, found.month, found.default_subject
    scanned: list[BlockState] = []
    for block in doc.blocks:
        if block.kind == "heading":
            _enter_heading(ctx, block)
        elif id(block) in states:
            scanned.append(run_rules(states[id(block)]))
    return scanned


def extract(doc: Document, env: Env) -> list[Fact]:
    """The facts of ``doc``, in reading order, with stable ids."""
    facts: list[Fact] = []
    for state in scan_document(doc, env):
        seen: dict[str, int] = {}
        sentences: dict[tuple[int, int], str] = {}  # one string per sentence, shared by its figures
        for c in state.kept:
            occurrence = seen.get(c.text, 0)
            fact = make_fact(doc, state.block, state, c, occurrence)
            fact.sentence = sentences.setdefault(state.sentence(c.start), fact.sentence)
            facts.append(fact)
            seen[c.text] = occurrence + 1
    return facts


def make_fact(doc: Document, block: Block, state: BlockState, c: Candidate, occurrence: int) -> Fact:
    s, e = state.sentence(c.start)
    fact = Fact(  # positional, in field order (several times faster than keywords for 20 fields)
        fact_id(doc.id, block.anchor, c.text, occurrence),  # id
        doc.id,  # doc
        block.anchor,  # anchor
        block.text[s:e].strip(),  # sentence
        c.start,
        c.end,
        c.text,
        c.value,
        c.unit,
        c.kind,
        c.value_max,
        list(c.qualifiers),
        c.metric,
        c.metric_en,
        c.metric_slug,
        c.metric_known,
        c.subject,
        c.subject_en,
        c.period,
        c.planned,
    )
    fact.display = present.value(fact)
    return fact
