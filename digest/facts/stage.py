"""The facts stages: the enricher (figures marked in the text, a Key facts section on each page)
and the generator (facts page, indicator pages, exports). Registered in digest/stages.py."""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from digest import cache, parallel
from digest.facts import export, pages
from digest.facts.extract import extract
from digest.facts.model import Fact
from digest.facts.state import Env
from digest.facts.vocabulary import Gazetteer, MetricVocabulary
from digest.memory import quiet_gc
from digest.model import Block, Document, Mark, Section
from digest.publish import recorded

if TYPE_CHECKING:  # digest.stages imports this module to register it
    from digest.stages import Context, Writer

SECTION_ID = "key-facts"
SECTION_TITLE = "Key facts 关键数据"


def load_env(ctx: Context) -> Env:
    annotations = ctx.settings.annotations
    return Env(
        MetricVocabulary.load(annotations / "metrics.yaml"), Gazetteer.load(annotations / "glossary.yaml")
    )


def enrich(docs: list[Document], ctx: Context) -> None:
    """Extract every document's facts, mark each figure in its paragraph and add the Key facts section."""
    env = load_env(ctx)
    annotations = ctx.settings.annotations
    memo = cache.stage_memo(ctx, "facts", *(p.read_bytes() if p.is_file() else b"-"
                                           for p in (annotations / "metrics.yaml", annotations / "glossary.yaml")))
    everything: list[Fact] = []
    # Extraction makes many small objects and no reference cycles (refcounting frees them), while the
    # cyclic collector would rescan the whole corpus each time they trigger it: a sixth of the time.
    with quiet_gc():
        _enrich(docs, env, everything, memo, ctx.data.get("doc_keys"), parallel.workers(ctx.settings))
    memo.close()
    ctx.data["facts"] = everything
    ctx.data["facts_metrics"] = env.metrics


def _enrich(docs: list[Document], env: Env, everything: list[Fact], memo: cache.Memo | None = None,
            keys: dict[str, str] | None = None, workers: int = 1) -> None:
    keys = keys or {}

    def extract_one(n: int) -> list[Fact]:
        return extract(docs[n], env)

    found: Iterable[list[Fact]]
    if memo is None:
        found = map(extract_one, range(len(docs)))
    else:  # facts depend on the document and on env's annotations only
        found = memo.get_each([keys.get(doc.id) for doc in docs], extract_one, workers)
    for doc, facts in zip(docs, found, strict=True):
        by_anchor = {b.anchor: b for b in doc.blocks if b.anchor}
        for f in facts:
            block = by_anchor[f.anchor]
            _share(f, doc, block)
            block.marks.append(Mark(f.start, f.end, "fact", FactMarkData(f)))
        if facts:
            doc.sections.append(Section(SECTION_ID, SECTION_TITLE, "", order=20,  # facts: the document's own
                                        make=functools.partial(pages.doc_section, facts), own=True))
        everything.extend(facts)


class FactMarkData(Mapping[str, str]):
    """A figure mark's data, made from its fact when read: the opening tag is built when the page is
    rendered instead of being held, one string per figure, for the whole build (a fifth of a
    gigabyte at 10,000 documents)."""

    __slots__ = ("fact",)
    KEYS = ("id", "open", "close")

    def __init__(self, fact: Fact) -> None:
        self.fact = fact

    def __getitem__(self, key: str) -> str:
        if key == "id":
            return self.fact.id
        if key == "open":
            return pages.mark_open(self.fact)
        if key == "close":
            return "</span>"
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


def _share(f: Fact, doc: Document, block: Block) -> None:
    """One string object for the values many facts repeat (the memo unpickles a copy per document)."""
    f.doc, f.anchor = doc.id, block.anchor
    f.unit, f.kind = sys.intern(f.unit), sys.intern(f.kind)
    f.metric, f.metric_en, f.metric_slug = sys.intern(f.metric), sys.intern(f.metric_en), sys.intern(f.metric_slug)
    f.subject, f.subject_en = sys.intern(f.subject), sys.intern(f.subject_en)


