"""Connection handling of ``Shotgun``: one keep-alive httplib2 connection per thread, TLS retries.

The retry rules themselves are in ``_retry``; ``_make_call`` applies the TLS
rule and hands the request (an ``RpcCall``) down to the connection.

Every thread that uses a client gets its own ``Http`` object (httplib2
connections are not thread-safe), created lazily with the settings current
at that moment (``config.timeout_secs``, proxy, CA file). ``close()`` closes
the connections of every thread; each thread then reconnects on its next call.
"""
from __future__ import annotations

import functools
import http.client
import logging
import socket
import ssl
import threading
import time
import urllib.parse
import weakref
from typing import Any

import httplib2

from . import _retry, _transport
from ._call import RpcCall
from ._capabilities import client_sys
from ._version import __version__

LOG = logging.getLogger("shotgun_api3")

WRITE_NOT_RESENT = (
    "The request was not sent again: it is a write and the site may already have applied it. "
    "Check the site before retrying."
)


def _platform_label() -> str:
    platform = client_sys().platform
    if platform == "darwin":
        return "Mac"
    if platform.startswith("linux"):
        return "Linux"
    if platform == "win32":
        return "Windows"
    return "Unknown"


def write_not_resent(error: BaseException) -> BaseException:
    """Annotate a transport error of a write that must not be retried; returns the same exception."""
    LOG.warning("%s: %s", WRITE_NOT_RESENT, error)
    if hasattr(error, "add_note"):
        error.add_note(WRITE_NOT_RESENT)
    return error


def name_url(error: BaseException, url: str) -> BaseException:
    """Add ``url`` to the message of a transport error, in place (returns it), unless it names it already.

    Other exceptions (one a test rig's ``_http_request`` raises, say) are left as they are.
    """
    if not isinstance(error, (OSError, http.client.HTTPException, httplib2.HttpLib2Error)):
        return error
    try:
        if url in str(error):
            return error
    except Exception:  # PySocks' HTTPError has a __str__ that returns a tuple: leave such errors alone
        return error
    if isinstance(error, OSError) and error.strerror:
        error.strerror = "%s (%s)" % (error.strerror, url)
    elif len(error.args) == 1 and isinstance(error.args[0], str):
        error.args = ("%s (%s)" % (error.args[0], url),)
    elif not error.args:
        error.args = (url,)
    return error


