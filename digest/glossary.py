"""The termbase (annotations/glossary.yaml): loading, validation and generated forms.

Each entry is hand-written and reviewed; everything that can be derived is generated,
never typed: the Traditional form (OpenCC, phrase-level, ``settings.opencc_profile``),
pinyin with tone marks grouped by word (pypinyin, phrase-aware), toneless pinyin and
initials for search, and the page slug (recorded in ``annotations/term-registry.yaml``
so a term's URL never changes).

Every mistake in the file is an :class:`AnnotationError` naming the file and line.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from digest import cache, memory, yamlio
from digest.cache import Memo
from digest.config import Settings
from digest.exceptions import AnnotationError
from digest.text import fold, has_cjk

GLOSSARY_FILE = "glossary.yaml"
REGISTRY_FILE = "term-registry.yaml"

CATEGORIES = ("place", "institution", "programme", "policy", "formula", "slogan", "statistic", "phrase")
CATEGORY_TITLES = {
    "place": "Places 地名",
    "institution": "Institutions 机构",
    "programme": "Programmes 工程与行动",
    "policy": "Policies 政策与制度",
    "formula": "Numbered formulas 数字概括语",
    "slogan": "Slogans 口号",
    "statistic": "Statistical categories 统计口径",
    "phrase": "Recurring phrases 常用语",
}
LEVELS = ("national", "provincial", "municipal", "district", "street", "community")

REQUIRED = ("term", "category", "english", "english_source", "definition_en", "definition_zh")
OPTIONAL = ("aliases", "english_alt", "level", "related", "items", "traditional")
ITEM_KEYS = ("zh", "en", "quote")
SLUG_MAX = 60


@dataclass(frozen=True)
class TermItem:
    """One item of a numbered formula (a slogan → its items …), with the words that spell it out."""

    zh: str
    en: str
    quote: str  # an exact passage of a document (compared folded)
    line: int  # line of the item in glossary.yaml
    number: int  # 1-based position in the entry


@dataclass
class Term:
    """One entry of the termbase, with its generated forms."""

    term: str
    category: str
    english: str
    english_source: str  # "ours" or where the rendering comes from
    definition_en: str
    definition_zh: str
    line: int  # line of the entry in glossary.yaml
    aliases: list[str] = field(default_factory=list)
    english_alt: list[str] = field(default_factory=list)
    level: str = ""
    related: list[str] = field(default_factory=list)  # canonical terms (aliases resolved)
    items: list[TermItem] = field(default_factory=list)
    # generated
    traditional: str = ""  # OpenCC, phrase-level (or the editors' override)
    traditional_override: str = ""  # glossary.yaml `traditional:`: forces this form in the zh-Hant reading
    pinyin: str = ""  # tone marks, syllables of one word joined: "bǎiqiānwàn gōngchéng"
    pinyin_plain: str = ""  # toneless, no spaces, ASCII: "baiqianwangongcheng"
    initials: str = ""  # "bqwgc"
    search_forms: dict[str, list[str]] = field(default_factory=dict)  # each form's traditional, pinyin, initials
    slug: str = ""  # page name under terms/, from the term registry

    @property
    def forms(self) -> list[str]:
        """The term and its aliases: every written form recognised in the documents."""
        return [self.term, *self.aliases]

    @property
    def ours(self) -> bool:
        return self.english_source.strip().lower() == "ours"

    def one_line(self) -> str:
        """The first sentence of the English definition (for tooltips and indexes)."""
        return first_sentence(self.definition_en)

    def tip(self) -> str:
        return f"{self.english} — {self.one_line()}"


@dataclass
class Termbase:
    path: Path
    terms: list[Term]
    registry: TermRegistry | None = None

    def __post_init__(self) -> None:
        self.by_term = {t.term: t for t in self.terms}
        self.by_form: dict[str, Term] = {}
        for t in self.terms:
            for f in t.forms:
                self.by_form[fold(f)] = t

    def get(self, form: str) -> Term | None:
        """The entry for a term or alias, compared folded."""
        return self.by_form.get(fold(form))


def first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(?:\s|$)", text.strip())
    return (m.group(1) if m else text).strip()


# ───────────────────────── generated forms ─────────────────────────


# OpenCC's "p" profiles also swap vocabulary (s2twp: 社区 → 社群, 软件 → 軟體). That suits a
# reading of running text, but a term's Traditional *form* is the same words in Traditional
# characters, so terms use the profile's character-level counterpart (still phrase-aware).
_FORM_PROFILE = {"s2twp": "s2tw"}


@lru_cache(maxsize=8)
def _opencc(profile: str) -> Any:
    import opencc

    return opencc.OpenCC(profile)


def traditional(text: str, profile: str = "s2twp") -> str:
    """Traditional form of a term, converted phrase by phrase with OpenCC (a district name → its Traditional form)."""
    return str(_opencc(_FORM_PROFILE.get(profile, profile)).convert(text))


@lru_cache(maxsize=2)
def _segmenter(words: tuple[str, ...]) -> Any:
    import logging

    jieba = memory.import_apart("jieba")  # its import keeps our frames alive otherwise (memory.py)
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in words:
        tok.add_word(w, freq=2000)
    return tok


_CUT_ALONE = threading.Lock()


def words_of(text: str, words: tuple[str, ...] = ()) -> list[str]:
    """``text`` cut into words; the other termbase forms count as words, ``text`` itself does not.

    The segmenter is shared (cached), so ``text`` is taken out of its dictionary for this cut only and
    put back as it was, its total included: the result never depends on which cuts came before. (jieba's
    own del_word/add_word pair would add the word's frequency to the total each time, and records the
    word as one to split in a module-wide set.)"""
    tok = _segmenter(words)
    if text not in words:
        return list(tok.cut(text, HMM=False))
    with _CUT_ALONE:  # one such cut at a time: another would save the zero and put it back for good
        freq, total = tok.FREQ[text], tok.total
        tok.FREQ[text] = 0  # still a prefix of longer words, no longer a word (the total as del_word leaves it)
        try:
            return list(tok.cut(text, HMM=False))
        finally:
            tok.FREQ[text], tok.total = freq, total


def pinyin_marks(text: str, words: tuple[str, ...] = ()) -> str:
    """Pinyin with tone marks, phrase-aware; the syllables of one word are written together."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for token in words_of(text, words):
        if has_cjk(token):
            out.append("".join(lazy_pinyin(token, style=Style.TONE)))
        elif re.fullmatch(r"[\w+]+", token):
            joinable = out and not has_cjk(out[-1]) and out[-1][-1:] in "+0123456789"
            if joinable and re.fullmatch(r"[\w+]+", out[-1]):
                out[-1] += token  # 1 + 3 + 1 → 1+3+1
            else:
                out.append(token)
        elif token.strip() and out:
            out[-1] += {"、": ",", "，": ","}.get(token, "")
    return " ".join(w for w in out if w)


