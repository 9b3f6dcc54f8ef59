"""The termbase (annotations/glossary.yaml). Recognition and term pages come in later stages."""

from __future__ import annotations

from digest import yamlio
from digest.config import Settings


def search_words(settings: Settings) -> list[str]:
    path = settings.annotations / "glossary.yaml"
    if not path.exists():
        raise FileNotFoundError(path)
    data = yamlio.load(path) or []
    words: set[str] = set()
    for entry in data:
        if isinstance(entry, dict):
            words.add(str(entry.get("term", "")))
            words.update(str(a) for a in entry.get("aliases") or [])
    return sorted(w for w in words if w)
