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
uses, since SQLite's own ``lower()`` folds ASCII only; text indexes made
under another Unicode version are dropped when the store opens. A number
is keyed by ``sg_index_number`` (a stored decimal is a tagged object, read
as ``number_key`` reads it). A database holding
such an index can only be written by a connection that registers it, which
is why the store's version is 2 (an older release refuses the folder
instead of failing on its first write).
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from decimal import Decimal
from typing import Any, Optional, Tuple

FUNCTION = "sg_index_text"
NUMBER_FUNCTION = "sg_index_number"
#: Under this name in ``site_schema``: the Unicode version (of ``str.lower``) the text indexes were made with.
UNICODE_STATE = "index_unicode_version"

_NAME = re.compile(r"[A-Za-z0-9_]+")
_MIN_INT, _MAX_INT = -(1 << 63), (1 << 63) - 1


def index_text(value: Any) -> Optional[str]:
    """The key a stored text files under (``None`` for anything that is not text)."""
    return value.lower() if isinstance(value, str) else None


def index_number(value: Any) -> Any:
    """The key a stored number files under: what ``number_key`` gives (a decimal is stored tagged)."""
    if value.__class__ in (int, float):
        return value  # (JSON true and false come from SQLite as 1 and 0, as number_key reads them)
    if value.__class__ is str and value.startswith('{"$dec"'):
        try:
            return float(Decimal(json.loads(value)["$dec"]))
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return None
    return None


def register(db: sqlite3.Connection) -> None:
    db.create_function(FUNCTION, 1, index_text, deterministic=True)
    db.create_function(NUMBER_FUNCTION, 1, index_number, deterministic=True)


def forget_text_indexes_of_another_unicode(db: sqlite3.Connection) -> None:
    """Drop the text indexes made under another Unicode version: its case mappings made their keys.

    They are made again, by this Python's ``str.lower``, when next asked for.
    """
    found = db.execute("SELECT value FROM site_schema WHERE name = ?", (UNICODE_STATE,)).fetchone()
    if found is not None and json.loads(found[0]) == unicodedata.unidata_version:
        return
    names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'sgx_t%'")]
    db.execute("BEGIN IMMEDIATE")
    try:
        for name in names:
            db.execute('DROP INDEX IF EXISTS "%s"' % name.replace('"', '""'))
        db.execute("INSERT OR REPLACE INTO site_schema (name, value) VALUES (?, ?)",
                   (UNICODE_STATE, json.dumps(unicodedata.unidata_version)))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _where(field: str, key: Any, kind: str) -> Optional[Tuple[str, str, tuple]]:
    """``(index columns, WHERE terms, values)`` that find ``key`` in an index of ``kind``; ``None``: none can."""
    if (key.__class__ is int and not _MIN_INT <= key <= _MAX_INT) or (
            key.__class__ is tuple and len(key) == 2 and key[1].__class__ is int and not _MIN_INT <= key[1] <= _MAX_INT):
        return None  # beyond SQLite's integers: the caller scans (no stored row holds it anyway)
    value = "json_extract(row, '$.\"%s\"')" % field
    if kind == "text" and key.__class__ is str:
        columns = "%s(%s)" % (FUNCTION, value)
        return columns, "%s = ?" % columns, (key,)
    if kind == "link" and key.__class__ is tuple and len(key) == 2:
        id_path, type_path = ("json_extract(row, '$.\"%s\".%s')" % (field, part) for part in ("id", "type"))
        return "%s, %s" % (id_path, type_path), "%s = ? AND %s = ?" % (id_path, type_path), (key[1], key[0])
    if kind == "number" and key.__class__ in (int, float):
        columns = "%s(%s)" % (NUMBER_FUNCTION, value)
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
    shape = _where(field, key, kind) if _NAME.fullmatch(entity_type) and _NAME.fullmatch(field) else None
    if shape is None:
        return None
    columns, where, values = shape
    # (The type's length in the name keeps "A" + "B__c" and "A__B" + "c" apart.)
    db.execute('CREATE INDEX IF NOT EXISTS "sgx_%s%d_%s_%s" ON entity_rows (%s) WHERE entity_type = \'%s\''
               % (kind[0], len(entity_type), entity_type, field, columns, entity_type))
    # The row's text comes along: SQLite reads each row anyway to check the
    # indexed expression (the index is not used as covering).
    query = "SELECT id, row FROM entity_rows WHERE entity_type = '%s' AND %s" % (entity_type, where)
    return db.execute(query, values)
