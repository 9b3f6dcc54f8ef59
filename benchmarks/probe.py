"""One measured ``digest build``, run as its own process by benchmarks/run.py.

    python benchmarks/probe.py build   PROJECT OUT.json
    python benchmarks/probe.py profile PROJECT OUT_PREFIX

``build`` runs the real command (``digest -C PROJECT build``) and writes the durations of its
phases and the peak memory to OUT.json. The digest stage runs in a process of its own
(digest/isolated.py) and times its phases itself (``pipeline.Staged.timings``):

  imports   loading Digest (the interpreter start is measured by the caller)
  analyse   seeds → documents: read, clean, split, structure, metadata, identity, enrichers
  render    documents → content/ Markdown (templates and generators)
  index     the search indexes of both scripts and the Traditional reading of content/
  mkdocs    content/ → site/ (Digest's MkDocs call, timed here: the three readings)
  rest      the remainder of the command: starting the stage's process, checking the published
            URLs, swapping content/ and site/ into place, saving the registry, ledgers and caches

``profile`` does the same under cProfile (the digest stage in the same process, so that the
profiler sees it), with one profile for the digest stage
(everything but MkDocs) and one for the MkDocs render: OUT_PREFIX-digest.prof and
OUT_PREFIX-mkdocs.prof.

    python benchmarks/probe.py mkdocs-rjieba build -q -f CONFIG

runs MkDocs with Material's search segmenting through rjieba (a lever, not Digest).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import cProfile  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# Digest is imported from PYTHONPATH (run.py sets it: the worktree, or --digest-src).


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the MkDocs workers)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def mkdocs_rjieba(argv: list[str]) -> int:
    """``mkdocs build`` with Material's search segmenting through rjieba (Rust) instead of jieba.

    The user dictionary named by the ``DIGEST_JIEBA_USER`` variable is added word by word."""
    import os

    import jieba
    import rjieba

    user = os.environ.get("DIGEST_JIEBA_USER")
    if user and Path(user).exists():
        for line in Path(user).read_text(encoding="utf-8").splitlines():
            if line.split():
                rjieba.add_word(line.split()[0], 2000, None)

    def cut(text, *args, **kwargs):
        return rjieba.cut(text.decode("utf-8") if isinstance(text, bytes) else text)

    jieba.cut = cut
    from mkdocs.__main__ import cli

    return int(cli.main(args=argv, prog_name="mkdocs", standalone_mode=False) or 0)


def main(argv: list[str]) -> int:
    if argv[0] == "mkdocs-rjieba":
        return mkdocs_rjieba(argv[1:])
    mode, project, out = argv[0], argv[1], argv[2]
    from digest import cli, isolated, pipeline, site

    timings: dict[str, float] = {"imports": time.perf_counter() - T_START}
    cpu: dict[str, float] = {}
    marks: dict[str, float] = {}
    profilers: dict[str, cProfile.Profile] = {}
    if mode == "profile":
        profilers = {"digest": cProfile.Profile(), "mkdocs": cProfile.Profile()}

    def timed(name: str, fn, phase: str = "digest"):
        def wrapper(*args, **kwargs):
            t, c = time.perf_counter(), _cpu()
            if profilers and phase == "mkdocs":
                profilers["digest"].disable()
                profilers["mkdocs"].enable()
            try:
                return fn(*args, **kwargs)
            finally:
                if profilers and phase == "mkdocs":
                    profilers["mkdocs"].disable()
                    profilers["digest"].enable()
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
                cpu[name] = cpu.get(name, 0.0) + _cpu() - c

        return wrapper

    # The digest stage runs in a child process (digest/isolated.py): it times its own phases and
    # reports its peak memory in the Staged it hands back, which is captured here.
    staged_box: list = []
    run_stage = isolated.run

    def captured(*args, **kwargs):
        staged = run_stage(*args, **kwargs)
        staged_box.append(staged)
        return staged

    isolated.run = captured
    if mode == "profile":  # one process, so that cProfile sees the digest stage
        stage = pipeline.digest_stage  # the same phases, timed the same way

        def in_process(*args, **kwargs):
            staged = stage(*args, **kwargs)
            staged_box.append(staged)
            return staged

        pipeline.digest_stage = in_process
        build = pipeline.build
        pipeline.build = lambda *a, **k: build(*a, **{**k, "isolate": False})

    build_all = site.build_all  # every reading (in worker processes unless workers: 1)

    def measured_site(*args, **kwargs):
        marks["maxrss_before_mkdocs_mb"] = _maxrss_mb()
        return build_all(*args, **kwargs)

    site.build_all = timed("mkdocs", measured_site, phase="mkdocs")

    t = time.perf_counter()
    if profilers:
        profilers["digest"].enable()
    try:
        rc = cli.main(["-C", project, "build"])
    finally:
        if profilers:
            profilers["digest"].disable()
    command = time.perf_counter() - t
    memo: dict[str, list[int]] = {}
    peak_stage = 0.0
    if staged_box:
        timings.update(staged_box[0].timings)  # analyse, render, index
        memo = staged_box[0].report.context.data.get("memo_counts", {})
        peak_stage = staged_box[0].peak_mb
    timings["rest"] = command - sum(timings.get(k, 0.0) for k in ("analyse", "render", "index", "mkdocs"))
    result = {
        "rc": rc,
        "timings": {k: round(v, 4) for k, v in timings.items()},
        "cpu": {k: round(v, 4) for k, v in cpu.items()},
        # the digest stage's peak: its own process's, or (in-process) this one's before MkDocs
        "maxrss_digest_mb": round(max(peak_stage, marks.get("maxrss_before_mkdocs_mb", _maxrss_mb())), 1),
        "maxrss_mb": round(max(_maxrss_mb(), peak_stage), 1),
        "memo": memo,  # per stage [reused, computed] (digest/cache.py Memo)
    }
    if profilers:
        for name, prof in profilers.items():
            prof.dump_stats(f"{out}-{name}.prof")
        Path(f"{out}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    else:
        Path(out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return rc


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
