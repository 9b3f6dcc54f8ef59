"""Search a reader can trust, in a real browser, from file:// and over http://.

Expected results are computed from the built documents' text, never written down by hand.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from digest.search import fold
from tests.browser.searching import (
    document_units,
    expected_pages,
    load_index,
    page_score,
    rel_url,
    search,
    wait_until,
)

pytestmark = pytest.mark.browser

TERMS = ["百千万工程", "新质生产力", "揭榜挂帅"]


@pytest.mark.parametrize("term", TERMS)
def test_a_whole_term_returns_exactly_the_pages_that_contain_it_best_first(page, site, built, term) -> None:
    """A whole Chinese term returns every page containing it and no other (not pages that merely share
    its first character), ranked by how prominently it occurs, each with the term highlighted."""
    _, report = built
    manifest, _ = load_index(site.root)
    expected = expected_pages(report.documents, site.root, manifest, term)
    assert expected, f"{term} is in none of the built documents: the test would prove nothing"
    sharing = {f"docs/{d.id}.html" for d in report.documents
               if any(term[0] in u.text for u in document_units(d))} - set(expected)
    results = search(page, site.base, term)
    got = [rel_url(r["href"], site.base) for r in results]
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got)), "a page is listed twice"
    assert not sharing & set(got), f"pages with only {term[0]} were returned: {sharing & set(got)}"
    by_url = {f"docs/{d.id}.html": d for d in report.documents}
    scores = [page_score(by_url[u], term, manifest["weights"]) for u in got if u in by_url]
    assert scores == sorted(scores, reverse=True), f"not best first: {list(zip(got, scores, strict=False))}"
    for r in results:
        marks = [m for s in r["snippets"] for m in s["marks"]]
        assert marks and all(fold(m) == fold(term) for m in marks), f"{r['title']}: highlighted {marks}"


def test_traditional_script_queries_find_the_same_documents(page, site) -> None:
    """百千萬工程 (Traditional) finds exactly what 百千万工程 finds, with the Simplified text highlighted."""
    simplified = [rel_url(r["href"], site.base) for r in search(page, site.base, "百千万工程")]
    results = search(page, site.base, "百千萬工程")
    assert [rel_url(r["href"], site.base) for r in results] == simplified and simplified
    assert all("百千万工程" in s["marks"] for r in results for s in r["snippets"])


def test_the_traditional_reading_finds_simplified_queries(page, file_site, built) -> None:
    """In the Traditional reading (zh-Hant/), a Simplified query finds the same documents, linked
    within that reading and highlighted in Traditional script."""
    _, report = built
    manifest, _ = load_index(file_site.root)
    expected = expected_pages(report.documents, file_site.root, manifest, "百千万工程")
    base = file_site.url("zh-Hant/")
    results = search(page, base, "百千万工程")
    assert sorted(rel_url(r["href"], base) for r in results) == sorted(expected)
    assert all(fold(m) == "百千万工程" and m != "百千万工程" for r in results for s in r["snippets"]
               for m in s["marks"])


def _english_query(rows: list[list[Any]]) -> str:
    """A word of the English records that some pages have and others lack (the most widespread such)."""
    pages_of: dict[str, set[int]] = {}
    for row in rows:
        if row[3] == "en":
            for word in re.findall(r"[a-z]{7,}", fold(row[4])):
                pages_of.setdefault(word, set()).add(row[0])
    all_pages = {row[0] for row in rows}
    words = sorted((w for w, p in pages_of.items() if 1 < len(p) < len(all_pages)),
                   key=lambda w: (-len(pages_of[w]), w))
    return words[0] if words else next(iter(sorted(pages_of)))


@pytest.mark.parametrize("reading", ["", "en/"])
def test_english_queries_find_english_pages(page, site, built, reading) -> None:
    """An English word finds exactly the pages whose English (or Chinese) text has it at a word start,
    shows the English snippet with the word highlighted, and links within the reading searched."""
    _, report = built
    manifest, rows = load_index(site.root)
    assert any(row[3] == "en" for row in rows), "no English records in the search index"
    query = _english_query(rows)
    expected = expected_pages(report.documents, site.root, manifest, query)
    base = site.url(reading)
    results = search(page, base, query.capitalize())
    assert sorted(rel_url(r["href"], base) for r in results) == sorted(expected)
    for r in results:
        english = [s for s in r["snippets"] if s["lang"] == "en"]
        assert english, f"{r['title']}: no English snippet"
        assert all(m.lower() == query for s in english for m in s["marks"]) and english[0]["marks"]


def test_a_pinyin_query_finds_term_pages(page, site) -> None:
    """Toneless pinyin of a term (e.g. baiqianwangongcheng) finds that term's page."""
    from pypinyin import lazy_pinyin

    manifest, _ = load_index(site.root)
    terms = [(pg[0], pg[1]) for pg in manifest["pages"] if pg[3] == "term"]
    assert terms, "no term pages in the search index"
    chinese_terms = [(url, title.split()[0]) for url, title in terms
                     if re.fullmatch(r"[\u3400-\u9fff]+", title.split()[0])]
    for url, chinese in chinese_terms[:3]:
        query = "".join(lazy_pinyin(chinese)).lower()
        got = [rel_url(r["href"], site.base) for r in search(page, site.base, query)]
        assert url in got, f"{query} did not find {url}"


