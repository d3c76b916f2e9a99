"""The event log: newest first, filtered by event type, entity and user, ``meta`` shown as old -> new.

The first page reloads itself every few seconds (a plain ``<meta>``
refresh), so it follows a script while it runs.
"""
from __future__ import annotations

from typing import Any, List, Tuple

from .markup import esc, href, link, plain_text, table, value_html
from .reads import PER_PAGE, Reader

EVENT_FIELDS = ["created_at", "event_type", "entity", "attribute_name", "meta", "user", "description"]
EVENT_HEADERS = ["Id", "When (UTC)", "Event type", "Entity", "Field", "Change", "User"]
#: Seconds between reloads of the first page of the event log.
REFRESH_SECONDS = 5
#: What the ``meta`` of a whole-record event says, in words.
_RECORD_EVENTS = {"new_entity": "created", "entity_retirement": "retired", "entity_revival": "revived"}


def change_html(meta: Any) -> str:
    """What an event changed: ``old -> new`` for a field, added and removed links for a list."""
    if not isinstance(meta, dict):
        return value_html(meta)
    parts = []
    if "old_value" in meta or "new_value" in meta:
        parts.append('<span class="old">%s</span> &rarr; <span class="new">%s</span>'
                     % (_value(meta.get("old_value")), _value(meta.get("new_value"))))
    if meta.get("added"):
        parts.append("added %s" % _value(meta["added"]))
    if meta.get("removed"):
        parts.append("removed %s" % _value(meta["removed"]))
    if not parts and meta.get("type") in _RECORD_EVENTS:
        parts.append(_RECORD_EVENTS[meta["type"]])
    if not parts:
        parts.append('<span class="meta">%s</span>' % esc(plain_text(meta)))
    return "<br>".join(parts)


def _value(value: Any) -> str:
    return value_html(value) if value not in (None, "", []) else '<span class="none">(empty)</span>'


def event_rows(records: List[dict]) -> List[List[str]]:
    rows = []
    for event in records:
        rows.append([esc(event["id"]), esc(plain_text(event.get("created_at"))), esc(event.get("event_type")),
                     value_html(event.get("entity")), esc(event.get("attribute_name") or ""),
                     change_html(event.get("meta")), value_html(event.get("user"))])
    return rows


def _arg(query: dict, name: str) -> str:
    values = query.get(name)
    return values[0].strip() if values else ""


def event_page(reader: Reader, query: dict) -> Tuple[str, str, int, int]:
    """``(title, body, status, seconds before the page reloads itself or 0)``."""
    chosen = {name: _arg(query, name) for name in ("event_type", "entity_type", "entity_id", "user")}
    try:
        page_number = max(1, int(_arg(query, "page") or 1))
    except ValueError:
        page_number = 1
    paused = _arg(query, "refresh") == "0"
    conditions: List[dict] = []
    if chosen["event_type"]:
        conditions.append({"path": "event_type", "relation": "contains", "values": [chosen["event_type"]]})
    if chosen["entity_type"]:
        if chosen["entity_id"].isdigit():
            conditions.append({"path": "entity", "relation": "is",
                               "values": [{"type": chosen["entity_type"], "id": int(chosen["entity_id"])}]})
        else:
            conditions.append({"path": "entity", "relation": "type_is", "values": [chosen["entity_type"]]})
    if chosen["user"]:
        conditions.append({"path": "user", "relation": "name_contains", "values": [chosen["user"]]})
    form = ('<form method="get" action="/events" class="query">'
            '<label>Event type contains <input name="event_type" value="%s" placeholder="Shot_Change"></label>'
            '<label>Entity type <input name="entity_type" value="%s" placeholder="Shot"></label>'
            '<label>Entity id <input name="entity_id" value="%s" size="6"></label>'
            '<label>User name contains <input name="user" value="%s"></label>'
            '<button type="submit">Show</button></form>'
            % tuple(esc(chosen[name]) for name in ("event_type", "entity_type", "entity_id", "user")))
    filters = {"logical_operator": "and", "conditions": conditions}
    try:
        records, has_next = reader.page("EventLogEntry", EVENT_FIELDS, filters, page_number, PER_PAGE,
                                        [{"field_name": "id", "direction": "desc"}])
    except reader.site.fault_class as fault:
        message = str(fault.args[0]) if fault.args else "the site refused the read"
        return "Event log", form + '<p class="error">%s</p>' % esc(message), 400, 0
    state = {name: value for name, value in chosen.items() if value}
    refresh = REFRESH_SECONDS if page_number == 1 and not paused else 0
    pager = []
    if page_number > 1:
        pager.append(link(href("/events", page=page_number - 1, **state), "< newer"))
    if refresh:
        status = "reloads every %d s while scripts write; %s" % (refresh, link(href(
            "/events", refresh="0", **state), "pause"))
    elif page_number == 1:
        status = "paused; %s" % link(href("/events", **state), "follow new events")
    else:
        status = "page %d" % page_number
    pager.append('<span>newest first, %s</span>' % status)
    if has_next:
        pager.append(link(href("/events", page=page_number + 1, refresh="0", **state), "older >"))
    pager_html = '<p class="pager">%s</p>' % " ".join(pager)
    return "Event log", form + pager_html + table(EVENT_HEADERS, event_rows(records), "grid events"), 200, refresh
