"""A fake site at the ``_http_request`` seam: records each request and answers from a script."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest

import shotgun_api3

SITE = "https://site.example.com"
INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 500, "s3_direct_uploads_enabled": False}


class FakeSite:
    """Stands in for the HTTP layer of one client.

    ``answer(x)`` queues an answer: a dict/list/str/bool is sent as a JSON
    ``results`` value unless it is already a full envelope; ``raw()`` queues
    an exact ``(status, headers, body)``. ``info`` calls are answered from
    ``self.info`` without consuming the queue.
    """

    def __init__(self, info: dict | None = None) -> None:
        self.info = dict(INFO if info is None else info)
        self.queue: list = []
        self.requests: list = []
        self.handler: Callable | None = None

    def answer(self, results: Any) -> "FakeSite":
        self.queue.append(((200, "OK"), {"content-type": "application/json"}, json.dumps({"results": results})))
        return self

    def answer_envelope(self, envelope: Any) -> "FakeSite":
        self.queue.append(((200, "OK"), {"content-type": "application/json"}, json.dumps(envelope)))
        return self

    def raw(self, status: tuple, headers: dict, body: Any) -> "FakeSite":
        self.queue.append((status, headers, body))
        return self

    def __call__(self, verb: str, path: str, body: bytes, headers: dict) -> tuple:
        payload = json.loads(body) if body else None
        self.requests.append({"verb": verb, "path": path, "body": body, "headers": headers, "payload": payload})
        if payload and payload["method_name"] == "info":
            return (200, "OK"), {"content-type": "application/json"}, json.dumps(self.info).encode()
        if self.handler is not None:
            return self.handler(payload)
        status, headers, content = self.queue.pop(0)
        if isinstance(content, str):
            content = content.encode("utf-8")
        return status, headers, content

    @property
    def calls(self) -> list:
        """Payloads of every non-info request, in order."""
        return [r["payload"] for r in self.requests if r["payload"] and r["payload"]["method_name"] != "info"]

    @property
    def last_params(self) -> Any:
        """The method params (second element) of the last non-info call."""
        params = self.calls[-1]["params"]
        return params[1] if len(params) > 1 else None


@pytest.fixture
def site() -> FakeSite:
    return FakeSite()


@pytest.fixture
def sg(site: FakeSite) -> shotgun_api3.Shotgun:
    client = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    client._http_request = site
    client.BACKOFF = 0
    client.config.rpc_attempt_interval = 0
    return client


AUTH = {"script_name": "scr", "script_key": "key123"}
