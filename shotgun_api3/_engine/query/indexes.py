"""Field indexes: which rows may hold a value, so a read tests those rows instead of the table.

An index maps the value of one field of one entity type, as a filter
compares it (a text lower-cased, a link as ``(type, id)``), to the ids of the
rows holding it. It is built the first time a read filters on that field
(learned from the queries seen: one scan, then look-ups) and kept current
from the rows each commit changed (:meth:`FieldIndexes.changed`, which the
store calls after every commit, whoever made it). A read still tests
every candidate with the whole filter, so an index only has to hold every
row that may match (never fewer): answers are the ones a scan gives.

Only an engine whose store reports its commits keeps indexes (the local
site): every change of its rows is persisted through the store. mockgun's
rigs edit ``_db`` directly and keep nothing, so mockgun scans.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from .relations import NUMBER_TYPES, STRING_TYPES
from .value_keys import number_key

Row = Dict[str, Any]

#: Types whose rows are not indexed: the event log is read by id range (store/stored_table.py).
SKIPPED_ENTITY_TYPES = frozenset(("EventLogEntry",))

#: Index kinds: how ``is`` compares a field of each data type, so an index can key it exactly.
TEXT, LINK, NUMBER = "text", "link", "number"


def index_kind(data_type: str) -> Optional[str]:
    """The kind of index that serves ``is`` on a field of ``data_type``, or ``None``."""
    if data_type in STRING_TYPES:
        return TEXT  # compared as text (lower-cased, or exactly: a lower-cased key still holds every match)
    if data_type == "entity":
        return LINK
    if data_type in NUMBER_TYPES:
        return NUMBER
    return None


def index_key(value: Any, kind: str = TEXT) -> Any:
    """The key a stored value files under in an index of ``kind``; ``None``: in no bucket (it never matches ``is``)."""
    if kind == NUMBER:
        return number_key(value)
    if value.__class__ is str:
        return value.lower() if kind == TEXT else None
    if value.__class__ is dict and kind == LINK:
        link_type, link_id = value.get("type"), value.get("id")
        if link_type.__class__ is str and link_id.__class__ is int:
            return (link_type, link_id)
    return None


def filter_key(value: Any, kind: str) -> Any:
    """The key of a filter's ``is`` value, read as the relation reads it; ``None``: no index can answer."""
    if kind == TEXT and value.__class__ in (int, float, Decimal):
        value = str(value)  # ``["code", "is", 7]`` compares the text "7"
    elif kind == NUMBER:
        return number_key(value) if value.__class__ in (int, float, Decimal) else None
    return index_key(value, kind)


