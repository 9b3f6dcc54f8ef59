"""The glossary layer: termbase validation, generated forms, recognition, term pages,
glossary.json, cross-links, editors' notes and candidate discovery, over the real seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from digest import cli, config, glossary, notes, pipeline, terms
from digest.exceptions import AnnotationError
from digest.model import Document
from digest.text import fold, fold_map
from tests.conftest import ROOT, SEEDS, copy_project

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
GLOSSARY = ROOT / "annotations" / "glossary.yaml"


def _doc(report: pipeline.Report, seed_prefix: str, part: int = 1) -> Document:
    return next(d for d in report.documents if d.source.startswith(seed_prefix) and d.part == part)


def _index(report: pipeline.Report) -> terms.GlossaryIndex:
    return report.context.data["glossary"]


def _html(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _termbase(tmp_path: Path, text: str) -> glossary.Termbase:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return glossary.load_file(path)


ENTRY = """- term: {term}
  {extra}category: formula
  english: E
  english_source: ours
  definition_en: D.
  definition_zh: 定。
"""


def _entries(*terms_: str, aliases: dict[str, list[str]] | None = None) -> str:
    aliases = aliases or {}
    def extra(t: str) -> str:
        return f"aliases: [{', '.join(aliases[t])}]\n  " if t in aliases else ""

    return "\n".join(ENTRY.format(term=t, extra=extra(t)) for t in terms_)


# ───────────────────────── termbase ─────────────────────────


def test_project_termbase_loads_with_enough_terms() -> None:
    """The curated glossary validates and holds at least 60 entries, each with a unique slug."""
    tb = glossary.load_file(GLOSSARY)
    assert len(tb.terms) >= 60
    slugs = [t.slug for t in tb.terms]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in slugs)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_validation_errors_name_file_and_line(path: Path) -> None:
    """Each broken fixture glossary fails with an AnnotationError naming its file, line and problem."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.match(r"# expect line (\d+): (.+)", first)
    assert m, f"{path.name}: first line must say '# expect line N: message'"
    with pytest.raises(AnnotationError) as err:
        glossary.load_file(path)
    assert err.value.file == str(path)
    assert err.value.line == int(m.group(1))
    assert m.group(2) in str(err.value)


def test_duplicate_is_found_on_the_folded_form(tmp_path: Path) -> None:
    """A term that differs from another only by spaces or width counts as a duplicate."""
    with pytest.raises(AnnotationError, match="duplicate term or alias"):
        _termbase(tmp_path, _entries("三会一课", "四有", aliases={"四有": ["三会 一课"]}))


def test_related_aliases_resolve_to_their_term(tmp_path: Path) -> None:
    """A related entry may name an alias; it is stored as the canonical term."""
    text = _entries("四有", "四有一无", aliases={"四有": ["四有标准"]}) + "  related: [四有标准]\n"
    tb = _termbase(tmp_path, text)
    assert tb.by_term["四有"].forms == ["四有", "四有标准"]
    assert tb.by_term["四有一无"].related == ["四有"]


def test_traditional_form_is_generated_by_opencc() -> None:
    """The Traditional form comes from OpenCC phrase conversion: 龙岗区 → 龍崗區, and 社区 stays 社區."""
    assert glossary.traditional("龙岗区", "s2twp") == "龍崗區"
    assert glossary.traditional("南坑社区", "s2twp") == "南坑社區"
    tb = glossary.load_file(GLOSSARY)
    assert tb.by_term["龙岗区"].traditional == "龍崗區"


def test_pinyin_with_tone_marks_and_search_forms() -> None:
    """Pinyin is phrase-aware with tone marks (行动 is xíngdòng); search forms are toneless and initials."""
    assert glossary.pinyin_marks("百千万工程") == "bǎiqiānwàn gōngchéng"
    assert "xíngdòng" in glossary.pinyin_marks("三年行动")
    assert glossary.pinyin_plain("百千万工程") == "baiqianwangongcheng"
    assert glossary.pinyin_initials("百千万工程") == "bqwgc"
    assert glossary.slug_base("1+3+1") == "1-3-1"


