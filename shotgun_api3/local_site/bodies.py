"""Request and response bodies of the HTTP server: a length-limited request stream, chunked decoding, file answers."""
from __future__ import annotations

import tempfile
from typing import BinaryIO, Iterator, Optional, Tuple

#: Limits on the request head; anything larger is answered 431/414 and closed.
MAX_LINE_BYTES = 16 * 1024
MAX_HEADER_COUNT = 100
#: A chunked request body is decoded in memory up to this size, in a temporary file beyond.
CHUNKED_SPOOL_BYTES = 8 * 1024 * 1024


class BadRequest(Exception):
    """The request head cannot be parsed; answered with ``status`` and the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status



class FileBody:
    """A response body that is the first ``length`` bytes of an open binary file.

    On a plain-HTTP connection the server hands it to the kernel
    (``socket.sendfile``), so serving a stored file costs no copies through
    Python; over TLS, or for anyone iterating it, it reads 1 MB chunks. The file
    is closed once sent (or by :meth:`close`).
    """

    def __init__(self, file: BinaryIO, length: int, chunk_size: int = 1024 * 1024) -> None:
        self.file = file
        self.length = length
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        remaining = self.length
        try:
            while remaining > 0:
                chunk = self.file.read(min(self.chunk_size, remaining))
                if not chunk:
                    raise ConnectionError("the file being served ended %d bytes early" % remaining)
                remaining -= len(chunk)
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self.file.close()


class LimitedBody:
    """A read-only stream over exactly ``length`` bytes of a buffered socket file.

    ``owned``: the source is this body's own (a decoded chunked body), closed with it.
    """

    def __init__(self, source: BinaryIO, length: int, owned: bool = False) -> None:
        self._source = source
        self.remaining = length
        self._owned = owned

    def close(self) -> None:
        if self._owned:
            self._source.close()

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self._source.read(size)
        if len(data) < size:
            # The peer closed mid-body: the request cannot be completed.
            self.remaining = 0
            raise ConnectionError("connection closed before the request body was complete")
        self.remaining -= len(data)
        return data

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` (up to what is left of the body) straight from the connection, without a copy."""
        size = min(len(buffer), self.remaining)
        if size <= 0:
            return 0
        count = self._source.readinto(memoryview(buffer).cast("B")[:size])
        if count < size:
            self.remaining = 0
            raise ConnectionError("connection closed before the request body was complete")
        self.remaining -= count
        return count

    def readable(self) -> bool:
        return True

    def discard(self, limit: int) -> bool:
        """Read and drop what is left, up to ``limit`` bytes; return whether all of it went."""
        if self.remaining > limit:
            return False
        while self.remaining > 0:
            self.read(min(self.remaining, 65536))
        return True


def read_chunked_body(reader: BinaryIO, spool_bytes: int = CHUNKED_SPOOL_BYTES,
                      max_bytes: Optional[int] = None, may_spool: bool = True) -> Tuple[BinaryIO, int]:
    """Decode a ``Transfer-Encoding: chunked`` request body; return it as a rewound file and its length.

    The body is kept in memory up to ``spool_bytes`` and in a temporary file
    beyond, so routes read it with a known length as if it had come with a
    ``Content-Length``. Trailer fields are read and dropped.

    The caps hold while reading, so nothing past them is read: over
    ``max_bytes`` (or over ``spool_bytes`` when ``may_spool`` is false, for
    routes that have not checked credentials yet) it raises ``BadRequest(413)``.
    """
    cap = max_bytes if max_bytes is not None else float("inf")
    if not may_spool:
        cap = min(cap, spool_bytes)
    body = tempfile.SpooledTemporaryFile(max_size=spool_bytes)
    length = 0
    try:
        while True:
            line = reader.readline(MAX_LINE_BYTES + 1)
            if not line.endswith(b"\n"):
                raise BadRequest(400, "malformed chunked body: a chunk size line is missing or too long")
            size_text = line.split(b";", 1)[0].strip()
            if not size_text or size_text.strip(b"0123456789abcdefABCDEF"):
                raise BadRequest(400, "malformed chunked body: %r is not a chunk size" % size_text[:32])
            size = int(size_text, 16)
            if size == 0:
                break
            if length + size > cap:
                raise BadRequest(413, "request body too large: the limit of this route is %d bytes" % cap)
            remaining = size
            while remaining:
                data = reader.read(min(remaining, 1024 * 1024))
                if not data:
                    raise ConnectionError("connection closed before the request body was complete")
                body.write(data)
                remaining -= len(data)
            if reader.readline(3) not in (b"\r\n", b"\n"):
                raise BadRequest(400, "malformed chunked body: a chunk does not end with its line break")
            length += size
        read_header_lines(reader)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body, length



def read_header_lines(reader: BinaryIO) -> list:
    """The raw header lines after the request line, up to the blank line.

    Fast path: a client sends its whole head in one packet, so it is usually
    already buffered; it is then taken in one read and split, instead of one
    ``readline`` per header (this is most of the server's own cost per RPC).
    """
    buffered = reader.peek(MAX_LINE_BYTES)
    if buffered[:2] == b"\r\n":
        reader.read(2)
        return []
    end = buffered.find(b"\r\n\r\n")
    if end >= 0:
        lines = reader.read(end + 4)[:-4].split(b"\r\n")
        if len(lines) > MAX_HEADER_COUNT:
            raise BadRequest(431, "too many header fields")
        if end > MAX_LINE_BYTES and max(map(len, lines)) > MAX_LINE_BYTES:
            raise BadRequest(431, "header line too long")
        return lines
    lines = []
    while True:
        header_line = reader.readline(MAX_LINE_BYTES + 1)
        if len(header_line) > MAX_LINE_BYTES:
            raise BadRequest(431, "header line too long")
        if header_line in (b"\r\n", b"\n"):
            return lines
        if not header_line:
            raise ConnectionError("connection closed inside the request head")
        if len(lines) >= MAX_HEADER_COUNT:
            raise BadRequest(431, "too many header fields")
        lines.append(header_line.rstrip(b"\r\n"))
