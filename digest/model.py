"""The one ``Document`` type and the tokens that flow through the pipeline.

Like markdown-it-py's ``Token``, each field says which stage fills it. Stages only
ever add to a document; nothing flows backwards.

    read      → Source(lines)                     digest/read.py
    clean     → Source.items classified            digest/rules/*  (ordered rules)
    split     → Document per article              digest/split.py
    structure → Document.blocks                   digest/structure.py
    metadata  → Document.meta                     digest/metadata.py
    identity  → Document.id, Block.anchor         digest/identity.py
    render    → content/*.md                      digest/render.py
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

ItemKind = Literal["body", "blank", "chrome", "meta", "caption", "credit", "byline"]
BlockKind = Literal["title", "kicker", "heading", "paragraph", "caption", "credit", "byline"]


@dataclass(slots=True)
class Item:
    """One line of a seed, as the cleaning rules see it."""

    line: int  # read: 1-based line number in the seed
    raw: str  # read: the line exactly as decoded (line ending removed), never changed
    text: str  # read: = raw; rules rewrite it (trim, spaces, quotes, rejoin)
    kind: ItemKind = "body"  # rules: what the line is
    reason: str = ""  # rules: name of the rule that classified or removed it
    lines: list[int] = field(default_factory=list)  # rejoin: further source lines merged into this one
    gap_before: int = 0  # read: blank lines directly above this line


@dataclass
class Source:
    """A decoded seed file and its classified lines."""

    name: str  # read: file name inside seeds/
    encoding: str  # read: the encoding that decoded it
    text: str  # read: decoded text, line endings normalised to \n
    items: list[Item] = field(default_factory=list)  # read, then rules
    meta: dict[str, str] = field(default_factory=dict)  # rules/metadata_lines: labelled fields found


@dataclass(slots=True)
class Removed:
    """A line removed as boilerplate (or consumed as metadata), kept for the reader."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class Mark:
    """A span of a block's text that later stages annotate (a glossary term, a figure)."""

    start: int  # character offset in Block.text
    end: int
    kind: str  # "term" | "fact" | …
    data: Mapping[str, str] = field(default_factory=dict)  # what the renderer needs (open, close, id …);
    # read-only: shared by many marks (every link to one term) or made on reading (a figure's, from its fact)


@dataclass(slots=True)
class Note:
    """An editor's note on one block, from annotations/notes/<doc-id>.yaml."""

    html: str  # notes: the note's Markdown rendered by markdown-it-py with raw HTML disabled
    author: str = ""  # notes: as written in the note file (escape on output)
    source: str = ""  # notes: "file:line" of the note


@dataclass(slots=True)
class Block:
    """A unit of the reading page: title, heading, paragraph, caption …"""

    kind: BlockKind  # structure
    text: str  # structure: display text (cleaned, never NFKC'd)
    lines: list[int]  # structure: source lines it came from
    level: int = 0  # structure: heading level (2 = 一、, 3 = （一）, 4 = short standalone line)
    anchor: str = ""  # identity: stable id, unique within the document
    marks: list[Mark] = field(default_factory=list)  # terms, facts: spans to annotate
    english: str = ""  # translate: the English of this block ("" when missing)
    english_state: str = ""  # translate: "" (human) | "machine" | "fuzzy" (source changed) | "missing"
    notes: list[Note] = field(default_factory=list)  # notes: editors' notes shown after the block


@dataclass(slots=True)
class Meta:
    """Document metadata. Every field may be overridden by annotations/documents/<id>.yaml."""

    title: str = ""
    kicker: list[str] = field(default_factory=list)  # lines printed above or around the title
    date: str = ""  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    date_basis: str = ""  # published | written | page | inferred | editor
    date_written: str = ""
    issuer: str = ""  # 发布机构
    outlet: str = ""  # source outlet (来源 or the byline's outlet)
    authors: list[str] = field(default_factory=list)  # reporters, writers
    contributors: list[str] = field(default_factory=list)  # correspondents, planners, photographers
    index_no: str = ""  # 索引号
    doc_no: str = ""  # 文号
    keywords: list[str] = field(default_factory=list)  # 主题词
    notes: list[str] = field(default_factory=list)  # how a field was obtained, when not plain


@dataclass(slots=True)
class Section:
    """A block of the page after the body (key facts, related documents …), made by a later stage."""

    id: str  # anchor of the section heading
    title: str  # heading text (trusted: written by Digest, not taken from a seed)
    markdown: str  # body, already escaped by the stage that made it
    order: int = 50  # sections are rendered by ascending order
    make: Callable[[], str] | None = None  # or: makes the body when the page is rendered (a large one, e.g.
    # the Key facts table, is then never held for every document at once)
    own: bool = False  # the body is made from this document and the annotations alone, never from other
    # documents: a page's key (render.page_keys) then need not include it, as the document's key covers it
    key: str | None = None  # or: names everything the body is made from besides Digest's code and the terms'
    # slugs, more cheaply than the body itself: a page's key then hashes this instead of making the body

    def body(self) -> str:
        return self.make() if self.make is not None else self.markdown


@dataclass(slots=True)
class Document:
    """One article: the unit that becomes one page."""

    source: str  # split: seed file name
    part: int  # split: 1-based article number within the seed
    parts: int  # split: how many articles the seed holds
    items: list[Item]  # split: this article's share of the seed's items (emptied once read: pipeline.read_seed)
    blocks: list[Block] = field(default_factory=list)  # structure
    removed: list[Removed] = field(default_factory=list)  # split: boilerplate of this article
    meta: Meta = field(default_factory=Meta)  # metadata
    id: str = ""  # identity: registry slug, never changes
    warnings: list[str] = field(default_factory=list)  # any stage
    page_text: str = ""  # split: the cleaned text of the whole seed page (for page-level inference; emptied once read)
    sections: list[Section] = field(default_factory=list)  # enrichers: extra page sections
    english: dict[str, str] = field(default_factory=dict)  # translate: title, kicker-N, meta-* in English
    summary: dict[str, str] = field(default_factory=dict)  # translate: {"zh": …, "en": …} from annotations/summaries

    @property
    def key(self) -> str:
        """The registry key: seed file and article number."""
        return f"{self.source}#{self.part}"

    @property
    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.kind not in ("title", "kicker")]
