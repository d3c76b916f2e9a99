"""Attachment bookkeeping: what a site records when a file or thumbnail is uploaded.

The bytes are already in the site's :class:`~shotgun_api3._engine.store.file_store.FileStore`
when these handlers run; they record them in one engine transaction (so with
event log entries, persisted through the Store, all or nothing):

- an ``Attachment`` row whose ``this_file`` is an upload link
  ``{"content_type", "link_type": "upload", "name", "url": "<site>/file_serve/attachment/<id>",
  "type": "Attachment", "id"}``;
- the link to the entity: the file/link field named by the upload, or the
  Attachment's ``attachment_links`` when no field is named;
- for thumbnails, the entity's ``image`` or ``filmstrip_image``: a URL
  ``<site>/thumbnail/<attachment id>/<stored name>`` the local site serves.

The handlers are internal methods: they answer only calls whose context was
made by :func:`files_context` (the local site's upload routes, mockgun), never
an RPC arriving over the wire.
"""
from __future__ import annotations

import datetime
import os
import re
import urllib.parse
from typing import Any, Dict, List, Optional, Tuple

from ..errors import EngineFault
from ..registry import rpc
from .internal import require_internal
from .thumbnails import ThumbnailNotReady, is_transient, set_transient

#: Internal method names (not RPCs a client can call).
LINK_UPLOAD = "_files_link_upload"
SHARE_THUMBNAIL = "_files_share_thumbnail"

THUMBNAIL_FIELDS = ("image", "filmstrip_image")
_THUMBNAIL_PATH = re.compile(r"^/thumbnail/(\d+)/([A-Za-z0-9][A-Za-z0-9_.-]*)$")
_UTC = datetime.timezone.utc


def thumbnail_url(site_url: str, attachment_id: int, stored_name: str) -> str:
    """The URL stored in an ``image`` field for a thumbnail Attachment."""
    return "%s/thumbnail/%d/%s" % (site_url, attachment_id, stored_name)


def parse_thumbnail_path(path: str) -> Optional[Tuple[int, str]]:
    """``(attachment id, stored name)`` of a thumbnail URL path, or None."""
    match = _THUMBNAIL_PATH.match(path)
    return (int(match.group(1)), match.group(2)) if match else None


def attachment_file(engine: Any, attachment_id: int) -> Optional[Dict[str, Any]]:
    """Where the bytes of a live Attachment are: ``{"stored_name", "content_type", "filename"}``, or None."""
    row = engine.row("Attachment", attachment_id)
    if row is None or row.get("__retired") or not row.get("__stored_file"):
        return None
    this_file = row.get("this_file") or {}
    return {
        "stored_name": row["__stored_file"],
        "content_type": this_file.get("content_type") or "application/octet-stream",
        "filename": row.get("filename") or this_file.get("name") or "file",
    }


def _created_at(value: Any) -> Optional[datetime.datetime]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise EngineFault("created_at must be an ISO 8601 date-time, got %r" % (value,)) from None
    # A naive time is taken as UTC, the site's storage zone.
    return moment.replace(tzinfo=_UTC) if moment.tzinfo is None else moment.astimezone(_UTC)


def _tags(tag_list: Any) -> List[str]:
    if not tag_list:
        return []
    if isinstance(tag_list, (list, tuple)):
        return [str(tag).strip() for tag in tag_list if str(tag).strip()]
    return [tag.strip() for tag in str(tag_list).split(",") if tag.strip()]


def _live_entity(call: Any, entity_type: str, entity_id: Any) -> Dict[str, Any]:
    if not call.engine.schema.has_type(entity_type):
        raise EngineFault("Entity type '%s' does not exist" % entity_type)
    return call.txn.live_row(entity_type, entity_id, "upload")


def _field_info(call: Any, entity_type: str, field_name: str, data_types: Tuple[str, ...]) -> Any:
    info = call.engine.schema.require_type(entity_type, "upload").get(field_name)
    if info is None:
        raise EngineFault("API upload() %s.%s doesn't exist" % (entity_type, field_name))
    if info.data_type not in data_types:
        raise EngineFault("API upload() %s.%s is a %s field, not a file/link field"
                          % (entity_type, field_name, info.data_type))
    return info