class FieldIndexes:
    """The indexes of one engine's tables, built on demand and kept current by :meth:`changed`.

    An index of a table in memory is complete: built by one scan. An index
    of a table still in the store (``store/stored_table.py``) is partial: it
    holds the keys asked so far, each answered once by the store's own index
    (``StoredTable.stored_candidates``) and then kept current here like a
    complete one, so a repeated look-up costs what it costs in memory.
    """

    def __init__(self) -> None:
        self._tables: Optional[Mapping[str, Dict[int, Row]]] = None
        # (entity_type, field) -> {key: {ids}}; and id -> key, to move a row when it changes.
        self._by_key: Dict[Tuple[str, str], Dict[Any, Set[int]]] = {}
        self._by_id: Dict[Tuple[str, str], Dict[int, Any]] = {}
        self._fields_of: Dict[str, List[str]] = {}
        self._complete: Set[Tuple[str, str]] = set()
        self._kinds: Dict[Tuple[str, str], str] = {}

    def reset(self, tables: Optional[Mapping[str, Dict[int, Row]]] = None) -> None:
        """Forget every index (the tables or the schema changed)."""
        self._tables = tables
        self._by_key = {}
        self._by_id = {}
        self._fields_of = {}
        self._complete = set()
        self._kinds = {}

    def candidates(self, tables: Mapping[str, Dict[int, Row]], entity_type: str, field: str,
                   value: Any, kind: str = LINK) -> Optional[Set[int]]:
        """The ids of the rows whose ``field`` (an index of ``kind``) may equal ``value``, or ``None`` (scan)."""
        key = filter_key(value, kind)
        if key is None or entity_type in SKIPPED_ENTITY_TYPES:
            return None
        if tables is not self._tables:
            self.reset(tables)
        which = (entity_type, field)
        self._kinds[which] = kind
        index = self._by_key.get(which)
        if which not in self._complete:
            table = tables.get(entity_type)
            if getattr(table, "loaded", True) is False:
                if index is not None and key in index:
                    return index[key]
                found = table.stored_candidates(field, key, kind)
                if found is not None:
                    return self._remember(which, key, found)
            index = self._build(entity_type, field)
        return index.get(key, _EMPTY)

    def _remember(self, which: Tuple[str, str], key: Any, found: Iterable[int]) -> Set[int]:
        """Keep the store's answer for ``key`` in the partial index of ``which``."""
        if which not in self._by_key:
            self._by_key[which] = {}
            self._by_id[which] = {}
            self._fields_of.setdefault(which[0], []).append(which[1])
        ids = self._by_key[which][key] = set(found)
        by_id = self._by_id[which]
        for entity_id in ids:
            by_id[entity_id] = key
        return ids

    def _build(self, entity_type: str, field: str) -> Dict[Any, Set[int]]:
        by_key: Dict[Any, Set[int]] = {}
        by_id: Dict[int, Any] = {}
        table = (self._tables or {}).get(entity_type) or {}
        kind = self._kinds[(entity_type, field)]
        for entity_id, row in table.items():
            key = index_key(row.get(field), kind)
            if key is not None:
                by_id[entity_id] = key
                ids = by_key.get(key)
                if ids is None:
                    by_key[key] = {entity_id}
                else:
                    ids.add(entity_id)
        which = (entity_type, field)
        if which not in self._by_key:
            self._fields_of.setdefault(entity_type, []).append(field)
        self._by_key[which] = by_key
        self._by_id[which] = by_id
        self._complete.add(which)
        return by_key

    def changed(self, changes: Mapping[Tuple[str, Any], Optional[Row]], schema_changed: Any = None) -> None:
        """Move the changed rows (``None``: deleted) to the keys of their values now; forget all on a schema change."""
        if schema_changed:
            self.reset(self._tables)
        if not self._fields_of:
            return
        for (entity_type, entity_id), row in changes.items():
            fields = self._fields_of.get(entity_type)
            if fields:
                self._move(entity_type, entity_id, row, fields)

    def _move(self, entity_type: str, entity_id: Any, row: Optional[Row], fields: Iterable[str]) -> None:
        for field in fields:
            which = (entity_type, field)
            by_id = self._by_id[which]
            by_key = self._by_key[which]
            old = by_id.pop(entity_id, None)
            if old is not None:
                ids = by_key.get(old)
                if ids is not None:
                    ids.discard(entity_id)
                    if not ids and which in self._complete:
                        del by_key[old]
            new = index_key(row.get(field), self._kinds[which]) if row is not None else None
            if new is None:
                continue
            if which in self._complete:
                by_key.setdefault(new, set()).add(entity_id)
            elif new in by_key:  # a partial index keeps only the keys it was asked for
                by_key[new].add(entity_id)
            else:
                continue
            by_id[entity_id] = new


_EMPTY: Set[int] = frozenset()  # type: ignore[assignment]


def indexed_ids(env: Any, entity_type: str, filters: Any) -> Optional[List[int]]:
    """The ids that may match, from the field indexes of the top-level ``and``'s ``field is value``; else ``None``.

    Only candidates: the caller still tests each row with the whole filter.
    """
    if filters.__class__ is not dict or filters.get("logical_operator", "and") != "and":
        return None
    conditions = filters.get("conditions")
    if conditions.__class__ is not list:
        return None
    best = None
    for condition in conditions:
        if condition.__class__ is not dict or condition.get("relation") != "is":
            continue
        path, values = condition.get("path"), condition.get("values")
        if path.__class__ is not str or values.__class__ is not list or len(values) != 1:
            continue
        found = _path_candidates(env, entity_type, path, values[0])
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return None if best is None else sorted(best)