def test_a_terms_pinyin_does_not_depend_on_the_cuts_before_it() -> None:
    """A term is cut without itself as a word by a segmenter shared across builds; the cut leaves the
    segmenter as it found it, so a term's pinyin is the same after thousands of other cuts (it once
    drifted: 双报到 went from "shuāng bào dào" to "shuāng bàodào" within one long test process, and a
    rebuild differed from a fresh build)."""
    words = ("双报到", "社区吹哨、部门报到", "三线下地", "报", "到")
    first = [glossary.pinyin_marks(w, words) for w in words]
    tok = glossary._segmenter(words)
    total, freq = tok.total, dict(tok.FREQ)
    for _ in range(3000):
        glossary.words_of("双报到", words)
    assert (tok.total, dict(tok.FREQ)) == (total, freq)
    assert [glossary.pinyin_marks(w, words) for w in words] == first


def test_registry_keeps_slugs_and_never_reuses_one(tmp_path: Path) -> None:
    """A recorded slug survives a reload; a new term whose pinyin collides gets a suffixed slug."""
    reg = glossary.TermRegistry(tmp_path / "term-registry.yaml")
    assert reg.assign("四有") == "siyou"
    reg.retired.append("sanhuiyike")
    reg.save()
    again = glossary.TermRegistry.load(tmp_path / "term-registry.yaml")
    assert again.slugs == {"四有": "siyou"} and not again.changed
    assert again.assign("三会一课") == "sanhuiyike-2"
    assert again.assign("四友") == "siyou-2"


# ───────────────────────── recognition ─────────────────────────


def test_longest_match_wins_and_nothing_inside_a_longer_term(tmp_path: Path) -> None:
    """四有一无 is matched whole (not 四有 inside it); 国高 is not matched inside 全国高质量发展."""
    tb = _termbase(tmp_path, _entries("四有一无", "四有", "高质量发展", "国家高新技术企业",
                                      aliases={"国家高新技术企业": ["国高"]}))
    m = terms.Matcher(tb)
    text = "打造“四有一无”城区，落实四有要求，推动全国高质量发展。"
    found = [(text[a:b], t.term) for a, b, t in m.find(text)]
    assert found == [("四有一无", "四有一无"), ("四有", "四有"), ("高质量发展", "高质量发展")]


def test_matches_cross_spaces_line_breaks_and_quotes(tmp_path: Path) -> None:
    """A term split by a removed space or line break, or quoted in part (“八五”普法), is found; offsets
    point back into the display text. Two separate quoted phrases never make one term."""
    tb = _termbase(tmp_path, _entries("百千万工程", "八五普法", "作风指标"))
    m = terms.Matcher(tb)
    text = "深入推进百千 万\n工程，落实“八五”普法规划，“作风”“指标”"
    found = [(text[a:b], t.term) for a, b, t in m.find(text)]
    assert found == [("百千 万\n工程", "百千万工程"), ("“八五”普法", "八五普法")]


def test_fold_map_agrees_with_fold() -> None:
    """fold_map's folded copy equals fold() for seed text, and maps every character back in order."""
    text = "龙岗区“All in AI”“鸿蒙之区”建设，２０２５年　平湖"
    folded, where = fold_map(text)
    assert folded == fold(text)
    assert where == sorted(where) and where[-1] == len(text)


def test_baiqianwan_found_in_guanhu_report_and_pinghu_article(built: tuple[Path, pipeline.Report]) -> None:
    """百千万工程 occurs in the Guanhu work report (seed 002) and the Pinghu three-year-action article
    (seed 000, part 1), and those pages link it to its term page."""
    root, report = built
    index = _index(report)
    docs = {o.doc_id for o in index.occurrences["百千万工程"]}
    guanhu, pinghu = _doc(report, "002_"), _doc(report, "000_", 1)
    assert {guanhu.id, pinghu.id} <= docs
    slug = index.termbase.by_term["百千万工程"].slug
    for doc in (guanhu, pinghu):
        assert f'href="../terms/{slug}.html"' in _html(root, f"docs/{doc.id}.html")


