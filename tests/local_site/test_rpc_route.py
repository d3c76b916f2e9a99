"""The JSON RPC route over HTTP, against a stand-in site: envelope, errors, limits."""
from __future__ import annotations

import datetime
import http.client
import json

import pytest

from shotgun_api3._engine import CallContext
from shotgun_api3.local_site.auth import AuthError
from shotgun_api3.local_site.server import LocalSiteServer


class Fault(Exception):
    def __init__(self, message, error_code=None):
        super().__init__(message)
        self.error_code = error_code


class StandInSite:
    """Just what the route uses of a Site; records the calls it receives."""

    fault_class = Fault
    max_request_bytes = 10_000
    server_info = {"version": [8, 50, 0]}
    url = ""

    def __init__(self):
        self.calls = []

    def authenticate(self, auth, client=""):
        if auth != {"script_name": "s", "script_key": "k"}:
            raise AuthError("Authentication failed.", 102)
        return CallContext(script_name="s")

    def open_session(self, context):
        return "TOKEN"

    def call(self, method, params, context):
        self.calls.append((method, params, context))
        if method == "boom":
            raise RuntimeError("bug")
        if method == "unknown":
            raise Fault("Unknown method unknown", 103)
        return {"when": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
                "day": datetime.date(2024, 1, 2), "params": params}


@pytest.fixture
def rpc():
    site = StandInSite()
    server = LocalSiteServer(site).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port)

    def post(body, path="/api3/json"):
        conn.request("POST", path, body=body if isinstance(body, bytes) else json.dumps(body).encode(),
                     headers={"Content-Type": "application/json"})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type"), json.loads(answer.read())

    post.site = site
    yield post
    conn.close()
    server.stop()


AUTH = {"script_name": "s", "script_key": "k"}


def test_info_needs_no_auth_and_is_top_level(rpc):
    assert rpc({"method_name": "info", "params": []}) == (200, "application/json; charset=utf-8", {"version": [8, 50, 0]})


def test_results_are_wrapped_and_datetimes_are_utc_wire_strings(rpc):
    status, _, answer = rpc({"method_name": "read", "params": [AUTH, {"type": "Shot"}]})
    assert status == 200
    assert answer == {"results": {"when": "2024-01-02T01:04:05Z", "day": "2024-01-02", "params": {"type": "Shot"}}}
    assert rpc.site.calls == [("read", {"type": "Shot"}, CallContext(script_name="s", params_from_json=True))]


@pytest.mark.parametrize("body, from_json", [
    (b'{"method_name": "create", "params": [%s, {"data": {"code": "a $ b"}}]}', True),
    (b'{"method_name": "create", "params": [%s, {"data": {"sg_x": {"$dt": "2024-01-02"}}}]}', False),
    (b'{"method_name": "create", "params": [%s, {"data": {"sg_x": {"\\u0024set": []}}}]}', False),
    (b'{"method_name": "create", "params": [%s, {"data": {"code": "a \\"$dt\\" in text"}}]}', False),
    (b'{"method_name": "create", "params": [%s, {"data": {"sg_x": [1.5, -2e300, 1e-400]}}]}', True),
    (b'{"method_name": "create", "params": [%s, {"data": {"sg_x": [1.5, -1e400]}}]}', False),
])
def test_a_call_is_from_json_unless_its_text_may_hold_a_key_named_like_a_tag(rpc, body, from_json):
    # (A text that merely looks like one is told apart no further: its call is only checked, as in process.)
    rpc(body % json.dumps(AUTH).encode())
    assert rpc.site.calls[-1][2].params_from_json is from_json


def test_method_without_params_gets_none(rpc):
    rpc({"method_name": "user_subscriptions_read", "params": [AUTH]})
    assert rpc.site.calls[-1][1] is None


def test_sub_path_api_url_is_served(rpc):
    assert rpc({"method_name": "info", "params": []}, path="/sub/api3/json")[2] == {"version": [8, 50, 0]}


def test_get_session_token_answers_session_id(rpc):
    assert rpc({"method_name": "get_session_token", "params": [AUTH]})[2] == {"results": {"session_id": "TOKEN"}}


@pytest.mark.parametrize("body, gist", [
    (b"{not json", "Malformed JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "must be a JSON object"),
    (b'{"params": []}', "method_name"),
    (b'{"method_name": "read", "params": {"a": 1}}', "params must be a JSON array"),
])
def test_malformed_requests_get_a_clear_error_and_nothing_is_called(rpc, body, gist):
    status, _, answer = rpc(body)
    assert status == 200 and answer["exception"] is True and gist in answer["message"]
    assert rpc.site.calls == []
    assert rpc({"method_name": "info", "params": []})[0] == 200


def test_bad_credentials_answer_102(rpc):
    answer = rpc({"method_name": "read", "params": [{"script_name": "s", "script_key": "bad"}, {}]})[2]
    assert answer == {"exception": True, "message": "Authentication failed.", "error_code": 102}
    assert rpc({"method_name": "read", "params": []})[2]["error_code"] == 102
    assert rpc.site.calls == []


def test_engine_faults_keep_their_code_and_bugs_become_clear_errors(rpc):
    assert rpc({"method_name": "unknown", "params": [AUTH]})[2] == \
        {"exception": True, "message": "Unknown method unknown", "error_code": 103}
    answer = rpc({"method_name": "boom", "params": [AUTH]})[2]
    assert answer["exception"] is True and "Internal error" in answer["message"]
    assert rpc({"method_name": "info", "params": []})[0] == 200


def test_oversize_body_is_refused_and_connection_keeps_working(rpc):
    body = json.dumps({"method_name": "create", "params": [AUTH, {"data": "x" * 20_000}]}).encode()
    answer = rpc(body)[2]
    assert answer["exception"] is True and "too large" in answer["message"]
    assert rpc.site.calls == []
    assert rpc({"method_name": "read", "params": [AUTH, {}]})[0] == 200


def test_unknown_route_is_404():
    server = LocalSiteServer(StandInSite()).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port)
        conn.request("GET", "/nothing/here")
        assert conn.getresponse().status == 404
    finally:
        server.stop()