def _table_key(table: pages.TablePage, years: str, base: str, doc_keys: dict[str, str]) -> str:
    """What a page of the facts table is made from: its figures, in order (a figure is its document as read,
    under the annotations every page reads, and its id there), its place among the pages, and the years
    list every table page shows. "" (never kept) when a document's key is unknown."""
    if not base or any(f.doc not in doc_keys for f in table.facts):
        return ""
    return cache.digest_of("facts table", base, table.name, str(table.number), str(table.pages), years,
                           *(f"{doc_keys[f.doc]} {f.id}" for f in table.facts))


TABLE_URL = re.compile(r"facts/table/([0-9a-z]+(?:-[0-9]+)?)\.html")


def _published_tables(ctx: Context) -> set[str]:
    """Names of the table pages that earlier builds published (annotations/published.txt)."""
    return {m.group(1) for url in recorded(ctx.settings.annotations) if (m := TABLE_URL.fullmatch(url))}


def generate(docs: list[Document], ctx: Context, writer: Writer) -> None:
    """Write facts/index.md, facts/<metric>.md, facts/schema.md and the exports."""
    facts: list[Fact] = ctx.data.get("facts", [])
    metrics: MetricVocabulary = ctx.data.get("facts_metrics") or MetricVocabulary()
    by_id = {d.id: d for d in docs}
    order = {
        d.id: i for i, d in enumerate(sorted(docs, key=lambda d: (d.meta.date or "0000", d.id), reverse=True))
    }
    position = {(d.id, b.anchor): i for d in docs for i, b in enumerate(d.blocks) if b.anchor}
    facts = sorted(facts, key=lambda f: (order[f.doc], position.get((f.doc, f.anchor), 0), f.start))
    # the table of all figures: on the facts page itself while it is small, else on pages of a year each
    tables = pages.table_pages(facts, pages.TABLE_ROWS) if len(facts) > pages.TABLE_ROWS else []
    writer.text("facts/index.md", pages.index_page(facts, by_id, metrics.metrics, tables))
    from digest import render

    inputs = render.key_inputs(ctx)
    base, doc_keys = (inputs.base, inputs.doc_keys) if inputs else ("", {})
    years = pages.years_summary(tables)
    for table in tables:
        rel = f"facts/table/{table.name}.md"
        key = _table_key(table, years, base, doc_keys)
        if not writer.keep(rel, key):
            writer.text(rel, pages.table_page(table, tables, by_id, metrics.metrics), key)
    for name in sorted(_published_tables(ctx) - {t.name for t in tables}):
        writer.text(f"facts/table/{name}.md", pages.moved_table_page(name, tables))
    by_metric: dict[str, list[Fact]] = {}
    for f in facts:
        if f.metric_slug:
            by_metric.setdefault(f.metric_slug, []).append(f)
    for metric in metrics.metrics:
        if metric.slug in by_metric:
            writer.text(f"facts/{metric.slug}.md", pages.indicator_page(metric, by_metric[metric.slug], by_id))
    writer.text("facts/schema.md", pages.schema_page())
    # the exports in one piece per document: a document's rows depend on its facts alone, which depend on
    # the document as read and the annotations every page reads (render.key_inputs)
    groups = ((cache.digest_of("facts rows", base, doc_keys[doc]) if doc in doc_keys else "", list(rows))
              for doc, rows in itertools.groupby(facts, key=lambda f: f.doc))
    with writer.in_pieces("facts/facts.csv") as csv_out, writer.in_pieces("facts/facts.json") as json_out:
        export.write_pieces(groups, len(facts), csv_out, json_out)
    writer.text("facts/facts.schema.json", export.json_schema())
    ctx.nav.append(("Key facts 关键数据", "facts/index.md"))

