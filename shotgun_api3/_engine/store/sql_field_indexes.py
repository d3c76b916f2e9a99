"""Field indexes SQLite keeps: which stored rows of a type hold a value, found without reading them.

The engine's learned indexes (``query/indexes.py``) key a text field by its
lower-cased value and a single-entity link by ``(type, id)``. For a table
the engine has not read into memory (``stored_table.py``), the same keys are
asked of SQLite instead: the first such read creates a partial expression
index over that type's stored rows (``CREATE INDEX``, once, kept in the
file), and every later read, before or after a restart, is an index seek.
SQLite keeps the index current on every write, so nothing else has to.

The text key is computed by :func:`index_text`, registered on the
connection as ``sg_index_text`` (deterministic, which SQLite requires of a
function in an index): Python's ``str.lower``, the one the engine's index
uses, since SQLite's own ``lower()`` folds ASCII only. A database holding
such an index can only be written by a connection that registers it, which
is why the store's version is 2 (an older release refuses the folder
instead of failing on its first write).
"""
from __future__ import annotations

import re
import sqlite3
from typing import Any, List, Optional

FUNCTION = "sg_index_text"

_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def index_text(value: Any) -> Optional[str]:
    """The key a stored text files under (``None`` for anything that is not text)."""
    return value.lower() if isinstance(value, str) else None


def register(db: sqlite3.Connection) -> None:
    db.create_function(FUNCTION, 1, index_text, deterministic=True)


def candidates(db: sqlite3.Connection, entity_type: str, field: str, key: Any) -> Optional[List[int]]:
    """The ids of the stored rows of ``entity_type`` whose ``field`` files under ``key``, or ``None``.

    ``key`` is what ``query.indexes.index_key`` gives: a lower-cased text or a
    link's ``(type, id)``. ``None``: a name that cannot be indexed this way
    (the caller then reads the table).
    """
    if not (_NAME.match(entity_type) and _NAME.match(field)):
        return None
    if key.__class__ is str:
        columns = "%s(json_extract(row, '$.\"%s\"'))" % (FUNCTION, field)
        where, values = "%s = ?" % columns, (key,)
    elif key.__class__ is tuple and len(key) == 2:
        id_path, type_path = "json_extract(row, '$.\"%s\".id')" % field, "json_extract(row, '$.\"%s\".type')" % field
        columns = "%s, %s" % (id_path, type_path)
        where, values = "%s = ? AND %s = ?" % (id_path, type_path), (key[1], key[0])
    else:
        return None
    kind = "t" if key.__class__ is str else "e"
    db.execute('CREATE INDEX IF NOT EXISTS "sgx_%s_%s__%s" ON entity_rows (%s) WHERE entity_type = \'%s\''
               % (kind, entity_type, field, columns, entity_type))
    query = "SELECT id FROM entity_rows WHERE entity_type = '%s' AND %s" % (entity_type, where)
    return [found for (found,) in db.execute(query, values)]


def plan(db: sqlite3.Connection, entity_type: str, field: str, key: Any) -> str:
    """SQLite's query plan for :func:`candidates` (tests check that it seeks the index)."""
    if key.__class__ is str:
        where = "%s(json_extract(row, '$.\"%s\"')) = ?" % (FUNCTION, field)
        values: tuple = (key,)
    else:
        where = "json_extract(row, '$.\"%s\".id') = ? AND json_extract(row, '$.\"%s\".type') = ?" % (field, field)
        values = (key[1], key[0])
    rows = db.execute("EXPLAIN QUERY PLAN SELECT id FROM entity_rows WHERE entity_type = '%s' AND %s"
                      % (entity_type, where), values).fetchall()
    return " | ".join(str(row[-1]) for row in rows)