def _path_candidates(env: Any, entity_type: str, path: str, value: Any) -> Optional[Set[int]]:
    """Candidates of ``field is value`` or ``link.Type.field is value`` (a single-entity link), or ``None``."""
    parts = path.split(".")
    if len(parts) == 1:
        info = env.schema.field(entity_type, path)
        kind = index_kind(info.data_type) if info is not None else None
        if kind is None:
            return None
        return env.indexes.candidates(env.tables, entity_type, path, value, kind)
    if len(parts) != 3:
        return None
    link, target_type, target_field = parts
    info = env.schema.field(entity_type, link)
    if info is None or info.data_type != "entity":
        return None
    targets = _path_candidates(env, target_type, target_field, value)
    if targets is None:
        return None
    found: Set[int] = set()
    for target_id in targets:
        ids = env.indexes.candidates(env.tables, entity_type, link, {"type": target_type, "id": target_id})
        if ids is None:
            return None
        found.update(ids)
    return found


def id_bounds(filters: Any) -> Optional[Tuple[Optional[int], Optional[int]]]:
    """``(low, high)``, inclusive, that the top-level ``and``'s ``id`` comparisons put on the ids; else ``None``.

    Lets a read of a store-backed table (the event log: daemons ask for
    ``id greater_than`` the last one they saw) seek to the ids instead of
    streaming the table. Only bounds: the caller still tests each row.
    """
    if filters.__class__ is not dict or filters.get("logical_operator", "and") != "and":
        return None
    conditions = filters.get("conditions")
    if conditions.__class__ is not list:
        return None
    low: Optional[int] = None
    high: Optional[int] = None
    for condition in conditions:
        if condition.__class__ is not dict or condition.get("path") != "id":
            continue
        relation, values = condition.get("relation"), condition.get("values")
        if values.__class__ is not list or not values or not all(value.__class__ is int for value in values):
            continue
        if relation == "greater_than" and len(values) == 1:
            low = max(low, values[0] + 1) if low is not None else values[0] + 1
        elif relation == "less_than" and len(values) == 1:
            high = min(high, values[0] - 1) if high is not None else values[0] - 1
        elif relation == "between" and len(values) == 2:
            low = max(low, values[0]) if low is not None else values[0]
            high = min(high, values[1]) if high is not None else values[1]
    return None if low is None and high is None else (low, high)


def link_needles(filters: Any) -> Optional[Tuple[str, ...]]:
    """Texts every stored row matching the top-level ``and``'s ``field is <link>`` holds; else ``None``.

    A stored row is tagged JSON written with ``":"`` and ``","`` separators
    (``store/row_codec.py``), so a row whose field links to ``{"type": "Shot",
    "id": 5}`` holds the texts ``"id":5`` and ``"Shot"``. A store can pick
    the rows holding both without parsing any (a superset of the matches:
    the caller still tests each row), which is what makes the events of one
    record on a log of millions of rows a matter of seconds.
    """
    if filters.__class__ is not dict or filters.get("logical_operator", "and") != "and":
        return None
    conditions = filters.get("conditions")
    if conditions.__class__ is not list:
        return None
    for condition in conditions:
        if condition.__class__ is not dict or condition.get("relation") != "is":
            continue
        path, values = condition.get("path"), condition.get("values")
        if path.__class__ is not str or "." in path or values.__class__ is not list or len(values) != 1:
            continue
        link = values[0]
        if link.__class__ is dict and link.get("type").__class__ is str and link.get("id").__class__ is int:
            return ('"id":%d' % link["id"], json.dumps(link["type"], ensure_ascii=False))
    return None
