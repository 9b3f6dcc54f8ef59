"""Run a pure per-item function over many items on every CPU core (the per-document stages).

The work is split between this process and forked copies of it. A forked worker inherits the
function and its items as they are in memory, so neither is pickled: only the results travel back,
pickled, as the memos store them anyway. The function must be pure (its result depends on its
item and on state made before the call), which the memoised stages are by construction.

A worker that fails on an item, for any reason, hands the item back; this process then computes it
itself, so an exception (a bad seed, a bug) surfaces exactly as it would in a serial run.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from digest.config import Settings

T = TypeVar("T")

MIN_ITEMS = 64  # fewer items than this are computed here: a fork costs more than it saves
CHUNKS_PER_PROCESS = 8  # items are handed out in chunks, so a process that finishes early takes more


class _Failed:
    """A placeholder for an item not computed: it raised (in whichever process), or its worker died."""


_TASK: tuple[Callable[[Any], Any], Sequence[Any], Any, int] | None = None  # what the forked workers inherit


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True, slots=True)
class Pickled:
    """A result computed by a worker, as the pickle it travelled in (a memo stores it as it is)."""

    blob: bytes


def _take_chunk(pickled: bool = False) -> tuple[int, list[Any]] | None:
    """Take the next chunk of the items: (its first index, its results, _Failed where one raised), or
    None when all are taken. A worker returns each chunk as it is done, so it never holds more, and
    pickles each result itself (``pickled``), once."""
    assert _TASK is not None
    fn, items, counter, chunk = _TASK
    with counter.get_lock():
        start = counter.value
        counter.value = start + chunk
    if start >= len(items):
        return None
    out: list[Any] = []
    for i in range(start, min(start + chunk, len(items))):
        try:
            value = fn(items[i])
        except Exception:
            out.append(_Failed())
        else:
            out.append(Pickled(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) if pickled else value)
    return start, out


def map_pure(fn: Callable[[Any], T], items: Sequence[Any], workers: int,
             receive: Callable[[int, bytes], T] | None = None) -> list[T]:
    """``[fn(x) for x in items]``, computed by up to ``workers`` processes (this one among them).

    A result a worker computed arrives as its pickle: ``receive(i, blob)`` turns it into the value
    (a memo stores the blob as it is); by default it is unpickled. Results are taken in as their
    chunks arrive, between this process's own chunks, so that no more than a few chunks' pickles
    are held at once."""
    n = len(items)
    workers = min(workers, max(1, n // max(1, MIN_ITEMS)))
    global _TASK
    if workers <= 1 or not can_fork() or _TASK is not None:  # _TASK: a nested call; no forks of forks
        return [fn(x) for x in items]
    take = receive or (lambda _i, blob: pickle.loads(blob))
    context = multiprocessing.get_context("fork")
    chunk = max(1, n // (workers * CHUNKS_PER_PROCESS))
    _TASK = (fn, items, context.Value("q", 0), chunk)
    results: list[Any] = [_Failed()] * n  # not computed yet, or failed: computed here at the end

    def put(start: int, values: list[Any]) -> None:
        for i, value in enumerate(values, start):
            results[i] = take(i, value.blob) if isinstance(value, Pickled) else value

    try:
        with warnings.catch_warnings(), ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
            # Python 3.12 warns when a process with threads forks (a lock held by another thread stays
            # held in the child). The workers only compute: they take no lock but the chunk counter's.
            warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning)
            pending = [pool.submit(_take_chunk, True) for _ in range(-(-n // chunk))]
            while True:
                while pending and pending[0].done():
                    _absorb(pending.pop(0), put)
                mine = _take_chunk()
                if mine is None:
                    break
                put(*mine)
            for future in pending:
                _absorb(future, put)
    finally:
        _TASK = None
    for i, r in enumerate(results):
        if isinstance(r, _Failed):
            results[i] = fn(items[i])
    return results


def _absorb(future: Future[tuple[int, list[Any]] | None], put: Callable[[int, list[Any]], None]) -> None:
    """Take in a worker's chunk; a worker that died (killed, out of memory) leaves its chunk to redo."""
    try:
        theirs = future.result()
    except Exception:
        return
    if theirs is not None:
        put(*theirs)


def workers(settings: Settings) -> int:
    """Processes for the per-document stages: the ``workers`` setting, or one per CPU core."""
    return settings.workers or cores()
