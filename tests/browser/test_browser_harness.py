"""The browser harness itself: outside requests are blocked and recorded, errors are caught, and the
site is reachable from file://, the Python HTTP server and nginx under a sub-path."""

from __future__ import annotations

from urllib.request import urlopen

import pytest

from tests.browser.conftest import nginx_conf
from tests.browser.searching import rel_url, search

pytestmark = pytest.mark.browser


def test_outside_requests_are_blocked_and_recorded(new_page, http_site, browser_guard) -> None:
    """A page that tries to reach another host gets nothing, and the attempt is recorded (which fails
    any test where it happens; this one clears the record after checking it). The site's own
    Content-Security-Policy would stop these requests before the network, so this test bypasses it
    to prove the second line of defence."""
    page = new_page(bypass_csp=True)
    page.goto(http_site.url("index.html"))
    page.evaluate("""() => new Promise(done => {
        const img = new Image(); img.onload = img.onerror = () => done(); img.src = 'https://example.com/x.png'; })""")
    page.evaluate("() => fetch('http://198.51.100.7/beacon').catch(() => null)")
    assert any("https://example.com/x.png" in u for u in browser_guard.outside)
    assert any("198.51.100.7/beacon" in u for u in browser_guard.outside)
    assert all(not u.startswith(("GET file:", f"GET {http_site.base}")) for u in browser_guard.outside)
    page.evaluate("console.error('provoked by the harness test')")
    assert any("provoked by the harness test" in e for e in browser_guard.errors)
    browser_guard.outside.clear()
    browser_guard.errors.clear()


def test_a_missing_local_file_is_reported(page, http_site, browser_guard) -> None:
    """A page asset that is not there (HTTP 404) is a problem the guard reports."""
    page.goto(http_site.url("index.html"))
    page.evaluate("() => fetch('assets/no-such-file.js').catch(() => null)")
    assert any("404" in e and "no-such-file.js" in e for e in browser_guard.errors)
    browser_guard.errors.clear()


def test_nginx_serves_the_site_under_a_sub_path(page, nginx_site, built) -> None:
    """nginx (started by the test, own config) serves the site under /digest/: the home page, its
    assets and the search work, and result links stay under the sub-path."""
    assert nginx_site.base.endswith("/digest/")
    with urlopen(nginx_site.base.rstrip("/")) as resp:  # /digest → /digest/
        assert resp.url.endswith("/digest/") and resp.status == 200
    page.goto(nginx_site.base)
    assert page.locator("a[href*='docs/']").count() >= len(built[1].documents)
    results = search(page, nginx_site.base, "百千万工程")
    assert results and all(rel_url(r["href"], nginx_site.base).startswith(("docs/", "terms/")) for r in results)
    assert any(rel_url(r["href"], nginx_site.base).startswith("docs/") for r in results)
    page.click("#dg-search-results a.dg-result-title[href*='/docs/']")
    page.wait_for_selector("mark.dg-hit")
    assert "/digest/docs/" in page.url


def test_nginx_config_is_self_contained(tmp_path) -> None:
    """The generated nginx.conf keeps pid, logs and temp files in its own folder and serves the sub-path."""
    conf = nginx_conf(tmp_path / "site", tmp_path, 8123, "/digest/")
    assert "daemon off;" in conf and f"pid {tmp_path / 'nginx.pid'};" in conf
    assert "listen 127.0.0.1:8123;" in conf and "location /digest/ {" in conf
    assert "/var/" not in conf and "/etc/" not in conf
    with pytest.raises(ValueError):
        nginx_conf(tmp_path, tmp_path, 1, "digest")


def test_the_content_security_policy_stops_outside_requests(page, http_site, browser_guard) -> None:
    """With the site's CSP in force, an injected outside image or fetch never leaves the page: the browser
    refuses it (a CSP violation is reported) before any request is made."""
    page.goto(http_site.url("index.html"))
    violations = page.evaluate("""() => new Promise(done => {
        const seen = [];
        document.addEventListener('securitypolicyviolation', e => seen.push(e.blockedURI));
        const img = new Image(); img.src = 'https://example.com/csp.png';
        fetch('http://198.51.100.7/csp').catch(() => null);
        setTimeout(() => done(seen), 500); })""")
    assert any("example.com" in v for v in violations)
    assert not any("example.com/csp.png" in u for u in browser_guard.outside)
    browser_guard.errors.clear()  # the browser logs the refused requests as console errors
