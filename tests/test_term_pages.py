"""Term pages at scale: a term used in many (synthetic) documents gets pages that stay small, list every
document exactly once with the right counts, and keep their content when newer documents arrive."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from digest import terms
from digest.config import Settings
from digest.model import Block, Document, Meta, Note
from digest.stages import Context, Writer

PAGE_LIMIT = 100_000  # bytes of one page: its Markdown plus its raw-HTML chunks
TERM, OTHER = "示范区", "试点"
GLOSSARY = f"""- term: {TERM}
  category: programme
  english: pilot zone
  english_source: ours
  definition_en: A zone where a policy is tried first.
  definition_zh: 先行先试的区域。
  related: [{OTHER}]
- term: {OTHER}
  category: programme
  english: pilot
  english_source: ours
  definition_en: A trial run of a policy.
  definition_zh: 政策的试行。
"""
# enough documents for the term page, three full pages of older documents and a part-filled term page
MANY = terms.KWIC_DOCS + 3 * terms.DOCS_PER_PAGE + 57


def _document(i: int, times: int = 1) -> Document:
    """Document i: dated (a few undated), with a title of 10 to 25 characters (sometimes far longer), and
    the term in 1 to 9 paragraphs, ``times`` times in each."""
    date = "" if i % 97 == 0 else f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    title = f"第{i}号通知：" + "关于进一步加强和改进基层治理工作的若干措施"[: 5 + i % 16] * (4 if i % 11 == 0 else 1)
    blocks = [Block("title", title, [1], anchor="")]
    for p in range(1 + i % 9):
        text = f"第{p}段：" + f"推进{TERM}建设，开展{OTHER}工作。" * times
        blocks.append(Block("paragraph", text, [p + 2], anchor=f"p-{i:04x}{p:02x}"))
    doc = Document(f"seed-{i}.txt", 1, 1, [], blocks, meta=Meta(title=title, date=date))
    doc.id = f"{2015 + i % 10}-guanyu-jinyibu-jiaqiang-gaijin-{i:05d}"  # as long as real ids
    return doc


def _project(tmp_path: Path, published: tuple[str, ...] = ()) -> Settings:
    annotations = tmp_path / "annotations"
    annotations.mkdir(parents=True, exist_ok=True)
    (annotations / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    if published:
        (annotations / "published.txt").write_text("\n".join(published) + "\n", encoding="utf-8")
    return Settings(root=tmp_path)


def _generate(settings: Settings, docs: list[Document], out: Path) -> tuple[Context, dict[str, str]]:
    """Recognise the terms and write the term pages; {path under content/: text} of what was written."""
    ctx = Context(settings)
    terms.recognise(docs, ctx)
    writer = Writer(out)
    terms.write_pages(docs, ctx, writer)
    return ctx, {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in writer.written}


def _page_html(files: dict[str, str], md: str) -> str:
    """The page's Markdown with its raw-HTML chunks put back (what the MkDocs hook does)."""
    chunks = json.loads(files.get(md[:-3] + ".chunks.json", "[]"))
    return re.sub(r"<!--dg-chunk (\d+)-->", lambda m: chunks[int(m.group(1))], files[md])


def _listed(html: str) -> list[tuple[str, int]]:
    """(document id, count) of every document a page lists, in page order (context entries, then rows)."""
    out = [(d, int(n)) for d, n in re.findall(r'<li id="in-([^"]+)"><p class="dg-occ-doc">.*?'
                                              r'class="dg-occ-count">(\d+)<', html)]
    out += [(d, int(n)) for d, n in re.findall(r'<li><a href="(?:\.\./)+docs/([^"#]+)\.html#[^"]+">[^<]*</a> <span>'
                                               r'(?:[0-9-]+ · )?(\d+)× · first in ', html)]
    return out


Many = tuple[list[Document], Context, dict[str, str]]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Many:
    """MANY synthetic documents, recognised and their term pages written once for this module."""
    tmp = tmp_path_factory.mktemp("many")
    docs = [_document(i) for i in range(MANY)]
    ctx, files = _generate(_project(tmp), docs, tmp / "content")
    return docs, ctx, files