def pinyin_plain(text: str) -> str:
    """Toneless pinyin, no spaces, ASCII letters and digits only: 北京市 → beijingshi."""
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())


def pinyin_initials(text: str) -> str:
    """First letter of each syllable (digits kept): 北京市 → bjs."""
    from pypinyin import Style, lazy_pinyin

    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower())


def slug_base(text: str) -> str:
    """ASCII page name: toneless pinyin of each Chinese run, other letters and digits, '-' between runs."""
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+", text):
        part = "".join(lazy_pinyin(run)) if has_cjk(run) else run
        part = re.sub(r"[^a-z0-9]", "", part.lower())
        if part:
            parts.append(part)
    return "-".join(parts)[:SLUG_MAX].strip("-") or "term"


# ───────────────────────── the slug registry ─────────────────────────


@dataclass
class TermRegistry:
    """``annotations/term-registry.yaml``: term → slug, assigned once and never changed or reused."""

    path: Path
    slugs: dict[str, str] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    changed: bool = False

    @classmethod
    def load(cls, path: Path) -> TermRegistry:
        if not path.exists():
            return cls(path)
        data = yamlio.load(path) or {}
        if not isinstance(data, dict):
            raise AnnotationError(path, "must be a mapping with 'terms' (and 'retired')", 1)
        reg = cls(path)
        entries = data.get("terms") or []
        if not isinstance(entries, list):
            raise AnnotationError(path, "'terms' must be a list of {term, slug}", data.get("__line__"))
        seen: dict[str, str] = {}
        for e in entries:
            line = e.get("__line__") if isinstance(e, dict) else None
            ok = isinstance(e, dict) and isinstance(e.get("term"), str) and isinstance(e.get("slug"), str)
            if not ok:
                raise AnnotationError(path, "each entry needs a text 'term' and 'slug'", line)
            term, slug = e["term"], e["slug"]
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                raise AnnotationError(path, f"slug '{slug}' must be lowercase ASCII, digits and '-'", line)
            if slug in seen:
                raise AnnotationError(path, f"slug '{slug}' given to both '{seen[slug]}' and '{term}'", line)
            if term in reg.slugs:
                raise AnnotationError(path, f"term '{term}' listed twice", line)
            seen[slug] = term
            reg.slugs[term] = slug
        reg.retired = [str(r) for r in data.get("retired") or []]
        return reg

    def used(self) -> set[str]:
        return set(self.slugs.values()) | set(self.retired)

    def assign(self, term: str) -> str:
        if term in self.slugs:
            return self.slugs[term]
        base = slug_base(term)
        slug, n = base, 2
        used = self.used() | {"index"}
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        self.slugs[term] = slug
        self.changed = True
        return slug

    def save(self) -> None:
        header = ("# Term page slugs (terms/<slug>.html). Assigned on first build, never changed or reused;\n"
                  "# a term that leaves the glossary keeps its line here so its slug stays taken.\n")
        entries = [{"term": t, "slug": s} for t, s in sorted(self.slugs.items(), key=lambda kv: kv[1])]
        body = yaml.safe_dump({"terms": entries, "retired": sorted(self.retired)}, allow_unicode=True,
                              sort_keys=False, width=200)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(header + body, encoding="utf-8")


