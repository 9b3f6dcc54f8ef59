"""Stage 8, the site: MkDocs (Material) renders content/ to HTML through its Python API."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from digest import parallel
from digest.config import Settings
from digest.exceptions import BuildError, ConfigError
from digest.stages import Context


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class Reading:
    """One MkDocs build: the site's interface language and where its pages live."""

    language: str  # Material theme language
    docs: str  # sub-folder of content/ ("" = content/ itself)
    site: str  # sub-folder of site/
    exclude: str = ""  # gitignore-style patterns of content/ this build leaves out


READINGS = [
    Reading("zh", "", "", exclude="zh-Hant/\n*.chunks.json\n"),
    Reading("en", "", "en", exclude="zh-Hant/\n*.chunks.json\n"),
    Reading("zh-Hant", "zh-Hant", "zh-Hant", exclude="*.chunks.json\n"),
]


_PAGECACHE_VARS = ("DIGEST_PREVIOUS_SITE", "DIGEST_PAGE_MANIFEST", "DIGEST_PAGE_MANIFEST_NEW", "DIGEST_SITE_KEY",
                   "DIGEST_TEMPLATE_CACHE", "DIGEST_PAGE_SOURCES")


def build_dir(site_root: Path, reading: Reading) -> Path:
    """Where MkDocs builds a reading: the first reading in ``site_root`` itself, the others beside it, moved
    into their sub-folders once every reading is built (:func:`build_all`). A MkDocs build starts by emptying
    its site folder, so a reading built inside another's folder, at the same time, could lose its files."""
    return site_root.parent / f"site-{reading.site}" if reading.site else site_root


def new_manifest(site_root: Path, reading: Reading) -> Path:
    """Where a build in progress writes the page keys of one reading (beside its temporary site/)."""
    return site_root.parent / "pages" / f"{reading.site or 'root'}.json"


def sources_file(site_root: Path, reading: Reading) -> Path:
    """Where a build in progress tells the page cache what each page of one reading is (see write_sources)."""
    return site_root.parent / "sources" / f"{reading.site or 'root'}.json"


