"""Stage 1, reading: bytes of a seed → decoded text → one :class:`Item` per line.

Decoding order: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); then strict
UTF-8; then strict GB18030 (which covers GBK and GB2312). A UTF-8 file with a few
corrupt bytes is decoded with U+FFFD in their place and a warning naming the lines.
Empty, binary and undecodable files raise :class:`SeedError` naming the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from digest.exceptions import SeedError
from digest.model import Item, Source

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or Office file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
]
# C0 controls other than tab and line feed, DEL, and C1 controls: never text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_CORRUPT_FRACTION = 0.01


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding, warnings)`` for the bytes of one seed."""
    if not data.strip():
        raise SeedError(name, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SeedError(name, f"this is {what}, not a text file")
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                reason = f"has a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}"
                raise SeedError(name, reason) from None
            return text, encoding + ("-sig" if encoding == "utf-8" else ""), warnings
    head = data[:8192]
    if head.count(b"\x00") > max(8, len(head) // 20):
        raise SeedError(name, "looks binary (many NUL bytes) and has no UTF-16 byte-order mark")
    if sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127) > len(head) // 10:
        raise SeedError(name, "looks binary (mostly control bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        first_bad = exc.start  # not the exception: its traceback would hold this frame, and the text
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, "gb18030", warnings
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad and bad <= max(1, int(len(text) * MAX_CORRUPT_FRACTION)):
        lines = sorted({text.count("\n", 0, m.start()) + 1 for m in re.finditer("\ufffd", text)})
        shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD on line(s) {shown}")
        return text, "utf-8 (repaired)", warnings
    line = data.count(b"\n", 0, first_bad) + 1
    raise SeedError(name, "is neither UTF-8, UTF-16 with a byte-order mark, nor GB18030", line=line)


def _looks_like_text(text: str) -> bool:
    """GB18030 decodes almost anything; reject results that are mostly controls or private use."""
    if not text:
        return False
    odd = sum(1 for ch in text if _CONTROL.match(ch) or "\ue000" <= ch <= "\uf8ff")
    return odd / len(text) < 0.05


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(data: bytes, name: str) -> tuple[Source, list[str]]:
    """Decode and split into items. Control characters are dropped with a warning."""
    text, encoding, warnings = decode(data, name)
    text = normalise_newlines(text)
    controls = _CONTROL.findall(text)
    if controls:
        first = text.count("\n", 0, _CONTROL.search(text).start()) + 1  # type: ignore[union-attr]
        warnings.append(f"{len(controls)} control character(s) removed (first on line {first})")
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise SeedError(name, "has no text once decoded")
    source = Source(name=name, encoding=encoding, text=text)
    gap = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        source.items.append(Item(line=no, raw=raw, text=raw, gap_before=gap))
        gap = gap + 1 if not raw.strip() else 0
    return source, warnings


def read_file(path: Path) -> tuple[Source, list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(path.name, f"cannot be read: {exc.strerror}") from None
    return read_bytes(data, path.name)
