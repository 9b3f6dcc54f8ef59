"""The ``digest`` command: build, check, serve.

A user's mistake (bad seed, bad annotation, bad setting) prints one clear line and
exits 1; it never shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from digest import config
from digest.exceptions import DigestError

if TYPE_CHECKING:
    from digest import pipeline


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(console, total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[name]}"), console=console, transient=True,
                    disable=not console.is_terminal)


def _summary(console, report, verb: str) -> None:
    for err in report.errors:
        console.print(f"[red]ERROR[/red]   {err}", markup=True)
    for w in report.warnings:
        console.print(f"[yellow]WARNING[/yellow] {w}", markup=True)
    if getattr(report, "reused", None) is not None:
        verb = "Up to date (inputs and outputs unchanged since the last build; --force rebuilds)"
    console.print(f"{verb}: {report.document_count} documents, {len(report.errors)} errors, "
                  f"{len(report.warnings)} warnings, {report.removed_lines} lines removed as boilerplate")


def search_index_line(report: pipeline.Report) -> str:
    """The size of the search index readers download (the main reading's; each reading has its own)."""
    sizes: dict[str, int] = report.context.data.get("search_index_bytes", {})
    total = sum(n for path, n in sizes.items() if path.startswith("assets/search/"))
    per = total // max(report.document_count, 1)
    return f"search index: {total:,} bytes ({per:,} per document)"


def memo_line(report: pipeline.Report) -> str | None:
    """How much of the per-document work the memos saved (cache.Memo), when they were used."""
    counts: dict[str, list[int]] = report.context.data.get("memo_counts", {})
    if not counts or not any(hits for hits, _ in counts.values()):
        return None
    parts = ", ".join(f"{name} {hits:,}/{hits + misses:,}" for name, (hits, misses) in counts.items())
    return f"reused from the last builds (memo): {parts}"


def memo_problem_line(report: pipeline.Report) -> str | None:
    """The memos this build could not use, and why (the cache is private: this is no warning, the build's
    output is the same, only slower, and the next build computes what was not stored)."""
    problems: dict[str, str] = report.context.data.get("memo_problems", {})
    if not problems:
        return None
    by_reason: dict[str, list[str]] = {}
    for name, reason in sorted(problems.items()):
        by_reason.setdefault(reason, []).append(name)
    parts = "; ".join(f"{', '.join(names)} ({reason})" for reason, names in sorted(by_reason.items()))
    return f"memo not used, computed again: {parts}"


def pages_line(settings: config.Settings) -> str | None:
    """How many HTML pages MkDocs took from the last build (overrides/hooks/pagecache.py), when any."""
    import json

    from digest import cache, site

    reused = total = 0
    for reading in site.READINGS:
        try:
            manifest = json.loads(cache.page_manifest(settings, reading.site).read_text(encoding="utf-8"))
            reused, total = reused + len(manifest["reused"]), total + len(manifest["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
    return f"pages reused from the last build (MkDocs): {reused:,}/{total:,}" if reused else None


def cmd_build(args: argparse.Namespace) -> int:
    from digest import pipeline

    settings = config.load(Path(args.project).resolve())
    console = _console()
    total = len(pipeline.seed_files(settings))
    with _progress(console, total) as prog:
        task = prog.add_task("Reading seeds", total=total, name="")

        def tick(name: str) -> None:
            prog.update(task, advance=1, name=name)

        report = pipeline.build(settings, strict=args.strict, progress=tick, force=args.force, isolate=True)
    _summary(console, report, "Built")
    console.print(search_index_line(report))
    if line := memo_line(report):
        console.print(line)
    if line := memo_problem_line(report):
        console.print(line, markup=False)
    if report.reused is None and (line := pages_line(settings)):
        console.print(line)
    console.print(f"Site {'unchanged' if report.reused is not None else 'written'} at {settings.site}")
    return 1 if report.errors and args.strict else 0


def cmd_check(args: argparse.Namespace) -> int:
    from digest import pipeline

    settings = config.load(Path(args.project).resolve())
    report = pipeline.analyse(settings)
    console = _console()
    _summary(console, report, "Checked")
    if report.errors:
        return 1
    return 1 if args.strict and report.warnings else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import functools
    import http.server

    settings = config.load(Path(args.project).resolve())
    if not (settings.site / "index.html").exists():
        cmd_build(argparse.Namespace(project=args.project, strict=False, force=False))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(settings.site))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        _console().print(f"Serving {settings.site} at http://{args.host}:{args.port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def cmd_translations(args: argparse.Namespace) -> int:
    from digest import pipeline, translations

    settings = config.load(Path(args.project).resolve())
    report = pipeline.analyse(settings)
    console = _console()
    for err in report.errors:
        console.print(f"[red]ERROR[/red]   {err}")
    langs = [args.lang] if args.lang else list(translations.LANGS)
    if args.action == "import":
        from digest import yamlio

        if not args.file or not args.doc:
            raise DigestError("translations import needs FILE and --doc ID")
        path = translations.po_path(settings.annotations, langs[0], args.doc)
        if not path.exists():
            raise DigestError(f"No PO file for document '{args.doc}' ({path}); run 'digest translations update' first")
        mapping = yamlio.strip_lines(yamlio.load(Path(args.file)))
        if not isinstance(mapping, dict):
            raise DigestError(f"{args.file}: expected a mapping of msgctxt to translation")
        po = translations.load(path)
        filled, unknown = translations.import_mapping(po, mapping, machine=args.machine)
        po.save(str(path))
        console.print(f"{path.relative_to(settings.root)}: {filled} entries filled"
                      + (f"; unknown keys: {', '.join(unknown)}" if unknown else ""))
        return 1 if unknown else 0
    if args.action == "qa":
        from digest import qa

        glossary = _glossary_renderings(settings)
        problems = [p for doc in sorted(report.documents, key=lambda d: d.id) for p in qa.check_document(doc, glossary)]
        for p in problems:
            console.print(f"[yellow]{p.kind.upper():6}[/yellow] {p}")
        figures = sum(p.kind == "figure" for p in problems)
        console.print(f"QA: {figures} figure problem(s), {len(problems) - figures} term problem(s)")
        return 1 if problems and args.strict else 0
    if args.action == "machine":
        from digest import mt

        if not args.backend:
            raise DigestError("translations machine needs --backend module:attribute")
        backend = mt.load_backend(args.backend)
        for doc in sorted(report.documents, key=lambda d: d.id):
            if args.doc and doc.id != args.doc:
                continue
            path = translations.po_path(settings.annotations, langs[0], doc.id)
            po, _ = translations.update(doc, settings.annotations, langs[0])
            todo = [e for e in po if not e.msgstr]
            if not todo:
                continue
            out = backend.translate([e.msgid for e in todo], "zh", langs[0])
            if len(out) != len(todo):
                raise DigestError(f"backend {backend.name} returned {len(out)} texts for {len(todo)}")
            translations.import_mapping(po, {e.msgctxt: t for e, t in zip(todo, out, strict=True)}, machine=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            po.save(str(path))
            rel = path.relative_to(settings.root)
            console.print(f"{rel}: {len(todo)} entries machine-translated by {backend.name}")
        return 0
    if args.action == "update":
        for lang in langs:
            for doc in sorted(report.documents, key=lambda d: d.id):
                po, changed = translations.update(doc, settings.annotations, lang)
                if changed:
                    path = translations.po_path(settings.annotations, lang, doc.id)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    po.save(str(path))
                    console.print(f"updated {path.relative_to(settings.root)}")
        return 0
    from rich.table import Table

    worst = 100.0
    for lang in langs:
        table = Table(title=f"Translation coverage ({lang})")
        for col in ("document", "units", "translated", "fuzzy", "machine", "coverage"):
            table.add_column(col, justify="left" if col == "document" else "right")
        for doc in sorted(report.documents, key=lambda d: d.id):
            c = translations.coverage(doc, settings.annotations, lang)
            worst = min(worst, c.percent)
            table.add_row(doc.id, str(c.total), str(c.translated), str(c.fuzzy), str(c.machine), f"{c.percent:.1f}%")
        from rich.console import Console

        Console(width=120).print(table)
    return 0 if worst == 100.0 or not args.strict else 1


def _glossary_renderings(settings: config.Settings) -> list[tuple[str, list[str]]]:
    from digest import yamlio

    path = settings.annotations / "glossary.yaml"
    if not path.exists():
        return []
    out: list[tuple[str, list[str]]] = []
    for e in yamlio.load(path) or []:
        if isinstance(e, dict) and e.get("english"):
            names = [str(e["term"]), *[str(a) for a in e.get("aliases") or []]]
            renderings = [str(e["english"]), *[str(a) for a in e.get("english_alt") or []]]
            out.extend((n, renderings) for n in names)
    return sorted(out, key=lambda t: -len(t[0]))


def cmd_bundle(args: argparse.Namespace) -> int:
    from digest.bundle import bundle

    settings = config.load(Path(args.project).resolve())
    out = Path(args.output).resolve() if args.output else settings.root / "digest-site.zip"
    n = bundle(settings.site, out)
    _console().print(f"Wrote {out} ({n} files, {out.stat().st_size:,} bytes); unzip it and open digest-site/index.html")
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    """The termbase: occurrences per term, or (--candidates) phrases not in it yet."""
    from digest import candidates, pipeline

    settings = config.load(Path(args.project).resolve())
    report = pipeline.analyse(settings)
    index = report.context.data.get("glossary")
    out = sys.stdout
    if args.candidates:
        found = candidates.find(report.documents, index.termbase if index else None, args.min_count)
        if args.kind:
            found = [c for c in found if c.kind == args.kind]
        shown = found[: args.limit] if args.limit else found
        out.write("count\tkind\tphrase\twhere\texample\n")
        for c in shown:
            out.write(f"{c.count}\t{c.kind}\t{c.phrase}\t{c.doc_id}#{c.anchor}\t{c.sentence}\n")
        out.write(f"# {len(shown)} of {len(found)} candidates not in the termbase\n")
        return 0
    if index is None:
        print("No termbase (annotations/glossary.yaml)", file=sys.stderr)
        return 1
    out.write("occurrences\tdocuments\tterm\tslug\tenglish\n")
    for t in sorted(index.termbase.terms, key=lambda t: (-len(index.occurrences.get(t.term, [])), t.slug)):
        occs = index.occurrences.get(t.term, [])
        out.write(f"{len(occs)}\t{len({o.doc_id for o in occs})}\t{t.term}\t{t.slug}\t{t.english}\n")
    for w in report.warnings:
        print(f"WARNING {w}", file=sys.stderr)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__.splitlines()[0])
    parser.add_argument("-C", "--project", default=".", help="project folder (default: current folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own log")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="seeds → content/ → site/")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--force", action="store_true", help="build even if nothing changed since the last build")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("check", help="run the analysis without writing; report warnings")
    p.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("serve", help="preview the built site")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("bundle", help="zip site/ for offline reading")
    p.add_argument("-o", "--output", help="zip file to write (default: digest-site.zip)")
    p.set_defaults(func=cmd_bundle)
    p = sub.add_parser("translations", help="create/update the PO files, or report coverage")
    p.add_argument("action", choices=["update", "status", "import", "qa", "machine"])
    p.add_argument("--backend", help="machine: a backend as module:attribute (see digest/mt.py)")
    p.add_argument("file", nargs="?", help="import: a YAML mapping of msgctxt to translation")
    p.add_argument("--doc", help="import: the document id")
    p.add_argument("--machine", action="store_true", help="import: mark the entries as machine translation")
    p.add_argument("--lang", choices=["en"], default=None)
    p.add_argument("--strict", action="store_true", help="status/qa: exit 1 unless coverage is 100%% / no problem")
    p.set_defaults(func=cmd_translations)
    p = sub.add_parser("terms", help="list the termbase's occurrences, or --candidates for new terms")
    p.add_argument("--candidates", action="store_true",
                   help="quoted phrases, numbered formulas and frequent n-grams not in the termbase")
    p.add_argument("--kind", choices=["quoted", "formula", "ngram"], default=None)
    p.add_argument("--min-count", type=int, default=3, help="least count for an n-gram (default 3)")
    p.add_argument("--limit", type=int, default=0, help="show at most this many (default: all)")
    p.set_defaults(func=cmd_terms)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)-7s %(message)s")
    try:
        return int(args.func(args))
    except DigestError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
