"""The file tests' stub: the suite's one fake server (``tests/support/fake_server.py``) answering from a script.

``route(request) -> Answer`` decides each answer (reassignable while the
server runs); every answer closes its connection, as a storage server's
simple answers do.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, List, Optional

from tests.support.fake_server import Answer, FakeServer, Recorded, ServerFace

__all__ = ["Answer", "Recorded", "StubServer"]


class StubServer(ServerFace):
    """Serves on 127.0.0.1 with an ephemeral port; ``route(request) -> Answer`` decides each answer."""

    def __init__(self, route: Optional[Callable[[Recorded], Answer]] = None, keep_bodies: bool = True) -> None:
        self.route = route or (lambda request: Answer(body=b"1:1\n"))
        self._server = FakeServer(lambda request: replace(self.route(request), close=True), keep_bodies=keep_bodies)

    @property
    def requests(self) -> List[Recorded]:
        return self._server.requests

    @property
    def body_sizes(self) -> List[int]:
        return self._server.body_sizes

