"""Fixtures for the file-transfer tests: a client with the file methods, a stub HTTP server."""
from __future__ import annotations

import types

import pytest

from shotgun_api3._files import FileTransferMethods

from .stub_server import StubServer


class SeamClient(FileTransferMethods):
    """The file methods on a client whose RPC-side collaborators are plain values.

    Seam tests need the transport only; the end-to-end tests use the real
    ``Shotgun`` against the local site.
    """

    MAX_ATTEMPTS = 3
    BACKOFF = 0
    _MULTIPART_UPLOAD_CHUNK_SIZE = 20000000

    def __init__(self, server: str = "127.0.0.1:9", scheme: str = "http", server_info: dict | None = None) -> None:
        self.config = types.SimpleNamespace(scheme=scheme, server=server, proxy_handler=None, raw_http_proxy=None)
        self.server_info = dict(server_info or {"version": [8, 50, 0]})
        self.server_caps = types.SimpleNamespace(version=tuple(self.server_info["version"]))
        self._user_agents = ["shotgun-json (3.10.3)", "Python 3 (test)"]
        self.session_token = "SESSION-TOKEN"
        self.session_token_calls = 0

    def _auth_params(self) -> dict:
        return {"script_name": "scr", "script_key": "key123"}

    def get_session_token(self) -> str:
        self.session_token_calls += 1
        return self.session_token


@pytest.fixture
def stub_server():
    with StubServer() as server:
        yield server


@pytest.fixture
def client(stub_server):
    return SeamClient(server=stub_server.netloc)


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 4)
    return path