def test_results_show_title_date_and_a_snippet_around_the_hit(page, site, built) -> None:
    """Each result shows its document's title and date, and snippets that are taken from that document
    around the hit, with the hit marked."""
    _, report = built
    by_url = {f"docs/{d.id}.html": d for d in report.documents}
    results = [r for r in search(page, site.base, "揭榜挂帅") if rel_url(r["href"], site.base).startswith("docs/")]
    assert results
    for r in results:
        doc = by_url[rel_url(r["href"], site.base)]
        assert r["title"] == doc.meta.title
        assert r["date"] == doc.meta.date and re.fullmatch(r"\d{4}(-\d\d){0,2}", r["date"])
        assert r["snippets"], f"{r['title']}: no snippet"
        texts = [u.text for u in document_units(doc)]
        for s in r["snippets"]:
            assert "揭榜挂帅" in s["marks"]
            body = s["text"].strip("…")
            assert any(body in t for t in texts), f"snippet not from the document: {s['text']}"
            assert len(body) <= 100, "a snippet is an excerpt, not the whole paragraph"


def test_a_hit_in_a_paragraph_lands_on_that_paragraph(page, site) -> None:
    """Clicking a snippet whose hit is in a paragraph opens the page at that paragraph (the URL fragment
    is the paragraph's anchor, the paragraph is in view) with the term marked there."""
    search(page, site.base, "新质生产力")
    link = page.locator("#dg-search-results a.dg-result-snippet[href*='#p-']").first
    href = link.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    page.wait_for_selector(f"[id='{anchor}'] mark.dg-hit")
    assert page.evaluate("location.hash") == f"#{anchor}"
    state = page.evaluate("""(id) => { const el = document.getElementById(id); const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, h: innerHeight, cls: el.className,
                marks: Array.from(el.querySelectorAll('mark.dg-hit')).map(m => m.textContent)}; }""", anchor)
    assert "dg-unit" in state["cls"], "the anchor is not a paragraph"
    assert 0 <= state["top"] < state["h"], f"paragraph not in view: {state}"
    assert "新质生产力" in state["marks"]


def test_the_browser_folds_text_exactly_as_the_build_does(page, file_site) -> None:
    """search.js's fold() (used on queries and on the landing page) equals digest.search.fold for
    full-width forms, quotes, Traditional characters, capitals and astral characters, and its unpatch()
    turns an index row's folded text back into the display text exactly."""
    from digest.search import patch, t2s_map

    sample = ("ＡＢＣ１２３　“引号”‘单’「直角」『双』\"'İstanbul ⅠⅡ ΣΑΣ Ǆ 𐐀 "
              + "".join(sorted(t2s_map())[::7]) + " 百千萬工程 揭榜掛帥")
    page.goto(file_site.url("search.html"))
    wait_until(page, "window.DigestSearch !== undefined")
    got = page.evaluate("(s) => DigestSearch.loadManifest().then(() => DigestSearch.fold(s))", sample)
    want = fold(sample)
    assert len(want) == len(sample)
    diff = [(i, sample[i], want[i], got[i]) for i in range(len(want)) if got[i:i + 1] != want[i:i + 1]]
    assert got == want, f"first differences: {diff[:10]}"
    back = page.evaluate("([f, p]) => DigestSearch.unpatch(f, p)", [want, patch(sample, want)])
    assert back == sample, "the browser does not restore the display text from an index row"
