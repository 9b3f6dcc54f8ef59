"""The facts page filter in a real browser, opened from file:// (no server, no network)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from digest import pipeline

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")]


def test_filters_work_from_file_urls(built: tuple[Path, pipeline.Report]) -> None:
    """Choosing a metric, a kind or a year shows exactly the matching rows; a query string preselects;
    the script raises no error."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root, _ = built
    facts = json.loads((root / "site" / "facts" / "facts.json").read_text(encoding="utf-8"))["facts"]
    url = (root / "site" / "facts" / "index.html").as_uri()
    slug = "industrial-output-above-designated-size"
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
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
        page.goto(url + "?kind=rank&year=2024")
        ranks = [f for f in facts if f["kind"] == "rank" and f["period"] == 2024]
        assert page.locator(".dg-facts-count").text_content() == f"{len(ranks)} / {len(facts)}"
        browser.close()
    assert errors == []