def test_no_term_is_matched_inside_a_longer_term_in_the_seeds(built: tuple[Path, pipeline.Report]) -> None:
    """Across all seeds, a term mark lies inside an occurrence of a longer term or alias only when that
    longer occurrence was itself overlapped by a chosen term at least as long (观湖|街道党工委 in
    观湖街道党工委); otherwise the longer term would have won."""
    _root, report = built
    tb = _index(report).termbase
    forms = sorted({fold(f).replace("“", "").replace("‘", "") for t in tb.terms for f in t.forms}, key=len)
    checked = 0
    for doc in report.documents:
        for block in doc.blocks:
            folded, where = fold_map(block.text, quotes=False)

            def to_folded(start: int, end: int, where: list[int] = where) -> tuple[int, int]:
                return (next(i for i, w in enumerate(where) if w >= start),
                        next(i for i, w in enumerate(where) if w >= end))

            spans = [to_folded(m.start, m.end) for m in block.marks if m.kind == "term"]
            for a, b in spans:
                for f in (f for f in forms if len(f) > b - a):
                    for s in (m.start() for m in re.finditer(re.escape(f), folded)):
                        if s <= a and b <= s + len(f):
                            blockers = [(x, y) for x, y in spans if (x, y) != (a, b) and x < s + len(f)
                                        and s < y and y - x >= len(f)]
                            assert blockers, (doc.id, folded[a:b], f)
                checked += 1
    assert checked > 500


def test_siyouyiwu_and_its_five_items_are_linked(built: tuple[Path, pipeline.Report]) -> None:
    """四有一无's five items each cite a seed passage; the term page links each item to the paragraph
    holding its quote, and the document page links the item words to the items."""
    root, report = built
    index = _index(report)
    term = index.termbase.by_term["四有一无"]
    assert [it.zh for it in term.items] == ["有意思", "有商机", "有得住", "有品质", "无问题"]
    page = _html(root, f"terms/{term.slug}.html")
    for item in term.items:
        cites = index.cites[(term.term, item.number)]
        assert cites, item.zh
        li = re.search(rf'<li id="item-{item.number}".*?</li>', page, re.S)
        assert li, item.zh
        link = re.search(r'class="dg-cite-link" href="\.\./docs/([^"#]+)\.html#([^"]+)"', li.group(0))
        assert link, item.zh
        doc_html = _html(root, f"docs/{link.group(1)}.html")
        para = re.search(rf'<div class="dg-unit" id="{link.group(2)}"><p class="dg-zh"[^>]*>(.*?)</p>', doc_html, re.S)
        assert para and fold(item.quote) in fold(re.sub(r"<[^>]+>", "", para.group(1)))
    pinghu = _html(root, f"docs/{_doc(report, '000_', 1).id}.html")
    for n in range(1, 5):
        assert f'href="../terms/{term.slug}.html#item-{n}"' in pinghu


def test_tooltip_markup_is_css_only_and_focusable(built: tuple[Path, pipeline.Report]) -> None:
    """Term links carry the English and a one-line definition once, in aria-description (read by screen
    readers); the CSS shows that attribute on hover and on keyboard focus, with no script."""
    root, report = built
    tb = _index(report).termbase
    html = _html(root, f"docs/{_doc(report, '002_').id}.html")
    t = tb.by_term["百千万工程"]
    link = re.search(rf'<a class="dg-term[^"]*" href="\.\./terms/{t.slug}\.html"[^>]*>', html)
    assert link
    tip = re.search(r'aria-description="([^"]*)"', link.group(0))
    assert tip and tip.group(1).startswith(t.english) and " — " in tip.group(1)
    assert tip.group(1) not in link.group(0)[tip.end():]  # not repeated in another attribute
    css = (root / "site" / "assets" / "digest.css").read_text(encoding="utf-8")
    assert "content: attr(aria-description)" in css
    assert re.search(r"\.dg-term:focus[^{]*::after", css) and re.search(r"\.dg-term:hover::after", css)


# ───────────────────────── pages and data ─────────────────────────


