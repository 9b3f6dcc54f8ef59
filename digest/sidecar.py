"""Editors' sidecars: ``annotations/documents/<id>.yaml`` overrides any metadata field."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from digest import yamlio
from digest.exceptions import AnnotationError
from digest.model import Document, Meta

_LISTS = {f.name for f in fields(Meta) if f.type in ("list[str]",)}
_FIELDS = {f.name for f in fields(Meta)}


def sidecar_file(directory: Path, doc_id: str) -> Path:
    """The editors' sidecar of document ``doc_id`` in the sidecars' ``directory``."""
    return directory / f"{doc_id}.yaml"


def apply(doc: Document, directory: Path) -> None:
    path = sidecar_file(directory, doc.id)
    if not path.exists():
        return
    data = yamlio.load(path)
    if not isinstance(data, dict):
        raise AnnotationError(path, "must be a mapping of metadata fields", 1)
    line = data.pop("__line__", None)
    for key, value in data.items():
        if key not in _FIELDS:
            raise AnnotationError(path, f"unknown field '{key}' (known: {', '.join(sorted(_FIELDS))})", line)
        if key in _LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AnnotationError(path, f"'{key}' must be a list of strings", line)
        elif not isinstance(value, str):
            value = str(value)
        setattr(doc.meta, key, value)
    if "date" in data and "date_basis" not in data:
        doc.meta.date_basis = "editor"
        doc.meta.notes = [n for n in doc.meta.notes if not n.startswith("date:")]
