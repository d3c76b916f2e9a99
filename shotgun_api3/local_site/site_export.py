"""``shotgun-local-site export``: a site's schema and records as a fixture file (``lib/site_fixture.py``)."""
from __future__ import annotations

from typing import IO, Any, Dict, Iterator, Mapping, Tuple

from ..lib.site_fixture import RETIRED, Record, write_fixture

Row = Dict[str, Any]


def row_to_record(row: Mapping[str, Any], blank: Mapping[str, Any], skip: Tuple[str, ...] = ()) -> Record:
    """The fixture record of a stored row: its id and the fields that differ from a new row (``blank``).

    Fields named in ``skip`` (password fields) and the site's bookkeeping
    (``__stored_file``: where its file store keeps an upload) are left out.
    """
    record: Record = {"id": row["id"]}
    for name, value in row.items():
        if name in ("id", "type") or name.startswith("__") or name in skip:  # "__": the site's own bookkeeping
            continue
        if name in blank and value == blank[name]:
            continue
        if value is None or value == []:
            continue
        record[name] = value
    if row.get(RETIRED):
        record[RETIRED] = True
    return record


def site_records(engine: Any) -> Iterator[Tuple[str, Iterator[Record]]]:
    """``(type, records)`` for every entity type of an engine with rows, in name order."""
    for entity_type in sorted(engine.tables):
        table = engine.tables[entity_type]
        if not table or not engine.schema.has_type(entity_type):
            continue
        blank = engine.new_row(entity_type, 0)
        skip = tuple(name for name, info in engine.schema.field_infos(entity_type).items()
                     if info.data_type == "password")
        yield entity_type, _records(table, blank, skip)


def _records(table: Mapping[int, Row], blank: Mapping[str, Any], skip: Tuple[str, ...]) -> Iterator[Record]:
    if getattr(table, "keeps_rows", True) is False:
        rows: Any = table.values()  # the event log, streamed from the store in id order
    else:
        rows = (table[entity_id] for entity_id in sorted(table))
    for row in rows:
        yield row_to_record(row, blank, skip)


def export_site(site: Any, handle: IO[str]) -> int:
    """Write the schema and every record (retired ones too) of ``site`` to ``handle``; return the record count.

    Credentials never leave the site: scripts' keys and users' passwords
    live in the site's state, not in records.
    """
    engine = site.engine
    return write_fixture(handle, engine.schema.to_dicts(), site_records(engine))
