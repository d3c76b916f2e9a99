"""What one request of the client is, handed explicitly from the RPC pipeline down to the sockets.

The RPC pipeline makes an :class:`RpcCall` per RPC; ``_make_call`` makes
one for a request it is given on its own. The retry loops count tries on
it, the connection classes read whether it is a write and its deadline and
record whether its bytes may have left. The reference's seams between
those layers (``_make_call``, ``_http_request``, ``Http.request``) have
fixed signatures, so the call crosses them on the objects that are
already the calling thread's own: the client's per-thread slot (see
``ConnectionMethods._current_call``) and the thread's ``Http`` object.
"""
from __future__ import annotations

import time
from typing import Any, Optional


class RpcCall:
    """One request in flight: what it is, how many times it was tried, whether it may have reached the site."""

    __slots__ = ("method", "write", "attempt", "sent", "deadline")

    def __init__(self, method: Optional[str], write: bool) -> None:
        self.method = method
        #: Must never be sent twice once it may have reached the site.
        self.write = write
        #: Requests tried so far for this call (the one counter every retry rule reads).
        self.attempt = 0
        #: Whether the bytes of the current try may have reached the site.
        self.sent = False
        #: ``time.monotonic()`` value the current try must finish by, or ``None``.
        self.deadline: Optional[float] = None

    def start_try(self, budget: Any) -> None:
        """Begin a try: nothing sent yet, ``budget`` seconds in all (``None``: no deadline)."""
        self.sent = False
        self.deadline = None if budget is None else time.monotonic() + budget
