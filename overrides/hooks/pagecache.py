"""MkDocs hook: a page whose every input is unchanged since the last build keeps its HTML.

Digest (digest/site.py) tells this hook, through environment variables, where the previous
build of this reading is (``DIGEST_PREVIOUS_SITE``), the manifest that build left
(``DIGEST_PAGE_MANIFEST``: ``pages``, page → key, size and mtime of the file written, and
``reused``, the pages that build took from the one before), where to write
this build's manifest (``DIGEST_PAGE_MANIFEST_NEW``), a key for everything outside the
pages (``DIGEST_SITE_KEY``: Digest's code, mkdocs.yml, overrides/, library versions) and a
folder where the theme's compiled templates are kept between builds (``DIGEST_TEMPLATE_CACHE``,
Jinja's own bytecode cache, which checks each template's source before using it).

A page's key hashes that site key, this reading's language and URL settings, the whole
navigation (titles and URLs, which decide every page's menu and previous/next links), the
page's URL, front matter, Markdown and raw-HTML chunks file. For the pages Digest wrote, the
last three are the hashes Digest recorded when it wrote them (``DIGEST_PAGE_SOURCES``), so a
kept page is not even read (``on_page_read_source``). When the key equals the one the
previous build recorded and the previous file is still the one it wrote, the page is not
converted or rendered again: its Markdown is replaced by nothing, its conversion is skipped
(MkDocs would set up a whole Python-Markdown instance to convert nothing), its template by a blank
one, and its old HTML file is hard-linked into the new site when the build ends (MkDocs writes
nothing for a page whose output is empty): the bytes are neither read nor written again, and
removing the previous site after the swap frees nothing for it. Any other page is built as
usual. Without the variables (a plain ``mkdocs build``) the hook does nothing.

It must be the last hook listed, so that its ``on_post_page`` has the final word.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

BLANK_TEMPLATE = "digest-reused.html"
_state: dict[str, Any] = {}


def on_config(config):  # type: ignore[no-untyped-def]
    _state.clear()
    previous, manifest, new = (os.environ.get(k, "") for k in (
        "DIGEST_PREVIOUS_SITE", "DIGEST_PAGE_MANIFEST", "DIGEST_PAGE_MANIFEST_NEW"))
    if not new:
        return config
    old: dict[str, Any] = {}
    if previous and manifest:
        try:
            old = json.loads(Path(manifest).read_text(encoding="utf-8")).get("pages", {})
        except (OSError, ValueError, AttributeError):
            old = {}
    base = hashlib.sha256()
    for part in (os.environ.get("DIGEST_SITE_KEY", ""), os.environ.get("SOURCE_DATE_EPOCH", ""),
                 str(config.get("site_url") or ""), str(config.theme.get("language")),
                 json.dumps(config.get("nav"), ensure_ascii=False, sort_keys=True, default=str)):
        base.update(part.encode("utf-8") + b"\0")
    sources: dict[str, str] = {}
    with contextlib.suppress(OSError, ValueError):
        if os.environ.get("DIGEST_PAGE_SOURCES"):
            sources = json.loads(Path(os.environ["DIGEST_PAGE_SOURCES"]).read_text(encoding="utf-8"))
    _state.update(previous=Path(previous) if previous else None, old=old if isinstance(old, dict) else {},
                  new={}, new_path=Path(new), base=base.hexdigest(), reused={},
                  templates=os.environ.get("DIGEST_TEMPLATE_CACHE", ""),
                  sources=sources if isinstance(sources, dict) else {})
    return config


def on_env(env, config, files):  # type: ignore[no-untyped-def]
    if _state.get("templates"):  # compiled once, not once per build and reading
        os.makedirs(_state["templates"], exist_ok=True)
        env.bytecode_cache = _TemplateCache(_state["templates"])
    return env


def _template_cache_class():  # type: ignore[no-untyped-def]
    import jinja2

    class TemplateCache(jinja2.FileSystemBytecodeCache):
        """Jinja's cache of compiled templates, where an unreadable entry (a file cut short) means
        "compile again" and an entry that cannot be written is not kept: the cache only saves time."""

        def load_bytecode(self, bucket):  # type: ignore[no-untyped-def]
            try:
                super().load_bytecode(bucket)
            except Exception:  # any damage to a cache entry
                bucket.reset()

        def dump_bytecode(self, bucket):  # type: ignore[no-untyped-def]
            with contextlib.suppress(OSError):  # a full disk or a read-only cache: compiled again next time
                super().dump_bytecode(bucket)

    return TemplateCache


_TemplateCache = _template_cache_class()


def _walk(items: Any, out: list[str], depth: int = 0) -> None:
    for item in items or []:
        url = getattr(item, "url", "") or ""
        out.append(f"{depth}\0{type(item).__name__}\0{item.title}\0{url}")
        _walk(getattr(item, "children", None), out, depth + 1)


def _linker(source: str, target: str):  # type: ignore[no-untyped-def]
    """Put ``source`` at ``target`` (a hard link, or a copy where links fail), as ``File.copy_file`` would."""

    def copy_file(dirty: bool = False) -> None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)
        try:
            os.link(source, target)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(source, target)

    return copy_file


def on_files(files, config):  # type: ignore[no-untyped-def]
    if _state:  # Markdown links to other pages resolve against the set of pages: a page added or gone changes them
        names = sorted(f.src_uri for f in files.documentation_pages())
        _state["base"] = hashlib.sha256((_state["base"] + "\0" + "\n".join(names)).encode("utf-8")).hexdigest()
        # Digest's own files (exports, citations, search index, its CSS) are linked, not copied, into the
        # site: content/ is Digest's output, never changed in place. The theme's files are copied as usual
        # (a hook rewrites some of them in the site).
        for f in files:
            if not f.is_documentation_page() and f.abs_src_path and f.generated_by is None \
                    and f.src_dir == config["docs_dir"]:
                f.copy_file = _linker(f.abs_src_path, f.abs_dest_path)
    return files


def on_nav(nav, config, files):  # type: ignore[no-untyped-def]
    if _state:
        lines: list[str] = []
        _walk(nav.items, lines)
        _state["nav"] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return nav


def _blank_render(page):  # type: ignore[no-untyped-def]
    """Stands in for ``Page.render`` on a reused page: the page has no content (and no table of contents).

    Set on the page object only (MkDocs' classes are left alone), and harmless if a later MkDocs stops
    calling ``render``: the page's output is discarded either way, its last HTML linked in its place."""

    def render(*args, **kwargs):  # type: ignore[no-untyped-def]
        page.content = ""

    return render


def _key(page, *parts):  # type: ignore[no-untyped-def]
    """The hash (still open) of what every page's HTML depends on and of ``parts``, the page's own."""
    h = hashlib.sha256()
    for part in (_state["base"], _state.get("nav", ""), page.file.src_uri, page.url, *parts):
        h.update(part.encode("utf-8") + b"\0")
    return h


def _reuse(page, key):  # type: ignore[no-untyped-def]
    """Record the page's key; True (and the page set up to be skipped) when its last HTML can be kept."""
    uri = page.file.dest_uri
    _state["new"][uri] = key
    entry = _state["old"].get(uri)
    previous = _state["previous"] / uri if _state["previous"] else None
    if not (previous and isinstance(entry, list) and len(entry) == 3 and entry[0] == key):
        return False
    try:
        st = previous.stat()
    except OSError:
        return False
    if [st.st_size, st.st_mtime_ns] != entry[1:]:
        return False
    _state["reused"][uri] = previous
    page.render = _blank_render(page)  # this page only: no Markdown instance for nothing
    return True


def on_page_read_source(page, config):  # type: ignore[no-untyped-def]
    """A page Digest wrote is keyed by the hashes Digest recorded for its Markdown and chunks files
    (``DIGEST_PAGE_SOURCES``), so a page that is kept is not even read: MkDocs gets an empty source."""
    if not _state or not _state["sources"]:
        return None
    uri = page.file.src_uri
    source = _state["sources"].get(uri)
    if not source:
        return None  # not Digest's: keyed by its text once read (on_page_markdown)
    chunks = _state["sources"].get(os.path.splitext(uri)[0] + ".chunks.json", "-")
    if _reuse(page, _key(page, "source", source, chunks).hexdigest()):
        return ""
    return None


def on_page_markdown(markdown, page, config, files):  # type: ignore[no-untyped-def]
    if not _state:
        return markdown
    uri = page.file.dest_uri
    if uri in _state["reused"]:
        page.meta["template"] = BLANK_TEMPLATE
        return ""
    if uri in _state["new"]:
        return markdown  # keyed by its recorded source already, and not kept
    h = _key(page, json.dumps(page.meta, ensure_ascii=False, sort_keys=True, default=str), markdown)
    source = page.file.abs_src_path
    if source:
        try:
            with open(os.path.splitext(source)[0] + ".chunks.json", "rb") as f:
                h.update(f.read())
        except OSError:  # no raw-HTML chunks beside this page
            pass
    if _reuse(page, h.hexdigest()):
        page.meta["template"] = BLANK_TEMPLATE
        return ""
    return markdown


def on_post_page(output, page, config):  # type: ignore[no-untyped-def]
    if not _state:
        return output
    if page.file.dest_uri in _state["reused"]:
        return ""  # MkDocs skips the page; on_post_build links the previous file in its place
    return output


def on_post_build(config):  # type: ignore[no-untyped-def]
    if not _state:
        return
    site = Path(config.site_dir)
    for uri, previous in sorted(_state["reused"].items()):
        _linker(str(previous), str(site / uri))()
    out = {}
    for uri, key in sorted(_state["new"].items()):
        try:
            st = (site / uri).stat()
        except OSError:
            continue
        out[uri] = [key, st.st_size, st.st_mtime_ns]
    _state["new_path"].parent.mkdir(parents=True, exist_ok=True)
    manifest = {"pages": out, "reused": sorted(_state["reused"])}
    _state["new_path"].write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
