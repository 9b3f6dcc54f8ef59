"""Document pages kept from the last build: a page is rendered again exactly when something it is made
from changed (its document, its own annotations, the annotations every page reads, the related documents
it lists), and a rebuild that keeps pages writes what a build from scratch writes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest import cite, config, crosslinks, pipeline, render, stages, terms
from tests.conftest import SEEDS, copy_project
from tests.test_cache import _assert_same_as_a_fresh_build

EDITED = SEEDS / "003_089e73d47226c464.txt"
RELATED = SEEDS / "004_6d357c08ea62956c.txt"
# A notice that shares no glossary term and no indicator with the others: it relates to no document.
UNRELATED = ("关于开展春季植树活动的通知\n\n各单位：\n\n"
             "为美化环境，定于下周组织植树活动，请各单位做好准备。\n\n特此通知。\n")


def _spy(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The documents whose page is rendered, and the terms whose pages are; each asserted to be those whose
    other products are made too: a document's citation files, a term's glossary.json entry."""
    rendered: list[str] = []
    terms_rendered: list[str] = []
    cited: list[str] = []
    entries: list[str] = []
    real, real_term = render.render_document, terms.term_context
    real_bib, real_entry = cite.bibtex, terms.glossary_entry

    def bib_spy(doc, url):  # type: ignore[no-untyped-def]
        cited.append(doc.id)
        return real_bib(doc, url)

    def entry_spy(term, *args):  # type: ignore[no-untyped-def]
        entries.append(term.slug)
        return real_entry(term, *args)

    monkeypatch.setattr(cite, "bibtex", bib_spy)
    monkeypatch.setattr(terms, "glossary_entry", entry_spy)
    spies.append((rendered, cited, terms_rendered, entries))

    def spy(doc):  # type: ignore[no-untyped-def]
        rendered.append(doc.id)
        return real(doc)

    def term_spy(term, *args, **kwargs):  # type: ignore[no-untyped-def]
        terms_rendered.append(term.slug)
        return real_term(term, *args, **kwargs)

    monkeypatch.setattr(render, "render_document", spy)
    monkeypatch.setattr(terms, "term_context", term_spy)
    return rendered, terms_rendered


spies: list[tuple[list[str], list[str], list[str], list[str]]] = []


@pytest.fixture(autouse=True)
def _products_follow_pages() -> Iterator[None]:
    """After each test: what _spy saw of citation files and glossary entries matches the pages rendered."""
    spies.clear()
    yield
    for rendered, cited, terms_rendered, entries in spies:
        assert sorted(cited) == sorted(rendered)
        assert sorted(entries) == sorted(terms_rendered)


def _terms_of(report: pipeline.Report, doc_id: str) -> set[str]:
    """The slugs of the terms a document uses or whose items it quotes."""
    index = report.context.data["glossary"]
    used = {t for t, occs in index.occurrences.items() if any(o.doc_id == doc_id for o in occs)}
    used |= {t for (t, _n), cites in index.cites.items() if any(c.doc_id == doc_id for c in cites)}
    return {index.termbase.by_term[t].slug for t in used}


