"""Curated knowledge the fact rules use, loaded from annotations/ and validated.

- ``annotations/metrics.yaml``: the metric vocabulary (metric as written → English name).
- ``annotations/glossary.yaml``: its ``place`` and ``institution`` entries are the gazetteer
  that names the subject of a figure.

Errors in these files raise :class:`~digest.exceptions.AnnotationError` naming file and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest import yamlio
from digest.exceptions import AnnotationError
from digest.facts.units import UNIT_NAMES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
METRIC_KEYS = {"metric", "aliases", "english", "slug", "unit", "note"}


def matchable(text: str) -> str:
    """A same-length copy for matching: each character NFKC-folded where that keeps one character
    (full-width digits and ％ become ASCII), so offsets stay valid in the display text."""
    if _UNSURE.search(text) is None:
        return text  # only characters that fold to themselves
    return text.translate(_FOLDED)


def _fold(c: str) -> str:
    n = unicodedata.normalize("NFKC", c)
    return n if len(n) == 1 else c


class _Folding(dict[int, str]):
    """Code point → its one-character NFKC form, filled on first use (a ``str.translate`` table)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold(chr(code))
        return folded


_FOLDED = _Folding()


def _unsure() -> re.Pattern[str]:
    """Any character not known to fold to itself. Known: those of the blocks Chinese text is mostly
    made of (ASCII and Latin-1, general punctuation, CJK punctuation, CJK ideographs) that the fold
    leaves alone, checked one by one here."""
    ranges: list[tuple[int, int]] = []
    for first, last in ((0x00, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0x4E00, 0x9FFF)):
        for code in range(first, last + 1):
            if _fold(chr(code)) == chr(code):
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1] = (ranges[-1][0], code)
                else:
                    ranges.append((code, code))
    return re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


_UNSURE = _unsure()


def slugify(english: str) -> str:
    words = re.findall(r"[a-z0-9]+", english.lower())
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > 60:
            break
        slug = f"{slug}-{w}" if slug else w
    return slug


@dataclass(frozen=True)
class Metric:
    name: str  # canonical Chinese name
    english: str
    slug: str
    aliases: tuple[str, ...] = ()
    unit: str = ""  # expected unit, if the vocabulary states one
    line: int = 0


@dataclass
class MetricVocabulary:
    metrics: list[Metric] = field(default_factory=list)
    _by_surface: dict[str, Metric] = field(default_factory=dict)
    _re: re.Pattern[str] | None = None

    @classmethod
    def load(cls, path: Path) -> MetricVocabulary:
        if not path.exists():
            return cls()
        data = yamlio.load(path)
        if data is None:
            return cls()
        if not isinstance(data, list):
            raise AnnotationError(path, "must be a list of metric entries (- metric: …)", 1)
        vocab = cls()
        slugs: dict[str, int] = {}
        for entry in data:
            line = entry.get("__line__") if isinstance(entry, dict) else None
            if not isinstance(entry, dict):
                raise AnnotationError(path, f"each entry must be a mapping, got {entry!r}", line)
            unknown = sorted(set(entry) - METRIC_KEYS - {"__line__"})
            if unknown:
                raise AnnotationError(
                    path, f"unknown key '{unknown[0]}' (known: {', '.join(sorted(METRIC_KEYS))})", line
                )
            name, english = entry.get("metric"), entry.get("english")
            if not isinstance(name, str) or not name.strip():
                raise AnnotationError(path, "'metric' must be a non-empty string", line)
            if not isinstance(english, str) or not english.strip():
                raise AnnotationError(path, f"metric '{name}' needs an 'english' name", line)
            aliases = entry.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise AnnotationError(
                    path, f"'aliases' of '{name}' must be a list of non-empty strings", line
                )
            slug = entry.get("slug") or slugify(english)
            if not isinstance(slug, str) or not SLUG.match(slug):
                raise AnnotationError(
                    path, f"slug '{slug}' of '{name}' must be lowercase ASCII words joined by '-'", line
                )
            if slug in slugs:
                raise AnnotationError(
                    path, f"slug '{slug}' is already used by the entry on line {slugs[slug]}", line
                )
            slugs[slug] = line or 0
            unit = entry.get("unit") or ""
            if unit and unit not in UNIT_NAMES:
                raise AnnotationError(
                    path, f"unit '{unit}' of '{name}' is not one of {', '.join(UNIT_NAMES)}", line
                )
            metric = Metric(
                name.strip(), english.strip(), slug, tuple(a.strip() for a in aliases), unit, line or 0
            )
            for surface in (metric.name, *metric.aliases):
                key = matchable(surface)
                if key in vocab._by_surface:
                    other = vocab._by_surface[key]
                    raise AnnotationError(
                        path,
                        f"'{surface}' is listed twice (also under '{other.name}', line {other.line})",
                        line,
                    )
                vocab._by_surface[key] = metric
            vocab.metrics.append(metric)
        return vocab

    def _pattern(self) -> re.Pattern[str] | None:
        if self._re is None and self._by_surface:
            keys = sorted(self._by_surface, key=lambda k: (-len(k), k))
            self._re = re.compile("|".join(re.escape(k) for k in keys))
        return self._re

    def find(self, text: str) -> list[tuple[int, int, Metric]]:
        """Every listed metric in ``text`` (a matchable copy), longest match first at each position."""
        pattern = self._pattern()
        if pattern is None:
            return []
        found: list[tuple[int, int, Metric]] = []
        pos = 0
        while True:
            m = pattern.search(text, pos)
            if not m:
                return found
            found.append((m.start(), m.end(), self._by_surface[m.group()]))
            pos = m.start() + 1

    def by_slug(self) -> dict[str, Metric]:
        return {m.slug: m for m in self.metrics}


