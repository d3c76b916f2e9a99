"""``activity_stream`` (``activity_stream_read``): an entity's updates, from the event log the engine keeps."""
from __future__ import annotations

import copy
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

from .. import site_choices as choices
from ..errors import EngineFault
from ..write.link_pairs import PAIRS
from .note_threads import thread_time, user_link
from ..registry import params_object, rpc

Row = Dict[str, Any]
_UPDATE_TYPES = {"New": "create", "Change": "update", "Retirement": "delete", "Revival": "revive"}
_LINK_TYPES = ("entity", "multi_entity")
# The mirror side of paired links (Sequence.shots mirrors Shot.sg_sequence):
# the engine fills them after the fact, so they say nothing about what a
# record was created linked to.
_MIRROR_FIELDS = frozenset((right_type, right_field) for _, _, right_type, right_field in PAIRS)


def update_type(event_type: Any) -> Optional[str]:
    """The stream's ``update_type`` for an event type ``Shotgun_<Type>_<Action>`` (None for other events)."""
    if not isinstance(event_type, str) or not event_type.startswith("Shotgun_"):
        return None
    return _UPDATE_TYPES.get(event_type.rsplit("_", 1)[-1])


def _same(link: Any, target: Mapping[str, Any]) -> bool:
    return isinstance(link, dict) and link.get("type") == target["type"] and link.get("id") == target["id"]


def _live_events(call: Any) -> Iterator[Row]:
    """The live event log rows in id order, one at a time (a large site streams them from its store)."""
    table = call.engine.tables.get("EventLogEntry") or {}
    if getattr(table, "keeps_rows", True) is False:
        rows: Iterable[Row] = table.values()  # streamed, in id order
    else:
        rows = sorted(table.values(), key=lambda event: event["id"])
    return (event for event in rows if not event.get("__retired"))


def _values_at_creation(events: Iterable[Row]) -> Dict[Any, Any]:
    """``{(type, id, field): value}`` for fields changed after creation: the old value of their first change.

    A record's link fields may have changed since it was created; its
    creation belongs on the streams of what it linked to then. ``events``
    come in id order.
    """
    first_old: Dict[Any, Any] = {}
    for event in events:
        meta = event.get("meta")
        if isinstance(meta, dict) and meta.get("type") == "attribute_change":
            key = (meta.get("entity_type"), meta.get("entity_id"), meta.get("attribute_name"))
            if "old_value" in meta:
                first_old.setdefault(key, meta["old_value"])
            elif "added" in meta:
                # A link list's change says what it added and removed: undone later, from the value now.
                first_old.setdefault(key, _LinkListChanges()).changes.append((meta["added"], meta.get("removed")))
    return first_old


class _LinkListChanges:
    """The ``added``/``removed`` of a link list's changes, in order: its value at creation, from its value now."""

    def __init__(self) -> None:
        self.changes: List[Any] = []

    def before(self, now: Any) -> List[Row]:
        keys = [(link.get("type"), link.get("id")) for link in now or () if isinstance(link, dict)]
        for added, removed in reversed(self.changes):
            undone = {(link.get("type"), link.get("id")) for link in added or () if isinstance(link, dict)}
            keys = [key for key in keys if key not in undone]
            keys += [(link.get("type"), link.get("id")) for link in removed or () if isinstance(link, dict)]
        return [{"type": link_type, "id": link_id} for link_type, link_id in keys]


def _created_linked_to(call: Any, entity_type: str, row: Mapping[str, Any], target: Mapping[str, Any],
                       at_creation: Mapping[Any, Any]) -> bool:
    for name, info in call.env.schema.field_infos(entity_type).items():
        if info.data_type not in _LINK_TYPES or (entity_type, name) in _MIRROR_FIELDS:
            continue
        value = at_creation.get((entity_type, row["id"], name), row.get(name))
        if isinstance(value, _LinkListChanges):
            value = value.before(row.get(name))
        links = value if isinstance(value, list) else [value]
        if any(_same(link, target) for link in links):
            return True
    return False


def _belongs(call: Any, event: Mapping[str, Any], kind: str, target: Mapping[str, Any],
             at_creation: Mapping[Any, Any]) -> bool:
    """An event is on the stream of its own entity, and (a creation) on the streams of what it linked to."""
    entity = event.get("entity")
    if not isinstance(entity, dict):
        return False
    if _same(entity, target):
        return True
    if kind != "create" or not choices.STREAM_INCLUDES_LINKED_CREATIONS:
        return False
    row = call.engine.row(entity.get("type"), entity.get("id"))
    return (row is not None and not row.get("__retired")
            and _created_linked_to(call, entity["type"], row, target, at_creation))


def _primary_entity(call: Any, link: Mapping[str, Any], entity_fields: Mapping[str, Any]) -> Optional[Row]:
    entity_type = link.get("type")
    row = call.engine.row(entity_type, link.get("id"))
    if row is None:
        return {"type": entity_type, "id": link.get("id"), "name": None, "status": None}
    primary: Row = {"type": entity_type, "id": row["id"], "name": call.engine.display_name(entity_type, row),
                    "status": row.get("sg_status_list")}
    for field in entity_fields.get(entity_type) or ():
        if field not in primary:
            primary[field] = call.engine.presenter(entity_type, field)(row)
    return primary


def _update(call: Any, event: Mapping[str, Any], kind: str, entity_fields: Mapping[str, Any]) -> Row:
    return {
        "id": event["id"],
        "created_at": thread_time(event.get("created_at")),
        "created_by": user_link(call, event.get("user"), with_image=True),
        "update_type": kind,
        "meta": copy.deepcopy(event.get("meta")),
        "primary_entity": _primary_entity(call, event["entity"], entity_fields),
        "read": False,
    }


def _optional_int(params: Mapping[str, Any], name: str) -> Optional[int]:
    value = params.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise EngineFault("API activity_stream_read() %s must be an integer, got %r" % (name, value))
    return value


@rpc("activity_stream")
def activity_stream(call: Any, params: Any) -> Dict[str, Any]:
    """Answer ``activity_stream_read``: the entity's updates, newest first."""
    params = params_object(params, "activity_stream_read")
    entity_type, entity_id = params.get("type"), params.get("id")
    call.env.schema.require_type(entity_type, "activity_stream_read")
    if call.engine.row(entity_type, entity_id) is None:
        raise EngineFault("API activity_stream_read() %s with id %r does not exist" % (entity_type, entity_id))
    entity_fields = params.get("entity_fields") or {}
    if not isinstance(entity_fields, dict):
        raise EngineFault("API activity_stream_read() entity_fields must be an object of entity type to field list")
    min_id, max_id, limit = (_optional_int(params, name) for name in ("min_id", "max_id", "limit"))
    target = {"type": entity_type, "id": entity_id}
    # Two passes over the log in id order, holding only what belongs: the
    # whole log of a large site is never in memory at once.
    at_creation = _values_at_creation(_live_events(call))
    belonging = []
    for event in _live_events(call):
        if (max_id is not None and event["id"] > max_id) or (min_id is not None and event["id"] < min_id):
            continue
        kind = update_type(event.get("event_type"))
        if kind is not None and _belongs(call, event, kind, target, at_creation):
            belonging.append((event, kind))
    belonging.reverse()  # newest first
    if limit:
        belonging = belonging[:max(limit, 1)]  # (a negative limit has always answered one update)
    updates: List[Row] = [_update(call, event, kind, entity_fields) for event, kind in belonging]
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "earliest_update_id": updates[-1]["id"] if updates else None,
        "latest_update_id": updates[0]["id"] if updates else None,
        "updates": updates,
    }
