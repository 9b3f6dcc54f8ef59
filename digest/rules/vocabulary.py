"""The cleaning vocabulary: package defaults plus a project's annotations/cleaning.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from digest.exceptions import AnnotationError

_LIST_KEYS = (
    "toolbar_words",
    "chrome_patterns",
    "split_phrases",
    "credit_roles",
    "byline_roles",
    "caption_credit_suffixes",
)


@dataclass
class Vocabulary:
    toolbar_words: frozenset[str]
    chrome_patterns: list[re.Pattern[str]]
    split_phrases: list[str]
    meta_labels: dict[str, list[str]]
    credit_roles: list[str]
    byline_roles: list[str]
    caption_credit_suffixes: list[str]
    heading_max: int = 40
    caption_max: int = 60
    label_to_field: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, extra: Path | None = None, heading_max: int = 40, caption_max: int = 60) -> Vocabulary:
        data: dict[str, Any] = yaml.safe_load(
            resources.files("digest").joinpath("data/cleaning.yaml").read_text(encoding="utf-8")
        )
        if extra is not None and extra.exists():
            try:
                more = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                line = getattr(getattr(exc, "problem_mark", None), "line", None)
                raise AnnotationError(extra, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                      line + 1 if line is not None else None) from None
            if not isinstance(more, dict):
                raise AnnotationError(extra, "must be a mapping of list names to lists")
            for key, value in more.items():
                if key in _LIST_KEYS:
                    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                        raise AnnotationError(extra, f"'{key}' must be a list of strings")
                    data[key] = list(data[key]) + value
                elif key == "meta_labels" and isinstance(value, dict):
                    for fld, labels in value.items():
                        data["meta_labels"].setdefault(fld, []).extend(labels)
                else:
                    raise AnnotationError(extra, f"unknown key '{key}' (known: {', '.join(_LIST_KEYS)}, meta_labels)")
        patterns = []
        for p in data["chrome_patterns"]:
            try:
                patterns.append(re.compile(p))
            except re.error as exc:
                where = extra or "digest/data/cleaning.yaml"
                raise AnnotationError(where, f"bad chrome pattern {p!r}: {exc}") from None
        label_to_field = {label: fld for fld, labels in data["meta_labels"].items() for label in labels}
        return cls(
            toolbar_words=frozenset(data["toolbar_words"]),
            chrome_patterns=patterns,
            split_phrases=list(data["split_phrases"]),
            meta_labels=data["meta_labels"],
            credit_roles=sorted(data["credit_roles"], key=len, reverse=True),
            byline_roles=sorted(data["byline_roles"], key=len, reverse=True),
            caption_credit_suffixes=sorted(data["caption_credit_suffixes"], key=len, reverse=True),
            heading_max=heading_max,
            caption_max=caption_max,
            label_to_field=label_to_field,
        )
