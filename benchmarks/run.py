"""Scale benchmark: Digest against MkDocs alone and against Hugo, on synthetic corpora.

    python benchmarks/run.py                      # N = 100 and 1,000
    python benchmarks/run.py --sizes 100,1000,10000
    python benchmarks/run.py --quick              # N = 100, main columns only
    python benchmarks/run.py --levers --profile   # also the lever experiments and a cProfile at 1,000

Every measured step is its own process (wall time from the outside, peak memory from
``wait4``). Results go to benchmarks/results/latest.md and latest.json, rewritten after
every step so that an interrupted run keeps what it measured. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PY = sys.executable
DIGEST_SRC = ROOT  # the folder holding the `digest` package under test (--digest-src)
TARGET_DIGEST_SHARE = 0.10  # digest stage ≤ 10% of the MkDocs render at 1,000
TARGET_VS_HUGO = 2.5  # full build ≤ 2.5 × Hugo at 1,000
TARGET_NOCHANGE_S = 1.0  # no-change rebuild of the digest stage ≤ 1 s at 1,000
TARGET_PEAK_MB = 2048  # peak memory ≤ 2 GB at 10,000
EDIT = "另据统计，相关数据已于近日更新。"  # appended to one paragraph for the one-document rebuild
EDITED_DOCS_MAX = 3  # documents one seed may hold (a newspaper page): what the one-seed edit may re-analyse


# ----------------------------------------------------------------------------- processes


def _pss_kb(pid: str, page_kb: int) -> int:
    """A process's proportional set size in KB (smaps_rollup), else its resident size (statm)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/statm", "rb") as f:
        return int(f.read().split()[1]) * page_kb


