"""A faithful, drop-in shotgun_api3 for Flow Production Tracking.

The public face: everything is defined in :mod:`shotgun_api3.shotgun` and
its private modules.
"""
from . import lib  # noqa: F401
from .shotgun import (
    SG_TIMEZONE as sg_timezone,
    AuthenticationFault,
    Error,
    Fault,
    InvalidInputError,
    MissingTwoFactorAuthenticationFault,
    ProtocolError,
    ResponseError,
    Shotgun,
    ShotgunError,
    ShotgunFileDownloadError,
    ShotgunThumbnailNotReady,
    UserCredentialsNotAllowedForSSOAuthenticationFault,
    WriteOutcomeUnknown,
    __version__,
)

__all__ = [
    "AuthenticationFault",
    "Error",
    "Fault",
    "InvalidInputError",
    "MissingTwoFactorAuthenticationFault",
    "ProtocolError",
    "ResponseError",
    "Shotgun",
    "ShotgunError",
    "ShotgunFileDownloadError",
    "ShotgunThumbnailNotReady",
    "UserCredentialsNotAllowedForSSOAuthenticationFault",
    "WriteOutcomeUnknown",
    "__version__",
    "sg_timezone",
]
