"""``note_thread_contents`` (``note_thread_read``): a Note with its replies and attachments."""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Mapping, Optional

from .. import site_choices as choices
from ..errors import EngineFault
from ..registry import params_object, rpc

# The keys each kind of thread item carries before any requested entity_fields.
_DEFAULT_FIELDS = {
    "Note": ("content", "created_at", "created_by"),
    "Reply": ("content", "created_at", "user"),
    "Attachment": ("created_at", "created_by"),
}
# Link fields that name people, shown with their status (and, on replies, image).
_USER_FIELDS = ("created_by", "user")


def thread_time(value: Any) -> Any:
    """A datetime as a thread shows it: ``"YYYY-MM-DD HH:MM:SS UTC"`` (aware values converted to UTC)."""
    if not isinstance(value, datetime.datetime):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    return value.strftime(choices.THREAD_TIME_FORMAT)


def user_link(call: Any, link: Any, with_image: bool) -> Optional[Dict[str, Any]]:
    """A person's link as threads and streams show it: ``type, id, name, status, valid`` (and ``image``)."""
    presented = call.engine.present_link(link)
    if presented is None:
        return None
    row = call.engine.row(presented["type"], presented["id"]) or {}
    presented["status"] = row.get("sg_status_list")
    presented["valid"] = "valid"
    if with_image:
        presented["image"] = row.get("image")
    return presented


def _item(call: Any, entity_type: str, row: Mapping[str, Any], extra_fields: List[str]) -> Dict[str, Any]:
    item: Dict[str, Any] = {"type": entity_type, "id": row["id"]}
    for field in _DEFAULT_FIELDS[entity_type]:
        if field in _USER_FIELDS:
            item[field] = user_link(call, row.get(field), with_image=(entity_type == "Reply"))
        else:
            item[field] = call.engine.presenter(entity_type, field)(row)
    for field in extra_fields:
        if field not in item:
            item[field] = call.engine.presenter(entity_type, field)(row)
    item["created_at"] = thread_time(item.get("created_at"))
    return item


def _is_live(row: Optional[Mapping[str, Any]]) -> bool:
    return row is not None and not row.get("__retired")


def _links_to(links: Any, target: Mapping[str, Any]) -> bool:
    return any(isinstance(link, dict) and link.get("type") == target["type"] and link.get("id") == target["id"]
               for link in links or ())


def _chronological(row: Mapping[str, Any]) -> Any:
    value = row.get("created_at")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return (0, value.isoformat(), row["type"], row["id"])
    return (1, "", row["type"], row["id"])


def thread_rows(call: Any, note: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    """The live replies and attachments of a Note, oldest first."""
    engine = call.engine
    link = {"type": "Note", "id": note["id"]}
    rows: Dict[Any, Mapping[str, Any]] = {}
    for reply in engine.rows("Reply"):
        if _links_to([reply.get("entity")], link):
            rows[("Reply", reply["id"])] = reply
    for attachment_link in note.get("attachments") or ():
        attachment = engine.row("Attachment", attachment_link.get("id"))
        if _is_live(attachment):
            rows[("Attachment", attachment["id"])] = attachment
    for attachment in engine.rows("Attachment"):
        if _links_to(attachment.get("attachment_links"), link):
            rows[("Attachment", attachment["id"])] = attachment
    return sorted(rows.values(), key=_chronological)


@rpc("note_thread_contents")
def note_thread_contents(call: Any, params: Any) -> List[Dict[str, Any]]:
    """Answer ``note_thread_read``: the Note, then its replies and attachments, oldest first."""
    params = params_object(params, "note_thread_read")
    note_id = params.get("note_id")
    entity_fields = params.get("entity_fields") or {}
    if not isinstance(entity_fields, dict):
        raise EngineFault("API note_thread_read() entity_fields must be an object of entity type to field list")
    note = call.engine.row("Note", note_id)
    if not _is_live(note):
        raise EngineFault("API note_thread_read() Note with id %r does not exist" % (note_id,))
    thread = [_item(call, "Note", note, list(entity_fields.get("Note") or []))]
    for row in thread_rows(call, note):
        thread.append(_item(call, row["type"], row, list(entity_fields.get(row["type"]) or [])))
    return thread