def _grow_longest_line(seed: Path) -> None:
    """Append a sentence without figures or terms to the seed's longest line (a paragraph)."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    k = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[k] += "（补记：本句为新增。）"
    seed.write_text("\n".join(lines), encoding="utf-8")


def _ids(report: pipeline.Report) -> dict[str, str]:
    """seed file name → document id (one document per seed here)."""
    return {d.source: d.id for d in report.documents}


@pytest.mark.parametrize("change", ["translation", "related-title", "new-seed", "seed", "glossary"])
def test_a_page_is_rendered_again_exactly_when_what_it_is_made_from_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """translation: the document's own PO file → its page only. related-title: another document's title
    (its sidecar) → that page and the pages listing it as related, not the unrelated one. new-seed: a
    document joins the corpus → the pages it becomes related to, not the unrelated one (the registry
    gains an entry, which no page reads). seed (a paragraph without terms or figures added): that page only.
    glossary: a file every page reads → every page. The term pages likewise: those of the terms of a
    document whose text or title changed, all of them for the glossary, none for a translation. The related
    documents are ranked again only when a document's terms or indicators changed (the new seed). In every
    case the result equals a fresh build."""
    (tmp_path / "a").mkdir()
    seeds = [EDITED] if change == "new-seed" else [EDITED, RELATED]
    root = copy_project(tmp_path / "a", seeds)
    (root / "seeds" / "900_notice.txt").write_text(UNRELATED, encoding="utf-8")
    first = pipeline.build(config.load(root))
    ids = _ids(first)
    unrelated = ids["900_notice.txt"]
    assert not any(s.id == "related-documents" for d in first.documents for s in d.sections
                   if d.id == unrelated), "the notice must relate to nothing for this test to mean anything"
    annotations = root / "annotations"
    if change == "translation":
        po = annotations / "translations" / "en" / f"{ids[EDITED.name]}.po"
        text = po.read_text(encoding="utf-8")
        assert 'msgstr "From ' in text
        po.write_text(text.replace('msgstr "From ', 'msgstr "Revised: From ', 1), encoding="utf-8")
        expected = {ids[EDITED.name]}
    elif change == "related-title":
        target = ids[RELATED.name]
        (annotations / "documents").mkdir(exist_ok=True)
        (annotations / "documents" / f"{target}.yaml").write_text("title: 一个由编辑改过的标题\n", encoding="utf-8")
        expected = {target, ids[EDITED.name]}
        related = next(d for d in first.documents if d.id == ids[EDITED.name])
        assert target in str([s.body() for s in related.sections])
    elif change == "new-seed":
        (root / "seeds" / RELATED.name).write_bytes(RELATED.read_bytes())
        expected = {ids[EDITED.name]}  # and the new one, whose id is not known yet
    elif change == "seed":
        seed = root / "seeds" / EDITED.name
        seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
        expected = {ids[EDITED.name]}  # a paragraph without terms or figures: the related scores stay
    else:
        with (annotations / "glossary.yaml").open("a", encoding="utf-8") as f:
            f.write("\n# an editor's comment\n")
        expected = set(ids.values())
    rendered, terms_rendered = _spy(monkeypatch)
    ranked: list[bool] = []
    real_best = crosslinks._best
    monkeypatch.setattr(crosslinks, "_best", lambda *args: ranked.append(True) or real_best(*args))
    again = pipeline.build(config.load(root))
    if change == "new-seed":
        expected.add(_ids(again)[RELATED.name])
    assert sorted(rendered) == sorted(expected)
    assert bool(ranked) == (change == "new-seed")  # ranked again only when some document's terms or indicators did
    assert (unrelated in rendered) == (change == "glossary")
    # term pages: those of the terms of a document whose text or title changed (before or after)
    all_terms = {t.slug for t in again.context.data["glossary"].termbase.terms}
    if change == "translation":
        expected_terms: set[str] = set()
    elif change == "glossary":
        expected_terms = all_terms
    elif change == "seed":
        expected_terms = _terms_of(first, ids[EDITED.name]) | _terms_of(again, ids[EDITED.name])
    else:  # the related document's title changed, or it joined
        expected_terms = _terms_of(again, _ids(again)[RELATED.name])
    assert bool(expected_terms) == (change != "translation")
    assert sorted(terms_rendered) == sorted(expected_terms)
    monkeypatch.undo()
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_the_writer_keeps_a_page_made_from_the_same_key(tmp_path: Path) -> None:
    """Writer.keep links the last build's page and its chunks file when that build wrote them from the same
    key, and records them again; a different key, a page touched since, or no last build keeps nothing."""
    import os

    page = '<div class="dg-unit" id="p-1"><p>正文</p></div>\n'
    first = stages.Writer(tmp_path / "one")
    first.text("docs/a.md", "---\ntitle: a\n---\n# 标题\n\n" + page, key="k1")
    first.text("docs/b.md", "# 无块\n", key="k1")
    assert first.files["docs/a.chunks.json"][3] == "k1" and "docs/b.chunks.json" not in first.files

    second = stages.Writer(tmp_path / "two", tmp_path / "one", dict(first.files))
    assert second.keep("docs/a.md", "k1") and second.keep("docs/b.md", "k1")
    for rel in ("docs/a.md", "docs/a.chunks.json", "docs/b.md"):
        assert os.path.samefile(tmp_path / "one" / rel, tmp_path / "two" / rel)
        assert second.files[rel] == first.files[rel]
    assert not (tmp_path / "two" / "docs" / "b.chunks.json").exists()

    third = stages.Writer(tmp_path / "three", tmp_path / "one", dict(first.files))
    assert not third.keep("docs/a.md", "k2")  # made from something else
    chunks = tmp_path / "one" / "docs" / "a.chunks.json"
    os.utime(chunks, ns=(chunks.stat().st_atime_ns, chunks.stat().st_mtime_ns + 10**9))  # touched since
    assert not third.keep("docs/a.md", "k1")
    assert not third.keep("docs/c.md", "k1")  # never written
    assert not (tmp_path / "three" / "docs" / "a.md").exists()
    assert not stages.Writer(tmp_path / "four").keep("docs/b.md", "k1")  # no last build


def test_the_exports_are_remade_from_the_pieces_of_the_documents_that_changed(tmp_path: Path) -> None:
    """facts.csv and facts.json written in pieces, one per document, are the bytes write_both writes; a
    rebuild copies the pieces whose key the last build recorded (none made again) and makes the others;
    a last build's file touched since is not used at all."""
    import io
    import itertools

    from digest.facts import export
    from tests.test_facts_scale import synthetic

    facts, _docs = synthetic(3_000)
    facts.sort(key=lambda f: f.doc)
    groups = [(f"key-{doc}", list(rows)) for doc, rows in itertools.groupby(facts, key=lambda f: f.doc)]
    assert len(groups) > 10
    csv_text, json_text = io.StringIO(), io.StringIO()
    export.write_both(facts, csv_text, json_text)

    def write(out: Path, previous: Path | None, writer_before: stages.Writer | None,
              groups: list[tuple[str, list]]) -> tuple[stages.Writer, int]:  # type: ignore[type-arg]
        writer = stages.Writer(out, previous, known_pieces=writer_before.pieces if writer_before else None)
        with writer.in_pieces("facts/facts.csv") as c, writer.in_pieces("facts/facts.json") as j:
            export.write_pieces(groups, sum(len(g) for _, g in groups), c, j)
        return writer, c.reused + j.reused

    first, reused = write(tmp_path / "one", None, None, groups)
    assert reused == 0
    assert (tmp_path / "one" / "facts" / "facts.csv").read_text(encoding="utf-8") == csv_text.getvalue()
    assert (tmp_path / "one" / "facts" / "facts.json").read_text(encoding="utf-8") == json_text.getvalue()
    changed = [*groups]
    changed[3] = ("key-changed", changed[3][1][:-1])  # a document that lost a figure
    second, reused = write(tmp_path / "two", tmp_path / "one", first, changed)
    assert reused == 2 * (len(groups) - 1)
    write(tmp_path / "fresh", None, None, changed)
    for name in ("facts.csv", "facts.json"):
        assert (tmp_path / "two" / "facts" / name).read_bytes() == (tmp_path / "fresh" / "facts" / name).read_bytes()
    old = tmp_path / "two" / "facts" / "facts.json"
    os.utime(old, ns=(old.stat().st_atime_ns, old.stat().st_mtime_ns + 10**9))  # touched since
    _, reused = write(tmp_path / "three", tmp_path / "two", second, changed)
    assert reused == len(groups)  # the CSV's pieces only
    write(tmp_path / "empty", None, None, [])
    assert (tmp_path / "empty" / "facts" / "facts.json").read_text(encoding="utf-8") == export.to_json([])
    assert (tmp_path / "empty" / "facts" / "facts.csv").read_text(encoding="utf-8") == export.to_csv([])


