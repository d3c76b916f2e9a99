"""The retry policy (shotgun_api3/_retry.py) as a script sees it: what is sent again, for reads and for writes."""
from __future__ import annotations

import ssl
import threading

import pytest

import shotgun_api3

from .loopback import LoopbackSite


def client(url):
    sg = shotgun_api3.Shotgun(url, "scr", "key123", connect=False)
    sg.BACKOFF = 0
    sg.config.rpc_attempt_interval = 0
    return sg


def gateway_then_ok(payload, count):
    if count == 1:
        return 502, {}, {}
    return 200, {}, {"results": {"answered": payload["method_name"]}}


def test_a_declared_read_is_sent_again_after_a_502():
    with LoopbackSite(gateway_then_ok) as site:
        sg = client(site.url)
        assert sg._call_rpc("followers", {"entity": {"type": "Shot", "id": 1}}) == {"answered": "followers"}
        assert len(site.calls("followers")) == 2


def test_an_rpc_nobody_declared_is_a_write_and_is_not_sent_again_after_a_502():
    with LoopbackSite(gateway_then_ok) as site:
        sg = client(site.url)
        with pytest.raises(shotgun_api3.WriteOutcomeUnknown) as raised:
            sg._call_rpc("a_new_rpc_nobody_declared", {"type": "Shot", "id": 1})
        assert isinstance(raised.value, shotgun_api3.ProtocolError)
        assert raised.value.method == "a_new_rpc_nobody_declared"
        assert raised.value.entity_type == "Shot"
        assert len(site.calls("a_new_rpc_nobody_declared")) == 1


def test_a_write_is_sent_again_after_429_but_a_read_gives_up_after_max_attempts():
    def busy(payload, count):
        return 429, {"Retry-After": "0"}, {}

    with LoopbackSite(busy) as site:
        sg = client(site.url)
        sg.MAX_ATTEMPTS = 2
        with pytest.raises(shotgun_api3.ProtocolError) as raised:
            sg.create("Shot", {"code": "x"})
        assert raised.value.errcode == 429
        assert len(site.calls("create")) == 2


class ScriptedRequests:
    """Stands in for ``_http_request``: each call takes the next outcome (an exception or a status)."""

    def __init__(self, outcomes):
        self.outcomes = list(outcomes)
        self.count = 0

    def __call__(self, verb, path, body, headers):
        self.count += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return (outcome, "Status"), {"content-type": "application/json"}, b'{"results": {"ok": true}}'


def test_one_call_counts_its_tries_once_for_the_tls_and_the_status_rules():
    sg = client("https://site.example.com")
    requests = sg._http_request = ScriptedRequests([ssl.SSLEOFError("eof"), 502, 502, 200])
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg._call_rpc("read", {"type": "Shot"})
    assert raised.value.errcode == 502
    assert requests.count == 3  # MAX_ATTEMPTS tries in all, whichever rule sent each again


def test_tls_failures_are_tried_max_rpc_attempts_times_for_a_read():
    sg = client("https://site.example.com")
    sg.config.max_rpc_attempts = 4
    requests = sg._http_request = ScriptedRequests([ssl.SSLEOFError("eof")] * 3 + [200])
    assert sg._call_rpc("read", {"type": "Shot"}) == {"ok": True}
    assert requests.count == 4


def test_a_write_is_not_sent_again_after_a_tls_failure_once_its_bytes_may_have_left():
    sg = client("https://site.example.com")

    def fails_after_sending(verb, path, body, headers):
        sg._current_call().sent = True  # what the connection classes record once bytes leave
        raise ssl.SSLEOFError("eof after the request was written")

    sg._http_request = fails_after_sending
    with pytest.raises(shotgun_api3.WriteOutcomeUnknown):
        sg.create("Shot", {"code": "x"})


def test_a_standalone_make_call_is_a_read_with_its_own_tries():
    sg = client("https://site.example.com")
    requests = sg._http_request = ScriptedRequests([ssl.SSLEOFError("eof"), 200])
    (status, _reason), _headers, _body = sg._make_call("GET", "/upload/get_thumbnail_url", None, None)
    assert status == 200 and requests.count == 2
    assert sg._current_call() is None  # nothing of the request stays on the thread


def test_calls_on_other_threads_keep_their_own_call_state():
    seen = {}
    sg = client("https://site.example.com")

    def answer(verb, path, body, headers):
        call = sg._current_call()
        seen.setdefault(threading.current_thread().name, set()).add((call.method, call.write))
        return (200, "OK"), {"content-type": "application/json"}, b'{"results": {"type": "Shot", "id": 1}}'

    sg._http_request = answer

    def work(write):
        for _ in range(20):
            if write:
                sg.create("Shot", {"code": "x"})
            else:
                sg._call_rpc("read", {"type": "Shot"})

    threads = [threading.Thread(target=work, args=(write,), name="w%d" % write) for write in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"w0": {("read", False)}, "w1": {("create", True)}}


def test_a_rig_replacing_make_call_still_gets_max_attempts_tries_for_a_read():
    sg = client("https://site.example.com")
    calls = []

    def gateway(verb, path, body, headers):
        calls.append(path)
        return (504, "Gateway Timeout"), {}, b""

    sg._make_call = gateway
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg._call_rpc("read", {"type": "Shot"})
    assert raised.value.errcode == 504
    assert len(calls) == sg.MAX_ATTEMPTS == 3
