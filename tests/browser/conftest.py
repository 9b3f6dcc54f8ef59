"""Browser test harness: the seeds built once, served from file://, a local HTTP server and nginx,
driven by Playwright with Debian's chromium, with every outside request blocked and failing the test.

Fixtures for browser tests (mark them ``@pytest.mark.browser``):

- ``site_dir``: the built site/ folder (the five seeds, built once per session by ``built``).
- ``site``: a :class:`Site` parametrized over ``file`` and ``http``; ``site.url("search.html")``.
- ``file_site``, ``http_site``, ``nginx_site``: one origin each (nginx serves under ``/digest/``).
- ``serve_nginx(site_dir, workdir, prefix)``: context manager for serving another build with nginx.
- ``page``: a fresh page in a fresh browser context. Outside requests are aborted and recorded,
  console errors, uncaught page errors and files that fail to load collected; any of them fails
  the test (``browser_guard.allow(regex)`` tolerates an expected one).
- ``new_page(**context_options)``: more pages/contexts (e.g. another viewport), same guard.
- ``axe_js``: path of axe-core's ``axe.min.js`` (installed from npm by ``./dev test`` and ``.ci/run``).
- ``artifacts``: ``test-artifacts/`` at the project root (gitignored) for screenshots.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("DIGEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-default-browser-check",
    # Belt and braces behind the request routing below: no host name but the loopback resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
AXE_CANDIDATES = [
    ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
]
ARTIFACTS = ROOT / "test-artifacts"

# Origins of the local servers started in this session; requests to anything else are outside.
LOCAL_ORIGINS: set[str] = set()


@dataclass(frozen=True)
class Site:
    """One way of reaching the built site: ``base`` is the URL of site/ and ends in '/'."""

    kind: str  # file | http | nginx
    root: Path  # the site/ folder on disk
    base: str

    def url(self, rel: str = "") -> str:
        return self.base + rel.lstrip("/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_http(directory: Path) -> Iterator[str]:
    """A Python HTTP server for ``directory`` on 127.0.0.1 (a free port), in a thread; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="digest-test-http", daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    LOCAL_ORIGINS.add(origin)
    try:
        yield origin + "/"
    finally:
        LOCAL_ORIGINS.discard(origin)
        server.shutdown()
        server.server_close()
        thread.join(5)


NGINX_TYPES = {
    "text/html": "html htm", "text/css": "css", "application/javascript": "js mjs", "application/json": "json",
    "application/xml": "xml", "application/atom+xml": "atom", "image/svg+xml": "svg", "image/png": "png",
    "image/jpeg": "jpg jpeg", "image/x-icon": "ico", "font/woff2": "woff2", "font/woff": "woff",
    "text/plain": "txt bib", "application/zip": "zip", "application/gzip": "gz",
    "application/vnd.citationstyles.csl+json": "csl.json",
}


def nginx_conf(site_dir: Path, workdir: Path, port: int, prefix: str) -> str:
    """A minimal, self-contained nginx.conf serving ``site_dir`` under ``prefix`` on 127.0.0.1:``port``."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    types = "\n".join(f"    {mime} {exts};" for mime, exts in sorted(NGINX_TYPES.items()))
    temp = "\n".join(f"  {name}_temp_path {workdir / 'tmp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    redirect = f"  location = {prefix.rstrip('/')} {{ return 301 {prefix}; }}\n" if prefix != "/" else ""
    return f"""# Written by tests/browser/conftest.py: one process, in the foreground, everything under {workdir}
daemon off;
master_process off;
worker_processes 1;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'error.log'} info;
events {{ worker_connections 128; }}
http {{
  types {{
{types}
  }}
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/html text/css application/javascript application/json application/xml text/plain;
  access_log {workdir / 'access.log'};
{temp}
  sendfile off;
  absolute_redirect off;
  server {{
    listen 127.0.0.1:{port};
    server_name localhost;
{redirect}    location {prefix} {{
      alias {site_dir.resolve()}/;
      index index.html;
    }}
  }}
}}
"""


@contextmanager
def serve_nginx(site_dir: Path, workdir: Path, prefix: str = "/digest/") -> Iterator[str]:
    """Debian's nginx serving ``site_dir`` under ``prefix``, as a child process with its own config,
    pid and logs in ``workdir``; yields the site's base URL (``http://127.0.0.1:PORT/digest/``).
    Skips the test (with the reason) when nginx is not installed."""
    exe = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                         if Path(p).exists()), None)
    if exe is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx; ./dev test installs it as root)")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_conf(site_dir, workdir, port, prefix), encoding="utf-8")
    err = workdir / "error.log"
    proc = subprocess.Popen([exe, "-p", str(workdir), "-c", str(conf), "-e", str(err)],
                            stdout=subprocess.DEVNULL, stderr=(workdir / "stderr.log").open("wb"))
    try:
        try:
            wait_for_port(port, proc)
        except RuntimeError as exc:
            log = err.read_text(errors="replace") if err.exists() else ""
            log += (workdir / "stderr.log").read_text(errors="replace")
            raise RuntimeError(f"nginx did not start ({exc}):\n{log[-2000:]}") from None
        origin = f"http://127.0.0.1:{port}"
        LOCAL_ORIGINS.add(origin)
        yield origin + prefix
    finally:
        LOCAL_ORIGINS.discard(f"http://127.0.0.1:{port}")
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# --- sites -------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_dir(built) -> Path:
    """site/ of the five seeds, built once per session (the ``built`` fixture of tests/conftest.py)."""
    return built[0] / "site"


@pytest.fixture(scope="session")
def file_site(site_dir: Path) -> Site:
    """The built site opened straight from disk."""
    return Site("file", site_dir, site_dir.resolve().as_uri() + "/")


@pytest.fixture(scope="session")
def http_site(site_dir: Path) -> Iterator[Site]:
    """The built site served by a Python HTTP server on 127.0.0.1 at the root path."""
    with serve_http(site_dir) as base:
        yield Site("http", site_dir, base)


@pytest.fixture(scope="session")
def nginx_site(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The built site served by nginx under the sub-path /digest/ (as on an intranet)."""
    with serve_nginx(site_dir, tmp_path_factory.mktemp("nginx")) as base:
        yield Site("nginx", site_dir, base)