def test_mkdocs_does_not_read_a_page_it_keeps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs keys the pages Digest wrote by the hashes Digest recorded (overrides/hooks/pagecache.py), so
    in a rebuild after one document's translation changed, the other document's page is kept in every
    reading without its Markdown being read, while the changed page is read and rendered; the site is
    the one a fresh build makes."""
    import dataclasses

    from mkdocs.structure.files import File

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [EDITED, RELATED])
    first = pipeline.build(dataclasses.replace(config.load(root), workers=1))  # MkDocs in this process
    ids = _ids(first)
    po = root / "annotations" / "translations" / "en" / f"{ids[EDITED.name]}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "From ', 'msgstr "Revised: From ', 1),
                  encoding="utf-8")
    read: list[str] = []
    real = File.content_string

    def spy(self):  # type: ignore[no-untyped-def]
        read.append(self.src_uri)
        return real.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(File, "content_string", property(spy))
    pipeline.build(dataclasses.replace(config.load(root), workers=1))
    monkeypatch.undo()
    assert read.count(f"docs/{ids[EDITED.name]}.md") == 3  # changed in all three readings
    assert f"docs/{ids[RELATED.name]}.md" not in read
    assert (root / "site" / "en" / "docs" / f"{ids[RELATED.name]}.html").is_file()
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_an_annotation_saved_while_a_build_runs_is_built_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor saves a translation while a build runs, after the build read it: the build leaves no stamp
    and says so, its page keys describe the file as it was when the build began, and the next build renders
    that document's page again, so the site ends equal to a fresh build (no page kept from the old file)."""
    from digest import cache, translate

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [EDITED, RELATED])
    ids = _ids(pipeline.build(config.load(root)))
    po = root / "annotations" / "translations" / "en" / f"{ids[EDITED.name]}.po"
    real = translate.enrich

    def enrich_then_save(docs, ctx):  # type: ignore[no-untyped-def]
        real(docs, ctx)
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "From ', 'msgstr "Saved meanwhile: From ', 1),
                      encoding="utf-8")

    monkeypatch.setattr(translate, "enrich", enrich_then_save)
    stages.ENRICHERS.clear()  # registered() lists the stages again, with the patched enricher
    stages.GENERATORS.clear()
    seed = root / "seeds" / RELATED.name
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    during = pipeline.build(config.load(root))
    monkeypatch.undo()
    stages.ENRICHERS.clear()
    stages.GENERATORS.clear()
    assert any("changed while the build ran" in str(w) for w in during.warnings)
    assert cache.load(config.load(root)) is None  # no stamp: the next build runs
    page = root / "content" / "docs" / f"{ids[EDITED.name]}.md"
    assert "Saved meanwhile" not in page.read_text(encoding="utf-8")
    rendered, _terms = _spy(monkeypatch)
    after = pipeline.build(config.load(root))
    assert ids[EDITED.name] in rendered and not any("while the build ran" in str(w) for w in after.warnings)
    assert "Saved meanwhile" in page.read_text(encoding="utf-8")
    monkeypatch.undo()
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_search_shards_of_unchanged_pages_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search shard made of the same rows of the same pages as in the last build is kept (the same file,
    in both scripts) without its rows being read from the memo; after a paragraph of one document was
    edited, only shards holding rows of that seed's documents are written again (the writer links a file
    whose bytes did not change), and the index equals a fresh build's."""
    import json

    from digest import cache, search

    monkeypatch.setattr(search, "SHARD_ROWS", 20)  # the five seeds then fill a dozen shards
    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", sorted(SEEDS.glob("*.txt")))
    first = pipeline.build(config.load(root))
    folders = [root / "content" / "assets" / "search", root / "content" / "zh-Hant" / "assets" / "search"]
    before = {p: p.stat().st_ino for f in folders for p in f.glob("shard-*.js")}
    assert len(before) > 20
    _grow_longest_line(root / "seeds" / EDITED.name)  # no search row is added or removed
    ids = sorted(d.id for d in first.documents)
    edited = {ids.index(d.id) for d in first.documents if d.source == EDITED.name}  # their pages' numbers
    reads: list[str] = []
    real_get = cache.Memo.get

    def counting_get(self, key, compute):  # type: ignore[no-untyped-def]
        if self.stage in ("search", "search-zh-Hant") and not key.startswith("size "):
            reads.append(key)  # a page's rows (not its size)
        return real_get(self, key, compute)

    monkeypatch.setattr(cache.Memo, "get", counting_get)
    pipeline.build(config.load(root))
    monkeypatch.setattr(cache.Memo, "get", real_get)
    remade = {p for p in before if p.stat().st_ino != before[p]}
    pages = {p: {row[0] for row in json.loads(p.read_text(encoding="utf-8").split(" = ", 1)[1].rstrip().rstrip(";"))}
             for p in before}  # the page numbers of each shard's rows
    holding = {p for p in before if edited & pages[p]}
    assert remade and remade <= holding and len(holding) < len(before) / 4
    # rows read for the shards that hold the edited page only: at most their pages (a shard whose bytes came
    # out the same is linked, not counted as remade above)
    assert 0 < len(reads) <= sum(len(pages[p]) for p in holding) < 174
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _assert_same_as_a_fresh_build(root, fresh)


