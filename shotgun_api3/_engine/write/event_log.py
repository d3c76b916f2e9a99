"""The EventLogEntry rows a transaction writes, the way a site logs its writes.

One ``Shotgun_<Type>_New`` / ``_Retirement`` / ``_Revival`` event per
created, retired or revived record and one ``Shotgun_<Type>_Change`` event
per changed field, each with the site's ``meta`` and description, the
caller's user and session, and the call's time. Event daemons read these.
"""

from __future__ import annotations

import datetime as dt
from operator import is_, itemgetter
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import event_contents as events
from .deferred_row import DeferredRow
from ..query.display import display_name, link_key, present_link
from ..query.presenting import value_presenter
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo

Row = Dict[str, Any]
Key = Tuple[str, int]

#: Data types whose old and new values are quoted in change descriptions.
_QUOTED_TYPES = frozenset((
    "text", "number", "float", "percent", "currency", "duration", "timecode", "footage", "checkbox",
    "date", "list", "status_list", "color", "uuid", "entity_type",
))

#: Data types whose event-log values need presenting (links, lists, dicts, masks).
PRESENTED_TYPES = frozenset(("entity", "multi_entity", "addressing", "tag_list", "url", "serializable", "password", "checkbox"))

#: Exact types of values that cannot change after the write: a change event
#: made of them only may be built later (see :class:`DeferredRow`).
FIXED_TYPES = frozenset((str, int, float, bool, type(None), dt.datetime, dt.date, dt.time))

_UNKNOWN = object()