def test_every_term_page_stays_small_however_many_documents(tmp_path: Path, many: Many) -> None:
    """With the term in hundreds of documents (thousands of occurrences), every generated term page,
    the term page and each page of older documents, is under PAGE_LIMIT bytes, and the term page shows
    at most KWIC_DOCS × KWIC_PER_DOC keyword-in-context lines. glossary.json grows by one short row per
    document, not per occurrence: with every occurrence written five times it is hardly larger."""
    docs, ctx, files = many
    index: terms.GlossaryIndex = ctx.data["glossary"]
    slug = index.termbase.by_term[TERM].slug
    occurrences = len(index.occurrences[TERM])
    assert occurrences > 2500
    pages = sorted(p for p in files if p.endswith(".md") and p.startswith(f"terms/{slug}"))
    assert len(pages) == 4  # the term page and three full pages
    for md in pages:
        size = len(files[md].encode()) + len(files.get(md[:-3] + ".chunks.json", "").encode())
        assert size < PAGE_LIMIT, (md, size)
    page = _page_html(files, f"terms/{slug}.md")
    assert page.count('class="dg-kwic-link"') <= terms.KWIC_DOCS * terms.KWIC_PER_DOC
    _, five = _generate(_project(tmp_path), [_document(i, times=5) for i in range(MANY)], tmp_path / "content")
    assert len(five["glossary.json"]) < len(files["glossary.json"]) * 1.05
    assert len(files["glossary.json"].encode()) < 400 * len(docs)  # two terms in every document


def test_counts_and_document_lists_stay_right(many: Many) -> None:
    """Across the term page and its further pages every document using the term appears exactly once,
    with its own number of occurrences and a link to its first occurrence, newest first overall (undated
    last); the page states the totals, and glossary.json agrees."""
    docs, ctx, files = many
    index: terms.GlossaryIndex = ctx.data["glossary"]
    slug = index.termbase.by_term[TERM].slug
    expected = {d.id: sum(1 for b in d.blocks if TERM in b.text) for d in docs}
    term_page = _page_html(files, f"terms/{slug}.md")
    listed = _listed(term_page)
    for n in range(3, 0, -1):  # the pager's order: newest first, so page 3 comes right after the term page
        more = _page_html(files, f"terms/{slug}/{n}.md")
        rows = _listed(more)
        assert len(rows) == terms.DOCS_PER_PAGE
        listed += rows
    dates = {d.id: d.meta.date or "0000" for d in docs}
    assert [d for d, _ in listed] == sorted(expected, key=lambda d: (dates[d], d), reverse=True)
    assert dict(listed) == expected
    firsts = {d.id: next(b.anchor for b in d.blocks if TERM in b.text) for d in docs}
    pages = term_page + "".join(_page_html(files, f"terms/{slug}/{n}.md") for n in (1, 2, 3))
    rows = re.findall(r'<li><a href="(?:\.\./)+docs/([^"#]+)\.html#([^"]+)">', pages)
    assert len(rows) == len(docs) - terms.KWIC_DOCS and all(firsts[d] == a for d, a in rows)  # cite the first
    total = sum(expected.values())
    assert f"{total} occurrences in {len(docs)} documents" in term_page
    entry = next(e for e in json.loads(files["glossary.json"])["terms"] if e["slug"] == slug)
    assert entry["occurrences"]["total"] == total and entry["occurrences"]["document_count"] == len(docs)
    assert [(d["id"], d["count"]) for d in entry["occurrences"]["documents"]] == listed
    assert entry["pages"] == [f"terms/{slug}.html", *(f"terms/{slug}/{n}.html" for n in (1, 2, 3))]
    assert json.loads(files["glossary.json"]) == terms.glossary_json(index)  # the file has the documented shape


