"""File transfer for mockgun: the client's upload forms and downloads, answered in process.

The real client moves files through form posts (``_send_form``) and URL
downloads (``_fetch_attachment``). Mockgun keeps those two seams but answers
them itself: uploaded bytes go to a private temporary ``FileStore`` and are
recorded by the engine's file bookkeeping, exactly as the local site's upload
routes record them; downloads read them back. Nothing touches the network.
"""
from __future__ import annotations

import mimetypes
import re
import urllib.parse
import weakref
from typing import Any, BinaryIO, Dict, Optional

from shotgun_api3._engine import EngineFault
from shotgun_api3._engine.files import attachments as engine_files
from shotgun_api3._engine.files.internal import files_context
from shotgun_api3._engine.store.file_store import FileStore
from shotgun_api3._errors import ShotgunError, ShotgunFileDownloadError
from shotgun_api3._files.downloads import deliver_chunk
from shotgun_api3._files.progress import current_progress, reporting_progress

_SERVE_PATH = re.compile(r"^/file_serve/attachment/(\d+)/?$")
_ENTITY_TOKEN = re.compile(r"^(\w+)_(\d+)$")


class _CountingReader:
    """A binary reader that reports the bytes read to the running transfer's progress."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._progress = current_progress()

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        if self._progress is not None and chunk:
            self._progress.advance(len(chunk))
        return chunk


class InProcessFileTransfer:
    """Overrides of the client's file-transfer seams for a client whose site is its own engine."""

    _file_store_instance: Optional[FileStore] = None

    @property
    def _file_store(self) -> FileStore:
        """This instance's file store, a temporary folder made on first use and removed with the instance."""
        if self._file_store_instance is None:
            store = FileStore()
            weakref.finalize(self, store.close)
            self._file_store_instance = store
        return self._file_store_instance

    def _auth_params(self) -> Dict[str, Any]:
        """The real auth dict when the credentials make one; none needed otherwise (nothing is checked)."""
        try:
            return super()._auth_params()  # type: ignore[misc]
        except (ValueError, ShotgunError):
            return {}

    def _requires_direct_s3_upload(self, entity_type: str, field_name: Optional[str]) -> bool:
        """Always the site route: the in-process site keeps the bytes itself, there is no storage to PUT to."""
        return False

    def _send_form(self, url: str, params: Dict[str, Any]) -> str:
        """Answer an upload form as the site's upload routes do: ``1:<attachment id>`` or an error text."""
        path = urllib.parse.urlsplit(url).path
        try:
            if path == "/upload/upload_file":
                return "1:%d\n" % self._record_upload(params, params.get("file"), thumbnail=None)
            if path == "/upload/publish_thumbnail":
                thumbnail = "filmstrip_image" if params.get("filmstrip") else "image"
                return "1:%d\n" % self._record_upload(params, params.get("thumb_image"), thumbnail=thumbnail)
            if path == "/upload/share_thumbnail":
                return "1:%d\n" % self._share_thumbnail(params)
        except EngineFault as fault:
            return "0\n%s" % fault.message
        return "0\nmockgun does not answer %s" % path

    def _record_upload(self, params: Dict[str, Any], handle: Any, thumbnail: Optional[str]) -> int:
        if handle is None:
            raise EngineFault("no file in the upload form")
        store = self._file_store
        stored_name = store.write(_CountingReader(handle))
        call_params = {
            "stored_name": stored_name,
            "size": store.size(stored_name),
            "filename": _file_name(handle),
            "content_type": _content_type(_file_name(handle)),
            "entity_type": params.get("entity_type"),
            "entity_id": _int(params.get("entity_id")),
            "thumbnail": thumbnail,
            "field_name": params.get("field_name"),
            "display_name": params.get("display_name"),
            "tag_list": params.get("tag_list"),
            "created_at": params.get("created_at"),
        }
        try:
            return self._files_call(engine_files.LINK_UPLOAD, call_params)
        except BaseException:
            store.delete(stored_name)
            raise

    def _share_thumbnail(self, params: Dict[str, Any]) -> int:
        entities = [_entity_of(token) for token in str(params.get("entities") or "").split(",") if token]
        return self._files_call(engine_files.SHARE_THUMBNAIL, {
            "entities": entities,
            "source_entity": _entity_of(str(params.get("source_entity"))),
            "filmstrip": bool(params.get("filmstrip_thumbnail")),
        })

    def _files_call(self, method: str, params: Dict[str, Any]) -> int:
        context = files_context(self._call_context())  # type: ignore[attr-defined]
        return self._engine.call(method, params, context)  # type: ignore[attr-defined]

    def _fetch_attachment(self, url: str, attachment: Any, target: Any, progress_callback: Any) -> Optional[bytes]:
        """Read an uploaded file back from the store (to ``target``'s file, or as bytes)."""
        stored_name = self._stored_name_for(url)
        if stored_name is None:
            raise ShotgunFileDownloadError("Failed to open %s\nmockgun serves only the files uploaded to it "
                                           "(it never reaches the network)" % url)
        store = self._file_store
        chunks = []
        sink = target.file.write if target is not None else chunks.append
        with reporting_progress(progress_callback, store.size(stored_name)) as progress:
            for chunk in store.iter_bytes(stored_name):
                deliver_chunk(sink, chunk, progress)
        return None if target is not None else b"".join(chunks)

    def _stored_name_for(self, url: str) -> Optional[str]:
        """The stored name behind a download or thumbnail URL of this site, or ``None``."""
        if self._file_store_instance is None:
            return None
        split = urllib.parse.urlsplit(url)
        served = _SERVE_PATH.match(split.path)
        if served:
            found = engine_files.attachment_file(self._engine, int(served.group(1)))  # type: ignore[attr-defined]
            name = found["stored_name"] if found else None
        else:
            thumbnail = engine_files.parse_thumbnail_path(split.path)
            name = thumbnail[1] if thumbnail else None
        return name if name is not None and self._file_store.exists(name) else None


def _entity_of(token: str) -> Dict[str, Any]:
    match = _ENTITY_TOKEN.match(token.strip())
    if not match:
        raise EngineFault("invalid entity %r in the share form" % token)
    return {"type": match.group(1), "id": int(match.group(2))}


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _file_name(handle: Any) -> str:
    name = getattr(handle, "name", None)
    if isinstance(name, str) and name:
        return name.replace("\\", "/").rsplit("/", 1)[-1]
    return "file"


def _content_type(file_name: str) -> str:
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"