def test_term_page_back_links_land_on_paragraphs(built: tuple[Path, pipeline.Report]) -> None:
    """Every keyword-in-context link on a term page points to an id that exists on the target page, and
    the linked block contains the term. Each document shows its first occurrences in reading order, at
    most KWIC_PER_DOC of them; a document with more says how many and links to the next one."""
    root, report = built
    index = _index(report)
    t = index.termbase.by_term["三年行动"]
    page = _html(root, f"terms/{t.slug}.html")
    docs = {d.id: d for d in report.documents}
    by_doc: dict[str, list[terms.Occurrence]] = {}
    for o in index.occurrences[t.term]:
        by_doc.setdefault(o.doc_id, []).append(o)
    assert any(len(occs) > terms.KWIC_PER_DOC for occs in by_doc.values())  # the cap is exercised
    for doc_id, occs in by_doc.items():
        entry = re.search(rf'<li id="in-{doc_id}">(.*?)</ol>(.*?)</li>', page, re.S)
        assert entry, doc_id
        links = re.findall(r'class="dg-kwic-link" href="\.\./docs/([^"#]+)\.html#([^"]+)"', entry.group(1))
        assert links == [(doc_id, o.anchor) for o in occs[: terms.KWIC_PER_DOC]]
        more = re.search(r'class="dg-kwic-more"><a href="\.\./docs/[^"#]+\.html#([^"]+)">and (\d+) more',
                         entry.group(2))
        if len(occs) > terms.KWIC_PER_DOC:
            assert more and more.groups() == (occs[terms.KWIC_PER_DOC].anchor, str(len(occs) - terms.KWIC_PER_DOC))
        else:
            assert more is None
        doc_html = _html(root, f"docs/{doc_id}.html")
        for _doc_id, anchor in links:
            assert anchor in _ids(doc_html)
            block = next(b for b in docs[doc_id].blocks if (b.anchor or b.kind) == anchor)
            assert fold(t.term) in fold(block.text).replace("“", "").replace("”", "")
    assert "first appearance" in page and 'class="dg-occ-count"' in page


def test_glossary_index_and_nav(built: tuple[Path, pipeline.Report]) -> None:
    """The glossary index lists every term by category and by pinyin, and the site nav links to it."""
    root, report = built
    tb = _index(report).termbase
    index_md = (root / "content" / "terms" / "index.md").read_text(encoding="utf-8")
    for t in tb.terms:
        assert index_md.count(f"]({t.slug}.md)") == 2, t.term
    assert "## By category" in index_md and "## By pinyin" in index_md
    assert "terms/index.html" in _html(root, "index.html")


def test_glossary_json(built: tuple[Path, pipeline.Report]) -> None:
    """site/glossary.json holds every term with its fields and search forms, and per document using it
    the number of occurrences and the anchor of the first; the documents' titles and URLs are listed
    once, and the counts add up to the occurrences recognition found."""
    root, report = built
    data = json.loads(_html(root, "glossary.json"))
    index = _index(report)
    tb = index.termbase
    assert data["version"] == 2
    assert data["count"] == len(tb.terms) == len(data["terms"])
    entry = next(e for e in data["terms"] if e["term"] == "百千万工程")
    assert entry["pinyin_plain"] == "baiqianwangongcheng" and entry["initials"] == "bqwgc"
    assert entry["traditional"] == "百千萬工程" and entry["english"] == tb.by_term["百千万工程"].english
    assert entry["url"] == f"terms/{entry['slug']}.html" and (root / "site" / entry["url"]).exists()
    assert entry["pages"] == [entry["url"]]  # the real seeds' lists fit on the term page
    occs = index.occurrences["百千万工程"]
    rows = entry["occurrences"]["documents"]
    assert entry["occurrences"]["document_count"] == len(rows) == len({o.doc_id for o in occs})
    for d in rows:
        mine = [o for o in occs if o.doc_id == d["id"]]
        assert d["count"] == len(mine) and d["first"] == mine[0].anchor
        assert d["first"] in _ids(_html(root, data["documents"][d["id"]]["url"]))
    dates = [data["documents"][d["id"]]["date"] for d in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert sum(d["count"] for d in rows) == entry["occurrences"]["total"] == len(occs) > 0
    keys = {"term", "aliases", "category", "level", "english", "english_source", "english_alt",
            "definition_en", "definition_zh", "related", "items", "pinyin", "search", "pages", "occurrences"}
    assert all(keys <= e.keys() for e in data["terms"])
    formula = next(e for e in data["terms"] if e["term"] == "四有一无")
    for item in formula["items"]:
        cites = index.cites[("四有一无", item["number"])]
        assert sum(c["count"] for c in item["cites"]) == len(cites) > 0
        assert len({c["doc"] for c in item["cites"]}) == len(item["cites"])


def test_related_documents_ranked_with_reasons(built: tuple[Path, pipeline.Report]) -> None:
    """Each page ends with related documents, most related first, each with the shared terms shown."""
    root, report = built
    doc = _doc(report, "000_", 1)
    html = _html(root, f"docs/{doc.id}.html")
    section = html[html.index('id="related-documents"'):]
    scores = [float(s) for s in re.findall(r'data-score="([0-9.]+)"', section)]
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True)
    first = re.search(r'<li data-doc="([^"]+)"', section)
    assert first and first.group(1) != doc.id
    assert "shares" in section and 'class="dg-related-term"' in section


