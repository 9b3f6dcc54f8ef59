"""Stage 6, identity: document ids from the registry, stable paragraph anchors.

Document ids live in ``annotations/registry.yaml``. A document gets a readable ASCII
slug (pinyin of its title) the first time it is built; the id never changes after,
and an id once used (even if retired) is never given to another document.

Paragraph anchors live in ``annotations/anchors/<id>.tsv`` (anchor, kind, exact
hash, simhash). On every build each block is matched to its old anchor: first by
exact text, then by near text (a simhash within a few bits, so a light edit or a
cleaning fix keeps the anchor), else it gets a new anchor from its own text hash.
Inserting or removing other paragraphs therefore moves no anchor.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from digest.exceptions import AnnotationError
from digest.model import Document
from digest.text import fold

ANCHORED = {"heading": "h", "paragraph": "p", "caption": "c"}
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NEAR_BITS = 12
SLUG_MAX = 40
SLUG_WORDS = 6


# simhash counts, for each of the 64 bits, how many character bigrams set it. Instead of a
# Python loop over 64 bits per bigram, each bigram's hash is "spread" into one big integer
# with a 32-bit counter lane per bit, so that adding the bigrams' integers counts every bit
# at once (lanes cannot overflow below 2**32 bigrams). Same result, about 15× faster.
_LANE = 32
_BYTE_LANES = [sum(((b >> k) & 1) << (_LANE * k) for k in range(8)) for b in range(256)]


@lru_cache(maxsize=1 << 16)
def _spread(gram: str) -> int:
    digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()  # big-endian: last byte = bits 0-7
    return sum(_BYTE_LANES[byte] << (_LANE * 8 * (7 - i)) for i, byte in enumerate(digest))


SIM_FEATURES = 2048
REGISTRY_FILE = "registry.yaml"  # in annotations/
LEDGER_DIR = "anchors"  # in annotations/: one anchor ledger per document


def simhash(text: str) -> int:
    """64-bit simhash of character bigrams (evenly sampled in very long texts)."""
    step = max(1, (len(text) - 1) // SIM_FEATURES)
    grams = [text[i : i + 2] for i in range(0, max(1, len(text) - 1), step)]
    counts = sum(map(_spread, grams))
    mask = (1 << _LANE) - 1
    # a bit is set when more bigrams set it than clear it
    return sum(1 << bit for bit in range(64) if 2 * ((counts >> (_LANE * bit)) & mask) > len(grams))


def exact_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass(slots=True)
class AnchorEntry:
    anchor: str
    kind: str
    sha: str
    sim: int


@dataclass
class Registry:
    path: Path
    documents: list[dict[str, object]] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    changed: bool = False
    words: list[str] = field(default_factory=list)  # termbase words kept whole when slugging
    # (sizes of documents and retired, key → id, used ids): see _index
    _cache: tuple[tuple[int, int], dict[str, str], set[str]] | None = field(
        default=None, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> Registry:
        if not path.exists():
            return cls(path)
        try:
            # libyaml's loader when PyYAML has it: the registry grows with the corpus (same data)
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise AnnotationError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                  mark.line + 1 if mark else None) from None
        docs = data.get("documents") or []
        if not isinstance(docs, list) or not all(isinstance(d, dict) and "id" in d and "source" in d for d in docs):
            raise AnnotationError(path, "'documents' must be a list of mappings with 'id' and 'source'")
        ids = [str(d["id"]) for d in docs]
        dup = sorted(i for i, count in Counter(ids).items() if count > 1)
        if dup:
            raise AnnotationError(path, f"id used twice: {', '.join(dup)}")
        return cls(path, docs, [str(r) for r in data.get("retired") or []])

    def _index(self) -> tuple[dict[str, str], set[str]]:
        """Key → id (first entry wins) and the used ids, rebuilt only when the lists changed size
        (``assign`` keeps them current), so that a corpus-wide pass is linear, not quadratic.
        Entries are only ever appended; an id edited in place needs a fresh Registry."""
        size = (len(self.documents), len(self.retired))
        cached = self._cache
        if cached is None or cached[0] != size:
            keys: dict[str, str] = {}
            for d in self.documents:
                keys.setdefault(f"{d['source']}#{d.get('part', 1)}", str(d["id"]))
            cached = (size, keys, {str(d["id"]) for d in self.documents} | set(self.retired))
            self._cache = cached
        return cached[1], cached[2]

    def used_ids(self) -> set[str]:
        return set(self._index()[1])

    def lookup(self, key: str) -> str | None:
        return self._index()[0].get(key)

    def assign(self, doc: Document) -> str:
        found = self.lookup(doc.key)
        if found:
            return found
        base = slugify(doc.meta.title, self.words) or "document"
        keys, used = self._index()
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        self.documents.append({"id": slug, "source": doc.source, "part": doc.part, "title": doc.meta.title})
        keys.setdefault(doc.key, slug)
        used.add(slug)
        self._cache = ((len(self.documents), len(self.retired)), keys, used)
        self.changed = True
        return slug

    def save(self, to: Path | None = None) -> None:
        """Write the registry to its file (or to ``to``)."""
        header = ("# Document registry. Ids are assigned on first build and never change; a retired id\n"
                  "# is never reused. Edit only to rename (add the old id to `redirects`) or retire.\n")
        docs = sorted(self.documents, key=lambda d: (str(d["source"]), int(d.get("part", 1))))  # type: ignore[call-overload]
        body = yaml.safe_dump({"documents": docs, "retired": self.retired}, allow_unicode=True, sort_keys=False,
                              width=200)
        path = to or self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + body, encoding="utf-8")


def slugify(title: str, words: list[str] | None = None) -> str:
    """Readable ASCII slug: the pinyin of the title's first words, whole words only."""
    from pypinyin import lazy_pinyin

    from digest.segment import cut

    parts: list[str] = []
    prev = ""
    for word in cut(title, words or []):
        after_number, prev = prev.isdigit(), word
        if after_number and word in ("年", "月", "日"):
            continue  # 2025年 → 2025
        if re.fullmatch(r"[A-Za-z0-9]+", word):
            part = word.lower()
        elif re.search(r"[\u4e00-\u9fff]", word):
            part = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(word, errors="ignore")).lower())
        else:
            continue
        if not part:
            continue
        if parts and (len("-".join([*parts, part])) > SLUG_MAX or len(parts) >= SLUG_WORDS):
            break
        parts.append(part[:SLUG_MAX])
    return "-".join(parts)


