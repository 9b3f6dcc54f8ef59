"""Synthetic corpus for the scale benchmark: N seed files recombined from the real seeds.

Every generated seed is one article built on a *template*: one article of a real seed
(read, cleaned, split and structured by Digest itself, so the benchmark recombines what
Digest sees). A template keeps its header (site chrome, labelled metadata lines, kicker,
title, byline, photo captions), its trailer (chrome at the foot) and the *shape* of its
body. Each body chunk, meaning a paragraph with the captions, blank lines and page-break
fragments that belong to it, or a heading, is replaced by a chunk of the same kind drawn
from any seed. The raw lines are copied, so the messiness stays: chrome lines, captions,
stray spaces, ASCII quotes and commas, sentences split by a page break around a caption.

Per document the generator then varies
  - the title (a title or heading of the seeds, with places varied),
  - the date (header dates are replaced; years in the body shift with it),
  - the issuer and every place: street, district and community names are swapped for
    others of the same kind, drawn from the place entries of annotations/glossary.yaml
    (``category: place``; the kind is the administrative suffix of the term),
  - the figures: numbers are scaled by a random factor, keeping their digits after the point,
  - a little of the encoding: some files are GB18030 or have CRLF line ends.

Deterministic: document ``i`` depends only on (seed, i, the source seeds), so the first
100 documents of the 1,000-document corpus are the 100-document corpus.

    python benchmarks/corpus.py OUT_DIR -n 1000 [--seed 1] [--source .]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digest import config, pipeline, yamlio  # noqa: E402
from digest.rules import Vocabulary  # noqa: E402
from digest.split import is_lede_marker  # noqa: E402
from digest.text import is_prose  # noqa: E402

# Administrative suffixes: a place term ending in one of these is varied with the others
# of the same suffix. Longest first so that 街道 is not read as 道.
PLACE_SUFFIXES = ("街道", "社区", "区")
# Annotation files keyed by document id (they would not match the fresh ids) or written by
# the build (registry, anchor ledger): left out of a generated project.
# annotations about the real seeds' documents (by id) do not apply to a generated corpus
ID_KEYED = ("registry.yaml", "anchors", "documents", "translations", "notes", "summaries", "published.txt",
            "retired.yaml", "term-registry.yaml")
DATE_RANGE = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))
GB18030_SHARE = 0.08
CRLF_SHARE = 0.05


@dataclass
class Chunk:
    kind: str  # "para" | "heading" | "other" (byline, credit … kept in place)
    lines: list[str]  # raw lines: the chunk's first line, then what belongs to it up to the next one


@dataclass
class Template:
    name: str  # "<seed file>#<article>"
    header: list[str]
    title_idx: list[int]  # indexes in header of the title's line(s)
    title: str
    body: list[Chunk]
    trailer: list[str]
    kinds: dict[str, int] = field(default_factory=dict)  # item kinds counted over the article (for tests)


@dataclass
class Material:
    templates: list[Template]
    paras: list[Chunk]
    headings: list[Chunk]
    titles: list[str]
    places: dict[str, list[tuple[str, str]]]  # "level/suffix" → [(term, short form)]


@dataclass
class Generated:
    name: str
    text: str
    encoding: str
    template: str


# ----------------------------------------------------------------------------- analysis


def _places(annotations: Path) -> dict[str, list[tuple[str, str]]]:
    """Place terms of the glossary grouped by level and administrative suffix, with their short form
    (the alias that prefixes the term, else the term without its suffix). Groups of one are dropped."""
    path = annotations / "glossary.yaml"
    entries = (yamlio.load(path) or []) if path.exists() else []
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("category") != "place":
            continue
        term = str(entry.get("term", ""))
        suffix = next((s for s in PLACE_SUFFIXES if term.endswith(s) and len(term) - len(s) >= 2), None)
        if suffix is None:
            continue
        aliases = [str(a) for a in entry.get("aliases") or [] if len(str(a)) >= 2 and term.startswith(str(a))]
        short = aliases[0] if aliases else term[: -len(suffix)]
        groups.setdefault(f"{entry.get('level', '')}/{suffix}", []).append((term, short))
    return {s: sorted(v) for s, v in sorted(groups.items()) if len(v) >= 2}


def analyse(source_root: Path) -> Material:
    """Read the real seeds with Digest's own stages and cut them into templates and chunks."""
    settings = config.load(source_root)
    vocab = Vocabulary.load(
        settings.annotations / "cleaning.yaml", settings.heading_max, settings.caption_max
    )
    templates: list[Template] = []
    for path in pipeline.seed_files(settings):
        docs, _warnings = pipeline.read_seed(path, vocab, settings, keep_items=True)
        for doc in docs:
            t = _template(doc, settings.heading_max)
            if t is not None:
                templates.append(t)
    if not templates:
        raise SystemExit(f"no usable article in {settings.seeds}")
    paras = [c for t in templates for c in t.body if c.kind == "para"]
    headings = [c for t in templates for c in t.body if c.kind == "heading"]
    titles = sorted(
        {t.title for t in templates}
        | {c.lines[0].strip() for c in headings}
        | {clause for c in paras for clause in _clauses(c.lines[0])}
    )
    return Material(templates, paras, headings, titles, _places(settings.annotations))


