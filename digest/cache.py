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
``--force``, builds again, and then the per-document *memos* keep the work small:

- a :class:`Memo` holds, for one stage, each document's result under the hash of
  what that result was computed from (the document itself, the annotations the
  stage reads, Digest's code). Reading a seed, matching glossary terms, extracting
  facts and folding a page's search-index rows (both scripts) are memoised, so a
  build after one seed changed re-runs those stages for that seed's documents only; the corpus products (related
  documents, term and facts pages, the search index) are then put together again
  from the per-document results;
- the Traditional reading keeps the converted page of every page whose Simplified
  source is unchanged (``pipeline.HantReading``);
- a document page, a term page or a page of a term's document list whose key (what it is
  made from: ``render.key_inputs``) is the one the last build wrote it with is linked from
  the last build without being rendered (``stages.Writer.keep``); the facts exports copy the
  rows of unchanged documents from the last build's files (``stages.Pieces``);
- MkDocs keeps the HTML of every page whose inputs are unchanged, without reading the
  pages Digest recorded as unchanged (``overrides/hooks/pagecache.py``).

Input files are hashed again only when their stat changed (:class:`FileHashes`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from digest import parallel
from digest.config import Settings

if TYPE_CHECKING:
    from digest.stages import Context

CACHE_DIR = ".digest/cache"
STAMP = "build.json"
FORMAT = 1
OUTPUT_NEUTRAL = {"workers"}  # settings that change how fast the build is, never what it writes
LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-redirects", "markdown-it-py", "jinja2", "pyyaml", "opencc",
             "pypinyin", "rjieba", "jieba", "numpy", "polib", "markdown", "pymdown-extensions")


def cache_dir(settings: Settings) -> Path:
    return settings.root / CACHE_DIR


