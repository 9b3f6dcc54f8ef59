"""Key facts: every figure in the documents, normalised, sourced and comparable.

    rules/*      ordered rules over one paragraph (scanners → filters → annotators), one per file
    extract.py   runs the rules over a document and makes Fact records with stable ids
    vocabulary   annotations/metrics.yaml (metric → English) and the glossary's places (gazetteer)
    stage.py     the enricher (marks, the Key facts section) and the generator (the facts page and,
                 on a larger site, the table pages it summarises, indicator pages with SVG charts,
                 facts.csv / facts.json and their schema)
    pages.py     their Markdown/HTML; no page grows with the number of documents

Nothing here knows any document: all knowledge of metrics and places lives in annotations/.
"""

from __future__ import annotations

from digest.facts.extract import extract
from digest.facts.model import FIELDS, Fact
from digest.facts.state import Env

__all__ = ["FIELDS", "Env", "Fact", "extract"]