# ───────────────────────── loading and validation ─────────────────────────


def _text(path: Path, entry: dict[str, Any], key: str, line: int | None, required: bool = True) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise AnnotationError(path, f"missing required key '{key}'", line)
        return ""
    if not isinstance(value, str):
        raise AnnotationError(path, f"'{key}' must be text, got {type(value).__name__} {value!r} (quote it)",
                              line)
    if required and not value.strip():
        raise AnnotationError(path, f"'{key}' is empty", line)
    return value.strip()


def _texts(path: Path, entry: dict[str, Any], key: str, line: int | None) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AnnotationError(path, f"'{key}' must be a list of non-empty texts (quote numbers)", line)
    return [v.strip() for v in value]


def _items(path: Path, entry: dict[str, Any], line: int | None) -> list[TermItem]:
    value = entry.get("items")
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        raise AnnotationError(path, "'items' must be a non-empty list of {zh, en, quote}", line)
    items: list[TermItem] = []
    for n, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            raise AnnotationError(path, f"item {n} must be a mapping with zh, en and quote", line)
        iline = int(raw.get("__line__") or line or 0)
        unknown = sorted(str(k) for k in raw if k != "__line__" and k not in ITEM_KEYS)
        if unknown:
            raise AnnotationError(path, f"unknown key '{unknown[0]}' in item {n} "
                                  f"(known: {', '.join(ITEM_KEYS)})", iline)
        items.append(TermItem(_text(path, raw, "zh", iline), _text(path, raw, "en", iline),
                              _text(path, raw, "quote", iline), iline, n))
    return items


