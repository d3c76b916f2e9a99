"""Site fixtures: a site's schema and records as one versioned, diff-friendly JSON file.

``shotgun-local-site export`` writes one, ``shotgun-local-site import`` and
``mockgun.Shotgun.from_fixture`` read it (docs/local_site.rst, Fixtures). The
layout, in this order and always sorted, so two exports of the same data are
byte for byte equal and a change shows as a few changed lines::

    {
     "format": "shotgun_api3.site_fixture",
     "version": 1,
     "schema": {...},            # schema_read: {type: {field: definition}}
     "schema_entity": {...},     # schema_entity_read: {type: definition}
     "visibility": {...},        # per-project field visibility, when the site has any
     "records": {
      "Shot": [
       {"code": "sh010", "id": 1, "project": {"id": 1, "type": "Project"}},
       ...
      ]
     }
    }

A record holds its ``id`` and the fields that differ from a new record's
(empty values are left out); ``"__retired": true`` marks a retired one.
Links are ``{"type", "id"}`` with a ``"name"`` only when the linked record is
not in the fixture. Datetimes are UTC strings (``2024-05-01T09:30:00Z``),
read back as datetimes from the schema's ``date_time`` fields.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Dict, IO, Iterable, Iterator, List, Mapping, Tuple

FORMAT_NAME = "shotgun_api3.site_fixture"
FORMAT_VERSION = 1
RETIRED = "__retired"
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

Record = Dict[str, Any]


class FixtureError(ValueError):
    """A file is not a site fixture this release can read."""


class Fixture:
    """A read fixture: the schema dicts and ``{entity type: [record, ...]}`` (datetimes decoded)."""

    def __init__(self, schema: Dict[str, Any], schema_entity: Dict[str, Any], visibility: Dict[str, Any],
                 records: Dict[str, List[Record]]) -> None:
        self.schema = schema
        self.schema_entity = schema_entity
        self.visibility = visibility
        self.records = records

    def schema_dicts(self) -> Dict[str, Any]:
        """The schema in the form a site store keeps (``SiteSchema.to_dicts()``)."""
        return {"schema": self.schema, "schema_entity": self.schema_entity, "visibility": self.visibility}

    def count(self) -> int:
        return sum(len(records) for records in self.records.values())


def encode_value(value: Any) -> Any:
    """A stored value as fixture JSON: datetimes become UTC strings, the rest is already JSON."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return value.strftime(_DATETIME_FORMAT)
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, dict):
        return {key: encode_value(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decode_datetime(value: Any) -> Any:
    """A fixture datetime string as an aware UTC datetime (anything else unchanged)."""
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value, _DATETIME_FORMAT).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return value
    return value


def datetime_fields(schema: Mapping[str, Any], entity_type: str) -> Tuple[str, ...]:
    """The ``date_time`` fields of a type in a ``schema_read`` dict."""
    fields = schema.get(entity_type) or {}
    return tuple(name for name, info in fields.items()
                 if ((info or {}).get("data_type") or {}).get("value") == "date_time")


def write_fixture(handle: IO[str], schema_dicts: Mapping[str, Any],
                  records: Iterable[Tuple[str, Iterable[Record]]]) -> int:
    """Write a fixture to ``handle``; ``records`` yields ``(type, records)`` (both sorted by the caller or not).

    Types are written in name order; each type's records are sorted by id
    here. One record per line. Returns the number of records written.
    """
    handle.write('{\n "format": %s,\n "version": %d,\n' % (json.dumps(FORMAT_NAME), FORMAT_VERSION))
    for key in ("schema", "schema_entity", "visibility"):
        text = json.dumps(schema_dicts.get(key) or {}, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write(' "%s": %s,\n' % (key, text.replace("\n", "\n ")))
    handle.write(' "records": {')
    written = 0
    first_type = True
    for entity_type, type_records in sorted(records, key=lambda item: item[0]):
        lines = sorted((record["id"], json.dumps(encode_value(record), sort_keys=True, ensure_ascii=False))
                       for record in type_records)
        if not lines:
            continue
        handle.write("%s\n  %s: [" % ("" if first_type else ",", json.dumps(entity_type)))
        first_type = False
        handle.write(",".join("\n   " + line for _, line in lines))
        handle.write("\n  ]")
        written += len(lines)
    handle.write("\n }\n}\n" if not first_type else "}\n}\n")
    return written


def read_fixture(path: str) -> Fixture:
    """Read a fixture file; raises :class:`FixtureError` for anything else, or a newer version."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise FixtureError("cannot read the fixture %s: %s" % (path, error)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FixtureError("%s is not a site fixture (no \"format\": %s)" % (path, json.dumps(FORMAT_NAME)))
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise FixtureError("%s is a site fixture of version %r; this release reads version %d"
                           % (path, version, FORMAT_VERSION))
    schema = data.get("schema") or {}
    records: Dict[str, List[Record]] = {}
    for entity_type, type_records in (data.get("records") or {}).items():
        stamped = datetime_fields(schema, entity_type)
        for record in type_records:
            for name in stamped:
                if name in record:
                    record[name] = decode_datetime(record[name])
        records[entity_type] = type_records
    return Fixture(schema, data.get("schema_entity") or {}, data.get("visibility") or {}, records)


def iter_records(fixture: Fixture) -> Iterator[Tuple[str, Record]]:
    """``(type, record)`` for every record, types in name order, records by id."""
    for entity_type in sorted(fixture.records):
        for record in sorted(fixture.records[entity_type], key=lambda record: record["id"]):
            yield entity_type, record
