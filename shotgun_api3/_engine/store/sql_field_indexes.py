"""Field indexes SQLite keeps: which stored rows of a type hold a value, found without reading them.

The engine's learned indexes (``query/indexes.py``) key a text-like field
by its lower-cased value, a single-entity link by ``(type, id)`` and a
number by its value. For a table
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
from typing import Any, Optional, Tuple

FUNCTION = "sg_index_text"

_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def index_text(value: Any) -> Optional[str]:
    """The key a stored text files under (``None`` for anything that is not text)."""
    return value.lower() if isinstance(value, str) else None


def register(db: sqlite3.Connection) -> None:
    db.create_function(FUNCTION, 1, index_text, deterministic=True)


def _where(field: str, key: Any, kind: str) -> Optional[Tuple[str, str, tuple]]:
    """``(index columns, WHERE terms, values)`` that find ``key`` in an index of ``kind``; ``None``: none can."""
    value = "json_extract(row, '$.\"%s\"')" % field
    if kind == "text" and key.__class__ is str:
        columns = "%s(%s)" % (FUNCTION, value)
        return columns, "%s = ?" % columns, (key,)
    if kind == "link" and key.__class__ is tuple and len(key) == 2:
        id_path, type_path = ("json_extract(row, '$.\"%s\".%s')" % (field, part) for part in ("id", "type"))
        return "%s, %s" % (id_path, type_path), "%s = ? AND %s = ?" % (id_path, type_path), (key[1], key[0])
    if kind == "number" and key.__class__ in (int, float):
        # A decimal is stored tagged ({"$dec": "5.5"}): its text, as a number.
        columns = "coalesce(json_extract(row, '$.\"%s\".\"$dec\"') + 0, %s)" % (field, value)
        return columns, "%s = ?" % columns, (key,)
    return None


def candidates(db: sqlite3.Connection, entity_type: str, field: str, key: Any,
               kind: str) -> Optional[sqlite3.Cursor]:
    """A cursor of ``(id, stored text)`` of the rows of ``entity_type`` whose ``field`` files under ``key``, or ``None``.

    ``key`` and ``kind`` are what ``query.indexes`` gives: a lower-cased text
    (``text``), a link's ``(type, id)`` (``link``) or a number (``number``).
    ``None``: a name or key that cannot be indexed this way (the caller then
    reads the table).
    """
    shape = _where(field, key, kind) if _NAME.match(entity_type) and _NAME.match(field) else None
    if shape is None:
        return None
    columns, where, values = shape
    db.execute('CREATE INDEX IF NOT EXISTS "sgx_%s_%s__%s" ON entity_rows (%s) WHERE entity_type = \'%s\''
               % (kind[0], entity_type, field, columns, entity_type))
    # The row's text comes along: SQLite reads each row anyway to check the
    # expression (an index on expressions is not covering before 3.41).
    query = "SELECT id, row FROM entity_rows WHERE entity_type = '%s' AND %s" % (entity_type, where)
    return db.execute(query, values)


def plan(db: sqlite3.Connection, entity_type: str, field: str, key: Any, kind: str) -> str:
    """SQLite's query plan for :func:`candidates` (to check that it seeks the index)."""
    shape = _where(field, key, kind)
    if shape is None:
        return "no index"
    _, where, values = shape
    rows = db.execute("EXPLAIN QUERY PLAN SELECT id FROM entity_rows WHERE entity_type = '%s' AND %s"
                      % (entity_type, where), values).fetchall()
    return " | ".join(str(row[-1]) for row in rows)
