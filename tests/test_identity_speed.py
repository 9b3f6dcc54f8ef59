"""Performance rewrites in identity.py keep their results exactly (no timings here)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

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
    assert report.ledgers, "the seeds should have anchor ledgers"
    changed = sorted(doc_id for doc_id, ledger in report.ledgers.items() if ledger.changed())
    assert changed == []
