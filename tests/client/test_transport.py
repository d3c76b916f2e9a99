"""The RPC channel against real loopback servers: keep-alive, threads, proxy, TLS, timeouts, retries, write safety."""
from __future__ import annotations

import base64
import concurrent.futures
import socket
import ssl
import threading
import time

import pytest
import socks

import shotgun_api3

from .loopback import ConnectProxy, Drop, LoopbackSite, ok


def client(url, **kwargs):
    sg = shotgun_api3.Shotgun(url, "scr", "key123", connect=False, **kwargs)
    sg.BACKOFF = 0
    sg.config.rpc_attempt_interval = 0
    return sg


def read_page(entities, has_next=False):
    return {"results": {"entities": entities, "paging_info": {"has_next_page": has_next}}}


def test_calls_reuse_one_keep_alive_connection():
    with LoopbackSite(ok({"entities": [], "paging_info": {}})) as site:
        sg = client(site.url)
        for _ in range(4):
            sg.find("Shot", [])
        ports = {r["client"][1] for r in site.requests}
        assert len(site.requests) == 5  # info + 4 reads
        assert len(ports) == 1
        assert site.requests[1]["headers"]["connection"] == "keep-alive"
        assert site.requests[1]["headers"]["content-type"] == "application/json; charset=utf-8"
        assert "gzip" in site.requests[1]["headers"]["accept-encoding"]
        assert site.requests[1]["headers"]["user-agent"] == "; ".join(sg._user_agents)
        sg.close()
        sg.find("Shot", [])
        assert len({r["client"][1] for r in site.requests}) == 2


def test_each_thread_uses_its_own_connection_and_gets_its_own_answers():
    def behaviour(payload, count):
        params = payload["params"][1]
        if payload["method_name"] == "create":
            return 200, {}, {"results": {"type": params["type"], "id": params["fields"][0]["value"]}}
        code = params["filters"]["conditions"][0]["values"][0]
        return 200, {}, read_page([{"type": "Shot", "id": code}])

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        sg.info()

        def work(n):
            seen = []
            for i in range(10):
                seen.append(sg.find("Shot", [["id", "is", n * 100 + i]])[0]["id"])
                seen.append(sg.create("Shot", {"id": n * 100 + i})["id"])
            return seen, sg._connection

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(work, range(6)))
        for n, (seen, _connection) in enumerate(results):
            assert seen == [v for i in range(10) for v in (n * 100 + i, n * 100 + i)]
        assert len({id(connection) for _seen, connection in results}) == 6
        assert len(site.calls("create")) == 60
        sg.close()
        assert sg._connection is None


def test_reads_are_resent_after_502_but_writes_are_not():
    def behaviour(payload, count):
        if count == 1:
            return 502, {}, {}
        return 200, {}, read_page([]) if payload["method_name"] == "read" else {"results": {"type": "Shot", "id": 1}}

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        assert sg.find("Shot", []) == []
        assert len(site.calls("read")) == 2
        with pytest.raises(shotgun_api3.ProtocolError, match="may already have applied it"):
            sg.create("Shot", {"code": "x"})
        assert len(site.calls("create")) == 1


def test_503_with_retry_after_is_retried_for_writes():
    def behaviour(payload, count):
        if count == 1:
            return 503, {"Retry-After": "0"}, {}
        return 200, {}, {"results": {"type": "Shot", "id": 1}}

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        assert sg.create("Shot", {"code": "x"}) == {"type": "Shot", "id": 1}
        assert len(site.calls("create")) == 2


def test_a_write_whose_answer_is_lost_is_not_sent_again():
    def behaviour(payload, count):
        if payload["method_name"] == "create":
            raise Drop()
        return 200, {}, read_page([])

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        sg.find("Shot", [])  # the connection is now kept alive
        with pytest.raises((ConnectionError, OSError, Exception)) as raised:
            sg.create("Shot", {"code": "x"})
        assert not isinstance(raised.value, shotgun_api3.ShotgunError)
        time.sleep(0.2)
        assert len(site.calls("create")) == 1
        # The client recovers for the next call.
        assert sg.find("Shot", []) == []


def test_a_read_whose_answer_is_lost_is_sent_again_by_the_http_layer():
    def behaviour(payload, count):
        if count == 1:
            raise Drop()
        return 200, {}, read_page([{"type": "Shot", "id": 1}])

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        sg.info()
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 1}]
        assert len(site.calls("read")) == 2


def test_a_write_on_a_connection_the_site_closed_while_idle_reconnects_first():
    with LoopbackSite(ok({"type": "Shot", "id": 1})) as site:
        sg = client(site.url)
        sg.info()
        # The site drops the idle keep-alive connection (as a server idle timeout would).
        (conn,) = sg._connection.connections.values()
        assert _close_server_side(site, conn.sock.getsockname())
        time.sleep(0.1)
        assert sg.create("Shot", {"code": "x"}) == {"type": "Shot", "id": 1}
        assert len(site.calls("create")) == 1


