"""Enricher ``translate``: attach the English of every block from the PO files.

Also reads the per-document summaries (``annotations/summaries/<id>.yaml`` with
``zh`` and ``en``) and gives authors' names in pinyin for the English metadata.
A missing or stale translation is shown as such on the page, never silently.
"""

from __future__ import annotations

import functools

from digest import translations, yamlio
from digest.exceptions import AnnotationError
from digest.model import Document
from digest.stages import Context


@functools.cache
def _surnames() -> tuple[dict[str, str], dict[str, str]]:
    """The family names read otherwise than their characters (``digest/data/surnames.yaml``):
    two-character ones, and one-character ones."""
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("digest").joinpath("data/surnames.yaml").read_text(encoding="utf-8"))
    return dict(data["compound"]), dict(data["single"])


def _run_together(syllables: list[str]) -> str:
    """Syllables written as one word, with the apostrophe pinyin puts before a syllable that starts
    with a, o or e (天安 → Tian'an, not the ambiguous Tianan)."""
    word = ""
    for s in syllables:
        word += f"'{s}" if word and s[:1] in "aoe" else s
    return word.capitalize()


def person_pinyin(name: str) -> str:
    """何小娟 → He Xiaojuan: family name first, as names are cited in English, read as a family name
    (曾 is Zeng; 欧阳 one name: 欧阳明 → Ouyang Ming), ü written as such (吕 → Lü). Only a name shaped
    like a person's is given in pinyin: two to four Han characters, or five after a two-character family
    name. Anything else (an office named as the author, a name with a middle dot, a Latin name) is kept
    as written rather than read as a person's."""
    from pypinyin import lazy_pinyin

    compound, single = _surnames()
    family = compound.get(name[:2]) if len(name) > 2 else None
    family_len = 2 if family else 1
    if not 2 <= len(name) - family_len + 1 <= 4:
        return name
    if family is None and name[:1] in single:
        family = single[name[:1]]
    syl = lazy_pinyin(name)
    if len(syl) != len(name) or not all(s.isascii() and s.isalpha() for s in syl):
        return name
    syl = [s.replace("v", "ü") for s in syl]  # pypinyin's ASCII stand-in for ü (lv → lü)
    given = _run_together(syl[family_len:])
    return f"{family or syl[0].capitalize()} {given}"


def people_pinyin(docs: list[Document], ctx: Context) -> dict[str, str]:
    """:func:`person_pinyin` of every author's and contributor's name (without a parenthesised note),
    memoised under the names: a rebuild whose documents name the same people needs no pypinyin."""
    from digest import cache

    names = sorted({n.split(" (")[0] for d in docs for n in d.meta.authors + d.meta.contributors})
    memo = cache.stage_memo(ctx, "people-pinyin")
    try:
        return memo.get(cache.digest_of(*names), lambda: {n: person_pinyin(n) for n in names})
    finally:
        memo.close()


def enrich(docs: list[Document], ctx: Context) -> None:
    root = ctx.settings.annotations
    index: dict[str, dict[str, str]] = {}
    people = people_pinyin(docs, ctx)
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
            english.setdefault(f"person-{name}", people[name.split(" (")[0]])
    ctx.data["translations"] = index