class TreeMemory(threading.Thread):
    """Samples (every 50 ms) the summed memory of every process in a step's session.

    ``wait4`` gives the peak of the largest single process; a build that renders in parallel
    worker processes holds their memory at the same time, and this is what the machine sees.
    Each process counts its proportional set size (PSS: a page shared by k processes counts 1/k
    in each), so a forked worker's pages shared with its parent are not counted twice, as
    summed resident sizes would; where PSS is unavailable, the resident size.
    """

    def __init__(self, sid: int) -> None:
        super().__init__(daemon=True)
        self.sid, self.peak_kb, self._halt = sid, 0, threading.Event()

    def run(self) -> None:
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        while not self._halt.is_set():
            total = 0
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        fields = f.read().rsplit(b")", 1)[1].split()
                    if int(fields[3]) != self.sid:  # session id (field 6 of stat)
                        continue
                    total += _pss_kb(entry.name, page_kb)
                except (OSError, IndexError, ValueError):
                    continue
            self.peak_kb = max(self.peak_kb, total)
            self._halt.wait(0.05)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_step(
    name: str, cmd: list[str], cwd: Path, timeout: float, logs: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``cmd`` as a process of its own; wall time, CPU time, peak RSS, exit status."""
    logs.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "PYTHONPATH": str(DIGEST_SRC), **(env or {})}
    load_before = os.getloadavg()[0]
    with open(logs / f"{name}.out", "wb") as out, open(logs / f"{name}.err", "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=out, stderr=err, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the step's own process group

        timer = threading.Timer(timeout, kill)
        timer.start()
        sampler = TreeMemory(proc.pid)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    result: dict[str, Any] = {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "maxrss_mb": round(usage.ru_maxrss / 1024, 1),
        "tree_peak_mb": round(sampler.peak_kb / 1024, 1),  # all processes of the step at once (workers)
        "rc": proc.returncode,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    if timed_out.is_set():
        result["timed_out"] = True
        result["note"] = f"killed after {timeout:.0f} s"
    elif proc.returncode != 0:
        tail = (logs / f"{name}.err").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        result["note"] = " | ".join(tail)[:300]
    return result


def peak_mb(step: dict[str, Any]) -> float:
    """The step's peak memory: its largest process (wait4), or all its processes at once if more."""
    return max(float(step.get("maxrss_mb") or 0), float(step.get("tree_peak_mb") or 0))


def ok(step: dict[str, Any] | None) -> bool:
    return step is not None and step.get("rc") == 0 and not step.get("timed_out")


# ----------------------------------------------------------------------------- files


def tree_hashes(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def diff(a: dict[str, str], b: dict[str, str]) -> dict[str, int]:
    return {
        "changed": sum(1 for k in a.keys() & b.keys() if a[k] != b[k]),
        "added": len(b.keys() - a.keys()),
        "removed": len(a.keys() - b.keys()),
    }


def is_search_file(rel: str) -> bool:
    """Search-index files: any path with 'search' in it, but not the theme's bundled worker code."""
    return "search" in rel.lower() and not rel.startswith("assets/javascripts/")


_HREF = re.compile(r'href="([^"#?]*)')


def page_metrics(site: Path, pages_glob: str, n_docs: int) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    search = sum(p.stat().st_size for p in files if is_search_file(p.relative_to(site).as_posix()))
    docs = sorted(site.glob(pages_glob))
    ids = {p.stem if p.name != "index.html" else p.parent.name for p in docs}
    doc_bytes = [p.stat().st_size for p in docs]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size) if html else None
    step = max(1, len(docs) // 40)
    doc_links, nav_links = [], []
    for p in docs[::step]:
        text = p.read_text(encoding="utf-8", errors="replace")
        me = p.stem if p.name != "index.html" else p.parent.name
        targets = {Path(h).stem if not h.endswith("/") else Path(h).name for h in _HREF.findall(text)}
        doc_links.append(len((targets & ids) - {me}))
        nav_links.append(text.count("md-nav__link"))
    return {
        "site_bytes": total,
        "site_files": len(files),
        "doc_pages": len(docs),
        "doc_page_mean_bytes": round(sum(doc_bytes) / len(doc_bytes)) if doc_bytes else 0,
        "doc_page_max_bytes": max(doc_bytes, default=0),
        "largest_page": largest.relative_to(site).as_posix() if largest else "",
        "largest_page_bytes": largest.stat().st_size if largest else 0,
        "search_bytes": search,
        "search_bytes_per_doc": round(search / n_docs) if n_docs else 0,
        "site_bytes_per_doc": round(total / n_docs) if n_docs else 0,
        "max_other_docs_linked_from_a_doc_page": max(doc_links, default=0),
        "max_nav_links_in_a_doc_page": max(nav_links, default=0),
        "sampled_pages": len(doc_links),
    }


def edit_one_seed(seeds: Path) -> str:
    """Append a sentence to the longest line of the middle seed, in the seed's own encoding."""
    files = sorted(seeds.iterdir())
    path = files[len(files) // 2]
    data = path.read_bytes()
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    lines = text.split("\n")
    k = max(range(len(lines)), key=lambda i: len(lines[i]))
    end = lines[k].rstrip("\r")
    lines[k] = end + EDIT + lines[k][len(end) :]
    path.write_bytes("\n".join(lines).encode(enc))
    return path.name


# ----------------------------------------------------------------------------- peers


def _digest_mkdocs_config(project: Path) -> dict[str, Any]:
    import yaml

    return yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)


def write_mkdocs_variant(project: Path, dest: Path, variant: str) -> Path:
    """A plain MkDocs config over the project's content/ (same Markdown, same nav, fewer parts).

    material-bare         Material theme, Digest's features, no plugins (no search, no offline)
    mkdocs-plain          MkDocs' own theme, no plugins
    material-search       Material + its search plugin (zh, jieba), no offline   [lever]
    material-search-rjieba  the same, segmenting with rjieba                      [lever]
    material-fullnav      Material, no plugins, every page in the nav, no navigation.prune [lever]
    material-fullnav-prune  the same with navigation.prune                          [lever]
    """
    import yaml

    base = _digest_mkdocs_config(project)
    cfg: dict[str, Any] = {
        "site_name": base.get("site_name", "Digest"),
        "docs_dir": str(project / "content"),
        "site_dir": str(dest / "site"),
        "use_directory_urls": False,
        "strict": False,
        "markdown_extensions": base.get("markdown_extensions", []),
        "extra_css": base.get("extra_css", []),
        "nav": base.get("nav"),
        "plugins": [],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    features = [f for f in base.get("theme", {}).get("features", []) if f != "search.highlight"]
    if variant == "mkdocs-plain":
        cfg["theme"] = {"name": "mkdocs"}
    else:
        cfg["theme"] = {"name": "material", "language": "zh", "font": False, "features": features}
    if variant.startswith("material-search"):
        search: dict[str, Any] = next(
            (p["search"] for p in base.get("plugins", []) if isinstance(p, dict) and "search" in p), {}
        )
        user = project / ".digest" / "jieba_user.txt"
        cfg["plugins"] = [{"search": {**search, **({"jieba_dict_user": str(user)} if user.exists() else {})}}]
    if variant.startswith("material-fullnav"):
        cfg.pop("nav")
        keep = [f for f in features if f != "navigation.prune"]
        cfg["theme"]["features"] = [*keep, "navigation.prune"] if variant.endswith("prune") else keep
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


HUGO_CONFIG = """\
baseURL = "/"
title = "Digest"
languageCode = "zh"
uglyURLs = true
relativeURLs = true
# MkDocs writes no feed; Hugo's default RSS carries every page (111 MB and 4 GB of memory at 10,000)
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
  unsafe = true            # the pages carry Digest's (escaped) raw HTML blocks
[markup.goldmark.parser.attribute]
  title = true             # `# Title { #id }`
  block = true
"""
HUGO_PAGE = """\
<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "assets/digest.css" | relURL }}"></head>
<body><nav><a href="{{ "index.html" | relURL }}">Home 首页</a>
· <a href="{{ "by-issuer.html" | relURL }}">By issuer</a>
· <a href="{{ "by-year.html" | relURL }}">By year</a></nav>
<main>{{ .Content }}</main></body></html>
"""
HUGO_LINK = """\
<a href="{{ replaceRE `\\.md(#|$)` `.html$1` .Destination | safeURL }}"
  {{- with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>"""


def write_hugo_site(project: Path, dest: Path) -> Path:
    """A minimal Hugo site over a copy of content/: two one-file layouts, no theme."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "layouts" / "_default" / "_markup").mkdir(parents=True)
    (dest / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (dest / "layouts" / "_default" / name).write_text(HUGO_PAGE, encoding="utf-8")
    (dest / "layouts" / "_default" / "_markup" / "render-link.html").write_text(HUGO_LINK, encoding="utf-8")
    src = project / "content"
    for p in sorted(src.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(src)
        if p.suffix != ".md":
            target = dest / "static" / rel
        elif rel.as_posix() == "index.md":
            target = dest / "content" / "_index.md"  # Hugo's home page
        else:
            target = dest / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
    return dest


def ensure_hugo() -> tuple[str | None, str]:
    """Path of hugo and its version; installs the Debian package when missing and allowed."""
    hugo = shutil.which("hugo")
    if hugo is None and shutil.which("apt-get") and os.geteuid() == 0:
        try:
            subprocess.run(
                ["apt-get", "install", "-y", "-q", "hugo"], check=True, capture_output=True, timeout=900
            )
        except (subprocess.SubprocessError, OSError) as exc:
            return None, f"hugo could not be installed with apt-get: {exc}"
        hugo = shutil.which("hugo")
    if hugo is None:
        return None, "hugo is not installed (Debian package 'hugo'; needs root to install)"
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    return hugo, out


# ----------------------------------------------------------------------------- machine


def machine_info(hugo_version: str) -> dict[str, Any]:
    def ver(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    mem_kb = 0
    cpu = platform.processor()
    try:
        mem_kb = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            cpu,
        )
    except (OSError, StopIteration):
        pass
    git = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "digest"], capture_output=True, text=True
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": ver("mkdocs"),
        "mkdocs-material": ver("mkdocs-material"),
        "jieba": ver("jieba"),
        "rjieba": ver("rjieba"),
        "hugo": hugo_version,
        "digest_commit": git.stdout.strip()
        + (" (digest/ modified)" if dirty.stdout.strip() else "")
        + ("" if DIGEST_SRC == ROOT else f"; digest package from {DIGEST_SRC}"),
    }


# ----------------------------------------------------------------------------- one size


def measure(n: int, args: argparse.Namespace, results: dict[str, Any], save) -> None:
    work = args.workdir / f"n{n}"
    logs = work / "logs"
    res: dict[str, Any] = results["sizes"].setdefault(str(n), {})
    res["steps"] = steps = {}
    timeout = args.timeout_base + args.timeout_per_doc * n
    res["timeout_s"] = timeout

    t = time.perf_counter()
    project = corpus.write_project(work / "project", n, args.seed, material=args.material)
    res["generate_s"] = round(time.perf_counter() - t, 2)
    res["seed_bytes"] = sum(p.stat().st_size for p in (project / "seeds").iterdir())
    save()

    def digest_build(name: str) -> dict[str, Any]:
        out = work / f"{name}.json"
        step = run_step(
            name, [PY, str(HERE / "probe.py"), "build", str(project), str(out)], project, timeout, logs
        )
        if ok(step) and out.exists():
            probe = json.loads(out.read_text(encoding="utf-8"))
            step["probe"] = probe
            mk, mk_cpu = probe["timings"].get("mkdocs", 0.0), probe["cpu"].get("mkdocs", 0.0)  # 0: build skipped
            step["stamp_hit"] = "analyse" not in probe["timings"]  # the build stamp matched (digest/cache.py)
            step["mkdocs_s"] = mk
            step["digest_stage_s"] = round(step["wall_s"] - mk, 3)
            step["mkdocs_cpu_s"] = mk_cpu
            step["digest_stage_cpu_s"] = round(step["cpu_s"] - mk_cpu, 3)
            step["maxrss_digest_stage_mb"] = probe["maxrss_digest_mb"]
        steps[name] = step
        save()
        print(
            f"  N={n} {name}: {step.get('wall_s')} s" + (f" ({step['note']})" if "note" in step else ""),
            flush=True,
        )
        return step

    cold = digest_build("digest_build")
    if not ok(cold):
        return
    res["documents"] = len(list((project / "content" / "docs").glob("*.md")))
    res["site"] = page_metrics(project / "site", "docs/*.html", res["documents"])
    before = {"content": tree_hashes(project / "content"), "site": tree_hashes(project / "site")}
    save()

    nochange = digest_build("rebuild_nochange")
    if ok(nochange):
        after = {"content": tree_hashes(project / "content"), "site": tree_hashes(project / "site")}
        nochange["files"] = {k: diff(before[k], after[k]) for k in before}
        before = after
    res["edited_seed"] = edit_one_seed(project / "seeds")
    onedoc = digest_build("rebuild_one_doc")
    if ok(onedoc):
        after = {"content": tree_hashes(project / "content"), "site": tree_hashes(project / "site")}
        onedoc["files"] = {k: diff(before[k], after[k]) for k in before}
    save()

    variants = ["material-bare", "mkdocs-plain"]
    if args.levers and n <= args.levers_max:
        variants += ["material-search", "material-search-rjieba"]
        if n <= args.fullnav_max:
            variants += ["material-fullnav", "material-fullnav-prune"]
    res["peers"] = peers = {}
    for variant in variants:
        dest = work / "peers" / variant
        if dest.exists():
            shutil.rmtree(dest)
        cfg = write_mkdocs_variant(project, dest, variant)
        if variant.endswith("rjieba"):
            cmd = [PY, str(HERE / "probe.py"), "mkdocs-rjieba", "build", "-q", "-f", str(cfg)]
        else:
            cmd = [PY, "-m", "mkdocs", "build", "-q", "-f", str(cfg)]
        env = {"DIGEST_JIEBA_USER": str(project / ".digest" / "jieba_user.txt")}
        step = run_step(variant, cmd, dest, timeout, logs, env)
        if ok(step):
            step["site"] = page_metrics(dest / "site", "docs/*.html", res["documents"])
        peers[variant] = step
        print(
            f"  N={n} {variant}: {step.get('wall_s')} s" + (f" ({step['note']})" if "note" in step else ""),
            flush=True,
        )
        save()
        shutil.rmtree(dest / "site", ignore_errors=True)

    if args.hugo:
        dest = write_hugo_site(project, work / "peers" / "hugo")
        step = run_step(
            "hugo",
            [
                args.hugo,
                "--source",
                str(dest),
                "--destination",
                str(dest / "public"),
                "--cacheDir",
                str(dest / ".cache"),
                "--quiet",
            ],
            dest,
            timeout,
            logs,
        )
        if ok(step):
            step["site"] = page_metrics(dest / "public", "docs/*.html", res["documents"])
        peers["hugo"] = step
        print(
            f"  N={n} hugo: {step.get('wall_s')} s" + (f" ({step['note']})" if "note" in step else ""),
            flush=True,
        )
        save()
        shutil.rmtree(dest, ignore_errors=True)
    else:
        peers["hugo"] = {"skipped": results["machine"]["hugo"]}

    if args.profile and n in args.profile_sizes:
        prof_project = corpus.write_project(work / "profile", n, args.seed, material=args.material)
        prefix = work / "profile-run"
        step = run_step(
            "profile",
            [PY, str(HERE / "probe.py"), "profile", str(prof_project), str(prefix)],
            prof_project,
            timeout * 3,
            logs,
        )
        if ok(step):
            res["profile"] = write_profile(prefix, n, args.out.parent / f"{args.out.stem}-profile-{n}.md")
        save()
        shutil.rmtree(prof_project, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work / "peers", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)


def write_profile(prefix: Path, n: int, target: Path) -> dict[str, Any]:
    """Top costs of a cold build under cProfile, digest stage and MkDocs apart."""
    import io

    out: dict[str, Any] = {}
    text: list[str] = [f"# cProfile of a cold `digest build` at N={n} (benchmarks/run.py --profile)\n"]
    for part in ("digest", "mkdocs"):
        stats = pstats.Stats(f"{prefix}-{part}.prof")
        rows = []
        for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            rows.append(
                {
                    "function": f"{_short(file)}:{line}({func})",
                    "calls": ncalls,
                    "tottime_s": round(tottime, 3),
                    "cumtime_s": round(cumtime, 3),
                }
            )
        rows.sort(key=lambda r: r["tottime_s"], reverse=True)
        out[part] = {"total_s": round(stats.total_tt, 3), "top": rows[:15]}  # type: ignore[attr-defined]
        for key in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(f"{prefix}-{part}.prof", stream=buf).sort_stats(key).print_stats(30)
            text.append(f"\n## {part}: top 30 by {key}\n\n```\n{_strip_paths(buf.getvalue().strip())}\n```\n")
    target.write_text("".join(text), encoding="utf-8")
    out["file"] = target.name
    return out


def _short(file: str) -> str:
    for marker in ("site-packages/", "/wt-bench/", str(ROOT) + "/", "/lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def _strip_paths(text: str) -> str:
    text = re.sub(r"\S*site-packages/", "", text)
    text = text.replace(str(ROOT) + "/", "")
    return re.sub(r"\S*/lib/python3\.\d+/", "", text)


# ----------------------------------------------------------------------------- report


def _s(v: Any, digits: int = 2) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def _step_s(step: dict[str, Any] | None, key: str = "wall_s") -> str:
    if not step:
        return "—"
    if step.get("timed_out"):
        return "timeout"
    if step.get("rc") not in (0, None):
        return "failed"
    if "skipped" in step:
        return "skipped"
    return _s(step.get(key))


def _wc(step: dict[str, Any] | None, key: str = "wall_s", cpu_key: str = "cpu_s") -> str:
    """``wall / CPU`` seconds."""
    wall = _step_s(step, key)
    if step is None or not ok(step) or step.get(cpu_key) is None:
        return wall
    return f"{wall} / {step[cpu_key]:.2f}"


def _mb(b: float | None) -> str:
    return "—" if b is None else f"{b / 1024 / 1024:.1f}"


def _kb(b: float | None) -> str:
    return "—" if b is None else f"{b / 1024:.1f}"


def render_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"# {results.get('title') or 'Benchmark results (latest run)'}",
        "",
        f"Run {results['started']} → {results.get('finished', '(unfinished)')} · `python benchmarks/run.py "
        f"{results['argv']}` · corpus seed {results['seed']}. What the columns mean: [README](../README.md).",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}. "
        f"Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, jieba {m['jieba']}, "
        f"rjieba {m['rjieba']}, Hugo: {m['hugo']}. Digest at {m['digest_commit']}.",
        "",
        "## Full build (seconds: wall clock / CPU; each build a process of its own)",
        "",
        "The machine is shared: other work may run at the same time (load average at each step in the JSON, "
        "range in the notes below). CPU seconds are the steadier figure for the single-threaded "
        "Python builds; Hugo uses every core, so its CPU time exceeds its wall time.",
        "",
        "| N | docs | digest stage | MkDocs render | `digest build` total | stage / render (CPU) | "
        "Material, no plugins | MkDocs theme, no plugins | Hugo | total / Hugo (wall; CPU of digest) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = sorted(results["sizes"], key=int)
    for n in sizes:
        r = results["sizes"][n]
        st, peers = r.get("steps", {}), r.get("peers", {})
        b = st.get("digest_build")
        hugo = peers.get("hugo")
        share = vs_hugo = "—"
        if ok(b):
            share = f"{b['digest_stage_cpu_s'] / b['mkdocs_cpu_s']:.0%}"
            if ok(hugo):
                vs_hugo = f"{b['wall_s'] / hugo['wall_s']:.1f}× / {b['cpu_s'] / hugo['wall_s']:.1f}×"
        lines.append(
            f"| {int(n):,} | {r.get('documents', '—')} | {_wc(b, 'digest_stage_s', 'digest_stage_cpu_s')} | "
            f"{_wc(b, 'mkdocs_s', 'mkdocs_cpu_s')} | {_wc(b)} | {share} | "
            f"{_wc(peers.get('material-bare'))} | "
            f"{_wc(peers.get('mkdocs-plain'))} | {_wc(hugo)} | {vs_hugo} |"
        )
    lines += [
        "",
        "## Digest stage in detail (seconds, inside the cold `digest build`)",
        "",
        "| N | start + imports | analyse | render | search indexes + Traditional | MkDocs | rest: stage process "
        "start, URL check, swap, saves | peak RSS of the digest stage (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        b = results["sizes"][n].get("steps", {}).get("digest_build")
        if not ok(b):
            continue
        t = b["probe"]["timings"]
        parts = ("analyse", "render", "index", "mkdocs", "rest")
        start = b["wall_s"] - sum(t.get(k, 0.0) for k in parts)
        lines.append(
            f"| {int(n):,} | {start:.2f} | " + " | ".join(f"{t.get(k, 0.0):.2f}" for k in parts)
            + f" | {b['maxrss_digest_stage_mb']:.0f} |"
        )
    lines += [
        "",
        "## Rebuilds (seconds; files = content/ and site/ files whose bytes changed)",
        "",
        "| N | no change: digest stage | no change: total | files changed | "
        "one document edited: digest stage | total | content/ files changed | site/ files changed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        st = results["sizes"][n].get("steps", {})
        a, o = st.get("rebuild_nochange"), st.get("rebuild_one_doc")
        fa = a.get("files", {}) if a else {}
        fo = o.get("files", {}) if o else {}
        changed_a = sum(v["changed"] + v["added"] + v["removed"] for v in fa.values()) if fa else "—"
        co, so = fo.get("content"), fo.get("site")
        lines.append(
            f"| {int(n):,} | {_wc(a, 'digest_stage_s', 'digest_stage_cpu_s')} | {_wc(a)} | {changed_a} | "
            f"{_wc(o, 'digest_stage_s', 'digest_stage_cpu_s')} | {_wc(o)} | "
            f"{co['changed'] + co['added'] + co['removed'] if co else '—'} | "
            f"{so['changed'] + so['added'] + so['removed'] if so else '—'} |"
        )
    lines += [
        "",
        "## Memory and weight",
        "",
        "| N | peak memory `digest build`, all its processes at once (MB) | peak RSS Material no plugins (MB) "
        "| peak RSS Hugo (MB) "
        "| site (MB) | "
        "site per doc (KB) | search index per doc (KB) | doc page mean / max (KB) | largest page (KB) | "
        "most other documents linked from one doc page |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        r = results["sizes"][n]
        b = r.get("steps", {}).get("digest_build")
        s = r.get("site")
        peers = r.get("peers", {})
        if not (ok(b) and s):
            continue
        lines.append(
            f"| {int(n):,} | {peak_mb(b):.0f} "
            f"| {_s((peers.get('material-bare') or {}).get('maxrss_mb'), 0)} | "
            f"{_s((peers.get('hugo') or {}).get('maxrss_mb'), 0)} | {_mb(s['site_bytes'])} | "
            f"{_kb(s['site_bytes_per_doc'])} | {_kb(s['search_bytes_per_doc'])} | "
            f"{_kb(s['doc_page_mean_bytes'])} / {_kb(s['doc_page_max_bytes'])} | "
            f"{_kb(s['largest_page_bytes'])} (`{s['largest_page']}`) | "
            f"{s['max_other_docs_linked_from_a_doc_page']} |"
        )
    lever_rows = []
    for n in sizes:
        peers = results["sizes"][n].get("peers", {})
        for name in (
            "material-bare",
            "mkdocs-plain",
            "material-search",
            "material-search-rjieba",
            "material-fullnav",
            "material-fullnav-prune",
            "hugo",
        ):
            p = peers.get(name)
            if not p or "skipped" in p:
                continue
            s = p.get("site") or {}
            lever_rows.append(
                f"| {int(n):,} | {name} | {_wc(p)} | {_s(p.get('maxrss_mb'), 0)} "
                f"| {_mb(s.get('site_bytes'))} | "
                f"{_kb(s.get('doc_page_mean_bytes'))} | {_kb(s.get('search_bytes_per_doc'))} | "
                f"{s.get('max_other_docs_linked_from_a_doc_page', '—')} |"
            )
    if lever_rows:
        lines += [
            "",
            "## Peers and levers (same content/, each a process of its own)",
            "",
            "| N | build | seconds | peak RSS (MB) | site (MB) | doc page mean (KB) | search per doc (KB) | "
            "most other documents linked from one doc page |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
            *lever_rows,
        ]
    lines += ["", "## Targets (issue 9)", "", "| target | measured | met |", "|---|---|---|"]
    lines += targets(results)
    for n in sizes:
        prof = results["sizes"][n].get("profile")
        if not prof:
            continue
        lines += [
            "",
            f"## Top costs, cold build at N={int(n):,} (cProfile, own time; "
            f"full listing in [{prof.get('file')}]({prof.get('file')}))",
            "",
        ]
        for part in ("digest", "mkdocs"):
            lines += [
                f"**{part}** (profiled total {prof[part]['total_s']:.1f} s)",
                "",
                "| function | calls | own s | cumulative s |",
                "|---|---:|---:|---:|",
            ]
            lines += [
                f"| `{r['function']}` | {r['calls']} | {r['tottime_s']:.2f} | {r['cumtime_s']:.2f} |"
                for r in prof[part]["top"][:10]
            ]
            lines.append("")
    notes = [
        f"- N={int(n):,}: {name}: {step['note']}"
        for n in sizes
        for name, step in {
            **results["sizes"][n].get("steps", {}),
            **results["sizes"][n].get("peers", {}),
        }.items()
        if isinstance(step, dict) and step.get("note")
    ]
    if results["machine"]["hugo"] and not results.get("hugo_path"):
        notes.append(f"- Hugo skipped: {results['machine']['hugo']}")
    loads = [
        v
        for n in sizes
        for step in {**results["sizes"][n].get("steps", {}), **results["sizes"][n].get("peers", {})}.values()
        if isinstance(step, dict)
        for v in (step.get("load_before"), step.get("load_after"))
        if v is not None
    ]
    if loads:
        notes.append(
            f"- 1-minute load average around the measured steps: {min(loads):.1f} to {max(loads):.1f} "
            f"on {results['machine']['nproc']} cores."
        )
    notes.append("- Peak memory of all of a build's processes at once sums each process's proportional set size "
                 "(PSS: pages a forked worker shares with its parent count once). Runs before 2026-11-24 summed "
                 "resident sizes.")
    if notes:
        lines += ["", "## Notes", "", *notes]
    return "\n".join(lines).rstrip() + "\n"


def targets(results: dict[str, Any]) -> list[str]:
    rows = []
    r1 = results["sizes"].get("1000", {})
    b = r1.get("steps", {}).get("digest_build")
    hugo = r1.get("peers", {}).get("hugo")
    nc = r1.get("steps", {}).get("rebuild_nochange")

    def row(target: str, measured: str, met: bool | None) -> str:
        return f"| {target} | {measured} | {'—' if met is None else ('yes' if met else '**no**')} |"

    if ok(b):
        share = b["digest_stage_cpu_s"] / b["mkdocs_cpu_s"]
        rows.append(
            row(
                "digest stage ≤ 10% of the MkDocs render at 1,000 (CPU seconds)",
                f"{b['digest_stage_cpu_s']:.1f} s / {b['mkdocs_cpu_s']:.1f} s = {share:.0%}",
                share <= TARGET_DIGEST_SHARE,
            )
        )
        if ok(hugo):
            ratio = b["cpu_s"] / hugo["wall_s"]
            rows.append(
                row(
                    "full build ≤ 2.5× Hugo at 1,000 (all three readings; "
                    "`digest build` CPU seconds against Hugo's wall clock)",
                    f"{b['cpu_s']:.1f} s / {hugo['wall_s']:.2f} s = {ratio:.1f}× "
                    f"(wall: {b['wall_s']:.1f} s, {b['wall_s'] / hugo['wall_s']:.1f}×)",
                    ratio <= TARGET_VS_HUGO,
                )
            )
        bare = r1.get("peers", {}).get("material-bare")
        if ok(bare):  # the floor of the prescribed stack, for judging the two targets above (issue 9)
            rows.append(
                row(
                    "for reference, not a target: `digest build` (three readings) against Material alone "
                    "(one reading, no plugins, no Digest) on the same content/, and Material alone against Hugo "
                    "(wall clock)",
                    f"{b['wall_s']:.1f} s / {bare['wall_s']:.2f} s = {b['wall_s'] / bare['wall_s']:.1f}×"
                    + (f"; Material alone / Hugo = {bare['wall_s'] / hugo['wall_s']:.1f}×" if ok(hugo) else ""),
                    None,
                )
            )
    if ok(nc):
        rows.append(
            row(
                "no-change rebuild of the digest stage ≤ 1 s at 1,000 (CPU seconds)",
                f"{nc['digest_stage_cpu_s']:.2f} s (wall {nc['digest_stage_s']:.2f} s)",
                nc["digest_stage_cpu_s"] <= TARGET_NOCHANGE_S,
            )
        )
    one = r1.get("steps", {}).get("rebuild_one_doc")
    if ok(one) and one.get("files"):
        c, st = one["files"]["content"], one["files"]["site"]
        memo = (one.get("probe") or {}).get("memo") or {}
        computed = {name: counts[1] for name, counts in memo.items()}
        only_edited = computed.get("read") == 1 and all(n <= EDITED_DOCS_MAX for n in computed.values())
        fast = one["digest_stage_cpu_s"] <= TARGET_NOCHANGE_S
        rows.append(
            "| one document changed re-processes only what depends on it (1,000): the per-document "
            "stages run for the edited seed only, and the rebuild takes ≤ 1 s like the no-change one | "
            + (", ".join(f"{name}: {n} computed of {sum(memo[name])}" for name, n in computed.items())
               or "no memo counts")
            + f"; digest stage {one['digest_stage_cpu_s']:.2f} s CPU; "
            f"{c['changed'] + c['added'] + c['removed']} content/ and {st['changed'] + st['added'] + st['removed']} "
            f"site/ file(s) changed | "
            + ("yes" if only_edited and fast else "partly (the per-document stages: yes; the rebuild time: no)"
               if only_edited else "**no**")
            + " |"
        )
    r10 = results["sizes"].get("10000", {})
    b10 = r10.get("steps", {}).get("digest_build")
    if b10 is not None:
        if ok(b10):
            rows.append(
                row(
                    "peak memory ≤ 2 GB at 10,000",
                    f"{peak_mb(b10):.0f} MB (all processes at once)",
                    peak_mb(b10) <= TARGET_PEAK_MB,
                )
            )
        else:
            rows.append(row("peak memory ≤ 2 GB at 10,000", _step_s(b10), False))
    else:
        rows.append(row("peak memory ≤ 2 GB at 10,000", "not run (add 10000 to --sizes)", None))
    linked = {n: (results["sizes"][n].get("site") or {}).get("max_other_docs_linked_from_a_doc_page", 0)
              for n in results["sizes"] if results["sizes"][n].get("site")}
    worst = max(linked.values(), default=0)
    # a page embedding the whole navigation links to every other document; a page's own "Related
    # documents" list (at most crosslinks.MAX_DOCS) is content, not navigation
    rows.append(
        row(
            "no page embeds the whole site navigation",
            f"at most {worst} other document(s) linked from a document page (its related-documents list)",
            all(v <= 10 for v in linked.values()) if linked else None,
        )
    )
    return rows


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--quick", action="store_true", help="N=100 (unless --sizes), no levers, no profile")
    parser.add_argument(
        "--levers",
        action="store_true",
        help="also MkDocs with search (jieba, rjieba) and with the whole nav in every page",
    )
    parser.add_argument("--levers-max", type=int, default=1000, help="largest N for the search levers")
    parser.add_argument("--fullnav-max", type=int, default=1000, help="largest N for the whole-nav lever")
    parser.add_argument("--profile", action="store_true", help="cProfile a cold build (see --profile-sizes)")
    parser.add_argument("--profile-sizes", default="1000", help="sizes to profile (default 1000)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo peer")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--timeout-base", type=float, default=120.0, help="seconds allowed per step, plus …")
    parser.add_argument("--timeout-per-doc", type=float, default=0.6, help="… this many seconds per document")
    parser.add_argument("--workdir", type=Path, default=HERE / "out", help="where corpora are built")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / "latest.json", help="JSON results file"
    )
    parser.add_argument(
        "--digest-src",
        type=Path,
        default=None,
        help="folder holding the digest package to measure (default: this repository), e.g. an "
        "older commit unpacked with `git archive COMMIT digest | tar -x -C DIR`",
    )
    parser.add_argument("--title", default="", help="heading of the Markdown results")
    parser.add_argument("--keep", action="store_true", help="keep the built sites in the work folder")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in (args.sizes or ("100" if args.quick else "100,1000")).split(",") if s]
    args.profile_sizes = {int(s) for s in args.profile_sizes.split(",") if s}
    if args.quick:
        args.levers = args.profile = False
    args.workdir = args.workdir.resolve()
    global DIGEST_SRC
    if args.digest_src:
        DIGEST_SRC = args.digest_src.resolve()
        if not (DIGEST_SRC / "digest" / "__init__.py").exists():
            parser.error(f"--digest-src {DIGEST_SRC} holds no digest/ package")
    args.out = args.out.resolve()
    args.out.parent.mkdir(parents=True, exist_ok=True)

    hugo, hugo_version = (None, "skipped (--no-hugo)") if args.no_hugo else ensure_hugo()
    args.hugo = hugo
    results: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "argv": " ".join(argv if argv is not None else sys.argv[1:]),
        "seed": args.seed,
        "title": args.title,
        "machine": machine_info(hugo_version),
        "hugo_path": hugo,
        "sizes": {},
    }
    md_path = args.out.with_suffix(".md")

    def save() -> None:
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        md_path.write_text(render_markdown(results), encoding="utf-8")

    args.material = corpus.analyse(ROOT)
    for n in args.sizes:
        print(f"N={n}: {time.strftime('%H:%M:%S')}", flush=True)
        t = time.perf_counter()
        measure(n, args, results, save)
        results["sizes"][str(n)]["benchmark_s"] = round(time.perf_counter() - t, 1)
        save()
    results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    save()
    print(f"Results: {md_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
