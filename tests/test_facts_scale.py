"""Key facts at scale: the facts pages stay bounded however many documents there are, and the fast
paths of the extractor find exactly what their plain definitions find."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import config, pipeline
from digest.facts import export, numerals, pages
from digest.facts.model import Fact
from digest.facts.rules import period, quantity, rank
from digest.facts.state import CLAUSE_END, SENTENCE_END, BlockState, DocContext, Env
from digest.facts.units import RE_UNIT
from digest.facts.vocabulary import (
    _AREA_NOUN_END,
    _NOT_AFTER_AREA,
    _SUFFIX_LEVEL,
    Gazetteer,
    MetricVocabulary,
    Place,
    _is_name_char,
    matchable,
)
from digest.model import Block, Document, Meta
from tests.conftest import ROOT, copy_project

ENV = Env(
    MetricVocabulary.load(ROOT / "annotations" / "metrics.yaml"),
    Gazetteer.load(ROOT / "annotations" / "glossary.yaml"),
)

# ── the facts pages at scale ─────────────────────────────────────────────────

PAGE_LIMIT = 400_000  # bytes of Markdown and raw HTML for one page (500 table rows are about 340 KB)


def synthetic(n_facts: int, seed: int = 7) -> tuple[list[Fact], dict[str, Document]]:
    """``n_facts`` facts spread over documents (40 each), years, subjects and listed or unlisted metrics."""
    rng = random.Random(seed)
    metrics = ENV.metrics.metrics
    docs: dict[str, Document] = {}
    facts: list[Fact] = []
    for i in range(n_facts):
        doc_id = f"doc-{i // 40:05d}"
        if doc_id not in docs:
            docs[doc_id] = Document(f"{doc_id}.txt", 1, 1, [], meta=Meta(title=f"报告{i // 40}", date="2024-05-01"),
                                    id=doc_id)
        metric = rng.choice(metrics) if rng.random() < 0.4 else None
        value = Decimal(rng.randint(1, 10**6))
        facts.append(Fact(
            id=f"f-{i:012x}", doc=doc_id, anchor=f"p-{i % 40:06x}", sentence=f"全年完成{value}个项目。",
            start=4, end=6, text=f"{value}个", value=value, unit="count", kind=rng.choice(["count", "amount"]),
            metric=metric.name if metric else f"项目{i % 300}", metric_en=metric.english if metric else "",
            metric_slug=metric.slug if metric else "", metric_known=metric is not None,
            subject=rng.choice(["平湖街道", "观湖街道", "南坑社区", ""]),
            period=rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025, None]), planned=rng.random() < 0.1,
            display=f"{value}",
        ))
    return facts, docs


def site_pages(facts: list[Fact], docs: dict[str, Document]) -> dict[str, str]:
    """Every facts page as the generator writes it (path → Markdown with its raw HTML)."""
    metrics = ENV.metrics.metrics
    tables = pages.table_pages(facts, pages.TABLE_ROWS) if len(facts) > pages.TABLE_ROWS else []
    out = {"facts/index.md": pages.index_page(facts, docs, metrics, tables)}
    out.update({f"facts/table/{t.name}.md": pages.table_page(t, tables, docs, metrics) for t in tables})
    for m in metrics:
        mine = [f for f in facts if f.metric_slug == m.slug]
        if mine:
            out[f"facts/{m.slug}.md"] = pages.indicator_page(m, mine, docs)
    return out


def test_facts_pages_stay_bounded_and_hold_every_fact_once() -> None:
    """With 20,000 facts no facts page exceeds the limit, every fact is a row of exactly one table page
    (and of none of the other pages), and each table page carries the filter."""
    facts, docs = synthetic(20_000)
    out = site_pages(facts, docs)
    largest = max(out, key=lambda k: len(out[k].encode()))
    assert len(out[largest].encode()) < PAGE_LIMIT, largest
    rows = re.compile(r'<tr data-subject="[^"]*" data-metric="[^"]*" data-year="[^"]*" data-kind="\w+" '
                      r'data-status="\w+"><td lang="zh"><a href="[^"]*">[^<]*</a></td>.*?#(f-[0-9a-f]{12})"')
    seen: dict[str, int] = {}
    tables = [k for k in out if k.startswith("facts/table/")]
    assert len(tables) >= 20_000 // pages.TABLE_ROWS
    for path in tables:
        assert 'class="dg-facts-filter"' in out[path] and f'id="{pages.TABLE_ID}"' in out[path]
        for fid in rows.findall(out[path]):
            seen[fid] = seen.get(fid, 0) + 1
    assert seen == {f.id: 1 for f in facts}
    assert not any(rows.search(out[k]) for k in out if not k.startswith("facts/table/"))


def test_facts_page_size_does_not_grow_with_the_corpus() -> None:
    """The facts page of a large site summarises: ten times the facts (same metrics and years) make it
    barely larger, while the indicator pages keep to their row limit."""
    small = site_pages(*synthetic(2_000))
    large = site_pages(*synthetic(20_000))
    assert len(large["facts/index.md"]) < 1.2 * len(small["facts/index.md"])
    for path, text in large.items():
        if not path.startswith(("facts/table/", "facts/index")):
            assert text.count("<tr><td") <= pages.INDICATOR_ROWS, path


def test_summary_links_lead_to_the_pages_holding_each_metric() -> None:
    """Each count of the facts page's summary links to the table page where that metric's figures of
    that year start, and the counts add up to every fact."""
    facts, docs = synthetic(5_000)
    out = site_pages(facts, docs)
    index = out["facts/index.md"]
    cells = re.findall(r'<a href="table/([\w-]+)\.html\?metric=([\w-]+)">(\d+)</a>', index)
    assert sum(int(n) for _, _, n in cells) == len(facts)
    for name, slug, _ in cells:
        assert f'data-metric="{slug}"' in out[f"facts/table/{name}.md"], (name, slug)


def test_a_small_site_keeps_one_filterable_table() -> None:
    """Up to TABLE_ROWS facts, the facts page itself holds the whole table and there are no table pages."""
    facts, docs = synthetic(pages.TABLE_ROWS)
    out = site_pages(facts, docs)
    assert not any(k.startswith("facts/table/") for k in out)
    assert out["facts/index.md"].count('<tr data-subject="') == len(facts)


def test_the_exports_are_written_as_they_are_made(tmp_path: Path) -> None:
    """The facts generator streams facts.csv and facts.json: with 20,000 facts, the most memory it holds
    at once is a small fraction of the two files' text (at 10,000 documents they are a quarter gigabyte)."""
    import tracemalloc

    from digest.facts import stage
    from digest.stages import Context, Writer

    facts, docs = synthetic(20_000)
    ctx = Context(config.load(ROOT))
    ctx.data.update(facts=facts, facts_metrics=ENV.metrics)
    writer = Writer(tmp_path)
    tracemalloc.start()
    try:
        stage.generate(list(docs.values()), ctx, writer)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    exports = sum((tmp_path / "facts" / name).stat().st_size for name in ("facts.csv", "facts.json"))
    assert exports > 5_000_000
    assert peak < exports / 4, (peak, exports)


