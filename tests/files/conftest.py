"""Fixtures for the file-transfer tests: a client with the file methods, a stub HTTP server."""
from __future__ import annotations

import pytest

import shotgun_api3
from shotgun_api3.shotgun import ServerCapabilities

from .stub_server import StubServer


def make_client(server: str = "127.0.0.1:9", scheme: str = "http", server_info: dict | None = None):
    """The real ``Shotgun`` client, with the site's ``info`` answer given instead of fetched.

    Seam tests exercise the file transport only: the RPC side never reaches
    a network (the session token is known, capabilities are preset).
    """
    client = shotgun_api3.Shotgun("%s://%s" % (scheme, server), script_name="scr", api_key="key123", connect=False)
    client.BACKOFF = 0
    client.config.session_token = "SESSION-TOKEN"
    set_server_info(client, server_info or {"version": [8, 50, 0]})
    return client


def set_server_info(client, info: dict) -> None:
    """Make ``client`` see ``info`` as the site's ``info`` answer."""
    client._server_caps = ServerCapabilities(client.config.server, dict(info))


@pytest.fixture
def stub_server():
    with StubServer() as server:
        yield server


@pytest.fixture
def client(stub_server):
    return make_client(server=stub_server.netloc)


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 4)
    return path
