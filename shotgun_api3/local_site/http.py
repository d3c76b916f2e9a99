"""A small, fast HTTP/1.1 server: keep-alive, one thread per connection, TLS.

The local site needs only a handful of routes, but it must answer thousands
of small RPCs a second over kept-alive connections and stream gigabyte
uploads without holding them in memory. ``http.server`` parses every header
block through the email package and buffers poorly, so this module reads the
request line and headers itself and hands each request to one ``handler``
callable as a :class:`Request` whose body is a stream limited to its length.
"""
from __future__ import annotations

import io
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterable, Mapping, Optional, Tuple, Union
from urllib.parse import parse_qs, unquote

from .bodies import (CHUNKED_SPOOL_BYTES, MAX_HEADER_COUNT, MAX_LINE_BYTES, BadRequest, FileBody, LimitedBody,
                     read_chunked_body, read_header_lines)
from .limits import DeadlineExpired, DeadlineReader, Limits

__all__ = ["BadRequest", "BodyPolicy", "CHUNKED_SPOOL_BYTES", "FileBody", "HttpServer", "LimitedBody", "Limits",
           "MAX_HEADER_COUNT", "MAX_LINE_BYTES", "Request", "Response", "error_response", "read_chunked_body"]

LOG = logging.getLogger("shotgun_api3")

#: Defaults kept for callers of earlier releases; the settings live in :class:`Limits`.
IDLE_TIMEOUT_SECONDS = Limits.idle_timeout
MAX_CONNECTIONS = Limits.max_connections
#: Unread body bytes we are willing to discard to keep a connection alive.
MAX_DRAIN_BYTES = 64 * 1024 * 1024

_REASONS = {
    200: "OK", 201: "Created", 204: "No Content", 206: "Partial Content",
    301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 410: "Gone", 411: "Length Required",
    413: "Payload Too Large", 414: "URI Too Long", 416: "Range Not Satisfiable",
    431: "Request Header Fields Too Large", 500: "Internal Server Error",
    501: "Not Implemented", 503: "Service Unavailable",
}
# Status lines are static: build them once.
_STATUS_LINES = {code: ("HTTP/1.1 %d %s\r\n" % (code, reason)).encode("ascii") for code, reason in _REASONS.items()}


@dataclass
class Request:
    """One HTTP request as the route handlers see it."""

    method: str
    path: str
    query: dict
    headers: Mapping[str, str]
    body: BinaryIO
    content_length: int
    cookies: dict = field(default_factory=dict)
    client_address: str = ""


@dataclass
class Response:
    """What a handler answers; an iterable body is streamed."""

    status: int
    headers: list = field(default_factory=list)
    body: Union[bytes, Iterable[bytes]] = b""


Handler = Callable[[Request], Response]
#: ``policy(method, path) -> (max body bytes, whether a chunked body may spool to disk)``, decided from the head.
BodyPolicy = Callable[[str, str], Tuple[int, bool]]


def parse_cookies(header: str) -> dict:
    """Parse a ``Cookie`` header into a name -> value dict."""
    cookies = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            cookies[name] = value.strip().strip('"')
    return cookies


def error_response(status: int, message: str) -> Response:
    """A plain-text answer for transport-level errors (bad head, unknown route...)."""
    return Response(status, [("Content-Type", "text/plain; charset=utf-8")], (message + "\n").encode("utf-8"))


def _parse_header_lines(lines: list) -> dict:
    """Header lines to a dict with lower-case names; repeated headers are joined with ", "."""
    headers = {}
    if not lines:
        return headers
    # One decode for the whole head; no line can hold "\r\n", so the split
    # gives back exactly the lines read.
    for line in b"\r\n".join(lines).decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(400, "malformed header line")
        name = name.strip().lower()
        value = value.strip()
        if name in headers and name != "content-length":
            value = headers[name] + ", " + value
        headers[name] = value
    return headers