# ── the fast paths find what their plain definitions find ────────────────────

TEXT = st.text(alphabet="0123456789.,%％-～至万亿千百十一二两三〇余多元个家名次成倍上近约数超逾年今去全现有目前"
                        "第首强前度批之位榜居进入区市街道社平湖新村的大城“”《》,，。;；:！? ０１５　",
               max_size=40)


def fold_per_character(text: str) -> str:
    """matchable() as first written: each character NFKC-folded when that keeps it one character."""
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        out.append(n if len(n) == 1 else c)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_matchable_folds_each_character(text: str) -> None:
    """The translate table with its fast path folds exactly as folding character by character."""
    assert matchable(text) == fold_per_character(text)


ARABIC_PLAIN = re.compile(
    rf"(?<![0-9.])(?<![0-9],)(?P<num>{numerals.RE_ARABIC})(?P<u1>%|％)?(?:(?P<sep>[{quantity.RANGE_SEP}])"
    rf"(?P<num2>{numerals.RE_ARABIC}))?(?P<scale>{numerals.RE_SCALE})?(?P<approx>余|多)?(?P<scale2>万|亿)?"
    rf"(?P<unit>{RE_UNIT})?"
)
CHINESE_PLAIN = re.compile(
    rf"(?P<pre>上|近|约|数|超|逾)?(?P<num>{numerals.RE_CN})(?P<approx>余|多)?(?P<unit>{quantity.CN_UNITS})"
)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_scanner_patterns_find_what_the_plain_patterns_find(text: str) -> None:
    """The digit-first Arabic pattern, the numeral-first Chinese one (with its 上/近/… put back) and the
    three period-marker parts find the same matches as the patterns written plainly."""
    text = matchable(text)
    assert [(m.span(), m.groups()) for m in quantity.ARABIC.finditer(text)] == [
        (m.span(), m.groups()) for m in ARABIC_PLAIN.finditer(text)
    ]
    fast = [(pre, m.start("num"), m.end(), m.group("num"), m.group("unit")) for pre, m in quantity.chinese(text)]
    plain = [(m.group("pre") or "", m.start("num"), m.end(), m.group("num"), m.group("unit"))
             for m in CHINESE_PLAIN.finditer(text)]
    assert fast == plain
    assert [(m.span(), m.lastgroup) for m in period.markers(text)] == [
        (m.span(), m.lastgroup) for m in period.MARKER.finditer(text)
    ]


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_rank_hints_never_hide_a_rank(text: str) -> None:
    """A paragraph that any rank pattern matches also matches that pattern's hint and the joint hint."""
    text = matchable(text)
    any_hint, patterns = rank._patterns(ENV.places.surfaces())
    for _, hint, pattern in patterns:
        if pattern.search(text):
            assert hint.search(text) and any_hint.search(text)


