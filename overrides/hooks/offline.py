"""MkDocs hook: make Material's bundled JavaScript unable to reach outside hosts.

Material's bundle can load a ResizeObserver polyfill and Mermaid from unpkg.com, and
repository facts from api.github.com. Digest's pages need none of them (Chromium,
Firefox and Safari ship ResizeObserver; Digest never emits Mermaid or a repo_url),
so after the build those URLs are pointed at ``about:blank`` and the unused search
worker, lunr and source maps are removed. The site then makes no outside request,
which the tests check, and the Content-Security-Policy enforces.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

_OUTSIDE = re.compile(r"https://(unpkg\.com|api\.github\.com|cdn\.jsdelivr\.net|bit\.ly)")


def on_post_build(config, **kwargs):  # type: ignore[no-untyped-def]
    js = Path(config["site_dir"]) / "assets" / "javascripts"
    for sub in ("lunr", "workers"):
        shutil.rmtree(js / sub, ignore_errors=True)
    for path in sorted(js.glob("*.map")):
        path.unlink()
    for path in sorted(js.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        new = _OUTSIDE.sub(lambda m: "about:blank#" + m.group(1), text)
        if new != text:  # a new file in its place, never a write into it: site files may be hard links
            fresh = path.with_name(path.name + ".new")
            fresh.write_text(new, encoding="utf-8")
            fresh.replace(path)
