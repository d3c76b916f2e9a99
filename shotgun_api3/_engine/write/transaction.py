"""The writes of one call, applied to the tables and undone as a whole on failure.

A :class:`Transaction` records the state of every row (and site-state entry)
before its first change in the call. ``commit`` hands the changed rows to the
engine's Store; ``rollback`` (on any error, including a failing Store)
restores the recorded state in place, so row objects rigs hold stay valid.

Other handler modules write through this API (``call.txn``), which keeps
their writes atomic with the rest of the call, persisted and event-logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

from . import event_contents as events

from .. import site_choices
from ..query.display import display_name, link_key
from ..errors import EngineFault
from .event_log import PRESENTED_TYPES, EventLogWriter
from .paired_writes import PairedLinkWriter
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo
from .values import coerce_value, default_value

if TYPE_CHECKING:
    from ..context import CallContext
    from .site_data import SiteData

LOG = logging.getLogger("shotgun_api3")

Row = Dict[str, Any]
Key = Tuple[str, int]

#: Table name under which non-entity site state is persisted through the Store.
STATE_TABLE = "_SiteState"

_ABSENT = object()

_AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")

#: Fields an update may never write (checked by ``_writable``).
NEVER_UPDATED = frozenset(_AUDIT_FIELDS + ("id", "type"))

#: Fields a create may not write either (checked by ``_writable``).
_NOT_CREATED = frozenset(("id", "type", "updated_at", "updated_by"))

class Transaction(EventLogWriter, PairedLinkWriter):
    """Row-level writes of one call, with undo and a single commit."""

    def __init__(self, engine: "SiteData", context: "CallContext", now: Any, env: Any = None) -> None:
        self.engine = engine
        self.context = context
        self.now = now
        # (type, id) -> {field: value before this call} for changed rows, None for created ones.
        self._originals: Dict[Key, Optional[Dict[str, Any]]] = {}
        self._state_originals: Dict[str, Any] = {}
        self._schema_before: Optional[Dict[str, Any]] = None
        self._user = context.user_link()
        self._env: Any = env
        self._start_event_log()

    # --- bookkeeping ------------------------------------------------------

    @property
    def env(self) -> Any:
        if self._env is None:
            self._env = self.engine.env(self.now)
        return self._env

    def _set(self, entity_type: str, row: Row, field: str, value: Any) -> None:
        """Write one field of a row, remembering its first value in this call for rollback."""
        # (_originals_of, inline: paired lists are written once per linked record.)
        key = (entity_type, row["id"])
        originals: Any = self._originals.get(key, _ABSENT)
        if originals is _ABSENT:
            originals = self._originals[key] = {}
        if originals is not None and field not in originals:
            originals[field] = row.get(field, _ABSENT)
        row[field] = value

    def _originals_of(self, entity_type: str, row: Row) -> Optional[Dict[str, Any]]:
        """The first values of the row's fields changed in this call (``None`` for a row it created)."""
        key = (entity_type, row["id"])
        originals = self._originals.get(key, _ABSENT)
        if originals is _ABSENT:
            originals = self._originals[key] = {}
        return originals

    def live_row(self, entity_type: str, entity_id: Any, method: str) -> Row:
        """The live row of a record, or a fault naming it."""
        row = self.engine.row(entity_type, entity_id)
        if row is None:
            raise EngineFault(f"API {method}() {entity_type} with id {entity_id} does not exist")
        if row.get("__retired") and site_choices.UPDATE_RETIRED_FAULTS:
            raise EngineFault(f"API {method}() {entity_type} with id {entity_id} is retired")
        return row

    # --- create -------------------------------------------------------------

    def create(self, entity_type: str, data: Mapping[str, Any], method: str = "create", validate: bool = True) -> Row:
        """Create a record from ``data`` (field -> value as a client sends it) and return its row.

        With ``validate=False`` the values are stored as given (for engine
        modules writing fields a client may not write, such as ``image``).
        """
        engine = self.engine
        infos = engine.schema.require_type(entity_type, method)
        values = self._coerce_all(entity_type, infos, data, method, validate, creating=True)
        table = engine.tables.setdefault(entity_type, {})
        new_id = engine.next_id(entity_type)
        row = engine.new_row(entity_type, new_id)
        user = self._user
        if "created_at" in infos:
            row["created_at"] = self.now
        if "updated_at" in infos:
            row["updated_at"] = self.now
        if user is not None:
            if "created_by" in infos:
                row["created_by"] = dict(user)
            if "updated_by" in infos:
                row["updated_by"] = dict(user)
        row.update(values)
        if entity_type == "HumanUser" and "name" in infos and "name" not in values:
            full = " ".join(part for part in (row.get("firstname"), row.get("lastname")) if part)
            row["name"] = full or None
        name: Any = _ABSENT
        if "cached_display_name" in infos:
            name = row["cached_display_name"] = display_name(engine.schema, entity_type, row)
        table[new_id] = row
        self._originals[(entity_type, new_id)] = None
        if self._events and entity_type != "EventLogEntry":
            if name is _ABSENT:
                name = display_name(engine.schema, entity_type, row)
            # What log_event(..., action="New") stores, from the name already known.
            description = events.describe(self._actor(), "New", entity_type, name)
            project_key = (entity_type, new_id) if entity_type == "Project" else link_key(row.get("project"))
            self._put_event(engine.next_id("EventLogEntry"), events.event_type(entity_type, "New"), entity_type,
                            new_id, None, events.new_meta(entity_type, new_id), description, project_key)
            if site_choices.CHANGE_EVENTS_ON_CREATE:
                # Marked as a hosted site is said to mark them, should the fact be established.
                self.change_meta_extra = {"in_create": True}
                try:
                    for field, value in values.items():
                        self._log_change(entity_type, row, infos[field], default_value(infos[field]), value)
                finally:
                    self.change_meta_extra = None
        # After the record's own events: the paired fields' Change events follow its _New.
        paired = engine.link_pairs.fields_of(entity_type)
        if paired:
            for field, value in values.items():
                if value and field in paired:
                    self._sync_pairs(entity_type, row, field, [], _as_list(value), is_new=True)
        return row

    # --- update -------------------------------------------------------------

    def update(
        self,
        entity_type: str,
        entity_id: Any,
        data: Mapping[str, Any],
        modes: Optional[Mapping[str, str]] = None,
        method: str = "update",
        validate: bool = True,
    ) -> Row:
        """Change fields of a live record; multi-entity fields honour ``modes`` (set/add/remove)."""
        engine = self.engine
        infos = engine.schema.require_type(entity_type, method)
        row = engine.row(entity_type, entity_id)
        if row is None or row.get("__retired"):
            row = self.live_row(entity_type, entity_id, method)
        changes: List[Tuple[FieldInfo, Any, Any]] = []
        env = self._env or self.env
        check_flags = site_choices.ENFORCE_SCHEMA_FLAGS
        # Every value is checked before any is written: a fault leaves the row as it was.
        for field, value in data.items():
            info = infos.get(field)
            if info is None or check_flags or field in NEVER_UPDATED:
                info = self._writable(entity_type, infos, field, method, creating=False)
            old = row.get(field)
            if modes and field in modes:
                new = self._moded_value(info, old, value, modes[field], method, validate)
            else:
                new = coerce_value(env, info, value, method) if validate else value
            if info.data_type in PRESENTED_TYPES:
                if _same(info, old, new):
                    continue
            elif old.__class__ is new.__class__ and old == new:
                continue
            changes.append((info, old, new))
        if entity_type == "HumanUser":
            self._rename_user(infos, row, data, changes)
        if not changes:
            return row
        originals = self._originals_of(entity_type, row)
        for info, old, new in changes:
            name = info.name
            if originals is not None and name not in originals:
                originals[name] = old if name in row else _ABSENT
            row[name] = new
        # Only a real change touches the audit fields
        # (site_choices.TOUCH_UPDATED_AT_ONLY_ON_CHANGE): we returned above otherwise.
        if "updated_at" in infos:
            if originals is not None and "updated_at" not in originals:
                originals["updated_at"] = row.get("updated_at", _ABSENT)
            row["updated_at"] = self.now
        user = self._user
        if user is not None and "updated_by" in infos and link_key(row.get("updated_by")) != link_key(user):
            self._set(entity_type, row, "updated_by", dict(user))
        if "cached_display_name" in infos and (
            engine.schema.display_field(entity_type) in data
            or (entity_type == "HumanUser" and ("firstname" in data or "lastname" in data))
            or "cached_display_name" not in row  # a row a rig wrote without it
        ):
            name = display_name(engine.schema, entity_type, row)
            if name != row.get("cached_display_name"):
                self._set(entity_type, row, "cached_display_name", name)
        paired = engine.link_pairs.fields_of(entity_type)
        if paired and not paired.isdisjoint(data):
            for info, old, new in changes:
                if info.name in paired:
                    self._sync_pairs(entity_type, row, info.name, _as_list(old), _as_list(new))
        if self._events and entity_type != "EventLogEntry":
            self._log_changes(entity_type, row, changes)
        return row

    def _moded_value(self, info: FieldInfo, old: Any, value: Any, mode: str, method: str, validate: bool) -> Any:
        """The new value of a field written with a ``multi_entity_update_mode``."""
        if mode == "set":
            return coerce_value(self.env, info, value, method) if validate else value
        if mode not in ("add", "remove"):
            raise EngineFault(f"API {method}() unknown multi_entity_update_mode '{mode}' for {info.entity_type}.{info.name}")
        if info.data_type in LINK_LIST_TYPES:
            return self._apply_mode(info, old, value, mode, method, validate)
        return coerce_value(self.env, info, value, method) if validate else value

    def _rename_user(self, infos: Mapping[str, FieldInfo], row: Row, data: Mapping[str, Any], changes: list) -> None:
        """A HumanUser's ``name`` follows its first and last names unless written itself."""
        if "name" not in infos or "name" in data or not ("firstname" in data or "lastname" in data):
            return
        parts = (data.get("firstname", row.get("firstname")), data.get("lastname", row.get("lastname")))
        full = " ".join(part for part in parts if part) or None
        if full != row.get("name"):
            changes.append((infos["name"], row.get("name"), full))

    def _apply_mode(self, info: FieldInfo, old: Any, value: Any, mode: str, method: str, validate: bool) -> List[Any]:
        current = [link for link in old or () if link_key(link) is not None]
        if value is None:
            value = []
        if isinstance(value, dict):
            value = [value]
        if mode == "add":
            given = coerce_value(self.env, info, value, method) if validate else list(value)
            keys = {link_key(link) for link in current}
            return current + [link for link in given if link_key(link) not in keys]
        if not isinstance(value, (list, tuple)):
            raise EngineFault(f"API {method}() {info.entity_type}.{info.name}: {value!r} is not a list of entity dicts")
        removed = {link_key(link) for link in value}
        if None in removed:
            raise EngineFault(f"API {method}() {info.entity_type}.{info.name}: entities to remove need 'type' and 'id'")
        return [link for link in current if link_key(link) not in removed]

    # --- retire / revive ------------------------------------------------------

    def retire(self, entity_type: str, entity_id: Any, method: str = "delete") -> bool:
        """Move a record to the trash; ``False`` when it already was there."""
        return self._set_retired(entity_type, entity_id, True, method)

    def revive(self, entity_type: str, entity_id: Any, method: str = "revive") -> bool:
        """Bring a retired record back; ``False`` when it was live."""
        return self._set_retired(entity_type, entity_id, False, method)

    def _set_retired(self, entity_type: str, entity_id: Any, retired: bool, method: str) -> bool:
        self.engine.schema.require_type(entity_type, method)
        row = self.engine.row(entity_type, entity_id)
        if row is None:
            if retired or site_choices.REVIVE_UNKNOWN_ID_FAULTS:
                raise EngineFault(f"API {method}() {entity_type} with id {entity_id} does not exist")
            return False
        if bool(row.get("__retired")) == retired:
            return False
        self._set(entity_type, row, "__retired", retired)
        if self._events and entity_type != "EventLogEntry":
            action = "Retirement" if retired else "Revival"
            self.log_event(
                events.event_type(entity_type, action),
                entity_type,
                row,
                meta=events.retirement_meta(entity_type, row["id"], retired),
                action=action,
            )
        return True

    # --- checks -------------------------------------------------------------

    def _writable(self, entity_type: str, infos: Mapping[str, FieldInfo], field: str, method: str, creating: bool) -> FieldInfo:
        if field in ("id", "type"):
            raise EngineFault(f"API {method}() CRUD ERROR: can't set id or type on {entity_type}")
        info = infos.get(field)
        if info is None:
            raise EngineFault(f"API {method}() CRUD ERROR: {entity_type}.{field} doesn't exist")
        if field in ("updated_at", "updated_by") or (not creating and field in _AUDIT_FIELDS):
            raise EngineFault(f"API {method}() CRUD ERROR: {entity_type}.{field} is not editable")
        if site_choices.ENFORCE_SCHEMA_FLAGS and not creating and not info.editable:
            raise EngineFault(f"API {method}() CRUD ERROR: {entity_type}.{field} is not editable")
        return info

    def _coerce_all(
        self, entity_type: str, infos: Mapping[str, FieldInfo], data: Mapping[str, Any], method: str, validate: bool, creating: bool
    ) -> Dict[str, Any]:
        values: Dict[str, Any] = {}
        env = self.env
        for field, value in data.items():
            info = infos.get(field)
            if validate and (info is None or field in _NOT_CREATED or not creating):
                # (A field any create may write passes every check _writable makes.)
                info = self._writable(entity_type, infos, field, method, creating)
            if info is None:
                raise EngineFault(f"API {method}() CRUD ERROR: {entity_type}.{field} doesn't exist")
            values[field] = coerce_value(env, info, value, method) if validate else value
        return values

    # --- site state and schema --------------------------------------------------

    def set_state(self, name: str, value: Any) -> None:
        """Replace one named piece of non-entity site state (follows, work schedule...)."""
        if name not in self._state_originals:
            self._state_originals[name] = self.engine.state.get(name, _ABSENT)
        self.engine.state[name] = value

    def schema_will_change(self) -> None:
        """Call before changing ``engine.schema``: snapshots it for rollback."""
        if self._schema_before is None:
            self._schema_before = self.engine.schema.to_dicts()

    # --- end of call --------------------------------------------------------------

    def changed_rows(self) -> Dict[Key, Optional[Row]]:
        changes: Dict[Key, Optional[Row]] = {}
        tables = self.engine.tables
        for (entity_type, entity_id) in self._originals:
            # (No truth test of a table: a store-backed one may have to ask the store.)
            table = tables.get(entity_type)
            changes[(entity_type, entity_id)] = None if table is None else table.get(entity_id)
        for name in self._state_originals:
            state_id = self.engine.state_id(name)
            if name in self.engine.state:
                changes[(STATE_TABLE, state_id)] = {
                    "type": STATE_TABLE,
                    "id": state_id,
                    "name": name,
                    "value": self.engine.state[name],
                }
            else:
                changes[(STATE_TABLE, state_id)] = None
        return changes

    def commit(self) -> None:
        """Hand the changes to the Store; on a Store error, undo them and re-raise."""
        if self._schema_before is not None:
            self.engine.schema_changed()
        store = self.engine.store
        if store is None or not (self._originals or self._state_originals or self._schema_before is not None):
            return
        schema = self.engine.schema.to_dicts() if self._schema_before is not None else None
        try:
            if getattr(store, "takes_written_fields", False):
                # Which fields of each row changed (the first values, None for a row made
                # here): the store then checks only those before writing the row again.
                # A call from JSON writes rows holding JSON data (and the engine's own values),
                # unless it changed the site's state, whose values the engine makes as it likes.
                store.commit(self.changed_rows(), schema, written_fields=self._originals,
                             values_from_json=self.context.params_from_json and not self._state_originals)
            else:
                store.commit(self.changed_rows(), schema)
        except Exception:
            LOG.exception("store commit failed; rolling the call back")
            self.rollback()
            raise

    def rollback(self) -> None:
        """Restore every row and state entry this call changed."""
        tables = self.engine.tables
        for (entity_type, entity_id), original in reversed(list(self._originals.items())):
            table = tables.setdefault(entity_type, {})
            if original is None:
                table.pop(entity_id, None)
                continue
            row = table.get(entity_id)
            if row is None:
                continue
            for field, value in original.items():
                if value is _ABSENT:
                    row.pop(field, None)
                else:
                    row[field] = value
        for name, original in self._state_originals.items():
            if original is _ABSENT:
                self.engine.state.pop(name, None)
            else:
                self.engine.state[name] = original
        if self._schema_before is not None:
            self.engine.restore_schema(self._schema_before)
        self._originals.clear()
        self._state_originals.clear()
        self._schema_before = None
        self.engine.forget_ids()


def _as_list(value: Any) -> List[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _same(info: FieldInfo, old: Any, new: Any) -> bool:
    if info.data_type == "entity":
        return link_key(old) == link_key(new)
    if info.data_type in LINK_LIST_TYPES:
        return [link_key(link) for link in old or ()] == [link_key(link) for link in new or ()]
    if info.data_type == "checkbox":
        return bool(old) == bool(new)
    return type(old) is type(new) and old == new