class EventLogWriter:
    """The event-log half of :class:`~shotgun_api3._engine.write.transaction.Transaction`.

    It uses the transaction's ``engine``, ``context``, ``now``, ``env``,
    ``_user`` and ``_originals`` (each event row is registered there as
    created by the call, so a rollback removes it).
    """

    def _start_event_log(self) -> None:
        """Set up this call's event log (the transaction calls it once it knows its engine)."""
        self._events = self.engine.schema.has_type("EventLogEntry")
        # The caller's display name, and (plain row template, table) of
        # EventLogEntry rows: each looked up at the first event of the call.
        self._actor_name: Any = _UNKNOWN
        self._event_rows: Optional[Tuple[Optional[Row], Dict[int, Row]]] = None
        #: Keys added to the ``meta`` of the change events logged while set
        #: (a thumbnail's ``is_transient``); None nearly always.
        self.change_meta_extra: Optional[Dict[str, Any]] = None

    def _log_change(
        self, entity_type: str, row: Row, info: FieldInfo, old: Any, new: Any, name: Any = _UNKNOWN
    ) -> None:
        """Log one changed field (see :meth:`_log_changes`)."""
        self._log_changes(entity_type, row, [(info, old, new)], name)

    def _log_changes(
        self, entity_type: str, row: Row, changes: List[Tuple[FieldInfo, Any, Any]], name: Any = _UNKNOWN
    ) -> None:
        """One ``Shotgun_<Type>_Change`` event per changed field, under the record's current name.

        What the events of one write share (the record, its name and project,
        the actor, the call's user, session and time) is taken once, as
        ``_ChangeFacts``.
        """
        engine = self.engine
        if name is _UNKNOWN:
            name = display_name(engine.schema, entity_type, row)
        entity_id = row["id"]
        event_id = engine.next_id("EventLogEntry", len(changes))
        template, table = self._event_rows or self._find_event_rows()
        facts = change_facts(entity_type, row, name, self._actor(), self._user, self.context.session_uuid, self.now)
        originals = self._originals
        extra = self.change_meta_extra
        for info, old, new in changes:
            data_type = info.data_type
            if template is not None and data_type not in PRESENTED_TYPES and old.__class__ in FIXED_TYPES \
                    and new.__class__ in FIXED_TYPES and extra is None:
                store_change_events(table, template, facts, event_id, ((info, old, new),))
                originals[("EventLogEntry", event_id)] = None
            else:
                meta = _change_meta(entity_type, entity_id, info.name, data_type, old, new)
                if data_type in LINK_LIST_TYPES:  # (what _present_change does for them, one call sooner)
                    _present_link_change(self.env, meta, old or (), new or ())
                else:
                    self._present_change(info, meta)
                if extra:
                    meta.update(extra)
                # (Without a plain template, some defaults are lists or dicts: the row gets its own.)
                table[event_id] = _change_event(
                    template if template is not None else engine.new_row("EventLogEntry", event_id), facts,
                    event_id, info.name, data_type, info.label, old, new, meta)
                originals[("EventLogEntry", event_id)] = None
            event_id += 1

    def _log_link_appended(self, entity_type: str, row: Row, info: FieldInfo, old: Any, new: List[Any]) -> None:
        """Log ``new``, the link list ``old`` with one link appended, as :meth:`_log_changes` logs it.

        What a paired list gaining a record logs; the caller knows ``old``
        does not hold the link's key (it looked, or the record is new in this
        call). The link is then added and nothing is removed (see
        :func:`_present_link_change`): ``old`` is not looked at, which matters
        for a list of thousands (a Sequence's Shots).
        """
        template, table = self._event_rows or self._find_event_rows()
        if template is None or self.change_meta_extra is not None:
            self._log_changes(entity_type, row, [(info, old, new)])
            return
        engine = self.engine
        name = display_name(engine.schema, entity_type, row)
        event_id = engine.next_id("EventLogEntry")
        facts = change_facts(entity_type, row, name, self._actor(), self._user, self.context.session_uuid, self.now)
        env = self.env
        presented = present_link(env.schema, env.tables, new[-1])
        added = [] if presented is None else [presented]
        meta = {"type": "attribute_change", "entity_type": entity_type, "entity_id": row["id"],
                "attribute_name": info.name, "field_data_type": info.data_type, "added": added, "removed": []}
        table[event_id] = _change_event(template, facts, event_id, info.name, info.data_type, info.label, old, new, meta)
        self._originals[("EventLogEntry", event_id)] = None

    def _present_change(self, info: FieldInfo, meta: Dict[str, Any]) -> None:
        """Old and new values of a list or masked field as a read answers them; a link list's added/removed links."""
        if info.data_type not in PRESENTED_TYPES:
            return
        old, new = meta["old_value"], meta["new_value"]
        if info.data_type in LINK_LIST_TYPES:
            _present_link_change(self.env, meta, old or (), new or ())
            return
        present = value_presenter(self.env, info)
        meta["old_value"], meta["new_value"] = present(old), present(new)

    def log_event(
        self,
        event_type: str,
        entity_type: Optional[str],
        row: Optional[Row],
        attribute: Optional[str] = None,
        meta: Optional[Dict[str, Any]] = None,
        action: Optional[str] = None,
        description: Optional[str] = None,
    ) -> Optional[Row]:
        """Write one EventLogEntry for this call (its user, session and time)."""
        if not self._events:
            return None
        if description is None and action is not None and entity_type is not None:
            name = display_name(self.engine.schema, entity_type, row) if row is not None else None
            description = events.describe(self._actor(), action, entity_type, name, attribute)
        return self._add_event(event_type, entity_type, row, attribute, meta, description)

    def _add_event(
        self,
        event_type: str,
        entity_type: Optional[str],
        row: Optional[Row],
        attribute: Optional[str],
        meta: Optional[Dict[str, Any]],
        description: Optional[str],
    ) -> Row:
        """Store one EventLogEntry row (the work of :meth:`log_event` once its description is known)."""
        if row is None:
            entity_id = project = None
        else:
            entity_id = row["id"] if entity_type else None
            project = {"type": entity_type, "id": row["id"]} if entity_type == "Project" else row.get("project")
        return self._put_event(self.engine.next_id("EventLogEntry"), event_type, entity_type, entity_id, attribute,
                               meta, description, link_key(project))

    def _put_event(
        self,
        event_id: int,
        event_type: str,
        entity_type: Optional[str],
        entity_id: Optional[int],
        attribute: Optional[str],
        meta: Optional[Dict[str, Any]],
        description: Optional[str],
        project_key: Optional[Key],
    ) -> Row:
        """Store one EventLogEntry row of this call: its user, session and time, under ``event_id``."""
        template, table = self._event_rows or self._find_event_rows()
        if template is None:
            # Some defaults of the type are lists or dicts: each row gets its own.
            template = self.engine.new_row("EventLogEntry", event_id)
        event = table[event_id] = _event_row(template, event_id, event_type, description, entity_type, entity_id,
                                             attribute, meta, self._user, project_key, self.context.session_uuid,
                                             self.now)
        self._originals[("EventLogEntry", event_id)] = None
        return event

    def _find_event_rows(self) -> Tuple[Optional[Row], Dict[int, Row]]:
        """(plain row template or ``None``, table) of EventLogEntry, looked up at the first event of the call."""
        engine = self.engine
        self._event_rows = (engine.plain_template("EventLogEntry"), engine.tables.setdefault("EventLogEntry", {}))
        return self._event_rows

    def _actor(self) -> Optional[str]:
        """The caller's display name for event descriptions, looked up once per call."""
        if self._actor_name is _UNKNOWN:
            self._actor_name = actor_name(self.engine, self.context, self._user)
        return self._actor_name


def _present_link_change(env: Any, meta: Dict[str, Any], old: Any, new: Any) -> None:
    """``added`` and ``removed`` of a link-list change, in place of its old and new values.

    A hosted site logs a multi-entity change that way (docs/site_facts.rst,
    "Event log"): the links added, as a read presents them
    (``presenting.present_links``), and the links removed, as ``{"type",
    "id"}``. A paired field's change appends to the list it had
    (``Sequence.shots`` gains a Shot): the new list then starts with the old
    one's own link objects, so only its tail can hold added links and
    nothing was removed.
    """
    del meta["old_value"], meta["new_value"]
    kept = len(old) if _starts_with(new, old) else 0
    candidates = new[kept:] if kept else new
    keys = [link_key(link) for link in candidates]
    old_keys = _keys_held(old, keys)
    schema, tables = env.schema, env.tables
    added = []
    for link, key in zip(candidates, keys):
        if key not in old_keys:
            presented = present_link(schema, tables, link)
            if presented is not None:  # (None: not a live link)
                added.append(presented)
    meta["added"] = added
    if kept:
        meta["removed"] = []
        return
    new_keys = set(keys)
    meta["removed"] = [{"type": link["type"], "id": link["id"]} for link in old if link_key(link) not in new_keys]


_LINK_ID = itemgetter("id")


def _keys_held(old: Any, keys: List[Optional[Key]]) -> set:
    """``{link_key(link) for link in old}``, or an empty set when it holds none of ``keys``.

    A paired list gains one link at a time and may hold thousands (a
    Sequence's Shots): the ids of its links are gathered in C, and only when
    one of them is an id of ``keys`` are the keys made one by one.
    """
    if None in keys:  # (None is the key of every item that is no link)
        return {link_key(link) for link in old}
    try:
        if set(map(_LINK_ID, old)).isdisjoint([key[1] for key in keys if key is not None]):
            return set()
    except Exception:  # an item that is not a link with an id: only the keys tell
        pass
    return {link_key(link) for link in old}


def _starts_with(new: Any, old: Any) -> bool:
    """Whether the list ``new`` starts with the very link objects of the (non-empty) list ``old``."""
    return new.__class__ is list and old.__class__ is list and 0 < len(old) <= len(new) \
        and all(map(is_, old, new))


def actor_name(engine: Any, context: Any, user: Optional[Row]) -> Optional[str]:
    """The name event descriptions give the caller: its user's display name, else the script's name."""
    row = engine.row(user["type"], user["id"]) if user is not None else None
    if row is None:
        return context.script_name
    return display_name(engine.schema, user["type"], row)


def change_facts(
    entity_type: str, row: Row, name: Optional[str], actor: Optional[str], user: Optional[Row],
    session_uuid: Optional[str], now: Any,
) -> "_ChangeFacts":
    """What the change events of one write share (see :data:`_ChangeFacts`)."""
    entity_id = row["id"]
    project_key = (entity_type, entity_id) if entity_type == "Project" else link_key(row.get("project"))
    return (entity_type, entity_id, name, project_key, actor, user, session_uuid, now)


def store_change_events(
    table: Dict[int, Row], template: Row, facts: "_ChangeFacts", event_id: int,
    changes: Iterable[Tuple[FieldInfo, Any, Any]],
) -> None:
    """Store the change events of ``changes`` under ids from ``event_id``, to be built when first looked at.

    Every old and new value must be of :data:`FIXED_TYPES`: nothing an event
    is made of can change after the write, so a late build gives the row
    the write would have stored.
    """
    for info, old, new in changes:
        table[event_id] = DeferredRow.of(_EVENT_HEAD, _change_event, (
            template, facts, event_id, info.name, info.data_type, info.label, old, new))
        event_id += 1


def _change_meta(entity_type: str, entity_id: int, attribute: str, data_type: str, old: Any, new: Any) -> Dict[str, Any]:
    """The ``meta`` of a ``Shotgun_<Type>_Change`` event."""
    return {
        "type": "attribute_change",
        "entity_type": entity_type,
        "entity_id": entity_id,
        "attribute_name": attribute,
        "field_data_type": data_type,
        "old_value": old,
        "new_value": new,
    }


#: (entity type, entity id, record name, project key, actor name, user link, session uuid, time) of a write.
_ChangeFacts = Tuple[str, int, Optional[str], Optional[Key], Optional[str], Optional[Row], Optional[str], Any]

#: The field a deferred event row holds before it is built.
_EVENT_HEAD = ("type", "EventLogEntry")


def _change_event(
    template: Row, facts: _ChangeFacts, event_id: int, attribute: str, data_type: str, label: str,
    old: Any, new: Any, meta: Optional[Dict[str, Any]] = None,
) -> Row:
    """The row of one ``Shotgun_<Type>_Change`` event (``meta`` made from the values unless given)."""
    entity_type, entity_id, name, project_key, actor, user, session_uuid, now = facts
    what = f"{entity_type} {name}" if name else entity_type
    description = events.describe_change(actor or "Someone", what, label,
                                         (old, new) if data_type in _QUOTED_TYPES else None)
    if meta is None:
        meta = _change_meta(entity_type, entity_id, attribute, data_type, old, new)
    return _event_row(template, event_id, events.event_type(entity_type, "Change"), description, entity_type, entity_id,
                      attribute, meta, user, project_key, session_uuid, now)


def _event_row(
    template: Row, event_id: int, event_type: str, description: Optional[str], entity_type: Optional[str],
    entity_id: Optional[int], attribute: Optional[str], meta: Optional[Dict[str, Any]], user: Optional[Row],
    project_key: Optional[Key], session_uuid: Optional[str], now: Any,
) -> Row:
    """An EventLogEntry row: ``template`` (the type's defaults) overlaid with the event's fields."""
    return {
        **template,
        "id": event_id,
        "event_type": event_type,
        "description": description,
        "entity": {"type": entity_type, "id": entity_id} if entity_id is not None else None,
        "attribute_name": attribute,
        "meta": meta,
        "user": {"type": user["type"], "id": user["id"]} if user is not None else None,
        "project": {"type": project_key[0], "id": project_key[1]} if project_key is not None else None,
        "session_uuid": session_uuid,
        "created_at": now,
        "cached_display_name": description,
    }