# ───────────────────────── notes ─────────────────────────


def test_example_note_renders_after_its_paragraph(built: tuple[Path, pipeline.Report]) -> None:
    """The sample editors' note appears as an aside right after the paragraph it annotates."""
    root, report = built
    doc = _doc(report, "000_", 1)
    html = _html(root, f"docs/{doc.id}.html")
    note = next(b for b in doc.blocks if b.notes)
    para = html.index(f'<div class="dg-unit" id="{note.anchor}"')
    aside = html.index(f'<aside class="dg-note" id="note-{note.anchor}-1"')
    assert para < aside and html.find('<div class="dg-unit" id=', para + 1) > aside
    assert 'href="../terms/sannianxingdong.html"' in html[aside:]


def test_note_markdown_cannot_inject_html() -> None:
    """Raw HTML in a note is shown as text, javascript: links are refused, .md links become .html."""
    out = notes.render_markdown("<script>x()</script> [a](javascript:alert(1)) [b](../terms/x.md#i) {y}")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'href="javascript' not in out and 'href="../terms/x.html#i"' in out and "{" not in out


def test_note_with_missing_anchor_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    """A note whose anchor no longer exists stops the build with the note file and its line."""
    root = copy_project(tmp_path, [next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith("000_"))])
    notes_dir = root / "annotations" / "notes"
    notes_dir.mkdir(parents=True, exist_ok=True)
    for old in notes_dir.glob("*.yaml"):
        old.unlink()
    settings = config.load(root)
    doc_id = pipeline.analyse(settings).documents[0].id
    path = notes_dir / f"{doc_id}.yaml"
    path.write_text("# notes\n\n- anchor: p-000000\n  note: gone\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        pipeline.analyse(settings)
    assert err.value.file == str(path) and err.value.line == 3 and "p-000000" in str(err.value)


# ───────────────────────── candidates ─────────────────────────


def test_candidates_command_on_the_seeds(built: tuple[Path, pipeline.Report],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`digest terms --candidates` lists phrases not in the termbase, most frequent first, each with a
    document anchor and an example sentence containing it; numbered formulas such as 1+6+N are found."""
    root, report = built
    assert cli.main(["-C", str(root), "terms", "--candidates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["count", "kind", "phrase", "where", "example"]
    rows = [line.split("\t") for line in lines[1:] if not line.startswith("#")]
    assert len(rows) > 20
    counts = [int(r[0]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    known = {fold(f) for t in _index(report).termbase.terms for f in t.forms}
    docs = {d.id: d for d in report.documents}
    for _count, kind, phrase, where, example in rows:
        assert kind in ("quoted", "formula", "ngram") and fold(phrase) not in known
        doc_id, anchor = where.split("#")
        assert anchor in {b.anchor for b in docs[doc_id].blocks} | {"title"}
        assert fold(phrase).replace("“", "") in fold(example).replace("“", "")
    assert any(r[1] == "formula" and r[2] == "1+6+N" for r in rows)
    assert {r[1] for r in rows} == {"quoted", "formula", "ngram"}
