"""Helpers for the search tests: what the built documents say, and what the search page shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from digest.model import Document
from digest.search import fold, unpatch

RESULTS_JS = """() => Array.from(document.querySelectorAll('#dg-search-results > li')).map(li => ({
  href: li.querySelector('a.dg-result-title').href,
  title: li.querySelector('a.dg-result-title').textContent,
  date: (li.querySelector('.dg-result-date') || {textContent: ''}).textContent,
  snippets: Array.from(li.querySelectorAll('a.dg-result-snippet')).map(s => ({
    href: s.href, text: s.textContent, lang: s.lang,
    marks: Array.from(s.querySelectorAll('mark')).map(m => m.textContent)}))
}))"""


@dataclass
class Unit:
    """One searchable unit of a page as a reader sees it."""

    kind: str  # title | heading | paragraph | caption | summary
    lang: str  # zh | en
    text: str
    anchor: str


def document_units(doc: Document) -> Iterator[Unit]:
    """What a document page shows a reader to search: title, headings, paragraphs, captions, summary,
    and their English."""
    yield Unit("title", "zh", doc.meta.title, "")
    for b in doc.blocks:
        if b.anchor:
            yield Unit(b.kind, "zh", b.text, b.anchor)
    if doc.english.get("title"):
        yield Unit("title", "en", doc.english["title"], "")
    for b in doc.blocks:
        if b.anchor and b.english:
            yield Unit(b.kind, "en", b.english, b.anchor)
    for lang in ("zh", "en"):
        if doc.summary.get(lang):
            yield Unit("summary", lang, doc.summary[lang], "summary")


def occurrences(unit_text: str, lang: str, query: str) -> int:
    """How often a folded query term occurs in a unit, as a reader would count it: Chinese anywhere,
    an ASCII word at the start of an English word."""
    hay, q = fold(unit_text), fold(query)
    if lang == "en" and re.fullmatch(r"[a-z0-9][a-z0-9.+\-]*", q):
        return len(re.findall(r"(?:^|(?<=[^a-z0-9]))" + re.escape(q), hay))
    return hay.count(q)


def load_index(site_dir: Path, prefix: str = "") -> tuple[dict[str, Any], list[list[Any]]]:
    """The built search index read back from its <script> files: the manifest, and rows as
    [page, anchor, kind, lang, display text, folded text, pinyin]."""
    folder = site_dir / prefix / "assets" / "search"
    text = (folder / "manifest.js").read_text(encoding="utf-8")
    manifest = json.loads(text[text.index("manifest = ") + len("manifest = "):text.rindex(";")])
    rows: list[list[Any]] = []
    for name in manifest["shards"]:
        body = (site_dir / prefix / name).read_text(encoding="utf-8")
        for row in json.loads(body[body.index(" = ") + 3:body.rindex(";")]):
            page, anchor, kind, lang, folded = row[:5]
            text = unpatch(folded, row[5] or []) if len(row) > 5 else folded
            rows.append([page, anchor, kind, lang, text, folded, row[6] if len(row) > 6 else ""])
    return manifest, rows


class _ArticleText(HTMLParser):
    """Visible text of a page's <article>, without the removed-as-boilerplate list."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "article":
            self.depth += 1
        elif self.depth and (self.skip or "dg-removed" in cls.split() or tag in ("script", "style")):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    return "".join(parser.parts)


def expected_pages(docs: list[Document], site_dir: Path, manifest: dict[str, Any], query: str) -> dict[str, int]:
    """{page url: occurrences} of every page that contains the query: documents from their text, term
    pages from their own entry in glossary.json (forms, English, definitions — the occurrence lines a term
    page quotes from documents are the documents' text, found through the documents)."""
    import json

    out: dict[str, int] = {}
    for doc in docs:
        n = sum(occurrences(u.text, u.lang, query) for u in document_units(doc))
        if n:
            out[f"docs/{doc.id}.html"] = n
    glossary = json.loads((site_dir / "glossary.json").read_text(encoding="utf-8"))
    entries = {t["url"]: t for t in glossary["terms"]}
    for url, _title, _date, kind, *_rest in manifest["pages"]:
        if kind == "term":
            t = entries[url]
            zh = " ".join([t["term"], *t["aliases"], t["traditional"], t["definition_zh"]])
            n = occurrences(zh, "zh", query) + occurrences(f"{t['english']} {t['definition_en']}", "en", query)
            if n:
                out[url] = n
        elif kind != "document":
            n = occurrences(article_text((site_dir / url).read_text(encoding="utf-8")), "zh", query)
            if n:
                out[url] = n
    return out


def page_score(doc: Document, query: str, weights: dict[str, int]) -> int:
    """The ranking the index declares: per unit, its kind's weight × occurrences (at most 5)."""
    return sum(weights.get(u.kind, 1) * min(occurrences(u.text, u.lang, query), 5) for u in document_units(doc))


def rel_url(href: str, base: str) -> str:
    """``href`` relative to the site base, without query and fragment."""
    assert href.startswith(base), f"{href} is not under {base}"
    return urlsplit(href[len(base):]).path


def search(page: Any, base: str, query: str) -> list[dict[str, Any]]:
    """Open ``base``search.html?q=query and return the results as the reader sees them."""
    page.goto(f"{base}search.html?q={quote(query)}")
    wait_until(page, "document.documentElement.dataset.searchMs !== undefined")
    return list(page.evaluate(RESULTS_JS))


def wait_until(page, expression: str, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Poll ``expression`` until it is true. (Playwright's wait_for_function evaluates a string with eval,
    which the site's Content-Security-Policy rightly forbids; page.evaluate goes through the debugger.)"""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(25)
