"""Stage 2, cleaning: an ordered list of named rules over a seed's lines.

Each rule is a plain callable ``Rule = Callable[[Source, Vocabulary], None]`` in a
file of its own that classifies or rewrites :class:`~digest.model.Item` objects in
place. A rule never deletes an item: removed lines stay, marked ``chrome`` or
``meta``, so that the page can list them and nothing of a seed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from digest.model import Source
from digest.rules import captions, chrome, credits, metadata_lines, quotes, rejoin, spaces, strip
from digest.rules.vocabulary import Vocabulary

Rule = Callable[[Source, Vocabulary], None]

RULES: list[tuple[str, Rule]] = [
    ("strip", strip.rule),
    ("metadata_lines", metadata_lines.rule),
    ("chrome", chrome.rule),
    ("credits", credits.rule),
    ("captions", captions.rule),
    ("spaces", spaces.rule),
    ("rejoin", rejoin.rule),
    ("quotes", quotes.rule),
]


def clean(source: Source, vocabulary: Vocabulary, only: list[str] | None = None) -> Source:
    for name, rule in RULES:
        if only is None or name in only:
            rule(source, vocabulary)
    return source


__all__ = ["RULES", "Rule", "Vocabulary", "clean"]