LEVELS = {"national": 0, "provincial": 1, "municipal": 2, "district": 3, "street": 4, "community": 5}


@dataclass(frozen=True)
class Place:
    name: str  # canonical name (the glossary term)
    english: str
    level: int  # LEVELS value; higher is more local
    body: bool = False  # an institution: refers to the place of its level that is in context


# names of places not in the glossary: <name>街道 / <name>社区 / <name>区 / <name>市
_NOT_NAME = set(
    "的在和与及等个了为以到进入至由对向从将把被是有各全本该每多辖此其这那新老小大片园城街景分"
    "一二三四五六七八九十两百千亿万级类项型性试点建设推动实现开展完成加强提升打造"
)
_SUFFIX_LEVEL = {"街道": 4, "社区": 5, "区": 3, "市": 2}


def _first(t: tuple[int, int, Place]) -> int:
    return t[0]


_NOT_AFTER_AREA = set("域容场民属级内外疾长政直")  # 区域, 市容, 市场, 市民, 区属 …: words, not names
_AREA_NOUN_END = set("宅活公业住景护发范能心部行聚验贸城闲务车晒险点夜织合接")  # 住宅区, 总部区, 风险区 …


def _is_name_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" and c not in _NOT_NAME


def _name_class() -> str:
    """The characters of :func:`_is_name_char` as a regex class."""
    ranges, low = [], 0x4E00
    for code in sorted(ord(c) for c in _NOT_NAME if "\u4e00" <= c <= "\u9fff"):
        if code > low:
            ranges.append(f"{chr(low)}-{chr(code - 1)}")
        low = code + 1
    if low <= 0x9FFF:
        ranges.append(f"{chr(low)}-\u9fff")
    return f"[{''.join(ranges)}]"


_N = _name_class()
# The suffixes (read left to right as 街道|社区|区|市) with two name characters right before them: a
# name needs two, and checking them in the pattern keeps the many suffixes without a name (全区, 城市,
# 社区 alone) out of the Python loop. A 区 right after 社 is no suffix of its own (社区 is read there).
_NAMED_SUFFIX = re.compile(
    rf"街道(?<={_N}{_N}街道)|社区(?<={_N}{_N}社区)|区(?<={_N}{_N}区)(?<!社区)|市(?<={_N}{_N}市)"
)


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)  # surface → place
    _re: re.Pattern[str] | None = None
    _surfaces: tuple[str, ...] | None = None

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        gaz = cls()
        if not path.exists():
            return gaz
        data = yamlio.load(path) or []
        if not isinstance(data, list):
            raise AnnotationError(path, "must be a list of term entries", 1)
        for entry in data:
            if not isinstance(entry, dict) or entry.get("category") not in ("place", "institution"):
                continue
            level = LEVELS.get(str(entry.get("level")))
            term = entry.get("term")
            if level is None or not isinstance(term, str) or not term:
                continue  # generic nouns (城中村) and unlevelled bodies name no subject
            english = entry.get("english") if isinstance(entry.get("english"), str) else ""
            place = Place(term, english or "", level, body=entry.get("category") == "institution")
            aliases: Any = entry.get("aliases") or []
            for surface in [term, *(a for a in aliases if isinstance(a, str))]:
                gaz.places.setdefault(matchable(surface), place)
        return gaz

    def surfaces(self) -> tuple[str, ...]:
        """Every name and alias, longest first (a hashable key for compiled patterns)."""
        if self._surfaces is None:
            self._surfaces = tuple(sorted(self.places, key=lambda k: (-len(k), k)))
        return self._surfaces

    def pattern(self) -> re.Pattern[str] | None:
        if self._re is None and self.places:
            self._re = re.compile("|".join(re.escape(k) for k in self.surfaces()))
        return self._re

    def mentions(self, text: str) -> list[tuple[int, int, Place]]:
        """Place and body mentions in ``text`` (matchable copy): glossary names first (longest wins),
        then names formed by the general suffix rule (…街道, …社区, …区, …市)."""
        found: list[tuple[int, int, Place]] = []
        named = False
        pattern = self.pattern()
        if pattern is not None:
            found = [(m.start(), m.end(), self.places[m.group()]) for m in pattern.finditer(text)]
        for m in _NAMED_SUFFIX.finditer(text):
            suffix = m.group()
            at, after = m.span()
            start = at - 2  # a third name character for the two-character suffixes (…街道, …社区)
            if len(suffix) == 2 and start > 0 and _is_name_char(text[start - 1]):
                start -= 1
            nxt = text[after] if after < len(text) else ""
            if len(suffix) == 1 and (nxt in _NOT_AFTER_AREA or text[at - 1] in _AREA_NOUN_END):
                continue
            # a generic body (社区, 街道) matched alone gives way to the full name (新村社区)
            if any(s < after and start < e and not (p.body and s >= at) for s, e, p in found):
                continue
            found = [f for f in found if not (f[0] >= at and f[1] <= after)]
            found.append((start, after, Place(text[start:after], "", _SUFFIX_LEVEL[suffix])))
            named = True
        return sorted(found, key=_first) if named else found  # glossary names come sorted

    def english(self, name: str) -> str:
        place = self.places.get(matchable(name))
        return place.english if place else ""
