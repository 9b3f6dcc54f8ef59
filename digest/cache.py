"""The build cache: a build whose inputs are unchanged is not done again.

Every input that decides the output is hashed into one *fingerprint*: the seeds, the
editorial layer (annotations/), the settings and MkDocs configuration, the theme
overrides, Digest's own code, templates and data, and the versions of the libraries
that render. After a successful build the fingerprint is stored in
``.digest/cache/build.json`` with a signature of the outputs (path, size and mtime of
every file in content/ and site/) and the build's report (counts, warnings, errors).

The next ``digest build`` compares: same fingerprint and untouched outputs mean the
outputs are already what this build would write, byte for byte (builds are
deterministic), so it reports the stored result and stops. Anything else, or
``--force``, builds in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from digest.config import Settings

CACHE_DIR = ".digest/cache"
STAMP = "build.json"
FORMAT = 1
OUTPUT_NEUTRAL = {"workers"}  # settings that change how fast the build is, never what it writes
LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-redirects", "markdown-it-py", "jinja2", "pyyaml", "opencc",
             "pypinyin", "rjieba", "jieba", "numpy", "polib", "markdown", "pymdown-extensions")


def cache_dir(settings: Settings) -> Path:
    return settings.root / CACHE_DIR


def _hash_tree(h: Any, root: Path, label: str) -> None:
    """Feed every file under ``root`` (sorted, hidden and bytecode skipped) into ``h``."""
    if root.is_file():
        h.update(f"{label}\0{root.stat().st_size}\0".encode())
        h.update(root.read_bytes())
        return
    if not root.is_dir():
        h.update(f"{label}\0missing\0".encode())
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            data = path.read_bytes()
            h.update(f"{label}/{rel}\0{len(data)}\0".encode())
            h.update(data)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def site_key(settings: Settings) -> str:
    """The hash of what every page's HTML depends on besides its own Markdown (hooks/pagecache.py):
    Digest's code, templates and data, mkdocs.yml, overrides/ and the library versions."""
    h = hashlib.sha256(f"digest-site {FORMAT}\0{sys.version}\0".encode())
    h.update(json.dumps({n: _version(n) for n in LIBRARIES}, sort_keys=True).encode())
    _hash_tree(h, settings.mkdocs_file, "mkdocs")
    _hash_tree(h, settings.root / "overrides", "overrides")
    _hash_tree(h, Path(__file__).resolve().parent, "digest")
    return h.hexdigest()


def fingerprint(settings: Settings, site: str | None = None) -> str:
    """The hash of everything the build reads: the site key (given, or computed) and the corpus inputs."""
    h = hashlib.sha256(f"digest-cache {FORMAT}\0{site or site_key(settings)}\0".encode())
    h.update(json.dumps({k: str(v) for k, v in asdict(settings).items() if k not in OUTPUT_NEUTRAL},
                        sort_keys=True).encode())
    _hash_tree(h, settings.seeds, "seeds")
    _hash_tree(h, settings.annotations, "annotations")
    _hash_tree(h, settings.root / "digest.yml", "digest.yml")
    return h.hexdigest()


def page_manifest(settings: Settings, reading: str) -> Path:
    """Where the page keys of the current site/ of one reading are kept."""
    return cache_dir(settings) / "pages" / f"{reading or 'root'}.json"


def outputs_signature(settings: Settings) -> str:
    """Path, size and modification time of every file of content/ and site/."""
    h = hashlib.sha256()
    for label, root in (("content", settings.content), ("site", settings.site)):
        if not root.is_dir():
            return ""
        stack = [root]
        entries: list[tuple[str, int, int]] = []
        while stack:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(Path(e.path))
                    else:
                        st = e.stat(follow_symlinks=False)
                        entries.append((e.path, st.st_size, st.st_mtime_ns))
        for path, size, mtime in sorted(entries):
            h.update(f"{label}\0{path}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()


def load(settings: Settings, site: str | None = None) -> dict[str, Any] | None:
    """The stored stamp if the outputs are current for the inputs as they are now, else None."""
    path = cache_dir(settings) / STAMP
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT:
        return None
    if stamp.get("fingerprint") != fingerprint(settings, site) or stamp.get("outputs") != outputs_signature(settings):
        return None
    return stamp


def save(settings: Settings, report: dict[str, Any], site: str | None = None) -> None:
    """Record a successful build (call after content/, site/ and the annotations are written)."""
    folder = cache_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = {"format": FORMAT, "fingerprint": fingerprint(settings, site), "outputs": outputs_signature(settings),
             "report": report}
    tmp = folder / f".{STAMP}.tmp"
    tmp.write_text(json.dumps(stamp, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / STAMP)


def forget(settings: Settings) -> None:
    """Drop the stamp (before a build starts changing outputs)."""
    (cache_dir(settings) / STAMP).unlink(missing_ok=True)
