"""Fixture tests for the fact rules: one fixture file per rule (tests/fixtures/facts/<rule>.txt).

Input: optional directives, then blocks. ``@date 2025-01-16`` sets the document date, ``@title …``
its title, a line starting with ``#`` is a heading (level = number of #), any other line a
paragraph. Expected: one line per figure, in a view that depends on the rule (see VIEWS).
The real annotations (metrics.yaml, glossary.yaml) are used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.facts.extract import scan_document
from digest.facts.numerals import plain
from digest.facts.rules import RULES
from digest.facts.state import Candidate, Env
from digest.facts.vocabulary import Gazetteer, MetricVocabulary
from digest.model import Block, Document, Meta
from tests.conftest import ROOT, Case, read_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "facts"
ENV = Env(
    MetricVocabulary.load(ROOT / "annotations" / "metrics.yaml"),
    Gazetteer.load(ROOT / "annotations" / "glossary.yaml"),
)


def document(source: str) -> Document:
    """A one-off document from fixture input."""
    meta = Meta(title="fixture")
    blocks: list[Block] = []
    for line in source.split("\n"):
        if line.startswith("@date "):
            meta.date = line[6:].strip()
        elif line.startswith("@title "):
            meta.title = line[7:].strip()
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Block("heading", line[level:].strip(), [], level=level, anchor=f"h-{len(blocks)}"))
        elif line.strip():
            blocks.append(Block("paragraph", line, [], anchor=f"p-{len(blocks)}"))
    return Document(source="fixture.txt", part=1, parts=1, items=[], blocks=blocks, meta=meta, id="fixture")


def full(c: Candidate) -> str:
    value = plain(c.value) + (f"-{plain(c.value_max)}" if c.value_max is not None else "")
    return " | ".join(
        [
            c.text,
            f"{c.kind} {value} {c.unit}",
            ",".join(c.qualifiers) or "-",
            str(c.period) if c.period is not None else "-",
            "plan" if c.planned else "-",
        ]
    )


VIEWS = {
    "metric": lambda c: f"{c.text} | {c.metric} | {c.metric_en or 'unlisted'}",
    "subject": lambda c: f"{c.text} | {c.subject or '-'}",
}
FILTERS = {"ordinals", "codes", "formulas"}  # these views also list what was dropped, and why


def run(case: Case) -> str:
    rule = case.file.removesuffix(".txt")
    lines: list[str] = []
    for state in scan_document(document(case.input), ENV):
        for c in state.candidates:
            if c.dropped:
                if rule in FILTERS:
                    lines.append(f"dropped {c.text} | {c.dropped}: {c.why}")
                continue
            lines.append(VIEWS.get(rule, full)(c))
    return "\n".join(lines)


CASES = [
    pytest.param(c, id=f"{c.file}:{c.line} {c.name}")
    for f in sorted(FIXTURES.glob("*.txt"))
    for c in read_fixture(f)
]


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: Case) -> None:
    """Each fixture's text, run through every fact rule, yields exactly the expected figures."""
    assert run(case) == case.expected


def test_every_rule_has_a_fixture_file() -> None:
    """Every fact rule has its own fixture file with at least one case."""
    names = [name for name, _ in RULES]
    files = {p.stem: read_fixture(p) for p in FIXTURES.glob("*.txt")}
    assert [n for n in names if not files.get(n)] == []
