"""Credentials: password hashing, TOTP codes, script keys, sessions."""
from __future__ import annotations

import time

import pytest

from shotgun_api3.local_site import auth
from shotgun_api3.local_site.auth import Accounts, AuthError
from tests.support.saved_state import Saved


def test_password_hash_is_salted_and_verifies_only_the_password():
    first, second = auth.hash_password("s3cret"), auth.hash_password("s3cret")
    assert first != second
    assert "s3cret" not in first
    assert auth.verify_password("s3cret", first)
    assert not auth.verify_password("s3cret!", first)
    assert not auth.verify_password("s3cret", "garbage")


def test_unicode_password_round_trips():
    stored = auth.hash_password("pässwörd ✓")
    assert auth.verify_password("pässwörd ✓", stored)


def test_totp_matches_rfc6238_test_vector():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert auth.totp_code(secret, 59) == "287082"
    assert auth.totp_code(secret, 1111111109) == "081804"
    assert auth.totp_code(secret, 2000000000) == "279037"


def test_totp_accepts_one_step_of_drift_only():
    secret = auth.new_totp_secret()
    now = 1_700_000_000
    assert auth.verify_totp(secret, auth.totp_code(secret, now - 30), at=now)
    assert not auth.verify_totp(secret, auth.totp_code(secret, now - 90), at=now)


def always_active(link):
    return True


@pytest.fixture
def accounts():
    saved = Saved()
    accounts = Accounts({}, saved)
    accounts.add_script("robot", 3, "key123", can_sudo=False)
    accounts.add_user("bob", 7, "pw")
    accounts.saved = saved
    return accounts


def test_script_key_is_stored_as_a_digest(accounts):
    assert "key123" not in repr(accounts.saved)
    assert accounts.authenticate({"script_name": "robot", "script_key": "key123"}, always_active).user == \
        {"type": "ApiUser", "id": 3}


@pytest.mark.parametrize("auth_dict", [
    {"script_name": "robot", "script_key": "wrong"},
    {"script_name": "nobody", "script_key": "key123"},
    {"script_name": "robot"},
    {"user_login": "bob", "user_password": "nope"},
    {"user_login": "bob"},
    {"session_token": "made-up"},
    {},
])
def test_bad_credentials_raise_authentication_fault_102(accounts, auth_dict):
    with pytest.raises(AuthError) as raised:
        accounts.authenticate(auth_dict, always_active)
    assert raised.value.error_code == 102


def test_retired_account_cannot_log_in(accounts):
    with pytest.raises(AuthError):
        accounts.authenticate({"user_login": "bob", "user_password": "pw"}, lambda link: False)


def test_two_factor_user_needs_a_valid_token(accounts):
    secret = auth.new_totp_secret()
    accounts.add_user("eve", 8, "pw", totp_secret=secret)
    with pytest.raises(AuthError) as missing:
        accounts.authenticate({"user_login": "eve", "user_password": "pw"}, always_active)
    assert missing.value.error_code == 106
    with pytest.raises(AuthError) as wrong:
        accounts.authenticate({"user_login": "eve", "user_password": "pw", "auth_token": "000000x"}, always_active)
    assert wrong.value.error_code == 102
    good = accounts.authenticate({"user_login": "eve", "user_password": "pw", "auth_token": auth.totp_code(secret)},
                                 always_active)
    assert good.user == {"type": "HumanUser", "id": 8}


def test_session_tokens_authenticate_until_they_expire(accounts):
    token = accounts.open_session({"type": "HumanUser", "id": 7})
    assert token not in repr(accounts.saved)
    assert accounts.authenticate({"session_token": token, "reject_if_expired": True}, always_active).user == \
        {"type": "HumanUser", "id": 7}
    accounts.session_lifetime = -1
    expired = accounts.open_session({"type": "HumanUser", "id": 7})
    with pytest.raises(AuthError, match="expired") as raised:
        accounts.authenticate({"session_token": expired, "reject_if_expired": True}, always_active)
    assert raised.value.error_code == 102


def test_accounts_reload_from_saved_state(accounts):
    token = accounts.open_session({"type": "ApiUser", "id": 3})
    reloaded = Accounts(dict(accounts.saved), accounts.saved)
    assert reloaded.authenticate({"script_name": "robot", "script_key": "key123"}, always_active).user["id"] == 3
    assert reloaded.authenticate({"user_login": "bob", "user_password": "pw"}, always_active).user["id"] == 7
    assert reloaded.session_user(token) == {"type": "ApiUser", "id": 3}
