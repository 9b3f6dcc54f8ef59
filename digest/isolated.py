"""Run the digest stage in a process of its own (``digest build``; ``pipeline.build(isolate=True)``).

The analysis holds every document, its marks and the corpus products: at 10,000 documents,
about two gigabytes. Once content/ is written none of it is needed, but a Python process
does not give such memory back, and MkDocs' reading workers would run beside it. So the
stage runs in a spawned child process: it writes content/ into the build's temporary
folder, sends back what the rest of the build needs (``Staged``, its report detached from
the documents) and ends, freeing its memory before MkDocs starts. Progress (the seed being
read) is relayed to the parent's callback.

A user's mistake raised in the child (a :class:`DigestError`) is raised again in the parent
with the same class and message, so the CLI prints it as one line; anything else is a bug
and fails with the child's traceback.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import queue
import resource
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.config import Settings
from digest.exceptions import BuildError, DigestError

if TYPE_CHECKING:
    from digest.pipeline import Progress, Staged

StageFn = Callable[..., "Staged"]


def run(stage: StageFn, settings: Settings, tmp_content: Path, site_key: str, strict: bool,
        progress: Progress | None, site_title: str) -> Staged:
    """``stage(settings, tmp_content, site_key, strict, progress, site_title)`` in a child process."""
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    child = ctx.Process(target=_child, name="digest-stage",  # not a daemon: it starts a converter worker
                        args=(messages, f"{stage.__module__}:{stage.__qualname__}", settings, tmp_content, site_key,
                              strict, progress is not None, site_title))
    child.start()
    try:
        while True:
            try:
                kind, value = messages.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive():
                    raise BuildError(f"The digest stage stopped unexpectedly (exit code {child.exitcode})") from None
                continue
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "done":
                return value
            elif kind == "error":
                raise _user_error(*value)
            else:
                raise RuntimeError(f"The digest stage failed:\n{value}")
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()


def _child(messages: Any, target: str, settings: Settings, tmp_content: Path, site_key: str, strict: bool,
           report_progress: bool, site_title: str) -> None:
    module, name = target.split(":")
    stage = getattr(importlib.import_module(module), name)
    done = False
    try:
        staged = stage(settings, tmp_content, site_key, strict,
                       (lambda seed: messages.put(("progress", seed))) if report_progress else None, site_title)
        gc.disable()  # the stage's objects die with the process: no collection need walk them again
        whole = staged.report  # and none is freed one by one (at 10,000 documents, millions of them: seconds)
        staged.pending = tmp_content.parent / "annotations-pending"
        staged.report = whole.detached(staged.pending)
        staged.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB
        messages.put(("done", staged))
        done = True
    except DigestError as exc:
        messages.put(("error", (type(exc).__module__, type(exc).__qualname__, str(exc))))
    except BaseException:
        messages.put(("crash", traceback.format_exc()))
    messages.close()
    messages.join_thread()  # everything sent before the process ends
    if done:  # the stage closed its files and databases; what is left is memory, which the system takes back
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _user_error(module: str, qualname: str, message: str) -> DigestError:
    """The child's DigestError, same class and message (its own __init__ arguments are not needed)."""
    try:
        cls = getattr(importlib.import_module(module), qualname)
    except (ImportError, AttributeError):
        cls = BuildError
    if not (isinstance(cls, type) and issubclass(cls, DigestError)):
        cls = BuildError
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    return exc
