"""A raw-socket site on 127.0.0.1 that can fail in the ways a real network does, for fault and deadline tests.

``behaviour(payload, count)`` returns one of:

* ``("answer", status, json_answer)``: a normal keep-alive answer;
* ``("close",)``: close the connection once the request is read, without answering;
* ``("reset",)``: send the status line, headers and half the body, then reset the connection;
* ``("silent",)``: read the request and never answer (until the site stops);
* ``("drip", json_answer, interval)``: send the answer one byte every ``interval`` seconds.

``count`` is the number of requests of that method so far (1 for the first).
"""
from __future__ import annotations

import json
import socket
import struct
import threading
from typing import Any, Callable

INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 500}


class FaultySite:
    def __init__(self, behaviour: Callable) -> None:
        self.behaviour = behaviour
        self.requests: list = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.drips_finished = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self._threads: list = []

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self._listener.getsockname()[1]

    def calls(self, method: str) -> list:
        with self.lock:
            return [payload for payload in self.requests if payload["method_name"] == method]

    def __enter__(self) -> "FaultySite":
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopped.set()
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        buffer = b""
        try:
            while not self.stopped.is_set():
                request, buffer = _read_request(conn, buffer, self.stopped)
                if request is None:
                    return
                payload = json.loads(request)
                with self.lock:
                    self.requests.append(payload)
                    count = sum(1 for p in self.requests if p["method_name"] == payload["method_name"])
                if payload["method_name"] == "info":
                    _send_answer(conn, 200, INFO)
                    continue
                action = self.behaviour(payload, count)
                kind = action[0]
                if kind == "answer":
                    _send_answer(conn, action[1], action[2])
                elif kind == "close":
                    return
                elif kind == "reset":
                    body = json.dumps(action[1] if len(action) > 1 else {"results": {}}).encode()
                    conn.sendall(_head(200, len(body)) + body[: len(body) // 2])
                    # SO_LINGER with a zero timeout: close() sends a reset instead of a FIN.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                elif kind == "silent":
                    self.stopped.wait()
                    return
                elif kind == "drip":
                    body = json.dumps(action[1]).encode()
                    data = _head(200, len(body)) + body
                    for index in range(len(data)):
                        if self.stopped.wait(action[2]):
                            return
                        try:
                            conn.sendall(data[index:index + 1])
                        except OSError:
                            return  # the client gave up
                    with self.lock:
                        self.drips_finished += 1
        finally:
            conn.close()


def _read_request(conn: socket.socket, buffer: bytes, stopped: threading.Event) -> tuple:
    """``(body, rest)`` of the next request on ``conn``; ``(None, b"")`` when it closes or the site stops."""
    while b"\r\n\r\n" not in buffer:
        data = _recv(conn, stopped)
        if not data:
            return None, b""
        buffer += data
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < length:
        data = _recv(conn, stopped)
        if not data:
            return None, b""
        buffer += data
    return buffer[:length], buffer[length:]


def _recv(conn: socket.socket, stopped: threading.Event) -> bytes:
    while not stopped.is_set():
        try:
            return conn.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return b""
    return b""


def _head(status: int, length: int) -> bytes:
    reason = {200: "OK", 502: "Bad Gateway", 504: "Gateway Timeout"}.get(status, "Status")
    return ("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % (status, reason, length)).encode("ascii")


def _send_answer(conn: socket.socket, status: int, answer: Any) -> None:
    body = json.dumps(answer).encode()
    conn.sendall(_head(status, len(body)) + body)