def mentions_plain(gaz: Gazetteer, text: str) -> list[tuple[int, int, Place]]:
    """Gazetteer.mentions as first written: every suffix found, then those without a name skipped."""
    found: list[tuple[int, int, Place]] = []
    pattern = gaz.pattern()
    if pattern is not None:
        found = [(m.start(), m.end(), gaz.places[m.group()]) for m in pattern.finditer(text)]
    for m in re.finditer(r"街道|社区|区|市", text):
        suffix = m.group()
        longest = 3 if len(suffix) == 2 else 2
        start = m.start()
        while start > 0 and m.start() - start < longest and _is_name_char(text[start - 1]):
            start -= 1
        nxt = text[m.end()] if m.end() < len(text) else ""
        if m.start() - start < 2 or (
            len(suffix) == 1 and (nxt in _NOT_AFTER_AREA or text[m.start() - 1] in _AREA_NOUN_END)
        ):
            continue
        if any(s < m.end() and start < e and not (p.body and s >= m.start()) for s, e, p in found):
            continue
        found = [f for f in found if not (f[0] >= m.start() and f[1] <= m.end())]
        found.append((start, m.end(), Place(text[start : m.end()], "", _SUFFIX_LEVEL[suffix])))
    return sorted(found, key=lambda t: t[0])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="街道社区市区平湖观新村龙华南坑大城全辖的一二“”，。ab1", max_size=30))
def test_place_mentions_match_the_plain_suffix_rule(text: str) -> None:
    """Checking for a name before each suffix inside the pattern finds the same places as the plain loop."""
    assert ENV.places.mentions(text) == mentions_plain(ENV.places, text)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_sentences_and_clauses_are_found_as_defined(text: str) -> None:
    """The bisected sentence and clause bounds equal the character-by-character definitions."""
    text = matchable(text)
    state = BlockState(Block("paragraph", text, []), ENV, DocContext(Document("", 0, 0, [])))
    for pos in range(len(text) + 1):
        start = max((text.rfind(c, 0, pos) for c in SENTENCE_END), default=-1) + 1
        ends = [i for i in (text.find(c, pos) for c in SENTENCE_END) if i != -1]
        end = min(ends) + 1 if ends else len(text)
        while end < len(text) and text[end] in "”」』》":
            end += 1
        assert state.sentence(pos) == (start, end)
        before = [i for i in range(pos) if text[i] in CLAUSE_END and not state.inside_quote(i)]
        after = [i for i in range(pos, len(text)) if text[i] in CLAUSE_END and not state.inside_quote(i)]
        assert state.clause_start(pos) == (before[-1] + 1 if before else 0)
        assert state.clause_end(pos) == (after[0] if after else len(text))


def test_facts_json_has_one_fact_per_line() -> None:
    """facts.json parses to the documented records, one fact per line and no indent per field."""
    facts, _ = synthetic(50)
    text = export.to_json(facts)
    data = json.loads(text)
    assert data["count"] == len(data["facts"]) == 50
    assert data["facts"] == [export.record(f) for f in facts]
    lines = text.splitlines()
    assert len(lines) == 52 and all(json.loads(line.rstrip(",")) for line in lines[1:-1])


def test_table_pages_that_are_no_longer_filled_stay_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the facts table needs fewer pages than an earlier build published, the build still passes
    (published URLs never disappear) and each page it no longer fills points to its year's figures."""
    root = copy_project(tmp_path)
    monkeypatch.setattr(pages, "TABLE_ROWS", 40)
    pipeline.build(config.load(root))
    before = {p.name for p in (root / "site" / "facts" / "table").glob("*.html")}
    monkeypatch.setattr(pages, "TABLE_ROWS", 100)
    pipeline.build(config.load(root), force=True)  # a patched constant is not an input the build stamp sees
    after = {p.name for p in (root / "site" / "facts" / "table").glob("*.html")}
    assert before <= after and "2024-5.html" in before
    moved = (root / "content" / "facts" / "table" / "2024-5.chunks.json").read_text(encoding="utf-8")
    assert "no longer needed" in moved and 'href=\\"2024.html\\"' in moved
