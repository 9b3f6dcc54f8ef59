"""Stage 7, rendering: documents → Markdown pages in content/ through Jinja2 templates.

All seed text passes through :mod:`digest.escape` before it reaches a page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import jinja2

from digest import escape, glossary, publish
from digest.identity import LEDGER_DIR, REGISTRY_FILE
from digest.model import Document
from digest.stages import Context, Writer

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("digest", "templates"),
    autoescape=False,  # Markdown output; every value goes through esc()
    keep_trailing_newline=True,
    trim_blocks=False,
    undefined=jinja2.StrictUndefined,
)
_ENV.globals.update(
    esc=escape.text, h=escape.html, yaml_str=escape.yaml_str, mark=lambda b: escape.marked(b.text, b.marks)
)

@dataclass(frozen=True)
class Kicker:
    key: str  # translation key (kicker-N)
    text: str


BASIS = {"published": "published", "written": "written", "page": "page date", "inferred": "inferred from the text",
         "editor": "set by the editors"}


def sort_key(doc: Document) -> tuple[str, str]:
    return (doc.meta.date or "0000", doc.id)


def meta_rows(doc: Document) -> list[tuple[str, str]]:
    m = doc.meta
    rows: list[tuple[str, str]] = []
    if m.date:
        rows.append(("Date 日期", f"{m.date} ({BASIS.get(m.date_basis, m.date_basis)})"))
    if m.date_written and m.date_written != m.date:
        rows.append(("Written 成文日期", m.date_written))
    for label, value in (("Issuer 发布机构", m.issuer), ("Outlet 来源", m.outlet), ("Index no. 索引号", m.index_no),
                         ("Document no. 文号", m.doc_no)):
        if value:
            rows.append((label, value))
    pinyin = doc_pinyin(doc)
    if m.authors:
        rows.append(("Authors 记者/作者", "、".join(f"{a} ({pinyin[a]})" if a in pinyin else a for a in m.authors)))
    if m.contributors:
        rows.append(("Contributors 其他署名", "、".join(m.contributors)))
    for key, label in (("meta-issuer", "Issuer (English)"), ("meta-outlet", "Outlet (English)")):
        if doc.english.get(key):
            rows.append((label, doc.english[key]))
    if m.keywords:
        rows.append(("Keywords 主题词", " ".join(m.keywords)))
    for note in m.notes:
        rows.append(("Note 说明", note))
    return rows


def doc_pinyin(doc: Document) -> dict[str, str]:
    from digest.translate import person_pinyin

    return {a: person_pinyin(a) for a in doc.meta.authors}


_RAW_BLOCK = re.compile(r"<(?:div|p|figure|aside|details|dl|table|ol|ul|section|script|nav|form|svg)[\s>]")
CHUNK = "<!--dg-chunk {n}-->"


def stash_raw_html(markdown: str) -> tuple[str, list[str]]:
    """Move the page's raw-HTML blocks out of the Markdown, leaving numbered placeholders.

    Python-Markdown passes raw HTML blocks through unchanged, but parses every tag of them on the way,
    which grows faster than linearly with page size (a 20,000-paragraph page took minutes). The MkDocs
    hook overrides/hooks/chunks.py puts the blocks back into the rendered page, so the HTML is identical;
    headings stay in the Markdown for the table of contents.
    """
    head, sep, body = markdown.partition("\n---\n")  # front matter stays as it is
    if not sep or not head.startswith("---"):
        head, sep, body = "", "", markdown
    out: list[str] = []
    chunks: list[list[str]] = []
    previous_raw = False
    for block in body.split("\n\n"):
        raw = _RAW_BLOCK.match(block.lstrip("\n")) is not None
        if raw and previous_raw:
            chunks[-1].append(block.strip("\n"))
        elif raw:
            chunks.append([block.strip("\n")])
            out.append(CHUNK.format(n=len(chunks) - 1))
        else:
            out.append(block)
        previous_raw = raw
    return head + sep + "\n\n".join(out), ["\n\n".join(c) for c in chunks]


def render_document(doc: Document) -> str:
    title_pos = next((i for i, b in enumerate(doc.blocks) if b.kind == "title"), -1)
    kickers = [(i, Kicker(f"kicker-{n}", b.text))
               for n, (i, b) in enumerate(((i, b) for i, b in enumerate(doc.blocks) if b.kind == "kicker"), start=1)]
    first_para = next((b.text for b in doc.blocks if b.kind == "paragraph"), "")
    return _ENV.get_template("document.md.j2").render(
        doc=doc,
        kickers_above=[t for i, t in kickers if i < title_pos],
        kickers_below=[t for i, t in kickers if i > title_pos],
        meta_rows=meta_rows(doc),
        description=first_para[:120],
        zh_lang="zh-Hans",
    )


def _group_id(name: str) -> str:
    return "g-" + hashlib.sha1(name.encode()).hexdigest()[:8]


LIST_ROWS = 200  # documents listed on one page: the home page, one page of a group
GROUP_INLINE = 10  # past LIST_ROWS documents in all, a group this small is still listed on its index page


@dataclass(frozen=True)
class Group:
    """One issuer or year of a listing page: its documents inline, or (a large corpus) its own pages."""

    name: str
    id: str  # anchor on the listing page; never changes
    docs: list[Document]
    pages: list[str]  # names of its own pages in the listing's folder ("2024", "2024-2" …), or none


def _group_slug(name: str) -> str:
    """The file name of a group's pages: a year as it is, any other name by the group's id (no two
    names can then share a file, nor a name take the place of another group's second page)."""
    return name if re.fullmatch(r"[0-9]{4}", name) else _group_id(name)


_PUBLISHED_GROUP_PAGE = re.compile(r"(?:[A-Za-z-]+/)?(by-[a-z]+)/([^/]+)\.html")  # in any reading


def _published_group_pages(annotations: Path | None) -> set[tuple[str, str]]:
    """(listing, page name) of every group page an earlier build published (annotations/published.txt)."""
    urls = publish.recorded(annotations) if annotations is not None else set()
    return {(m.group(1), m.group(2)) for url in urls if (m := _PUBLISHED_GROUP_PAGE.fullmatch(url))}


def _group_order(names: Iterable[str], newest_first: bool) -> list[str]:
    """Groups by name; years newest first, with the undated (any name not a year) after them."""
    if not newest_first:
        return sorted(names)
    return sorted((n for n in names if n.isdigit()), reverse=True) + sorted(n for n in names if not n.isdigit())


def render_listings(ordered: list[Document], put: Callable[[str, str], object], site_title: str,
                    annotations: Path | None = None) -> None:
    """The home page and the pages by issuer and by year; no page grows with the corpus.

    Up to :data:`LIST_ROWS` documents, every list is whole. Past that, the home page lists the newest
    LIST_ROWS, and a listing page keeps every group's heading (and anchor) but gives a group of more
    than :data:`GROUP_INLINE` documents pages of its own, LIST_ROWS documents each. A group page once
    published stays, as a pointer, when a later build no longer makes it."""
    put("index.md", _ENV.get_template("home.md.j2").render(docs=ordered[:LIST_ROWS], total=len(ordered),
                                                             site_title=site_title))
    published = _published_group_pages(annotations)
    paged = len(ordered) > LIST_ROWS
    for listing, title, keyfn in (
        ("by-issuer", "By issuer 按发布机构", lambda d: d.meta.issuer or d.meta.outlet or "Unknown 未知"),
        ("by-year", "By year 按年份", lambda d: d.meta.date[:4] if d.meta.date else "Undated 无日期"),
    ):
        members: dict[str, list[Document]] = defaultdict(list)
        for d in ordered:
            members[keyfn(d)].append(d)
        groups: list[Group] = []
        made: set[str] = set()
        for name in _group_order(members, newest_first=listing == "by-year"):
            docs = members[name]
            pages: list[str] = []
            if paged and len(docs) > GROUP_INLINE:
                slug = _group_slug(name)
                pages = [slug if k == 0 else f"{slug}-{k // LIST_ROWS + 1}" for k in range(0, len(docs), LIST_ROWS)]
            group = Group(name, _group_id(name), docs, pages)
            groups.append(group)
            made.update(pages)
            for k, page in enumerate(pages):
                put(f"{listing}/{page}.md", _ENV.get_template("group_page.md.j2").render(
                    listing=listing, title=title, group=group, number=k + 1,
                    docs=docs[k * LIST_ROWS:(k + 1) * LIST_ROWS]))
        put(f"{listing}.md", _ENV.get_template("groups.md.j2").render(listing=listing, title=title, groups=groups))
        for name in sorted(n for folder, n in published if folder == listing and n not in made):
            put(f"{listing}/{name}.md", _ENV.get_template("group_page.md.j2").render(
                listing=listing, title=title, group=None, number=0, docs=[]))


KEY_SKIP = frozenset({publish.RECORD, REGISTRY_FILE, LEDGER_DIR, glossary.REGISTRY_FILE})
"""Annotation files no page key hashes. The build's record of the URLs it published, which no page
reads (a generator that reads it puts what it read in its keys). What the build reads before the
documents' keys are made, so that its whole effect on a page is in them already: the registry (ids)
and the anchor ledgers (anchors). And the terms' slugs, which :func:`key_inputs` hashes as resolved.
The build writes all of them; hashed as files, a page would change its key once more, in the build after
the one that first wrote them."""


def note_annotations(ctx: Context) -> None:
    """Hash the annotation files for the keys of kept pages (:func:`key_inputs`) before any stage reads
    them, when the build keeps memos: an editor's save during the build then makes the next build render
    again what used the file, instead of leaving a page made from the old file under the new file's key."""
    from digest import cache

    if ctx.data.get("site_key"):
        ctx.data["annotation_files"] = cache.annotation_files(ctx.settings.annotations, KEY_SKIP,
                                                              cache.FileHashes(ctx.settings))


class KeyInputs(NamedTuple):
    """What every key of a kept page starts from (:func:`key_inputs`)."""

    base: str  # Digest's code, the settings, the annotations every page may read, the terms' slugs
    own: dict[str, str]  # document id → the hash of its own annotation files
    doc_keys: dict[str, str]  # document id → its key as read


def key_inputs(ctx: Context) -> KeyInputs | None:
    """What the keys of kept pages (Writer.keep) start from, or None without memos: the hash of Digest's
    code, the settings, the annotations every page may read and the terms' slugs; each document's own
    annotation files, hashed; and each document's key as read (``ctx.data["doc_keys"]``: text, blocks,
    anchors, metadata, id). Computed once per build, from the annotation files as they were when the
    build began (:func:`note_annotations`)."""
    from digest import cache

    if "key_inputs" in ctx.data:
        return ctx.data["key_inputs"]
    site_key, doc_keys, files = ctx.data.get("site_key"), ctx.data.get("doc_keys"), ctx.data.get("annotation_files")
    made = None
    if site_key and doc_keys is not None and files is not None:
        # a document's own files: those named after any id the registry ever gave (a file of a document
        # not in this corpus is nobody's, rather than a file every page reads), or after a document here
        ids = set(doc_keys) | {str(e.get("id")) for e in ctx.data.get("registry_docs", [])}
        shared, own = cache.annotation_digests(files, ids)
        index = ctx.data.get("glossary")
        slugs = json.dumps(sorted((t.term, t.slug) for t in index.termbase.terms) if index else [],
                           ensure_ascii=False)
        made = KeyInputs(cache.digest_of(site_key, cache.settings_key(ctx.settings), shared, slugs), own, doc_keys)
    ctx.data["key_inputs"] = made
    return made


def page_keys(docs: list[Document], ctx: Context) -> dict[str, str]:
    """For each document id, the hash of everything its page is made from, or {} without memos.

    A page is :func:`render_document` of the enriched document, and the enrichers add to a document
    from three sources only: the document as read, the editorial layer (its own files and those every
    page reads; see :func:`key_inputs`), and the corpus, which reaches the page through its sections
    (related documents) alone. So the key hashes those and each section's body as it will be rendered
    (but for a section whose body is the document's own, which the document's key covers, and one that
    names what its body is made from in ``Section.key``, which is hashed instead).
    Tested against fresh builds (tests/test_page_keys.py)."""
    from digest import cache

    inputs = key_inputs(ctx)
    if inputs is None:
        return {}
    base, own, doc_keys = inputs.base, inputs.own, inputs.doc_keys
    keys: dict[str, str] = {}
    for doc in docs:
        parts = ["document page", base, doc_keys.get(doc.id, ""), own.get(doc.id, "")]
        for s in sorted(doc.sections, key=lambda s: s.order):
            parts += [s.id, s.title, str(s.order)]
            parts += ["own"] if s.own else ["key", s.key] if s.key is not None else ["body", s.body()]
        if parts[2]:
            keys[doc.id] = cache.digest_of(*parts)
    return keys


def render_site(docs: list[Document], writer: Writer, site_title: str, annotations: Path | None = None,
                keys: dict[str, str] | None = None) -> None:
    """Write the document pages, home page, indexes and assets. A page whose key (:func:`page_keys`) is
    the one the last build wrote it from is kept as it is (Writer.keep), not rendered again."""
    put = writer.text
    keys = keys or {}
    ordered = sorted(docs, key=sort_key, reverse=True)
    for doc in ordered:
        rel, key = f"docs/{doc.id}.md", keys.get(doc.id, "")
        if not writer.keep(rel, key):
            put(rel, render_document(doc), key)
    render_listings(ordered, put, site_title, annotations)
    assets = resources.files("digest").joinpath("assets")
    for entry in sorted(assets.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.startswith("."):
            writer.bytes(f"assets/{entry.name}", entry.read_bytes())
