"""Loading a site fixture (``lib/site_fixture.py``) into a mockgun instance: its schema and its ``_db``.

``Shotgun.from_fixture(path)`` calls :func:`load`. The fixture's schema
becomes the instance's own (the class-wide schema paths are not needed and
not changed) and its records become ``_db`` rows, each a full row as a
``create`` makes it, with the fixture's values over the defaults.
"""
from __future__ import annotations

import os
from typing import Any, Union

from ..site_fixture import RETIRED, Fixture, read_fixture

SHIPPED_SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                  "data")


def load(cls: Any, path: Union[str, "os.PathLike[str]", Fixture], base_url: str, **credentials: Any) -> Any:
    """A new ``cls`` instance holding the fixture at ``path`` (or a read :class:`Fixture`); ``credentials`` go
    to the constructor."""
    fixture = path if isinstance(path, Fixture) else read_fixture(os.fspath(path))
    saved = cls.get_schema_paths()
    if saved[0] is None or saved[1] is None:
        # The constructor wants schema files; the fixture's schema replaces theirs at once.
        cls.set_schema_paths(os.path.join(SHIPPED_SCHEMA_DIR, "schema.json"),
                             os.path.join(SHIPPED_SCHEMA_DIR, "schema_entity.json"))
    try:
        credentials.setdefault("script_name", "fixture_script")
        credentials.setdefault("api_key", "fixture_key")
        sg = cls(base_url, **credentials)
    finally:
        cls.set_schema_paths(*saved)
    sg._schema, sg._schema_entity = fixture.schema, fixture.schema_entity
    sg._db = {entity_type: {} for entity_type in fixture.schema}
    engine = sg._engine
    for entity_type, records in fixture.records.items():
        table = sg._db.setdefault(entity_type, {})
        for record in records:
            row = engine.new_row(entity_type, record["id"])
            row.update(record)
            row[RETIRED] = bool(record.get(RETIRED))
            table[record["id"]] = row
    return sg
