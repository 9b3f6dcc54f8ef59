"""facts.csv, facts.json and facts.schema.json: the documented, stable export of every fact."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from digest.facts.model import FIELDS, KINDS, Fact
from digest.facts.numerals import plain
from digest.facts.units import UNIT_NAMES

if TYPE_CHECKING:
    from digest.stages import Pieces

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(plain(value))


def record(fact: Fact) -> dict[str, Any]:
    """One fact as a JSON-ready mapping, keys in schema order."""
    values: dict[str, Any] = {
        "id": fact.id,
        "doc": fact.doc,
        "anchor": fact.anchor,
        "url": f"docs/{fact.doc}.html#{fact.id}",
        "sentence": fact.sentence,
        "start": fact.start,
        "end": fact.end,
        "text": fact.text,
        "value": _number(fact.value),
        "value_max": _number(fact.value_max),
        "unit": fact.unit,
        "kind": fact.kind,
        "qualifiers": list(fact.qualifiers),
        "display": fact.display,
        "metric": fact.metric,
        "metric_en": fact.metric_en,
        "metric_known": fact.metric_known,
        "metric_slug": fact.metric_slug,
        "subject": fact.subject,
        "subject_en": fact.subject_en,
        "period": fact.period,
        "planned": fact.planned,
    }
    return {name: values[name] for name, _, _ in FIELDS}


def to_json(facts: list[Fact]) -> str:
    """``{"schema": …, "count": …, "facts": [...]}`` with one fact per line: as easy to read, grep and
    diff as one field per line, without the line break and indent per field (a sixth of the file)."""
    buf = io.StringIO()
    write_json(facts, buf)
    return buf.getvalue()


def write_json(facts: list[Fact], out: TextIO) -> None:
    """:func:`to_json`, written a line at a time (at 10,000 documents the text is a quarter gigabyte)."""
    write_both(facts, json_out=out)


def write_both(facts: list[Fact], csv_out: TextIO | None = None, json_out: TextIO | None = None) -> None:
    """facts.csv and facts.json in one pass, a row at a time: each fact's record is made once."""
    rows = csv.writer(csv_out, lineterminator="\n") if csv_out is not None else None
    if rows is not None:
        rows.writerow([name for name, _, _ in FIELDS])
    if json_out is not None:
        head = json.dumps({"schema": "facts.schema.json", "count": len(facts)}, ensure_ascii=False)
        json_out.write(f'{head[:-1]}, "facts": [')
    for i, f in enumerate(facts):
        rec = record(f)
        if rows is not None:
            rows.writerow(_csv_cells(f, rec))
        if json_out is not None:
            json_out.write(",\n" if i else "\n")
            json_out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    if json_out is not None:
        json_out.write("\n]}\n" if facts else "]}\n")


def _csv_rows(facts: list[Fact], header: bool = False) -> str:
    """facts.csv's lines for ``facts`` (after its header line, with ``header``), as write_both writes them."""
    buf = io.StringIO()
    rows = csv.writer(buf, lineterminator="\n")
    if header:
        rows.writerow([name for name, _, _ in FIELDS])
    for f in facts:
        rows.writerow(_csv_cells(f, record(f)))
    return buf.getvalue()


def _csv_cells(f: Fact, rec: dict[str, Any]) -> list[str]:
    """A fact's CSV row: its record's values, numbers as their exact decimal text."""
    return [_cell(rec[name], name, f.value if name == "value" else f.value_max if name == "value_max" else None)
            for name, _, _ in FIELDS]


def _json_rows(facts: list[Fact]) -> str:
    return ",\n".join(json.dumps(record(f), ensure_ascii=False, separators=(",", ":")) for f in facts)


def write_pieces(groups: Iterable[tuple[str, list[Fact]]], count: int, csv_out: Pieces, json_out: Pieces) -> None:
    """:func:`write_both`, the same bytes, as one piece per group of facts (a document's) under the group's
    key: a group whose key the last build's files hold is copied from them (stages.Pieces). ``count``:
    the number of facts in all groups."""
    csv_out.raw(_csv_rows([], header=True))
    head = json.dumps({"schema": "facts.schema.json", "count": count}, ensure_ascii=False)
    json_out.raw(f'{head[:-1]}, "facts": [')
    first = True
    for key, facts in groups:
        csv_out.piece(key, functools.partial(_csv_rows, facts))
        json_out.raw("\n" if first else ",\n")
        json_out.piece(key, functools.partial(_json_rows, facts))
        first = False
    json_out.raw("]}\n" if first else "\n]}\n")


def _cell(value: Any, name: str, facts_value: Decimal | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in ("value", "value_max") and facts_value is not None:
        return plain(facts_value)  # exact decimal text, never a float
    if isinstance(value, list):
        value = "|".join(value)
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text  # a spreadsheet must not read seed text as a formula
    return text


def to_csv(facts: list[Fact]) -> str:
    buf = io.StringIO()
    write_csv(facts, buf)
    return buf.getvalue()


def write_csv(facts: list[Fact], out: TextIO) -> None:
    """facts.csv, written a row at a time."""
    write_both(facts, csv_out=out)


def json_schema() -> str:
    types: dict[str, dict[str, Any]] = {
        "string": {"type": "string"},
        "integer": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "number|null": {"type": ["number", "null"]},
        "integer|null": {"type": ["integer", "null"]},
        "array of string": {"type": "array", "items": {"type": "string"}},
    }
    props: dict[str, Any] = {}
    for name, kind, description in FIELDS:
        props[name] = {**types[kind], "description": description}
    props["unit"]["enum"] = sorted(UNIT_NAMES)
    props["kind"]["enum"] = sorted(KINDS)
    props["id"]["pattern"] = "^f-[0-9a-f]{12}$"
    fact = {
        "type": "object",
        "required": [n for n, _, _ in FIELDS],
        "additionalProperties": False,
        "properties": props,
    }
    schema = {
        "title": "Digest key facts (JSON Schema, draft 2020-12)",
        "description": "Every figure extracted from the documents (facts.json). facts.csv has the same "
        "columns "
        "in the same order; qualifiers are joined with '|', null is empty, booleans are "
        "true/false.",
        "type": "object",
        "required": ["schema", "count", "facts"],
        "properties": {
            "schema": {"type": "string"},
            "count": {"type": "integer"},
            "facts": {"type": "array", "items": {"$ref": "#/$defs/fact"}},
        },
        "$defs": {"fact": fact},
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"
