"""Loading hand-edited YAML with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from digest.exceptions import AnnotationError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A SafeLoader that records the 1-based line of every mapping as ``__line__``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        dups = sorted({str(k) for k in keys if keys.count(k) > 1})
        if dups:
            raise AnnotationError(getattr(self, "_path", "?"), f"key '{dups[0]}' appears twice in one entry",
                                  node.start_mark.line + 1)
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load(path: Path, data: bytes | None = None) -> Any:
    """Parse ``path`` (or ``data``, its bytes when already read); every mapping carries its line as
    ``__line__``."""
    try:
        text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        raise AnnotationError(path, "is not UTF-8 text") from None
    loader = _LineLoader(text)
    loader._path = str(path)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise AnnotationError(path, f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def strip_lines(value: Any) -> Any:
    """A copy without the ``__line__`` bookkeeping."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
