"""The build cache: a build with unchanged inputs and untouched outputs is skipped; any
change to an input or an output, or --force, builds again."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest import cache, cli, config, pipeline
from digest.exceptions import BuildError
from digest.identity import LEDGER_DIR
from tests.conftest import SEEDS, copy_project

SEED = SEEDS / "003_089e73d47226c464.txt"


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_same_as_a_fresh_build(root: Path, fresh: Path) -> None:
    """A build from scratch of ``root``'s inputs as they are now (the annotations the builds updated
    included) writes the same content/ and site/, byte for byte."""
    import shutil

    for name in ("annotations", "seeds", "overrides"):
        shutil.copytree(root / name, fresh / name)
    for name in ("mkdocs.yml", "digest.yml"):
        if (root / name).exists():
            shutil.copy(root / name, fresh / name)
    pipeline.build(config.load(fresh), force=True)
    for sub in ("content", "site"):
        a, b = _tree(root / sub), _tree(fresh / sub)
        assert sorted(a) == sorted(b)
        assert [rel for rel in a if a[rel][0] != b[rel][0]] == []


def _count_opens(monkeypatch: pytest.MonkeyPatch, module: object) -> list[str]:
    """The base names of the files ``module`` opens from now on (its ``open`` replaced by a counting one)."""
    import os

    opened: list[str] = []
    real_open = open

    def counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.path.basename(str(file)))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(module, "open", counting_open, raising=False)
    return opened


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("cache"), [SEED])
    first = pipeline.build(config.load(root))
    assert first.reused is None and first.document_count == 1
    return root


def test_unchanged_inputs_skip_the_build_and_leave_outputs_alone(project: Path) -> None:
    """The second build reports the first one's result and rewrites no file of content/ or site/."""
    before = {sub: _tree(project / sub) for sub in ("content", "site")}
    again = pipeline.build(config.load(project))
    assert again.reused is not None
    assert again.document_count == 1 and again.removed_lines > 0
    assert {sub: _tree(project / sub) for sub in ("content", "site")} == before


