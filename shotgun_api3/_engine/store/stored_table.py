"""StoredTable: the rows of one entity type, read from the store as they are needed.

A site of a million records cannot parse every row before it answers (a
minute) nor hold its whole event log in memory (most of its size). So the
tables a :class:`~shotgun_api3._engine.store.sqlite_store.SqliteStore` loads
are these mappings of ``id -> row`` instead of dicts (docs/architecture.rst,
"A site at production size"):

- Nothing is read when the site opens. A look-up by id reads that one row
  (an index seek) and keeps it, so the same record is the same dict for the
  rest of the run: the engine changes rows in place and a transaction puts
  them back in place on rollback.
- An entity table (``keeps_rows``) reads all its rows the first time
  anything needs more than a look-up (a scan, an index build, ``len``) and
  from then on is a dict in memory, as every table used to be.
- The event log (``keeps_rows=False``) is never held: a scan streams its
  rows from the store in id order, a range of ids is read by an index seek
  (:meth:`rows_between`, what event daemons ask for), and the rows a call
  wrote are let go once the store has them.

What a call wrote and the store has not committed yet lives in memory
(``_known``); the store's commit listener (:meth:`committed`) hears when it
has. A row deleted in memory before the commit is ``_GONE`` there.
"""
from __future__ import annotations

import itertools
import sys
from collections.abc import MutableMapping
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

Row = Dict[str, Any]

_GONE: Any = object()

#: Rows read from the store per query when a table is streamed or loaded.
STREAM_CHUNK = 5000
#: Ids asked of the store per query when many rows are read by id.
_READ_MANY = 500
#: What a row is taken to hold in memory before a table's rows were measured.
DEFAULT_ROW_BYTES = 3000

_SCANS = itertools.count(1)

#: The ids SQLite can hold (a 64-bit signed integer); an id outside them is never stored.
_MIN_ID, _MAX_ID = -(1 << 63), (1 << 63) - 1