def write_sources(site_root: Path, files: dict[str, list[object]], hant_pages: dict[str, list[object]],
                  hant_key: str) -> None:
    """For each reading, a hash of each page's Markdown and raw-HTML chunks file, from the digest stage's
    records instead of the files (overrides/hooks/pagecache.py): content/'s pages by the hash Digest
    wrote them with (stages.Writer.files), the Traditional pages by the hash of their Simplified source
    and the converter's key (pipeline.HantReading). Then MkDocs need not read a page that it reuses."""
    import json

    pages = (".md", ".chunks.json")
    for reading in READINGS:
        if reading.docs == "zh-Hant":
            made = {rel: f"zh-Hant {hant_key} {entry[0]}" for rel, entry in hant_pages.items()
                    if rel.endswith(pages)}
        else:
            made = {rel: str(entry[0]) for rel, entry in files.items()
                    if rel.endswith(pages) and not rel.startswith("zh-Hant/") and entry and entry[0]}
        path = sources_file(site_root, reading)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(made, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def _pagecache_env(settings: Settings, site_root: Path, reading: Reading, site_key: str) -> dict[str, str]:
    """What overrides/hooks/pagecache.py needs to reuse the unchanged pages of the current site/."""
    from digest import cache

    previous = settings.site / reading.site if reading.site else settings.site
    return {"DIGEST_PREVIOUS_SITE": str(previous) if previous.is_dir() else "",
            "DIGEST_PAGE_MANIFEST": str(cache.page_manifest(settings, reading.site)),
            "DIGEST_PAGE_MANIFEST_NEW": str(new_manifest(site_root, reading)),
            "DIGEST_SITE_KEY": site_key or cache.site_key(settings),
            "DIGEST_TEMPLATE_CACHE": str(cache.cache_dir(settings) / "templates"),
            "DIGEST_PAGE_SOURCES": str(path) if (path := sources_file(site_root, reading)).is_file() else ""}


def build_site(settings: Settings, content: Path, site_root: Path, context: Context, reading: Reading = READINGS[0],
               strict: bool = False, site_key: str = "") -> None:
    content = content / reading.docs if reading.docs else content
    site_dir = build_dir(site_root, reading)
    try:
        site_url = settings.site_url + (f"{reading.site}/" if reading.site and settings.site_url else "")
        cfg = load_config(str(settings.mkdocs_file), docs_dir=str(content), site_dir=str(site_dir),
                          site_url=site_url or None, strict=strict, exclude_docs=reading.exclude or None)
    except (ConfigurationError, Abort) as exc:
        raise ConfigError("mkdocs_config", f"MkDocs configuration is invalid: {exc}", settings.mkdocs_file) from None
    except FileNotFoundError:
        raise ConfigError("mkdocs_config", "file not found", settings.mkdocs_file) from None
    cfg.theme["language"] = reading.language
    if context.nav and isinstance(cfg.get("nav"), list):
        cfg["nav"] = [*cfg["nav"], *({t: p} for t, p in context.nav)]
    if reading.language == "zh-Hant" and isinstance(cfg.get("nav"), list):
        from digest import hant

        to_hant = hant.converter(settings.opencc_profile, settings.annotations / "glossary.yaml")
        cfg["nav"] = [{to_hant(k): v for k, v in item.items()} if isinstance(item, dict) else item
                      for item in cfg["nav"]]
    counter = _Counter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    saved = {k: os.environ.get(k) for k in _PAGECACHE_VARS}
    os.environ.update(_pagecache_env(settings, site_root, reading, site_key))
    try:
        mkdocs_build(cfg)
    except Abort as exc:
        raise BuildError(f"MkDocs: {exc}") from None
    finally:
        logger.removeHandler(counter)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if strict and counter.records:
        raise BuildError(f"MkDocs reported {len(counter.records)} warning(s) in strict mode: "
                         + "; ".join(r.getMessage() for r in counter.records[:3]))


def _build_one(settings: Settings, content: Path, site_root: Path, nav: list[tuple[str, str]], reading: Reading,
               strict: bool, epoch: str, site_key: str) -> tuple[str, ...]:
    """One reading, in a worker process. Returns () or the error, as plain strings (exceptions stay here)."""
    from digest.exceptions import DigestError

    os.environ["SOURCE_DATE_EPOCH"] = epoch
    logging.basicConfig(level=logging.ERROR)
    context = Context(settings, nav=nav)
    try:
        build_site(settings, content, site_root, context, reading, strict=strict, site_key=site_key)
    except ConfigError as exc:
        return ("config", exc.key, str(exc).removeprefix(f"Config value '{exc.key}' in {exc.file}: "), exc.file)
    except DigestError as exc:
        return ("build", str(exc))
    return ()


def workers(settings: Settings) -> int:
    """Processes for the readings: the setting, or one per reading but at most one per CPU core."""
    return min(parallel.workers(settings), len(READINGS))


def build_all(settings: Settings, content: Path, site_root: Path, context: Context, strict: bool = False,
              site_key: str = "") -> None:
    """Every reading of content/ into site_root; in parallel worker processes when more than one is allowed.

    Each reading is a separate MkDocs build over files already written, so they share nothing while
    they run. Workers are started fresh ("spawn"), not forked, so they do not inherit the analysis held
    in this process's memory.
    """
    from digest import cache

    site_key = site_key or cache.site_key(settings)
    n = workers(settings)
    if n <= 1:
        for reading in READINGS:
            build_site(settings, content, site_root, context, reading, strict=strict, site_key=site_key)
        _assemble(site_root)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "0")
    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_build_one, settings, content, site_root, list(context.nav), reading, strict, epoch,
                               site_key) for reading in READINGS]
        failures = [f.result() for f in futures]
    for failure in failures:
        if failure and failure[0] == "config":
            raise ConfigError(failure[1], failure[2], failure[3])
        if failure:
            raise BuildError(failure[1])
    _assemble(site_root)


def _assemble(site_root: Path) -> None:
    """Move each reading built beside ``site_root`` (:func:`build_dir`) into its sub-folder."""
    for reading in READINGS:
        built = build_dir(site_root, reading)
        if built == site_root:
            continue
        target = site_root / reading.site
        if target.exists():
            raise BuildError(f"The site already holds a '{reading.site}/' folder, where the '{reading.language}' "
                             f"reading goes: a folder of content/ may not be named '{reading.site}'")
        built.rename(target)