def test_the_cli_says_the_site_is_up_to_date(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`digest build` on unchanged inputs prints that nothing changed and how to force a build."""
    assert cli.main(["-C", str(project), "build"]) == 0
    out = capsys.readouterr().err  # the CLI reports on stderr
    assert "Up to date" in out and "--force" in out and "1 documents" in out


def test_the_cli_says_how_much_a_rebuild_reused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After one of two seeds changes, `digest build` prints how many results the memos gave back and
    how many HTML pages MkDocs took from the last build, out of how many; a first build prints neither."""
    import re

    root = copy_project(tmp_path, [SEED, SEEDS / "004_6d357c08ea62956c.txt"])
    assert cli.main(["-C", str(root), "build"]) == 0
    first = capsys.readouterr().err
    assert "reused from the last build" not in first and "(memo)" not in first
    seed = root / "seeds" / SEED.name
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    assert cli.main(["-C", str(root), "build"]) == 0
    out = " ".join(capsys.readouterr().err.split())  # the console may wrap long lines
    assert "(memo)" in out
    m = re.search(r"pages reused from the last build \(MkDocs\): ([\d,]+)/([\d,]+)", out)
    assert m, out
    reused, total = (int(g.replace(",", "")) for g in m.groups())
    assert total // 3 <= reused < total


@pytest.mark.parametrize("change", ["seed", "annotation", "settings", "override", "output-touched",
                                    "output-deleted"])
def test_any_changed_input_or_output_builds_again(tmp_path: Path, change: str) -> None:
    """A changed seed, annotation, setting or theme override, or a touched or deleted output file, is a full build."""
    root = copy_project(tmp_path, [SEED])
    pipeline.build(config.load(root))
    assert pipeline.build(config.load(root)).reused is not None
    page = next((root / "site" / "docs").glob("*.html"))
    if change == "seed":
        seed = root / "seeds" / SEED.name
        seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    elif change == "annotation":
        with (root / "annotations" / "cleaning.yaml").open("a", encoding="utf-8") as f:
            f.write("\n# an editor's comment\n")
    elif change == "settings":
        (root / "digest.yml").write_text("site_url: https://intranet.example/digest/\n", encoding="utf-8")
    elif change == "override":
        main = root / "overrides" / "main.html"
        main.write_text(main.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")
    elif change == "output-touched":
        page.write_text("edited by hand", encoding="utf-8")
    else:
        page.unlink()
    report = pipeline.build(config.load(root))
    assert report.reused is None and report.document_count == 1
    assert page.is_file() and page.read_text(encoding="utf-8") != "edited by hand"
    if change == "seed":
        assert "用于检验缓存" in page.read_text(encoding="utf-8")


def test_force_builds_even_when_nothing_changed(project: Path) -> None:
    """`build(force=True)` (the CLI's --force) runs the whole build and stores a fresh stamp."""
    report = pipeline.build(config.load(project), force=True)
    assert report.reused is None and report.document_count == 1
    assert cache.load(config.load(project)) is not None


def test_strict_fails_on_the_warnings_of_a_reused_build(tmp_path: Path) -> None:
    """A skipped build replays the stored warnings, so --strict still fails when the last build had any."""
    root = copy_project(tmp_path, [SEED])
    (root / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    report = pipeline.build(config.load(root))
    assert report.errors or report.warnings
    with pytest.raises(BuildError, match="strict"):
        pipeline.build(config.load(root), strict=True)
    replay = pipeline.build(config.load(root))
    assert replay.reused is not None
    assert [str(w) for w in replay.warnings] == [str(w) for w in report.warnings]
    assert replay.errors == report.errors


def test_one_changed_seed_rerenders_only_the_pages_that_depend_on_it(tmp_path: Path) -> None:
    """After one of two seeds changes, pages whose inputs are unchanged keep their HTML from the last build,
    the changed document's page is rendered again, and the site equals a fresh build of the same inputs."""
    import json

    seeds = [SEED, SEEDS / "004_6d357c08ea62956c.txt"]
    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", seeds)
    first = pipeline.build(config.load(root))
    edited = next(d for d in first.documents if d.source == SEED.name)
    other = next(d for d in first.documents if d.source != SEED.name)
    hant_page = root / "content" / "zh-Hant" / "docs" / f"{other.id}.md"
    converted = hant_page.stat()
    seed = root / "seeds" / SEED.name
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    again = pipeline.build(config.load(root))
    if "related-documents" not in str(other.sections):  # its Traditional page is the last build's file
        assert (hant_page.stat().st_ino, hant_page.stat().st_mtime_ns) == (converted.st_ino, converted.st_mtime_ns)
    assert again.reused is None
    manifest = json.loads((root / cache.CACHE_DIR / "pages" / "root.json").read_text(encoding="utf-8"))
    reused = set(manifest["reused"])
    assert f"docs/{edited.id}.html" not in reused and f"docs/{edited.id}.html" in manifest["pages"]
    assert f"docs/{other.id}.html" in reused or "related-documents" in str(other.sections)
    assert len(reused) >= len(manifest["pages"]) // 3
    changed = sum(1 for d in again.documents if d.source == SEED.name)
    counts = again.context.data["memo_counts"]  # [reused, computed]: only the edited seed's documents
    assert {k: counts[k] for k in ("read", "terms", "facts")} == {
        "read": [1, 1], "terms": [len(again.documents) - changed, changed],
        "facts": [len(again.documents) - changed, changed]}
    for reading in ("search", "search-zh-Hant"):  # index pages: the documents, then the term pages
        # each changed page computed once and stored twice (its rows; its size and words, search.py)
        assert counts[reading][1] == 2 * changed and counts[reading][0] > len(again.documents)
    assert counts["cite-items"] == [len(again.documents) - changed, changed]
    assert counts["anchors"] == [len(again.documents) - changed, changed]
    assert counts["people-pinyin"] == [1, 0]  # the same authors
    assert counts["pinyin"][1] == 0 and counts["pinyin"][0] > 100  # every term's pinyin: the glossary is unchanged
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_a_rebuild_links_unchanged_files_and_never_writes_into_the_last_builds(tmp_path: Path) -> None:
    """After one of two seeds changes, most files of the new content/ and site/ are the last build's
    files, hard-linked (the same inode at the same place), and each of those still has the bytes it had:
    no build writes into a file it shares with an earlier one. The edited document's pages are new."""
    import hashlib

    def snapshot(root: Path) -> dict[str, tuple[int, str]]:
        return {p.relative_to(root).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
                for sub in ("content", "site") for p in sorted((root / sub).rglob("*")) if p.is_file()}

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [SEED, SEEDS / "004_6d357c08ea62956c.txt"])
    first = pipeline.build(config.load(root))
    before = snapshot(root)
    seed = root / "seeds" / SEED.name
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    pipeline.build(config.load(root))
    after = snapshot(root)
    shared = [rel for rel in after if rel in before and after[rel][0] == before[rel][0]]
    assert [rel for rel in shared if after[rel][1] != before[rel][1]] == []
    assert len(shared) > len(after) // 2
    edited = next(d for d in first.documents if d.source == SEED.name)
    for rel in (f"content/docs/{edited.id}.chunks.json", f"site/docs/{edited.id}.html",
                f"site/en/docs/{edited.id}.html"):
        assert rel not in shared and after[rel][1] != before[rel][1], rel
    assert "site/assets/digest.css" in shared and "site/zh-Hant/assets/digest.css" in shared


def test_the_build_after_a_first_one_reuses_the_anchors_it_gave(tmp_path: Path) -> None:
    """A first build gives anchors and writes the ledgers it did not find; the next build finds them and, its
    seed edited, gives anchors again to the edited seed's documents only, and equals a fresh build."""
    import shutil

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [SEED, SEEDS / "004_6d357c08ea62956c.txt"])
    shutil.rmtree(root / "annotations" / LEDGER_DIR, ignore_errors=True)
    first = pipeline.build(config.load(root))
    assert first.context.data["memo_counts"]["anchors"] == [0, len(first.documents)]
    assert len(list((root / "annotations" / LEDGER_DIR).iterdir())) == len(first.documents)
    seed = root / "seeds" / SEED.name
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验缓存。\n".encode())
    again = pipeline.build(config.load(root))
    changed = sum(1 for d in again.documents if d.source == SEED.name)
    assert again.context.data["memo_counts"]["anchors"] == [len(again.documents) - changed, changed]
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_memos_follow_the_inputs_each_stage_reads(tmp_path: Path) -> None:
    """A memo entry is reused only while what it was computed from is unchanged: a new term form
    recomputes every document's term matches, the items' marks (which avoid the term marks) and every
    term's pinyin, a changed metrics file every document's facts, a changed formula quote where the
    quotes occur, a changed definition none of these; a document's sidecar or anchor ledger its anchors
    and key; a damaged memo file counts as empty. Each build equals a fresh build of the same inputs."""

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [SEED])
    first = pipeline.build(config.load(root))
    glossary = root / "annotations" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")

    def rebuild() -> dict[str, list[int]]:
        report = pipeline.build(config.load(root))
        _assert_same_as_a_fresh_build(root, tmp_path / f"fresh{len(list(tmp_path.iterdir()))}")
        counts: dict[str, list[int]] = report.context.data["memo_counts"]
        return counts

    assert "aliases: [深圳]" in text
    glossary.write_text(text.replace("aliases: [深圳]", "aliases: [深圳, 鹏城]", 1), encoding="utf-8")
    counts = rebuild()
    assert counts["read"] == [1, 0] and counts["terms"][0] == 0 and counts["terms"][1] >= 1
    assert counts["pinyin"][0] == 0  # a new form may change how any term is segmented for its pinyin
    assert counts["cite-items"] == [0, 1]  # the quotes are unchanged, but the items' marks avoid the term marks
    assert counts["anchors"] == [1, 0]  # the document, its id, sidecar and anchor ledger are unchanged

    definition = next(line for line in text.splitlines() if line.strip().startswith("definition_en:"))
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(definition, definition + " (edited)", 1),
                        encoding="utf-8")
    counts = rebuild()
    assert counts["terms"][1] == 0 and counts["facts"][0] == 0  # facts read the glossary's places
    assert counts["pinyin"][1] == 0 and counts["cite-items"] == [1, 0]

    quote = "事交我办无问题"
    assert f'quote: "{quote}"' in text
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(f'quote: "{quote}"', 'quote: "事交我办"', 1),
                        encoding="utf-8")
    counts = rebuild()  # a changed quote: where every quote occurs is looked for again
    assert counts["cite-items"] == [0, 1] and counts["terms"][1] == 0 and counts["pinyin"][1] == 0

    metrics = root / "annotations" / "metrics.yaml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    counts = rebuild()
    assert counts["read"][1] == 0 and counts["terms"][1] == 0 and counts["facts"][0] == 0

    sidecar = root / "annotations" / "documents" / f"{first.documents[0].id}.yaml"
    sidecar.parent.mkdir(exist_ok=True)
    sidecar.write_text("issuer: 编辑部核定的发布机构\nauthors: [王小明]\n", encoding="utf-8")
    counts = rebuild()  # a sidecar changes the document the enrichers receive: its key
    assert counts["read"] == [1, 0] and counts["anchors"] == [0, 1] and counts["terms"] == [0, 1]
    assert counts["people-pinyin"] == [0, 1]  # a new author

    ledger = root / "annotations" / LEDGER_DIR / f"{first.documents[0].id}.tsv"
    kept = ledger.read_bytes()
    ledger.unlink()
    counts = rebuild()  # anchors given again from the text (the same ones) and the ledger written again
    assert counts["anchors"] == [0, 1] and counts["terms"] == [1, 0] and ledger.read_bytes() == kept

    (root / cache.CACHE_DIR / cache.MEMO_FILE).write_bytes(b"not a database")
    (seed := root / "seeds" / SEED.name).write_bytes(seed.read_bytes() + b"\n")
    counts = rebuild()
    assert all(hits == 0 for hits, _ in counts.values())


