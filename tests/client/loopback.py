"""Loopback servers for transport tests: a JSON-RPC site (HTTP or HTTPS) and a CONNECT proxy."""
from __future__ import annotations

import json
import select
import socket
import socketserver
import ssl
import threading
import time
from typing import Any, Callable

from tests.support.fake_server import CLOSE, Answer, FakeServer, Recorded, ServerFace

INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 500}


class Drop(Exception):
    """Raised by a behaviour to close the connection without answering."""


class LoopbackSite(ServerFace):
    """A JSON-RPC site on the suite's one fake server (``tests/support/fake_server.py``).

    ``behaviour(payload, count)`` returns ``(status, headers, answer)`` or
    raises :class:`Drop`; ``count`` is the number of calls of that method so
    far. ``info`` is answered from :data:`INFO`. ``requests`` holds one dict
    per call: ``payload``, ``headers``, ``client`` (address), ``thread``.
    """

    def __init__(self, behaviour: Callable, tls_context: ssl.SSLContext | None = None) -> None:
        self.behaviour = behaviour
        self.requests: list = []
        self.lock = threading.Lock()
        self.tls_context = tls_context
        self._server = FakeServer(self._route, tls_context=tls_context)

    def _route(self, request: Recorded) -> Any:
        payload = json.loads(request.body)
        with self.lock:
            self.requests.append({"payload": payload, "headers": request.headers, "client": request.client,
                                  "thread": request.thread})
            count = sum(1 for r in self.requests if r["payload"]["method_name"] == payload["method_name"])
        if payload["method_name"] == "info":
            return _json_answer(200, {}, INFO)
        try:
            code, headers, answer = self.behaviour(payload, count)
        except Drop:
            return CLOSE
        return _json_answer(code, headers, answer)

    @property
    def server_address(self) -> tuple:
        host, _, port = self._server.netloc.partition(":")
        return host, int(port)

    def calls(self, method: str | None = None) -> list:
        return [r for r in self.requests if method is None or r["payload"]["method_name"] == method]



def _json_answer(code: int, headers: dict | None, answer: Any) -> Answer:
    pairs = [("Content-Type", "application/json")] + list((headers or {}).items())
    return Answer(code, json.dumps(answer).encode(), pairs)


class ConnectProxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy that only does ``CONNECT`` tunnelling; records request lines and auth headers."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, required_auth: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.required_auth = required_auth
        self.connects: list = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> "ConnectProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()
        self.server_close()


class _ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        request_line = self.rfile.readline().decode("latin-1").strip()
        headers = {}
        while True:
            line = self.rfile.readline().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        self.server.connects.append({"line": request_line, "headers": headers})
        given = headers.get("proxy-authorization", "")
        if self.server.required_auth and given.lower() != self.server.required_auth.lower():
            self.wfile.write(b"HTTP/1.1 407 Proxy Auth Required\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = request_line.split()[1].rpartition(":")
        upstream = socket.create_connection((host, int(port)))
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 5)
                if not readable:
                    break
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()


def ok(answer: Any) -> Callable:
    """A behaviour that answers every call with ``{"results": answer}``."""
    return lambda payload, count: (200, {}, {"results": answer})


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)
