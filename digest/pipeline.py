"""The pipeline: readers and generators kept apart, one bad seed logged and skipped.

``analyse`` runs every stage up to identity and touches no file; ``build`` then
renders content/ and site/ into a temporary folder and swaps them in only when
everything succeeded, so a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest import cache, glossary, hant, isolated, metadata, parallel, publish, render, search, sidecar
from digest.config import Settings
from digest.exceptions import BuildError, DigestError, SeedError, Warning_
from digest.identity import LEDGER_DIR, REGISTRY_FILE, AnchorLedger, LedgerFile, Registry, ledger_file
from digest.memory import frozen_gc, quiet_gc
from digest.model import Document
from digest.read import read_file
from digest.rules import Vocabulary, clean
from digest.split import split
from digest.stages import Context, Writer, registered
from digest.structure import structure

Progress = Callable[[str], None]


@dataclass
class Report:
    context: Context
    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    registry: Registry | None = None
    ledgers: dict[str, LedgerFile] = field(default_factory=dict)  # the anchor ledgers that changed, to write

    reused: dict[str, Any] | None = None  # the stored report of an identical earlier build (cache.py)
    counts: dict[str, int] | None = None  # documents and removed lines, when the documents stayed elsewhere

    @property
    def removed_lines(self) -> int:
        if self.reused is not None:
            return int(self.reused["removed"])
        if self.counts is not None:
            return self.counts["removed"]
        return sum(len(d.removed) for d in self.documents)

    @property
    def document_count(self) -> int:
        if self.reused is not None:
            return int(self.reused["documents"])
        return self.counts["documents"] if self.counts is not None else len(self.documents)

    def detached(self, pending: Path) -> Report:
        """This report without its documents and corpus products: what another process needs of it
        (counts, warnings, errors, the navigation entries). The registry and anchor ledgers that changed
        are written under ``pending`` (at their paths inside annotations/), to be moved into place
        once the build has succeeded (:func:`apply_pending`)."""
        annotations = self.context.settings.annotations
        if self.registry and self.registry.changed:
            self.registry.save(pending / self.registry.path.relative_to(annotations))
        for ledger in self.ledgers.values():
            ledger.save(pending / ledger.path.relative_to(annotations))
        keep = ("search_index_bytes", "memo_counts", "memo_problems")
        data = {k: self.context.data[k] for k in keep if k in self.context.data}
        ctx = Context(self.context.settings, warnings=list(self.context.warnings), errors=list(self.context.errors),
                      nav=list(self.context.nav), data=data)
        return Report(ctx, errors=list(self.errors), warnings=list(self.warnings),
                      counts={"documents": self.document_count, "removed": self.removed_lines})

    def summary(self) -> dict[str, Any]:
        """What a later build with the same inputs reports without building (see cache.py)."""
        return {"documents": self.document_count, "removed": self.removed_lines, "errors": list(self.errors),
                "warnings": [[w.source, w.message, w.line] for w in self.warnings],
                "search_index_bytes": self.context.data.get("search_index_bytes", {})}

    @classmethod
    def replay(cls, settings: Settings, summary: dict[str, Any]) -> Report:
        report = cls(context=Context(settings), reused=summary)
        report.errors = list(summary["errors"])
        report.warnings = [Warning_(s, m, line) for s, m, line in summary["warnings"]]
        report.context.data["search_index_bytes"] = summary["search_index_bytes"]
        return report


def seed_files(settings: Settings) -> list[Path]:
    if not settings.seeds.is_dir():
        raise BuildError(f"Seeds folder '{settings.seeds}' does not exist")
    return sorted((p for p in settings.seeds.iterdir() if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.name)


def read_seed(path: Path, vocab: Vocabulary, settings: Settings,
              keep_items: bool = False) -> tuple[list[Document], list[str]]:
    """Read, clean, split, structure and describe one seed. Pure: touches no file but the seed.

    The read-time working copies (``doc.items``, ``doc.page_text``) are emptied once the blocks and
    metadata are made, unless ``keep_items`` (a tool that studies the cleaned lines)."""
    source, warnings = read_file(path)
    clean(source, vocab)
    docs = split(source, settings.heading_max)
    for doc in docs:
        structure(doc, settings.heading_max, meta_title=source.meta.get("title", ""))
        doc.meta = metadata.extract(doc, source.meta)
        if not any(b.kind in ("paragraph", "heading") for b in doc.blocks):
            doc.warnings.append("no body text left after cleaning")
        if not keep_items:  # memory: at 10,000 documents the lines are a gigabyte nobody reads again
            doc.items, doc.page_text = [], ""
    return docs, warnings


def analyse(settings: Settings, progress: Progress | None = None, site_key: str | None = None) -> Report:
    """Every stage up to the corpus-level enrichers; writes nothing but the memos (cache.Memo).

    With ``site_key`` (the hash of Digest's code among other things, cache.site_key), the pure
    per-document stages keep their results in memos: reading a seed, and the enrichers that say so."""
    with quiet_gc():  # the documents and what the enrichers make live on (memory.py)
        return _analyse(settings, progress, site_key)


def _analyse(settings: Settings, progress: Progress | None, site_key: str | None) -> Report:
    report = Report(context=Context(settings))
    if site_key is not None:
        report.context.data["site_key"] = site_key
        render.note_annotations(report.context)  # before anything reads them
    cleaning = settings.annotations / "cleaning.yaml"
    vocab = Vocabulary.load(cleaning, settings.heading_max, settings.caption_max)
    reading = cache.stage_memo(report.context, "read", cleaning.read_bytes() if cleaning.is_file() else b"-")
    registry = Registry.load(settings.annotations / REGISTRY_FILE)
    with contextlib.suppress(FileNotFoundError):
        registry.words = glossary.search_words(settings)
    report.registry = registry
    report.context.data["registry_docs"] = registry.documents
    paths = seed_files(settings)
    digests: list[str | SeedError] = []
    for path in paths:
        try:
            digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError as exc:
            digests.append(SeedError(path.name, f"cannot be read: {exc.strerror}"))

    def read_one(n: int) -> tuple[list[Document], list[str]] | SeedError:
        if isinstance(digests[n], SeedError):  # could not even be hashed
            return digests[n]  # type: ignore[return-value]
        try:
            return read_seed(paths[n], vocab, settings)
        except SeedError as exc:  # reported in order below; never stored
            return exc

    results = reading.get_each([cache.digest_of(p.name, d) if isinstance(d, str) else None
                               for p, d in zip(paths, digests, strict=True)],
                              read_one, parallel.workers(settings))
    seen_content: dict[str, str] = {}
    seeds: list[str] = []  # each document's seed: its key in the read memo
    for path, digest_, result in zip(paths, digests, results, strict=True):
        if progress:
            progress(path.name)
        if isinstance(result, SeedError) or isinstance(digest_, SeedError):
            report.errors.append(str(result))
            continue
        if digest_ in seen_content:
            report.warnings.append(Warning_(path.name, f"same content as '{seen_content[digest_]}'"))
        seen_content.setdefault(digest_, path.name)
        docs, warnings = result
        report.warnings.extend(Warning_(path.name, w) for w in warnings)
        for doc in docs:
            doc.id = registry.assign(doc)
            report.warnings.extend(Warning_(f"{doc.source}#{doc.part}", w) for w in doc.warnings)
            report.documents.append(doc)
            seeds.append(cache.digest_of(path.name, digest_))
    reading.close()  # before the next memo writes: one writer at a time
    anchoring = cache.stage_memo(report.context, "anchors", reading.base)  # read's inputs: the documents as read
    doc_keys: dict[str, str] = {}
    for doc, seed in zip(report.documents, seeds, strict=True):
        missing, ledger, key = identify(doc, settings.annotations, anchoring, seed)
        if missing:
            report.context.data.setdefault("unclaimed_anchors", {})[doc.id] = missing
        if ledger is not None:  # kept as the text to write once the build succeeds; an unchanged one not at all
            report.ledgers[doc.id] = ledger
        doc_keys[doc.id] = key
    anchoring.close()
    if site_key is not None:  # what each document is as the enrichers receive it (their memos' keys)
        report.context.data["doc_keys"] = doc_keys
    enrichers, _ = registered()
    for _name, enrich in enrichers:
        enrich(report.documents, report.context)
    close_memos(report.context)
    report.warnings.extend(report.context.warnings)
    report.errors.extend(report.context.errors)
    return report


def identify(doc: Document, annotations: Path, memo: cache.Memo, seed: str) -> tuple[list[str], LedgerFile | None, str]:
    """Apply the editors' sidecar to the document (its id given) and its anchors from its ledger.

    Returns the ledger's anchors no block claimed, the ledger to write if it changed, and the document's
    key as the enrichers receive it (cache.document_key; "" when ``memo`` is disabled). All but the sidecar
    are kept in ``memo``: they depend on the document as read (``seed``, the seed's key in the read memo,
    and its part), its id and the bytes of its sidecar and ledger files alone."""
    sidecar.apply(doc, annotations / "documents")
    ledgers = annotations / LEDGER_DIR

    def assign() -> tuple[list[str], list[str], str | None, str]:
        ledger = AnchorLedger(ledgers, doc.id)
        missing = ledger.assign(doc)
        return ([b.anchor for b in doc.blocks], missing, ledger.text() if ledger.changed() else None,
                cache.document_key(doc) if memo.enabled else "")

    if not memo.enabled:
        _, missing, text, key = assign()
    else:
        files = []
        for file in (sidecar.sidecar_file(annotations / "documents", doc.id), ledger_file(ledgers, doc.id)):
            try:
                files.append(hashlib.sha256(file.read_bytes()).hexdigest())
            except OSError as exc:  # none (or none to read: reading it again below says why)
                files.append(type(exc).__name__)

        def entry(ledger: str) -> str:  # the memo key under the ledger file's hash
            return cache.digest_of(seed, str(doc.part), doc.id, files[0], ledger)

        anchors, missing, text, key = memo.get(entry(files[1]), assign)
        for block, anchor in zip(doc.blocks, anchors, strict=True):
            block.anchor = anchor
        if text is not None:
            # The build writes this ledger: the next one reads it, and finds every block in it, with the same
            # anchors, the same unclaimed ones, and nothing to change. Stored under that file now, so that
            # the build after one that wrote new ledgers (a first build, say) does not give every anchor again.
            memo.put(entry(hashlib.sha256(text.encode("utf-8")).hexdigest()), (anchors, missing, None, key))
    return missing, None if text is None else LedgerFile(ledger_file(ledgers, doc.id), text), key


def close_memos(ctx: Context) -> None:
    """Close the stages' memos (a stage closes its own; this catches one that did not) and count them."""
    memos: dict[str, cache.Memo] = ctx.data.pop("memos", {})  # let go of them (memory)
    counts = ctx.data.setdefault("memo_counts", {})
    problems = ctx.data.setdefault("memo_problems", {})
    for name, memo in sorted(memos.items()):
        memo.close()
        if memo.problem is not None:
            problems[name] = memo.problem
        elif memo.enabled:
            counts[name] = [memo.hits, memo.misses]


def _epoch(docs: list[Document]) -> int:
    """A fixed timestamp derived from the inputs (SOURCE_DATE_EPOCH) so output is reproducible."""
    import datetime as dt

    dates = sorted(d.meta.date for d in docs if len(d.meta.date) == 10)
    if not dates:
        return 0
    y, m, d = map(int, dates[-1].split("-"))
    return int(dt.datetime(y, m, d, tzinfo=dt.UTC).timestamp())


@dataclass
class Staged:
    """What the digest stage (seeds → content/) hands to the rest of the build."""

    report: Report
    epoch: int  # SOURCE_DATE_EPOCH for MkDocs
    retired: publish.Retired  # URLs and anchors retired on purpose (the published-URL check)
    hant_key: str  # the Traditional converter's key, and the pages it converted (the next build's reuse)
    hant_pages: dict[str, list[Any]]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase: analyse, render, index
    peak_mb: float = 0.0  # the stage's process: its peak resident memory (when the stage ran on its own)
    pending: Path | None = None  # annotation files to move into place after success (Report.detached)
    content_files: dict[str, list[Any]] = field(default_factory=dict)  # Writer.files: the next build's compare
    content_pieces: dict[str, dict[str, Any]] = field(default_factory=dict)  # Writer.pieces: and its reuse


def digest_stage(settings: Settings, tmp_content: Path, site_key: str, strict: bool = False,
                 progress: Progress | None = None, site_title: str = "Digest") -> Staged:
    """Analyse the seeds and write content/ (all readings) into ``tmp_content``.

    Times its phases (``Staged.timings``): analyse (seeds → documents), render (the pages and the
    generators' pages), index (the search indexes and the Traditional reading)."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    report = analyse(settings, progress, site_key)
    with frozen_gc():  # the documents and what the enrichers made live until the stage ends
        lap("analyse")
        if not report.documents:
            raise BuildError("No document could be built; see the errors above" if report.errors else
                             f"No seeds found in '{settings.seeds}'")
        fatal = [e for e in report.errors if e.startswith("Document '")]  # lost anchors: never build past them
        if fatal:
            raise BuildError("\n".join(fatal))
        if strict and (report.errors or report.warnings):
            raise BuildError(f"Aborted in strict mode: {len(report.errors)} error(s), "
                             f"{len(report.warnings)} warning(s)")
        previous = settings.content if settings.content.is_dir() else None
        writer = Writer(tmp_content, previous, cache.content_manifest(settings) if previous else None,
                        known_pieces=cache.content_pieces(settings) if previous else None)
        keys = report.context.data["page_keys"] = render.page_keys(report.documents, report.context)
        render.render_site(report.documents, writer, site_title, settings.annotations, keys)
        for _name, generate in registered()[1]:
            generate(report.documents, report.context, writer)
        lap("render")
        search.generate(report.documents, report.context, writer)  # last: indexes what the others made
        glossary_file = settings.annotations / "glossary.yaml"
        to_hant = hant.converter(settings.opencc_profile, glossary_file)
        hant_key = cache.digest_of(site_key, to_hant.profile, json.dumps(to_hant.overrides, ensure_ascii=False))
        reading = HantReading(writer, to_hant, settings.content, cache.hant_manifest(settings, hant_key), glossary_file)
        search.generate(report.documents, report.context, writer, convert=to_hant, prefix=f"{HANT}/",
                        convert_key=hant_key)  # meanwhile, the pages are converted in a worker
        hant_pages = reading.finish()
        close_memos(report.context)
        lap("index")
        return Staged(report, _epoch(report.documents), report.context.data["retired"], hant_key, hant_pages, timings,
                      content_files=writer.files, content_pieces=writer.pieces)


def build(settings: Settings, strict: bool = False, progress: Progress | None = None,
          site_title: str = "Digest", force: bool = False, isolate: bool = False) -> Report:
    """Build content/ and site/; skipped when the inputs and outputs are those of the last build (cache.py).

    With ``isolate`` (the CLI's way), the digest stage runs in a process of its own that ends before
    MkDocs starts, so the documents' memory is given back instead of being held, idle, while the
    readings render; the report then carries the counts, warnings and errors but no documents."""
    site_key = cache.site_key(settings)  # code, mkdocs.yml, overrides/, libraries: hashed once per build
    if not force:
        stamp = cache.load(settings, site_key)
        if stamp is not None:
            report = Report.replay(settings, stamp["report"])
            if strict and (report.errors or report.warnings):
                raise BuildError(f"Aborted in strict mode: {len(report.errors)} error(s), "
                                 f"{len(report.warnings)} warning(s)")
            return report
    cache.forget(settings)
    from digest import site

    inputs_before = cache.inputs_state(settings, render.KEY_SKIP)

    settings.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".digest-build-", dir=settings.root) as tmp:
        tmp_content, tmp_site = Path(tmp) / "content", Path(tmp) / "site"
        if isolate:
            staged = isolated.run(digest_stage, settings, tmp_content, site_key, strict, progress, site_title)
        else:
            staged = digest_stage(settings, tmp_content, site_key, strict, progress, site_title)
        report = staged.report
        site.write_sources(tmp_site, staged.content_files, staged.hant_pages, staged.hant_key)
        old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(staged.epoch)
        try:
            site.build_all(settings, tmp_content, tmp_site, report.context, strict=strict, site_key=site_key)
        finally:
            if old_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old_epoch
        urls = publish.check_and_record(settings.annotations, tmp_content, staged.retired)
        for reading in site.READINGS:  # the page keys describe the site/ they were written for: never an older one
            cache.page_manifest(settings, reading.site).unlink(missing_ok=True)
        cache.save_hant_manifest(settings, None)  # likewise the converted pages of content/
        cache.save_content_manifest(settings, None)  # and the record of its files
        _swap(tmp_content, settings.content)
        _swap(tmp_site, settings.site)
        for reading in site.READINGS:
            made = site.new_manifest(tmp_site, reading)
            if made.is_file():
                target = cache.page_manifest(settings, reading.site)
                target.parent.mkdir(parents=True, exist_ok=True)
                made.replace(target)
        cache.save_hant_manifest(settings, {"key": staged.hant_key, "pages": staged.hant_pages})
        cache.save_content_manifest(settings, staged.content_files, staged.content_pieces)
        if staged.pending is not None:
            apply_pending(staged.pending, settings.annotations)
    if report.registry and report.registry.changed:
        report.registry.save()
    for ledger in report.ledgers.values():
        ledger.save()
    publish.save_record(settings.annotations, urls)
    if cache.inputs_state(settings, render.KEY_SKIP) != inputs_before:
        # saved while the build ran: what it made may predate the edit, so no stamp, and the next build
        # (which finds the file changed since its memos and kept pages were made) does the work again
        report.warnings.append(Warning_("build", "a seed, digest.yml or an annotation file changed while the build "
                                        "ran; run the build again to include the change"))
        return report
    cache.save(settings, report.summary(), site_key)
    return report


def apply_pending(pending: Path, annotations: Path) -> None:
    """Move the annotation files a stage process wrote under ``pending`` to their places in annotations/."""
    if not pending.is_dir():
        return
    for path in sorted(p for p in pending.rglob("*") if p.is_file()):
        target = annotations / path.relative_to(pending)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)


HANT = "zh-Hant"


class HantReading:
    """content/zh-Hant/ being written: every page converted to Traditional, assets and data copied.

    A page whose Simplified source has the hash recorded in ``manifest`` (the last build's, for the
    same converter) keeps its converted file from ``previous`` (the last content/), if that file is
    still the one the last build wrote (size and modification time). The other pages are converted
    here, or, given ``glossary`` (the file ``convert`` was made from, see hant.converter), in a worker
    process that makes the same converter while the caller goes on (the search index of the
    Traditional reading): OpenCC is a third of a cold build's index phase. :meth:`finish` waits and
    returns the new manifest."""

    def __init__(self, writer: Writer, convert: hant.Converter, previous: Path | None = None,
                 manifest: dict[str, list[Any]] | None = None, glossary: Path | None = None) -> None:
        self.writer, self.made = writer, {}
        self.keys: dict[str, str] = {}  # page → hash of its Simplified source, for the pages to convert
        for path in sorted(writer.written):
            rel = path.relative_to(writer.root).as_posix()
            if rel.startswith(f"{HANT}/") or rel.startswith("assets/search/"):
                continue
            target = f"{HANT}/{rel}"
            if path.suffix == ".md" or path.name.endswith(".chunks.json"):
                made = writer.files.get(rel)  # hashed when written: not read back
                key = made[0] if made else hashlib.sha256(path.read_bytes()).hexdigest()
                out = _reuse(writer, target, previous, (manifest or {}).get(rel), key)
                if out is None:
                    self.keys[rel] = key
                else:
                    st = out.stat()
                    self.made[rel] = [key, st.st_size, st.st_mtime_ns]
            else:  # the same bytes in both readings: one file, linked
                writer.link(target, path)
        self._pool: Any = None
        self._result: Any = None
        todo = sorted(self.keys)
        if todo and glossary is not None and (os.cpu_count() or 1) > 1:
            import concurrent.futures
            import multiprocessing

            self._pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._result = self._pool.submit(convert_pages, writer.root, convert.profile, glossary, todo)
        else:
            self._result = convert_pages(writer.root, convert.profile, None, todo, convert)

    def finish(self) -> dict[str, list[Any]]:
        result = self._result
        if self._pool is not None:
            try:
                result = result.result()
            finally:
                self._pool.shutdown()
        written, stats = result
        self.writer.written.extend(self.writer.root / rel for rel in written)
        for rel, size, mtime in stats:
            self.made[rel] = [self.keys[rel], size, mtime]
        return dict(sorted(self.made.items()))


def convert_pages(root: Path, profile: str, glossary: Path | None, pages: list[str],
                  convert: hant.Converter | None = None) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Convert ``pages`` (paths under ``root``) into ``root/zh-Hant``: the files written, and each page's
    converted size and modification time. Runs in a worker process too (no shared state)."""
    if convert is None:
        assert glossary is not None
        convert = hant.converter(profile, glossary)
    writer = Writer(root, record=False)  # the pages' stats go back in the Traditional manifest instead
    stats: list[tuple[str, int, int]] = []
    for rel in pages:
        out = writer.text(f"{HANT}/{rel}", convert((root / rel).read_text(encoding="utf-8")))
        st = out.stat()
        stats.append((rel, st.st_size, st.st_mtime_ns))
    return [p.relative_to(root).as_posix() for p in writer.written], stats


def _reuse(writer: Writer, target: str, previous: Path | None, entry: list[Any] | None, key: str) -> Path | None:
    """The last build's converted page, linked (or copied) into the new tree, when still valid."""
    if previous is None or not entry or entry[0] != key:
        return None
    old = previous / target
    try:
        st = old.stat()
    except OSError:
        return None
    if [st.st_size, st.st_mtime_ns] != entry[1:]:
        return None  # changed since (by hand?): convert again
    return writer.link(target, old)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (the old tree is removed after)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


__all__ = ["DigestError", "Report", "analyse", "build", "read_seed"]
