"""A small stdlib HTTP server for transport tests: records requests, answers from a script."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional, Tuple


@dataclass
class Recorded:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: List[Tuple[str, str]] = field(default_factory=list)


class StubServer:
    """Serves on 127.0.0.1 with an ephemeral port; ``route(request) -> Answer`` decides each answer."""

    def __init__(self, route: Optional[Callable[[Recorded], Answer]] = None, keep_bodies: bool = True) -> None:
        self.requests: List[Recorded] = []
        self.keep_bodies = keep_bodies
        self.body_sizes: List[int] = []
        self.route = route or (lambda request: Answer(body=b"1:1\n"))
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if stub.keep_bodies:
                    body = self.rfile.read(length) if length else b""
                    stub.body_sizes.append(len(body))
                else:
                    # Count the bytes without holding them (memory tests).
                    received = 0
                    while received < length:
                        received += len(self.rfile.read(min(65536, length - received)))
                    stub.body_sizes.append(received)
                    body = b""
                recorded = Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                stub.requests.append(recorded)
                answer = stub.route(recorded)
                self.send_response(answer.status)
                names = {name.lower() for name, _ in answer.headers}
                for name, value in answer.headers:
                    self.send_header(name, value)
                if "content-type" not in names:
                    self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    @property
    def netloc(self) -> str:
        return "127.0.0.1:%d" % self.server.server_address[1]

    @property
    def url(self) -> str:
        return "http://" + self.netloc

    def __enter__(self) -> "StubServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
