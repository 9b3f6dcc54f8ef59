"""The home page and the pages by issuer and by year: whole lists for a small corpus, bounded pages
for a large one (render.render_listings), with every document still reachable."""

from __future__ import annotations

import re
from pathlib import Path

from digest import render
from digest.model import Document, Meta

LINK = re.compile(r"\]\((?:\.\./)?docs/([a-z0-9-]+)\.md\)")


def corpus(n: int) -> list[Document]:
    """``n`` documents: one issuer with most of them, a few small issuers, four years and some undated."""
    docs = []
    for i in range(n):
        issuer = "坪山区政府" if i % 10 < 7 else f"街道办事处{i % 3}" if i % 10 < 9 else f"社区{i}"
        date = "" if i % 17 == 0 else f"{2021 + i % 4}-0{1 + i % 9}-1{i % 10}"
        docs.append(Document(source=f"{i:05d}.txt", part=1, parts=1, items=[], id=f"doc-{i:05d}",
                             meta=Meta(title=f"文件 {i}", date=date, issuer=issuer)))
    return sorted(docs, key=render.sort_key, reverse=True)


def listings(docs: list[Document], annotations: Path | None = None) -> dict[str, str]:
    pages: dict[str, str] = {}
    render.render_listings(docs, pages.__setitem__, "Digest", annotations)
    return pages


def test_a_small_corpus_is_listed_whole_on_every_listing_page() -> None:
    """Up to LIST_ROWS documents, the home page and both listing pages list every document and no
    group gets pages of its own."""
    docs = corpus(render.LIST_ROWS)
    pages = listings(docs)
    assert sorted(pages) == ["by-issuer.md", "by-year.md", "index.md"]
    for rel in pages:
        assert sorted(LINK.findall(pages[rel])) == sorted(d.id for d in docs), rel


def test_a_large_corpus_gets_bounded_pages_that_still_reach_every_document(tmp_path: Path) -> None:
    """Past LIST_ROWS documents: the home page lists the newest LIST_ROWS and says how many there are;
    each listing page keeps a heading (and anchor) per group, small groups inline, large ones on pages
    of at most LIST_ROWS; every document is on exactly one page of each listing; the undated come
    after the years."""
    n = 2 * render.LIST_ROWS + 57
    docs = corpus(n)
    pages = listings(docs)
    home = pages["index.md"]
    assert LINK.findall(home) == [d.id for d in docs[:render.LIST_ROWS]]  # the newest, in order
    assert f"{n} documents" in home and "All 457 documents" in home
    for listing in ("by-issuer", "by-year"):
        mine = {rel: text for rel, text in pages.items() if rel == f"{listing}.md" or rel.startswith(f"{listing}/")}
        found = [doc for text in mine.values() for doc in LINK.findall(text)]
        assert sorted(found) == sorted(d.id for d in docs), listing  # each once: nothing lost, nothing twice
        assert max(len(LINK.findall(text)) for text in mine.values()) <= render.LIST_ROWS
        assert len(mine) > 1
    index = pages["by-year.md"]
    headings = re.findall(r"^## (.+) \{ #(g-[0-9a-f]{8}) \}$", index, re.M)
    assert [h for h, _ in headings] == ["2024", "2023", "2022", "2021", "Undated 无日期"]
    assert 'href="by-year/2024.html"' in index and "by-year/2024.md" in pages
    big = next(rel for rel in pages if rel.startswith("by-issuer/") and rel.endswith("-2.md"))
    assert "page 2 of 2" in pages[big] and 'href="../by-issuer.html#g-' in pages[big]
    assert re.search(r"^## 社区9 \{ #g-[0-9a-f]{8} \}\n\n- .*\(docs/doc-00009\.md\)$", pages["by-issuer.md"], re.M)


def test_a_group_page_once_published_stays_as_a_pointer(tmp_path: Path) -> None:
    """A group page that an earlier build published (annotations/published.txt, any reading) but this
    build does not make is still written, pointing to its listing page: published URLs never break."""
    (tmp_path / "published.txt").write_text("by-year/2019.html\nen/by-issuer/g-0badcafe.html\nby-year.html\n",
                                            encoding="utf-8")
    pages = listings(corpus(30), tmp_path)
    assert "by-year/2019.md" in pages and "by-issuer/g-0badcafe.md" in pages
    assert 'href="../by-year.html"' in pages["by-year/2019.md"] and "no longer needed" in pages["by-year/2019.md"]
    assert LINK.findall(pages["by-year/2019.md"]) == []


def test_group_pages_never_share_a_file() -> None:
    """Group pages are named by the year when the group is a year, else by the group's id: issuers
    named ABC and abc, or one named like another group's second page, each get their own pages."""
    docs = corpus(render.LIST_ROWS + 1)
    for i, d in enumerate(docs[:60]):
        d.meta.issuer = ("ABC", "abc", "2024-2")[i % 3]
    pages = listings(sorted(docs, key=render.sort_key, reverse=True))
    issuer_pages = [rel for rel in pages if rel.startswith("by-issuer/")]
    assert len(issuer_pages) == len(set(issuer_pages)) >= 4
    for name in ("ABC", "abc", "2024-2"):
        assert pages["by-issuer.md"].count(f"{{ #{render._group_id(name)} }}") == 1
    found = [doc for rel in [*issuer_pages, "by-issuer.md"] for doc in LINK.findall(pages[rel])]
    assert sorted(found) == sorted(d.id for d in docs)
