"""Reading form posts from a request body stream, incrementally.

Upload forms carry files of any size, so the multipart reader never holds
more than about one read chunk of the body: text fields are collected (with a
size cap), and each file part is handed out as an iterator of byte chunks
that the caller streams to disk.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import BinaryIO, Dict, Iterator, Optional, Tuple

#: Bytes of a file part read from the request body at a time (one reused block).
#: Measured on loopback: 1 MB costs less CPU than 256 KB (more calls) and than
#: 4 MB (the block no longer stays in the CPU cache between receive and write).
READ_CHUNK = 1024 * 1024
#: Bytes read at a time while looking for part heads and reading text fields.
HEAD_READ = 64 * 1024
#: Caps on what is held in memory: the head of one part, one text field, a whole url-encoded form.
MAX_PART_HEAD = 16 * 1024
MAX_TEXT_FIELD = 1024 * 1024
MAX_URLENCODED_FORM = 4 * 1024 * 1024


class FormError(Exception):
    """The body is not a well-formed form (or breaks a size cap)."""


def read_urlencoded(body: BinaryIO, content_length: int) -> Dict[str, str]:
    """The fields of an ``application/x-www-form-urlencoded`` body (last value wins)."""
    if content_length > MAX_URLENCODED_FORM:
        raise FormError("form too large (%d bytes)" % content_length)
    data = body.read(content_length) if content_length else b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("form is not utf-8") from None
    return {key: value for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True)}


def multipart_boundary(content_type: str) -> Optional[bytes]:
    """The boundary of a ``multipart/form-data`` content type, or None for other types."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return None
    match = re.search(r'boundary="?([^";]+)"?', params)
    if not match or len(match.group(1)) > 200:
        raise FormError("multipart form without a usable boundary")
    return match.group(1).encode("latin-1")


def parse_disposition(value: str) -> Tuple[Optional[str], Optional[str]]:
    """``(name, filename)`` from a part's ``Content-Disposition`` header."""
    name = filename = None
    for match in re.finditer(r';\s*(name|filename)="((?:[^"\\]|\\.)*)"', value):
        text = match.group(2)
        # Browsers and our client percent-encode quotes and line breaks in names.
        text = text.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
        if match.group(1) == "name":
            name = text
        else:
            filename = text
    return name, filename


