"""The per-document stages run on every core (digest.parallel): the same answers as one process,
the same errors in the same order, and a worker that dies costs time, never results."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from digest import cache, config, parallel, pipeline
from tests.conftest import copy_project


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _slow_pid_and_square(x: int) -> tuple[int, int]:
    time.sleep(0.005)  # long enough (1 s in all) for the forked worker to start and take chunks
    return os.getpid(), x * x


def test_map_pure_gives_the_serial_answer_computed_in_more_than_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers return exactly [f(x) for x in items], in order, and a forked process did part of it."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    items = list(range(200))
    got = parallel.map_pure(_slow_pid_and_square, items, 2)
    assert [sq for _pid, sq in got] == [x * x for x in items]
    pids = {pid for pid, _sq in got}
    assert os.getpid() in pids and len(pids) == 2


def test_map_pure_stays_in_this_process_for_few_items_or_one_worker() -> None:
    """Below MIN_ITEMS, or with one worker, nothing is forked."""
    small = parallel.map_pure(_pid_and_square, list(range(parallel.MIN_ITEMS - 1)), 2)
    one = parallel.map_pure(_pid_and_square, list(range(500)), 1)
    assert {pid for pid, _ in small + one} == {os.getpid()}


def _fails_on_seven(x: int) -> int:
    if x == 7:
        raise ValueError(f"bad item {x}")
    return x


def test_an_item_that_raises_in_a_worker_raises_here_as_in_a_serial_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker hands the item back; this process computes it and the exception surfaces unchanged."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    items = list(range(8, 0, -1)) * 10  # 7 falls into a worker's chunk as well as this process's
    with pytest.raises(ValueError, match="bad item 7"):
        parallel.map_pure(_fails_on_seven, items, 2)


_PARENT = os.getpid()


def _dies_in_a_worker(x: int) -> int:
    if os.getpid() != _PARENT:
        os._exit(3)  # killed mid-chunk: nothing comes back from this worker
    return x + 1


def test_a_worker_that_dies_costs_time_not_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks a dead worker took are computed again here; the answer is complete."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    items = list(range(300))
    assert parallel.map_pure(_dies_in_a_worker, items, 2) == [x + 1 for x in items]


def _stage(root: Path, out: Path, workers: int) -> pipeline.Staged:
    settings = dataclasses.replace(config.load(root), workers=workers)
    return pipeline.digest_stage(settings, out, cache.site_key(settings))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_digest_stage_writes_the_same_content_with_one_or_two_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading, term and quote matching and facts done by two processes write byte-identical content/,
    report the same errors and warnings in the same order, and count the same memo work."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    forks: list[int] = []
    real = parallel.map_pure

    def counting(fn: Callable[[Any], Any], items: Sequence[Any], workers: int, *rest: Any) -> list[Any]:
        if workers > 1 and len(items) > 1:
            forks.append(len(items))
        return real(fn, items, workers, *rest)

    monkeypatch.setattr(parallel, "map_pure", counting)
    (tmp_path / "p").mkdir()
    root = copy_project(tmp_path / "p")
    (root / "seeds" / "000_empty.txt").write_bytes(b"")  # a bad seed among good ones: an error, in order
    (root / "seeds" / "001_binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    staged = {}
    for workers in (1, 2):
        shutil.rmtree(cache.cache_dir(config.load(root)), ignore_errors=True)  # both runs compute everything
        staged[workers] = _stage(root, tmp_path / f"content-{workers}", workers)
    assert forks, "the two-worker run never split its work"
    one, two = staged[1].report, staged[2].report
    assert len(one.errors) == 2 and "000_empty.txt" in one.errors[0] and "001_binary.txt" in one.errors[1]
    assert two.errors == one.errors
    assert [str(w) for w in two.warnings] == [str(w) for w in one.warnings]
    assert two.context.data["memo_counts"] == one.context.data["memo_counts"]
    a, b = _files(tmp_path / "content-1"), _files(tmp_path / "content-2")
    assert sorted(a) == sorted(b) and [rel for rel in a if a[rel] != b[rel]] == []
    # What the workers stored in the memos (their own pickles) serves the next build as it is.
    again = _stage(root, tmp_path / "content-3", 2).report.context.data["memo_counts"]
    assert {stage: hits for stage, (hits, _computed) in again.items() if stage in ("read", "terms", "facts")} \
        == {stage: computed for stage, (_hits, computed) in two.context.data["memo_counts"].items()
            if stage in ("read", "terms", "facts")}
    assert _files(tmp_path / "content-3") == a


def test_a_workers_results_arrive_as_their_pickles(monkeypatch: pytest.MonkeyPatch) -> None:
    """``receive`` gets each result a worker computed as the pickle it travelled in (a memo stores it
    without pickling again) and says what to keep; this process's own results are kept as they are."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    items = list(range(200))
    blobs: dict[int, bytes] = {}

    def receive(i: int, blob: bytes) -> tuple[int, int]:
        blobs[i] = blob
        value: tuple[int, int] = pickle.loads(blob)
        return value

    got = parallel.map_pure(_slow_pid_and_square, items, 2, receive)
    assert [sq for _pid, sq in got] == [x * x for x in items]
    assert blobs and all(pickle.loads(b) == got[i] and got[i][0] != os.getpid() for i, b in blobs.items())
    assert all(pid == os.getpid() for i, (pid, _sq) in enumerate(got) if i not in blobs)