class ConnectionMethods:
    """Per-thread connections, the request loop with its TLS retries, and the user agent."""

    # The reference's class attributes (rigs set them on an instance); the rules using them are in _retry.
    MAX_ATTEMPTS = _retry.MAX_ATTEMPTS
    BACKOFF = _retry.BACKOFF

    def _setup_connections(self) -> None:
        """Start without any connection; each thread creates its own on its first call."""
        self._threads = threading.local()
        self._connections_lock = threading.Lock()
        # Weak: a thread that ends drops its connection (thread-local storage goes with it).
        self._open_connections: weakref.WeakSet = weakref.WeakSet()
        self._connection_generation = 0
        # Code written for the reference lists instance attributes and expects
        # `_connection` among them; the live value is the property below.
        self.__dict__["_connection"] = None

    @property
    def _connection(self) -> Any:
        """The calling thread's connection object, or ``None`` before its first call / after ``close()``."""
        threads = self.__dict__.get("_threads")
        if threads is None or getattr(threads, "generation", None) != self._connection_generation:
            return None
        return getattr(threads, "connection", None)

    @_connection.setter
    def _connection(self, value: Any) -> None:
        threads = self.__dict__.get("_threads")
        if threads is None:
            self.__dict__["_connection"] = value
            return
        threads.connection = value
        threads.generation = self._connection_generation
        if value is not None:
            with self._connections_lock:
                self._open_connections.add(value)

    def _get_connection(self) -> Any:
        """Return the calling thread's connection object, creating it if needed."""
        if self._connection is not None:
            return self._connection
        http_class, proxy_info_class = self._http_classes()

        config = self.config
        proxy_info = None
        if config.proxy_server:
            proxy_info = proxy_info_class(
                proxy_host=config.proxy_server,
                proxy_port=int(config.proxy_port),
                proxy_user=config.proxy_user,
                proxy_pass=config.proxy_pass,
            )
        connection = http_class(
            timeout=config.timeout_secs,
            ca_certs=getattr(self, "_Shotgun__ca_certs", None) or None,
            proxy_info=proxy_info,
            disable_ssl_certificate_validation=False,
        )
        self._connection = connection
        return connection

    def _close_connection(self) -> None:
        """Close the calling thread's connection; its next call reconnects."""
        connection = self._connection
        if connection is None:
            return
        _transport.close_http(connection)
        with self._connections_lock:
            self._open_connections.discard(connection)
        self._connection = None

    def close(self) -> None:
        """Close the connections of every thread (and stop page prefetching workers)."""
        with self._connections_lock:
            connections, self._open_connections = list(self._open_connections), weakref.WeakSet()
            self._connection_generation += 1
        for connection in connections:
            _transport.close_http(connection)
        self._stop_prefetching()

    def connect(self) -> None:
        """Open the calling thread's connection and check the site with an ``info`` call."""
        self._get_connection()
        self.info()

    def reset_user_agent(self) -> None:
        """Restore the default user-agent entries (client, Python and platform, SSL library)."""
        _sys = client_sys()
        self._user_agents = [
            "shotgun-json (%s)" % __version__,
            "Python %s.%s (%s)" % (_sys.version_info[0], _sys.version_info[1], _platform_label()),
            "ssl %s" % ssl.OPENSSL_VERSION,
        ]

    def add_user_agent(self, agent: str) -> None:
        """Append an entry to the ``user-agent`` header sent with every RPC."""
        self._user_agents.append(agent)

    def _thread_slot(self) -> Any:
        """The calling thread's own state on this client (its connection, its current call), or ``None``.

        ``None`` before the connection state is set up (mockgun sets it up on
        first use only).
        """
        return self.__dict__.get("_threads")

    def _current_call(self) -> Any:
        """The ``RpcCall`` the calling thread is sending through the ``_make_call`` seam, or ``None``."""
        slot = self._thread_slot()
        return None if slot is None else getattr(slot, "call", None)

    def _make_call(self, verb: str, path: str, body: Any, headers: dict | None) -> tuple:
        """Send one request with the client headers; retry TLS failures per ``config.max_rpc_attempts``.

        Each request (each try) must complete within the call budget (see
        :meth:`_call_budget`): connecting, sending and the whole answer.
        Transport errors name the URL they were raised for. The request is
        the thread's current RPC (``_rpc``) or, called on its own, a read.
        """
        request_headers = {"user-agent": "; ".join(self._user_agents)}
        if self.config.authorization:
            request_headers["Authorization"] = self.config.authorization
        request_headers.update(headers or {})
        call = self._current_call()
        if call is None:
            call = RpcCall(None, write=False)
        if call.attempt == 0:
            call.attempt = 1
        budget = self._call_budget()
        slot = self._thread_slot()
        outer = None if slot is None else getattr(slot, "call", None)
        if slot is not None:
            slot.call = call  # read by _http_request, which hands it to the connection
        try:
            while True:
                call.start_try(budget)
                try:
                    return self._http_request(verb, path, body, request_headers)
                except _transport.ResendRefused as refused:
                    self._close_connection()
                    LOG.debug("Request failed.  Reason: %s", refused.original)
                    raise write_not_resent(self._described(refused.original, path, budget)) from None
                except Exception as error:
                    self._close_connection()
                    tls = _retry.is_tls_failure(error)
                    if tls:
                        LOG.debug("%s: %s", type(error).__name__, error)
                    else:
                        LOG.debug("Request failed.  Reason: %s", error)
                    described = self._described(error, path, budget)
                    if not _retry.may_resend(call.write, call.sent):
                        raise write_not_resent(described)
                    delay = _retry.tls_retry_delay(call.attempt, self.config.max_rpc_attempts,
                                                   self.config.rpc_attempt_interval) if tls else None
                    if delay is None:
                        if tls:
                            LOG.debug("Request failed.  Giving up after %d attempts.", call.attempt)
                        if described is error:
                            raise
                        raise described
                    LOG.debug("Request failed, attempt %d of %d.  Retrying in %.2f seconds...",
                              call.attempt, max(int(self.config.max_rpc_attempts), 1), delay)
                    time.sleep(delay)
                    call.attempt += 1
        finally:
            call.deadline = None
            if slot is not None:
                slot.call = outer

    def _call_budget(self) -> Any:
        """Seconds one request may take in all: ``config.timeout_secs``, else ``config.default_deadline_secs``."""
        config = self.config
        timeout = config.timeout_secs
        if timeout is None:
            timeout = getattr(config, "default_deadline_secs", None)
        return timeout

    def _described(self, error: BaseException, path: str, budget: Any) -> BaseException:
        """``error`` with the request URL in its message (a timeout also says how long it had)."""
        url = _url(self.config.scheme, self.config.server, path)
        if isinstance(error, socket.timeout) and error.args in ((), ("timed out",)):
            described = socket.timeout("No complete answer from %s within %s seconds (%s)" % (
                url, budget, "config.timeout_secs" if self.config.timeout_secs is not None
                else "config.default_deadline_secs"))
            described.__cause__ = error
            described.__traceback__ = error.__traceback__
            return described
        return name_url(error, url)

    def _http_request(self, verb: str, path: str, body: Any, headers: dict) -> tuple:
        """Perform one request on the calling thread's connection.

        Returns ``((status, reason), headers, body)`` with lower-case header names.
        """
        url = _url(self.config.scheme, self.config.server, path)
        connection = self._get_connection()
        connection.current_call = self._current_call()
        response, content = connection.request(url, method=verb, body=body, headers=headers)
        response_headers = {str(key).lower(): value for key, value in response.items()}
        return (response.status, response.reason), response_headers, content

    def _stop_prefetching(self) -> None:
        """Shut down the page prefetching workers, if any were started."""
        executor = self.__dict__.pop("_prefetch_executor", None)
        if executor is not None:
            executor.shutdown(wait=False)


@functools.lru_cache(maxsize=256)
def _url(scheme: str, server: str, path: str) -> str:
    """The request URL of a path on the site (memoised: the same few are built for every call)."""
    return urllib.parse.urlunparse((scheme, server, path, None, None, None))