def test_a_memo_locked_by_another_build_is_done_without(tmp_path: Path) -> None:
    """While another process holds the memo database locked, a build goes on without the memos
    (everything computed, nothing stored, the database left in place), says which memos it could not
    use and why, and writes the same site."""
    import sqlite3

    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [SEED])
    pipeline.build(config.load(root))
    path = root / cache.CACHE_DIR / cache.MEMO_FILE
    entries = sqlite3.connect(path).execute("SELECT COUNT(*) FROM memo").fetchone()[0]
    lock = sqlite3.connect(path)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        report = pipeline.build(config.load(root), force=True)
    finally:
        lock.rollback()
        lock.close()
    assert report.context.data["memo_counts"] == {}  # no memo was usable
    problems = report.context.data["memo_problems"]
    assert {"read", "terms", "facts"} <= set(problems) and set(problems.values()) == {"database is locked"}
    line = cli.memo_problem_line(report)
    assert line is not None and line.startswith("memo not used, computed again: ") and "read" in line
    assert line.endswith("(database is locked)")
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM memo").fetchone()[0] == entries
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_the_themes_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(tmp_path: Path) -> None:
    """A build keeps the theme's compiled templates in the cache folder (overrides/hooks/pagecache.py);
    an entry cut short is compiled again when next needed and written anew, and the site equals a fresh
    build."""
    (tmp_path / "a").mkdir()
    root = copy_project(tmp_path / "a", [SEED])
    pipeline.build(config.load(root))
    entries = sorted((root / cache.CACHE_DIR / "templates").iterdir())
    assert len(entries) > 10  # Material's templates and partials, and overrides/main.html
    sizes = {p.name: p.stat().st_size for p in entries}
    for p in entries:
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    seed = root / "seeds" / SEED.name  # the edited page is rendered again: its templates are loaded
    seed.write_bytes(seed.read_bytes() + "\n新增一段文字，用于检验模板缓存。\n".encode())
    pipeline.build(config.load(root))
    after = {p.name: p.stat().st_size for p in sorted((root / cache.CACHE_DIR / "templates").iterdir())}
    assert set(sizes) <= set(after)  # and the blank template of the pages reused this time
    restored = [name for name in sizes if after[name] == sizes[name]]
    assert len(restored) >= 5 and all(after[n] in (sizes[n], sizes[n] // 2) for n in sizes)
    _assert_same_as_a_fresh_build(root, tmp_path / "b")


def test_the_writer_compares_with_the_last_build_through_its_record(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose bytes equal the last build's, by the hash recorded for it, is linked without reading
    the old file; a file whose record no longer matches the old file (touched since) is written anew, and
    a file without a record is compared by reading it."""
    import os

    from digest import stages

    first = stages.Writer(tmp_path / "one")
    for name in ("a.txt", "b.txt", "c.txt"):
        first.bytes(name, f"{name} 的内容".encode())
    assert sorted(first.files) == ["a.txt", "b.txt", "c.txt"]
    old_b = tmp_path / "one" / "b.txt"
    os.utime(old_b, ns=(old_b.stat().st_atime_ns, old_b.stat().st_mtime_ns + 10**9))  # touched since
    known = {k: v for k, v in first.files.items() if k != "c.txt"}  # c.txt: no record
    opened = _count_opens(monkeypatch, stages)
    second = stages.Writer(tmp_path / "two", tmp_path / "one", known)
    for name in ("a.txt", "b.txt", "c.txt"):
        second.bytes(name, f"{name} 的内容".encode())
    ino = {n: ((tmp_path / "one" / n).stat().st_ino, (tmp_path / "two" / n).stat().st_ino)
           for n in ("a.txt", "b.txt", "c.txt")}
    assert ino["a.txt"][0] == ino["a.txt"][1] and ino["c.txt"][0] == ino["c.txt"][1]  # linked
    assert ino["b.txt"][0] != ino["b.txt"][1]  # written anew
    assert sorted(opened) == ["b.txt", "c.txt"]  # b written, c read to compare; a neither
    assert (tmp_path / "two" / "b.txt").read_bytes() == "b.txt 的内容".encode()
    assert second.files["a.txt"] == first.files["a.txt"]


def test_a_build_records_the_files_of_content(project: Path) -> None:
    """After a build, the cache holds the hash, size and modification time of every file Digest wrote
    into content/ (the next build's way to compare without reading), and they describe the files there."""
    import hashlib

    files = cache.content_manifest(config.load(project))
    assert any(rel.startswith("docs/") and rel.endswith(".md") for rel in files)
    for rel, (digest, size, mtime, *_key) in files.items():
        path = project / "content" / rel
        assert [path.stat().st_size, path.stat().st_mtime_ns] == [size, mtime]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_input_hashes_are_kept_by_file_stat_and_a_changed_file_is_hashed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's fingerprint reads an input file only when its size, modification time or inode differ
    from those recorded with its hash (.digest/cache/hashes.json); an edited file is read and changes the
    fingerprint, and a file modified moments before the record is saved is not recorded (hashed again)."""
    import os
    import time

    root = copy_project(tmp_path, [SEED])
    settings = config.load(root)
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in [*root.joinpath("seeds").rglob("*"), *root.joinpath("annotations").rglob("*"), root / "digest.yml"]:
        if path.is_file():
            os.utime(path, ns=(hour_ago, hour_ago))
    first = cache.fingerprint(settings)
    opened = _count_opens(monkeypatch, cache)
    assert cache.fingerprint(settings) == first
    assert opened == []  # every input known by its stat
    seed = root / "seeds" / SEED.name
    seed.write_bytes(seed.read_bytes().replace("平湖".encode(), "观湖".encode(), 1))  # same size, new time
    second = cache.fingerprint(settings)
    assert second != first and opened == [SEED.name]
    assert str(seed) not in cache.FileHashes(settings).entries  # just modified: not kept, hashed again
    opened.clear()
    assert cache.fingerprint(settings) == second and opened == [SEED.name]
