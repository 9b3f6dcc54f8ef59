"""The cyclic garbage collector, held off while the stages build their long-lived objects."""

from __future__ import annotations

import contextlib
import gc
import importlib
import threading
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection until the block ends; reference counting frees as always.

    The stages make millions of objects that live until the stage ends (documents, blocks, marks,
    term occurrences) and very few reference cycles that die. Python's collector runs every 700
    allocations and walks the young objects, and every few runs all of them: at 10,000 documents,
    a one-document rebuild spent 8.5 s in collections that freed 0.58 M objects (measured with
    ``gc.callbacks``), and the analysis took 23.1 s with the collector and 16.6 s without.
    Blocks nest: the state before the outermost one is restored. For the analysis, which makes
    few cycles; rendering makes more (templates' contexts), so it runs under :func:`frozen_gc`.

    What the block made is then old: it joins the oldest generation without a collection walking
    it. Re-enabled as it was, the collector would find every object made in the block still young
    and walk them all at the next allocation: 1.7 s after the analysis of a one-document rebuild
    at 10,000 documents (cProfile), to free next to nothing. Left alone when objects are frozen
    (inside :func:`frozen_gc`), whose freeze this would undo."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()  # every tracked object, and the youngest generation's count back to 0
                gc.unfreeze()  # into the oldest generation
            gc.enable()


@contextlib.contextmanager
def frozen_gc() -> Iterator[None]:
    """The objects alive now are left out of garbage collection until the block ends; what the block
    makes is collected as usual. Rendering makes reference cycles (template contexts among them) that
    :func:`quiet_gc` would keep until the stage ends: the stage's peak at 10,000 documents, cold, was
    1,938 MB with the collector off throughout and 1,873 MB like this (maximum resident size).

    The frozen objects are the documents and what the enrichers made: millions, which Python's full
    collections would otherwise walk again and again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def import_apart(name: str) -> ModuleType:
    """Import module ``name`` in a thread of its own and return it.

    Some imports leave reference cycles that hold caught exceptions (jieba imports pkg_resources,
    whose parser keeps its exceptions): their tracebacks hold frames, and a frame holds its callers'
    frames. Imported lazily deep inside a stage, such a module would keep the stage's frames, and
    every object their variables held when they returned, until a cyclic collection; the analysis
    holds collections off (:func:`quiet_gc`) and rendering freezes what is alive (:func:`frozen_gc`),
    so they would live until the stage ends. A new thread's frames link to none of ours. Measured on
    1,000 documents, cold: the analysis left 39,000 objects to the collector with jieba imported in
    place (the term stage's list of every anchored block among them), 1,100 with it imported apart."""
    found: list[ModuleType] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            found.append(importlib.import_module(name))
        except BaseException as exc:  # handed to the caller, raised there
            failed.append(exc)

    thread = threading.Thread(target=run, name=f"import {name}")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return found[0]
