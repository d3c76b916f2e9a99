"""Direct-to-storage uploads: the site hands out signed URLs and the client PUTs the bytes there.

Files up to ``_MULTIPART_UPLOAD_CHUNK_SIZE`` bytes go in one PUT; larger files
go in parts of that size, each to its own URL, and the site assembles them
when told the parts' ETags. Bytes are streamed from disk in bounded chunks,
and every retried PUT re-sends its part from the start (the reference client
re-used a half-read file object).
"""
from __future__ import annotations

import datetime
import http.client
import io
import logging
import os
import time
import urllib.error
import urllib.request
from typing import Any, BinaryIO, Dict, Iterable, Optional

from .. import _retry
from .._errors import ShotgunError
from .forms import guess_content_type, read_exactly
from .progress import current_progress

LOG = logging.getLogger("shotgun_api3")


class FilePart(io.RawIOBase):
    """A read-only window of ``size`` bytes of an open file, starting at ``offset``.

    Passed to ``_upload_data_to_storage`` for each part of a multipart upload
    so that a part is read from disk while it is sent instead of being copied
    into memory first.
    """

    def __init__(self, fd: BinaryIO, offset: int, size: int) -> None:
        super().__init__()
        self._fd = fd
        self._offset = offset
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, position: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, min(self._size, base + position))
        return self._position

    def read(self, size: int = -1) -> bytes:
        remaining = self._size - self._position
        if size is None or size < 0 or size > remaining:
            size = remaining
        if size <= 0:
            return b""
        self._fd.seek(self._offset + self._position)
        data = self._fd.read(size)
        self._position += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def __len__(self) -> int:
        return self._size


def upload_link_fields(upload_info: Dict[str, Any], filename: str) -> Dict[str, Any]:
    """The form fields that identify a multipart upload to the site."""
    return {
        "upload_type": upload_info["upload_type"],
        "filename": filename,
        "timestamp": upload_info["timestamp"],
        "upload_id": upload_info["upload_id"],
    }


