"""Form bodies for the ``/upload/...`` endpoints, built as streams.

:class:`FormPostHandler` is a ``urllib`` handler: a request whose ``data`` is a
mapping becomes an url-encoded form, or a ``multipart/form-data`` body when a
value is an open binary file. The multipart body is a generator that reads
each file in chunks while the request is being sent, with the
``Content-Length`` computed up front, so a file of any size is posted in
bounded memory (the reference client copied the whole file into a buffer).
"""
from __future__ import annotations

import io
import mimetypes
import os
import urllib.parse
import urllib.request
import uuid
from typing import Any, BinaryIO, Iterable, Iterator, List, Tuple, Union

from .progress import current_progress

#: Bytes read from a file per chunk of a streamed body.
STREAM_CHUNK_SIZE = 1024 * 1024

#: A body segment: literal bytes, or a file to stream from its start for ``size`` bytes.
Segment = Union[bytes, Tuple[BinaryIO, int]]


def guess_content_type(filename: str) -> str:
    """The MIME type guessed from a file name, ``application/octet-stream`` when unknown."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def file_field_name(fd: BinaryIO) -> str:
    """The file name sent for an open file: the part of its name after the last ``/``."""
    name = getattr(fd, "name", "") or ""
    if isinstance(name, bytes):
        name = name.decode("utf-8")
    return str(name).split("/")[-1]


def _quote_disposition(value: str) -> str:
    # A quote or a line break inside a Content-Disposition parameter would end
    # it early; browsers percent-encode these three, and so do we.
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value if isinstance(value, str) else str(value)


def is_file_value(value: Any) -> bool:
    """Whether a form value is an open file to upload (rather than a text field)."""
    return isinstance(value, io.IOBase)


def multipart_segments(params: Iterable[Tuple[Any, Any]], files: Iterable[Tuple[Any, BinaryIO]],
                       boundary: str) -> List[Segment]:
    """The multipart layout of the reference: text fields first, then files, then the closing boundary."""
    segments: List[Segment] = []
    for key, value in params:
        segments.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                         % (boundary, _text(key), _text(value))).encode("utf-8"))
    for key, fd in files:
        filename = file_field_name(fd)
        size = os.fstat(fd.fileno()).st_size
        segments.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                         "Content-Type: %s\r\nContent-Length: %d\r\n\r\n"
                         % (boundary, _text(key), _quote_disposition(filename),
                            guess_content_type(filename), size)).encode("utf-8"))
        segments.append((fd, size))
        segments.append(b"\r\n")
    segments.append(("--%s--\r\n\r\n" % boundary).encode("utf-8"))
    return segments


def segments_length(segments: Iterable[Segment]) -> int:
    """The number of bytes :func:`stream_segments` will produce."""
    return sum(len(s) if isinstance(s, bytes) else s[1] for s in segments)


def stream_segments(segments: List[Segment]) -> Iterator[bytes]:
    """Yield the body bytes, reading each file from its start in bounded chunks.

    Every call starts over (files are rewound), so a retried request re-sends
    the same body. File bytes are reported to the running transfer's progress.
    """
    progress = current_progress()
    for segment in segments:
        if isinstance(segment, bytes):
            yield segment
            continue
        fd, size = segment
        fd.seek(0)
        yield from read_exactly(fd, size, progress)


def read_exactly(fd: BinaryIO, size: int, progress: Any = None) -> Iterator[bytes]:
    """Yield ``size`` bytes from the current position of ``fd`` in chunks; fail if it ends early."""
    remaining = size
    while remaining > 0:
        chunk = fd.read(min(STREAM_CHUNK_SIZE, remaining))
        if not chunk:
            raise IOError("file %r ended %d bytes before its announced size" % (file_field_name(fd), remaining))
        remaining -= len(chunk)
        if progress is not None:
            progress.advance(len(chunk))
        yield chunk


class FormPostHandler(urllib.request.BaseHandler):
    """A ``urllib`` handler turning a mapping of form fields into a POST body.

    Open files among the values make it a streamed ``multipart/form-data``
    body; otherwise the fields are url-encoded in order.
    """

    # Runs before the HTTP handlers so that they see the finished body.
    handler_order = urllib.request.HTTPHandler.handler_order - 10

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        data = request.data
        if data is None or isinstance(data, (str, bytes)) or not hasattr(data, "items"):
            return request
        files = []
        params = []
        for key, value in data.items():
            (files if is_file_value(value) else params).append((key, value))
        if not files:
            request.data = urllib.parse.urlencode(params, True).encode("utf-8")
            return request
        boundary = str(uuid.uuid4())
        segments = multipart_segments(params, files, boundary)
        request.data = stream_segments(segments)
        request.add_unredirected_header("Content-Type", "multipart/form-data; boundary=%s" % boundary)
        request.add_unredirected_header("Content-Length", str(segments_length(segments)))
        return request

    https_request = http_request

    def encode(self, params: Iterable[Tuple[Any, Any]], files: Iterable[Tuple[Any, BinaryIO]],
               boundary: Any = None, buffer: Any = None) -> Tuple[Any, bytes]:
        """Build a whole multipart body in memory and return ``(boundary, body)``.

        Kept for callers of the reference's helper of this name; uploads use
        the streamed body of :meth:`http_request` instead.
        """
        if boundary is None:
            boundary = uuid.uuid4()
        if buffer is None:
            buffer = io.BytesIO()
        for chunk in stream_segments(multipart_segments(params, files, str(boundary))):
            buffer.write(chunk)
        return boundary, buffer.getvalue()
