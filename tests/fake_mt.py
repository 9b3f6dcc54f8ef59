"""A test machine-translation backend: proves the plumbing, translates nothing."""

from __future__ import annotations

from collections.abc import Sequence


class Backend:
    name = "fake"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [f"[{source}→{target}] {len(t)} characters" for t in texts]
