"""Translations as gettext PO files: ``annotations/translations/<lang>/<doc-id>.po``.

One entry per translatable unit, keyed by ``msgctxt`` = its stable anchor (``title``,
``kicker-N``, ``meta-issuer``, the paragraph/heading/caption anchors), ``msgid`` =
the Chinese source. When a source changes, ``digest translations update`` keeps the
old translation, marks it ``fuzzy`` (stale) and records the previous source
(``#| msgid``), as gettext's msgmerge does. A ``machine`` flag marks machine output;
entries without it were written or reviewed by a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

from digest.exceptions import AnnotationError
from digest.model import Document

LANGS = ("en",)
MACHINE = "machine"


@dataclass(frozen=True)
class Unit:
    ctxt: str
    source: str
    kind: str


def units(doc: Document) -> list[Unit]:
    out = [Unit("title", doc.meta.title, "title")]
    out += [Unit(f"kicker-{i}", t, "kicker") for i, t in enumerate(doc.meta.kicker, start=1)]
    for field_name in ("issuer", "outlet"):
        value = getattr(doc.meta, field_name)
        if value:
            out.append(Unit(f"meta-{field_name}", value, "meta"))
    out += [Unit(b.anchor, b.text, b.kind) for b in doc.blocks if b.anchor]
    return out


def po_path(root: Path, lang: str, doc_id: str) -> Path:
    return root / "translations" / lang / f"{doc_id}.po"


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
_PO_LINE = re.compile(rf"^(?:\s*|#.*|{_PO_KEYWORD}\s+{_PO_STRING}\s*|\s*{_PO_STRING}\s*)$")


def check_syntax(path: Path) -> None:
    """polib forgives a lot (an unterminated string, a stray line); translators deserve the line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AnnotationError(path, "is not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise AnnotationError(path, f"PO syntax error: {line[:60]!r}", n)


def load(path: Path) -> polib.POFile:
    check_syntax(path)
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as exc:
        line = None
        msg = str(exc)
        m = re.search(r"line (\d+)", msg)
        if m:
            line = int(m.group(1))
        raise AnnotationError(path, f"not a valid PO file: {msg}", line) from None


def update(doc: Document, annotations: Path, lang: str) -> tuple[polib.POFile, bool]:
    """Create or merge the PO file of ``doc``. Returns (po, changed)."""
    path = po_path(annotations, lang, doc.id)
    old = load(path) if path.exists() else None
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"digest {doc.id}",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source": f"seeds/{doc.source}#{doc.part}",
    }
    previous = {e.msgctxt: e for e in old} if old else {}
    for unit in units(doc):
        entry = polib.POEntry(msgctxt=unit.ctxt, msgid=unit.source, msgstr="")
        entry.comment = f"kind: {unit.kind}"
        was = previous.get(unit.ctxt)
        if was is not None:
            entry.msgstr = was.msgstr
            entry.flags = list(was.flags)
            entry.tcomment = was.tcomment
            entry.previous_msgid = was.previous_msgid
            if was.msgid != unit.source and was.msgstr:
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                entry.previous_msgid = was.msgid
        po.append(entry)
    changed = old is None or str(old) != str(po)
    return po, changed


@dataclass
class Coverage:
    doc_id: str
    total: int
    translated: int
    fuzzy: int
    machine: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def coverage(doc: Document, annotations: Path, lang: str) -> Coverage:
    path = po_path(annotations, lang, doc.id)
    wanted = {u.ctxt: u.source for u in units(doc)}
    if not path.exists():
        return Coverage(doc.id, len(wanted), 0, 0, 0)
    po = load(path)
    entries = {e.msgctxt: e for e in po}
    done = fuzzy = machine = 0
    for ctxt, source in wanted.items():
        e = entries.get(ctxt)
        if e is None or not e.msgstr:
            continue
        if e.msgid != source or "fuzzy" in e.flags:
            fuzzy += 1
            continue
        done += 1
        machine += MACHINE in e.flags
    return Coverage(doc.id, len(wanted), done, fuzzy, machine)


def import_mapping(po: polib.POFile, mapping: dict[str, str], machine: bool = False) -> tuple[int, list[str]]:
    """Fill ``msgstr`` from a {msgctxt: translation} mapping (a translator's delivery).

    Returns (entries filled, keys in the mapping that match no entry). Filled entries
    lose ``fuzzy``; ``machine`` marks them as machine output.
    """
    entries = {e.msgctxt: e for e in po}
    filled = 0
    for key, text in mapping.items():
        e = entries.get(key)
        if e is None or not isinstance(text, str) or not text.strip():
            continue
        e.msgstr = " ".join(text.split()) if "\n" not in text.strip() else text.strip()
        e.flags = [f for f in e.flags if f not in ("fuzzy", MACHINE)] + ([MACHINE] if machine else [])
        e.previous_msgid = None
        filled += 1
    unknown = sorted(k for k in mapping if k not in entries)
    return filled, unknown