def ledger_file(directory: Path, doc_id: str) -> Path:
    """The anchor ledger of document ``doc_id`` in the ledgers' ``directory``."""
    return directory / f"{doc_id}.tsv"


class AnchorLedger:
    """Per-document record of published anchors."""

    def __init__(self, directory: Path, doc_id: str) -> None:
        self.path = ledger_file(directory, doc_id)
        self.entries: list[AnchorEntry] = []
        if self.path.exists():
            for n, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) != 4:
                    raise AnnotationError(self.path, "expected 4 tab-separated columns: anchor kind sha simhash", n)
                try:
                    self.entries.append(AnchorEntry(cols[0], cols[1], cols[2], int(cols[3], 16)))
                except ValueError:
                    raise AnnotationError(self.path, "simhash must be hexadecimal", n) from None
        self.original = list(self.entries)

    def assign(self, doc: Document) -> list[str]:
        """Give every anchored block an anchor; return anchors in the ledger no block claimed."""
        blocks = [b for b in doc.blocks if b.kind in ANCHORED]
        keys = [fold(b.text) for b in blocks]
        shas = [exact_hash(k) for k in keys]
        known_sims = {e.sha: e.sim for e in self.entries}
        sims = [known_sims[sha] if sha in known_sims else simhash(k) for sha, k in zip(shas, keys, strict=True)]
        free = {e.anchor: e for e in self.entries}
        taken: set[str] = set()
        result: list[str | None] = [None] * len(blocks)
        by_sha: dict[str, list[AnchorEntry]] = {}
        for e in self.entries:
            by_sha.setdefault(e.sha, []).append(e)
        for i, sha in enumerate(shas):
            for e in by_sha.get(sha, []):
                if e.anchor in free:
                    result[i] = e.anchor
                    del free[e.anchor]
                    break
        for i, block in enumerate(blocks):
            if result[i] is not None:
                continue
            best, best_d = None, NEAR_BITS + 1
            for e in free.values():
                if e.kind != block.kind:
                    continue
                d = bin(e.sim ^ sims[i]).count("1")
                if d < best_d:
                    best, best_d = e, d
            if best is not None:
                result[i] = best.anchor
                del free[best.anchor]
        known = {e.anchor for e in self.entries}
        for i, block in enumerate(blocks):
            if result[i] is None:
                prefix = ANCHORED[block.kind]
                n = 6
                while f"{prefix}-{shas[i][:n]}" in known | taken:
                    n += 1
                result[i] = f"{prefix}-{shas[i][:n]}"
            taken.add(result[i])  # type: ignore[arg-type]
        for i, block in enumerate(blocks):
            block.anchor = result[i]  # type: ignore[assignment]
        # new ledger: every claimed anchor with its current fingerprint, then unclaimed ones as they were
        claimed = [AnchorEntry(b.anchor, b.kind, shas[i], sims[i]) for i, b in enumerate(blocks)]
        self.entries = claimed + [e for e in self.entries if e.anchor in free]
        return sorted(free)

    def changed(self) -> bool:
        return self.entries != self.original

    def text(self) -> str:
        """The ledger file's text."""
        lines = ["# anchor\tkind\tsha1 of folded text\tsimhash (written by digest build; do not edit)"]
        lines += [f"{e.anchor}\t{e.kind}\t{e.sha}\t{e.sim:016x}" for e in self.entries]
        return "\n".join(lines) + "\n"

    def pending(self) -> LedgerFile:
        """The ledger as it must be written once the build has succeeded: its text, not its entries
        (at 10,000 documents, hundreds of thousands of objects held all build long)."""
        return LedgerFile(self.path, self.text())

    def save(self, to: Path | None = None) -> None:
        """Write the ledger to its file (or to ``to``)."""
        self.pending().save(to)


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """A changed anchor ledger, as the text of its file."""

    path: Path
    text: str

    def save(self, to: Path | None = None) -> None:
        """Write it to its file (or to ``to``)."""
        path = to or self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text, encoding="utf-8")
