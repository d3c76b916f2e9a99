"""The one fake HTTP server of the test suite: real sockets on 127.0.0.1, answers from a route, faults on demand.

``FakeServer(route)`` listens on an ephemeral port (plain or TLS), reads each
HTTP/1.1 request (``Content-Length`` or chunked bodies, keep-alive), records
it, and answers what ``route(request)`` returns:

* an :class:`Answer` (status, body, headers; ``close=True`` ends the connection after it);
* :data:`CLOSE`: close the connection without answering;
* :class:`Reset`: send the status line, headers and part of the body, then reset the connection;
* :data:`SILENT`: never answer (until the server stops);
* :class:`Drip`: send an answer one byte every ``interval`` seconds.

The client tests' JSON-RPC site (``tests/client/loopback.py``), their fault
site (``tests/client/faulty_site.py``) and the file tests' stub
(``tests/files/stub_server.py``) are routes on this server.
"""
from __future__ import annotations

import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Recorded:
    """One request as the server read it (header names lower-cased)."""

    method: str
    path: str
    headers: Dict[str, str]
    body: bytes
    client: Tuple[str, int] = ("", 0)
    thread: str = ""


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: List[Tuple[str, str]] = field(default_factory=list)
    close: bool = False


@dataclass
class Reset:
    """Send the head and ``body[:len(body) // 2]`` of ``answer``, then reset the connection."""

    answer: Answer


@dataclass
class Drip:
    """Send ``answer`` one byte every ``interval`` seconds."""

    answer: Answer
    interval: float


CLOSE = object()
SILENT = object()

Action = Union[Answer, Reset, Drip, object]


class FakeServer:
    """A threaded HTTP/1.1 server on 127.0.0.1:<ephemeral>; see the module docstring."""

    def __init__(self, route: Callable[[Recorded], Action], tls_context: Optional[ssl.SSLContext] = None,
                 keep_bodies: bool = True) -> None:
        self.route = route
        self.tls_context = tls_context
        self.keep_bodies = keep_bodies
        self.requests: List[Recorded] = []
        self.body_sizes: List[int] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.drips_finished = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self._threads: List[threading.Thread] = []
        self._connections: List[socket.socket] = []

    @property
    def netloc(self) -> str:
        return "127.0.0.1:%d" % self._listener.getsockname()[1]

    @property
    def url(self) -> str:
        return ("https://" if self.tls_context else "http://") + self.netloc

    def __enter__(self) -> "FakeServer":
        thread = threading.Thread(target=self._accept_loop, daemon=True, name="fake-server-accept")
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        with self.lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    # --- serving -------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, address = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn, address), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket, address: Tuple[str, int]) -> None:
        if self.tls_context is not None:
            try:
                conn.settimeout(5)
                conn = self.tls_context.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                return  # failed handshakes are what some TLS tests want
        with self.lock:
            self._connections.append(conn)
        conn.settimeout(0.2)
        reader = _Reader(conn, self.stopped)
        try:
            while not self.stopped.is_set():
                request = reader.request(self.keep_bodies)
                if request is None:
                    return
                method, path, headers, body, size = request
                recorded = Recorded(method, path, headers, body, address, threading.current_thread().name)
                with self.lock:
                    self.requests.append(recorded)
                    self.body_sizes.append(size)
                if not self._act(conn, self.route(recorded)) or headers.get("connection", "").lower() == "close":
                    return
        finally:
            with self.lock:
                if conn in self._connections:
                    self._connections.remove(conn)
            conn.close()

    def _act(self, conn: socket.socket, action: Action) -> bool:
        """Carry out one route answer; ``False`` when the connection must end."""
        if action is CLOSE:
            return False
        if action is SILENT:
            self.stopped.wait()
            return False
        if isinstance(action, Reset):
            data = _encoded(action.answer)
            conn.sendall(data[:len(data) - len(action.answer.body) // 2 - len(action.answer.body) % 2])
            # SO_LINGER with a zero timeout: close() sends a reset instead of a FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if isinstance(action, Drip):
            data = _encoded(action.answer)
            for index in range(len(data)):
                if self.stopped.wait(action.interval):
                    return False
                try:
                    conn.sendall(data[index:index + 1])
                except OSError:
                    return False  # the client gave up
            with self.lock:
                self.drips_finished += 1
            return True
        assert isinstance(action, Answer), action
        try:
            conn.sendall(_encoded(action))
        except OSError:
            return False
        return not action.close


class ServerFace:
    """A test server built on a :class:`FakeServer` (``self._server``): its address and its ``with`` block."""

    _server: FakeServer

    @property
    def netloc(self) -> str:
        return self._server.netloc

    @property
    def url(self) -> str:
        return self._server.url

    def __enter__(self) -> Any:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.stop()


def _encoded(answer: Answer) -> bytes:
    names = {name.lower() for name, _ in answer.headers}
    lines = ["HTTP/1.1 %d %s" % (answer.status, REASONS.get(answer.status, "Status"))]
    lines += ["%s: %s" % (name, value) for name, value in answer.headers]
    if "content-type" not in names:
        lines.append("Content-Type: text/plain")
    if "content-length" not in names:
        lines.append("Content-Length: %d" % len(answer.body))
    if answer.close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + answer.body


class _Reader:
    """Reads HTTP/1.1 requests off one connection (a buffer kept between keep-alive requests)."""

    def __init__(self, conn: socket.socket, stopped: threading.Event) -> None:
        self.conn = conn
        self.stopped = stopped
        self.buffer = b""

    def request(self, keep_body: bool) -> Optional[Tuple[str, str, Dict[str, str], bytes, int]]:
        """``(method, path, headers, body, body size)``, or ``None`` when the connection or the server ends."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                return None
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        headers: Dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._chunked()
        else:
            body = self._exactly(int(headers.get("content-length") or 0), keep_body)
        if body is None:
            return None
        size = body if isinstance(body, int) else len(body)
        return method, path, headers, (b"" if isinstance(body, int) else body), size

    def _fill(self) -> bool:
        while not self.stopped.is_set():
            try:
                data = self.conn.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return False
            if not data:
                return False
            self.buffer += data
            return True
        return False

    def _exactly(self, length: int, keep: bool) -> Optional[Union[bytes, int]]:
        if keep:
            while len(self.buffer) < length:
                if not self._fill():
                    return None
            body, self.buffer = self.buffer[:length], self.buffer[length:]
            return body
        received = 0  # count the bytes without holding them (memory tests)
        while received < length:
            if not self.buffer and not self._fill():
                return None
            taken = min(length - received, len(self.buffer))
            received += taken
            self.buffer = self.buffer[taken:]
        return received

    def _chunked(self) -> Optional[bytes]:
        body = b""
        while True:
            while b"\r\n" not in self.buffer:
                if not self._fill():
                    return None
            size_line, _, self.buffer = self.buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            chunk = self._exactly(size + 2, True)
            if chunk is None:
                return None
            if size == 0:
                return body
            body += chunk[:size]
