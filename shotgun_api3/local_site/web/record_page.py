"""The page of one record: every field with its type, what links here, its own event history."""
from __future__ import annotations

from typing import List, Tuple

from .event_page import event_rows, EVENT_FIELDS, EVENT_HEADERS
from .markup import esc, href, link, table, value_html
from .reads import Reader, name_field, prop

#: Records listed per linking field under "What links here" (the rest through a link to the filtered table).
LINKS_PER_FIELD = 20
#: Events of the record shown on its page.
EVENTS_SHOWN = 50


def record_page(reader: Reader, entity_type: str, entity_id: int) -> Tuple[str, str, int]:
    """``(title, body, status)`` of the record ``entity_type`` ``entity_id`` (live or retired)."""
    fields = reader.fields(entity_type)
    names = sorted(fields)
    record = reader.one(entity_type, entity_id, names)
    retired = False
    if record is None:
        record = reader.one(entity_type, entity_id, names, retired=True)
        retired = record is not None
    if record is None:
        return "%s %d" % (entity_type, entity_id), '<p class="error">No such record.</p>', 404
    rows = []
    for name in names:
        data_type = prop(fields[name], "data_type") or ""
        rows.append(['<span title="%s">%s</span>' % (esc(prop(fields[name], "name")), esc(name)),
                     '<span class="type">%s</span>' % esc(data_type), value_html(record.get(name), data_type)])
    title = "%s %d" % (entity_type, entity_id)
    shown_name = record.get("code") or record.get("name") or record.get("content") or record.get("title")
    if shown_name:
        title += ": %s" % shown_name
    body = ['<p class="retired">This record is retired.</p>' if retired else "",
            '<p>%s</p>' % link(href("/table/" + entity_type), "all %s records" % entity_type),
            "<h2>Fields</h2>", table(["Field", "Data type", "Value"], rows, "grid fields"),
            "<h2>What links here</h2>", _links_here(reader, entity_type, entity_id),
            "<h2>Event history</h2>", _history(reader, entity_type, entity_id)]
    return title, "".join(body), 200


def _linking_fields(reader: Reader, entity_type: str) -> List[Tuple[str, str]]:
    """``(type, field)`` of every entity and multi-entity field that may hold a link to ``entity_type``."""
    found = []
    for other_type, fields in sorted(reader.schema().items()):
        if other_type == "EventLogEntry":
            continue  # the event history below says it better
        for field, definition in sorted(fields.items()):
            if prop(definition, "data_type") not in ("entity", "multi_entity"):
                continue
            valid = prop(definition, "properties", "valid_types") or []
            if entity_type in valid:
                found.append((other_type, field))
    return found


def _links_here(reader: Reader, entity_type: str, entity_id: int) -> str:
    target = {"type": entity_type, "id": entity_id}
    rows = []
    for other_type, field in _linking_fields(reader, entity_type):
        filters = {"logical_operator": "and", "conditions": [{"path": field, "relation": "is", "values": [target]}]}
        try:
            named_by = name_field(reader.schema()[other_type])
            records, more = reader.page(other_type, [named_by or "id"], filters, 1, LINKS_PER_FIELD)
        except reader.site.fault_class:
            continue  # a field the read cannot filter on (hidden, query field...)
        if not records:
            continue
        shown = ", ".join(value_html({"type": r["type"], "id": r["id"], "name": r.get(named_by) if named_by else None}) for r in records)
        if more:
            shown += " " + link(href("/table/" + other_type, filters='[["%s", "is", {"type": "%s", "id": %d}]]'
                                     % (field, entity_type, entity_id)), "all...")
        rows.append([link(href("/table/" + other_type), other_type), esc(field), shown])
    if not rows:
        return '<p class="none">No record links here.</p>'
    return table(["Entity type", "Field", "Records"], rows)


def _history(reader: Reader, entity_type: str, entity_id: int) -> str:
    filters = {"logical_operator": "and", "conditions": [
        {"path": "entity", "relation": "is", "values": [{"type": entity_type, "id": entity_id}]}]}
    records, more = reader.page("EventLogEntry", EVENT_FIELDS, filters, 1, EVENTS_SHOWN,
                                [{"field_name": "id", "direction": "desc"}])
    if not records:
        return '<p class="none">No events.</p>'
    more_link = ""
    if more:
        more_link = "<p>%s</p>" % link(href("/events", entity_type=entity_type, entity_id=entity_id),
                                       "older events in the event log")
    return table(EVENT_HEADERS, event_rows(records), "grid events") + more_link
