"""Run the fact rules over a document's paragraphs and captions and make :class:`Fact` records."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from digest.facts import present
from digest.facts.model import Fact
from digest.facts.rules import RULES
from digest.facts.rules.planned import PLAN_HEADING
from digest.facts.state import BlockState, Candidate, DocContext, Env, Section
from digest.facts.vocabulary import Place
from digest.model import Block, Document

RE_HEADING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
FACT_BLOCKS = ("paragraph", "caption")


def fact_id(doc_id: str, anchor: str, text: str, occurrence: int) -> str:
    return "f-" + hashlib.sha1(f"{doc_id}\x1f{anchor}\x1f{text}\x1f{occurrence}".encode()).hexdigest()[:12]


def _places(text: str, env: Env) -> list[Place]:
    """Places named in ``text`` outside quotation marks (“智慧社区” is a concept, not a place)."""
    state = BlockState(Block("paragraph", text, []), env, DocContext(Document("", 0, 0, [])))
    return [p for s, e, p in state.mentions() if not p.body and not state.name_quote(s, e)]


def default_subject(doc: Document, env: Env) -> Place | None:
    """The most local place named in the title (glossary places before names found by suffix); else
    the most often named place in the body."""
    title = _places(doc.meta.title, env)
    if title:
        return max(title, key=lambda p: (bool(p.english), p.level))
    counts: Counter[Place] = Counter()
    for b in doc.body:
        counts.update(_places(b.text, env))
    if not counts:
        return None
    return sorted(counts, key=lambda p: (-counts[p], -p.level, p.name))[0]


def context(doc: Document, env: Env) -> DocContext:
    year = int(doc.meta.date[:4]) if doc.meta.date[:4].isdigit() else None
    month = int(doc.meta.date[5:7]) if len(doc.meta.date) >= 7 and doc.meta.date[5:7].isdigit() else None
    return DocContext(doc, year, month, default_subject=default_subject(doc, env))


def _enter_heading(ctx: DocContext, block: Block) -> None:
    while ctx.sections and ctx.sections[-1].level >= block.level:
        ctx.sections.pop()
    m = RE_HEADING_YEAR.search(block.text)
    year = int(m.group(1)) if m else None
    if year is not None:
        ctx.last_heading_year = year
    ctx.sections.append(Section(block.level, block.text, year, bool(PLAN_HEADING.search(block.text))))


def scan_block(block: Block, env: Env, ctx: DocContext, only: list[str] | None = None) -> BlockState:
    state = BlockState(block, env, ctx)
    for name, rule in RULES:
        if only is None or name in only:
            rule(state)
    return state


def scan_document(doc: Document, env: Env) -> list[BlockState]:
    """Every paragraph and caption of ``doc`` after all rules (dropped candidates included)."""
    ctx = context(doc, env)
    states: list[BlockState] = []
    for block in doc.blocks:
        if block.kind == "heading":
            _enter_heading(ctx, block)
        elif block.kind in FACT_BLOCKS and block.anchor:
            states.append(scan_block(block, env, ctx))
    return states


def extract(doc: Document, env: Env) -> list[Fact]:
    """The facts of ``doc``, in reading order, with stable ids."""
    facts: list[Fact] = []
    for state in scan_document(doc, env):
        seen: Counter[str] = Counter()
        for c in state.kept:
            facts.append(make_fact(doc, state.block, state, c, seen[c.text]))
            seen[c.text] += 1
    return facts


def make_fact(doc: Document, block: Block, state: BlockState, c: Candidate, occurrence: int) -> Fact:
    s, e = state.sentence(c.start)
    fact = Fact(
        id=fact_id(doc.id, block.anchor, c.text, occurrence),
        doc=doc.id,
        anchor=block.anchor,
        sentence=block.text[s:e].strip(),
        start=c.start,
        end=c.end,
        text=c.text,
        value=c.value,
        unit=c.unit,
        kind=c.kind,
        value_max=c.value_max,
        qualifiers=list(c.qualifiers),
        metric=c.metric,
        metric_en=c.metric_en,
        metric_slug=c.metric_slug,
        metric_known=c.metric_known,
        subject=c.subject,
        subject_en=c.subject_en,
        period=c.period,
        planned=c.planned,
    )
    fact.display = present.value(fact)
    return fact
