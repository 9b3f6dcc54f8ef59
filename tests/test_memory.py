"""Garbage the stages leave to the cyclic collector, which the analysis holds off (digest/memory.py)."""

from __future__ import annotations

import gc
import sys
import textwrap
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest import memory
from digest.read import decode

# A module whose import keeps a caught exception in a reference cycle, as pkg_resources' parser does
# when jieba imports it: the exception's traceback holds the importer's frames.
CYCLIC_IMPORT = textwrap.dedent("""
    import sys
    kept = []
    try:
        raise ValueError("caught while importing")
    except ValueError as exc:
        kept.append(exc)
    kept.append(kept)  # a cycle: only the collector frees it
    frame = sys._getframe()
""")


class Payload:
    """Something a stage holds in a local variable: it should die when the stage returns."""


@pytest.fixture()
def cyclic_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = "digest_test_cyclic_import"
    (tmp_path / f"{name}.py").write_text(CYCLIC_IMPORT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    module = sys.modules.pop(name, None)
    if module is not None:
        module.kept.clear()


def _stage(importer: object, name: str) -> weakref.ref[Payload]:
    payload = Payload()
    ref = weakref.ref(payload)
    importer(name)  # type: ignore[operator]
    return ref  # payload is a local: freed on return unless a frame object outlives the call


def test_import_apart_keeps_no_frame_of_the_caller(cyclic_module: str) -> None:
    """A module imported apart cannot keep the importing stage's frames (and their variables) alive
    through the cycles its import leaves, while the collector is off; imported in place, it does."""
    import importlib

    with memory.quiet_gc():
        in_place = _stage(importlib.import_module, cyclic_module)
        assert in_place() is not None, "the control: an import in place keeps the caller's locals"
        sys.modules.pop(cyclic_module)
        apart = _stage(memory.import_apart, cyclic_module)
        assert apart() is None
    gc.collect()
    assert in_place() is None


def test_import_apart_returns_the_module_and_raises_its_errors() -> None:
    """import_apart returns the imported module, and a failing import raises in the caller."""
    assert memory.import_apart("json") is sys.modules["json"]
    with pytest.raises(ModuleNotFoundError):
        memory.import_apart("digest_no_such_module")


def test_decoding_a_gb18030_seed_leaves_no_cycle() -> None:
    """Decoding a GB18030 seed (UTF-8 tried first and failed) leaves nothing for the collector: a kept
    exception would hold the reader's frames, and with them the seed's text and lines."""
    data = "平湖街道“十四五”规划\n".encode("gb18030") * 20
    gc.collect()
    with memory.quiet_gc():
        text, encoding, _ = decode(data, "seed.txt")
        assert encoding == "gb18030" and text.startswith("平湖街道")
        assert gc.collect() == 0


def test_quiet_gc_nests_and_restores_the_collector() -> None:
    """quiet_gc turns the collector off inside and restores its state when the outermost block ends."""
    assert gc.isenabled()
    with memory.quiet_gc():
        assert not gc.isenabled()
        with memory.quiet_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


ANALYSE_AND_LIST_FRAMES = textwrap.dedent("""
    import gc, sys
    from pathlib import Path
    from digest import config, pipeline
    assert "jieba" not in sys.modules
    settings = config.load(Path(sys.argv[1]))
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    report = pipeline.analyse(settings)  # no site key: no memo, every stage computes (jieba too)
    gc.collect()
    assert "jieba" in sys.modules and report.documents
    for obj in gc.garbage:
        if type(obj).__name__ == "frame" and "/digest/" in obj.f_code.co_filename \\
                and not obj.f_code.co_filename.endswith("/memory.py"):  # the import's thread
            print(obj.f_code.co_filename, obj.f_code.co_name)
""")


def test_the_analysis_leaves_no_frame_of_its_stages_to_the_collector(tmp_path: Path) -> None:
    """A cold analysis (in a fresh interpreter, so that jieba is imported during it) leaves no frame of
    Digest's stages in a reference cycle (memory.import_apart's thread has its own): such a frame would
    keep what the stage held (every document's blocks) alive while the collector is off and, frozen,
    until the stage ends."""
    import subprocess

    from tests.conftest import ROOT, copy_project

    project = copy_project(tmp_path)
    done = subprocess.run([sys.executable, "-c", ANALYSE_AND_LIST_FRAMES, str(project)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == ""


def test_leaving_quiet_gc_leaves_nothing_young_to_walk() -> None:
    """What a quiet_gc block made is old when it ends: the youngest generation holds none of it (the
    next collection would walk it all), it is in the oldest generation and nothing stays frozen."""
    gc.collect()
    before = gc.get_freeze_count()
    with memory.quiet_gc():
        made = [[n] for n in range(50_000)]
        assert gc.get_count()[0] >= 50_000
    assert gc.get_count()[0] < 1_000
    assert gc.get_freeze_count() == before
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest
