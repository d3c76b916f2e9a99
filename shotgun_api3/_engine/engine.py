"""The site engine: answers ``(method_name, params)`` the way a site does, in memory."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple

from .call import Call
from .context import CallContext
from .query.display import display_name, present_link
from .errors import EngineFault
from .write.link_pairs import LinkPairs
from .write.plain_update import plain_update
from .query.presenting import field_presenter
from . import handlers  # noqa: F401 - importing it registers every RPC handler
from .registry import HANDLERS
from .store.protocol import Store
from .query.indexes import FieldIndexes
from .query.relations import QueryEnv
from .schema.site_schema import SiteSchema
from .write.transaction import STATE_TABLE
from .write.values import default_value

Row = Dict[str, Any]
Tables = Dict[str, Dict[int, Row]]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Engine:
    """A Flow Production Tracking site in memory.

    ``schema`` defaults to the site schema shipped with the package; ``store``
    (see docs/architecture.rst) loads the site at start and persists every
    committed call; ``clock`` returns "now" (an aware datetime) and exists
    for tests.
    """

    #: Whether field definitions carry ``visible`` even when a schema read
    #: names no project, as newer hosted sites answer (the local site turns
    #: it on; mockgun keeps the older shape of the reference's schema files).
    reports_field_visibility = False

    #: Whether the engine's update of a paired field (``Shot.tasks`` when a
    #: Task's ``entity`` is set) is logged as that record's own Change event,
    #: as a hosted site logs it (the local site turns it on; mockgun, whose
    #: rigs count events, keeps it off).
    logs_paired_link_changes = False

    def __init__(
        self,
        schema: Optional[SiteSchema] = None,
        store: Optional[Store] = None,
        site_url: str = "http://localhost",
        clock: Optional[Callable[[], dt.datetime]] = None,
    ) -> None:
        self.schema = schema if schema is not None else SiteSchema.default()
        self.store = store
        self.site_url = site_url.rstrip("/")
        self._clock = clock or _utc_now
        self._lock = threading.RLock()
        self._tables: Tables = {}
        self.state: Dict[str, Any] = {}
        self._state_ids: Dict[str, int] = {}
        self._next_ids: Dict[str, Tuple[int, int]] = {}
        self._templates: Dict[str, Tuple[Row, Tuple[str, ...], Tuple[Any, ...]]] = {}
        self._pairs: Optional[LinkPairs] = None
        self._now_second = -1
        self._now_value = dt.datetime.fromtimestamp(0, dt.timezone.utc)
        self._env = QueryEnv(None, None, None)  # type: ignore[arg-type]  # (the last env made: see env())
        # Set by an in-process caller (mockgun) for the span of one paged
        # find(): the pages of one query are cut from one selection instead of
        # one scan per page. Nothing else runs in that span, so it cannot go
        # stale; ``None`` (the default, and always on the server) disables it.
        self.read_memo: Optional[Dict[Any, Any]] = None
        #: Field indexes (query/indexes.py), kept only with a store that reports
        #: its commits: every persisted change of a row then updates them.
        self.indexes: Optional[FieldIndexes] = None
        listen = getattr(store, "add_commit_listener", None)
        if listen is not None:
            self.indexes = FieldIndexes()
            listen(self.indexes.changed)
        loaded_tables = None
        if hasattr(store, "row_defaults"):
            # A store that reads rows as they are needed gives each the fields the schema
            # has now (a field made after the row was stored reads as its default).
            store.row_defaults = self.fill_defaults
        if store is not None:
            schema_dicts, loaded_tables = store.load()
            if schema_dicts is not None:
                self.schema = SiteSchema.from_dicts(schema_dicts)
        self.tables = loaded_tables if loaded_tables is not None else {}

    # --- tables ---------------------------------------------------------------

    @property
    def tables(self) -> Tables:
        """``{entity_type: {id: row}}``: the live data, editable directly (mockgun ``_db``)."""
        return self._tables

    @tables.setter
    def tables(self, value: Tables) -> None:
        state_rows = value.pop(STATE_TABLE, None) if isinstance(value, dict) else None
        if state_rows:
            self.state = {row["name"]: row["value"] for row in state_rows.values()}
            self._state_ids = {row["name"]: row["id"] for row in state_rows.values()}
        for entity_type in self.schema.entity_types():
            value.setdefault(entity_type, {})
        self._tables = value
        self._next_ids = {}
        if getattr(self, "indexes", None) is not None:
            self.indexes.reset(value)

    def row(self, entity_type: str, entity_id: Any) -> Optional[Row]:
        """The stored row of a record (live or retired), or ``None``."""
        table = self._tables.get(entity_type)
        return table.get(entity_id) if table is not None else None

    def rows(self, entity_type: str, retired: bool = False) -> Iterator[Row]:
        """The live rows of a type (or only the retired ones), in table order."""
        for row in list((self._tables.get(entity_type) or {}).values()):
            if bool(row.get("__retired")) == retired:
                yield row

    def next_id(self, entity_type: str, count: int = 1) -> int:
        """A fresh id (the first of ``count`` consecutive ones): above any id the type ever had.

        Ids are never reused. The next id is cached with the table size it
        was computed for; rows a rig adds to the table directly change the
        size (or take one of the ids) and force a rescan.
        """
        table = self._tables.get(entity_type)
        if table is None:
            table = self._tables[entity_type] = {}
        cached = self._next_ids.get(entity_type)
        highest_id = getattr(table, "highest_id", None)
        if highest_id is not None:
            # A store-backed table (store/stored_table.py) knows its highest id without a scan.
            candidate = highest_id() + 1
            floor = cached[0] if cached is not None else 0
            if floor > candidate:
                candidate = floor
            self._next_ids[entity_type] = (candidate + count, -1)
            return candidate
        if cached is not None:
            candidate, size = cached
            if size == len(table) and candidate not in table and (
                count == 1 or (candidate + 1 not in table if count == 2
                               else table.keys().isdisjoint(range(candidate + 1, candidate + count)))
            ):
                self._next_ids[entity_type] = (candidate + count, size + count)
                return candidate
        candidate = max((key for key in table if isinstance(key, int)), default=0) + 1
        if cached is not None:
            candidate = max(candidate, cached[0])
        self._next_ids[entity_type] = (candidate + count, len(table) + count)
        return candidate

    def forget_ids(self) -> None:
        """Drop cached next ids (after a rollback removed rows)."""
        self._next_ids = {}

    def new_row(self, entity_type: str, entity_id: int) -> Row:
        """A row holding every field of the type at the value a new record gets."""
        base, empty_lists, other_mutables = self._template(entity_type)
        row = dict(base)
        row["id"] = entity_id
        # Every row gets its own lists and dicts.
        for name in empty_lists:
            row[name] = []
        for info in other_mutables:
            row[info.name] = default_value(info)
        return row

    def fill_defaults(self, entity_type: str, row: Row) -> None:
        """Give a row read from the store every field of its type it lacks, at a new record's value."""
        if not self.schema.has_type(entity_type):
            return
        base, empty_lists, other_mutables = self._template(entity_type)
        if base.keys() <= row.keys():
            return
        for name in base.keys() - row.keys():
            row[name] = base[name]
        for name in empty_lists:
            if row[name] is base[name]:
                row[name] = []
        for info in other_mutables:
            if row[info.name] is base[info.name]:
                row[info.name] = default_value(info)

    def plain_template(self, entity_type: str) -> Optional[Row]:
        """The fields of a new row when none of them holds a list or dict, else ``None``.

        ``{**template, "id": n, ...}`` is then a new row, built without the
        per-row copies :meth:`new_row` makes (the event log writes many).
        """
        base, empty_lists, other_mutables = self._template(entity_type)
        return None if empty_lists or other_mutables else base

    def _template(self, entity_type: str) -> Tuple[Row, Tuple[str, ...], Tuple[Any, ...]]:
        template = self._templates.get(entity_type)
        if template is None:
            infos = self.schema.field_infos(entity_type)
            base: Row = {"type": entity_type, "id": 0, "__retired": False}
            empty_lists = []
            other_mutables = []
            for name, info in infos.items():
                if name == "id":
                    continue
                value = base[name] = default_value(info)
                if type(value) is list and not value:
                    empty_lists.append(name)
                elif isinstance(value, (list, dict)):
                    other_mutables.append(info)
            template = (base, tuple(empty_lists), tuple(other_mutables))
            self._templates[entity_type] = template
        return template

    # --- schema -----------------------------------------------------------------

    @property
    def link_pairs(self) -> LinkPairs:
        if self._pairs is None:
            self._pairs = LinkPairs(self.schema)
        return self._pairs

    def schema_changed(self) -> None:
        """Forget everything derived from the schema (call after changing it)."""
        self._templates = {}
        self._pairs = None
        if self.indexes is not None:
            self.indexes.reset(self._tables)
        for entity_type in self.schema.entity_types():
            self._tables.setdefault(entity_type, {})

    def restore_schema(self, dicts: Mapping[str, Any]) -> None:
        self.schema = SiteSchema.from_dicts(dict(dicts))
        self.schema_changed()

    # --- site state -----------------------------------------------------------------

    def get_state(self, name: str, default: Any = None) -> Any:
        """A named piece of non-entity site state (write it with ``call.txn.set_state``)."""
        return self.state.get(name, default)

    def state_id(self, name: str) -> int:
        if name not in self._state_ids:
            self._state_ids[name] = max(self._state_ids.values(), default=0) + 1
        return self._state_ids[name]

    # --- time ------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current time as an aware UTC datetime, to the second (what a site stores)."""
        if self._clock is _utc_now:
            # One datetime per second, shared (datetimes are immutable).
            second = int(time.time())
            if second != self._now_second:
                self._now_second = second
                self._now_value = dt.datetime.fromtimestamp(second, dt.timezone.utc)
            return self._now_value
        value = self._clock()
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).replace(microsecond=0)

    def env(self, now: Optional[dt.datetime] = None) -> QueryEnv:
        now = now or self.now()
        env = self._env
        # One per second (and schema and tables) will do: a QueryEnv is immutable.
        if env.now is not now or env.tables is not self._tables or env.schema is not self.schema:
            env = self._env = QueryEnv(self.schema, self._tables, now, self.indexes)
        return env

    # --- calls -----------------------------------------------------------------------

    def call(self, method_name: str, params: Any = None, context: Optional[CallContext] = None) -> Any:
        """Answer one RPC: the value a site puts under ``results``, or an EngineFault."""
        handler = HANDLERS.get(method_name)
        if handler is None:
            raise EngineFault(f"Unknown method: {method_name!r}")
        context = context or CallContext()
        with self._lock:
            if method_name == "update" and params.__class__ is dict:
                answer = plain_update(self, context, params)
                if answer is not None:
                    return answer
            call = Call(self, context, method_name)
            try:
                result = handler(call, params)
                call.finish()
            except BaseException:
                call.abort()
                raise
            return result


    # --- internal API for handler modules ---------------------------------------------

    def presenter(self, entity_type: str, path: str) -> Callable[[Row], Any]:
        """A function from a row to the answered value of a (dotted) field."""
        return field_presenter(self.env(), entity_type, path)

    def display_name(self, entity_type: str, row: Mapping[str, Any]) -> Optional[str]:
        return display_name(self.schema, entity_type, row)

    def present_link(self, link: Any) -> Optional[Dict[str, Any]]:
        """``{"type", "id", "name"}`` for a link, ``None`` when empty or retired."""
        return present_link(self.schema, self._tables, link)
