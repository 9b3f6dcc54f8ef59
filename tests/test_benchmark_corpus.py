"""Smoke tests of the benchmark's corpus generator (benchmarks/corpus.py). No timings here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from digest import config, pipeline
from digest.read import read_bytes
from digest.rules import Vocabulary, clean

ROOT = Path(__file__).resolve().parent.parent


def _load_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


@pytest.fixture(scope="module")
def material():  # type: ignore[no-untyped-def]
    return corpus.analyse(ROOT)


def _kinds(doc) -> dict[str, int]:  # type: ignore[no-untyped-def]
    settings = config.load(ROOT)
    vocab = Vocabulary.load(
        settings.annotations / "cleaning.yaml", settings.heading_max, settings.caption_max
    )
    source, _ = read_bytes(doc.text.encode(doc.encoding), doc.name)
    clean(source, vocab)
    counts: dict[str, int] = {}
    for item in source.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


def test_five_documents_are_generated_the_same_way_twice(material) -> None:  # type: ignore[no-untyped-def]
    """Generating 5 documents twice with the same seed gives byte-identical files and names,
    and a different seed gives different documents."""
    first = list(corpus.generate(material, 5, seed=7))
    again = list(corpus.generate(corpus.analyse(ROOT), 5, seed=7))
    other = list(corpus.generate(material, 5, seed=8))
    assert [(d.name, d.text.encode(d.encoding)) for d in first] == [
        (d.name, d.text.encode(d.encoding)) for d in again
    ]
    assert [d.text for d in first] != [d.text for d in other]
    assert len({d.name for d in first}) == 5


def test_generated_documents_keep_the_seeds_chrome_and_captions(material) -> None:  # type: ignore[no-untyped-def]
    """Each generated document keeps its template's chrome lines; captions and chrome still
    occur across the five documents once Digest's cleaner has classified them."""
    docs = list(corpus.generate(material, 5, seed=1))
    templates = {t.name: t for t in material.templates}
    totals: dict[str, int] = {}
    for doc in docs:
        kinds = _kinds(doc)
        template = templates[doc.template]
        assert kinds.get("chrome", 0) >= template.kinds.get("chrome", 0), doc.template
        for kind, count in kinds.items():
            totals[kind] = totals.get(kind, 0) + count
    assert totals.get("chrome", 0) > 0
    assert totals.get("caption", 0) > 0


def test_a_generated_project_builds_one_document_per_seed(material, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A generated project of 5 seeds is analysed by Digest into exactly 5 documents with fresh
    ids, without errors: the real registry, anchors and sidecars are not copied."""
    project = corpus.write_project(tmp_path / "p", 5, seed=3, material=material)
    assert not (project / "annotations" / "registry.yaml").exists()
    assert not (project / "annotations" / "anchors").exists()
    report = pipeline.analyse(config.load(project))
    assert report.errors == []
    assert len(report.documents) == 5
    assert len({d.id for d in report.documents}) == 5


def test_places_are_varied_from_the_glossary(material) -> None:  # type: ignore[no-untyped-def]
    """The place groups come from annotations/glossary.yaml, and a variation maps each place
    to a place of the same group (a permutation), longest name first."""
    assert material.places, "the glossary should provide place groups"
    import random

    var = corpus.Variation(random.Random(5), material.places)
    for group in material.places.values():
        terms = [t for t, _ in group]
        assert sorted(var.mapping[t] for t in terms) == sorted(terms)
    term, _short = next(iter(material.places.values()))[0]
    assert var.places(term) == var.mapping[term]


def test_markdown_speed_reads_every_document_page_of_a_built_project(built, capsys) -> None:  # type: ignore[no-untyped-def]
    """benchmarks/markdown_speed.py converts each document page of a built project with the extensions
    its mkdocs.yml names and says how many pages it timed; an unbuilt project is a clear error, no traceback."""
    spec = importlib.util.spec_from_file_location("bench_markdown_speed", ROOT / "benchmarks" / "markdown_speed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root, report = built
    assert module.main([str(root)]) == 0
    out = capsys.readouterr().out
    pages = len(list((root / "content" / "docs").glob("*.md")))
    assert pages == report.document_count
    assert out.startswith(f"{pages} document pages, ") and "Python-Markdown (mkdocs.yml's extensions): " in out
    assert module.main([str(root / "nowhere")]) == 1
    assert "build the project first" in capsys.readouterr().err
