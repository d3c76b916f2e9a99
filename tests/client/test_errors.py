"""HTTP status handling, retries, write safety, fault answers and malformed answers (fake transport)."""
from __future__ import annotations

import logging
import ssl

import pytest

import shotgun_api3
from shotgun_api3 import shotgun as sg_module
from shotgun_api3 import _rpc as _rpc_module


def status(site, code, reason="Err", headers=None, body=b""):
    site.raw((code, reason), dict(headers or {}), body)


@pytest.mark.parametrize("code", [502, 504])
def test_reads_are_resent_after_502_and_504(sg, site, code):
    status(site, code)
    status(site, code)
    site.answer({"entities": [], "paging_info": {}})
    assert sg.find("Shot", []) == []
    assert len(site.calls) == 3


def test_reads_give_up_after_max_attempts_with_protocol_error(sg, site):
    for _ in range(3):
        status(site, 504, "Gateway Timeout", {"x-trace": "1"})
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg.find("Shot", [])
    assert raised.value.errcode == 504
    assert raised.value.url == "site.example.com"
    assert raised.value.headers == {"x-trace": "1"}
    assert len(site.calls) == 3


@pytest.mark.parametrize("method, args", [
    ("create", ("Shot", {"code": "x"})),
    ("update", ("Shot", 1, {"code": "x"})),
    ("delete", ("Shot", 1)),
    ("revive", ("Shot", 1)),
    ("batch", ([{"request_type": "delete", "entity_type": "Shot", "entity_id": 1}],)),
    ("schema_field_create", ("Shot", "text", "X")),
    ("schema_field_update", ("Shot", "x", {"name": "y"})),
    ("schema_field_delete", ("Shot", "x")),
    ("follow", ({}, {})),
    ("unfollow", ({}, {})),
    ("work_schedule_update", ("2020-01-01", True)),
    ("user_subscriptions_create", ([],)),
])
@pytest.mark.parametrize("code", [502, 504])
def test_writes_are_never_resent_after_502_or_504(sg, site, method, args, code):
    status(site, code, "Gateway Timeout")
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        getattr(sg, method)(*args)
    assert "may already have applied it" in raised.value.errmsg
    assert len(site.calls) == 1


@pytest.mark.parametrize("code", [503, 429])
def test_503_and_429_are_retried_for_every_call_including_writes(sg, site, code):
    status(site, code, headers={"retry-after": "0"})
    site.answer({"type": "Shot", "id": 1})
    assert sg.create("Shot", {"code": "x"}) == {"type": "Shot", "id": 1}
    assert len(site.calls) == 2


def test_retry_after_is_honoured(sg, site, monkeypatch):
    slept = []
    monkeypatch.setattr(_rpc_module.time, "sleep", slept.append)
    status(site, 503, headers={"retry-after": "7"})
    status(site, 429)
    site.answer(True)
    sg.BACKOFF = 0.5
    assert sg.delete("Shot", 1) is True
    assert slept == [7.0, 1.0]


def test_503_gives_up_with_the_maintenance_message(sg, site):
    for _ in range(3):
        status(site, 503, "Service Unavailable", {"retry-after": "0"})
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg.info() if False else sg.find("Shot", [])
    assert "down for maintenance or too busy" in raised.value.errmsg
    assert str(raised.value).startswith("<ProtocolError for site.example.com: 503 ")
    assert len(site.calls) == 3


@pytest.mark.parametrize("code", [301, 400, 404, 500])
def test_other_statuses_raise_at_once(sg, site, code):
    status(site, code, "Nope")
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg.find("Shot", [])
    assert raised.value.errcode == code and raised.value.errmsg == "Nope"
    assert len(site.calls) == 1


def test_403_message_carries_the_body(sg, site):
    status(site, 403, "Forbidden", body=b"denied")
    with pytest.raises(shotgun_api3.ProtocolError) as raised:
        sg.find("Shot", [])
    assert raised.value.errmsg == "Forbidden: b'denied'"