class StorageUploadMethods:
    """The direct-to-storage seams of ``Shotgun`` (names and shapes of the reference)."""

    def _get_attachment_upload_info(self, is_thumbnail: bool, filename: str, is_multipart_upload: bool,
                                    created_at: Optional[datetime.datetime] = None) -> Dict[str, Any]:
        """Ask the site where to PUT a file; return its answer split into named lines."""
        params: Dict[str, Any] = {
            "upload_type": "Thumbnail" if is_thumbnail else "Attachment",
            "filename": filename,
            "multipart_upload": is_multipart_upload,
        }
        if created_at is not None:
            params["created_at"] = created_at.isoformat()
        url = self._site_url("/upload/api_get_upload_link_info")
        answer = self._send_form(url, params)
        if not answer.startswith("1"):
            raise ShotgunError("Could not get upload_url but not sure why.\nPath: %s\nUrl: %s\nError: %s"
                               % (filename, url, answer))
        lines = answer.split("\n")
        if len(lines) < 5:
            raise ShotgunError("Could not get upload_url: the site answered an incomplete upload link.\n"
                               "Path: %s\nUrl: %s\nAnswer: %s" % (filename, url, answer))
        LOG.debug("Completed rpc call to %s", "/upload/api_get_upload_link_info")
        return {
            "upload_url": lines[1],
            "timestamp": lines[2],
            "upload_type": lines[3],
            "upload_id": lines[4],
            "upload_info": answer,
        }

    def _upload_file_to_storage(self, path: str, storage_url: str) -> None:
        """PUT a whole file to ``storage_url``."""
        with open(path, "rb") as fd:
            size = os.fstat(fd.fileno()).st_size
            self._upload_data_to_storage(fd, guess_content_type(os.path.basename(path)), size, storage_url)
        LOG.debug("File uploaded to Cloud storage: %s", os.path.basename(path))

    def _multipart_upload_file_to_storage(self, path: str, upload_info: Dict[str, Any]) -> None:
        """PUT a file in ``_MULTIPART_UPLOAD_CHUNK_SIZE`` parts, then ask the site to assemble them."""
        filename = os.path.basename(path)
        content_type = guess_content_type(path)
        chunk_size = self._MULTIPART_UPLOAD_CHUNK_SIZE
        etags = []
        with open(path, "rb") as fd:
            size = os.fstat(fd.fileno()).st_size
            offset = 0
            part_number = 1
            while offset < size:
                part_size = min(chunk_size, size - offset)
                part_url = self._get_upload_part_link(upload_info, filename, part_number)
                etags.append(self._upload_data_to_storage(FilePart(fd, offset, part_size), content_type,
                                                          part_size, part_url))
                offset += part_size
                part_number += 1
        self._complete_multipart_upload(upload_info, filename, etags)
        LOG.debug("File uploaded in multiple parts to Cloud storage: %s", path)

    def _get_upload_part_link(self, upload_info: Dict[str, Any], filename: str, part_number: int) -> str:
        """Ask the site for the URL of part ``part_number`` (from 1) of a multipart upload."""
        params = upload_link_fields(upload_info, filename)
        params["part_number"] = part_number
        answer = self._send_form(self._site_url("/upload/api_get_upload_link_for_part"), params)
        # The answer is "1\n<url>" on success, "0\n..." on failure.
        if not answer.startswith("1"):
            raise ShotgunError("Unable get upload part link: %s" % answer)
        LOG.debug("Got next upload link from server for multipart upload.")
        return answer.split("\n", 2)[1]

    def _upload_data_to_storage(self, data: BinaryIO, content_type: str, size: int, storage_url: str) -> Optional[str]:
        """PUT ``size`` bytes of ``data`` (from its current position) to ``storage_url``; return the ETag.

        Tries again as ``_retry.storage_put_delay`` says (as the reference:
        HTTP 500/503 and network errors up to ``MAX_ATTEMPTS`` tries, other
        HTTP errors fail at once). Each try re-sends the data from the
        position it had on the first try.
        """
        start = data.tell() if _seekable(data) else None
        progress = current_progress()
        progress_start = progress.done if progress is not None else 0
        for attempt in range(1, self.MAX_ATTEMPTS + 1):
            if attempt > 1:
                if start is None:
                    raise ShotgunError("Cannot retry the upload to %s: the data stream cannot be rewound"
                                       % storage_url)
                data.seek(start)
                if progress is not None:
                    progress.rewind(progress_start)
            request = urllib.request.Request(storage_url, data=read_exactly(data, size, progress), method="PUT")
            request.add_header("Content-Type", content_type)
            request.add_header("Content-Length", str(size))
            try:
                opener = self._build_opener(urllib.request.HTTPHandler)
                response = self._make_upload_request(request, opener)
                LOG.debug("Completed request to %s", request.get_method())
            except urllib.error.HTTPError as error:
                delay = _retry.storage_put_delay(attempt, self.MAX_ATTEMPTS, self.BACKOFF, error.code)
                if delay is None:
                    if error.code not in _retry.STORAGE_RETRY_STATUSES:
                        raise ShotgunError("Unanticipated error occurred uploading to %s: %s"
                                           % (storage_url, error)) from error
                    raise ShotgunError("Got a %s response when uploading to %s: %s"
                                       % (error.code, storage_url, error)) from error
                LOG.debug("Got a %s response. Waiting and retrying...", error.code)
                time.sleep(delay)
                continue
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                # A PUT is idempotent, so a connection lost before the answer
                # (which urllib does not wrap in URLError) is retried too.
                LOG.debug("Got a '%s' response. Waiting and retrying...", error)
                delay = _retry.storage_put_delay(attempt, self.MAX_ATTEMPTS, self.BACKOFF, None)
                if delay is None:
                    raise ShotgunError("Max attempts limit reached.") from error
                time.sleep(delay)
                continue
            etag = _response_etag(response)
            LOG.debug("Part upload completed successfully.")
            return etag
        raise ShotgunError("Max attempts limit reached.")

    def _complete_multipart_upload(self, upload_info: Dict[str, Any], filename: str, etags: Iterable[str]) -> None:
        """Tell the site every part is stored, giving the parts' ETags in order."""
        params = upload_link_fields(upload_info, filename)
        params["etags"] = ",".join(etags)
        answer = self._send_form(self._site_url("/upload/api_complete_multipart_upload"), params)
        # Same wording as the reference uses for this failure.
        if not answer.startswith("1"):
            raise ShotgunError("Unable get upload part link: %s" % answer)


def _seekable(data: Any) -> bool:
    try:
        return bool(data.seekable())
    except (AttributeError, ValueError):
        return False


def _response_etag(response: Any) -> Optional[str]:
    try:
        return response.info()["Etag"]
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
