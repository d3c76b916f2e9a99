"""Exceptions the client raises, in one place.

``ProtocolError``, ``ResponseError`` and ``Error`` are the standard library's
``xmlrpc.client`` classes, re-exported because callers catch them by these
names; everything else derives from :class:`ShotgunError`.
"""
from __future__ import annotations

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
    "fault_for_answer",
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
