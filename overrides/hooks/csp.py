"""MkDocs hook: a Content-Security-Policy meta tag on every page.

Scripts may come only from the site itself; the few inline scripts Material writes
are allowed by their SHA-256 hashes, computed per page. No outside host is allowed
for anything, so even a bug elsewhere cannot make a reader's browser call out.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE = re.compile(r"<script>(.*?)</script>", re.S)


def policy(html: str) -> str:
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
                     for m in _INLINE.finditer(html)})
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def on_post_page(output, page, config):  # type: ignore[no-untyped-def]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(output)}">'
    return output.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n    ' + meta, 1)