def parse(path: Path, data: Any) -> list[Term]:
    """Typed, validated entries (related terms not yet checked)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise AnnotationError(path, "must be a list of entries (each starting with '- term: …')",
                              data.get("__line__", 1) if isinstance(data, dict) else 1)
    terms: list[Term] = []
    for raw in data:
        if not isinstance(raw, dict):
            raise AnnotationError(path, f"each entry must be a mapping, got {type(raw).__name__} {raw!r}")
        line = raw.get("__line__")
        unknown = sorted(str(k) for k in raw if k != "__line__" and k not in REQUIRED + OPTIONAL)
        if unknown:
            raise AnnotationError(path, f"unknown key '{unknown[0]}' "
                                  f"(known: {', '.join(REQUIRED + OPTIONAL)})", line)
        t = Term(
            term=_text(path, raw, "term", line),
            category=_text(path, raw, "category", line),
            english=_text(path, raw, "english", line),
            english_source=_text(path, raw, "english_source", line),
            definition_en=_text(path, raw, "definition_en", line),
            definition_zh=_text(path, raw, "definition_zh", line),
            line=line or 0,
            aliases=_texts(path, raw, "aliases", line),
            english_alt=_texts(path, raw, "english_alt", line),
            level=_text(path, raw, "level", line, required=False),
            related=_texts(path, raw, "related", line),
            items=_items(path, raw, line),
            traditional_override=_text(path, raw, "traditional", line, required=False),
        )
        if t.category not in CATEGORIES:
            raise AnnotationError(path, f"'{t.term}': unknown category '{t.category}' "
                                  f"(known: {', '.join(CATEGORIES)})", line)
        if t.level and t.level not in LEVELS:
            raise AnnotationError(path, f"'{t.term}': unknown level '{t.level}' (known: {', '.join(LEVELS)})",
                                  line)
        terms.append(t)
    return terms


def check(path: Path, terms: list[Term]) -> None:
    """Cross-entry rules: every term and alias unique (folded); every related term known."""
    owner: dict[str, Term] = {}
    for t in terms:
        for form in t.forms:
            key = fold(form)
            if not key:
                raise AnnotationError(path, f"'{t.term}': empty term or alias", t.line)
            other = owner.get(key)
            if other is t:
                raise AnnotationError(path, f"'{t.term}': '{form}' is listed twice in this entry", t.line)
            if other is not None:
                raise AnnotationError(path, f"duplicate term or alias '{form}' "
                                      f"(already used by '{other.term}' at line {other.line})", t.line)
            owner[key] = t
    for t in terms:
        resolved: list[str] = []
        for rel in t.related:
            target = owner.get(fold(rel))
            if target is None:
                raise AnnotationError(path, f"'{t.term}': unknown related term '{rel}'", t.line)
            if target is t:
                raise AnnotationError(path, f"'{t.term}': lists itself as related", t.line)
            if target.term not in resolved:
                resolved.append(target.term)
        t.related = resolved


def generated_forms(term: str, aliases: list[str], words: tuple[str, ...], profile: str) -> dict[str, Any]:
    """What a term's written forms give: the term's pinyin with tone marks, and each form's Traditional
    form, plain pinyin and initials (for search; the term's own first). Depends on these arguments alone."""
    forms = [term, *aliases]
    search = {"traditional": [traditional(f, profile) for f in forms], "pinyin": [pinyin_plain(f) for f in forms],
              "initials": [pinyin_initials(f) for f in forms]}
    return {"pinyin": pinyin_marks(term, words), "search": search}


def load_file(path: Path, profile: str = "s2twp", registry: TermRegistry | None = None,
              memo: Memo | None = None) -> Termbase:
    """Load, validate and complete a termbase file.

    With ``memo`` (cache.Memo), each term's generated forms (:func:`generated_forms`) are kept between
    builds: they are the costly part (segmenting with jieba, whose dictionary takes most of a second to
    load, and pypinyin's import), and they depend on the term, its aliases, the termbase's forms and the
    OpenCC profile alone."""
    terms = parse(path, yamlio.load(path))
    check(path, terms)
    words = tuple(sorted({f for t in terms for f in t.forms if has_cjk(f)}))
    vocabulary = cache.digest_of(*words)
    for t in terms:
        if memo is None:
            forms = generated_forms(t.term, t.aliases, words, profile)
        else:
            forms = memo.get(cache.digest_of(vocabulary, profile, t.term, *t.aliases),
                             lambda t=t: generated_forms(t.term, t.aliases, words, profile))  # type: ignore[misc]
        t.pinyin, t.search_forms = forms["pinyin"], forms["search"]
        t.pinyin_plain, t.initials = t.search_forms["pinyin"][0], t.search_forms["initials"][0]  # the term's own
        t.traditional = t.traditional_override or t.search_forms["traditional"][0]
    if registry is not None:
        for t in sorted(terms, key=lambda t: (t.line, t.term)):
            t.slug = registry.assign(t.term)
    else:
        taken: set[str] = set()
        for t in terms:
            base = slug = slug_base(t.term)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            t.slug = slug
    return Termbase(path, terms, registry)


def load(settings: Settings, memo: Memo | None = None) -> Termbase | None:
    """The project's termbase with slugs from its registry, or None when there is no glossary."""
    path = settings.annotations / GLOSSARY_FILE
    if not path.exists():
        return None
    return load_file(path, settings.opencc_profile, TermRegistry.load(settings.annotations / REGISTRY_FILE), memo)


def search_words(settings: Settings) -> list[str]:
    """Every term and alias, for the segmenter (kept whole in slugs and search)."""
    path = settings.annotations / GLOSSARY_FILE
    if not path.exists():
        raise FileNotFoundError(path)
    data = yamlio.load(path) or []
    words: set[str] = set()
    for entry in data:
        if isinstance(entry, dict):
            words.add(str(entry.get("term", "")))
            words.update(str(a) for a in entry.get("aliases") or [])
    return sorted(w for w in words if w)
