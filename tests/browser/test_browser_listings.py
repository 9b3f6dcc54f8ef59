"""The bounded listing pages of a large corpus, as a reader meets them (render.render_listings).

The five seeds are built with the page size lowered to two documents, so that the home page, the
pages by issuer and by year and the groups' own pages take the shape they have at thousands."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from digest import config, pipeline, render
from tests.browser.conftest import Site
from tests.conftest import copy_project

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
SCROLL_JS = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, pipeline.Report]]:
    root = copy_project(tmp_path_factory.mktemp("paged"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "LIST_ROWS", 2)
        mp.setattr(render, "GROUP_INLINE", 1)
        report = pipeline.build(config.load(root), force=True)
    site = root / "site"
    yield Site("file", site, site.resolve().as_uri() + "/"), report


def test_a_reader_goes_from_the_home_page_to_every_document_through_the_bounded_pages(paged, page) -> None:
    """The home page shows the newest two documents and says how many there are; its "by year" link
    leads to the year index, whose links (a year's pages, or a lone document inline) reach every
    document; a group page links back to its heading and its documents' pages open."""
    site, report = paged
    page.goto(site.url("index.html"))
    home = page.locator("article")
    assert f"{len(report.documents)} documents" in home.inner_text()
    assert home.locator("a[href*='docs/']").count() == 2
    home.get_by_role("link", name="by year").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("by-year.html")

    def doc_ids() -> set[str]:
        links = page.locator("article a[href*='docs/']")
        return {(links.nth(i).get_attribute("href") or "").rsplit("/", 1)[-1].removesuffix(".html")
                for i in range(links.count())}

    reached = doc_ids()  # the documents of groups small enough to be listed inline
    group_links = page.locator("article .dg-group-pages a")
    hrefs = [group_links.nth(i).get_attribute("href") or "" for i in range(group_links.count())]
    assert hrefs and all(h.startswith("by-year/") for h in hrefs)
    for href in hrefs:
        page.goto(site.url(href))
        assert page.locator("article h1").inner_text()
        assert page.locator("article .dg-lede a[href^='../by-year.html#g-']").count() == 1
        reached |= doc_ids()
    assert reached == {d.id for d in report.documents}
    page.goto(site.url(hrefs[0]))
    page.locator("article a[href*='../docs/']").first.click()
    page.wait_for_load_state()
    assert "/docs/" in page.url and page.locator("article h1").count() == 1


def test_the_bounded_pages_do_not_scroll_sideways_on_a_phone(paged, new_page) -> None:
    """At 375 px, the home page, both listing pages and every group page fit the screen."""
    site, _ = paged
    rels = ["index.html", "by-issuer.html", "by-year.html"]
    rels += [p.relative_to(site.root).as_posix() for folder in ("by-issuer", "by-year")
             for p in sorted((site.root / folder).glob("*.html"))]
    assert len(rels) > 5
    page = new_page(viewport=MOBILE)
    wide = []
    for rel in rels:
        page.goto(site.url(rel))
        width, client = page.evaluate(SCROLL_JS)
        if width > client:
            wide.append(f"{rel}: {width} > {client}")
    assert wide == []


def test_group_pages_exist_in_every_reading(paged, page) -> None:
    """The groups' pages are made in the English and Traditional readings too (same URLs under en/ and
    zh-Hant/), and the Traditional listing shows the group names converted."""
    from digest import hant

    site, _ = paged
    names = sorted(p.name for p in (site.root / "by-issuer").glob("*.html"))
    assert names
    for reading in ("en", "zh-Hant"):
        assert sorted(p.name for p in (site.root / reading / "by-issuer").glob("*.html")) == names
    headings = {}
    for reading in ("", "zh-Hant/"):
        page.goto(site.url(f"{reading}by-issuer.html"))
        headings[reading] = [h.replace("¶", "").strip() for h in page.locator("article h2").all_inner_texts()]
    project = config.load(site.root.parent)
    to_hant = hant.converter(project.opencc_profile, project.annotations / "glossary.yaml")
    assert headings["zh-Hant/"] == [to_hant(h) for h in headings[""]]
    assert headings["zh-Hant/"] != headings[""]
