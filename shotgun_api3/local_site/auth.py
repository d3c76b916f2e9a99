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
from typing import Callable, Dict, Mapping, Optional

from .throttle import AuthLimits, Locked, Throttle

#: The error codes a site answers with (docs/site_facts.rst, Error codes).
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
    return totp_step(secret, code, at) is not None


def totp_step(secret: str, code: str, at: Optional[float] = None) -> Optional[int]:
    """The time step ``code`` belongs to if it is valid now (one step of drift either way), else None."""
    now = time.time() if at is None else at
    code = str(code).strip()
    step = int(now // TOTP_STEP_SECONDS)
    found = None
    for drift in (-1, 0, 1):
        # Every candidate is compared, so the time taken tells nothing.
        if hmac.compare_digest(totp_code(secret, (step + drift) * TOTP_STEP_SECONDS), code):
            found = step + drift
    return found


_DECOY: list = []


def _decoy_hash() -> str:
    """A password hash of nobody's password, with the current parameters (made once)."""
    if not _DECOY:
        _DECOY.append(hash_password(secrets.token_hex(16)))
    return _DECOY[0]


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
    disabled: bool = False


@dataclass
class UserAccount:
    """A HumanUser that may call the API with ``user_login``/``user_password``."""

    login: str
    entity_id: int
    password_hash: str
    totp_secret: Optional[str] = None
    can_sudo: bool = False
    disabled: bool = False


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
                 session_lifetime: float = SESSION_LIFETIME_SECONDS, auth_limits: Optional[AuthLimits] = None) -> None:
        self._save = save
        self.throttle = Throttle(auth_limits)
        # The last TOTP time step each login used: a code works once.
        self._used_totp_steps: Dict[str, int] = {}
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

    def _account(self, kind: str, name: str):
        accounts = self.scripts if kind == "script" else self.users
        account = accounts.get(name)
        if account is None:
            raise KeyError(name)
        return accounts, account

    def set_disabled(self, kind: str, name: str, disabled: bool) -> None:
        """Refuse (or allow again) the credentials of a ``"script"`` or ``"user"``; its sessions end when disabled."""
        with self._lock:
            _, account = self._account(kind, name)
            account.disabled = disabled
            self._save("%s:%s" % (kind, name), asdict(account))
            if disabled:
                self._end_sessions({"type": "ApiUser" if kind == "script" else "HumanUser", "id": account.entity_id})

    def remove(self, kind: str, name: str) -> None:
        """Forget the credentials of a ``"script"`` or ``"user"`` (its entity stays); its sessions end."""
        with self._lock:
            accounts, account = self._account(kind, name)
            self._save("%s:%s" % (kind, name), None)
            del accounts[name]
            self._end_sessions({"type": "ApiUser" if kind == "script" else "HumanUser", "id": account.entity_id})

    def _end_sessions(self, user: dict) -> None:
        for token_digest in [d for d, s in self.sessions.items()
                             if s.user.get("type") == user["type"] and s.user.get("id") == user["id"]]:
            self.forget_session(token_digest)

    def authenticate(self, auth: Mapping, is_active: Callable[[dict], bool], client: str = "") -> Identity:
        """Check one wire auth dict; ``is_active(link)`` says whether the entity may still log in.

        ``client`` is the caller's address: failures are counted per account
        and per address, and a locked one is refused before anything is checked.
        """
        if auth.__class__ is not dict and not isinstance(auth, Mapping):
            raise AuthError("Authentication failed: the first RPC param must be the auth dict.")
        if auth.get("user_login") is not None or auth.get("user_password") is not None:
            account_key = "login:%s" % (auth.get("user_login"),)
            check = self._authenticate_user
        elif auth.get("script_name") is not None or auth.get("script_key") is not None:
            account_key = "script:%s" % (auth.get("script_name"),)
            check = self._authenticate_script
        elif auth.get("session_token") is not None:
            account_key = None
            check = self._authenticate_session
        else:
            raise AuthError("Authentication failed: no credentials given (script_name/script_key, "
                            "user_login/user_password or session_token).")
        address_key = "address:%s" % client.rpartition(":")[0] if client else None
        keys = [key for key in (account_key, address_key) if key is not None]
        try:
            self.throttle.check(keys)
        except Locked as locked:
            raise AuthError("Authentication failed: too many failed attempts for this %s; it is locked for %d more "
                            "minute(s)." % ("client address" if locked.key.startswith("address:") else "account",
                                            max(1, int(locked.seconds // 60) + 1))) from None
        try:
            identity = check(auth)
        except AuthError as error:
            if error.error_code != TWO_FACTOR_MISSING:
                limits = self.throttle.limits
                counted = {key: limits.failures_per_address if key == address_key else limits.failures_per_account
                           for key in keys}
                self.throttle.failed(counted, account_key)
            raise
        if account_key is not None:
            self.throttle.succeeded(account_key)
        if not is_active(identity.user):
            raise AuthError("Authentication failed: the account is retired or disabled.")
        return identity

    def _authenticate_script(self, auth: Mapping) -> Identity:
        account = self.scripts.get(str(auth.get("script_name")))
        key = auth.get("script_key")
        given = digest(str(key)) if key is not None else ""
        expected = account.key_digest if account is not None else digest(secrets.token_hex(16))
        if not hmac.compare_digest(given, expected) or account is None or account.disabled:
            raise AuthError("Authentication failed: script name or key is not valid.")
        return Identity({"type": "ApiUser", "id": account.entity_id}, account.can_sudo, script_name=account.name)

    def _authenticate_user(self, auth: Mapping) -> Identity:
        login = str(auth.get("user_login"))
        account = self.users.get(login)
        password = auth.get("user_password")
        # An unknown login costs the same slow hash as a known one, so timing
        # does not tell which logins exist.
        stored = account.password_hash if account is not None else _decoy_hash()
        matches = verify_password("" if password is None else str(password), stored)
        if account is None or password is None or not matches or account.disabled:
            raise AuthError("Authentication failed: login or password is not valid.")
        if account.totp_secret:
            token = auth.get("auth_token")
            if not token:
                raise AuthError("This user has two-factor authentication turned on: an auth_token is required.",
                                TWO_FACTOR_MISSING)
            step = totp_step(account.totp_secret, str(token))
            with self._lock:
                # A code works once: a step at or before the last one used is refused.
                if step is None or step <= self._used_totp_steps.get(login, -1):
                    raise AuthError("Authentication failed: the two-factor authentication token is not valid.")
                self._used_totp_steps[login] = step
        return Identity({"type": "HumanUser", "id": account.entity_id}, account.can_sudo)

    def _authenticate_session(self, auth: Mapping) -> Identity:
        token = str(auth["session_token"])
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
