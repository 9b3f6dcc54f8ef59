"""The Traditional Chinese reading: OpenCC at phrase level, with termbase overrides.

The profile comes from settings (``opencc_profile``, e.g. ``s2twp`` for Taiwan usage
with phrases, ``s2hk`` for Hong Kong). A glossary entry may carry ``traditional:`` to
force its written form: those terms are cut out before OpenCC runs and put back
verbatim, longest first, so an override is never half-converted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from digest import yamlio


class Converter:
    def __init__(self, profile: str, overrides: dict[str, str] | None = None) -> None:
        import opencc

        self.profile = profile
        self._cc = opencc.OpenCC(profile)
        self.overrides = dict(sorted((overrides or {}).items()))
        keys = sorted(self.overrides, key=lambda k: (-len(k), k))  # longest first: an override is never cut
        self._find = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, text: str) -> str:
        if self._find is None:
            return self._cc.convert(text)
        out: list[str] = []
        pos = 0
        for m in self._find.finditer(text):  # leftmost, then the first (longest) key matching there
            out.append(self._cc.convert(text[pos : m.start()]))
            out.append(self.overrides[m.group()])
            pos = m.end()
        out.append(self._cc.convert(text[pos:]))
        return "".join(out)


def overrides_from_glossary(path: Path, data: bytes | None = None) -> dict[str, str]:
    """``{simplified: traditional}`` for every glossary term or alias given a ``traditional`` form.
    ``data``: the file's bytes, when already read (then the file is not read again)."""
    if data is None and not path.exists():
        return {}
    entries = yamlio.load(path, data) or []
    result: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("traditional"), str):
            result[str(entry["term"])] = entry["traditional"]
    return result


def converter(profile: str, glossary: Path) -> Converter:
    """The converter for ``profile`` with ``glossary``'s overrides as the file reads now (made once per
    profile and content: a process that builds again after the glossary changed gets the new overrides;
    the overrides are parsed from the very bytes the cache is keyed by)."""
    try:
        data = glossary.read_bytes()
    except FileNotFoundError:
        data = None
    return _converter(profile, glossary, data)


@lru_cache(maxsize=4)
def _converter(profile: str, glossary: Path, data: bytes | None) -> Converter:
    return Converter(profile, overrides_from_glossary(glossary, data) if data is not None else {})