_CLAUSE_END = re.compile(r"[，,。；;！？!?：:]")


def _clauses(text: str) -> list[str]:
    """Clauses of a paragraph that read like a headline (8 to 30 characters, no quote left open)."""
    out = []
    for part in _CLAUSE_END.split(text.strip()):
        part = part.strip()
        if 8 <= len(part) <= 30 and part.count("“") == part.count("”") and part.count('"') % 2 == 0:
            out.append(part)
    return out


def _template(doc, heading_max: int) -> Template | None:
    items = doc.items
    block_of = {b.lines[0]: b for b in doc.blocks}
    title_lines = {ln for b in doc.blocks if b.kind == "title" for ln in b.lines}
    first = next(
        (
            i
            for i, it in enumerate(items)
            if it.kind == "body"
            and it.line not in title_lines
            and block_of.get(it.line) is not None
            and block_of[it.line].kind in ("paragraph", "heading")
            and (is_prose(it.text, heading_max) or block_of[it.line].kind == "heading")
        ),
        None,
    )
    if first is None:
        return None
    last = max(i for i, it in enumerate(items) if it.kind == "body")
    # the body ends with the last body line and what follows it up to the first chrome line
    end = last + 1
    while end < len(items) and items[end].kind in ("blank", "caption", "credit"):
        end += 1
    header = [it.raw for it in items[:first]]
    title_idx = [i for i, it in enumerate(items[:first]) if it.line in title_lines]
    body: list[Chunk] = []
    for it in items[first:end]:
        if (it.kind in ("body", "byline", "credit") and it.reason != "rejoin") or not body:
            block = block_of.get(it.line)
            kind = {"paragraph": "para", "heading": "heading"}.get(block.kind if block else "", "other")
            if kind == "para" and is_lede_marker(it):
                kind = "other"  # a dateline lede would start a new article where it lands
            body.append(Chunk(kind, [it.raw]))
        else:
            body[-1].lines.append(it.raw)
    kinds: dict[str, int] = {}
    for it in items:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    title = next((b.text for b in doc.blocks if b.kind == "title"), "")
    if not title or not title_idx:
        return None
    return Template(
        f"{doc.source}#{doc.part}", header, title_idx, title, body, [it.raw for it in items[end:]], kinds
    )


# ----------------------------------------------------------------------------- variation

# a figure: not part of a code (GX04, 2025-00034), an ordinal (第3) or a date (2月4日, 10号线)
_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-/第])(\d+(?:\.\d+)?)(?![A-Za-z0-9.\-/年月日号期届])")
_BODY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
_ISO = re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)")
_CN_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")


class Variation:
    """The per-document choices: date, place mapping, figure scale."""

    def __init__(self, rng: random.Random, places: dict[str, list[tuple[str, str]]]) -> None:
        self.rng = rng
        span = (DATE_RANGE[1] - DATE_RANGE[0]).days
        self.date = DATE_RANGE[0] + dt.timedelta(days=rng.randrange(span + 1))
        mapping: dict[str, str] = {}
        for group in places.values():
            targets = list(group)
            rng.shuffle(targets)
            for (term, short), (t_term, t_short) in zip(group, targets, strict=True):
                mapping[term] = t_term
                if short != term:
                    mapping[short] = t_short
        self.mapping = mapping
        names = sorted(mapping, key=len, reverse=True)
        self.place_re = re.compile("|".join(map(re.escape, names))) if names else None

    def places(self, text: str) -> str:
        if self.place_re is None:
            return text
        return self.place_re.sub(lambda m: self.mapping[m.group(0)], text)

    def header_dates(self, text: str) -> str:
        d = self.date
        text = _ISO.sub(d.isoformat(), text)

        def cn(m: re.Match[str]) -> str:
            month = f"{d.month:02d}" if len(m.group(2)) == 2 else str(d.month)
            day = f"{d.day:02d}" if len(m.group(3)) == 2 else str(d.day)
            return f"{d.year}年{month}月{day}日"

        return _CN_DATE.sub(cn, text)

    def body_years(self, text: str, base_year: int) -> str:
        shift = self.date.year - base_year
        return _BODY_YEAR.sub(lambda m: str(min(self.date.year, int(m.group(1)) + shift)), text)

    def figures(self, text: str) -> str:
        def scale(m: re.Match[str]) -> str:
            s = m.group(1)
            if len(s) == 4 and s[:2] in ("19", "20") and "." not in s:
                return s  # a year without 年
            factor = self.rng.uniform(0.6, 1.6)
            if "." in s:
                places = len(s.split(".")[1])
                return f"{float(s) * factor:.{places}f}"
            return str(max(1, round(int(s) * factor)))

        return _NUMBER.sub(scale, text)


