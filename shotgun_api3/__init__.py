"""A faithful, drop-in shotgun_api3 for Flow Production Tracking.

The public face: everything is defined in :mod:`shotgun_api3.shotgun` and
its private modules. ``__version__`` is the reference release line;
``__distribution_version__`` tells this package from the reference.
"""
from ._dependencies import require_dependencies

require_dependencies()

from . import lib  # noqa: E402,F401
from .shotgun import (  # noqa: E402
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
    __distribution_version__,
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
    "__distribution_version__",
    "__version__",
    "sg_timezone",
]
