"""Corpus-level stages, after identity: the seams that later capabilities hang on.

``ENRICHERS`` run over all documents once every document has its id and anchors
(glossary terms, key facts, cross-links, translations …). They add marks to blocks,
sections to pages and products to ``Context.data``; they never change text.

``GENERATORS`` write extra pages into content/ (term pages, the facts page, exports)
through a :class:`Writer` and may add entries to the site navigation.

Both are plain callables, listed in order, one module each.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from digest.config import Settings
from digest.exceptions import Warning_
from digest.model import Document


@dataclass
class Context:
    settings: Settings
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)  # (title, path in content/) added to the nav
    data: dict[str, Any] = field(default_factory=dict)  # corpus products shared with generators

    def warn(self, source: str, message: str, line: int | None = None) -> None:
        self.warnings.append(Warning_(source, message, line))


class Writer:
    """Writes files under content/ (the temporary one during a build) and records them.

    Given ``previous`` (the content/ of the last build), a file whose bytes equal the previous
    file at the same place becomes a hard link to it instead of a new copy: nothing is written,
    and removing the old tree after the swap (pipeline._swap) costs next to nothing for it, where
    freeing a file's blocks is most of the cost of a rebuild's last second."""

    def __init__(self, root: Path, previous: Path | None = None, known: dict[str, list[Any]] | None = None,
                 record: bool = True, known_pieces: dict[str, dict[str, Any]] | None = None) -> None:
        self.root = root
        self.previous = previous
        self.known = known or {}  # the last build's record of ``previous``: rel → [sha256, size, mtime_ns]
        self.record = record  # keep ``files`` (a writer whose record nobody reads need not hash what it writes)
        self.files: dict[str, list[Any]] = {}  # the same record of the files written here by :meth:`bytes`
        self.known_pieces = known_pieces or {}  # the last build's record of its files written in pieces
        self.pieces: dict[str, dict[str, Any]] = {}  # the same, for this build (:meth:`in_pieces`)
        self.written: list[Path] = []
        self._folders: set[str] = set()  # made already (one makedirs per folder, not per file)
        # a tree this writer starts holds no file it did not place: nothing to unlink before the first write
        self._fresh = not os.path.exists(root)
        self._placed: set[str] = set()

    def text(self, rel: str, content: str, key: str = "") -> Path:
        """Write a file; a Markdown page's raw-HTML blocks go to ``<page>.chunks.json`` (see render.stash_raw_html).

        ``key``, when given, names everything the text was made from; it is recorded with the file (and
        its chunks file), so that the next build can :meth:`keep` the file without making the text."""
        if rel.endswith(".md"):
            from digest.render import stash_raw_html

            content, chunks = stash_raw_html(content)
            if chunks:
                import json

                # the bytes of json.dumps(chunks, indent=0), made with the C string encoder (indent= is pure Python)
                body = ",\n".join(json.dumps(c, ensure_ascii=False) for c in chunks)
                self._write(rel[:-3] + ".chunks.json", f"[\n{body}\n]\n", key)
        return self._write(rel, content, key)

    def keep(self, rel: str, key: str) -> bool:
        """Link the last build's ``rel`` (and a page's chunks file) into place, if that build wrote it from
        the same ``key`` (see :meth:`text`) and it is still the file recorded; else False, nothing done.

        The caller then need not make the text at all: a key names what the text depends on, so it must
        be complete (every input that can change the bytes), or the file goes stale."""
        if self.previous is None or not key:
            return False
        group = [rel, rel[:-3] + ".chunks.json"] if rel.endswith(".md") else [rel]
        found: list[tuple[str, str, list[Any]]] = []
        for r in group:
            entry = self.known.get(r)
            if entry is None:
                if r == rel:
                    return False
                continue  # the page had no chunks file: the record lists every file that build wrote
            if len(entry) < 4 or entry[3] != key:
                return False
            old = os.path.join(self.previous, r)
            try:
                st = os.stat(old)
            except OSError:
                return False
            if [st.st_size, st.st_mtime_ns] != entry[1:3]:
                return False  # changed since it was recorded
            found.append((r, old, entry))
        for r, old, entry in found:
            self.link(r, old)
            if self.record:
                self.files[r] = list(entry)
        return True

    def _place(self, rel: str) -> Path:
        """The path of a new file at ``rel``, its folder made. A file already there is unlinked first,
        never written into: it may be a link to another file (in a tree the writer made itself, only a
        file it placed can be there). Record it with :meth:`_done` once written."""
        self.files.pop(rel, None)  # a record only of what bytes() itself wrote there
        path = self.root / rel
        name = str(path)
        folder = os.path.dirname(name)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if not self._fresh or rel in self._placed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
        self._placed.add(rel)
        return path

    def _done(self, path: Path) -> Path:
        self.written.append(path)
        return path

    def _write(self, rel: str, content: str, key: str = "") -> Path:
        return self.bytes(rel, content.encode("utf-8"), key)

    @contextlib.contextmanager
    def stream(self, rel: str) -> Iterator[TextIO]:
        """A text file to write piece by piece (a large export: never the whole text in memory at once)."""
        path = self._place(rel)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            yield f
        self._done(path)

    @contextlib.contextmanager
    def in_pieces(self, rel: str) -> Iterator[Pieces]:
        """A large file written as a sequence of keyed pieces (see :class:`Pieces`), recorded in ``pieces``."""
        path = self._place(rel)
        old = None
        entry = self.known_pieces.get(rel)
        if self.previous is not None and isinstance(entry, dict):
            with contextlib.suppress(OSError):
                old_path = os.path.join(self.previous, rel)
                st = os.stat(old_path)
                if [st.st_size, st.st_mtime_ns] == entry.get("file"):  # still the file recorded
                    old = open(old_path, "rb")  # noqa: SIM115 (closed below)
        try:
            with open(path, "wb") as f:
                pieces = Pieces(f, old, entry.get("pieces", {}) if old is not None and entry else {})
                yield pieces
        finally:
            if old is not None:
                old.close()
        st = os.stat(path)
        self.pieces[rel] = {"file": [st.st_size, st.st_mtime_ns], "pieces": pieces.index}
        self._done(path)

    def link(self, rel: str, source: Path | str) -> Path:
        """Put the file ``source`` (of an earlier build, or of another reading) at ``rel``: a hard link, or a
        copy where links fail. Output files are never changed in place, so sharing one is safe."""
        path = self._place(rel)
        try:
            os.link(source, path)
        except OSError:
            shutil.copy2(source, path)
        return self._done(path)

    def bytes(self, rel: str, content: bytes, key: str = "") -> Path:
        """Write ``content`` at ``rel``, or link the previous file there if it holds the same bytes.

        The previous file is compared through the last build's record of it (its hash, if its size
        and modification time are still those recorded), so it is not read: at 10,000 documents
        content/ is gigabytes that the system no longer holds in memory by the next build. A file
        without a record is read and compared. ``key``: see :meth:`text`."""
        digest = hashlib.sha256(content).hexdigest() if self.record or self.known else ""
        extra = [key] if key else []
        if self.previous is not None:
            old = os.path.join(self.previous, rel)
            entry = self.known.get(rel)
            same = False
            with contextlib.suppress(OSError):  # no such file there: write a new one
                st = os.stat(old)
                if entry is not None:
                    same = entry[:3] == [digest, st.st_size, st.st_mtime_ns]
                elif st.st_size == len(content):
                    with open(old, "rb") as f:
                        same = f.read() == content
            if same:
                path = self.link(rel, old)
                if self.record:
                    self.files[rel] = [digest, st.st_size, st.st_mtime_ns, *extra]
                return path
        path = self._place(rel)
        with open(path, "wb") as f:
            f.write(content)
        if self.record:
            st = os.stat(path)
            self.files[rel] = [digest, st.st_size, st.st_mtime_ns, *extra]
        return self._done(path)


class Pieces:
    """A file being written as a sequence of pieces, some with a key (a hash of what the piece is made from).

    A keyed piece that the last build's file holds under the same key is copied from that file (by its
    recorded place) instead of being made again: an export that lists every document's rows is then
    remade from the pieces of the documents that changed and the bytes of the others."""

    def __init__(self, out: Any, old: Any, known: dict[str, list[int]]) -> None:
        self.out, self.old, self.known = out, old, known
        self.index: dict[str, list[int]] = {}  # key → [offset, length] in the new file
        self.position = 0
        self.reused = 0

    def raw(self, text: str) -> None:
        """Unkeyed text (a header, a separator): always written."""
        data = text.encode("utf-8")
        self.out.write(data)
        self.position += len(data)

    def piece(self, key: str, make: Callable[[], str]) -> None:
        """The piece made by ``make``, or the last build's bytes of the piece with the same key."""
        data = None
        where = self.known.get(key) if key else None
        if where is not None and self.old is not None:
            self.old.seek(where[0])
            data = self.old.read(where[1])
            if len(data) != where[1]:
                data = None
            else:
                self.reused += 1
        if data is None:
            data = make().encode("utf-8")
        if key:
            self.index[key] = [self.position, len(data)]
        self.out.write(data)
        self.position += len(data)


Enricher = Callable[[list[Document], Context], None]
Generator = Callable[[list[Document], Context, Writer], None]

ENRICHERS: list[tuple[str, Enricher]] = []
GENERATORS: list[tuple[str, Generator]] = []


def registered() -> tuple[list[tuple[str, Enricher]], list[tuple[str, Generator]]]:
    """The stage lists, in order. Modules are imported here, on first use, to keep imports acyclic."""
    if not ENRICHERS:
        from digest import cite, crosslinks, notes, publish, terms, translate
        from digest.facts import stage as facts_stage

        ENRICHERS.extend([
            ("terms", terms.recognise),
            ("facts", facts_stage.enrich),
            ("notes", notes.attach),
            ("translate", translate.enrich),
            ("related", crosslinks.relate),
            ("cite", cite.enrich),
            ("publish", publish.enrich),
        ])
        GENERATORS.extend([
            ("terms", terms.write_pages),
            ("facts", facts_stage.generate),
            ("cite", cite.generate),
            ("redirects", publish.generate),
        ])
    return ENRICHERS, GENERATORS