@pytest.fixture(scope="session", params=["file", "http"])
def site(request: pytest.FixtureRequest) -> Site:
    """The built site, once from file:// and once over http://."""
    return request.getfixturevalue(f"{request.param}_site")


# --- browser -----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium, "
                    "or ./dev test as root); set DIGEST_CHROMIUM to use another path", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser tests need the 'playwright' Python package: ./dev test installs it "
                    "(pip install -e '.[test]')", pytrace=False)
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
    finally:
        pw.stop()


@dataclass
class Guard:
    """What the pages of one test did that they must not: reach outside, log errors, throw,
    or fail to load one of the site's own files (HTTP status >= 400, a missing file:// asset)."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    reported: int = 0

    def allow(self, pattern: str) -> None:
        """Tolerate problems whose message matches ``pattern`` (for a test that provokes one on purpose)."""
        self.allowed.append(re.compile(pattern))

    def route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "blob", "about") or \
                f"{parts.scheme}://{parts.netloc}" in LOCAL_ORIGINS:
            route.continue_()
        else:
            self.outside.append(f"{route.request.method} {url}")
            route.abort("blockedbyclient")

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self._error(f"page error on {page.url}: {exc}"))
        page.on("response", lambda r: r.status >= 400 and self._error(f"HTTP {r.status} for {r.url}"))
        page.on("requestfailed", self._failed)

    def _error(self, message: str) -> None:
        if not any(p.search(message) for p in self.allowed):
            self.errors.append(message)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            self._error(f"console error at {loc.get('url', '')}:{loc.get('lineNumber', '')}: {msg.text}")

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        # Blocked outside requests are reported as such; ERR_ABORTED is a load cancelled by a navigation.
        if "ERR_BLOCKED_BY_CLIENT" not in failure and "ERR_ABORTED" not in failure:
            self._error(f"failed to load {request.url}: {failure}")

    def problems(self) -> list[str]:
        return [f"outside request: {u}" for u in self.outside] + self.errors

    def check(self) -> None:
        problems = self.problems()
        new, self.reported = problems[self.reported:], len(problems)
        if new:
            pytest.fail("The page did what a Digest page must never do:\n  " + "\n  ".join(new), pytrace=False)


@pytest.fixture
def browser_guard() -> Guard:
    """Outside requests, console errors and page errors of this test's pages (checked after the test)."""
    return Guard()


@pytest.fixture
def new_page(browser: Any, browser_guard: Guard) -> Iterator[Callable[..., Any]]:
    """``new_page(**context_options)``: a page in a fresh context (own storage), guarded like ``page``."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("locale", "zh-CN")
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(10_000)
        ctx.route("**/*", browser_guard.route)
        contexts.append(ctx)
        pg = ctx.new_page()
        browser_guard.watch(pg)
        return pg

    yield make
    for ctx in contexts:
        ctx.close()
    browser_guard.check()  # anything that happened after the test body (late requests) fails here


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A fresh page (1280×800) in a fresh context, outside network blocked."""
    return new_page(viewport={"width": 1280, "height": 800})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a browser test's body: fail it if its pages reached outside or reported errors."""
    result = yield
    guard = getattr(item, "funcargs", {}).get("browser_guard")
    if isinstance(guard, Guard):
        guard.check()
    return result


# --- tools and artifacts ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's axe.min.js from the npm registry (./dev test and .ci/run install it in .tools/)."""
    env = os.environ.get("DIGEST_AXE_JS")
    candidates = [Path(env)] if env else AXE_CANDIDATES
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail("axe-core is missing: run ./dev test (it runs `npm install --prefix .tools axe-core@4`), "
                "or set DIGEST_AXE_JS to axe.min.js. Looked in: " + ", ".join(map(str, candidates)), pytrace=False)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the project root (gitignored): screenshots and reports of the browser tests."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
