"""One measured ``digest build``, run as its own process by benchmarks/run.py.

    python benchmarks/probe.py build   PROJECT OUT.json
    python benchmarks/probe.py profile PROJECT OUT_PREFIX

``build`` runs the real command (``digest -C PROJECT build``) with timers wrapped
around the stages, and writes their durations and the peak memory to OUT.json:

  imports   loading Digest (the interpreter start is measured by the caller)
  analyse   seeds → documents: read, clean, split, structure, metadata, identity, enrichers
  render    documents → content/ Markdown (templates and generators)
  mkdocs    content/ → site/ (Digest's MkDocs call: config, Material, search, offline)
  rest      the remainder of the command: swap of content/ and site/, registry and ledgers saved

``profile`` does the same under cProfile, with one profile for the digest stage
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
    from digest import cli, pipeline, render, site, stages

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

    analyse = timed("analyse", pipeline.analyse)
    memo: dict[str, list[int]] = {}

    def counted(*args, **kwargs):
        report = analyse(*args, **kwargs)
        memo.update(report.context.data.get("memo_counts", {}))
        return report

    pipeline.analyse = counted
    render.render_site = timed("render", render.render_site)
    stages.GENERATORS[:] = [(n, timed("render", g)) for n, g in stages.GENERATORS]

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
    timings["rest"] = command - sum(timings.get(k, 0.0) for k in ("analyse", "render", "mkdocs"))
    result = {
        "rc": rc,
        "timings": {k: round(v, 4) for k, v in timings.items()},
        "cpu": {k: round(v, 4) for k, v in cpu.items()},
        "maxrss_digest_mb": round(marks.get("maxrss_before_mkdocs_mb", _maxrss_mb()), 1),
        "maxrss_mb": round(_maxrss_mb(), 1),
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
