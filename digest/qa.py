"""Translation QA: figures and glossary renderings, listed by document and anchor.

- Every Arabic-numeral figure of a Chinese unit must appear in its English,
  converted (123.45亿 → 12.345 billion or 12,345,000,000; 57.6万 → 576,000;
  6.28% → 6.28%). A month (12月) may appear as its name.
- Every glossary term in the Chinese should appear in the English as the
  glossary's rendering or one of its listed alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from digest.model import Document

_ZH_NUM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万)?(月)?")
_EN_NUM = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(trillion|billion|million|thousand)?", re.I)
_SCALE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_EN_SCALE = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6,
             "thousand": Decimal(10) ** 3}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


@dataclass(frozen=True)
class Problem:
    doc: str
    anchor: str
    kind: str  # "figure" | "term"
    message: str

    def __str__(self) -> str:
        return f"{self.doc}#{self.anchor}: {self.message}"


def zh_figures(text: str) -> list[tuple[str, Decimal, bool]]:
    """(as written, value, is_month) for each Arabic-numeral figure."""
    out = []
    for m in _ZH_NUM.finditer(text):
        try:
            value = Decimal(m.group(1)) * _SCALE.get(m.group(2) or "", Decimal(1))
        except InvalidOperation:
            continue
        out.append((m.group(0), value.normalize(), bool(m.group(3))))
    return out


def en_values(text: str) -> set[Decimal]:
    values: set[Decimal] = set()
    for m in _EN_NUM.finditer(text):
        base = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        values.add(base.normalize())
        if m.group(3):
            values.add((base * _EN_SCALE[m.group(3).lower()]).normalize())
    return values


def check_figures(zh: str, en: str) -> list[str]:
    have = en_values(en)
    lower = en.lower()
    missing = []
    for written, value, is_month in zh_figures(zh):
        if value in have:
            continue
        if is_month and 1 <= value <= 12 and MONTHS[int(value) - 1] in lower:
            continue
        missing.append(written)
    return missing


_GENERIC = {"subdistrict", "district", "community", "campaign", "project", "framework", "city", "province",
            "street", "office", "model", "mechanism", "system", "programme", "program", "initiative", "the", "and",
            "for", "with", "of"}


def rendering_found(rendering: str, english: str) -> bool:
    """The rendering's distinctive words all occur (quotes, brackets and generic words aside)."""
    core = re.sub(r"\([^)]*\)", " ", rendering)
    words = [w for w in re.findall(r"[a-z0-9+]+", core.lower()) if w not in _GENERIC and len(w) > 2]
    text = english.lower()
    return all(w in text for w in words)  # nothing distinctive (社区 → Community): nothing to check


def check_document(doc: Document, glossary: list[tuple[str, list[str]]] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for b in doc.blocks:
        if not b.anchor or not b.english:
            continue
        for written in check_figures(b.text, b.english):
            problems.append(Problem(doc.id, b.anchor, "figure", f"figure {written!r} not found in the English"))
        for term, renderings in glossary or []:
            if term in b.text and renderings and not any(rendering_found(r, b.english) for r in renderings):
                problems.append(Problem(doc.id, b.anchor, "term",
                                        f"term {term!r}: expected the glossary rendering {renderings[0]!r}"))
    return problems
