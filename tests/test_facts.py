"""Key facts: numerals, the metric vocabulary, presentation, stable ids, the built pages and exports."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from digest import config, pipeline
from digest.exceptions import AnnotationError
from digest.facts import export, pages, present
from digest.facts.chart import Bar, bar_chart
from digest.facts.extract import extract
from digest.facts.model import FIELDS, KINDS, Fact
from digest.facts.numerals import parse, parse_chinese, plain
from digest.facts.state import Env
from digest.facts.units import UNIT_NAMES
from digest.facts.vocabulary import Gazetteer, MetricVocabulary
from digest.model import Block, Document, Meta
from digest.text import fold
from tests.conftest import ROOT, SEEDS, copy_project

ENV = Env(
    MetricVocabulary.load(ROOT / "annotations" / "metrics.yaml"),
    Gazetteer.load(ROOT / "annotations" / "glossary.yaml"),
)


def doc_of(*paragraphs: str, date: str = "2025-01-16", title: str = "平湖报道") -> Document:
    blocks = [Block("paragraph", p, [], anchor=f"p-{i:06x}") for i, p in enumerate(paragraphs)]
    return Document("x.txt", 1, 1, [], blocks=blocks, meta=Meta(title=title, date=date), id="test-doc")


# ── numbers ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两百五十", 250),
        ("一万二千", 12000),
        ("三千五百", 3500),
        ("二〇二五", 2025),
        ("百", 100),
        ("千", 1000),
        ("一亿二千万", 120000000),
    ],
)
def test_chinese_numerals(written: str, value: int) -> None:
    """Chinese numerals are read as their integer value, digit-by-digit years included."""
    assert parse_chinese(written) == value


def test_scaling_is_exact() -> None:
    """亿 and 万 scale with exact decimals: 509.44亿 is 50944000000, not a float approximation."""
    assert parse("509.44", "亿") == Decimal("50944000000")
    assert plain(parse("57.6", "万")) == "576000"
    assert plain(parse("1.9", "万")) == "19000"


@pytest.mark.parametrize(
    ("value", "unit", "quals", "english"),
    [
        ("50944000000", "CNY", [], "50.944 billion yuan"),
        ("29700000000", "CNY", ["超"], "over 29.7 billion yuan"),
        ("4380000", "CNY", ["余"], "more than 4.38 million yuan"),
        ("576000", "m2", [], "576,000 m²"),
        ("6.28", "percent", ["同比增长"], "up 6.28% year on year"),
        ("11.6", "percent", ["同比下降"], "down 11.6% year on year"),
        ("19000", "count", ["余"], "19,000+"),
        ("3", "times", ["近", "增长"], "up nearly 3 times"),
    ],
)
def test_english_presentation(value: str, unit: str, quals: list[str], english: str) -> None:
    """Normalised values read naturally in English, with their qualifiers."""
    f = Fact("f-0", "d", "p", "", 0, 1, "x", Decimal(value), unit, "amount", qualifiers=quals)
    assert present.value(f) == english


# ── extraction on documents ──────────────────────────────────────────────────


def test_fact_records_are_complete() -> None:
    """A fact carries document, anchor, sentence, span, metric (as written and English), value, unit,
    qualifiers, period, kind, subject and planned flag."""
    doc = doc_of(
        "肩负使命的平湖交出答卷:全年完成规上工业总产值509.44亿元,同比增长6.28%;完成固定资产投资超297亿元。"
    )
    f = extract(doc, ENV)[0]
    assert (f.doc, f.anchor, f.text) == ("test-doc", "p-000000", "509.44亿元")
    assert doc.blocks[0].text[f.start : f.end] == f.text
    assert f.sentence.endswith("完成固定资产投资超297亿元。") and f.text in f.sentence
    assert (f.value, f.unit, f.kind, f.period, f.planned) == (
        Decimal(50944000000),
        "CNY",
        "amount",
        2024,
        False,
    )
    assert (f.metric, f.metric_known, f.metric_slug) == (
        "规上工业总产值",
        True,
        "industrial-output-above-designated-size",
    )
    assert f.metric_en.startswith("gross output value") and f.subject == "平湖街道" and f.subject_en
    assert f.display == "50.944 billion yuan"


def test_unknown_metrics_are_extracted_and_flagged() -> None:
    """A figure whose metric is not in the vocabulary is still a fact, flagged unknown."""
    f = extract(doc_of("全年新增长者饭堂12家。"), ENV)[0]
    assert (f.text, f.metric_known, f.metric_en, f.metric_slug) == ("12家", False, "", "")
    assert f.metric == "新增长者饭堂"


def test_fact_ids_are_stable_and_unique() -> None:
    """Ids depend on document, anchor, figure and occurrence only: adding a paragraph before moves none,
    and the same figure twice in a paragraph gets two ids."""
    text = "新增“小巨人”企业3家;新增省级制造业单项冠军示范企业3家。"
    first = extract(doc_of(text), ENV)
    doc = doc_of("完成区级民生实事12项。", text)
    doc.blocks[1].anchor = "p-000000"
    doc.blocks[0].anchor = "p-ffffff"
    second = [f for f in extract(doc, ENV) if f.anchor == "p-000000"]
    assert [f.id for f in first] == [f.id for f in second]
    assert len({f.id for f in first}) == 2 and all(re.fullmatch(r"f-[0-9a-f]{12}", f.id) for f in first)


# ── the vocabulary ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("- metric: 规上工业总产值\n", 1, "needs an 'english' name"),
        ("- metric: 甲\n  english: a\n- metric: 乙\n  english: b\n  aliases: [甲]\n", 3, "listed twice"),
        ("- metric: 甲\n  english: a\n  colour: red\n", 1, "unknown key 'colour'"),
        ("- metric: 甲\n  english: a\n  slug: Not A Slug\n", 1, "slug 'Not A Slug'"),
        (
            "- metric: 甲\n  english: same\n- metric: 乙\n  english: same\n",
            3,
            "already used by the entry on line 1",
        ),
        ("- metric: 甲\n  english: a\n  unit: furlongs\n", 1, "unit 'furlongs'"),
        ("- metric: 甲\n  english: a\n  aliases: 乙\n", 1, "must be a list"),
        ("metric: 甲\n", 1, "must be a list of metric entries"),
        ("- metric: 甲\n  english: a\n- metric: [乙\n", 4, "not valid YAML"),
    ],
)
def test_vocabulary_errors_name_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    """A malformed metrics.yaml raises AnnotationError naming the file, the line and the problem."""
    path = tmp_path / "metrics.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        MetricVocabulary.load(path)
    assert f"{path}:{line}" in str(err.value) and message in str(err.value)


def test_vocabulary_entries_are_used() -> None:
    """Every curated metric or alias occurs in a seed or is the metric of an extracted figure."""
    seeds = fold("".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.iterdir())))
    report = pipeline.analyse(config.load(ROOT))
    written = {f.metric for d in report.documents for f in extract(d, ENV)}
    unused = [
        s
        for m in ENV.metrics.metrics
        for s in (m.name, *m.aliases)
        if fold(s) not in seeds and s not in written
    ]
    assert unused == []
    assert len(ENV.metrics.metrics) >= 40


def test_a_broken_vocabulary_stops_the_build(tmp_path: Path) -> None:
    """The build fails with the file and line of a bad metrics.yaml entry (no traceback-only crash)."""
    root = copy_project(tmp_path, [SEEDS / "001_7112ccc26b82181a.txt"])
    (root / "annotations" / "metrics.yaml").write_text(
        "- metric: 土地整备\n  english: ''\n", encoding="utf-8"
    )
    with pytest.raises(AnnotationError, match=r"metrics\.yaml:1"):
        pipeline.analyse(config.load(root))


# ── presentation ─────────────────────────────────────────────────────────────


def test_seed_text_is_escaped_in_every_output() -> None:
    """Markup in a seed never reaches a page or an export as markup."""
    doc = doc_of("新增<b onclick=x>企业</b>{{x}}12家,=SUM(A1)完成率达100%。")
    facts = extract(doc, ENV)
    assert facts
    html = (
        pages.doc_section(facts)
        + "".join(pages.mark_open(f) for f in facts)
        + pages.index_page(facts, {doc.id: doc}, ENV.metrics.metrics)
    )
    assert "<b onclick" not in html and "{{" not in html and "&lt;b onclick=x&gt;" in html
    rows = list(csv.reader(io.StringIO(export.to_csv(facts))))
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_chart_is_deterministic_and_escaped() -> None:
    """The SVG chart is the same text for the same data, bars scale with the values, labels are escaped."""
    bars = [
        Bar("平湖街道 · 2024", Decimal(50944000000), "50.944 billion yuan", "../docs/a.html#f-1"),
        Bar("<观湖> · 2024", Decimal(55360000000), "55.36 billion yuan"),
    ]
    svg = bar_chart("Output & more", bars)
    assert svg == bar_chart("Output & more", bars)
    assert svg.startswith("<svg") and "&lt;观湖&gt;" in svg and "Output &amp; more" in svg
    widths = [Decimal(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] < widths[1] and len(widths) == 2


# ── the built site ───────────────────────────────────────────────────────────


def _facts_json(root: Path) -> dict:
    return json.loads((root / "site" / "facts" / "facts.json").read_text(encoding="utf-8"))


def test_document_pages_have_key_facts_linked_to_figures(built: tuple[Path, pipeline.Report]) -> None:
    """Each document page with figures has a Key facts table whose rows link to a highlighted figure and
    to its paragraph, both present on the page."""
    root, _ = built
    data = _facts_json(root)
    for doc_id in sorted({f["doc"] for f in data["facts"]}):
        page = (root / "site" / "docs" / f"{doc_id}.html").read_text(encoding="utf-8")
        assert 'id="key-facts"' in page
        section = page[page.index('id="key-facts"') :]
        ids = set(re.findall(r'id="([^"]+)"', page))
        figure_links = re.findall(r'href="#(f-[0-9a-f]{12})"', section)
        paragraph_links = re.findall(r'href="#([pc]-[0-9a-f]+)"', section)
        mine = [f for f in data["facts"] if f["doc"] == doc_id]
        assert sorted(figure_links) == sorted(f["id"] for f in mine)
        assert set(figure_links) <= ids and set(paragraph_links) <= ids
        for f in mine:  # the figure's visible text (a glossary link may sit inside the highlight)
            m = re.search(rf'<span class="dg-fact[^"]*" id="{f["id"]}"[^>]*>(.*?)</span>', page, re.S)
            assert m and re.sub(r"<[^>]+>", "", m.group(1)) == f["text"]


def test_facts_page_filters_offline(built: tuple[Path, pipeline.Report]) -> None:
    """The facts page lists every fact with filter data and loads only the local facts.js."""
    root, _ = built
    page = (root / "site" / "facts" / "index.html").read_text(encoding="utf-8")
    data = _facts_json(root)
    rows = re.findall(
        r'<tr data-subject="[^"]*" data-metric="[^"]*" data-year="[^"]*" data-kind="(\w+)" '
        r'data-status="(result|target)"',
        page,
    )
    assert len(rows) == data["count"] == len(data["facts"]) > 200
    for name in ("subject", "metric", "year", "kind", "status"):
        assert f'<select name="{name}" data-filter="{name}">' in page
    assert '<option value="平湖街道">' in page and '<option value="2024">' in page
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert "../assets/facts.js" in scripts
    assert (root / "site" / "assets" / "facts.js").exists()
    assert not [s for s in scripts if "facts" in s and s.startswith(("http:", "https:", "//"))]
    assert "Key facts" in (root / "site" / "index.html").read_text(encoding="utf-8")  # in the navigation


def test_indicator_pages_compare_subjects_with_a_chart(built: tuple[Path, pipeline.Report]) -> None:
    """A metric reported by two subdistricts gets an indicator page with a build-time SVG chart of both."""
    root, _ = built
    page = (root / "site" / "facts" / "industrial-output-above-designated-size.html").read_text(
        encoding="utf-8"
    )
    start = page.index('<svg class="dg-chart"')
    svg = page[start : page.index("</svg>", start)]
    assert "平湖街道 · 2024" in svg and "观湖街道 · 2024" in svg
    assert "50.944 billion yuan" in svg and "55.36 billion yuan" in svg
    slugs = {f["metric_slug"] for f in _facts_json(root)["facts"] if f["metric_known"]}
    for slug in slugs:
        assert (root / "site" / "facts" / f"{slug}.html").exists()


def test_exports_follow_the_documented_schema(built: tuple[Path, pipeline.Report]) -> None:
    """facts.csv and facts.json hold the same facts, in the documented fields, with exact values."""
    root, _ = built
    data = _facts_json(root)
    schema = json.loads((root / "site" / "facts" / "facts.schema.json").read_text(encoding="utf-8"))
    fact_schema = schema["$defs"]["fact"]
    names = [n for n, _, _ in FIELDS]
    assert fact_schema["required"] == names
    py = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "array": list,
        "null": type(None),
    }
    for f in data["facts"]:
        assert list(f) == names
        for name, value in f.items():
            spec = fact_schema["properties"][name]
            types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
            assert any(
                isinstance(value, py[t]) and not (t in ("integer", "number") and isinstance(value, bool))
                for t in types
            ), (name, value)
            if "enum" in spec:
                assert value in spec["enum"]
    rows = list(
        csv.DictReader(io.StringIO((root / "site" / "facts" / "facts.csv").read_text(encoding="utf-8")))
    )
    assert [r["id"] for r in rows] == [f["id"] for f in data["facts"]]
    assert len({r["id"] for r in rows}) == len(rows)
    output = next(r for r in rows if r["text"] == "509.44亿元")
    assert (output["value"], output["unit"], output["display"]) == (
        "50944000000",
        "CNY",
        "50.944 billion yuan",
    )
    assert all(
        Decimal(r["value"]) == Decimal(str(f["value"])) for r, f in zip(rows, data["facts"], strict=True)
    )
    schema_page = (root / "site" / "facts" / "schema.html").read_text(encoding="utf-8")
    assert all(f"<code>{n}</code>" in schema_page for n in names)


def test_facts_output_is_reproducible(built: tuple[Path, pipeline.Report], tmp_path: Path) -> None:
    """A second build gives byte-identical facts pages and exports (ids included)."""
    root, _ = built
    again = copy_project(tmp_path)
    pipeline.build(config.load(again))
    for rel in (
        "facts/facts.json",
        "facts/facts.csv",
        "facts/index.md",
        "facts/industrial-output-above-designated-size.md",
        "docs/yong-dandang-zhi-zao-pinghu-zheng.md",
    ):
        assert (again / "content" / rel).read_bytes() == (root / "content" / rel).read_bytes(), rel
    shutil.rmtree(again / "site")


# ── any input ────────────────────────────────────────────────────────────────

ALPHABET = ("0123456789.,%％-+—至万亿千百十一二两三八〇余多元亿元公顷平方米家个次第届连续年"
            "全区首强前名“”《》,。;增长下降超近约达累计同比率")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=60), min_size=1, max_size=3))
@example(["亿一〇强"])  # once crashed: a run of numeral characters that is no numeral, before 强
def test_any_text_gives_well_formed_facts(paragraphs: list[str]) -> None:
    """On arbitrary text the extractor never fails, and every fact's span is its text, with a known unit
    and kind, a non-negative value and a stable unique id."""
    doc = doc_of(*paragraphs)
    facts = extract(doc, ENV)
    assert len({f.id for f in facts}) == len(facts)
    for f in facts:
        block = next(b for b in doc.blocks if b.anchor == f.anchor)
        assert block.text[f.start : f.end] == f.text and f.text in f.sentence
        assert f.unit in UNIT_NAMES and f.kind in KINDS and f.value >= 0
        assert f.value_max is None or f.value_max >= 0
    assert [f.id for f in extract(doc_of(*paragraphs), ENV)] == [f.id for f in facts]
