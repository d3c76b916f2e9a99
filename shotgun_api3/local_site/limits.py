"""The resource limits of the local site's HTTP server, and the socket reader that enforces its deadlines.

A site on a shared network must not let one client hold memory, disk,
threads or sockets that others need. :class:`Limits` gathers every cap and
deadline in one settings object (documented in docs/local_site.rst,
"Security and limits"); :class:`DeadlineReader` is the raw stream under each
connection's buffered reader, so a deadline bounds a whole request head or
body however slowly its bytes trickle in (a per-read timeout alone lets a
client send one byte a second for ever).
"""
from __future__ import annotations

import io
import socket
import time
from dataclasses import dataclass
from typing import Optional

_monotonic = time.monotonic


@dataclass
class Limits:
    """Caps and deadlines of one server; every field is a setting.

    - ``max_connections``: connections served at once (a thread each). At the
      cap a new connection closes the one idle the longest (a kept-alive
      connection waiting for its next request); only when every connection is
      busy is the new one answered 503.
    - ``idle_timeout``: seconds a kept-alive connection may wait for its next request line.
    - ``head_timeout``: seconds for the whole request head (headers after the request line) and a TLS handshake.
    - ``body_timeout`` and ``min_body_rate``: a body must arrive within
      ``max(body_timeout, length / min_body_rate)`` seconds of its head.
    - ``max_body_bytes``: the largest body of any request; routes set lower caps
      (the JSON API its ``max_request_bytes``, forms a few MiB).
    - ``chunked_memory_bytes``: a chunked body is decoded in memory up to this;
      beyond it only routes that allow spooling (none that need credentials) take it.
    - ``send_timeout``: seconds a send to a client that does not read may block.
    """

    max_connections: int = 512
    idle_timeout: float = 300.0
    head_timeout: float = 10.0
    body_timeout: float = 60.0
    min_body_rate: float = 100 * 1024
    max_body_bytes: int = 64 * 1024 ** 3
    chunked_memory_bytes: int = 8 * 1024 * 1024
    send_timeout: float = 300.0

    def body_deadline(self, length: int, now: Optional[float] = None) -> float:
        """The monotonic time by which a body of ``length`` bytes must have arrived."""
        seconds = max(self.body_timeout, length / self.min_body_rate if self.min_body_rate > 0 else 0.0)
        return (_monotonic() if now is None else now) + seconds


class DeadlineExpired(TimeoutError):
    """A request head or body did not arrive in time; the connection is closed."""


class DeadlineReader(io.RawIOBase):
    """A raw stream over a socket whose reads all end by ``deadline`` (a monotonic time, or None).

    Each read sets the socket's timeout to what is left, so however the
    peer splits its bytes, waiting stops at the deadline.
    """

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self.deadline: Optional[float] = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        deadline = self.deadline
        if deadline is not None:
            remaining = deadline - _monotonic()
            if remaining <= 0:
                raise DeadlineExpired("the request did not arrive in time")
            self._sock.settimeout(remaining)
        try:
            return self._sock.recv_into(buffer)
        except socket.timeout:
            raise DeadlineExpired("the request did not arrive in time") from None