#: Encoded header blocks of the response header lists seen most (the JSON
#: API answers with the same one every time), so they are not re-encoded.
_HEADER_BLOCKS: dict = {}
_HEADER_BLOCKS_LIMIT = 64
_STATIC_HEADER_NAMES = frozenset(("content-type", "allow", "cache-control", "accept-ranges"))


def _header_block(headers: list) -> tuple:
    """``(whether a Content-Length is among them, the encoded header lines)`` of response headers."""
    key = tuple(headers)
    try:
        return _HEADER_BLOCKS[key]
    except (KeyError, TypeError):
        pass
    block = b"".join(("%s: %s\r\n" % (name, value)).encode("latin-1") for name, value in headers)
    has_length = any(name.lower() == "content-length" for name, _ in headers)
    # Per-answer values (cookies, ETags, ranges...) are not worth keeping,
    # and a cookie is a secret: only lists of static header kinds are.
    if len(_HEADER_BLOCKS) < _HEADER_BLOCKS_LIMIT and all(
            name.lower() in _STATIC_HEADER_NAMES for name, _ in headers):
        try:
            _HEADER_BLOCKS[key] = (has_length, block)
        except TypeError:
            pass
    return has_length, block


def io_buffered(raw: DeadlineReader) -> BinaryIO:
    """The buffered reader a connection parses requests from."""
    return io.BufferedReader(raw, 65536)


def _refuse(sock: socket.socket) -> None:
    """Answer 503 on a connection over the limit and close it, without a thread."""
    try:
        sock.settimeout(1.0)
        sock.sendall(_STATUS_LINES[503] + b"Content-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n")
    except OSError:
        pass
    finally:
        sock.close()