def test_kwic_lines_are_bounded_per_document_and_cite_paragraphs(many: Many) -> None:
    """A document on the term page shows at most KWIC_PER_DOC lines, each linking to the paragraph that
    holds the occurrence (../docs/<id>.html#<anchor>); the rest are counted and linked ("and N more")."""
    docs, _ctx, files = many
    by_id = {d.id: d for d in docs}
    page = _page_html(files, "terms/shifanqu.md")
    entries = re.findall(r'<li id="in-([^"]+)"><p class="dg-occ-doc">(.*?)</li>\n', page)
    assert len(entries) == terms.KWIC_DOCS
    for doc_id, body in entries:
        anchors = [b.anchor for b in by_id[doc_id].blocks if TERM in b.text]
        links = re.findall(rf'class="dg-kwic-link" href="\.\./docs/{doc_id}\.html#([^"]+)"', body)
        assert links == anchors[: terms.KWIC_PER_DOC]
        extra = len(anchors) - terms.KWIC_PER_DOC
        assert (f"and {extra} more in this document" in body) == (extra > 0)


def _doclist(html: str) -> str:
    m = re.search(r'<ol class="dg-doclist".*?</ol>', html, re.S)
    assert m
    return m.group(0)


def test_newer_documents_leave_the_older_pages_unchanged(tmp_path: Path, many: Many) -> None:
    """Pages of older documents are numbered from the oldest and full, so newer documents never change
    what an existing page lists. One more newest document changes the term page only; a page's worth of
    them adds a page and leaves every page outside the new page's pager window byte for byte the same."""
    _docs, _ctx, files = many
    slug = "shifanqu"
    newer = [_document(MANY + i) for i in range(terms.DOCS_PER_PAGE)]
    for i, doc in enumerate(newer):
        doc.meta.date = f"2099-01-{1 + i % 28:02d}"
    _, one = _generate(_project(tmp_path / "one"), [*(_document(i) for i in range(MANY)), newer[0]], tmp_path / "c1")
    for n in (1, 2, 3):
        for suffix in (".md", ".chunks.json"):
            assert one[f"terms/{slug}/{n}{suffix}"] == files[f"terms/{slug}/{n}{suffix}"]
    assert one[f"terms/{slug}.chunks.json"] != files[f"terms/{slug}.chunks.json"]
    _, page = _generate(_project(tmp_path / "page"), [*(_document(i) for i in range(MANY)), *newer], tmp_path / "c2")
    assert f"terms/{slug}/4.md" in page and f"terms/{slug}/5.md" not in page
    for n in (1, 2, 3):
        assert _doclist(_page_html(page, f"terms/{slug}/{n}.md")) == _doclist(_page_html(files, f"terms/{slug}/{n}.md"))
    assert terms.PAGER_WINDOW < 4 - 1  # page 1 does not see page 4 in its pager
    for suffix in (".md", ".chunks.json"):
        assert page[f"terms/{slug}/1{suffix}"] == files[f"terms/{slug}/1{suffix}"]


def test_a_published_page_no_longer_needed_stays_and_points_back(tmp_path: Path) -> None:
    """A page of older documents recorded in published.txt is still written when the term is now in too
    few documents to fill it: it lists nothing and links to the term page (published URLs never go)."""
    settings = _project(tmp_path, published=("terms/shifanqu/1.html", "en/terms/shifanqu/2.html"))
    _, files = _generate(settings, [_document(i) for i in range(30)], tmp_path / "content")
    for n in (1, 2):
        page = _page_html(files, f"terms/shifanqu/{n}.md")
        assert 'href="../shifanqu.html#occurrences"' in page and "dg-doclist" not in page
    assert "terms/shifanqu/3.md" not in files


def test_editors_notes_linking_a_term_are_listed_on_its_page(tmp_path: Path) -> None:
    """An editors' note that links to a term page appears there as a short excerpt linking to the note,
    and at most NOTES_MAX of them are shown."""
    docs = [_document(i) for i in range(terms.NOTES_MAX + 3)]
    for d in docs:
        d.blocks[1].notes.append(Note(f'<p>See <a href="../terms/shifanqu.html">pilot zone</a>, note {d.id}.</p>'))
    _, files = _generate(_project(tmp_path), docs, tmp_path / "content")
    page = _page_html(files, "terms/shifanqu.md")
    notes = re.findall(r'<li><a href="\.\./docs/([^"#]+)\.html#note-([^"]+)-1">', page)
    assert len(notes) == terms.NOTES_MAX and "3 more notes link to this term" in page
    assert all(a == next(d for d in docs if d.id == i).blocks[1].anchor for i, a in notes)
    assert f"<p>See pilot zone, note {notes[0][0]}.</p>" in page  # the note's text, without its markup
    assert "{ #notes }" not in _page_html(files, "terms/shidian.md")  # no note links the other term


