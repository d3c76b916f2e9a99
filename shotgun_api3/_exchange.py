"""One HTTP/1.1 request and its answer on an already open keep-alive socket, without http.client's objects.

For every request http.client builds a request in several sends, a file
object over the socket, an ``email`` parser for the headers and a response
object: on loopback that is most of the client's time per RPC. This module
does the same exchange with one ``sendall`` and a plain byte buffer, giving
the same bytes on the wire and the same ``httplib2.Response``. It handles
only the steady state: the connection is open, the request is a plain one;
everything else (connecting, odd headers, debug output) goes through
httplib2 and http.client as before, as does the re-send of a read whose
kept-alive connection turned out to be dead.
"""
from __future__ import annotations

import http.client
import socket
import time
from typing import Any

import httplib2

_MAX_LINE = 65536
_MAX_HEADERS = 100
_RECV_SIZE = 65536
# Request headers the lean path leaves to http.client (it would treat them specially).
_SPECIAL_HEADERS = ("host", "content-length", "transfer-encoding")
_NO_BODY_STATUSES = frozenset({204, 304})


class StaleConnection(Exception):
    """No valid status line came back (the kept-alive connection was dead); carries http.client's error."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def encode_request(conn: Any, method: str, request_uri: str, body: Any, headers: dict) -> Any:
    """The request bytes http.client would send for ``conn.request(...)``, or ``None`` if it is not a plain one.

    ``headers`` are httplib2's (lower-case names, ``accept-encoding`` set).
    Anything http.client would treat specially or reject is left to it.
    """
    if body is not None and not isinstance(body, bytes):
        return None
    if "accept-encoding" not in headers or any(name in headers for name in _SPECIAL_HEADERS):
        return None
    host = conn.host
    if not (_plain(method) and _plain(request_uri) and _plain(host)) or not request_uri.startswith("/"):
        return None
    if ":" in host:
        host = "[%s]" % host
    if conn.port != conn.default_port:
        host = "%s:%s" % (host, conn.port)
    lines = ["%s %s HTTP/1.1" % (method, request_uri), "Host: " + host]
    if body is not None or method.upper() in ("POST", "PUT", "PATCH"):
        lines.append("Content-Length: %d" % (len(body) if body is not None else 0))
    for name, value in headers.items():
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not _plain(name) or ":" in name or "\r" in value or "\n" in value:
            return None
        lines.append("%s: %s" % (name, value))
    lines.append("\r\n")
    try:
        head = "\r\n".join(lines).encode("latin-1")
    except UnicodeEncodeError:
        return None
    return head + body if body else head


def _plain(text: Any) -> bool:
    """Printable ASCII without spaces (request line parts, header names)."""
    return isinstance(text, str) and bool(text) and text.isascii() and text.isprintable() and " " not in text


def exchange(conn: Any, request: bytes, method: str, deadline: Any = None) -> tuple:
    """Send ``request`` on ``conn.sock`` and read the answer: ``(httplib2.Response, body bytes)``.

    With a ``deadline`` (a ``time.monotonic()`` value), sending and each
    read get only what is left of it; past it, ``socket.timeout``.

    Raises :class:`StaleConnection` where http.client raises
    ``BadStatusLine`` (the connection ended before the answer, or the answer
    is not HTTP), other errors as http.client raises them. The connection is closed when the site asks for
    it, when the answer is read up to the end of the connection, and on errors.
    """
    sock = conn.sock
    if deadline is not None:
        sock.settimeout(_time_left(deadline))
    sock.sendall(request)
    reader = _Reader(sock, deadline)
    try:
        try:
            status_line = reader.line()
            if not status_line:
                raise http.client.RemoteDisconnected("Remote end closed connection without response")
            version, status, reason = _parse_status(status_line)
            while status == 100:
                reader.headers()
                version, status, reason = _parse_status(reader.line())
        except http.client.BadStatusLine as error:
            # httplib2 sends a request again once after this (only), whatever the method.
            raise StaleConnection(error) from None
        headers = reader.headers()
        will_close = _will_close(version, headers)
        if method == "HEAD" or status in _NO_BODY_STATUSES or 100 <= status < 200:
            content = b""
        elif headers.get("transfer-encoding", "").lower().strip() == "chunked":
            content = reader.chunked()
        else:
            length = _content_length(headers)
            if length is None:
                will_close = True
                content = reader.until_closed()
            else:
                content = reader.exactly(length)
        if will_close or reader.leftover():
            conn.close()
    except BaseException:
        conn.close()
        raise
    response = httplib2.Response({})
    response.update(headers)  # not Response(headers): a "Status" header of the site must not be parsed
    response["status"] = str(status)
    response.status = status
    response.reason = reason
    response.version = version
    return response, content


def _parse_status(line: bytes) -> tuple:
    """``(version 10|11, status, reason)`` from a status line, as http.client reads it."""
    text = line.decode("iso-8859-1")
    parts = text.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise http.client.BadStatusLine(text)
    version_text, status_text = parts[0], parts[1]
    reason = parts[2].strip() if len(parts) > 2 else ""
    if version_text in ("HTTP/1.0", "HTTP/0.9"):
        version = 10
    elif version_text.startswith("HTTP/1."):
        version = 11
    else:
        raise http.client.UnknownProtocol(version_text)
    if len(status_text) != 3 or not status_text.isdigit():
        raise http.client.BadStatusLine(text)
    status = int(status_text)
    if status < 100 or status > 999:
        raise http.client.BadStatusLine(text)
    return version, status, reason


def _will_close(version: int, headers: dict) -> bool:
    connection = headers.get("connection", "").lower()
    if "close" in connection:
        return True
    if version == 11:
        return False
    return "keep-alive" not in connection and "keep-alive" not in headers


def _content_length(headers: dict) -> Any:
    value = headers.get("content-length")
    if value is None:
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


def _time_left(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise socket.timeout("timed out")
    return remaining


class _Reader:
    """Buffered reads from a socket: lines, header blocks, fixed lengths, chunks; each under the deadline."""

    def __init__(self, sock: socket.socket, deadline: Any = None) -> None:
        self._sock = sock
        self._buffer = b""
        self._eof = False
        self._deadline = deadline

    def _arm(self) -> None:
        """Give the next read what is left of the deadline (one socket timeout bounds one read only)."""
        if self._deadline is not None:
            self._sock.settimeout(_time_left(self._deadline))

    def _fill(self) -> bool:
        if self._eof:
            return False
        self._arm()
        data = self._sock.recv(_RECV_SIZE)
        if not data:
            self._eof = True
            return False
        self._buffer += data
        return True

    def line(self) -> bytes:
        """One line including its ending (empty at the end of the connection)."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line, self._buffer = self._buffer[:end + 1], self._buffer[end + 1:]
                if len(line) > _MAX_LINE:
                    raise http.client.LineTooLong("header line")
                return line
            if len(self._buffer) > _MAX_LINE:
                raise http.client.LineTooLong("header line")
            if not self._fill():
                line, self._buffer = self._buffer, b""
                return line

    def headers(self) -> dict:
        """A header block as ``{lower-case name: value}`` (repeated names joined with ", ", like httplib2)."""
        headers: dict = {}
        name = None
        count = 0
        while True:
            line = self.line()
            if line in (b"\r\n", b"\n", b""):
                return headers
            count += 1
            if count > _MAX_HEADERS:
                raise http.client.HTTPException("got more than %d headers" % _MAX_HEADERS)
            text = line.decode("iso-8859-1").rstrip("\r\n")
            if text[:1] in (" ", "\t") and name is not None:
                headers[name] += "\r\n" + text  # a folded continuation line, kept as the email parser keeps it
                continue
            key, colon, value = text.partition(":")
            if not colon:
                continue
            name = key.lower()
            value = value.lstrip(" \t")
            previous = headers.get(name)
            headers[name] = value if previous is None else previous + ", " + value

    def exactly(self, length: int) -> bytes:
        """``length`` body bytes; fewer before the end of the connection is an ``IncompleteRead``."""
        buffered = len(self._buffer)
        if buffered >= length:
            data, self._buffer = self._buffer[:length], self._buffer[length:]
            return data
        body = bytearray(length)
        view = memoryview(body)
        view[:buffered] = self._buffer
        self._buffer = b""
        got = buffered
        while got < length:
            self._arm()
            count = self._sock.recv_into(view[got:])
            if not count:
                self._eof = True
                raise http.client.IncompleteRead(bytes(view[:got]), length - got)
            got += count
        return bytes(body)

    def until_closed(self) -> bytes:
        parts = [self._buffer]
        self._buffer = b""
        while not self._eof:
            self._arm()
            data = self._sock.recv(_RECV_SIZE)
            if not data:
                self._eof = True
                break
            parts.append(data)
        return b"".join(parts)

    def chunked(self) -> bytes:
        """A chunked body (chunk extensions and trailers are read and dropped)."""
        parts = []
        while True:
            size_line = self.line()
            size_text = size_line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise http.client.IncompleteRead(b"".join(parts)) from None
            if size == 0:
                break
            parts.append(self.exactly(size))
            self.line()  # the CRLF after the chunk
        while self.line() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(parts)

    def leftover(self) -> bool:
        """Whether bytes beyond the answer arrived (then the connection cannot be trusted for the next one)."""
        return bool(self._buffer)