class _Connection:
    """One accepted client socket, served request after request on its own thread."""

    def __init__(self, server: "HttpServer", sock: socket.socket, address: str) -> None:
        self.server = server
        self.sock = sock
        self.address = address
        # Guarded by server._lock: idle connections are woken up at shutdown
        # (or closed to make room for a new one), busy ones finish their
        # current request first.
        self.busy = False
        self.idle_since = time.monotonic()
        self.evicted = False

    def serve(self) -> None:
        limits = self.server.limits
        try:
            if self.server.tls_context is not None:
                # The handshake is part of the first request's head: same deadline.
                self.sock.settimeout(limits.head_timeout)
                self.sock = self.server.tls_context.wrap_socket(self.sock, server_side=True)
            raw = DeadlineReader(self.sock)
            reader = io_buffered(raw)
            try:
                while self._serve_one(reader, raw):
                    pass
            finally:
                reader.close()
        except (OSError, ssl.SSLError, ConnectionError) as error:
            # DeadlineExpired is a TimeoutError, an OSError: a slow client is dropped here.
            LOG.debug("local site: connection from %s ended: %s", self.address, error)
        finally:
            self.server._forget(self)
            try:
                self.sock.close()
            except OSError:
                pass

    def _serve_one(self, reader: BinaryIO, raw: DeadlineReader) -> bool:
        """Serve one request; return whether the connection stays open."""
        limits = self.server.limits
        raw.deadline = time.monotonic() + limits.idle_timeout
        line = reader.readline(MAX_LINE_BYTES + 1)
        if not line:
            return False
        with self.server._lock:
            if self.server._stopping or self.evicted:
                return False
            self.busy = True
        keep_alive = False
        body = None
        try:
            raw.deadline = time.monotonic() + limits.head_timeout
            try:
                request, keep_alive, cap = self._read_head(line, reader, raw)
            except BadRequest as bad:
                keep_alive = False
                self._send(error_response(bad.status, str(bad)), keep_alive=False, head_only=False)
                return False
            body = request.body
            if request.headers.get("expect", "").lower() == "100-continue" and request.content_length <= cap:
                # curl and some HTTP stacks wait for this before sending a body
                # (never for one over the cap: its sender should not send it at all).
                self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if request.content_length > cap:
                # A body over the route's cap is never read: the answer goes, then the connection.
                request.body = LimitedBody(reader, 0)
                response = self.server.too_large(request, cap)
                keep_alive = False
            else:
                response = self.server.dispatch(request)
            if keep_alive and isinstance(body, LimitedBody) and not body.discard(MAX_DRAIN_BYTES):
                keep_alive = False
            # A plain read: the check under the lock below closes any race.
            if self.server._stopping:
                keep_alive = False
            raw.deadline = None
            self.sock.settimeout(limits.send_timeout)
            self._send(response, keep_alive, head_only=request.method == "HEAD")
        finally:
            if isinstance(body, LimitedBody):
                body.close()
            with self.server._lock:
                self.busy = False
                self.idle_since = time.monotonic()
                # stop() skips busy connections; one that turns idle after
                # stop() began must close itself rather than wait for a request.
                keep_alive = keep_alive and not self.server._stopping
        return keep_alive

    def _read_head(self, line: bytes, reader: BinaryIO, raw: DeadlineReader):
        """``(request, keep_alive, the body cap of its route)``; the body deadline is set on ``raw``."""
        if len(line) > MAX_LINE_BYTES:
            raise BadRequest(414, "request line too long")
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest(400, "malformed request line")
        method, target, version = parts
        headers = _parse_header_lines(read_header_lines(reader))
        path, _, query_string = target.partition("?")
        if "%" in path:
            path = unquote(path)
        method = method.upper()
        limits = self.server.limits
        cap, may_spool = self.server.body_policy(method, path)
        cap = min(cap, limits.max_body_bytes)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            if headers.pop("expect", "").lower() == "100-continue":
                self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            raw.deadline = limits.body_deadline(min(cap, limits.chunked_memory_bytes) if not may_spool else cap)
            source, length = read_chunked_body(reader, limits.chunked_memory_bytes, cap, may_spool)
            body = LimitedBody(source, length, owned=True)
        else:
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                raise BadRequest(400, "invalid Content-Length") from None
            if length < 0:
                raise BadRequest(400, "invalid Content-Length")
            raw.deadline = limits.body_deadline(min(length, cap))
            body = LimitedBody(reader, length)

        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.0":
            keep_alive = "keep-alive" in connection
        else:
            keep_alive = "close" not in connection

        query = parse_qs(query_string, keep_blank_values=True) if query_string else {}
        cookie_header = headers.get("cookie")
        request = Request(
            method=method,
            path=path,
            query=query,
            headers=headers,
            body=body,
            content_length=length,
            cookies=parse_cookies(cookie_header) if cookie_header else {},
            client_address=self.address,
        )
        return request, keep_alive, cap

    def _send(self, response: Response, keep_alive: bool, head_only: bool) -> None:
        status_line = _STATUS_LINES.get(response.status)
        if status_line is None:
            status_line = ("HTTP/1.1 %d Status %d\r\n" % (response.status, response.status)).encode("ascii")
        body = response.body
        has_length, header_block = _header_block(response.headers)
        head = [status_line, header_block]
        chunked = False
        if isinstance(body, (bytes, bytearray, memoryview)):
            if not has_length:
                head.append(b"Content-Length: %d\r\n" % len(body))
        elif not has_length:
            chunked = True
            head.append(b"Transfer-Encoding: chunked\r\n")
        head.append(b"Connection: keep-alive\r\n\r\n" if keep_alive else b"Connection: close\r\n\r\n")
        sock = self.sock
        if isinstance(body, (bytes, bytearray, memoryview)):
            # One write for head and body: with TCP_NODELAY a split write
            # would cost a second packet on every small RPC answer.
            sock.sendall(b"".join(head) + (b"" if head_only else bytes(body)))
            return
        sock.sendall(b"".join(head))
        try:
            if head_only:
                return
            if isinstance(body, FileBody) and not chunked and not isinstance(sock, ssl.SSLSocket):
                # The kernel copies the file to the socket; a file that ended
                # early leaves the answer short, so the connection must go.
                if sock.sendfile(body.file, 0, body.length) != body.length:
                    raise ConnectionError("the file being served ended early")
                return
            for piece in body:
                if not piece:
                    continue
                if chunked:
                    sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                else:
                    sock.sendall(piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()


class HttpServer:
    """Serve ``dispatch(request) -> Response`` over HTTP(S) with a thread per connection.

    ``start()`` runs the accept loop on a background thread; ``stop()`` stops
    accepting, lets requests in flight finish and closes idle connections.
    """

    def __init__(self, dispatch: Handler, host: str = "127.0.0.1", port: int = 0,
                 tls_context: Optional[ssl.SSLContext] = None, idle_timeout: Optional[float] = None,
                 max_connections: Optional[int] = None, limits: Optional[Limits] = None,
                 body_policy: Optional[BodyPolicy] = None,
                 too_large: Optional[Callable[[Request, int], Response]] = None) -> None:
        self.dispatch = dispatch
        self.limits = limits = Limits(**vars(limits)) if limits is not None else Limits()
        if idle_timeout is not None:
            limits.idle_timeout = idle_timeout
        if max_connections is not None:
            limits.max_connections = max_connections
        self.tls_context = tls_context
        self.body_policy: BodyPolicy = body_policy or (lambda method, path: (limits.max_body_bytes, True))
        self.too_large = too_large or (lambda request, cap: error_response(
            413, "request body too large: %d bytes, the limit of this route is %d" % (request.content_length, cap)))
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, port))
        self._listener.listen(128)
        self.host = host
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._connections: set = set()
        self._threads: set = set()
        self._stopping = False
        self._accept_thread: Optional[threading.Thread] = None

    @property
    def scheme(self) -> str:
        return "https" if self.tls_context is not None else "http"

    def start(self) -> None:
        """Start accepting connections on a background thread."""
        self._accept_thread = threading.Thread(target=self._accept_loop, name="local-site-accept", daemon=True)
        self._accept_thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                sock, address = self._listener.accept()
            except OSError as error:
                if self._stopping:
                    return  # the listener was closed by stop()
                # Out of file descriptors, a connection reset before accept...:
                # the server must outlive it.
                LOG.warning("local site: accept failed: %s", error)
                time.sleep(0.05)
                continue
            with self._lock:
                if self._stopping:
                    sock.close()
                    return
                if len(self._connections) >= self.limits.max_connections and not self._evict_idle():
                    _refuse(sock)
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                connection = _Connection(self, sock, "%s:%s" % address[:2])
                thread = threading.Thread(target=connection.serve, name="local-site-conn", daemon=True)
                self._connections.add(connection)
                self._threads.add(thread)
            thread.start()

    def _evict_idle(self) -> bool:
        """Close the connection idle the longest to make room (called under the lock); whether there was one."""
        idle = [c for c in self._connections if not c.busy]
        if not idle:
            return False
        oldest = min(idle, key=lambda c: c.idle_since)
        oldest.evicted = True
        self._connections.discard(oldest)
        try:
            # Wakes its thread, blocked reading the next request line, with an end of file.
            oldest.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        LOG.debug("local site: closed the idle connection from %s to make room", oldest.address)
        return True

    @property
    def max_connections(self) -> int:
        return self.limits.max_connections

    @property
    def idle_timeout(self) -> float:
        return self.limits.idle_timeout

    def _forget(self, connection: _Connection) -> None:
        with self._lock:
            self._connections.discard(connection)
            self._threads.discard(threading.current_thread())

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, finish requests in flight (up to ``timeout`` seconds), close every connection."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            idle = [c for c in self._connections if not c.busy]
            threads = list(self._threads)
        # shutdown() wakes the accept() blocked in the accept thread on Linux.
        for action in (lambda: self._listener.shutdown(socket.SHUT_RDWR), self._listener.close):
            try:
                action()
            except OSError:
                pass
        for connection in idle:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        if self._accept_thread is not None:
            self._accept_thread.join(timeout)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            leftovers = list(self._connections)
        for connection in leftovers:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
