"""Real loopback servers for transport tests: a JSON-RPC site (HTTP or HTTPS) and a CONNECT proxy."""
from __future__ import annotations

import http.server
import json
import select
import socket
import socketserver
import ssl
import threading
import time
from typing import Any, Callable

INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 500}


class Drop(Exception):
    """Raised by a behaviour to close the connection without answering."""


class SiteHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("content-length", 0))
        body = self.rfile.read(length)
        payload = json.loads(body)
        server = self.server
        with server.lock:
            server.requests.append({
                "payload": payload,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "client": self.client_address,
                "thread": threading.current_thread().name,
            })
            count = sum(1 for r in server.requests if r["payload"]["method_name"] == payload["method_name"])
        if payload["method_name"] == "info":
            return self.send_json(INFO)
        try:
            action = server.behaviour(payload, count)
        except Drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        code, headers, answer = action
        self.send_json(answer, code, headers)

    def send_json(self, answer: Any, code: int = 200, headers: dict | None = None) -> None:
        data = json.dumps(answer).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


class LoopbackSite(http.server.ThreadingHTTPServer):
    """A site on 127.0.0.1:<ephemeral>; ``behaviour(payload, count)`` returns ``(status, headers, answer)``."""

    daemon_threads = True

    def __init__(self, behaviour: Callable, tls_context: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), SiteHandler)
        self.behaviour = behaviour
        self.requests: list = []
        self.lock = threading.Lock()
        self.tls_context = tls_context
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def get_request(self):
        sock, address = super().get_request()
        if self.tls_context is not None:
            sock = self.tls_context.wrap_socket(sock, server_side=True)
        return sock, address

    def handle_error(self, request, client_address):  # TLS handshakes that fail are expected in tests
        pass

    @property
    def url(self) -> str:
        scheme = "https" if self.tls_context else "http"
        return "%s://127.0.0.1:%d" % (scheme, self.server_address[1])

    def calls(self, method: str | None = None) -> list:
        return [r for r in self.requests if method is None or r["payload"]["method_name"] == method]

    def __enter__(self) -> "LoopbackSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()
        self.server_close()


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