class StoredTable(MutableMapping):
    """``id -> row`` of one entity type, over a store that reads rows by id and in id order."""

    def __init__(self, source: Any, entity_type: str, keeps_rows: bool = True) -> None:
        #: The store's row reader: ``row(type, id)``, ``rows_after(type, after, up_to, chunk)``,
        #: ``has_rows(type)``, ``highest_id(type)``, ``count(type)`` (see SqliteStore).
        self._source = source
        self.entity_type = entity_type
        self.keeps_rows = keeps_rows
        self._rows: Optional[Dict[int, Row]] = None
        self._known: Dict[Any, Any] = {}
        #: When the table was last read whole (a scan), for letting the least used go first.
        self.used = 0
        #: About how many bytes a row of this table holds in memory (measured on the first load).
        self.row_bytes = DEFAULT_ROW_BYTES
        # The highest id ever held (ids are never reused), once asked for; kept by __setitem__.
        self._highest: Optional[int] = None

    # -- what the engine uses beyond a mapping ---------------------------------
    @property
    def loaded(self) -> bool:
        """Whether every row is in memory (an entity table after its first scan)."""
        return self._rows is not None

    def highest_id(self) -> int:
        """The highest id the table holds or held since it was opened, in memory or stored (0: none)."""
        if self._highest is None:
            held = self._rows if self._rows is not None else self._known
            self._highest = max(max((key for key in held if key.__class__ is int), default=0),
                                self._source.highest_id(self.entity_type))
        return self._highest

    def rows_between(self, low: Optional[int], high: Optional[int], descending: bool = False) -> Iterator[Row]:
        """The rows with ``low <= id <= high`` (``None``: unbounded), in id order (``descending``: highest
        first), read by index seeks."""
        if self._rows is not None or self.keeps_rows:
            rows = self._load()
            return iter([rows[key] for key in sorted(rows, key=_id_order, reverse=descending)
                         if key.__class__ is int and (low is None or key >= low) and (high is None or key <= high)])
        return self._merged(low, high, (), descending)

    def rows_containing(self, needles: Tuple[str, ...], descending: bool = False) -> Iterator[Row]:
        """In id order, every row whose stored text holds each of ``needles``, and every row in memory.

        A superset for the caller to test: the rows in memory (a call's
        writes) are all given, since their text is not known.
        """
        if self._rows is not None or self.keeps_rows:
            return self.rows_between(None, None, descending)
        return self._merged(None, None, needles, descending)

    def rows_for(self, ids: Iterable[Any]) -> List[Row]:
        """The rows of ``ids`` that exist, in the order given: the ones not in memory read many per query."""
        if self._rows is not None:
            rows = self._rows
            return [rows[entity_id] for entity_id in ids if entity_id in rows]
        ids = list(ids)
        known = self._known
        missing = [entity_id for entity_id in ids if _storable_id(entity_id) and entity_id not in known]
        for start in range(0, len(missing), _READ_MANY):
            for entity_id, row in self._source.rows_by_ids(self.entity_type, missing[start:start + _READ_MANY]):
                known.setdefault(entity_id, row)
        found = [known.get(entity_id, _GONE) for entity_id in ids]
        return [row for row in found if row is not _GONE]

    def stored_candidates(self, field: str, key: Any, kind: str) -> Optional[List[int]]:
        """Ids of the rows whose ``field`` files under ``key``, by the store's index, while not read whole.

        ``None`` once the table is in memory (the engine's own indexes answer
        then) or when the store has no index for it. Between calls every row
        in memory is the stored one, so the store's answer holds.
        """
        if self._rows is not None:
            return None
        found = self._source.field_candidates(self.entity_type, field, key, kind)
        if found is None:
            return None
        known = self._known
        for entity_id, row in found:
            # (The rows came with the ids; one already in memory is the one kept.)
            if entity_id not in known:
                known[entity_id] = row
        return [entity_id for entity_id, _ in found]

    def in_memory(self, entity_id: Any) -> Optional[Row]:
        """The row of ``entity_id`` if it is in memory now, else ``None``; never reads the store.

        Safe without the engine's lock (a reader that must not wait for a call).
        """
        rows = self._rows
        row = rows.get(entity_id) if rows is not None else self._known.get(entity_id)
        return None if row is _GONE else row

    def held_rows(self) -> int:
        """How many rows the table holds in memory now."""
        return len(self._rows) if self._rows is not None else len(self._known)

    def release_read_rows(self) -> None:
        """Between calls, the event log lets go of the rows it read (all stored as they are): none is kept."""
        if not self.keeps_rows and self._known:
            self._known = {}

    def release(self) -> None:
        """Let go of every row in memory; they are read again when needed.

        Only between calls, when every row in memory is the stored one (the
        memory budget: store/memory_budget.py).
        """
        self._rows = None
        self._known = {}

    def rows_in_memory(self) -> List[Row]:
        """The rows held in memory now, read from nothing (the site moves their file links)."""
        if self._rows is not None:
            return list(self._rows.values())
        return [row for row in self._known.values() if row is not _GONE]

    def committed(self, entity_id: Any, row: Optional[Row]) -> None:
        """The store now holds ``row`` under ``entity_id`` (``None``: it deleted it)."""
        if self._rows is not None:
            return
        if row is None or not self.keeps_rows:
            # The event log lets go of what the store has; a deleted row is gone from both.
            self._known.pop(entity_id, None)

    # -- the mapping -------------------------------------------------------------
    def __getitem__(self, entity_id: Any) -> Row:
        row = self.get(entity_id, _GONE)
        if row is _GONE:
            raise KeyError(entity_id)
        return row

    def get(self, entity_id: Any, default: Any = None) -> Any:
        rows = self._rows
        if rows is not None:
            return rows.get(entity_id, default)
        known = self._known
        row = known.get(entity_id)
        if row is None:
            if not _storable_id(entity_id):
                return default
            row = self._source.row(self.entity_type, entity_id)
            if row is None:
                return default
            # (A reader outside the engine's lock may have read it meanwhile: the first copy kept wins.)
            return known.setdefault(entity_id, row)
        return default if row is _GONE else row

    def __contains__(self, entity_id: Any) -> bool:
        return self.get(entity_id, _GONE) is not _GONE

    def __setitem__(self, entity_id: Any, row: Row) -> None:
        if self._highest is not None and entity_id.__class__ is int and entity_id > self._highest:
            self._highest = entity_id
        if self._rows is not None:
            self._rows[entity_id] = row
        else:
            self._known[entity_id] = row

    def __delitem__(self, entity_id: Any) -> None:
        if entity_id == self._highest:
            # (A rolled-back create: its id is free again, as it is in a dict table.)
            self._highest = None
        if self._rows is not None:
            del self._rows[entity_id]
            return
        if entity_id not in self:
            raise KeyError(entity_id)
        if _storable_id(entity_id) and self._source.row(self.entity_type, entity_id, text_only=True) is not None:
            self._known[entity_id] = _GONE  # until the commit deletes it from the store too
        else:
            del self._known[entity_id]

    def __len__(self) -> int:
        if self._rows is not None or self.keeps_rows:
            return len(self._load())
        count = self._source.count(self.entity_type)
        for entity_id, row in self._known.items():
            stored = _storable_id(entity_id) and self._source.row(self.entity_type, entity_id,
                                                                  text_only=True) is not None
            count += (row is not _GONE) - stored
        return count

    def __bool__(self) -> bool:
        if self._rows is not None:
            return bool(self._rows)
        if any(row is not _GONE for row in self._known.values()):
            return True
        if not self._source.has_rows(self.entity_type):
            return False
        return _GONE not in self._known.values() or len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        if self._rows is not None or self.keeps_rows:
            return iter(self._load())
        return (row["id"] for row in self._merged(None, None))

    def keys(self) -> Any:
        if self._rows is not None or self.keeps_rows:
            return self._load().keys()
        return super().keys()

    def values(self) -> Any:
        if self._rows is not None or self.keeps_rows:
            return self._load().values()
        return _Streamed(lambda: self._merged(None, None))

    def items(self) -> Any:
        if self._rows is not None or self.keeps_rows:
            return self._load().items()
        return _Streamed(lambda: ((row["id"], row) for row in self._merged(None, None)))

    def setdefault(self, entity_id: Any, default: Any = None) -> Any:
        row = self.get(entity_id, _GONE)
        if row is _GONE:
            self[entity_id] = row = default
        return row

    def __repr__(self) -> str:
        state = "loaded" if self._rows is not None else "%d in memory" % len(self._known)
        return "<StoredTable %s (%s)>" % (self.entity_type, state)

    # -- reading from the store ----------------------------------------------------
    def _load(self) -> Dict[int, Row]:
        """Every row in memory (an entity table's first scan); rows already read keep their identity."""
        self.used = next(_SCANS)
        if self._rows is None:
            rows: Dict[int, Row] = {}
            known = self._known
            for chunk in self._source.rows_after(self.entity_type, None, None, STREAM_CHUNK):
                for entity_id, row in chunk:
                    held = known.get(entity_id)
                    if held is None:
                        rows[entity_id] = row
                    elif held is not _GONE:
                        rows[entity_id] = held
            for entity_id in sorted((key for key in known if key not in rows), key=_id_order):
                if known[entity_id] is not _GONE:
                    rows[entity_id] = known[entity_id]
            self._rows = rows
            self._known = {}
            self.row_bytes = row_bytes(rows)
            if hasattr(self._source, "tables_read"):
                self._source.tables_read += 1  # (the memory budget is checked after the call)
        return self._rows

    def _merged(self, low: Optional[int], high: Optional[int], needles: Tuple[str, ...] = (),
                descending: bool = False) -> Iterator[Row]:
        """Stored rows in id order, the ones in memory in their place and the new ones at theirs."""
        known = self._known
        # (Rows in memory are few while streaming: the ones of the call under way.)
        extra = sorted((key for key, row in known.items() if key.__class__ is int and row is not _GONE
                        and (low is None or key >= low) and (high is None or key <= high)), reverse=descending)
        position, count = 0, len(extra)
        if (low is not None and low > _MAX_ID) or (high is not None and high < _MIN_ID):
            # Outside what SQLite stores: only rows in memory can be there.
            yield from (known[entity_id] for entity_id in extra)
            return
        after = None if low is None or low <= _MIN_ID else low - 1
        high = None if high is None or high >= _MAX_ID else high
        for chunk in self._source.rows_after(self.entity_type, after, high, STREAM_CHUNK, needles, descending):
            for entity_id, row in chunk:
                while position < count and (extra[position] > entity_id if descending else extra[position] < entity_id):
                    yield known[extra[position]]
                    position += 1
                if position < count and extra[position] == entity_id:
                    position += 1  # the row in memory is the one answered, just below
                held = known.get(entity_id)
                if held is not _GONE:
                    yield row if held is None else held
        for entity_id in extra[position:]:
            yield known[entity_id]


def _storable_id(entity_id: Any) -> bool:
    """Whether an id can be stored (and so looked for) in SQLite: an int of 64 bits."""
    return entity_id.__class__ is int and _MIN_ID <= entity_id <= _MAX_ID


def row_bytes(rows: Dict[int, Row]) -> int:
    """About how many bytes a row of ``rows`` holds: the mean of a sample, values and containers counted."""
    if not rows:
        return DEFAULT_ROW_BYTES
    values = list(rows.values())
    step = max(1, len(values) // 32)
    sample = values[::step][:32]
    return max(1, sum(_deep_size(row) for row in sample) // len(sample))


def _deep_size(value: Any) -> int:
    if value is None or value is True or value is False:
        return 0
    size = sys.getsizeof(value)
    if value.__class__ is dict or isinstance(value, dict):
        size += sum(_deep_size(item) for item in value.values())
    elif isinstance(value, list):
        size += sum(_deep_size(item) for item in value)
    return size


def _id_order(key: Any) -> Any:
    return (0, key) if key.__class__ is int else (1, str(key))


class _Streamed:
    """A view that reads its items afresh each time it is iterated (``values()``/``items()`` of the event log)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return self._make()