def _close_server_side(site, client_address):
    """Shut down the server end of the connection from ``client_address``."""
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, socket.socket) and not obj._closed:
            try:
                if obj.getpeername() == client_address and obj.getsockname()[1] == site.server_address[1]:
                    obj.shutdown(socket.SHUT_RDWR)
                    return True
            except OSError:
                continue
    return False


def test_timeout_applies_and_is_not_retried():
    def behaviour(payload, count):
        time.sleep(1.0)
        return 200, {}, read_page([])

    with LoopbackSite(behaviour) as site:
        sg = client(site.url)
        sg.info()
        sg.close()
        sg.config.timeout_secs = 0.2
        with pytest.raises((socket.timeout, TimeoutError)):
            sg.find("Shot", [])
        assert len(site.calls("read")) == 1


def test_proxy_connect_tunnel_with_credentials_and_at_in_password():
    with LoopbackSite(ok({"entities": [], "paging_info": {}})) as site:
        auth = "basic " + base64.b64encode(b"bob:p@ss:w").decode()
        with ConnectProxy(required_auth=auth) as proxy:
            sg = client(site.url, http_proxy="bob:p@ss:w@127.0.0.1:%d" % proxy.server_address[1])
            assert sg.find("Shot", []) == []
            assert proxy.connects[0]["line"] == "CONNECT 127.0.0.1:%d HTTP/1.1" % site.server_address[1]
            assert proxy.connects[0]["headers"]["proxy-authorization"].lower() == auth.lower()
            assert len(proxy.connects) == 1  # the tunnel is kept alive


def test_proxy_refusal_surfaces_as_socks_http_error_without_retry():
    with LoopbackSite(ok({})) as site:
        with ConnectProxy(required_auth="Basic nope") as proxy:
            sg = client(site.url, http_proxy="127.0.0.1:%d" % proxy.server_address[1])
            with pytest.raises(shotgun_api3.lib.httplib2.socks.HTTPError) as raised:
                sg.info()
            assert raised.value.args[0] == (407, b"Proxy Auth Required")
            assert isinstance(raised.value, socks.HTTPError)
            assert len(proxy.connects) == 1


def test_no_proxy_argument_means_environment_proxies_are_ignored(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with LoopbackSite(ok({})) as site:
        assert client(site.url).info()["version"] == [8, 50, 0]


@pytest.fixture(scope="module")
def tls_material(tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return context, str(ca_path)


def test_tls_is_verified_against_the_given_ca(tls_material):
    context, ca_path = tls_material
    with LoopbackSite(ok({"entities": [], "paging_info": {}}), tls_context=context) as site:
        sg = client(site.url, ca_certs=ca_path)
        assert sg.find("Shot", []) == []


def test_tls_ca_from_environment(tls_material, monkeypatch):
    context, ca_path = tls_material
    monkeypatch.setenv("SHOTGUN_API_CACERTS", ca_path)
    with LoopbackSite(ok({}), tls_context=context) as site:
        assert client(site.url).info()["version"] == [8, 50, 0]


def test_tls_with_an_unknown_ca_fails_verification_after_the_tls_retries(tls_material, monkeypatch):
    context, _ca_path = tls_material
    monkeypatch.delenv("SHOTGUN_API_CACERTS", raising=False)
    attempts = []
    with LoopbackSite(ok({}), tls_context=context) as site:
        sg = client(site.url)
        original = sg._http_request

        def counting(*args):
            attempts.append(1)
            return original(*args)

        sg._http_request = counting
        with pytest.raises(ssl.SSLError):
            sg.info()
        assert len(attempts) == 3
        assert site.requests == []


def test_patching_http_request_on_the_module_class_is_honoured(monkeypatch):
    import shotgun_api3.shotgun as module

    class Response(dict):
        status = 200
        reason = "OK"

    calls = []

    def fake_request(self, uri, method="GET", body=None, headers=None, **kwargs):
        calls.append((uri, method, body))
        return Response({"content-type": "application/json"}), b'{"version": [8, 0, 0]}'

    monkeypatch.setattr(module.Http, "request", fake_request)
    sg = client("https://site.example.com")
    assert sg.info() == {"version": [8, 0, 0]}
    assert calls == [("https://site.example.com/api3/json", "POST", b'{"method_name": "info", "params": []}')]
    assert hasattr(shotgun_api3.lib.httplib2, "Http") and shotgun_api3.lib.httplib2.socks.PROXY_TYPE_HTTP == 3