def test_pager_is_a_bounded_window_newest_first() -> None:
    """However many pages a term's documents fill, the pager lists the term page, the oldest page and
    PAGER_WINDOW pages either side of the current one, newest first, with one gap mark for older pages
    left out; links are relative to the page the pager is on."""
    pages: list[list[terms.DocUse]] = [[terms.DocUse(_document(i), [])] for i in range(100)]
    for current in (0, 1, 2, 50, 99, 100):
        entries = terms.pager("x", pages, current)
        shown = [e["page"] for e in entries if not e["gap"]]
        assert len(entries) <= 2 * terms.PAGER_WINDOW + 4
        assert shown[0] == 0 and shown[-1] == 1 and current in shown
        assert shown[1:] == sorted(shown[1:], reverse=True)
        assert [e["page"] for e in entries if not e["gap"] and e["current"]] == [current]
        assert sum(e["gap"] for e in entries) <= 1
    assert terms.pager("x", pages, 0)[1]["href"] == "x/100.html"
    assert terms.pager("x", pages, 50)[0]["href"] == "../x.html#documents"
    assert terms.pager("x", pages, 50)[1]["href"] == "52.html"


def test_a_rebuild_keeps_the_list_pages_a_newer_document_leaves_unchanged(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With the keys a build gives its pages (render.key_inputs), one more newest document renders the term
    page again and none of the pages of older documents: they are linked from the last build, the same
    bytes as a fresh render. A document changed on page 2 renders page 2 (and the term page) only."""
    import os

    from digest import cache, render

    def build(docs: list[Document], out: Path, previous: Path | None = None,
              known: dict[str, list[object]] | None = None) -> tuple[Writer, list[tuple[str, int]], Context]:
        ctx = Context(_project(tmp_path / "project"))
        ctx.data["site_key"] = "code"
        render.note_annotations(ctx)  # as the build's analysis does first
        ctx.data["doc_keys"] = {d.id: cache.document_key(d) for d in docs}
        terms.recognise(docs, ctx)
        made: list[tuple[str, int]] = []
        real_term, real_list = terms.term_context, terms.page_context
        monkeypatch.setattr(terms, "term_context", lambda t, *a, **k: made.append((t.slug, 0)) or real_term(t, *a, **k))
        monkeypatch.setattr(terms, "page_context", lambda t, u, n: made.append((t.slug, n)) or real_list(t, u, n))
        writer = Writer(out, previous, known)
        terms.write_pages(docs, ctx, writer)
        monkeypatch.undo()
        return writer, made, ctx

    build([_document(i) for i in range(MANY)], tmp_path / "settle")  # gives the terms their slugs (term-registry.yaml)
    first, made, ctx = build([_document(i) for i in range(MANY)], tmp_path / "c0")
    assert ("shifanqu", 3) in made
    newer = _document(MANY)
    newer.meta.date = "2099-01-01"
    more = [*(_document(i) for i in range(MANY)), newer]
    second, made, _ = build(more, tmp_path / "c1", tmp_path / "c0", first.files)
    assert sorted(made) == [("shidian", 0), ("shifanqu", 0)]
    for n in (1, 2, 3):
        assert os.path.samefile(tmp_path / "c0" / f"terms/shifanqu/{n}.md", tmp_path / "c1" / f"terms/shifanqu/{n}.md")
    build(more, tmp_path / "fresh")
    for rel in second.files:
        assert (tmp_path / "c1" / rel).read_bytes() == (tmp_path / "fresh" / rel).read_bytes()
    index = ctx.data["glossary"]
    on_page_2 = {u.doc.id for u in terms.usage(index.termbase.by_term[TERM], index).pages[1]}
    edited = [_document(i) for i in range(MANY)]
    target = next(d for d in edited if d.id in on_page_2)
    target.meta.title += "（修订）"
    _, made, _ = build(edited, tmp_path / "c2", tmp_path / "c0", first.files)
    assert ("shifanqu", 2) in made and ("shifanqu", 1) not in made and ("shifanqu", 3) not in made
