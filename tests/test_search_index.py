"""The prebuilt search index: what it holds, how it is written, and how big the build says it is."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest import cli
from digest.search import fold, fold_and_patch, patch, unpatch
from tests.browser.searching import document_units, load_index, occurrences
from tests.conftest import SEEDS, copy_project

TERMS = ["百千万工程", "新质生产力", "揭榜挂帅"]


def _index_files(site: Path) -> list[Path]:
    return sorted(site.rglob("assets/search/*.js"))


def test_index_holds_every_unit_a_reader_searches(built) -> None:
    """Every document's title, headings, paragraphs, captions, summary and their English are in the
    index, under the document's page and the unit's anchor."""
    root, report = built
    manifest, rows = load_index(root / "site")
    pages = [p[0] for p in manifest["pages"]]
    indexed = {(pages[r[0]], r[1], r[3], r[4]) for r in rows}
    missing = [(doc.id, u.anchor, u.text[:30]) for doc in report.documents for u in document_units(doc)
               if (f"docs/{doc.id}.html", u.anchor, u.lang, u.text) not in indexed]
    assert missing == []
    assert {p[0] for p in manifest["pages"] if p[3] == "document"} == {f"docs/{d.id}.html" for d in report.documents}


def test_index_holds_no_removed_boilerplate(built) -> None:
    """Lines removed as boilerplate (toolbars, counters, QR prompts) are not searchable; only text that
    also stays on the page may appear."""
    root, report = built
    _, rows = load_index(root / "site")
    index_text = fold("\n".join(str(r[4]) for r in rows))
    kept = fold("\n".join(u.text for d in report.documents for u in document_units(d)))
    checked = []
    for doc in report.documents:
        for removed in doc.removed:
            text = fold(removed.text.strip())
            if len(text) >= 2 and text not in kept:
                checked.append(text)
                assert text not in index_text, f"{doc.id}: removed line {removed.text!r} is in the search index"
    assert len(checked) >= 5, "too few removed lines checked for this test to mean anything"


def test_index_is_plain_utf8(built) -> None:
    """The index files are valid UTF-8 with Chinese written as itself, not as \\uXXXX escapes."""
    root, _ = built
    files = _index_files(root / "site")
    assert len(files) >= 4  # manifest and a shard, for the Simplified and the Traditional reading
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="strict")
        escapes = [e for e in re.findall(r"\\u([0-9a-fA-F]{4})", text) if int(e, 16) >= 0x80]
        assert escapes == [], f"{path.name}: escaped characters {escapes[:5]}"
        assert re.search(r"[\u4e00-\u9fff]", text), path.name


def test_build_reports_the_index_size_per_document(tmp_path: Path, capsys) -> None:
    """`digest build` prints the search index size and its size per document, matching the files."""
    root = copy_project(tmp_path, [SEEDS / "003_089e73d47226c464.txt", SEEDS / "000_d9aa945f40867fd2.txt"])
    assert cli.main(["-C", str(root), "build"]) == 0
    out = capsys.readouterr()
    m = re.search(r"search index: ([\d,]+) bytes \(([\d,]+) per document\)", out.err + out.out)
    assert m, out.err
    total, per = (int(g.replace(",", "")) for g in m.groups())
    on_disk = sum(p.stat().st_size for p in (root / "site" / "assets" / "search").iterdir())
    assert total == on_disk
    built_docs = len(list((root / "site" / "docs").glob("*.html")))
    assert built_docs == 3 and per == total // built_docs


def test_a_terms_first_character_alone_would_match_more_pages(built) -> None:
    """Guard for the browser search tests: each term's first character occurs in pages that lack the
    term, so a search returning 'pages sharing the first character' would be caught."""
    _, report = built
    for term in TERMS:
        with_term = {d.id for d in report.documents if any(term in u.text for u in document_units(d))}
        with_first = {d.id for d in report.documents if any(term[0] in u.text for u in document_units(d))}
        assert with_term, term
        assert with_first - with_term, term


def test_occurrence_counting_is_whole_term() -> None:
    """Guard for the test helpers: a term counts only where it occurs whole (English: at a word start)."""
    assert occurrences("推动新质生产力发展,培育新型产业", "zh", "新质生产力") == 1
    assert occurrences("新型产业", "zh", "新质生产力") == 0
    assert occurrences("百千萬工程", "zh", "百千万工程") == 1
    assert occurrences("Developing New quality productive forces", "en", "new") == 1
    assert occurrences("unproductive renewal", "en", "new") == 0


def test_rows_store_folded_text_and_a_patch_back_to_the_display_text() -> None:
    """An index row holds the folded text (what is searched) and a patch restoring the display text,
    with offsets in UTF-16 units (as JavaScript counts), astral characters included."""
    for text in ["The “Party” Committee’s ＡＩ plan", "百千萬工程与𠮷野家 A𠮷B", "", "plain 纯文本", "ABC"]:
        folded = fold(text)
        assert len(folded) == len(text)
        assert unpatch(folded, patch(text, folded)) == text
    assert patch("plain 纯文本", fold("plain 纯文本")) == []
    assert patch("𠮷A", fold("𠮷A")) == [2, "A"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ABCabc 的發展与“”‘’\"'「」ＡＺａ，。（）\u3000𠮷𩸽xyz萬國")), max_size=40)
       | st.text(max_size=30))
def test_fast_fold_and_patch_equals_the_per_character_definition(text: str) -> None:
    """fold_and_patch (one regex scan) gives the fold and the patch of the per-character loop."""
    folded, back = fold_and_patch(text)
    assert folded == fold(text)
    assert back == patch(text, folded)
    assert unpatch(folded, back) == text