@pytest.mark.parametrize("code, cls, default", [
    (102, shotgun_api3.AuthenticationFault, "Unknown Authentication Error"),
    (106, shotgun_api3.MissingTwoFactorAuthenticationFault, "Unknown 2FA Authentication Error"),
    (108, shotgun_api3.UserCredentialsNotAllowedForSSOAuthenticationFault, "SSO"),
    (110, sg_module.UserCredentialsNotAllowedForOxygenAuthenticationFault, "Autodesk Identity"),
    (None, shotgun_api3.Fault, "Unknown Error"),
    (999, shotgun_api3.Fault, "Unknown Error"),
])
def test_fault_answers_map_to_exception_classes(sg, site, code, cls, default):
    site.answer_envelope({"exception": True, "message": "boom", "error_code": code})
    with pytest.raises(cls, match="^boom$"):
        sg.find("Shot", [])
    site.answer_envelope({"exception": True, "error_code": code})
    with pytest.raises(cls) as raised:
        sg.find("Shot", [])
    assert default in str(raised.value)
    assert type(raised.value) is cls


def test_exception_hierarchy():
    assert issubclass(shotgun_api3.Fault, shotgun_api3.ShotgunError)
    assert issubclass(shotgun_api3.AuthenticationFault, shotgun_api3.Fault)
    assert issubclass(shotgun_api3.ShotgunFileDownloadError, shotgun_api3.ShotgunError)
    assert not issubclass(shotgun_api3.ProtocolError, shotgun_api3.ShotgunError)
    import xmlrpc.client

    assert shotgun_api3.ProtocolError is xmlrpc.client.ProtocolError
    assert shotgun_api3.AuthenticationFault().args == ()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00garbage", b'{"results": '])
def test_malformed_json_answers_raise_a_clear_shotgun_error(sg, site, body):
    site.raw((200, "OK"), {"content-type": "application/json"}, body)
    with pytest.raises(shotgun_api3.ShotgunError, match="not valid JSON"):
        sg.find("Shot", [])


@pytest.mark.parametrize("results", [[], "x", None, 5])
def test_reads_answered_with_the_wrong_shape_raise_shotgun_error(sg, site, results):
    site.answer(results)
    with pytest.raises(shotgun_api3.ShotgunError, match="instead of a page of entities"):
        sg.find("Shot", [])


def test_html_answer_to_a_read_raises_shotgun_error(sg, site):
    site.raw((200, "OK"), {"content-type": "text/html"}, b"<html>proxy login</html>")
    with pytest.raises(shotgun_api3.ShotgunError):
        sg.find("Shot", [])


def test_empty_method_name_is_refused(sg):
    with pytest.raises(ValueError, match="method is empty"):
        sg._build_payload("", None)


def test_tls_errors_are_retried_then_reraised(sg, site, caplog):
    attempts = []

    def failing(verb, path, body, headers):
        attempts.append(1)
        raise ssl.SSLEOFError("EOF occurred")

    sg._http_request = failing
    caplog.set_level(logging.DEBUG, logger="shotgun_api3")
    with pytest.raises(ssl.SSLEOFError):
        sg.info()
    assert len(attempts) == 3
    assert "SSLEOFError" in caplog.text
    assert "Request failed, attempt 1 of 3.  Retrying in 0.00 seconds..." in caplog.text
    assert "Request failed.  Giving up after 3 attempts." in caplog.text


def test_tls_retry_count_follows_config(sg):
    attempts = []
    sg.config.max_rpc_attempts = 1

    def failing(*args):
        attempts.append(1)
        raise ssl.SSLError("bad")

    sg._http_request = failing
    with pytest.raises(ssl.SSLError):
        sg.info()
    assert len(attempts) == 1


def test_other_transport_errors_are_not_retried(sg, caplog):
    attempts = []

    def failing(*args):
        attempts.append(1)
        raise ConnectionResetError("reset by peer")

    sg._http_request = failing
    caplog.set_level(logging.DEBUG, logger="shotgun_api3")
    with pytest.raises(ConnectionResetError):
        sg.info()
    assert len(attempts) == 1
    assert "Request failed.  Reason: reset by peer" in caplog.text


def test_call_rpc_first_unwraps_lists(sg, site):
    site.answer([{"id": 1}, {"id": 2}])
    assert sg._call_rpc("create", {}, first=True) == {"id": 1}
    site.answer_envelope({"version": [1]})
    assert sg._call_rpc("status", None, include_auth_params=False) == {"version": [1]}
    assert site.requests[-1]["payload"] == {"method_name": "status", "params": []}
