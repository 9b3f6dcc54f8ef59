"""Pluggable machine-translation backends.

None is installed or required. A backend is any object with a ``name`` and a
``translate(texts, source, target) -> list[str]`` method, named on the command line
as ``module:attribute`` (a class, instantiated without arguments, or an instance):

    digest translations machine --backend mypackage.mt:DeepLBackend

Machine output goes into the PO files flagged ``machine`` and is shown on pages as
an unreviewed machine translation until a person edits the entry and removes the flag.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from digest.exceptions import ConfigError


@runtime_checkable
class Backend(Protocol):
    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...


def load_backend(spec: str) -> Backend:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError("--backend", f"expected 'module:attribute', got {spec!r}")
    try:
        obj = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError("--backend", f"cannot load {spec!r}: {exc}") from None
    backend = obj() if isinstance(obj, type) else obj
    if not isinstance(backend, Backend):
        raise ConfigError("--backend", f"{spec!r} has no name/translate(texts, source, target)")
    return backend
