"""The Traditional Chinese reading: OpenCC at phrase level, with termbase overrides.

The profile comes from settings (``opencc_profile``, e.g. ``s2twp`` for Taiwan usage
with phrases, ``s2hk`` for Hong Kong). A glossary entry may carry ``traditional:`` to
force its written form: those terms are cut out before OpenCC runs and put back
verbatim, longest first, so an override is never half-converted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from digest import yamlio


class Converter:
    def __init__(self, profile: str, overrides: dict[str, str] | None = None) -> None:
        import opencc

        self.profile = profile
        self._cc = opencc.OpenCC(profile)
        self.overrides = dict(sorted((overrides or {}).items()))
        self._keys = sorted(self.overrides, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        if not self._keys:
            return self._cc.convert(text)
        out: list[str] = []
        pending: list[str] = []
        i = 0
        while i < len(text):
            for key in self._keys:
                if text.startswith(key, i):
                    out.append(self._cc.convert("".join(pending)))
                    pending = []
                    out.append(self.overrides[key])
                    i += len(key)
                    break
            else:
                pending.append(text[i])
                i += 1
        out.append(self._cc.convert("".join(pending)))
        return "".join(out)


def overrides_from_glossary(path: Path) -> dict[str, str]:
    """``{simplified: traditional}`` for every glossary term or alias given a ``traditional`` form."""
    if not path.exists():
        return {}
    data = yamlio.load(path) or []
    result: dict[str, str] = {}
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("traditional"), str):
            result[str(entry["term"])] = entry["traditional"]
    return result


@lru_cache(maxsize=4)
def converter(profile: str, glossary: Path) -> Converter:
    return Converter(profile, overrides_from_glossary(glossary))