def _files(root: Path, skip: frozenset[str] = frozenset()) -> Iterator[tuple[Path, str, bool]]:
    """Every file under the folder ``root``, sorted, hidden ones and bytecode skipped, as (path, path
    under ``root``, whether it is at the top); ``skip`` names files or folders at the top left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        top = dirpath == str(root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                             and not (top and d in skip))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")) or (top and name in skip):
                continue
            path = Path(dirpath, name)
            yield path, path.relative_to(root).as_posix(), top


def _hash_tree(h: Any, root: Path, label: str, known: FileHashes | None = None) -> None:
    """Feed every file under ``root`` (see :func:`_files`) into ``h``."""
    if root.is_file():
        _hash_file(h, root, label, known)
        return
    if not root.is_dir():
        h.update(f"{label}\0missing\0".encode())
        return
    for path, rel, _top in _files(root):
        _hash_file(h, path, f"{label}/{rel}", known)


def _hash_file(h: Any, path: Path, label: str, known: FileHashes | None = None) -> None:
    """Feed one file into ``h`` (its contents, or with ``known`` their hash); a file that cannot be read is
    fed as such (the stage that reads it reports the error, naming it), so that it is read again once it can be."""
    try:
        if known is not None:
            h.update(f"{label}\0{known.digest(path)}\0".encode())
            return
        data = path.read_bytes()
    except OSError as exc:
        h.update(f"{label}\0unreadable {exc.errno}\0".encode())
        return
    h.update(f"{label}\0{len(data)}\0".encode())
    h.update(data)


HASHES = "hashes.json"
RACY_NS = 2 * 10**9  # a file changed this recently may change again within the clock's resolution


class FileHashes:
    """The SHA-256 of input files, read again only when a file's size, modification time or inode changed
    since it was hashed (kept in ``.digest/cache/hashes.json``, as git's index keeps its stat data): at
    10,000 documents the inputs are tens of thousands of files, hashed at the start of every build and
    again at its end. A file modified within ``RACY_NS`` of the moment the record is saved is not kept
    (a second change within the file system's clock resolution could keep its size and time), so it is
    hashed again next time."""

    def __init__(self, settings: Settings) -> None:
        self.path = cache_dir(settings) / HASHES
        self.entries: dict[str, list[Any]] = {}
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(stored, dict):
                self.entries = {k: v for k, v in stored.items() if isinstance(v, list) and len(v) == 4}
        self.used: dict[str, list[Any]] = {}

    def digest(self, path: Path) -> str:
        """The file's SHA-256 (OSError if it cannot be read)."""
        name = str(path)
        st = os.stat(name)
        entry = self.entries.get(name)
        if entry is not None and entry[:3] == [st.st_size, st.st_mtime_ns, st.st_ino]:
            self.used[name] = entry
            return str(entry[3])
        with open(name, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        self.used[name] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]
        return digest

    def save(self) -> None:
        """Keep the hashes of the files this build hashed (no others), the racy ones left out."""
        import time

        now = time.time_ns()
        keep = {k: v for k, v in sorted(self.used.items()) if v[1] < now - RACY_NS}
        if keep != self.entries:
            with contextlib.suppress(OSError):
                _save_record_in(self.path, json.dumps(keep, separators=(",", ":")))


def annotation_files(root: Path, skip: frozenset[str], known: FileHashes) -> list[tuple[str, str, str]]:
    """Every file of the editorial layer as (label, owner, hash), in a fixed order: its path under
    ``root``; the name (before the extension) of a file inside a folder, which is a document's id when
    the file is that document's own (translations/en/<id>.po, notes/<id>.yaml …), or "" for a file at the
    top of ``root``; and its SHA-256 (or why it cannot be read). ``skip`` names files or folders at the
    top left out. ``known``: the hashes of files hashed before (not saved here: the build's fingerprint
    saves them). Taken before the build reads the files, so that an edit made while it runs is never
    described by the keys of what it made (see :func:`annotation_digests`)."""
    out: list[tuple[str, str, str]] = []
    if root.is_dir():
        for path, rel, top in _files(root, skip):
            try:
                digest = known.digest(path)
            except OSError as exc:
                digest = f"unreadable {exc.errno}"
            out.append((rel, "" if top else os.path.splitext(path.name)[0], digest))
    return out


def annotation_digests(files: list[tuple[str, str, str]], ids: set[str]) -> tuple[str, dict[str, str]]:
    """The editorial layer (:func:`annotation_files`) split by what it annotates: the hash of the files
    every page may read, and for each document id, the hash of the files that are its own (a file in a
    folder, named after an id in ``ids``). Every other file concerns all pages."""
    shared = hashlib.sha256(b"annotations\0")
    own: dict[str, Any] = {}
    for label, owner, digest in files:
        h = own.setdefault(owner, hashlib.sha256()) if owner and owner in ids else shared
        h.update(f"{label}\0{digest}\0".encode())
    return shared.hexdigest(), {k: h.hexdigest() for k, h in own.items()}


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
    known = FileHashes(settings)
    _hash_tree(h, settings.seeds, "seeds", known)
    _hash_tree(h, settings.annotations, "annotations", known)
    _hash_tree(h, settings.root / "digest.yml", "digest.yml", known)
    known.save()
    return h.hexdigest()


T = TypeVar("T")


def inputs_state(settings: Settings, skip: frozenset[str]) -> str:
    """The hash of the corpus inputs people edit: the seeds, digest.yml and annotations/ but the files the
    build itself writes there (``skip``, top-level names). Taken when a build starts and again when it
    ends: a difference means someone saved an input while the build ran, and the build's stamp must not
    claim that the outputs are made from it (see pipeline.build)."""
    known = FileHashes(settings)
    h = hashlib.sha256(b"inputs\0")
    _hash_tree(h, settings.seeds, "seeds", known)
    _hash_tree(h, settings.root / "digest.yml", "digest.yml", known)
    for label, _owner, digest in annotation_files(settings.annotations, skip, known):
        h.update(f"{label}\0{digest}\0".encode())
    return h.hexdigest()


def digest_of(*parts: bytes | str) -> str:
    """SHA-256 of the parts, each prefixed by its length (so no two lists of parts hash alike)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(f"{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


_MISSING = object()  # a memo has no stored value for the key
# Memo.get_each: keys looked up and computed at a time. Each batch forks the workers once, and a fork
# of a large process is paid in copy-on-write faults afterwards: at 10,000 documents, batches of 1,000
# made the per-document stages slower than one batch (measured: 77.8 s against 72 s).
BATCH = 20000


class Memo:
    """One stage's per-document results, kept between builds in ``.digest/cache/memo.sqlite``.

    ``inputs`` are what every result of the stage depends on besides its document (Digest's code,
    the annotations and settings the stage reads); ``key`` names the document's own input. A
    result is computed once and stored pickled; every lookup unpickles a fresh copy, so callers may
    change what they get. Results go to the database as they are made, so a memo holds no more than
    one document's result in memory. :meth:`close` drops the stage's entries this build did not use,
    so the file follows the corpus and never grows with history. A missing or unreadable file is an
    empty memo. ``enabled=False`` (no site key known, e.g. a stage called on its own) computes every
    time.

    The file is Digest's own private cache (like ``__pycache__``): it is read only from the
    project's ``.digest/cache`` folder, which the build alone writes.
    """

    def __init__(self, settings: Settings, stage: str, *inputs: bytes | str, enabled: bool = True) -> None:
        self.path = cache_dir(settings) / MEMO_FILE
        self.stage = stage
        self.base = digest_of(f"memo {FORMAT} {stage}", *inputs)
        self.hits = self.misses = 0
        self._used: set[str] = set()
        # Why the memo stopped being used this build (the database locked by another build, say), or
        # None: the build reports it (pipeline.close_memos), since every lookup after it is a miss.
        self.problem: str | None
        self._db, self.problem = _open_memo(self.path) if enabled else (None, None)
        self.enabled = self._db is not None

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The stored result for ``key``, or ``compute()`` (then stored)."""
        value = self._stored(key)
        if value is not _MISSING:
            return value
        return self._remember(key, compute())

    def get_each(self, keys: Sequence[str | None], compute: Callable[[int], T], workers: int = 1) -> Iterator[T]:
        """``get`` for many keys: yields ``get(keys[i], lambda: compute(i))`` for each i in order,
        except that what is missing is computed by ``workers`` processes (parallel.map_pure), a
        batch of keys at a time, so that no more than a batch of results is held here. A key of None
        is always computed and never stored. Values that are exceptions are yielded, not stored: a
        stage that catches its input's errors can return them and report them in order."""
        for first in range(0, len(keys), BATCH):
            batch = range(first, min(first + BATCH, len(keys)))
            values: list[Any] = [_MISSING if (key := keys[i]) is None else self._stored(key) for i in batch]
            todo = [i for i, v in zip(batch, values, strict=True) if v is _MISSING]
            for i, value in zip(todo, self._compute(keys, todo, compute, workers), strict=True):
                values[i - first] = value
            for j in range(len(values)):  # let go of each result once yielded (memory: the batch is large)
                value, values[j] = values[j], None
                yield value

    def touch(self, key: str) -> None:
        """Keep ``key``'s entry (if there is one) past :meth:`close` without reading it: for a result this
        build did not need because what was made from it was kept (search shards)."""
        if self._db is not None:
            self._used.add(digest_of(self.base, key))

    def put(self, key: str, value: object) -> None:
        """Store ``value`` under ``key`` (kept past :meth:`close`) without counting it: a result this build
        knows the next build will look up under another key (an input this build writes)."""
        if self._db is not None:
            full = digest_of(self.base, key)
            self._used.add(full)
            self._store(full, value)

    def _compute(self, keys: Sequence[str | None], todo: list[int], compute: Callable[[int], T],
                 workers: int) -> list[T]:
        """compute(i) for each i in todo, stored under keys[i]: a worker's result as the pickle it sent."""
        from_workers: set[int] = set()

        def received(n: int, blob: bytes) -> Any:
            from_workers.add(n)
            return self._remember(keys[todo[n]], pickle.loads(blob), blob)

        computed = parallel.map_pure(compute, todo, workers, received)
        return [value if n in from_workers else self._remember(keys[i], value)
                for n, (i, value) in enumerate(zip(todo, computed, strict=True))]

    def _remember(self, key: str | None, value: Any, blob: bytes | None = None) -> Any:
        """Store a computed ``value`` (``blob``: its pickle, when already made) and count the miss;
        not without a key or a database, nor an exception. Returns the value."""
        if key is not None and self._db is not None and not isinstance(value, BaseException):
            self.misses += 1
            self._store(digest_of(self.base, key), value, blob)
        return value

    def _stored(self, key: str) -> Any:
        """The stored value for ``key`` (counted as a hit), or _MISSING."""
        if self._db is None:
            return _MISSING
        full = digest_of(self.base, key)
        try:
            row = self._db.execute("SELECT value FROM memo WHERE stage = ? AND key = ?",
                                   (self.stage, full)).fetchone()
        except sqlite3.Error as exc:  # e.g. locked by another build of the same project: go on without the memo
            self._give_up(exc)
            return _MISSING
        self._used.add(full)
        if row is None:
            return _MISSING
        try:
            value = pickle.loads(row[0])
        except Exception:
            return _MISSING
        self.hits += 1
        return value

    def _store(self, full: str, value: Any, blob: bytes | None = None) -> None:
        """Store ``value`` (``blob``: its pickle, when already made) under the full key."""
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO memo (stage, key, value) VALUES (?, ?, ?)",
                             (self.stage, full, blob or pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        except sqlite3.Error as exc:
            self._give_up(exc)

    def _give_up(self, exc: sqlite3.Error) -> None:
        """Stop using the database for this stage (what it stored this build is rolled back), and say why."""
        db, self._db = self._db, None
        self.problem = self.problem or str(exc)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def close(self) -> None:
        """Keep the entries this build used, drop the stage's others, and commit."""
        db, self._db = self._db, None
        if db is None:
            return
        try:
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used (key) VALUES (?)", ((k,) for k in sorted(self._used)))
            db.execute("DELETE FROM memo WHERE stage = ? AND key NOT IN (SELECT key FROM used)", (self.stage,))
            db.commit()
        except sqlite3.Error as exc:  # not stored this time: the next build computes again
            self.problem = self.problem or str(exc)
        finally:
            db.close()
        self._used = set()


MEMO_FILE = "memo.sqlite"


def _open_memo(path: Path) -> tuple[sqlite3.Connection | None, str | None]:
    """The memo database, created if missing (a damaged file is replaced by an empty one), or None and
    why it could not be opened."""
    problem = None
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=2.0)
            db.execute("CREATE TABLE IF NOT EXISTS memo (stage TEXT, key TEXT, value BLOB, PRIMARY KEY (stage, key))")
            return db, None
        except sqlite3.OperationalError as exc:  # locked by another build of the same project: build without it
            with contextlib.suppress(NameError, sqlite3.Error):
                db.close()
            return None, str(exc)
        except sqlite3.DatabaseError as exc:  # not a database (damaged): start an empty one
            with contextlib.suppress(NameError, sqlite3.Error):
                db.close()
            problem = str(exc)
            if attempt == 2:
                break
            try:
                path.unlink(missing_ok=True)
            except OSError as gone:
                return None, f"{exc} (and it cannot be removed: {gone.strerror or gone})"
        except OSError as exc:
            return None, f"{exc.strerror or exc} ({path})"
    return None, problem


def settings_key(settings: Settings) -> str:
    """The settings that decide output, without the project's place on disk."""
    return json.dumps({k: str(v) for k, v in asdict(settings).items() if k not in OUTPUT_NEUTRAL and k != "root"},
                      sort_keys=True)


def stage_memo(ctx: Context, stage: str, *inputs: bytes | str) -> Memo:
    """The memo of an enricher, registered in ``ctx.data["memos"]`` (the pipeline saves and counts them).

    Enabled when the build put its site key (Digest's code among it) in ``ctx.data["site_key"]``."""
    key = ctx.data.get("site_key")
    memo = Memo(ctx.settings, stage, key or "", settings_key(ctx.settings), *inputs, enabled=key is not None)
    ctx.data.setdefault("memos", {})[stage] = memo
    return memo


def document_key(value: object) -> str:
    """The hash of a document as a stage receives it (its state: text, blocks, metadata, id …).

    Pickled without the pickler's memo, so an object referenced twice is written twice: the key
    depends on the values only, never on which strings happen to be shared (a document read from
    the memo shares differently from one just computed)."""
    import io

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo (the document holds no reference cycle)
    pickler.dump(value)
    return hashlib.sha256(buf.getvalue()).hexdigest()


def page_manifest(settings: Settings, reading: str) -> Path:
    """Where the page keys of the current site/ of one reading are kept."""
    return cache_dir(settings) / "pages" / f"{reading or 'root'}.json"


HANT_MANIFEST = "hant.json"


def hant_manifest(settings: Settings, key: str) -> dict[str, list[Any]] | None:
    """The converted pages of the current content/zh-Hant (source hash, size, mtime), if made with ``key``."""
    try:
        stored = json.loads((cache_dir(settings) / HANT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key or not isinstance(stored.get("pages"), dict):
        return None
    return stored["pages"]


CONTENT_MANIFEST = "content.json"


def _content_record(settings: Settings, part: str) -> dict[str, Any]:
    """One part ("files" or "pieces") of the record of the current content/, or {} if unknown."""
    try:
        stored = json.loads((cache_dir(settings) / CONTENT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = stored.get(part) if isinstance(stored, dict) else None
    return found if isinstance(found, dict) else {}


def content_manifest(settings: Settings) -> dict[str, list[Any]]:
    """The files Digest wrote in the current content/: path → [sha256, size, mtime_ns] and, for a file
    written with one, the key of what it was made from (stages.Writer.text); {} if unknown."""
    return {k: v for k, v in _content_record(settings, "files").items() if isinstance(v, list) and len(v) in (3, 4)}


def content_pieces(settings: Settings) -> dict[str, dict[str, Any]]:
    """The files of the current content/ written in pieces (stages.Writer.in_pieces): path → {"file": [size,
    mtime_ns], "pieces": {key: [offset, length]}}; {} if unknown."""
    return {k: v for k, v in _content_record(settings, "pieces").items()
            if isinstance(v, dict) and isinstance(v.get("pieces"), dict)}


def save_content_manifest(settings: Settings, files: dict[str, list[Any]] | None,
                          pieces: dict[str, dict[str, Any]] | None = None) -> None:
    """Record (or, with None, drop) the files of content/ (stages.Writer.files and .pieces of the build
    that wrote it)."""
    _save_record(settings, CONTENT_MANIFEST, None if files is None else
                 json.dumps({"files": files, "pieces": pieces or {}}, sort_keys=True, separators=(",", ":")))


def save_hant_manifest(settings: Settings, manifest: dict[str, Any] | None) -> None:
    """Record (or, with None, drop) the converted pages of content/zh-Hant."""
    _save_record(settings, HANT_MANIFEST,
                 None if manifest is None else json.dumps(manifest, ensure_ascii=False, sort_keys=True))


def _save_record(settings: Settings, name: str, text: str | None) -> None:
    """Write ``text`` to the cache file ``name`` (whole or not at all), or remove the file for None."""
    path = cache_dir(settings) / name
    if text is None:
        path.unlink(missing_ok=True)
        return
    _save_record_in(path, text)


def _save_record_in(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


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
