"""Fixture tests for the cleaning rules: one fixture file per rule, real cases from the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.read import read_bytes
from digest.rules import RULES, Vocabulary, clean
from tests.conftest import Case, read_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
VOCAB = Vocabulary.load()


def run(text: str) -> str:
    source, _ = read_bytes(text.encode("utf-8"), "fixture.txt")
    clean(source, VOCAB)
    return "\n".join(f"{it.kind}\t{it.text}" for it in source.items if it.kind != "blank")


CASES = [pytest.param(c, id=f"{c.file}:{c.line} {c.name}") for f in sorted(FIXTURES.glob("*.txt"))
         for c in read_fixture(f)]


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: Case) -> None:
    """Each fixture's input, cleaned by the full rule list, gives exactly the expected lines."""
    assert run(case.input) == case.expected


def test_every_rule_has_a_fixture_file() -> None:
    """Every named rule in the pipeline has its own fixture file."""
    names = {name for name, _ in RULES}
    assert names <= {p.stem for p in FIXTURES.glob("*.txt")}