def test_facts_table_pages_without_the_edited_document_are_kept(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of the facts table is made again only when its figures, its place among the pages or the years
    list changed: after a paragraph of one seed was edited, only pages listing figures of that seed's
    documents are made, the others are kept (the same file); the result equals a fresh build."""
    from digest.facts import pages as fact_pages
    from digest.facts import stage as fact_stage

    monkeypatch.setattr(fact_pages, "TABLE_ROWS", 15)  # the five seeds' figures then fill many pages
    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", sorted(SEEDS.glob("*.txt")))
    first = pipeline.build(config.load(root))
    edited = {d.id for d in first.documents if d.source == EDITED.name}  # the seed holds several articles
    holding = {t.name for t in fact_pages.table_pages(first.context.data["facts"], 15)
               if any(f.doc in edited for f in t.facts)}
    tables = root / "content" / "facts" / "table"
    before = {p.stem: p.stat().st_ino for p in tables.glob("*.md")}
    assert len(before) > 10 and 0 < len(holding) < len(before) / 2
    _grow_longest_line(root / "seeds" / EDITED.name)  # no figure is added
    made: list[str] = []
    real = fact_pages.table_page

    def spy(page, *args):  # type: ignore[no-untyped-def]
        made.append(page.name)
        return real(page, *args)

    monkeypatch.setattr(fact_stage.pages, "table_page", spy)
    pipeline.build(config.load(root))
    monkeypatch.setattr(fact_stage.pages, "table_page", real)
    assert made and set(made) <= holding  # the pages with figures of the edited article (of the seed's)
    assert {p.stem for p in tables.glob("*.md") if p.stat().st_ino == before.get(p.stem)} >= set(before) - set(made)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _assert_same_as_a_fresh_build(root, fresh)
