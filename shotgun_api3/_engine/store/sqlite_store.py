"""SqliteStore: the engine's write-through store on SQLite, in WAL mode.

The engine reads its tables from this store as it needs them
(``stored_table.py``) and hands each committed transaction to it
(docs/architecture.rst, "The engine contract"). This store writes those rows, schema changes and the site's own state (accounts,
sessions, the signing secret) to one SQLite file, in one transaction per
engine commit, before the call returns. ``synchronous=FULL`` makes SQLite
fsync the write-ahead log on every commit, so an answer the client received
is on disk even if the machine loses power right after.

Row values are stored as tagged JSON (``row_codec.py``) so they come back
exactly as they went in.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .plain_rows import PlainRows
from .wal_checkpointer import BACKSTOP_PAGES, WalCheckpointer
from .row_codec import RowDecoder, decode_value, dumps, encode_value, loads  # noqa: F401 - re-exported
from . import memory_budget, sql_field_indexes
from .stored_table import StoredTable

LOG = logging.getLogger("shotgun_api3")

#: The ids SQLite holds: 64-bit signed integers.
_MIN_ID, _MAX_ID = -(1 << 63), (1 << 63) - 1

#: Entity types whose rows are never held in memory whole: streamed from the
#: database when read (the event log: most of a site's rows, read by id range).
STREAMED_TYPES = frozenset(("EventLogEntry",))

#: The shape of the database this release writes (SQLite ``PRAGMA user_version``).
#: 0: folders made before the store carried a version (the same tables as 1);
#: 1: the tables below; 2: the same, and it may hold field indexes that call
#: ``sg_index_text`` (``sql_field_indexes.py``), which a release that does not
#: register it could not write through. A folder made by a newer release is
#: refused, not guessed at.
SCHEMA_VERSION = 2
#: Bytes per database page of a new site (see SqliteStore.__init__).
PAGE_SIZE = 16384
#: The most KiB of database pages the connection keeps in memory (see SqliteStore.__init__).
CACHE_KIB = 64 * 1024


_TABLES = """
CREATE TABLE IF NOT EXISTS entity_rows (
    entity_type TEXT NOT NULL,
    id INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (entity_type, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_schema (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS site_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StoreVersionError(Exception):
    """The database was written by a newer release, in a shape this one does not know."""


def _migrate_0_to_1(db: sqlite3.Connection) -> None:
    # Version 0 folders already hold the version 1 tables (made before the
    # version was recorded); CREATE IF NOT EXISTS in _TABLES fills any gap.
    # (execute, not executescript: that would commit the migration's transaction half way.)
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    # Nothing to change: field indexes are made when a read first asks for one.
    pass


#: ``version -> step`` that brings a database of that version to the next one.
_MIGRATIONS = {0: _migrate_0_to_1, 1: _migrate_1_to_2}


#: The engine's schema state as plain dicts (``SiteSchema.to_dicts()``).
SchemaDicts = dict
Row = Mapping[str, Any]


class SqliteStore:
    """Persist engine commits, the site schema and the site state in SQLite.

    ``path=None`` keeps the database in memory (tests): same code path, no file.
    ``schema_source`` is set by the site once the engine exists; it returns
    the current schema dicts (``SiteSchema.to_dicts()``), saved when a commit
    says the schema changed.
    """

    def __init__(self, path: Union[str, Path, None] = None, synchronous: str = "FULL") -> None:
        self.path = None if path is None else Path(path)
        self.schema_source: Optional[Callable[[], SchemaDicts]] = None
        #: The version an older database was migrated from when opened, else None.
        self.migrated_from: Optional[int] = None
        self._listeners: list = []
        #: Called with ``(entity_type, row)`` on every row read from the database, before the
        #: engine sees it (the site moves file links made under another address).
        self.row_loaded: Optional[Callable[[str, Row], None]] = None
        #: Called first, with the same arguments: the engine fills the fields a row lacks.
        self.row_defaults: Optional[Callable[[str, Row], None]] = None
        self._decoder = RowDecoder()
        #: Rows and types ``row_codec.dumps_changed`` checks whole.
        self._plain_rows = PlainRows()
        self._tables: dict = {}
        self._streamed: list = []
        #: How many tables were read whole since the memory was last checked (:meth:`trim_memory`).
        self.tables_read = 0
        #: Bytes the rows held in memory by this store's tables may take (a function, read when
        #: checked), or None: no bound. See :meth:`trim_memory`.
        self.memory_budget: Optional[Callable[[], int]] = None
        # One connection, used under a lock: the engine already serialises
        # calls, and SQLite allows one writer at a time anyway.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                                   check_same_thread=False, isolation_level=None)
        sql_field_indexes.register(self._db)
        # Rows are a few hundred bytes to a few KB, clustered in the primary key's B-tree (WITHOUT
        # ROWID): pages of 16 KB hold several each, where 4 KB pages split and overflow, which made
        # seeding about a third slower at 1,000,000 records. Only a new database takes it (the size
        # is fixed by its first write); an existing one keeps its own.
        self._db.execute("PRAGMA page_size = %d" % PAGE_SIZE)
        synchronous = {"FULL": "FULL", "NORMAL": "NORMAL", "EXTRA": "EXTRA"}[synchronous]
        self._checkpointer: Optional[WalCheckpointer] = None
        if self.path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            # Checkpoints run beside the requests (wal_checkpointer.py); the commit's own is a bound.
            self._db.execute("PRAGMA wal_autocheckpoint = %d" % BACKSTOP_PAGES)
            self._checkpointer = WalCheckpointer(self.path, synchronous)
        self._db.execute("PRAGMA synchronous=%s" % synchronous)
        # A commit of a 500-record batch touches a few MB of pages; SQLite's default cache (2 MB)
        # spilled them before the commit. Filled only as pages are read or written.
        self._db.execute("PRAGMA cache_size = -%d" % CACHE_KIB)
        try:
            self._upgrade()
            sql_field_indexes.forget_text_indexes_of_another_unicode(self._db)
        except BaseException:
            self._db.close()
            raise

    def _upgrade(self) -> None:
        """Bring the database to :data:`SCHEMA_VERSION` (a new one is made at it); refuse a newer one."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                "%s was written by a newer release of shotgun_api3 (store version %d; this release reads up to "
                "version %d). Open it with that release or a later one." % (self.path or "the database", version,
                                                                           SCHEMA_VERSION))
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            self._db.executescript(_TABLES)
            self._db.execute("PRAGMA user_version = %d" % SCHEMA_VERSION)
            return
        self.migrated_from = version if version < SCHEMA_VERSION else None
        while version < SCHEMA_VERSION:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                _MIGRATIONS[version](self._db)
                version += 1
                self._db.execute("PRAGMA user_version = %d" % version)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- the engine's Store protocol ---------------------------------------
    def load(self) -> Tuple[Optional[SchemaDicts], Optional[dict]]:
        """Return ``(schema dicts or None, tables or None)`` as last committed.

        The tables are :class:`StoredTable` mappings that read their rows
        from this store when they are first needed (nothing is parsed here);
        the event log's is never held in memory whole (``STREAMED_TYPES``).
        """
        with self._lock:
            schema = self._db.execute("SELECT value FROM site_schema WHERE name = 'schema'").fetchone()
        schema_dicts = json.loads(schema[0]) if schema is not None else None
        stored_types = self._stored_types()
        if not stored_types and schema_dicts is None:
            return None, None
        names = set(stored_types)
        if schema_dicts is not None:
            names.update(schema_dicts.get("schema", {}))
        self._tables = {name: StoredTable(self, name, keeps_rows=name not in STREAMED_TYPES) for name in sorted(names)}
        self._streamed = [table for table in self._tables.values() if not table.keeps_rows]
        return schema_dicts, dict(self._tables)

    def _stored_types(self) -> list:
        """The entity types that have stored rows, by seeks on the primary key (no scan)."""
        found: list = []
        with self._lock:
            while True:
                after = self._db.execute("SELECT entity_type FROM entity_rows WHERE entity_type > ? "
                                         "ORDER BY entity_type LIMIT 1", (found[-1] if found else "",)).fetchone()
                if after is None:
                    return found
                found.append(after[0])

    # -- rows read as the tables need them (StoredTable's source) ------------------
    def row(self, entity_type: str, entity_id: int, text_only: bool = False) -> Any:
        """The stored row of ``(entity_type, entity_id)``, decoded (its text with ``text_only``), or None."""
        with self._lock:
            found = self._db.execute("SELECT row FROM entity_rows WHERE entity_type = ? AND id = ?",
                                     (entity_type, entity_id)).fetchone()
        if found is None or text_only:
            return None if found is None else found[0]
        return self._decoded(entity_type, [(entity_id, found[0])])[0][1]

    def rows_after(self, entity_type: str, after: Optional[int], up_to: Optional[int],
                   chunk: int, needles: Sequence[str] = (), descending: bool = False) -> Iterator[list]:
        """Lists of ``(id, row)`` with ``after < id <= up_to`` (``None``: unbounded), in id order, ``chunk`` a list.

        With ``needles``, only the rows whose stored text holds every one of them
        (SQLite tests the texts; only those rows are parsed). ``descending``:
        highest id first.
        """
        # Ids are 64-bit in SQLite: bounds beyond that are no bound (the caller clamps; ints only here).
        low = _MIN_ID if after is None else max(_MIN_ID, min(after, _MAX_ID - 1) + 1)
        high = _MAX_ID if up_to is None else min(_MAX_ID, max(up_to, _MIN_ID + 1))
        texts = " AND instr(row, ?) > 0" * len(needles)
        if descending:
            query = "SELECT id, row FROM entity_rows WHERE entity_type = ? AND id <= ? AND id >= ?%s " \
                    "ORDER BY id DESC LIMIT ?" % texts
            position, other = high, low
        else:
            query = "SELECT id, row FROM entity_rows WHERE entity_type = ? AND id >= ? AND id <= ?%s " \
                    "ORDER BY id LIMIT ?" % texts
            position, other = low, high
        while True:
            with self._lock:
                part = self._db.execute(query, (entity_type, position, other, *needles, chunk)).fetchall()
            if not part:
                return
            yield self._decoded(entity_type, part)
            last = part[-1][0]
            if len(part) < chunk or last == (_MIN_ID if descending else _MAX_ID):
                return
            position = last - 1 if descending else last + 1

    def rows_by_ids(self, entity_type: str, ids: Sequence[int]) -> list:
        """``(id, row)`` of the stored rows among ``ids`` (a few hundred), decoded together."""
        with self._lock:
            part = self._db.execute("SELECT id, row FROM entity_rows WHERE entity_type = ? AND id IN (%s)"
                                    % ",".join("?" * len(ids)), (entity_type, *ids)).fetchall()
        return self._decoded(entity_type, part)

    def field_candidates(self, entity_type: str, field: str, key: Any, kind: str) -> Optional[list]:
        """``(id, row)`` of the stored rows whose ``field`` files under ``key`` in an index of ``kind``, by an index.

        The index is made by the first call for that field (it reads the
        type's rows once, in SQLite) and kept in the file. ``None``: no
        index can answer (the caller reads the table instead).
        """
        with self._lock:
            try:
                cursor = sql_field_indexes.candidates(self._db, entity_type, field, key, kind)
            except (sqlite3.Error, OverflowError) as error:  # a read-only or full disk: answer from memory
                LOG.warning("local site: no index of %s.%s in the database: %s", entity_type, field, error)
                return None
            if cursor is None:
                return None
            found: list = []
            while True:  # parsed a chunk at a time: a common value may match most of the table
                part = cursor.fetchmany(5000)
                if not part:
                    return found
                found.extend(self._decoded(entity_type, part))

    def _decoded(self, entity_type: str, stored: list) -> list:
        """``(id, row)`` of stored ``(id, text)`` pairs, parsed together, file links moved."""
        decoder = self._decoder
        decoder.saw_unplain = False
        rows = decoder.rows([text for _, text in stored])
        if decoder.saw_unplain:
            self._plain_rows.read(entity_type, [entity_id for entity_id, _ in stored])
        if self.row_defaults is not None:
            self._plain_rows.type_read(entity_type, self.row_defaults)
            for row in rows:
                self.row_defaults(entity_type, row)
        if self.row_loaded is not None:
            for row in rows:
                self.row_loaded(entity_type, row)
        return list(zip([entity_id for entity_id, _ in stored], rows))

    def end_of_call(self) -> None:
        """Between calls: the event log lets go of the rows the call read (see ``StoredTable``)."""
        for table in self._streamed:
            table.release_read_rows()

    def trim_memory(self) -> List[str]:
        """Let the least recently scanned tables go until the rows in memory fit ``memory_budget``; their names.

        Only between calls (``Site.call`` runs it): see ``memory_budget.py``.
        """
        self.tables_read = 0
        if self.memory_budget is None or not self._tables:
            return []
        budget = self.memory_budget()
        released = memory_budget.trim(self._tables.values(), budget)
        if released:
            LOG.info("local site: let go of the rows of %s in memory (over the memory budget of %d MB); "
                     "they are read again when needed", ", ".join(released), budget // 2 ** 20)
        return released

    def database_bytes(self) -> int:
        """The size of the database file and its write-ahead log (0 in memory)."""
        if self.path is None:
            return 0
        total = 0
        for suffix in ("", "-wal"):
            try:
                total += Path(str(self.path) + suffix).stat().st_size
            except OSError:
                pass
        return total

    def has_rows(self, entity_type: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM entity_rows WHERE entity_type = ? LIMIT 1",
                                    (entity_type,)).fetchone() is not None

    def highest_id(self, entity_type: str) -> int:
        """The highest stored integer id of ``entity_type`` (0: none)."""
        with self._lock:
            found = self._db.execute("SELECT max(id) FROM entity_rows WHERE entity_type = ?", (entity_type,)).fetchone()
        return found[0] or 0

    def count(self, entity_type: str) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entity_rows WHERE entity_type = ?",
                                    (entity_type,)).fetchone()[0]

    def add_commit_listener(self, listener: Callable[[Mapping[Tuple[str, int], Optional[Row]], Any], None]) -> None:
        """Call ``listener(changes, schema_changed)`` after every commit that succeeded (the engine's indexes)."""
        self._listeners.append(listener)

    #: :meth:`commit` takes ``written_fields`` (the engine's transaction passes it then).
    takes_written_fields = True

    def commit(self, changes: Mapping[Tuple[str, int], Optional[Row]],
               schema_changed: Union[bool, SchemaDicts, None],
               written_fields: Optional[Mapping[Tuple[str, int], Optional[Mapping[str, Any]]]] = None,
               values_from_json: bool = False) -> None:
        """Write ``changes`` (None deletes a row) and a changed schema, in one transaction.

        ``schema_changed`` is the new schema dicts (what the engine passes),
        or True to read them from ``schema_source``; None/False: unchanged.
        ``written_fields`` maps a changed row's key to ``{field: value before
        the call}`` when only those fields changed (None or no entry: a new
        row, or one to check whole): see ``row_codec.dumps_changed``. ``values_from_json``:
        the call's params came from JSON text (``CallContext.params_from_json``, ``plain_rows.py``).
        """
        keys = []
        rows = []
        deletes = []
        plain_rows = self._plain_rows
        # (Read once: the check of the defaults and the write both take the new schema.)
        schema = self.schema_source() if schema_changed is True and self.schema_source is not None else schema_changed
        if schema:
            plain_rows.schema_changed(schema, self.row_defaults)
        for key, row in changes.items():
            if row is None:
                deletes.append(key)
            else:
                keys.append(key)
                rows.append(row)
        texts, not_plain = plain_rows.texts(keys, rows, written_fields, self.row_defaults, values_from_json)
        upserts = [(entity_type, entity_id, text) for (entity_type, entity_id), text in zip(keys, texts)]
        schema_rows = [("schema", json.dumps(schema))] if isinstance(schema, dict) else ()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if upserts:
                    self._db.executemany("INSERT OR REPLACE INTO entity_rows (entity_type, id, row) VALUES (?, ?, ?)",
                                         upserts)
                if deletes:
                    self._db.executemany("DELETE FROM entity_rows WHERE entity_type = ? AND id = ?", deletes)
                if schema_rows:
                    self._db.executemany("INSERT OR REPLACE INTO site_schema (name, value) VALUES (?, ?)", schema_rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        if self._checkpointer is not None:
            self._checkpointer.committed()
        plain_rows.written(changes, [keys[position] for position in not_plain])
        tables = self._tables
        if tables:
            for (entity_type, entity_id), row in changes.items():
                table = tables.get(entity_type)
                # (A kept row written is the row the table holds: only deletes and the event log's rows matter.)
                if table is not None and (row is None or not table.keeps_rows):
                    table.committed(entity_id, row)
        for listener in self._listeners:
            listener(changes, schema_changed)

    # -- archiving old rows (the event log) ------------------------------------
    def oldest_ids_beyond(self, entity_type: str, keep: int) -> Optional[int]:
        """The highest id of ``entity_type`` outside its newest ``keep`` rows, or None when there are no more."""
        with self._lock:
            found = self._db.execute("SELECT id FROM entity_rows WHERE entity_type = ? ORDER BY id DESC "
                                     "LIMIT 1 OFFSET ?", (entity_type, keep)).fetchone()
        return None if found is None else found[0]

    def stored_rows(self, entity_type: str, up_to_id: int, chunk: int = 10000) -> Iterator[Tuple[int, str]]:
        """``(id, stored text)`` of the rows of ``entity_type`` with ids up to ``up_to_id``, in id order.

        The text is what the store holds (tagged JSON; :func:`loads` reads it).
        """
        after = None
        while True:
            with self._lock:
                if after is None:
                    part = self._db.execute("SELECT id, row FROM entity_rows WHERE entity_type = ? AND id <= ? "
                                            "ORDER BY id LIMIT ?", (entity_type, up_to_id, chunk)).fetchall()
                else:
                    part = self._db.execute("SELECT id, row FROM entity_rows WHERE entity_type = ? AND id > ? "
                                            "AND id <= ? ORDER BY id LIMIT ?",
                                            (entity_type, after, up_to_id, chunk)).fetchall()
            if not part:
                return
            yield from part
            after = part[-1][0]

    def delete_up_to(self, entity_type: str, up_to_id: int) -> int:
        """Delete the rows of ``entity_type`` with ids up to ``up_to_id`` in one transaction; return how many."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute("DELETE FROM entity_rows WHERE entity_type = ? AND id <= ?",
                                          (entity_type, up_to_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return cursor.rowcount

    def reclaim_space(self) -> None:
        """Give the space of deleted rows back to the file system (``VACUUM``; takes a while on a large site)."""
        with self._lock:
            self._db.execute("VACUUM")
            if self.path is not None:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- schema and site state ------------------------------------------------
    def has_schema(self) -> bool:
        """Whether a schema was ever saved (a new database has none)."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM site_schema WHERE name = 'schema'").fetchone() is not None

    def save_schema(self, schema_dicts: SchemaDicts) -> None:
        """Store the whole site schema (used when a site folder is created)."""
        rows = [("schema", json.dumps(schema_dicts))]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO site_schema (name, value) VALUES (?, ?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def read_state(self) -> dict:
        """All site state entries (accounts, sessions, secret), key -> value."""
        with self._lock:
            rows = self._db.execute("SELECT key, value FROM site_state").fetchall()
        return {key: loads(value) for key, value in rows}

    def write_state(self, key: str, value: Optional[Any]) -> None:
        """Set (or, with None, delete) one site state entry, durably."""
        with self._lock:
            if value is None:
                self._db.execute("DELETE FROM site_state WHERE key = ?", (key,))
            else:
                self._db.execute("INSERT OR REPLACE INTO site_state (key, value) VALUES (?, ?)", (key, dumps(value)))

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        with self._lock:
            self._db.close()
