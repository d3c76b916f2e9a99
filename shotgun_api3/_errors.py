"""Exceptions the client raises, in one place.

``ProtocolError``, ``ResponseError`` and ``Error`` are the standard library's
``xmlrpc.client`` classes, re-exported because callers catch them by these
names; everything else derives from :class:`ShotgunError`, except
:class:`WriteOutcomeUnknown`, which is mixed into the class the reference
raises for the same failure (see there why).
"""
from __future__ import annotations

import threading
from typing import Any
from xmlrpc.client import Error, ProtocolError, ResponseError

__all__ = [
    "AuthenticationFault",
    "Error",
    "Fault",
    "MissingTwoFactorAuthenticationFault",
    "ProtocolError",
    "ResponseError",
    "ShotgunError",
    "ShotgunFileDownloadError",
    "ShotgunThumbnailNotReady",
    "UserCredentialsNotAllowedForOxygenAuthenticationFault",
    "UserCredentialsNotAllowedForSSOAuthenticationFault",
    "InvalidInputError",
    "WriteOutcomeUnknown",
    "fault_for_answer",
    "invalid_input",
    "write_outcome_unknown",
]


class ShotgunError(Exception):
    """Base class of every error the client raises itself."""


class ShotgunFileDownloadError(ShotgunError):
    """Raised when an attachment cannot be downloaded."""


class ShotgunThumbnailNotReady(ShotgunError):
    """Raised when a thumbnail is still a transient placeholder on the site."""


class Fault(ShotgunError):
    """Raised when the site answers a call with an error."""


class AuthenticationFault(Fault):
    """Raised when the site rejects the credentials (error code 102)."""


class MissingTwoFactorAuthenticationFault(Fault):
    """Raised when the site wants a two-factor authentication token (error code 106)."""


class UserCredentialsNotAllowedForSSOAuthenticationFault(Fault):
    """Raised when login/password is refused because the site uses SSO (error code 108)."""


class UserCredentialsNotAllowedForOxygenAuthenticationFault(Fault):
    """Raised when login/password is refused because the site uses Autodesk Identity (error code 110)."""


# error_code -> (exception class, text used when the answer carries no message)
_FAULTS_BY_CODE = {
    102: (AuthenticationFault, "Unknown Authentication Error"),
    106: (MissingTwoFactorAuthenticationFault, "Unknown 2FA Authentication Error"),
    108: (
        UserCredentialsNotAllowedForSSOAuthenticationFault,
        "Authentication using username/password is not allowed for an SSO-enabled Flow Production Tracking site",
    ),
    110: (
        UserCredentialsNotAllowedForOxygenAuthenticationFault,
        "Authentication using username/password is not allowed for an Autodesk Identity enabled "
        "Flow Production Tracking site",
    ),
}


def fault_for_answer(answer: dict) -> Fault:
    """Build the exception matching an error answer ``{"exception": true, "error_code": ...}``."""
    cls, default_text = _FAULTS_BY_CODE.get(answer.get("error_code"), (Fault, "Unknown Error"))
    return cls(answer.get("message", default_text))


class InvalidInputError(ShotgunError):
    """Raised before anything is sent when an argument is not what the method expects.

    The message names the argument, the bad part and what was expected.
    Where the reference failed on the same input with a built-in exception
    (an ``IndexError`` for a filter without values, a ``KeyError`` for an
    order item without ``field_name``...), the raised class also derives
    from that built-in, so existing ``except`` clauses still catch it; where
    the reference sent the input and the site refused it, the class is also
    a :class:`Fault`.
    """

    def __str__(self) -> str:
        # KeyError would show the message quoted, as a key.
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


WRITE_MAY_HAVE_BEEN_APPLIED = (
    "The write was sent and the site may have applied it; it was not sent again. Check the site before retrying."
)


class WriteOutcomeUnknown(Exception):
    """A write failed after its request may have reached the site: it may or may not have been applied.

    Never raised as such: the exception raised is the one the reference
    raises for the same failure (``ProtocolError`` for a 502 or 504,
    ``http.client.RemoteDisconnected``, ``ConnectionResetError``, a socket
    timeout...) in a class that also derives from this one, so that both
    ``except ConnectionResetError`` and ``except WriteOutcomeUnknown`` catch
    it. It is not a :class:`ShotgunError`: code catching ``ShotgunError`` for
    site errors must not start catching transport failures.

    Attributes: ``method`` (the RPC, e.g. ``"create"``), ``entity_type``
    (``None`` when the call names none; for a batch, the types of its
    requests joined with ``", "``), ``url`` and ``original`` (the error as
    first raised).
    """

    method: str = ""
    entity_type: Any = None
    url: str = ""
    original: Any = None

    def __str__(self) -> str:
        text = super().__str__()
        where = "%s %s at %s" % (self.method, self.entity_type, self.url) if self.entity_type else (
            "%s at %s" % (self.method, self.url))
        if "may already have applied" in text or WRITE_MAY_HAVE_BEEN_APPLIED in text:
            return "%s [%s]" % (text, where)  # the message says it already (a 502/504's errmsg)
        return "%s [%s: %s]" % (text, where, WRITE_MAY_HAVE_BEEN_APPLIED)


# The classes built so far by _combined(): one per (base, built-in) pair.
_COMBINED: dict = {}
_COMBINED_LOCK = threading.Lock()


def _combined(base: type, cls: type, named_after: Any = None) -> type:
    """A class deriving from ``base`` and ``cls``, named like ``named_after`` (default ``cls``)."""
    key = (base, cls)
    combined = _COMBINED.get(key)
    if combined is None:
        with _COMBINED_LOCK:
            combined = _COMBINED.get(key)
            if combined is None:
                named_after = named_after or cls
                combined = type(named_after.__name__, (base, cls), {"__module__": named_after.__module__,
                                                                    "__qualname__": named_after.__qualname__})
                _COMBINED[key] = combined
    return combined


def _copy_as(error: BaseException, cls: type) -> BaseException:
    """A new ``cls`` instance with the arguments and attributes of ``error`` (whose class ``cls`` derives from)."""
    try:
        copy = cls(*error.args)
    except Exception:  # constructors with other signatures (ProtocolError): copy the state instead
        copy = cls.__new__(cls)
        copy.args = error.args
    if isinstance(error, OSError):
        for name in ("errno", "strerror", "filename", "filename2"):
            setattr(copy, name, getattr(error, name))
    copy.__dict__.update(getattr(error, "__dict__", {}))
    copy.__traceback__ = error.__traceback__
    return copy


def write_outcome_unknown(error: BaseException, method: str, entity_type: Any, url: str) -> BaseException:
    """``error`` as a :class:`WriteOutcomeUnknown` of its own class, carrying the write's method and entity type."""
    if isinstance(error, WriteOutcomeUnknown):
        return error
    copy = _copy_as(error, _combined(WriteOutcomeUnknown, type(error)))
    copy.method = method
    copy.entity_type = entity_type
    copy.url = url
    copy.original = error
    return copy


def invalid_input(message: str, like: Any = None) -> InvalidInputError:
    """An :class:`InvalidInputError`; with ``like`` (a built-in exception class), one deriving from it too."""
    if like is None:
        return InvalidInputError(message)
    return _combined(InvalidInputError, like, InvalidInputError)(message)
