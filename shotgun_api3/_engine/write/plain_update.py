"""Updates that set plain values on one live record, answered without a transaction.

Most updates a test rig makes set text, numbers, choices or dates on one
record. Such an update needs no undo log if everything that could fail is
done before the row is touched: :func:`plain_update` checks every value and
works out the record's name, the caller and the event ids first, then
writes the row, its audit fields and its change events in one pass, without
the ``Call``/``Transaction`` machinery a general write goes through (which
was most of the time of a mockgun ``update``).

It stores exactly what the general path (``writes.update`` and
``Transaction.update``) stores, and answers what it answers. Anything else
makes it return ``None`` before it has changed anything, and the caller
takes the general path: links, lists and other presented types, paired
fields, audit and unknown fields, ``multi_entity_update_mode``, an empty
update, a ``HumanUser`` (its name follows its first and last names), a
caller updating its own record, a missing or retired record or one whose
row holds another id, values of types a rig may have written into a row by
hand, an engine with a Store (its writes commit through a transaction), and
schema flag enforcement. ``tests/engine/test_plain_update.py`` and
``test_plain_update_edge_cases.py`` run the same writes through both paths
and compare every table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .. import site_choices
from ..query.display import display_name, link_key
from .event_log import FIXED_TYPES, actor_name, change_facts, store_change_events
from ..query.presenting import IMMUTABLE_EXACT, present_stored
from ..schema.site_schema import FieldInfo
from .transaction import NEVER_UPDATED
from .values import coerce_value

if TYPE_CHECKING:
    from ..context import CallContext
    from .site_data import SiteData

#: Data types whose values are stored as checked (no links, lists or masks to present or pair).
PLAIN_TYPES = frozenset((
    "text", "number", "float", "percent", "currency", "duration", "timecode", "footage",
    "date", "date_time", "list", "status_list", "color", "uuid", "entity_type",
))


def plain_update(engine: "SiteData", context: "CallContext", params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The answer to ``update`` ``params`` (fields as a ``{name: value}`` dict), or ``None`` for the general path.

    A bad value raises the general path's fault, with nothing changed. The
    caller holds the engine's lock.
    """
    entity_type = params.get("type")
    entity_id = params.get("id")
    fields = params.get("fields")
    if (fields.__class__ is not dict or not fields or entity_id.__class__ is not int
            or entity_type.__class__ is not str or entity_type == "HumanUser" or entity_type == "EventLogEntry"
            or "multi_entity_update_mode" in params or engine.store is not None or site_choices.ENFORCE_SCHEMA_FLAGS):
        return None
    infos = engine.schema.field_infos(entity_type)
    table = engine.tables.get(entity_type)
    row = table.get(entity_id) if table.__class__ is dict and infos else None
    if row is None or row.get("__retired") or row.get("id") != entity_id:
        return None
    now = engine.now()
    changes = _checked_changes(engine, engine.env(now), entity_type, infos, row, fields)
    if changes is None or (changes and not _write(engine, context, now, entity_type, infos, row, fields, changes)):
        return None
    record: Dict[str, Any] = {"type": entity_type, "id": row["id"]}
    for field in fields:
        value = row.get(field)
        record[field] = value if value.__class__ in IMMUTABLE_EXACT else present_stored(value)
    return record


def _checked_changes(
    engine: "SiteData", env: Any, entity_type: str, infos: Dict[str, FieldInfo], row: Dict[str, Any], fields: Dict[str, Any]
) -> Optional[List[Tuple[FieldInfo, Any, Any]]]:
    """``(info, old, new)`` of each field whose checked value differs, or ``None`` if a field is not plain."""
    paired = engine.link_pairs.fields_of(entity_type)
    changes = []
    for field, value in fields.items():
        info = infos.get(field)
        if info is None or info.data_type not in PLAIN_TYPES or field in NEVER_UPDATED or field in paired:
            return None
        new = coerce_value(env, info, value, "update")
        old = row.get(field)
        if old.__class__ not in FIXED_TYPES or new.__class__ not in FIXED_TYPES:
            return None
        if old.__class__ is not new.__class__ or old != new:
            changes.append((info, old, new))
    return changes


def _write(
    engine: "SiteData", context: "CallContext", now: Any, entity_type: str, infos: Dict[str, FieldInfo],
    row: Dict[str, Any], fields: Dict[str, Any], changes: List[Tuple[FieldInfo, Any, Any]],
) -> bool:
    """Store the changes, the audit fields and the change events; ``False``, with nothing written, for the general path.

    Everything that could fail (a name, the caller, the event ids) is worked
    out before the row is touched, so the row is never left half-written.
    """
    schema = engine.schema
    # The row's new values, in the order the general path writes them.
    written = {}
    for info, _old, new in changes:
        written[info.name] = new
    if "updated_at" in infos:
        written["updated_at"] = now
    user = context.user_link()
    if user is not None:
        if user["type"] == entity_type and user["id"] == row["id"]:
            return False  # a caller that may rename itself: its events must name it as renamed
        if "updated_by" in infos and link_key(row.get("updated_by")) != link_key(user):
            written["updated_by"] = dict(user)
    display = schema.display_field(entity_type)
    name = display_name(schema, entity_type, written if display in written else row)
    if "cached_display_name" in infos and (
        display in fields or ("cached_display_name" not in row and "cached_display_name" not in written)
    ) and name != written.get("cached_display_name", row.get("cached_display_name")):
        written["cached_display_name"] = name
    facts = None
    if schema.has_type("EventLogEntry"):
        template = engine.plain_template("EventLogEntry")
        table = engine.tables.setdefault("EventLogEntry", {})
        if template is None or table.__class__ is not dict:
            return False  # list defaults, or a table a rig replaced with another mapping: the general path copes
        facts = change_facts(entity_type, row, name, actor_name(engine, context, user), user, context.session_uuid, now)
        first_id = engine.next_id("EventLogEntry", len(changes))
    row.update(written)
    if facts is not None:
        store_change_events(table, template, facts, first_id, changes)
    return True
