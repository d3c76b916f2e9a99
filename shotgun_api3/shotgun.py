"""The ``Shotgun`` client and the module-level names code written for shotgun_api3 imports from here.

The class is assembled from small mixins (one per concern, see ``_api``,
``_rpc``, ``_connection``, ``_records`` and ``_files``); this module keeps
the construction, the server capabilities and the public names.
"""
from __future__ import annotations

import logging
import mimetypes
import os
import sys
from typing import Any, List, Optional, TypedDict

import certifi

from . import _retry
from ._api.queries import QueryMethods
from ._api.schema import SchemaMethods
from ._api.session import SessionMethods
from ._api.social import SocialMethods
from ._api.writes import WriteMethods
from ._capabilities import ClientCapabilities, ServerCapabilities, _version_str
from ._config import _Config, split_url
from ._connection import ConnectionMethods
from ._errors import (
    AuthenticationFault,
    Error,
    Fault,
    InvalidInputError,
    MissingTwoFactorAuthenticationFault,
    ProtocolError,
    ResponseError,
    ShotgunError,
    ShotgunFileDownloadError,
    ShotgunThumbnailNotReady,
    UserCredentialsNotAllowedForOxygenAuthenticationFault,
    UserCredentialsNotAllowedForSSOAuthenticationFault,
    WriteOutcomeUnknown,
)
from ._files import FileTransferMethods, FormPostHandler
from ._filters import (
    _optimize_filter_field,
    _translate_filters,
    _translate_filters_dict,
    _translate_filters_list,
    _translate_filters_simple,
)
from ._records import RecordMethods
from ._rpc import MalformedAnswerError, RpcMethods
from ._transforms import DATE_PATTERN, DATE_TIME_PATTERN, SG_TIMEZONE
from ._transport import Http, ProxyInfo
from ._version import __distribution_version__, __version__  # noqa: F401 - the reference's module names
from .lib import httplib2 as _lib_httplib2  # noqa: F401 - binds shotgun_api3.lib.httplib2
from .lib import sgtimezone  # noqa: F401 - binds shotgun_api3.lib.sgtimezone
from .lib.sgtimezone import SgTimezone


LOG = logging.getLogger("shotgun_api3")
LOG.setLevel(logging.WARNING)

# Set by the constructor when SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION=1 is in the
# environment (and, like the reference, never reset). Read at call time.
SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION = False

mimetypes.add_type("video/webm", ".webm")
mimetypes.add_type("video/mp4", ".mp4")

__all__ = [
    "AuthenticationFault", "BaseEntity", "ClientCapabilities", "Error", "Fault", "FormPostHandler",
    "GroupingItem", "Http", "InvalidInputError", "LOG", "MalformedAnswerError", "MissingTwoFactorAuthenticationFault", "OrderItem",
    "ProtocolError", "ProxyInfo", "ResponseError", "SG_TIMEZONE", "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION",
    "ServerCapabilities", "SgTimezone", "Shotgun", "ShotgunError", "ShotgunFileDownloadError",
    "ShotgunThumbnailNotReady", "UserCredentialsNotAllowedForOxygenAuthenticationFault",
    "UserCredentialsNotAllowedForSSOAuthenticationFault", "WriteOutcomeUnknown", "_optimize_filter_field", "_translate_filters",
    "_translate_filters_dict", "_translate_filters_list", "_translate_filters_simple", "_version_str",
]


class BaseEntity(TypedDict, total=False):
    """An entity link: ``{"type": "Shot", "id": 1}``, sometimes with ``name``."""

    type: str
    id: int


class OrderItem(TypedDict, total=False):
    """One sort of ``find(order=...)``."""

    field_name: str
    direction: str


class GroupingItem(TypedDict, total=False):
    """One grouping level of ``summarize(grouping=...)``."""

    field: str
    type: str
    direction: str


