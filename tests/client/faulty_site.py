"""A site on 127.0.0.1 that can fail in the ways a real network does, for fault and deadline tests.

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
import threading
from typing import Any, Callable

from tests.support.fake_server import CLOSE, SILENT, Answer, Drip, FakeServer, Recorded, Reset, ServerFace

INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 500}


class FaultySite(ServerFace):
    """A JSON-RPC site on the suite's one fake server (``tests/support/fake_server.py``) that fails on demand."""

    def __init__(self, behaviour: Callable) -> None:
        self.behaviour = behaviour
        self.requests: list = []
        self.lock = threading.Lock()
        self._server = FakeServer(self._route)

    @property
    def drips_finished(self) -> int:
        return self._server.drips_finished

    def calls(self, method: str) -> list:
        with self.lock:
            return [payload for payload in self.requests if payload["method_name"] == method]

    def _route(self, request: Recorded) -> Any:
        payload = json.loads(request.body)
        with self.lock:
            self.requests.append(payload)
            count = sum(1 for p in self.requests if p["method_name"] == payload["method_name"])
        if payload["method_name"] == "info":
            return _json(200, INFO)
        action = self.behaviour(payload, count)
        kind = action[0]
        if kind == "answer":
            return _json(action[1], action[2])
        if kind == "close":
            return CLOSE
        if kind == "reset":
            return Reset(_json(200, action[1] if len(action) > 1 else {"results": {}}))
        if kind == "silent":
            return SILENT
        if kind == "drip":
            return Drip(_json(200, action[1]), action[2])
        raise ValueError("unknown fault %r" % (kind,))


def _json(status: int, answer: Any) -> Answer:
    return Answer(status, json.dumps(answer).encode(), [("Content-Type", "application/json")])
