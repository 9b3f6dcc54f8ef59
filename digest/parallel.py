"""Run a pure per-item function over many items on every CPU core (the per-document stages).

The work is split between this process and forked copies of it. A forked worker inherits the
function and its items as they are in memory, so neither is pickled: only the results travel back,
pickled, as the memos store them anyway. The function must be pure (its result depends on its
item and on state made before the call), which the memoised stages are by construction.

A worker that fails on an item, for any reason, hands the item back; this process then computes it
itself, so an exception (a bad seed, a bug) surfaces exactly as it would in a serial run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from digest.config import Settings

T = TypeVar("T")

MIN_ITEMS = 64  # fewer items than this are computed here: a fork costs more than it saves
CHUNKS_PER_PROCESS = 8  # items are handed out in chunks, so a process that finishes early takes more


class _Failed:
    """A placeholder for an item whose computation raised (in whichever process)."""


_TASK: tuple[Callable[[Any], Any], Sequence[Any], Any, int] | None = None  # what the forked workers inherit


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _take_chunks() -> dict[int, list[Any]]:
    """Take chunks of the items until none is left: {first index: results}, _Failed where one raised."""
    assert _TASK is not None
    fn, items, counter, chunk = _TASK
    done: dict[int, list[Any]] = {}
    while True:
        with counter.get_lock():
            start = counter.value
            counter.value = start + chunk
        if start >= len(items):
            return done
        out: list[Any] = []
        for i in range(start, min(start + chunk, len(items))):
            try:
                out.append(fn(items[i]))
            except Exception:
                out.append(_Failed())
        done[start] = out


def map_pure(fn: Callable[[Any], T], items: Sequence[Any], workers: int) -> list[T]:
    """``[fn(x) for x in items]``, computed by up to ``workers`` processes (this one among them)."""
    n = len(items)
    workers = min(workers, max(1, n // max(1, MIN_ITEMS)))
    global _TASK
    if workers <= 1 or not can_fork() or _TASK is not None:  # _TASK: a nested call; no forks of forks
        return [fn(x) for x in items]
    context = multiprocessing.get_context("fork")
    _TASK = (fn, items, context.Value("q", 0), max(1, n // (workers * CHUNKS_PER_PROCESS)))
    done: dict[int, list[Any]] = {}
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
            futures = [pool.submit(_take_chunks) for _ in range(workers - 1)]
            done.update(_take_chunks())
            for future in futures:
                with contextlib.suppress(Exception):  # a worker died (killed, out of memory)
                    done.update(future.result())  # … then its chunks are redone below
    finally:
        _TASK = None
    results: list[Any] = [None] * n
    covered = [False] * n
    for start, values in done.items():
        results[start:start + len(values)] = values
        covered[start:start + len(values)] = [True] * len(values)
    return [fn(items[i]) if not covered[i] or isinstance(results[i], _Failed) else results[i] for i in range(n)]


def workers(settings: Settings) -> int:
    """Processes for the per-document stages: the ``workers`` setting, or one per CPU core."""
    return settings.workers or cores()