class MultipartReader:
    """Walks the parts of a ``multipart/form-data`` body.

    Use :meth:`parts`; each part's data iterator must be consumed (or is
    drained) before the next part is produced.
    """

    def __init__(self, body: BinaryIO, boundary: bytes, content_length: int) -> None:
        self._body = body
        self._remaining = content_length
        # A leading CRLF lets the first boundary match the same pattern as the others.
        self._buffer = bytearray(b"\r\n")
        self._delimiter = b"\r\n--" + boundary
        self._block: Optional[bytearray] = None

    def _fill(self) -> bool:
        if self._remaining <= 0:
            return False
        # Part heads and text fields are small: fill the buffer in small reads.
        data = self._body.read(min(READ_CHUNK, HEAD_READ, self._remaining))
        if not data:
            raise FormError("the form body ended early")
        self._remaining -= len(data)
        self._buffer += data
        return True

    def _need(self, count: int) -> None:
        while len(self._buffer) < count:
            if not self._fill():
                raise FormError("the form body ended early")

    def _skip_to_delimiter(self) -> None:
        for _ in self._part_data():
            pass

    def _buffered_step(self, delimiter: bytes) -> Iterator[bytes]:
        """Yield what the buffer holds before the delimiter; return True (via StopIteration) if it was found."""
        index = self._buffer.find(delimiter)
        if index >= 0:
            if index:
                yield bytes(self._buffer[:index])
            del self._buffer[:index + len(delimiter)]
            return True
        keep = len(delimiter) - 1
        if len(self._buffer) > keep:
            cut = len(self._buffer) - keep
            yield bytes(self._buffer[:cut])
            del self._buffer[:cut]
        return False

    def _part_data(self) -> Iterator[memoryview]:
        """Yield the bytes up to the next delimiter and consume the delimiter.

        Large parts are read straight into one reused block (``readinto``),
        the delimiter is looked for in what was read plus the few bytes kept
        from the previous block, and the data is handed out as views of the
        block: nothing is allocated or copied per chunk. A view is only valid
        until the next one is asked for.
        """
        delimiter = self._delimiter
        size = len(delimiter)
        keep = size - 1
        if (yield from self._buffered_step(delimiter)):
            return
        # The buffer now holds fewer than ``size`` bytes: the start of the block.
        block = self._reading_block(size)
        view = memoryview(block)
        filled = len(self._buffer)
        view[:filled] = self._buffer
        self._buffer = bytearray()
        while True:
            if self._remaining <= 0:
                raise FormError("the form body ended without its closing boundary")
            want = min(len(block) - filled, self._remaining)
            count = self._read_into(view[filled:filled + want])
            self._remaining -= count
            searched_from = max(0, filled - keep)
            filled += count
            index = block.find(delimiter, searched_from, filled)
            if index >= 0:
                if index:
                    yield view[:index]
                self._buffer = bytearray(view[index + size:filled])
                return
            if filled < len(block):
                if self._remaining > 0:
                    continue  # fill the block before handing it out
                raise FormError("the form body ended without its closing boundary")
            cut = filled - keep
            yield view[:cut]
            # Slide the possible start of a delimiter to the front of the block.
            tail = bytes(view[cut:filled])
            view[:keep] = tail
            filled = keep

    def _reading_block(self, delimiter_size: int) -> bytearray:
        """The reused read block, made on first use (at least a delimiter long, so every read makes progress)."""
        size = max(READ_CHUNK, delimiter_size)
        if self._block is None or len(self._block) != size:
            self._block = bytearray(size)
        return self._block

    def _read_into(self, target: memoryview) -> int:
        readinto = getattr(self._body, "readinto", None)
        if readinto is not None:
            count = readinto(target)
        else:
            data = self._body.read(len(target))
            count = len(data)
            target[:count] = data
        if not count:
            raise FormError("the form body ended early")
        return count

    def _read_head(self) -> Dict[str, str]:
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self._buffer) > MAX_PART_HEAD:
                raise FormError("a form part head is too large")
            if not self._fill():
                raise FormError("the form body ended inside a part head")
        head = bytes(self._buffer[:end]).decode("utf-8", "replace")
        del self._buffer[:end + 4]
        headers = {}
        for line in head.split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        return headers

    def parts(self) -> Iterator[Tuple[Dict[str, str], Iterator[memoryview]]]:
        """Yield ``(part headers, data chunks)`` for each part, in order.

        The chunks of a part are views valid until the next chunk is asked
        for: write them out or copy them (``bytes(chunk)``) to keep them.
        """
        self._skip_to_delimiter()
        while True:
            self._need(2)
            if self._buffer[:2] == b"--":
                return
            # The rest of the boundary line (transport padding, then CRLF).
            while True:
                line_end = self._buffer.find(b"\r\n")
                if line_end >= 0:
                    break
                if len(self._buffer) > MAX_PART_HEAD or not self._fill():
                    raise FormError("malformed boundary line")
            del self._buffer[:line_end + 2]
            # The part head starts right here; an empty head is a bare CRLF.
            if self._buffer[:2] == b"\r\n":
                del self._buffer[:2]
                headers: Dict[str, str] = {}
            else:
                headers = self._read_head()
            data = self._part_data()
            yield headers, data
            for _ in data:  # drain whatever the caller left unread
                pass


def read_text(data: Iterator[bytes]) -> str:
    """Collect a text part (capped at ``MAX_TEXT_FIELD`` bytes) as UTF-8 text."""
    collected = bytearray()
    for chunk in data:
        collected += chunk
        if len(collected) > MAX_TEXT_FIELD:
            raise FormError("a form field is too large")
    return collected.decode("utf-8", "replace")
