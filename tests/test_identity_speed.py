"""Performance rewrites in identity.py keep their results exactly (no timings here)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from digest import config, pipeline
from digest.identity import simhash
from digest.text import fold

ROOT = Path(__file__).resolve().parent.parent


def reference_simhash(text: str) -> int:
    """The original, bit-by-bit simhash over character bigrams."""
    grams = [text[i : i + 2] for i in range(max(1, len(text) - 1))]
    weights = [0] * 64
    for g in grams:
        h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def test_simhash_equals_the_bit_by_bit_reference_on_every_seed_line() -> None:
    """The lane-counting simhash gives the same 64 bits as the reference loop for every folded
    line of the seeds, for short and degenerate texts, and for a long repetitive text."""
    texts = ["", "a", "ab", "平湖", "aaaa", "“”", "x" * 5000]
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        texts += [fold(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) > 100
    mismatches = [t[:20] for t in texts if simhash(t) != reference_simhash(t)]
    assert mismatches == []


def test_published_anchor_ledgers_are_unchanged_by_a_rebuild(tmp_path: Path) -> None:
    """Analysing the real project against its committed registry and anchor ledgers assigns the
    same ids and leaves every ledger (anchor, kind, sha1, simhash) exactly as published."""
    for name in ("mkdocs.yml", "annotations", "overrides", "seeds"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / name)
    report = pipeline.analyse(config.load(tmp_path))
    assert report.registry is not None and not report.registry.changed
    published = sorted(p.stem for p in (tmp_path / "annotations" / "anchors").glob("*.tsv"))
    assert len(published) == len(report.documents), "the seeds should have anchor ledgers"
    assert sorted(report.ledgers) == []  # the ledgers a build would write: those that changed


def _doc(source: str, title: str, part: int = 1):  # type: ignore[no-untyped-def]
    from digest.model import Document

    doc = Document(source=source, part=part, parts=1, items=[])
    doc.meta.title = title
    return doc


def test_registry_index_gives_the_same_ids_as_a_linear_scan(tmp_path: Path) -> None:
    """With the cached key and id index, the registry still numbers clashing slugs in order,
    skips retired ids, finds ids by seed and part, and sees entries added to the list directly."""
    from digest.identity import Registry, slugify

    registry = Registry(tmp_path / "registry.yaml", retired=[slugify("2025 Work report") + "-2"])
    base = slugify("2025 Work report")
    ids = [registry.assign(_doc(f"{i:03d}.txt", "2025 Work report")) for i in range(4)]
    assert ids == [base, f"{base}-3", f"{base}-4", f"{base}-5"]
    assert registry.assign(_doc("001.txt", "another title")) == f"{base}-3"  # known key keeps its id
    assert registry.lookup("003.txt#1") == f"{base}-5"
    assert registry.lookup("003.txt#2") is None
    registry.documents.append({"id": "added-by-hand", "source": "009.txt", "part": 2})
    assert registry.lookup("009.txt#2") == "added-by-hand"
    assert "added-by-hand" in registry.used_ids()
    registry.save()
    again = Registry.load(registry.path)
    assert [again.lookup(f"{i:03d}.txt#1") for i in range(4)] == ids


def test_registry_loads_the_same_data_as_the_pure_python_loader(tmp_path: Path) -> None:
    """The registry read through libyaml (when present) holds exactly what yaml.safe_load reads,
    for the committed registry, and a broken registry still names its line."""
    import yaml

    from digest.exceptions import AnnotationError
    from digest.identity import Registry

    path = ROOT / "annotations" / "registry.yaml"
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    loaded = Registry.load(path)
    assert loaded.documents == expected["documents"]
    assert loaded.retired == [str(r) for r in expected.get("retired") or []]
    bad = tmp_path / "registry.yaml"
    bad.write_text("documents:\n  - id: a\n    source: [unclosed\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"registry\.yaml") as info:
        Registry.load(bad)
    assert info.value.line is not None
