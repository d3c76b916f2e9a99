"""Credentials resist guessing: throttling and locks, equal time for unknown logins, single-use 2FA codes."""
from __future__ import annotations

import http.client
import json

import pytest

from shotgun_api3.local_site import auth
from shotgun_api3.local_site.auth import Accounts, AuthError
from shotgun_api3.local_site.throttle import AuthLimits, Throttle
from tests.support.saved_state import Saved


def active(link):
    return True


def make_accounts(**limits):
    limits.setdefault("failure_delay", 0.0)
    accounts = Accounts({}, Saved(), auth_limits=AuthLimits(**limits))
    accounts.add_script("robot", 3, "key123")
    accounts.add_user("bob", 7, "pw")
    return accounts


def refused(accounts, credentials, client="10.0.0.1:5000"):
    with pytest.raises(AuthError) as caught:
        accounts.authenticate(credentials, active, client)
    return caught.value


def test_a_login_is_locked_after_its_failures_even_for_the_right_password():
    accounts = make_accounts(failures_per_account=5)
    for n in range(5):
        assert "not valid" in refused(accounts, {"user_login": "bob", "user_password": "guess%d" % n}).message
    error = refused(accounts, {"user_login": "bob", "user_password": "pw"}, client="10.9.9.9:1")
    assert error.error_code == 102 and "locked" in error.message
    # Other logins are not locked by it.
    accounts.add_user("carol", 8, "pw2")
    assert accounts.authenticate({"user_login": "carol", "user_password": "pw2"}, active, "10.0.0.1:5001").user["id"] == 8


def test_a_lock_ends_after_its_time():
    now = [1000.0]
    accounts = make_accounts(failures_per_account=3, lock_seconds=60)
    accounts.throttle = Throttle(accounts.throttle.limits, clock=lambda: now[0], sleep=lambda s: None)
    for _ in range(3):
        refused(accounts, {"user_login": "bob", "user_password": "x"})
    assert "locked" in refused(accounts, {"user_login": "bob", "user_password": "pw"}).message
    now[0] += 61
    assert accounts.authenticate({"user_login": "bob", "user_password": "pw"}, active, "10.0.0.1:1").user["id"] == 7


def test_script_keys_are_locked_too():
    accounts = make_accounts(failures_per_account=4)
    for n in range(4):
        refused(accounts, {"script_name": "robot", "script_key": "k%d" % n})
    assert "locked" in refused(accounts, {"script_name": "robot", "script_key": "key123"}).message


def test_a_client_address_trying_many_logins_is_locked():
    accounts = make_accounts(failures_per_account=100, failures_per_address=6)
    for n in range(6):
        refused(accounts, {"user_login": "user%d" % n, "user_password": "x"}, client="10.0.0.2:%d" % (4000 + n))
    error = refused(accounts, {"user_login": "bob", "user_password": "pw"}, client="10.0.0.2:4999")
    assert "client address" in error.message
    # Another address is not.
    assert accounts.authenticate({"user_login": "bob", "user_password": "pw"}, active, "10.0.0.3:1").user["id"] == 7


def test_each_failure_of_a_login_waits_longer():
    slept = []
    accounts = make_accounts(failures_per_account=10)
    accounts.throttle = Throttle(AuthLimits(failure_delay=0.1, max_failure_delay=0.35), sleep=slept.append)
    for _ in range(6):
        refused(accounts, {"user_login": "bob", "user_password": "x"})
    assert slept == pytest.approx([0.1, 0.2, 0.3, 0.35, 0.35])


def test_a_right_password_clears_the_count_of_its_login():
    accounts = make_accounts(failures_per_account=3)
    for _ in range(2):
        refused(accounts, {"user_login": "bob", "user_password": "x"})
    accounts.authenticate({"user_login": "bob", "user_password": "pw"}, active, "10.0.0.1:1")
    for _ in range(2):
        refused(accounts, {"user_login": "bob", "user_password": "x"})
    assert accounts.authenticate({"user_login": "bob", "user_password": "pw"}, active, "10.0.0.1:1").user["id"] == 7


def test_an_unknown_login_costs_the_same_slow_hash(monkeypatch):
    accounts = make_accounts()
    hashed = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda password, stored: hashed.append(stored) or real(password, stored))
    refused(accounts, {"user_login": "nobody", "user_password": "x"})
    refused(accounts, {"user_login": "bob", "user_password": "x"})
    refused(accounts, {"user_login": "bob"})
    assert len(hashed) == 3
    assert hashed[0].split("$")[:4] == hashed[1].split("$")[:4]  # same algorithm and cost


def test_a_two_factor_code_works_once():
    accounts = make_accounts()
    secret = auth.new_totp_secret()
    accounts.add_user("eve", 9, "pw", totp_secret=secret)
    credentials = {"user_login": "eve", "user_password": "pw", "auth_token": auth.totp_code(secret)}
    assert accounts.authenticate(credentials, active, "10.0.0.1:1").user["id"] == 9
    for _ in range(3):
        assert "two-factor" in refused(accounts, dict(credentials)).message
    # An older code (one step back, still inside the drift) is refused too.
    older = dict(credentials, auth_token=auth.totp_code(secret, auth.time.time() - 30))
    refused(accounts, older)


def _raw_get(server, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port)
    conn.request("GET", path, headers={"Cookie": "_session_id=%s" % cookie} if cookie else {})
    answer = conn.getresponse()
    body = answer.read().decode()
    conn.close()
    return body


def test_get_thumbnail_url_answers_only_a_signed_in_caller(local_site, sg, tmp_path):
    shot = sg.create("Shot", {"code": "thumbed"})
    image = tmp_path / "t.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    sg.upload_thumbnail("Shot", shot["id"], str(image))
    existing = "/upload/get_thumbnail_url?entity_type=Shot&entity_id=%d" % shot["id"]
    missing = "/upload/get_thumbnail_url?entity_type=Shot&entity_id=999999"
    anonymous = [_raw_get(local_site.server, path) for path in (existing, missing)]
    assert anonymous[0] == anonymous[1] and anonymous[0].startswith("0\n")
    token = sg.get_session_token()
    assert _raw_get(local_site.server, existing, token).startswith("1\n/thumbnail/")
    assert _raw_get(local_site.server, missing, token).startswith("0\n")


def test_a_locked_login_gets_an_authentication_fault_over_the_wire(local_site):
    local_site.site.accounts.throttle.limits.failure_delay = 0.0
    local_site.site.accounts.throttle.limits.failures_per_account = 3

    def login(password):
        body = json.dumps({"method_name": "read", "params": [{"user_login": "ada", "user_password": password},
                                                             {"type": "Shot", "filters": {"logical_operator": "and",
                                                                                          "conditions": []},
                                                              "return_fields": ["id"], "paging": {
                                                                  "current_page": 1, "entities_per_page": 1}}]})
        conn = http.client.HTTPConnection("127.0.0.1", local_site.server.port)
        conn.request("POST", "/api3/json", body=body, headers={"Content-Type": "application/json"})
        answer = json.loads(conn.getresponse().read())
        conn.close()
        return answer

    for _ in range(3):
        assert login("wrong")["error_code"] == 102
    answer = login("correct horse battery staple")
    assert answer["exception"] is True and answer["error_code"] == 102 and "locked" in answer["message"]