def _create_attachment(call: Any, params: Dict[str, Any], display_name: str, links: List[Dict[str, Any]],
                       extra_fields: Dict[str, Any]) -> Dict[str, Any]:
    filename = params["filename"]
    this_file = {"content_type": params["content_type"], "link_type": "upload", "name": display_name, "url": None}
    infos = call.engine.schema.require_type("Attachment", "upload")
    data: Dict[str, Any] = {"this_file": this_file}
    candidates = {
        "filename": filename,
        "file_size": params["size"],
        "file_extension": os.path.splitext(filename)[1].lstrip(".") or None,
        "attachment_links": links,
    }
    candidates.update(extra_fields)
    # Custom schemas may lack some of these fields: write those that exist.
    data.update({field: value for field, value in candidates.items() if field in infos})
    row = call.txn.create("Attachment", data, method="upload", validate=False)
    # The URL and the Attachment link name the new id, known only now; the row
    # and this dict were created in this transaction, so completing them here
    # is part of it. Sites answer upload links with the Attachment's type and id.
    this_file["url"] = "%s/file_serve/attachment/%d" % (call.engine.site_url, row["id"])
    this_file.update(type="Attachment", id=row["id"])
    row["__stored_file"] = params["stored_name"]
    return row


@rpc(LINK_UPLOAD)
def link_upload(call: Any, params: Dict[str, Any]) -> int:
    """Record a stored upload and link it; return the new Attachment's id.

    ``params``: ``stored_name``, ``size``, ``filename``, ``content_type``,
    ``entity_type``, ``entity_id``, and either ``thumbnail`` (``"image"`` or
    ``"filmstrip_image"``) or ``field_name`` (None to attach only),
    ``display_name``, ``tag_list`` (comma-separated), ``created_at``;
    ``transient`` (thumbnails): show the placeholder until ``_files_finish_thumbnails``.
    """
    require_internal(call)
    entity_type, entity_id = params["entity_type"], params["entity_id"]
    _live_entity(call, entity_type, entity_id)
    thumbnail = params.get("thumbnail")
    if thumbnail:
        if thumbnail not in THUMBNAIL_FIELDS:
            raise EngineFault("unknown thumbnail field %r" % (thumbnail,))
        _field_info(call, entity_type, thumbnail, ("image",))
        row = _create_attachment(call, params, params["filename"], [], {})
        url = thumbnail_url(call.engine.site_url, row["id"], params["stored_name"])
        if params.get("transient"):
            # The site processes the image for a while first, as a hosted site does.
            set_transient(call, entity_type, entity_id, thumbnail, url)
        else:
            call.txn.update(entity_type, entity_id, {thumbnail: url}, method="upload", validate=False)
        return row["id"]

    field_name = params.get("field_name")
    if field_name:
        _field_info(call, entity_type, field_name, ("url",))
    display_name = params.get("display_name") or params["filename"]
    extra: Dict[str, Any] = {}
    tags = _tags(params.get("tag_list"))
    if tags:
        extra["tag_list"] = tags
    created_at = _created_at(params.get("created_at"))
    if created_at is not None:
        extra["created_at"] = created_at
    # Without a field the file is attached to the entity (its Files tab).
    links = [] if field_name else [{"type": entity_type, "id": entity_id}]
    row = _create_attachment(call, params, display_name, links, extra)
    if field_name:
        call.txn.update(entity_type, entity_id, {field_name: dict(row["this_file"])}, method="upload",
                        validate=False)
    return row["id"]


@rpc(SHARE_THUMBNAIL)
def share_thumbnail(call: Any, params: Dict[str, Any]) -> int:
    """Point the thumbnail (or filmstrip) of ``entities`` at that of ``source_entity``; return its Attachment id."""
    require_internal(call)
    field = "filmstrip_image" if params.get("filmstrip") else "image"
    source = params["source_entity"]
    source_row = _live_entity(call, source["type"], source["id"])
    url = source_row.get(field)
    if is_transient(url):
        # A hosted site answers "2" here, and the client raises ShotgunThumbnailNotReady.
        raise ThumbnailNotReady("%s %s's thumbnail is still being processed; share it once it is done"
                                % (source["type"], source["id"]))
    parsed = parse_thumbnail_path(urllib.parse.urlsplit(url).path) if url else None
    if parsed is None:
        raise EngineFault("%s %s has no %s to share" % (source["type"], source["id"],
                                                         "filmstrip thumbnail" if field != "image" else "thumbnail"))
    for entity in params["entities"]:
        _live_entity(call, entity["type"], entity["id"])
        _field_info(call, entity["type"], field, ("image",))
        call.txn.update(entity["type"], entity["id"], {field: url}, method="share_thumbnail", validate=False)
    return parsed[0]
