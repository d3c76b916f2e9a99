"""Uploads: files linked to entities, thumbnails, and shared thumbnails.

``upload`` checks the path locally, then takes one of two routes the site
chooses through its ``info`` answer: direct-to-storage (ask for a signed URL,
PUT the bytes, link the stored file) or a single multipart form post to the
site. Both stream the file from disk.
"""
from __future__ import annotations

import datetime
import logging
import os
from typing import Any, Dict, List, Optional, Union

from .._errors import ShotgunError, ShotgunThumbnailNotReady
from .progress import ProgressCallback, reporting_progress

LOG = logging.getLogger("shotgun_api3")

#: Field names that make ``upload`` store a thumbnail rather than an attachment.
THUMBNAIL_FIELDS = ("thumb_image", "filmstrip_thumb_image", "image", "filmstrip_image")
FILMSTRIP_FIELDS = ("filmstrip_thumb_image", "filmstrip_image")


def checked_upload_path(path: Union[str, bytes, os.PathLike, None]) -> str:
    """The absolute path of a readable, non-empty regular file, or a ``ShotgunError`` saying what is wrong."""
    path = os.path.abspath(os.path.expanduser(path or ""))
    if isinstance(path, bytes):
        try:
            path = path.decode("utf-8")
        except UnicodeDecodeError:
            raise ShotgunError(
                "Could not upload the given file path. It is encoded as something other than utf-8 or ascii. "
                "To upload this file, it can be string encoded as utf-8, or given as unicode: %r" % (path,)
            ) from None
    if not os.path.isfile(path):
        raise ShotgunError("Path must be a valid file, got '%s'" % path)
    if os.path.getsize(path) == 0:
        raise ShotgunError("Path cannot be an empty file: '%s'" % path)
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise ShotgunError("Could not read the file to upload '%s': %s" % (path, error)) from error
    return path


def attachment_id_from_answer(answer: str) -> int:
    """The attachment id in a ``1:<id>\\n`` answer (``1\\n:<id>\\n`` is accepted too)."""
    return int(answer.split(":", 2)[1].split("\n", 1)[0])


def _upload_failed(path: str, url: str, answer: str) -> ShotgunError:
    return ShotgunError("Could not upload file successfully, but not sure why.\nPath: %s\nUrl: %s\nError: %s"
                        % (path, url, answer))


def _linked_attachment_id(path: str, url: str, answer: str) -> int:
    if not answer.startswith("1"):
        raise _upload_failed(path, url, answer)
    try:
        return attachment_id_from_answer(answer)
    except (IndexError, ValueError):
        raise _upload_failed(path, url, answer) from None


def _entity_token(entity: Dict[str, Any]) -> str:
    return "%s_%s" % (entity["type"], entity["id"])


