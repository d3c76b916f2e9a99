"""Per-client configuration: credentials, site address, proxy, timeouts and retry settings."""
from __future__ import annotations

import base64
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from . import _retry

if TYPE_CHECKING:
    from .shotgun import Shotgun

_DEFAULT_RECORDS_PER_PAGE = 500
# Seconds one request may take in all when timeout_secs is unset: long enough
# for the slowest legitimate answer (a big schema read on a busy site), short
# enough that a site that accepted a connection and went silent cannot hang a
# script for ever.
DEFAULT_DEADLINE_SECS = 600.0
_DEFAULT_PROXY_PORT = 8080


class _Config:
    """Everything a ``Shotgun`` instance needs to reach and authenticate with its site.

    Attributes are read when they are used, so assigning one (for example
    ``sg.config.timeout_secs = 30`` or ``sg.config.rpc_attempt_interval = 0``)
    takes effect on the next call.

    ``timeout_secs`` keeps the reference's value (``None`` unless given) but
    bounds a whole request (connecting, sending and reading the whole
    answer), not each socket read. When it is ``None``,
    ``default_deadline_secs`` (our own knob, 600 seconds) bounds each request
    instead; set that to ``None`` to wait for ever, as the reference does.

    ``prefetch_pages`` is our own knob (default ``0``, off): when a ``find``
    loops over several pages, fetch up to that many pages ahead concurrently,
    each on its own connection. Results are identical and in order.
    """

    def __init__(self, sg: "Shotgun") -> None:
        self._sg = sg
        # Read by the TLS retry rule (_retry) on every call; scripts set them.
        self.max_rpc_attempts = _retry.MAX_RPC_ATTEMPTS
        self.rpc_attempt_interval = _retry.RPC_ATTEMPT_INTERVAL_MS
        self.timeout_secs: float | None = None
        self.default_deadline_secs: float | None = DEFAULT_DEADLINE_SECS
        self.api_ver = "api3"
        self.convert_datetimes_to_utc = True
        self._records_per_page: int | None = None
        self.api_key: str | None = None
        self.script_name: str | None = None
        self.user_login: str | None = None
        self.user_password: str | None = None
        self.auth_token: str | None = None
        self.sudo_as_login: str | None = None
        self.extra_auth_params: dict | None = None
        self.session_uuid: str | None = None
        self.scheme: str | None = None
        self.server: str | None = None
        self.api_path: str | None = None
        self.raw_http_proxy: str | None = None
        self.proxy_handler: urllib.request.ProxyHandler | None = None
        self.proxy_server: str | None = None
        self.proxy_port = _DEFAULT_PROXY_PORT
        self.proxy_user: str | None = None
        self.proxy_pass: str | None = None
        self.session_token: str | None = None
        self.authorization: str | None = None
        self.localized = False
        self.prefetch_pages = 0

    @property
    def records_per_page(self) -> int:
        """Page size of reads: the site's ``api_max_entities_per_page``, else 500 (read once, then cached)."""
        if self._records_per_page is None:
            info = self._sg.server_info or {}
            self._records_per_page = info.get("api_max_entities_per_page") or _DEFAULT_RECORDS_PER_PAGE
        return self._records_per_page

    def set_credentials(self, script_name: str | None, api_key: str | None, login: str | None,
                        password: str | None, session_token: str | None, auth_token: str | None,
                        sudo_as_login: str | None) -> None:
        """Keep the constructor's credentials (checked by the caller, never logged)."""
        self.script_name = script_name
        self.api_key = api_key
        self.user_login = login
        self.user_password = password
        self.session_token = session_token
        self.auth_token = auth_token
        self.sudo_as_login = sudo_as_login

    def set_server_params(self, base_url: str) -> None:
        """Derive ``scheme``, ``server``, ``api_path`` and ``authorization`` from the site URL.

        The scheme, host and API path come from the lower-cased URL; credentials
        embedded in the URL keep their case and become a Basic ``authorization``
        header value. A sub-path only counts when it ends with ``/``.
        """
        lowered = urllib.parse.urlsplit((base_url or "").lower())
        if lowered.scheme not in ("http", "https"):
            raise ValueError("base_url must use http or https got '%s'" % base_url)
        self.scheme = lowered.scheme
        api_root = urllib.parse.urljoin(lowered.path or "/", self.api_ver + "/")
        self.api_path = urllib.parse.urljoin(api_root, "json")
        auth, self.server = split_url(base_url)
        if auth:
            self.authorization = "Basic " + base64.b64encode(urllib.parse.unquote(auth).encode("utf-8")).decode(
                "ascii"
            )
        else:
            self.authorization = None

    def set_proxy(self, http_proxy: str | None) -> None:
        """Parse ``host[:port]`` / ``user:pass@host[:port]`` (the password may hold ``:`` and ``@``)."""
        self.raw_http_proxy = http_proxy
        if not http_proxy:
            return
        address = http_proxy
        if "@" in http_proxy:
            credentials, address = http_proxy.rsplit("@", 1)
            self.proxy_user, self.proxy_pass = credentials.split(":", 1)
        host, _, port = address.partition(":")
        self.proxy_server = host
        if port:
            try:
                self.proxy_port = int(port)
            except ValueError:
                raise ValueError(
                    "Invalid http_proxy address '%s'. Valid format is '123.456.789.012' or "
                    "'123.456.789.012:3456'. If no port is specified, a default of %d will be used."
                    % (http_proxy, _DEFAULT_PROXY_PORT)
                ) from None
        userinfo = "%s:%s@" % (self.proxy_user, self.proxy_pass) if self.proxy_user is not None else ""
        proxy_url = "http://%s%s:%d" % (userinfo, self.proxy_server, self.proxy_port)
        self.proxy_handler = urllib.request.ProxyHandler({self.scheme: proxy_url})


def split_url(base_url: str) -> tuple[Any, str]:
    """Return ``(credentials or None, "host[:port]")`` of a URL; the host is lower-cased."""
    parts = urllib.parse.urlsplit(base_url)
    auth, _, _hostport = parts.netloc.rpartition("@")
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host  # IPv6 literal
    server = "%s:%d" % (host, parts.port) if parts.port else host
    return (auth or None), server
