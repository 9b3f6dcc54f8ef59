"""Editors' notes: ``annotations/notes/<doc-id>.yaml`` attaches Markdown notes to paragraph anchors.

Each file is a list of ``{anchor, note, author?}``. The note is editor-trusted Markdown,
rendered with markdown-it-py with raw HTML disabled (so a stray tag is shown, not run)
and shown after the block it belongs to. A file for an unknown document, or a note
whose anchor no longer exists, is an :class:`AnnotationError` naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from digest import yamlio
from digest.exceptions import AnnotationError
from digest.model import Block, Document, Note

if TYPE_CHECKING:
    from digest.stages import Context

NOTES_DIR = "notes"
KEYS = ("anchor", "note", "author")
_MD_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/)([^"#]+)\.md(#[^"]*)?"')


def render_markdown(text: str) -> str:
    """Note Markdown → HTML: CommonMark plus tables, raw HTML escaped, unsafe links refused."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    out = md.render(text).strip()
    # braces and blank lines would mean something to the page's Markdown layer and templates
    out = out.replace("{", "&#123;").replace("}", "&#125;")
    # the page is raw HTML here, so MkDocs will not turn links to other pages' .md into .html
    out = _MD_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', out)
    return "\n".join(line for line in out.splitlines() if line.strip())


def load(path: Path, doc: Document) -> list[tuple[Block, Note]]:
    data = yamlio.load(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise AnnotationError(path, "must be a list of notes ({anchor, note, author})", 1)
    blocks = {b.anchor: b for b in doc.blocks if b.anchor}
    out: list[tuple[Block, Note]] = []
    for entry in data:
        if not isinstance(entry, dict):
            raise AnnotationError(path, "each note must be a mapping with 'anchor' and 'note'")
        line = entry.get("__line__")
        unknown = sorted(str(k) for k in entry if k != "__line__" and k not in KEYS)
        if unknown:
            raise AnnotationError(path, f"unknown key '{unknown[0]}' (known: {', '.join(KEYS)})", line)
        for key in ("anchor", "note"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise AnnotationError(path, f"missing or empty '{key}'", line)
        author = entry.get("author", "")
        if not isinstance(author, str):
            raise AnnotationError(path, "'author' must be text", line)
        anchor = entry["anchor"].strip()
        if anchor not in blocks:
            raise AnnotationError(path, f"note for anchor '{anchor}', which no longer exists in "
                                  f"document '{doc.id}'", line)
        out.append((blocks[anchor], Note(render_markdown(entry["note"]), author.strip(), f"{path}:{line}")))
    return out


def attach(docs: list[Document], ctx: Context) -> None:
    """Enricher: attach every note to its block; fail on notes that point nowhere."""
    directory = ctx.settings.annotations / NOTES_DIR
    if not directory.is_dir():
        return
    by_id = {d.id: d for d in docs}
    for path in sorted(directory.glob("*.yaml")):
        doc = by_id.get(path.stem)
        if doc is None:
            raise AnnotationError(path, f"no document has the id '{path.stem}' (the file name must be a "
                                  "document id)")
        for block, note in load(path, doc):
            block.notes.append(note)
