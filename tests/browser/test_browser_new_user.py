"""Tried as a new user would (issue 2): open site/index.html from disk, see the documents, search."""

from __future__ import annotations

import pytest

from tests.browser.searching import RESULTS_JS, wait_until

pytestmark = pytest.mark.browser


def _doc(report, prefix: str, part: int = 1):  # type: ignore[no-untyped-def]
    return next(d for d in report.documents if d.source.startswith(prefix) and d.part == part)


def test_home_page_from_file_shows_the_documents_and_search_finds_the_two_reports(page, file_site, built) -> None:
    """site/index.html opened from file:// lists every document (title linking to its page); typing
    百千万工程 in the header search box shows the Guanhu work report (seed 002) and the Pinghu
    three-year-action article (seed 000, article 1), and Enter opens the full results with both."""
    _, report = built
    page.goto(file_site.url("index.html"))
    assert page.url.startswith("file://")
    for doc in report.documents:
        link = page.locator(f"article a[href$='docs/{doc.id}.html']").first
        assert link.is_visible(), doc.id
        assert doc.meta.title in link.inner_text()
    wanted = [_doc(report, "002_").meta.title, _doc(report, "000_", 1).meta.title]

    box = page.locator("#dg-header-q")
    box.click()
    box.press_sequentially("百千万工程")
    panel = page.locator(".dg-search-panel")
    panel.wait_for(state="visible")
    titles = panel.locator("a.dg-result-title").all_inner_texts()
    assert all(t in titles for t in wanted), titles

    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    wait_until(page, "document.documentElement.dataset.searchMs !== undefined")
    full = [r["title"] for r in page.evaluate(RESULTS_JS)]
    assert all(t in full for t in wanted), full

    page.click(f"#dg-search-results a.dg-result-title:text-is('{wanted[0]}')")
    page.wait_for_selector("mark.dg-hit")
    assert f"docs/{_doc(report, '002_').id}.html" in page.url
