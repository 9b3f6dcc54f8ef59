"""The fact rules, in order: scanners find figures, filters drop what is not a fact, annotators
describe the rest. Each rule is ``Rule = Callable[[BlockState], None]`` in a file of its own and
has a fixture file tests/fixtures/facts/<name>.txt with real sentences from the seeds."""

from __future__ import annotations

from collections.abc import Callable

from digest.facts.rules import (
    codes,
    formulas,
    kind,
    metric,
    ordinals,
    period,
    planned,
    qualifiers,
    quantity,
    rank,
    streak,
    subject,
)
from digest.facts.state import BlockState

Rule = Callable[[BlockState], None]

SCANNERS: list[tuple[str, Rule]] = [
    ("rank", rank.rule),
    ("quantity", quantity.rule),
    ("streak", streak.rule),
]
FILTERS: list[tuple[str, Rule]] = [
    ("ordinals", ordinals.rule),
    ("codes", codes.rule),
    ("formulas", formulas.rule),
]
ANNOTATORS: list[tuple[str, Rule]] = [
    ("qualifiers", qualifiers.rule),
    ("metric", metric.rule),
    ("kind", kind.rule),
    ("subject", subject.rule),
    ("period", period.rule),
    ("planned", planned.rule),
]
# Filters and annotators only look at the kept candidates: a paragraph left without any is done.
PHASES = [SCANNERS, FILTERS, ANNOTATORS]
RULES: list[tuple[str, Rule]] = [*SCANNERS, *FILTERS, *ANNOTATORS]

__all__ = ["ANNOTATORS", "FILTERS", "PHASES", "RULES", "SCANNERS", "Rule"]
