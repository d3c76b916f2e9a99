"""The page of one record: every field with its type, what links here, its own event history."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

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


def _linking_fields(reader: Reader, entity_type: str) -> Dict[str, List[str]]:
    """Type -> its entity and multi-entity fields that may hold a link to ``entity_type``."""
    found: Dict[str, List[str]] = {}
    for other_type, fields in sorted(reader.schema().items()):
        if other_type == "EventLogEntry":
            continue  # the event history below says it better
        for field, definition in sorted(fields.items()):
            if prop(definition, "data_type") not in ("entity", "multi_entity"):
                continue
            if entity_type in (prop(definition, "properties", "valid_types") or []):
                found.setdefault(other_type, []).append(field)
    return found


def _holds(value: object, target: dict) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, dict) and item.get("type") == target["type"] and item.get("id") == target["id"]
               for item in items)


def _links_here(reader: Reader, entity_type: str, entity_id: int) -> str:
    """One read per linking type (its fields or-ed), so a type is scanned once however many fields it has."""
    target = {"type": entity_type, "id": entity_id}
    rows = []
    for other_type, fields in _linking_fields(reader, entity_type).items():
        named_by = name_field(reader.schema()[other_type])
        for group, records, more in _read_links(reader, other_type, fields, named_by, target):
            for field in group:
                linking = [r for r in records if _holds(r.get(field), target)]
                if not linking:
                    continue
                shown = ", ".join(value_html({"type": r["type"], "id": r["id"],
                                              "name": r.get(named_by) if named_by else None}) for r in linking)
                if more:
                    shown += " " + link(href("/table/" + other_type, filters='[["%s", "is", {"type": "%s", "id": %d}]]'
                                             % (field, entity_type, entity_id)), "all...")
                rows.append([link(href("/table/" + other_type), other_type), esc(field), shown])
    if not rows:
        return '<p class="none">No record links here.</p>'
    return table(["Entity type", "Field", "Records"], rows)


def _read_links(reader: Reader, other_type: str, fields: List[str], named_by: Optional[str],
                target: dict) -> List[Tuple[List[str], List[dict], bool]]:
    """``[(fields, records, more)]``: all fields in one read, or field by field when the read refuses one."""
    def read(group: List[str]) -> Tuple[List[str], List[dict], bool]:
        conditions = [{"path": field, "relation": "is", "values": [target]} for field in group]
        records, more = reader.page(other_type, [named_by or "id"] + group,
                                    {"logical_operator": "or", "conditions": conditions}, 1, LINKS_PER_FIELD)
        return group, records, more

    try:
        return [read(fields)]
    except reader.site.fault_class:
        pass
    answers = []
    for field in fields:
        try:
            answers.append(read([field]))
        except reader.site.fault_class:
            continue  # a field the read cannot filter on (hidden, query field...)
    return answers


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
