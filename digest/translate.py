"""Enricher ``translate``: attach the English of every block from the PO files.

Also reads the per-document summaries (``annotations/summaries/<id>.yaml`` with
``zh`` and ``en``) and gives authors' names in pinyin for the English metadata.
A missing or stale translation is shown as such on the page, never silently.
"""

from __future__ import annotations

from digest import translations, yamlio
from digest.exceptions import AnnotationError
from digest.model import Document
from digest.stages import Context


def person_pinyin(name: str) -> str:
    """何小娟 → He Xiaojuan (family name first, as names are cited in English)."""
    from pypinyin import lazy_pinyin

    syl = lazy_pinyin(name)
    if not syl or not all(s.isascii() for s in syl):
        return name
    return " ".join([syl[0].capitalize(), "".join(syl[1:]).capitalize()]).strip()


def enrich(docs: list[Document], ctx: Context) -> None:
    root = ctx.settings.annotations
    index: dict[str, dict[str, str]] = {}
    for doc in docs:
        path = translations.po_path(root, "en", doc.id)
        entries = {}
        if path.exists():
            try:
                entries = {e.msgctxt: e for e in translations.load(path)}
            except AnnotationError as exc:
                ctx.errors.append(str(exc))
        english: dict[str, str] = {}
        by_anchor = {b.anchor: b for b in doc.blocks if b.anchor}
        for unit in translations.units(doc):
            e = entries.get(unit.ctxt)
            if e is None or not e.msgstr:
                state, text = "missing", ""
            elif e.msgid != unit.source or "fuzzy" in e.flags:
                state, text = "fuzzy", e.msgstr
            else:
                state, text = ("machine" if translations.MACHINE in e.flags else ""), e.msgstr
            if text:
                english[unit.ctxt] = text
            block = by_anchor.get(unit.ctxt)
            if block is not None:
                block.english, block.english_state = text, state
        doc.english = {k: v for k, v in english.items() if not k.startswith(("p-", "h-", "c-"))}
        index[doc.id] = english
        spath = root / "summaries" / f"{doc.id}.yaml"
        if spath.exists():
            data = yamlio.strip_lines(yamlio.load(spath))
            if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("zh", "en")):
                ctx.errors.append(str(AnnotationError(spath, "a summary needs string fields 'zh' and 'en'", 1)))
            else:
                doc.summary = {"zh": data["zh"].strip(), "en": data["en"].strip()}
        for name in doc.meta.authors + doc.meta.contributors:
            english.setdefault(f"person-{name}", person_pinyin(name.split(" (")[0]))
    ctx.data["translations"] = index
