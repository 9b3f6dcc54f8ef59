"""What a reader does on pages, in a real browser: term tooltips and back-links, reading modes and the
language switch, the paragraph citation menu, printing, and redirects of renamed documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest import config, pipeline
from tests.conftest import SEEDS, copy_project, rename_document

pytestmark = pytest.mark.browser


def _doc(report: pipeline.Report, prefix: str, part: int = 1):  # type: ignore[no-untyped-def]
    return next(d for d in report.documents if d.source.startswith(prefix) and d.part == part)


def test_hovering_a_term_shows_its_tooltip(page, site, built) -> None:
    """Hovering (or focusing) a linked term shows the CSS tooltip with its English rendering; it needs no
    network and no script."""
    _, report = built
    page.goto(site.url(f"docs/{_doc(report, '002_').id}.html"))
    term = page.locator(".dg-unit .dg-zh a.dg-term[aria-description]").first
    tip = term.get_attribute("aria-description") or ""
    assert tip
    hidden = term.evaluate("e => getComputedStyle(e, '::after').display")
    term.hover()
    shown = term.evaluate("e => [getComputedStyle(e, '::after').display, getComputedStyle(e, '::after').content]")
    assert hidden == "none" and shown[0] == "block" and tip[:20] in shown[1]
    page.mouse.move(0, 0)
    term.focus()
    assert term.evaluate("e => getComputedStyle(e, '::after').display") == "block"


def test_term_page_back_links_land_on_the_paragraph(page, site) -> None:
    """On a term page, a keyword-in-context line links to the exact paragraph: the fragment is the
    paragraph's anchor, it is in view, and it contains the term."""
    page.goto(site.url("terms/baiqianwangongcheng.html"))
    link = page.locator("a.dg-kwic-link").first
    key = link.locator(".dg-kwic-key").inner_text()
    link.click()
    page.wait_for_load_state()
    anchor = page.url.split("#", 1)[1]
    assert re.fullmatch(r"[pc]-[0-9a-f]{6,}", anchor)
    target = page.locator(f"[id='{anchor}']")
    assert key in target.inner_text()
    box = target.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"]


def test_reading_mode_and_language_switch_land_on_the_same_paragraph(page, site, built) -> None:
    """Choosing English hides the Chinese and is remembered on the next page; switching to 繁體 and then
    English lands on the same document and paragraph, in the Traditional and English interfaces."""
    _, report = built
    doc = _doc(report, "002_")
    anchor = next(b.anchor for b in doc.blocks if b.kind == "paragraph" and len(b.text) > 200)
    page.goto(site.url(f"docs/{doc.id}.html#{anchor}"))
    page.click(".dg-reading button[data-mode='en']")
    unit = page.locator(f"[id='{anchor}']")
    assert unit.locator(".dg-zh").is_hidden() and unit.locator(".dg-en").is_visible()
    page.click(".dg-lang a[lang='zh-Hant']")
    page.wait_for_load_state()
    assert page.url.endswith(f"zh-Hant/docs/{doc.id}.html#{anchor}")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.evaluate("document.documentElement.dataset.dgReading") == "en"  # remembered
    page.click(".dg-reading button[data-mode='zh']")
    assert "觀湖" in page.locator(f"[id='{anchor}'] .dg-zh").inner_text() or "觀湖" in page.inner_text("h1")
    page.click(".dg-lang a[lang='en']")
    page.wait_for_load_state()
    assert page.url.endswith(f"en/docs/{doc.id}.html#{anchor}")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click(".dg-reading button[data-mode='parallel']")
    assert page.locator(f"[id='{anchor}'] .dg-zh").is_visible() and page.locator(f"[id='{anchor}'] .dg-en").is_visible()


def test_without_javascript_the_parallel_reading_shows(new_page, file_site, built) -> None:
    """With JavaScript off, a document shows Chinese and English side by side (parallel)."""
    _, report = built
    page = new_page(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page.goto(file_site.url(f"docs/{_doc(report, '003_').id}.html"))
    unit = page.locator(".dg-unit").first
    zh, en = unit.locator(".dg-zh").bounding_box(), unit.locator(".dg-en").bounding_box()
    assert zh and en and abs(zh["y"] - en["y"]) < 2 and en["x"] > zh["x"] + zh["width"] - 1


def test_paragraph_menu_copies_a_citation_of_that_paragraph(page, site, built) -> None:
    """The ¶ of a paragraph opens a menu; "copy citation" yields the document's citation with the
    paragraph's permalink and today's access date."""
    _, report = built
    doc = _doc(report, "001_")
    anchor = next(b.anchor for b in doc.blocks if b.kind == "paragraph")
    page.goto(site.url(f"docs/{doc.id}.html"))
    page.locator(f"[id='{anchor}']").hover()
    page.click(f"[id='{anchor}'] > .dg-pilcrow")
    menu = page.locator(f"[id='{anchor}'] .dg-menu")
    assert menu.locator("button").count() == 2
    menu.locator("button[data-action='cite']").click()
    copied = menu.get_attribute("data-copied") or ""
    assert copied.startswith(doc.english.get("meta-issuer", ""))
    assert f"docs/{doc.id}.html#{anchor}" in copied and "accessed 20" in copied
    assert doc.english["title"] in copied
    assert page.url.endswith(f"#{anchor}")


def test_a_document_prints_without_navigation_and_with_the_cite_line(page, site, built) -> None:
    """In print, header, sidebars, search and reading controls disappear, link targets are shown, and the
    citation line is printed in the page footer."""
    _, report = built
    page.goto(site.url(f"docs/{_doc(report, '003_').id}.html"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".dg-reading", ".dg-removed"):
        assert page.locator(selector).first.is_hidden(), selector
    cite = page.locator(".dg-print-cite")
    assert cite.is_visible() and cite.evaluate("e => getComputedStyle(e).position") == "fixed"
    after = page.locator(".dg-related a").first.evaluate("e => getComputedStyle(e, '::after').content")
    assert ".html" in after
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF"


def test_a_renamed_documents_old_url_redirects_keeping_the_paragraph(new_page, tmp_path: Path) -> None:
    """After a rename with redirect_from, the old URL (file://) lands on the new page at the same anchor."""
    root = copy_project(tmp_path, [SEEDS / "003_089e73d47226c464.txt"])
    report = pipeline.build(config.load(root))
    doc = report.documents[0]
    anchor = next(b.anchor for b in doc.blocks if b.kind == "paragraph")
    old = rename_document(root, doc.source, "renamed-document")
    pipeline.build(config.load(root))
    page = new_page()
    page.goto((root / "site" / "docs" / f"{old}.html").as_uri() + f"#{anchor}")
    page.wait_for_url(re.compile(r".*renamed-document\.html#.*"))
    assert page.url.endswith(f"renamed-document.html#{anchor}")
    assert page.locator(f"[id='{anchor}']").is_visible()