class Shotgun(
    QueryMethods,
    WriteMethods,
    SchemaMethods,
    SessionMethods,
    SocialMethods,
    FileTransferMethods,
    RecordMethods,
    RpcMethods,
    ConnectionMethods,
):
    """A connection to a Flow Production Tracking site.

    Authenticate with a script (``script_name`` + ``api_key``), a user
    (``login`` + ``password``, plus ``auth_token`` for two-factor
    authentication) or a ``session_token``. ``connect=True`` checks the site
    at once with an ``info`` call. One instance may be shared by several
    threads: each thread uses its own keep-alive connection.

    Subclasses that answer calls without a network (mockgun) can reuse the
    construction without credential checks or network access by calling
    ``self._setup_client(base_url, convert_datetimes_to_utc, http_proxy,
    ca_certs)``, which builds ``config`` (a ``_Config``; its
    ``set_server_params`` parses the URL), ``client_caps``, the user agent
    and the connection state; they then set ``_rpc_transport`` (an object
    whose ``handle_rpc(method, params)`` answers in process) or override
    ``_call_rpc``.
    ``server_caps`` is computed from ``server_info`` (itself from ``info()``),
    so a subclass that provides ``server_info`` gets consistent version gates.
    """

    _MULTIPART_UPLOAD_CHUNK_SIZE = 20000000
    _DATE_PATTERN = DATE_PATTERN
    _DATE_TIME_PATTERN = DATE_TIME_PATTERN

    def __init__(
        self,
        base_url: str,
        script_name: Optional[str] = None,
        api_key: Optional[str] = None,
        convert_datetimes_to_utc: bool = True,
        http_proxy: Optional[str] = None,
        connect: bool = True,
        ca_certs: Optional[str] = None,
        login: Optional[str] = None,
        password: Optional[str] = None,
        sudo_as_login: Optional[str] = None,
        session_token: Optional[str] = None,
        auth_token: Optional[str] = None,
    ) -> None:
        _check_credentials(script_name, api_key, login, password, session_token, auth_token, connect)
        self._setup_client(base_url, convert_datetimes_to_utc, http_proxy, ca_certs)
        config = self.config
        config.set_credentials(script_name, api_key, login, password, session_token, auth_token, sudo_as_login)
        if connect:
            self.server_caps  # one info call; the capabilities are kept
        if auth_token is not None:
            # Trade the one-time 2FA code for a session token used from now on.
            config.session_token = self.get_session_token()
            config.user_login = None
            config.user_password = None
            config.auth_token = None

    @staticmethod
    def _http_classes() -> tuple:
        """``(Http, ProxyInfo)`` as this module holds them now: tests and rigs patch ``shotgun_api3.shotgun.Http``."""
        return Http, ProxyInfo

    def _setup_client(
        self,
        base_url: str,
        convert_datetimes_to_utc: bool = True,
        http_proxy: Optional[str] = None,
        ca_certs: Optional[str] = None,
    ) -> None:
        """Build everything but the credentials: ``config``, URL and proxy settings, CA file, user agent.

        Reads ``SHOTGUN_API_RETRY_INTERVAL``, ``SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION``
        and ``SHOTGUN_API_CACERTS``. Makes no network call.
        """
        global SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION
        self.config = _Config(self)
        self.config.convert_datetimes_to_utc = convert_datetimes_to_utc
        self.config.rpc_attempt_interval = _retry.retry_interval_from_environment(self.config.rpc_attempt_interval)
        if os.environ.get("SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", "").strip().lower() == "1":
            SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION = True
        self.__ca_certs = self._get_certs_file(ca_certs)
        self.base_url = (base_url or "").lower()
        self.config.set_server_params(base_url)
        self.config.set_proxy(http_proxy)
        self._server_caps: Optional[ServerCapabilities] = None
        self._setup_connections()
        self.client_caps = ClientCapabilities()
        self.reset_user_agent()

    @staticmethod
    def _get_certs_file(ca_certs: Optional[str]) -> Optional[str]:
        """Return the CA bundle to verify the site with: ``ca_certs``, else ``SHOTGUN_API_CACERTS``, else certifi's."""
        if ca_certs is not None:
            return ca_certs
        if "SHOTGUN_API_CACERTS" in os.environ:
            return os.environ["SHOTGUN_API_CACERTS"]
        return certifi.where()

    def _split_url(self, base_url: str) -> tuple:
        """Return ``(credentials or None, "host[:port]")`` of a site URL."""
        return split_url(base_url)

    @property
    def server_caps(self) -> ServerCapabilities:
        """The site's capabilities, from its ``info`` answer (fetched on first use, again if the server changes).

        A subclass that overrides ``server_info`` (mockgun makes it settable)
        gets capabilities built from whatever ``server_info`` holds now.
        """
        caps = self._server_caps
        if type(self).server_info is not _BASE_SERVER_INFO:
            meta = self.server_info
            if caps is None or caps.host != self.config.server or caps.server_info is not meta:
                caps = self._server_caps = ServerCapabilities(self.config.server, meta)
            return caps
        if caps is None or caps.host != self.config.server:
            caps = self._server_caps = ServerCapabilities(self.config.server, self.info())
        return caps

    @property
    def server_info(self) -> dict:
        """The site's raw ``info`` answer."""
        return self.server_caps.server_info


_BASE_SERVER_INFO = Shotgun.__dict__["server_info"]


def _check_credentials(
    script_name: Any, api_key: Any, login: Any, password: Any, session_token: Any, auth_token: Any, connect: bool
) -> None:
    """Reject contradictory or incomplete credentials, in the reference's order."""
    if session_token is not None:
        if script_name is not None or api_key is not None:
            raise ValueError("cannot provide both session_token and script_name/api_key")
        if login is not None or password is not None:
            raise ValueError("cannot provide both session_token and login/password")
    if login is not None or password is not None:
        if script_name is not None or api_key is not None:
            raise ValueError("cannot provide both login/password and script_name/api_key")
        if login is None:
            raise ValueError("password provided without login")
        if password is None:
            raise ValueError("login provided without password")
    if script_name is not None or api_key is not None:
        if script_name is None:
            raise ValueError("api_key provided without script_name")
        if api_key is None:
            raise ValueError("script_name provided without api_key")
    if auth_token is not None:
        if login is None or password is None:
            raise ValueError("must provide a user login and password with an auth_token")
        if script_name is not None or api_key is not None:
            raise ValueError("cannot provide an auth_code with script_name/api_key")
    if not (session_token or script_name or api_key or login or password) and connect:
        raise ValueError("must provide login/password, session_token or script_name/api_key")


# Type names used in hints of the reference; kept importable.
_EntityList = List[BaseEntity]