class UploadMethods:
    """``upload`` and the thumbnail methods of ``Shotgun``."""

    def upload(self, entity_type: str, entity_id: int, path: str, field_name: Optional[str] = None,
               display_name: Optional[str] = None, tag_list: Optional[str] = None,
               created_at: Optional[datetime.datetime] = None, *,
               progress_callback: Optional[ProgressCallback] = None) -> int:
        """Upload a file and link it to an entity; return the id of the new Attachment.

        ``field_name`` names a file/link field of the entity to store the file
        in (``None`` links it as an attachment only; a thumbnail field such as
        ``image`` stores a thumbnail). ``display_name`` defaults to the file
        name; ``tag_list`` is a comma-separated string; ``created_at`` sets the
        Attachment's creation time.

        ``progress_callback(bytes_done, bytes_total)`` is called as file bytes
        are sent (``bytes_done`` goes back when a request is retried).

        Raises :class:`ShotgunError` for a missing, empty or unreadable file
        and when the site refuses the upload.
        """
        path = checked_upload_path(path)
        if created_at is not None and not isinstance(created_at, datetime.datetime):
            raise ShotgunError("created_at must be a datetime.datetime instance, got '%s'" % type(created_at))
        is_thumbnail = field_name in THUMBNAIL_FIELDS
        with reporting_progress(progress_callback, os.path.getsize(path)):
            if self._requires_direct_s3_upload(entity_type, field_name):
                return self._upload_to_storage(entity_type, entity_id, path, field_name, display_name,
                                               tag_list, is_thumbnail, created_at)
            return self._upload_to_sg(entity_type, entity_id, path, field_name, display_name, tag_list,
                                      is_thumbnail, created_at)

    def upload_thumbnail(self, entity_type: str, entity_id: int, path: str, **kwargs: Any) -> int:
        """Upload an image as the thumbnail of an entity; return the new Attachment id.

        Extra keyword arguments (``progress_callback`` for one) go to :meth:`upload`.
        """
        return self.upload(entity_type, entity_id, path, field_name="thumb_image", **kwargs)

    def upload_filmstrip_thumbnail(self, entity_type: str, entity_id: int, path: str, **kwargs: Any) -> int:
        """Upload a filmstrip (a strip of 240-pixel-wide frames) as an entity's filmstrip thumbnail.

        Needs a site at version 3.1.0 or later. Extra keyword arguments go to :meth:`upload`.
        """
        version = self.server_caps.version
        if not version or version < (3, 1, 0):
            raise ShotgunError("Filmstrip thumbnail support requires server version 3.1 or higher, server is %s"
                               % (version,))
        return self.upload(entity_type, entity_id, path, field_name="filmstrip_thumb_image", **kwargs)

    def share_thumbnail(self, entities: List[Dict[str, Any]], thumbnail_path: Optional[str] = None,
                        source_entity: Optional[Dict[str, Any]] = None, filmstrip_thumbnail: bool = False,
                        **kwargs: Any) -> Optional[int]:
        """Give several entities the same thumbnail; return the id of the source thumbnail's Attachment.

        Either upload ``thumbnail_path`` (to the first entity, which is removed
        from ``entities`` as the reference does) or reuse the thumbnail of
        ``source_entity``. Raises :class:`ShotgunThumbnailNotReady` while the
        source thumbnail is still being processed.
        """
        version = self.server_caps.version
        if not version or version < (4, 0, 0):
            raise ShotgunError("Thumbnail sharing support requires server version 4.0 or higher, server is %s"
                               % (version,))
        if not isinstance(entities, list) or not entities:
            raise ShotgunError("'entities' parameter must be a list of entity hashes and may not be empty")
        for entity in entities:
            if not isinstance(entity, dict) or "id" not in entity or "type" not in entity:
                raise ShotgunError("'entities' parameter must be a list of entity hashes with at least 'type' "
                                   "and 'id' keys.\nInvalid entity: %s" % (entity,))
        if bool(thumbnail_path) == bool(source_entity):
            raise ShotgunError("You must supply either thumbnail_path OR source_entity.")

        attachment_id = None
        if thumbnail_path:
            source_entity = entities.pop(0)
            upload = self.upload_filmstrip_thumbnail if filmstrip_thumbnail else self.upload_thumbnail
            attachment_id = upload(source_entity["type"], source_entity["id"], thumbnail_path, **kwargs)
            if not entities:
                return attachment_id
        elif not isinstance(source_entity, dict) or "id" not in source_entity or "type" not in source_entity:
            raise ShotgunError("'source_entity' parameter must be a dict with at least 'type' and 'id' keys.\n"
                               "Got: %s (%s)" % (source_entity, type(source_entity)))

        params = {
            "entities": ",".join(_entity_token(e) for e in entities),
            "source_entity": _entity_token(source_entity),
            "filmstrip_thumbnail": 1 if filmstrip_thumbnail else filmstrip_thumbnail,
        }
        answer = self._send_form(self._site_url("/upload/share_thumbnail"), params)
        if answer.startswith("1:"):
            try:
                return attachment_id_from_answer(answer)
            except ValueError:
                return None
        if answer.startswith("2"):
            raise ShotgunThumbnailNotReady("Unable to share thumbnail: %s" % answer)
        raise ShotgunError("Unable to share thumbnail: %s" % answer)

    def _requires_direct_s3_upload(self, entity_type: str, field_name: Optional[str]) -> bool:
        """Whether the site wants this entity type and field uploaded straight to its storage.

        Reads ``s3_direct_uploads_enabled`` and ``s3_enabled_upload_types``
        from the site's ``info``. A type mapped to ``"*"`` (or a list holding
        it) accepts every field; ``"*"`` as a type applies to every type.
        """
        info = self.server_info
        if not info.get("s3_direct_uploads_enabled", False):
            return False
        upload_types = info.get("s3_enabled_upload_types") or {}
        for fields in (upload_types.get(entity_type) or [], upload_types.get("*") or []):
            # A bare string is one field name or "*"; the reference tested
            # membership in the string itself, which fails for field_name=None.
            names = [fields] if isinstance(fields, str) else list(fields)
            if "*" in names or field_name in names:
                return True
        # Sites that predate the setting still take Version movies directly.
        return entity_type == "Version" and field_name == "sg_uploaded_movie"

    def _upload_to_storage(self, entity_type: str, entity_id: int, path: str, field_name: Optional[str],
                           display_name: Optional[str], tag_list: Optional[str], is_thumbnail: bool,
                           created_at: Optional[datetime.datetime] = None) -> int:
        """Upload to the site's storage (in parts for large files), then link the stored file to the entity."""
        filename = os.path.basename(path)
        is_multipart_upload = os.path.getsize(path) > self._MULTIPART_UPLOAD_CHUNK_SIZE
        upload_info = self._get_attachment_upload_info(is_thumbnail, filename, is_multipart_upload,
                                                       created_at=created_at)
        if is_multipart_upload:
            self._multipart_upload_file_to_storage(path, upload_info)
        else:
            self._upload_file_to_storage(path, upload_info["upload_url"])

        url = self._site_url("/upload/api_link_file")
        params: Dict[str, Any] = {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "upload_link_info": upload_info["upload_info"],
        }
        params.update(self._auth_params())
        if is_thumbnail:
            if field_name in FILMSTRIP_FIELDS:
                params["filmstrip"] = True
        else:
            if field_name is not None:
                params["field_name"] = field_name
            params["display_name"] = filename if display_name is None else display_name
            if tag_list:
                params["tag_list"] = tag_list
            if created_at is not None:
                params["created_at"] = created_at
        answer = self._send_form(url, params)
        attachment_id = _linked_attachment_id(path, url, answer)
        LOG.debug("Attachment linked to content on Cloud storage")
        return attachment_id

    def _upload_to_sg(self, entity_type: str, entity_id: int, path: str, field_name: Optional[str],
                      display_name: Optional[str], tag_list: Optional[str], is_thumbnail: bool,
                      created_at: Optional[datetime.datetime] = None) -> int:
        """Upload the file to the site in one streamed multipart form post."""
        params: Dict[str, Any] = {"entity_type": entity_type, "entity_id": entity_id}
        params.update(self._auth_params())
        if is_thumbnail:
            url = self._site_url("/upload/publish_thumbnail")
            if field_name in FILMSTRIP_FIELDS:
                params["filmstrip"] = True
            file_field = "thumb_image"
        else:
            url = self._site_url("/upload/upload_file")
            if field_name is not None:
                params["field_name"] = field_name
            params["display_name"] = os.path.basename(path) if display_name is None else display_name
            if tag_list:
                params["tag_list"] = tag_list
            if created_at is not None:
                params["created_at"] = created_at.isoformat()
            file_field = "file"
        with open(path, "rb") as fd:
            params[file_field] = fd
            answer = self._send_form(url, params)
        return _linked_attachment_id(path, url, answer)
