"""The facts page filter in a real browser, from file:// and over HTTP (the shared harness: no network,
page errors fail the test)."""

from __future__ import annotations

import json

import pytest

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
    assert count.text_content() == f"{len(facts)} / {len(facts)}"
    page.goto(site.url("facts/index.html?kind=rank&year=2024"))
    ranks = [f for f in facts if f["kind"] == "rank" and f["period"] == 2024]
    assert page.locator(".dg-facts-count").text_content() == f"{len(ranks)} / {len(facts)}"
