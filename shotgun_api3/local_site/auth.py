"""Credentials of a local site: script keys, human passwords, session tokens, two-factor codes.

A site never keeps a secret it can give back: script keys and session tokens
are random and long, so they are stored as SHA-256 digests (fast to check on
every RPC); human passwords are short and guessable, so they are stored with
a per-user salt through scrypt (or PBKDF2 where scrypt is missing), which is
slow on purpose. Two-factor codes are TOTP (RFC 6238, SHA-1, 6 digits, 30 s),
the codes authenticator apps produce.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
import threading
import time
from dataclasses import asdict, dataclass
from typing import Callable, Mapping, Optional

#: The error codes a site answers with (wire-protocol.md 9.2).
AUTHENTICATION_FAILED = 102
TWO_FACTOR_MISSING = 106

SESSION_LIFETIME_SECONDS = 24 * 3600
#: Expired sessions are remembered this long, so their holders hear "expired", not "invalid".
EXPIRED_SESSION_MEMORY_SECONDS = 7 * 24 * 3600
TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_PBKDF2_ROUNDS = 200_000


class AuthError(Exception):
    """Credentials were missing, wrong, expired or not allowed; carries the site's error code."""

    def __init__(self, message: str, error_code: int = AUTHENTICATION_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.error_code = error_code


def digest(secret: str) -> str:
    """The stored form of a high-entropy secret (script key, session token)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """A salted, slow hash of ``password``, self-describing so parameters can change later."""
    salt = os.urandom(16)
    if hasattr(hashlib, "scrypt"):
        derived = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
        return "scrypt$%d$%d$%d$%s$%s" % (_SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"], _b64(salt), _b64(derived))
    derived = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _PBKDF2_ROUNDS)
    return "pbkdf2_sha256$%d$%s$%s" % (_PBKDF2_ROUNDS, _b64(salt), _b64(derived))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    parts = stored.split("$")
    secret = password.encode("utf-8")
    if parts[0] == "scrypt" and len(parts) == 6:
        n, r, p = (int(x) for x in parts[1:4])
        salt, expected = _unb64(parts[4]), _unb64(parts[5])
        derived = hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=len(expected))
    elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
        salt, expected = _unb64(parts[2]), _unb64(parts[3])
        derived = hashlib.pbkdf2_hmac("sha256", secret, salt, int(parts[1]))
    else:
        return False
    return hmac.compare_digest(derived, expected)


def new_totp_secret() -> str:
    """A random base32 TOTP secret, the form authenticator apps import."""
    return base64.b32encode(os.urandom(20)).decode("ascii")


def totp_code(secret: str, at: Optional[float] = None) -> str:
    """The TOTP code of ``secret`` at time ``at`` (now by default)."""
    counter = int((time.time() if at is None else at) // TOTP_STEP_SECONDS)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** TOTP_DIGITS).zfill(TOTP_DIGITS)


def verify_totp(secret: str, code: str, at: Optional[float] = None) -> bool:
    """Whether ``code`` is valid now, allowing one step of clock drift either way."""
    now = time.time() if at is None else at
    code = str(code).strip()
    return any(hmac.compare_digest(totp_code(secret, now + drift * TOTP_STEP_SECONDS), code) for drift in (-1, 0, 1))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


@dataclass
class ScriptAccount:
    """An ApiUser that may call the API with ``script_name``/``script_key``."""

    name: str
    entity_id: int
    key_digest: str
    can_sudo: bool = False


@dataclass
class UserAccount:
    """A HumanUser that may call the API with ``user_login``/``user_password``."""

    login: str
    entity_id: int
    password_hash: str
    totp_secret: Optional[str] = None
    can_sudo: bool = False


@dataclass
class Session:
    """A session token handed out by ``get_session_token``; ``user`` is the entity link."""

    token_digest: str
    user: dict
    expires_at: float


@dataclass
class Identity:
    """Who a request authenticated as, before ``sudo_as_login`` is applied."""

    user: dict
    can_sudo: bool
    session_token: Optional[str] = None
    script_name: Optional[str] = None


class Accounts:
    """The site's scripts, users and sessions: checked in memory, persisted through ``save``.

    ``save(key, value)`` writes one entry of the site state (``value`` None
    deletes it); the SQLite store commits it before returning, so an account
    or a session handed to a client survives a restart.
    """

    def __init__(self, state: Mapping[str, dict], save: Callable[[str, Optional[dict]], None],
                 session_lifetime: float = SESSION_LIFETIME_SECONDS) -> None:
        self._save = save
        # Server threads open and drop sessions concurrently.
        self._lock = threading.RLock()
        self.session_lifetime = session_lifetime
        self.scripts: dict = {}
        self.users: dict = {}
        self.sessions: dict = {}
        for key, value in state.items():
            kind, _, name = key.partition(":")
            if kind == "script":
                self.scripts[name] = ScriptAccount(**value)
            elif kind == "user":
                self.users[name] = UserAccount(**value)
            elif kind == "session":
                self.sessions[name] = Session(**value)

    def add_script(self, name: str, entity_id: int, key: str, can_sudo: bool = False) -> None:
        account = ScriptAccount(name, entity_id, digest(key), can_sudo)
        self._save("script:" + name, asdict(account))
        self.scripts[name] = account

    def add_user(self, login: str, entity_id: int, password: str, totp_secret: Optional[str] = None,
                 can_sudo: bool = False) -> None:
        account = UserAccount(login, entity_id, hash_password(password), totp_secret, can_sudo)
        self._save("user:" + login, asdict(account))
        self.users[login] = account

    def authenticate(self, auth: Mapping, is_active: Callable[[dict], bool]) -> Identity:
        """Check one wire auth dict; ``is_active(link)`` says whether the entity may still log in."""
        if auth.__class__ is not dict and not isinstance(auth, Mapping):
            raise AuthError("Authentication failed: the first RPC param must be the auth dict.")
        if auth.get("user_login") is not None or auth.get("user_password") is not None:
            identity = self._authenticate_user(auth)
        elif auth.get("script_name") is not None or auth.get("script_key") is not None:
            identity = self._authenticate_script(auth)
        elif auth.get("session_token") is not None:
            identity = self._authenticate_session(str(auth["session_token"]))
        else:
            raise AuthError("Authentication failed: no credentials given (script_name/script_key, "
                            "user_login/user_password or session_token).")
        if not is_active(identity.user):
            raise AuthError("Authentication failed: the account is retired or disabled.")
        return identity

    def _authenticate_script(self, auth: Mapping) -> Identity:
        account = self.scripts.get(str(auth.get("script_name")))
        key = auth.get("script_key")
        if account is None or key is None or not hmac.compare_digest(digest(str(key)), account.key_digest):
            raise AuthError("Authentication failed: script name or key is not valid.")
        return Identity({"type": "ApiUser", "id": account.entity_id}, account.can_sudo, script_name=account.name)

    def _authenticate_user(self, auth: Mapping) -> Identity:
        account = self.users.get(str(auth.get("user_login")))
        password = auth.get("user_password")
        if account is None or password is None or not verify_password(str(password), account.password_hash):
            raise AuthError("Authentication failed: login or password is not valid.")
        if account.totp_secret:
            token = auth.get("auth_token")
            if not token:
                raise AuthError("This user has two-factor authentication turned on: an auth_token is required.",
                                TWO_FACTOR_MISSING)
            if not verify_totp(account.totp_secret, str(token)):
                raise AuthError("Authentication failed: the two-factor authentication token is not valid.")
        return Identity({"type": "HumanUser", "id": account.entity_id}, account.can_sudo)

    def _authenticate_session(self, token: str) -> Identity:
        session = self.sessions.get(digest(token))
        if session is None:
            raise AuthError("Authentication failed: the session token is not valid.")
        if session.expires_at <= time.time():
            # Expired tokens are refused whether or not the client sent
            # reject_if_expired: a site never extends a dead session.
            raise AuthError("Authentication failed: the session token has expired.")
        return Identity(session.user, self._can_sudo(session.user), token)

    def _can_sudo(self, user: dict) -> bool:
        accounts = self.scripts.values() if user["type"] == "ApiUser" else self.users.values()
        return any(account.entity_id == user["id"] and account.can_sudo for account in accounts)

    def open_session(self, user: dict) -> str:
        """Make a new session token for ``user``; only its digest is kept."""
        token = secrets.token_urlsafe(32)
        session = Session(digest(token), dict(user), time.time() + self.session_lifetime)
        with self._lock:
            self._save("session:" + session.token_digest, asdict(session))
            self.sessions[session.token_digest] = session
            self._drop_expired_sessions()
        return token

    def session_user(self, token: str) -> Optional[dict]:
        """The user link of a live session token, or None."""
        session = self.sessions.get(digest(token))
        if session is None or session.expires_at <= time.time():
            return None
        return session.user

    def forget_session(self, token_digest: str) -> None:
        with self._lock:
            if self.sessions.pop(token_digest, None) is not None:
                self._save("session:" + token_digest, None)

    def _drop_expired_sessions(self) -> None:
        horizon = time.time() - EXPIRED_SESSION_MEMORY_SECONDS
        for token_digest in [d for d, s in self.sessions.items() if s.expires_at <= horizon]:
            self.forget_session(token_digest)

    def user_id_for_login(self, login: str) -> Optional[int]:
        account = self.users.get(login)
        return account.entity_id if account is not None else None
