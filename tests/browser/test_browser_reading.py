"""Reading quality in a real browser: accessibility (axe-core), screenshots, no sideways scrolling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.searching import load_index

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# Reading modes of a document page: the control's data-mode values (digest/assets/digest.js).
# None = the page as it opens, without touching the control.
READING_MODES: list[str | None] = ["zh", "en", "parallel"]
SCROLL_JS = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


def _doc_id(report, prefix: str, part: int = 1) -> str:  # type: ignore[no-untyped-def]
    return next(d.id for d in report.documents if d.source.startswith(prefix) and d.part == part)


def _term_page(site_dir: Path) -> str:
    manifest, _ = load_index(site_dir)
    terms = sorted(pg[0] for pg in manifest["pages"] if pg[3] == "term")
    assert terms, "no term pages in the search index"
    return terms[0]


def _axe(page: Any, axe_js: Path) -> list[dict[str, Any]]:
    # evaluated through the debugger: an injected <script> would (rightly) be refused by the site's CSP
    page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def _set_mode(page: Any, mode: str | None) -> None:
    if mode is None:
        return
    button = page.locator(f".dg-reading button[data-mode='{mode}']")
    button.click()
    assert page.evaluate("document.documentElement.dataset.dgReading") == mode
    assert button.get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("which", ["home", "document", "term", "search", "search-dropdown"])
def test_no_serious_or_critical_accessibility_violations(page, http_site, built, axe_js, artifacts, which) -> None:
    """axe-core, run inside the page, finds no serious or critical violation on the home page, a document
    (in each reading mode), a term page and the search results (full page and header dropdown)."""
    _, report = built
    states: list[str | None] = [None]
    if which == "home":
        page.goto(http_site.url("index.html"))
    elif which == "document":
        page.goto(http_site.url(f"docs/{_doc_id(report, '000_')}.html"))
        states = list(READING_MODES)
    elif which == "term":
        page.goto(http_site.url(_term_page(http_site.root)))
    elif which == "search":
        page.goto(http_site.url(f"search.html?q={quote('百千万工程')}"))
        page.wait_for_selector("#dg-search-results li")
    else:
        page.goto(http_site.url("index.html"))
        page.fill("#dg-header-q", "新质生产力")
        page.wait_for_selector(".dg-search-panel:not([hidden]) li")
    found = {}
    for state in states:
        _set_mode(page, state)
        violations = _axe(page, axe_js)
        found[state or "as-is"] = violations
    (artifacts / f"axe-{which}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    bad = [f"[{state}] {v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
           for state, violations in found.items() for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == []


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["mobile", "desktop"])
def test_document_page_screenshots_in_each_reading_mode(new_page, file_site, built, artifacts, viewport) -> None:
    """A document page is screenshotted at 375 px and 1280 px in each reading mode (saved in
    test-artifacts/); the mode's text is what shows, and on mobile nothing scrolls sideways."""
    _, report = built
    page = new_page(viewport=viewport, device_scale_factor=1)
    doc_id = _doc_id(report, "000_")
    page.goto(file_site.url(f"docs/{doc_id}.html"))
    for mode in READING_MODES:
        _set_mode(page, mode)
        shown = page.evaluate("""() => {
            const vis = s => { const e = document.querySelector('.dg-unit ' + s);
                               return !!e && getComputedStyle(e).display !== 'none'; };
            return {zh: vis('.dg-zh'), en: vis('.dg-en')}; }""")
        if mode is not None:
            assert shown == {"zh": mode != "en", "en": mode != "zh"}, f"{mode}: {shown}"
        path = artifacts / f"document-{viewport['width']}-{mode or 'as-is'}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        if viewport is MOBILE:
            width, client = page.evaluate(SCROLL_JS)
            assert width <= client, f"{mode}: scrolls sideways ({width} > {client})"


def test_no_page_scrolls_sideways_on_a_phone(new_page, http_site, built) -> None:
    """At 375 px, no page scrolls sideways: home, indexes, search results, every document in every
    reading mode and every site language (long index numbers, the meta grid, ¶ links, the header)."""
    _, report = built
    rels = ["index.html", "by-issuer.html", "by-year.html", f"search.html?q={quote('新质生产力')}"]
    rels += [f"{lang}docs/{d.id}.html" for lang in ("", "en/", "zh-Hant/") for d in report.documents]
    offenders = []
    for mode in READING_MODES:
        page = new_page(viewport=MOBILE)
        if mode is not None:
            page.add_init_script(f"try {{ localStorage.setItem('dg-reading', '{mode}'); }} catch (e) {{}}")
        for rel in rels:
            page.goto(http_site.url(rel))
            if rel.startswith("search"):
                page.wait_for_selector("#dg-search-results li")
            width, client = page.evaluate(SCROLL_JS)
            if width > client:
                wide = page.evaluate("""(w) => Array.from(document.querySelectorAll('body *')).filter(e => {
                    const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 0.5; })
                    .slice(0, 3).map(e => e.tagName + '.' + e.className)""", client)
                offenders.append(f"{rel} [{mode}]: {width} > {client} {wide}")
        page.context.close()
    assert offenders == []
