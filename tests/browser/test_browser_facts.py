"""The facts page filter in a real browser, from file:// and over HTTP (the shared harness: no network,
page errors fail the test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from digest import config, pipeline
from digest.facts import pages
from tests.conftest import copy_project

pytestmark = pytest.mark.browser


def test_filters_show_exactly_the_matching_rows(page, site) -> None:
    """Choosing a metric, a subject, a kind or a year shows exactly the matching rows; reset shows all; a
    query string preselects."""
    facts = json.loads((site.root / "facts" / "facts.json").read_text(encoding="utf-8"))["facts"]
    slug = "industrial-output-above-designated-size"
    page.goto(site.url("facts/index.html"))
    count = page.locator(".dg-facts-count")
    assert count.text_content() == f"{len(facts)} / {len(facts)}"
    page.select_option("select[name=metric]", slug)
    wanted = [f for f in facts if f["metric_slug"] == slug]
    assert count.text_content() == f"{len(wanted)} / {len(facts)}"
    visible = page.locator("#dg-all-facts tbody tr:visible")
    assert visible.count() == len(wanted) >= 4
    assert {visible.nth(i).get_attribute("data-metric") for i in range(visible.count())} == {slug}
    page.select_option("select[name=subject]", "平湖街道")
    assert count.text_content() == f"{sum(f['subject'] == '平湖街道' for f in wanted)} / {len(facts)}"
    page.click("form.dg-facts-filter button[type=reset]")
    # The form resets its fields after the reset event, so the page filters again a moment later.
    expect(count).to_have_text(f"{len(facts)} / {len(facts)}")
    page.goto(site.url("facts/index.html?kind=rank&year=2024"))
    ranks = [f for f in facts if f["kind"] == "rank" and f["period"] == 2024]
    assert page.locator(".dg-facts-count").text_content() == f"{len(ranks)} / {len(facts)}"


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """site/ of the seeds built with at most 40 figures to a table page, so that the facts page is the
    summary of a facts table split into pages (as on a site of a few hundred documents)."""
    root = copy_project(tmp_path_factory.mktemp("paged"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "TABLE_ROWS", 40)
        pipeline.build(config.load(root))
    yield root / "site"


def test_paged_table_links_and_filters(page, paged_site: Path) -> None:
    """On a site whose table is split into pages, the facts page filters its summary by metric, a count
    opens the year's page with that metric preselected (only its rows shown), and the pager moves on."""
    facts = json.loads((paged_site / "facts" / "facts.json").read_text(encoding="utf-8"))["facts"]
    slug = "industrial-output-above-designated-size"
    base = paged_site.resolve().as_uri() + "/"
    page.goto(base + "facts/index.html")
    assert page.locator("#dg-all-facts").count() == 0  # no table of every figure here
    page.select_option("select[name=metric]", slug)
    assert page.locator(".dg-facts-count").text_content().startswith("1 / ")
    link = page.locator("#dg-facts-summary tbody tr:visible a[href^='table/']").first
    wanted = int(link.text_content())
    link.click()
    page.wait_for_load_state()
    assert "/facts/table/" in page.url and f"metric={slug}" in page.url
    rows = page.locator("#dg-all-facts tbody tr")
    visible = page.locator("#dg-all-facts tbody tr:visible")
    assert page.locator(".dg-facts-count").text_content() == f"{visible.count()} / {rows.count()}"
    assert {visible.nth(i).get_attribute("data-metric") for i in range(visible.count())} == {slug}
    year = visible.first.get_attribute("data-year")
    assert visible.count() <= wanted == sum(f["metric_slug"] == slug and str(f["period"]) == year for f in facts)
    page.goto(base + "facts/table/2024.html")
    page.click("text=next 下一页 ›")
    page.wait_for_load_state()
    assert page.url.endswith("facts/table/2024-2.html")
    assert page.locator(".dg-facts-count").text_content() == f"{rows.count()} / {rows.count()}" != "0 / 0"