def _base_year(lines: list[str]) -> int:
    years = [int(y) for line in lines for y in _BODY_YEAR.findall(line)]
    return max(years) if years else DATE_RANGE[1].year


def _replace_title_line(raw: str, new: str) -> str:
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    return lead + new + trail


def generate_one(material: Material, i: int, seed: int, used_titles: set[str] | None = None) -> Generated:
    rng = random.Random(f"digest-bench:{seed}:{i}")
    t = material.templates[i % len(material.templates)]
    var = Variation(rng, material.places)
    title = ""
    for _attempt in range(8):
        title = var.places(rng.choice(material.titles))
        if rng.random() < 0.5 and not _BODY_YEAR.search(title):
            title = f"{var.date.year}年{title}"
        if used_titles is None or title not in used_titles:
            break
    if used_titles is not None:
        used_titles.add(title)
    hole = "\ue000"  # the title's place while the header lines are varied (PUA, never in a seed)
    inline = any(t.title in t.header[k] for k in t.title_idx)
    out: list[str] = []
    for n, raw in enumerate(t.header):
        if inline:
            line = raw.replace(t.title, hole)
        elif n == t.title_idx[0]:
            line = _replace_title_line(raw, hole)
        elif n in t.title_idx:
            continue  # a title on several lines becomes one
        else:
            line = raw
        out.append(var.places(var.header_dates(line)).replace(hole, title))
    for chunk in t.body:
        if chunk.kind == "para":
            lines = rng.choice(material.paras).lines
        elif chunk.kind == "heading":
            lines = rng.choice(material.headings).lines
        else:
            lines = chunk.lines
        if lines[-1].strip():
            lines = [*lines, ""]  # the last chunk of a seed may end without a blank line
        base = _base_year(lines)
        out.extend(var.figures(var.places(var.body_years(line, base))) for line in lines)
    out.extend(var.places(line) for line in t.trailer)
    newline = "\r\n" if rng.random() < CRLF_SHARE else "\n"
    encoding = "gb18030" if rng.random() < GB18030_SHARE else "utf-8"
    text = newline.join(out).rstrip("\r\n") + newline
    slug = f"{rng.getrandbits(64):016x}"
    return Generated(f"{i:05d}_{slug}.txt", text, encoding, t.name)


def generate(material: Material, n: int, seed: int = 1) -> Iterator[Generated]:
    used: set[str] = set()
    for i in range(n):
        yield generate_one(material, i, seed, used)


# ----------------------------------------------------------------------------- project


def write_project(
    dest: Path, n: int, seed: int = 1, source: Path = ROOT, material: Material | None = None
) -> Path:
    """A buildable project: seeds/ with ``n`` generated files, mkdocs.yml, overrides/, annotations/."""
    material = material or analyse(source)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "seeds").mkdir(parents=True)
    for name in ("mkdocs.yml", "digest.yml"):
        if (source / name).exists():
            shutil.copy2(source / name, dest / name)
    if (source / "overrides").is_dir():
        shutil.copytree(source / "overrides", dest / "overrides")
    shutil.copytree(
        source / "annotations",
        dest / "annotations",
        ignore=lambda d, names: [x for x in names if Path(d) == source / "annotations" and x in ID_KEYED],
    )
    for doc in generate(material, n, seed):
        (dest / "seeds" / doc.name).write_bytes(doc.text.encode(doc.encoding))
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="project folder to create (replaced if it exists)")
    parser.add_argument("-n", type=int, default=100, help="number of documents (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--source", type=Path, default=ROOT, help="project whose seeds are recombined")
    args = parser.parse_args(argv)
    write_project(args.out.resolve(), args.n, args.seed, args.source.resolve())
    print(f"{args.n} documents written to {args.out / 'seeds'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
