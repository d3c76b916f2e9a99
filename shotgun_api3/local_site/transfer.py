"""File routes of the local site: uploads, emulated storage, downloads, thumbnails.

The ``/upload/...`` form endpoints answer ``text/plain`` in the shapes of
docs/site_facts.rst, Uploads and downloads. Uploads are streamed to the site's
:class:`~shotgun_api3._engine.store.file_store.FileStore` as they arrive; the
bookkeeping (Attachment rows, field values, thumbnails) is done by the engine
in one transaction (``shotgun_api3._engine.files.attachments``).

Storage is emulated on the same server: ``api_get_upload_link_info`` hands
out signed, expiring ``PUT /storage/<upload id>/<part>/<file name>`` URLs
(part 0 is a whole file), and ``api_link_file`` links what was stored. The
state of an upload lives in the store's file names alone, so nothing is lost
or leaked between requests or restarts.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import time
import urllib.parse
import uuid
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple

from .._engine.files.attachments import LINK_UPLOAD, SHARE_THUMBNAIL, attachment_file, parse_thumbnail_path
from .._engine.files.internal import files_context
from .._engine.files.thumbnails import TRANSIENT_PATH, ThumbnailNotReady
from .._engine.store.file_store import FileStore, FileStoreError
from .auth import AuthError
from .form_data import (FormError, MultipartReader, multipart_boundary, parse_disposition, read_text,
                        read_urlencoded)
from .http import FileBody, Request, Response
from .signed_urls import is_valid, signed_url

LOG = logging.getLogger("shotgun_api3")

#: Wire auth fields a form may carry (docs/site_facts.rst, Credentials).
AUTH_FIELDS = ("script_name", "script_key", "user_login", "user_password", "auth_token", "session_token",
               "reject_if_expired", "sudo_as_login", "session_uuid")
THUMBNAIL_UPLOAD_TYPE = "Thumbnail"
#: An upload stored but not linked this long after (its URL expired long ago) is removed.
STALE_UPLOAD_SECONDS = 24 * 3600
STALE_UPLOAD_SWEEP_SECONDS = 600
_last_sweep: "weakref.WeakKeyDictionary[FileStore, float]" = weakref.WeakKeyDictionary()
_STORAGE_PATH = re.compile(r"^/storage/([0-9a-f]{32})/(\d{1,5})/([^/]+)$")
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
#: Bytes of a storage PUT read at a time (the block size that measured best for form uploads).
STORAGE_READ_CHUNK = 1024 * 1024


class _FormFailure(Exception):
    """A form request that answers ``0\\n<message>`` (the client raises it as a ShotgunError)."""


# -- answers -----------------------------------------------------------------

def _text(body: str, status: int = 200) -> Response:
    return Response(status, [("Content-Type", "text/plain; charset=utf-8")], body.encode("utf-8"))


def _failure(message: str) -> Response:
    return _text("0\n%s\n" % message)


def _stored_upload_name(upload_id: str, part: int = 0) -> str:
    return "upload-%s" % upload_id if part == 0 else "upload-%s-part-%d" % (upload_id, part)


# -- auth and forms ----------------------------------------------------------

def _authenticate(site: Any, fields: Dict[str, str], request: Request) -> Any:
    auth = {key: fields[key] for key in AUTH_FIELDS if key in fields}
    try:
        return site.authenticate(auth, request.client_address)
    except AuthError as error:
        raise _FormFailure(str(error) or "Authentication failed") from None


def _url_form(request: Request) -> Dict[str, str]:
    try:
        return read_urlencoded(request.body, request.content_length)
    except FormError as error:
        raise _FormFailure(str(error)) from None


def _int_field(fields: Dict[str, str], name: str) -> int:
    try:
        return int(fields[name])
    except (KeyError, ValueError):
        raise _FormFailure("missing or invalid '%s'" % name) from None


def _true(value: Optional[str]) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _entity_token(token: str) -> Dict[str, Any]:
    entity_type, sep, entity_id = token.strip().rpartition("_")
    if not sep or not entity_type or not entity_id.isdigit():
        raise _FormFailure("invalid entity '%s' (expected Type_id)" % token)
    return {"type": entity_type, "id": int(entity_id)}


def _link(site: Any, context: Any, upload: Dict[str, Any]) -> Response:
    """Record a stored file through the engine and answer ``1:<attachment id>``."""
    processing = getattr(site, "thumbnail_processing_seconds", 0) if upload.get("thumbnail") else 0
    if processing > 0:
        upload = dict(upload, transient=True)
    try:
        attachment_id = site.call(LINK_UPLOAD, upload, files_context(context))
    except site.fault_class as fault:
        raise _FormFailure(str(fault)) from None
    if processing > 0:
        site.thumbnail_uploaded()
    return _text("1:%d\n" % attachment_id)


def _link_fields(fields: Dict[str, str], thumbnail: bool) -> Dict[str, Any]:
    """The bookkeeping options of an upload form (target entity, field, names, tags, date)."""
    link: Dict[str, Any] = {
        "entity_type": fields.get("entity_type") or "",
        "entity_id": _int_field(fields, "entity_id"),
    }
    if thumbnail:
        link["thumbnail"] = "filmstrip_image" if _true(fields.get("filmstrip")) else "image"
    else:
        link["field_name"] = fields.get("field_name") or None
        link["display_name"] = fields.get("display_name")
        link["tag_list"] = fields.get("tag_list") or None
        link["created_at"] = fields.get("created_at") or None
    return link


# -- /upload/upload_file and /upload/publish_thumbnail -----------------------

def _stream_part_to_store(store: FileStore, data: Any) -> Tuple[str, int]:
    size = 0

    def counted():
        nonlocal size
        for chunk in data:
            size += len(chunk)
            yield chunk

    return store.write(counted()), size


def _server_upload(site: Any, request: Request, thumbnail: bool) -> Response:
    boundary = multipart_boundary(request.headers.get("content-type", ""))
    if boundary is None:
        raise _FormFailure("expected a multipart/form-data upload")
    file_field = "thumb_image" if thumbnail else "file"
    fields: Dict[str, str] = {}
    stored: Optional[Tuple[str, int, str]] = None
    context = None
    store = site.file_store
    try:
        for headers, data in MultipartReader(request.body, boundary, request.content_length).parts():
            name, filename = _parse_part(headers)
            if filename is None:
                fields[name or ""] = read_text(data)
                continue
            if name != file_field or stored is not None:
                continue  # unknown file fields are drained, not stored
            # Our client (and the reference) sends the text fields first:
            # refuse a bad login before storing a byte of the file.
            context = _authenticate(site, fields, request)
            stored_name, size = _stream_part_to_store(store, data)
            stored = (stored_name, size, filename)
    except FormError as error:
        if stored is not None:
            store.delete(stored[0])
        raise _FormFailure(str(error)) from None
    if stored is None:
        raise _FormFailure("the form has no '%s' file" % file_field)
    stored_name, size, filename = stored
    try:
        if size == 0:
            raise _FormFailure("the uploaded file is empty")
        link = _link_fields(fields, thumbnail)
        link.update(_stored_file_fields(stored_name, size, filename))
        return _link(site, context, link)
    except BaseException:
        store.delete(stored_name)
        raise


def _parse_part(headers: Dict[str, str]) -> Tuple[Optional[str], Optional[str]]:
    return parse_disposition(headers.get("content-disposition", ""))


def _stored_file_fields(stored_name: str, size: int, filename: str) -> Dict[str, Any]:
    filename = os.path.basename(filename.replace("\\", "/")) or "file"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return {"stored_name": stored_name, "size": size, "filename": filename, "content_type": content_type}


# -- direct-to-storage -------------------------------------------------------

def _storage_url(site: Any, upload_id: str, part: int, filename: str) -> str:
    return signed_url(site.url, site.secret, "/storage/%s/%d/%s" % (upload_id, part, filename))


def _safe_filename(filename: str) -> str:
    # The name travels inside a URL path segment: keep it to one segment.
    name = os.path.basename(filename.replace("\\", "/")).strip() or "file"
    return name.replace("/", "_")


def _sweep_stale_uploads(store: FileStore) -> None:
    """Now and then, remove uploads (and parts) stored but never linked or completed."""
    now = time.time()
    if now - _last_sweep.get(store, 0.0) < STALE_UPLOAD_SWEEP_SECONDS:
        return
    _last_sweep[store] = now
    removed = store.remove_stale("upload-", STALE_UPLOAD_SECONDS, now)
    if removed:
        LOG.info("local site: removed %d stale unlinked uploads", removed)


def _get_upload_link_info(site: Any, request: Request) -> Response:
    fields = _url_form(request)
    _authenticate(site, fields, request)
    _sweep_stale_uploads(site.file_store)
    upload_type = fields.get("upload_type") or "Attachment"
    if upload_type not in ("Attachment", THUMBNAIL_UPLOAD_TYPE):
        raise _FormFailure("unknown upload_type '%s'" % upload_type)
    filename = _safe_filename(fields.get("filename") or "")
    upload_id = uuid.uuid4().hex
    timestamp = str(int(time.time() * 1000))
    url = _storage_url(site, upload_id, 0, filename)
    return _text("1\n%s\n%s\n%s\n%s\n" % (url, timestamp, upload_type, upload_id))


def _upload_id(fields: Dict[str, str]) -> str:
    upload_id = fields.get("upload_id") or ""
    if not _UPLOAD_ID.match(upload_id):
        raise _FormFailure("invalid upload_id")
    return upload_id


def _get_upload_link_for_part(site: Any, request: Request) -> Response:
    fields = _url_form(request)
    _authenticate(site, fields, request)
    part = _int_field(fields, "part_number")
    if not 1 <= part <= 10000:
        raise _FormFailure("part_number must be between 1 and 10000")
    url = _storage_url(site, _upload_id(fields), part, _safe_filename(fields.get("filename") or ""))
    return _text("1\n%s\n" % url)


def _complete_multipart_upload(site: Any, request: Request) -> Response:
    fields = _url_form(request)
    _authenticate(site, fields, request)
    upload_id = _upload_id(fields)
    etags = [tag for tag in (fields.get("etags") or "").split(",") if tag]
    store: FileStore = site.file_store
    parts = [_stored_upload_name(upload_id, number) for number in range(1, len(etags) + 1)]
    missing = [str(number) for number, name in enumerate(parts, 1) if not store.exists(name)]
    if not etags or missing:
        raise _FormFailure("parts not uploaded: %s" % (", ".join(missing) or "none"))
    store.concatenate(parts, name=_stored_upload_name(upload_id))
    for name in parts:
        store.delete(name)
    return _text("1\n")


def _link_file(site: Any, request: Request) -> Response:
    fields = _url_form(request)
    context = _authenticate(site, fields, request)
    lines = (fields.get("upload_link_info") or "").split("\n")
    if len(lines) < 5 or not lines[0].startswith("1"):
        raise _FormFailure("invalid upload_link_info")
    upload_type, upload_id = lines[3], lines[4]
    if not _UPLOAD_ID.match(upload_id):
        raise _FormFailure("invalid upload id in upload_link_info")
    stored_name = _stored_upload_name(upload_id)
    store: FileStore = site.file_store
    if not store.exists(stored_name):
        raise _FormFailure("nothing was uploaded for this upload link")
    filename = urllib.parse.unquote(urllib.parse.urlsplit(lines[1]).path.rsplit("/", 1)[-1])
    # Linked files leave the "upload-" names, which are swept when stale.
    try:
        stored_name = store.rename(stored_name)
    except (FileStoreError, OSError):
        raise _FormFailure("nothing was uploaded for this upload link") from None
    link = _link_fields(fields, upload_type == THUMBNAIL_UPLOAD_TYPE)
    link.update(_stored_file_fields(stored_name, store.size(stored_name), filename))
    try:
        return _link(site, context, link)
    except BaseException:
        # The site refused the link (no such entity or field): nothing can
        # claim these bytes any more.
        store.delete(stored_name)
        raise


def _storage_put(site: Any, request: Request) -> Response:
    match = _STORAGE_PATH.match(request.path)
    if not match or not is_valid(site.secret, request.path, request.query):
        return _text("Forbidden: invalid or expired storage URL\n", 403)
    if "content-length" not in request.headers:
        return _text("Length Required\n", 411)
    upload_id, part = match.group(1), int(match.group(2))
    # The ETag is the MD5 of the part, as cloud storage answers; not a security use.
    digest = hashlib.md5(usedforsecurity=False)

    def hashed():
        # One reused buffer filled straight from the connection; the store
        # writes each view out before the next read.
        view = memoryview(bytearray(STORAGE_READ_CHUNK))
        remaining = request.content_length
        while remaining > 0:
            count = request.body.readinto(view[:min(len(view), remaining)])
            if not count:
                raise ConnectionError("request body ended early")
            remaining -= count
            chunk = view[:count]
            digest.update(chunk)
            yield chunk

    try:
        site.file_store.write(hashed(), name=_stored_upload_name(upload_id, part))
    except FileStoreError as error:
        return _text("Bad Request: %s\n" % error, 400)
    etag = '"%s"' % digest.hexdigest()
    return Response(200, [("ETag", etag), ("Content-Type", "text/plain; charset=utf-8")], b"")


# -- thumbnails --------------------------------------------------------------

def _share_thumbnail(site: Any, request: Request) -> Response:
    fields = _url_form(request)
    context = _authenticate(site, fields, request)
    entities = [_entity_token(token) for token in (fields.get("entities") or "").split(",") if token.strip()]
    if not entities:
        raise _FormFailure("no entities to share the thumbnail with")
    source = _entity_token(fields.get("source_entity") or "")
    params = {"entities": entities, "source_entity": source,
              "filmstrip": _true(fields.get("filmstrip_thumbnail"))}
    try:
        attachment_id = site.call(SHARE_THUMBNAIL, params, files_context(context))
    except ThumbnailNotReady as fault:
        return _text("2\n%s\n" % fault)
    except site.fault_class as fault:
        raise _FormFailure(str(fault)) from None
    return _text("1:%d\n" % attachment_id)


def _get_thumbnail_url(site: Any, request: Request) -> Response:
    """The image of an entity for sites older than 3.3.0 clients: ``1\\n/<path>``."""
    # Only for a signed-in caller (a live _session_id cookie): the answer tells
    # which records exist and hands out thumbnail paths. The reference client
    # asks it only of sites older than 3.3.0, which this site is not.
    if site.session_from_cookie(request.cookies) is None:
        return _failure("Authentication failed: get_thumbnail_url needs a valid _session_id cookie.")
    entity_type = (request.query.get("entity_type") or [""])[0]
    try:
        entity_id = int((request.query.get("entity_id") or [""])[0])
    except ValueError:
        return _failure("invalid entity_id")
    with site.lock:  # (tables read rows from the store as they go: one reader at a time)
        row = site.engine.tables.get(entity_type, {}).get(entity_id)
        image = row.get("image") if row is not None and not row.get("__retired") else None
    if row is None or row.get("__retired"):
        return _failure("%s %s not found" % (entity_type, entity_id))
    if not image:
        return _failure("%s %s has no thumbnail" % (entity_type, entity_id))
    return _text("1\n%s" % urllib.parse.urlsplit(image).path)


def _serve_stored(site: Any, stored_name: str, content_type: str, filename: str, head: bool) -> Response:
    store: FileStore = site.file_store
    size = store.size(stored_name)
    quoted = urllib.parse.quote(filename, safe="")
    headers = [("Content-Type", content_type or "application/octet-stream"), ("Content-Length", str(size)),
               ("Content-Disposition", "attachment; filename*=UTF-8''%s" % quoted)]
    return Response(200, headers, b"" if head else FileBody(store.open(stored_name), size))


def _thumbnail(site: Any, request: Request) -> Response:
    parsed = parse_thumbnail_path(request.path)
    found = attachment_file(site.engine, parsed[0]) if parsed else None
    if found is None or found["stored_name"] != parsed[1] or not site.file_store.exists(parsed[1]):
        return _text("Not Found\n", 404)
    return _serve_stored(site, found["stored_name"], found["content_type"], found["filename"],
                         request.method == "HEAD")


def _file_serve(site: Any, request: Request) -> Response:
    match = re.match(r"^/file_serve/attachment/(\d+)(?:/.*)?$", request.path)
    if site.session_from_cookie(request.cookies) is None and not getattr(site, "anonymous_downloads", False):
        return _text("Forbidden: downloads need a valid _session_id cookie. The reference client sends none to a "
                     "site URL with a port; serve with --anonymous-downloads (site.anonymous_downloads = True) to "
                     "serve it anyway.\n", 403)
    found = attachment_file(site.engine, int(match.group(1))) if match else None
    if found is None or not site.file_store.exists(found["stored_name"]):
        return _text("Bad Request: no such attachment\n", 400)
    return _serve_stored(site, found["stored_name"], found["content_type"], found["filename"],
                         request.method == "HEAD")


# A 1x1 grey PNG: what the transient placeholder URL serves while a thumbnail is processed.
_PENDING_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f5b7a80000000049454e44ae426082")


def _transient_image(site: Any, request: Request) -> Response:
    if request.path != TRANSIENT_PATH:
        return _text("Not Found\n", 404)
    return Response(200, [("Content-Type", "image/png")], b"" if request.method == "HEAD" else _PENDING_PNG)


# -- routing -----------------------------------------------------------------

_FORM_ENDPOINTS: Dict[str, Callable[[Any, Request], Response]] = {
    "/upload/api_get_upload_link_info": _get_upload_link_info,
    "/upload/api_get_upload_link_for_part": _get_upload_link_for_part,
    "/upload/api_complete_multipart_upload": _complete_multipart_upload,
    "/upload/api_link_file": _link_file,
    "/upload/upload_file": lambda site, request: _server_upload(site, request, thumbnail=False),
    "/upload/publish_thumbnail": lambda site, request: _server_upload(site, request, thumbnail=True),
    "/upload/share_thumbnail": _share_thumbnail,
}


def handle_upload_form(site: Any, request: Request) -> Response:
    """``POST /upload/<endpoint>``: one of the form endpoints."""
    endpoint = _FORM_ENDPOINTS.get(request.path.rstrip("/"))
    if endpoint is None:
        return _text("Not Found\n", 404)
    try:
        return endpoint(site, request)
    except _FormFailure as failure:
        return _failure(str(failure))


def handle_get_thumbnail_url(site: Any, request: Request) -> Response:
    if request.path.rstrip("/") != "/upload/get_thumbnail_url":
        return _text("Not Found\n", 404)
    return _get_thumbnail_url(site, request)


ROUTES: List[Tuple[str, str, Callable[[Any, Request], Response]]] = [
    ("POST", "/upload/", handle_upload_form),
    ("GET", "/upload/", handle_get_thumbnail_url),
    ("PUT", "/storage/", _storage_put),
    ("GET", "/file_serve/", _file_serve),
    ("GET", "/thumbnail/", _thumbnail),
    ("GET", "/images/status/transient/", _transient_image),
]
