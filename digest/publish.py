"""Stable addresses: the record of published URLs and anchors, retirements and redirects.

``annotations/published.txt`` lists every page URL a build has published (one per
line, relative to the site root, the three readings included). A build that would
drop one fails and lists it, unless ``annotations/retired.yaml`` retires it. The
anchors of each document are recorded in ``annotations/anchors/<id>.tsv``; an anchor
no longer matched by any paragraph fails the build the same way, unless retired —
optionally pointing at the anchor that replaces it, which the page then honours.

A renamed document keeps its old URL: give the registry entry ``redirect_from``
with the old id, and a redirect page (fragment preserved) is written there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from digest import escape, yamlio
from digest.exceptions import AnnotationError, BuildError
from digest.model import Document, Section
from digest.stages import Context, Writer

READING_PREFIXES = ("", "en/", "zh-Hant/")
RECORD = "published.txt"


@dataclass
class Retired:
    urls: set[str] = field(default_factory=set)
    anchors: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Retired:
        if not path.exists():
            return cls()
        data = yamlio.strip_lines(yamlio.load(path)) or {}
        if not isinstance(data, dict):
            raise AnnotationError(path, "expected a mapping with 'urls' and 'anchors'", 1)
        urls = data.get("urls") or []
        anchors = data.get("anchors") or {}
        if not isinstance(urls, list) or not isinstance(anchors, dict):
            raise AnnotationError(path, "'urls' must be a list and 'anchors' a mapping of document id to anchors", 1)
        clean: dict[str, dict[str, str | None]] = {}
        for doc_id, mapping in anchors.items():
            if not isinstance(mapping, dict):
                raise AnnotationError(path, f"anchors of '{doc_id}' must map an old anchor to its replacement or null")
            clean[str(doc_id)] = {str(k): (str(v) if v else None) for k, v in mapping.items()}
        return cls({str(u) for u in urls}, clean)


def redirects(registry_docs: list[dict[str, object]]) -> dict[str, str]:
    """{old id: current id} from the registry's ``redirect_from`` lists."""
    out: dict[str, str] = {}
    for entry in registry_docs:
        olds = entry.get("redirect_from") or []
        for old in olds if isinstance(olds, list) else []:
            out[str(old)] = str(entry["id"])
    return out


def enrich(docs: list[Document], ctx: Context) -> None:
    """Check anchors against the ledger; give pages their table of retired anchors."""
    retired = Retired.load(ctx.settings.annotations / "retired.yaml")
    ctx.data["retired"] = retired
    missing_by_doc: dict[str, list[str]] = ctx.data.get("unclaimed_anchors", {})
    for doc in docs:
        aliases = retired.anchors.get(doc.id, {})
        lost = [a for a in missing_by_doc.get(doc.id, []) if a not in aliases]
        if lost:
            ctx.errors.append(
                f"Document '{doc.id}' would lose published anchor(s) {', '.join(lost)}: a paragraph they pointed at "
                f"is gone. Restore it, or retire the anchor(s) in annotations/retired.yaml "
                f"(anchors: {{{doc.id}: {{{lost[0]}: <replacement anchor or null>}}}})")
        live = {k: v for k, v in aliases.items() if v}
        if live:
            table = json.dumps(live, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
            doc.sections.append(Section("anchor-aliases", "", f'<script type="application/json" '
                                        f'id="dg-anchor-aliases">{table}</script>', order=99))


def generate(docs: list[Document], ctx: Context, writer: Writer) -> None:
    registry = ctx.data.get("registry_docs", [])
    current = {d.id for d in docs}
    for old, new in sorted(redirects(registry).items()):
        if old in current:
            raise BuildError(f"annotations/registry.yaml: '{old}' is both a live id and in redirect_from of '{new}'")
        target = f"{new}.html"
        h = escape.html
        writer.text(f"docs/{old}.html", (
            '<!doctype html>\n<html><head><meta charset="utf-8">'
            f'<title>Moved to {h(target)}</title>'
            f'<link rel="canonical" href="{h(target)}">'
            f'<meta http-equiv="refresh" content="0; url={h(target)}">'
            '<script src="../assets/redirect.js"></script></head>'
            f'<body><p>This document moved to <a href="{h(target)}">{h(target)}</a>.</p></body></html>\n'))


def published_urls(content: Path) -> set[str]:
    """Page URLs a build of ``content`` publishes, in every reading."""
    pages: set[str] = set()
    root = str(content)
    for dirpath, dirnames, filenames in os.walk(root):
        folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
        folder = "" if folder == "." else folder + "/"
        if not folder:
            dirnames[:] = [d for d in dirnames if d != "zh-Hant"]  # the same pages, converted
        for name in filenames:
            rel = folder + name
            if name.endswith(".md"):
                rel = rel[:-3] + ".html"
            elif not (rel.startswith("docs/") and rel.endswith(".html")) and rel != "feed.xml":
                continue
            for prefix in READING_PREFIXES:
                pages.add(prefix + rel)
    return pages


def recorded(annotations: Path) -> set[str]:
    """The URLs earlier builds published (annotations/published.txt), or none."""
    record = annotations / RECORD
    lines = record.read_text(encoding="utf-8").splitlines() if record.is_file() else []
    return {u.strip() for u in lines if u.strip() and not u.startswith("#")}


def check_and_record(annotations: Path, content: Path, retired: Retired) -> list[str]:
    """Fail if a recorded URL would disappear; return the new URLs to record."""
    old = recorded(annotations)
    now = published_urls(content)
    gone = sorted(old - now - retired.urls)
    if gone:
        shown = "\n  ".join(gone[:20]) + ("\n  …" if len(gone) > 20 else "")
        raise BuildError(f"This build would remove {len(gone)} published URL(s):\n  {shown}\n"
                         "Published URLs never disappear. Restore the document, rename it with a redirect "
                         "(redirect_from in annotations/registry.yaml), or retire the URL(s) in "
                         "annotations/retired.yaml (urls: [...]).")
    return sorted(now | (old - retired.urls))


def save_record(annotations: Path, urls: list[str]) -> None:
    path = annotations / RECORD
    text = "# Every URL Digest has published (written by digest build; it never shrinks).\n" + "\n".join(urls) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
