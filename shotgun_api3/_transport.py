"""The RPC channel: httplib2 with one keep-alive connection per thread, TLS, proxies and write safety.

httplib2 quietly sends a request a second time when a kept-alive connection
turns out to be dead. For a read that is harmless; for a write whose answer
was lost it duplicates the write. The connection classes here refuse that
second send when the retry policy says so (``_retry.may_resend``), and
check before sending whether the site already closed an idle connection,
so that the common stale-connection case is handled by reconnecting before
anything was sent.

They also enforce the deadline of the request (``RpcCall.deadline``):
connecting, sending and every read of the answer get what is left of it as
their socket timeout, so that a site dripping its answer a byte at a time
cannot hold a call for longer than the deadline, whereas a plain socket
timeout bounds each read only.

The request being sent (an ``_call.RpcCall``) is given to the thread's
``Http`` object as ``current_call``, which hands it to the connection it
sends on; without one, a request is a read without a deadline.
"""
from __future__ import annotations

import functools
import http.client
import io
import select
import socket
import time
from typing import Any

import httplib2
import socks

from . import _exchange, _retry


def _call_is_write(call: Any) -> bool:
    return call is not None and call.write


def _mark_sent(call: Any) -> None:
    if call is not None:
        call.sent = True


def _deadline_of(call: Any) -> Any:
    return None if call is None else call.deadline


def time_left(deadline: float) -> float:
    """Seconds left until ``deadline``; ``socket.timeout`` once it has passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise socket.timeout("timed out")
    return remaining


class _DeadlineSocketIO(socket.SocketIO):
    """A socket's raw reader that gives each read only what is left of the deadline."""

    def __init__(self, sock: socket.socket, mode: str, deadline: float) -> None:
        super().__init__(sock, mode)
        self._deadline = deadline

    def readinto(self, b: Any) -> Any:  # noqa: D102 - io API
        self._sock.settimeout(time_left(self._deadline))
        return super().readinto(b)


class _DeadlineFiles:
    """Stands in for the socket given to ``HTTPResponse``, which only calls ``makefile("rb")`` on it."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> Any:
        # What socket.makefile("rb") does, with the deadline-aware raw reader.
        raw = _DeadlineSocketIO(self._sock, "rb", self._deadline)
        self._sock._io_refs += 1
        return io.BufferedReader(raw, io.DEFAULT_BUFFER_SIZE)


class _DeadlineResponse(http.client.HTTPResponse):
    """http.client's response, reading under the request's deadline when there is one."""

    def __init__(self, sock: Any, *args: Any, deadline: Any = None, **kwargs: Any) -> None:
        if deadline is not None and isinstance(sock, socket.socket):
            sock = _DeadlineFiles(sock, deadline)
        super().__init__(sock, *args, **kwargs)


class ResendRefused(Exception):
    """A write failed after it was sent; carries the original error. Never escapes the client."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _peer_closed(sock: Any) -> bool:
    """Whether an idle socket has something to read (EOF or junk): then it must not be reused."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN | select.POLLPRI)
            return bool(poller.poll(0))
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _proxy_refusal(error: BaseException) -> BaseException:
    """PySocks wraps a refused CONNECT as ``GeneralProxyError("Socket error", HTTPError("407: ..."))``.

    Callers catch ``socks.HTTPError`` with ``args[0] == (status, reason)``, as
    the socks module bundled with the reference raised it: rebuild that.
    """
    inner = getattr(error, "socket_err", None)
    if not isinstance(inner, socks.HTTPError):
        return error
    status, _, reason = str(getattr(inner, "msg", None) or inner).partition(":")
    try:
        detail = (int(status), reason.strip().encode("latin-1", "replace"))
    except ValueError:
        return inner
    refusal = socks.HTTPError(detail)
    refusal.args = (detail,)  # PySocks' ProxyError leaves args empty
    return refusal


class _WriteSafeConnectionMixin:
    """Makes httplib2's hidden re-send impossible for writes; reconnects dead idle sockets first."""

    #: The ``RpcCall`` being sent on this connection (set by :class:`Http`), or ``None``.
    current_call: Any = None

    @property
    def response_class(self) -> Any:
        # http.client builds the response as response_class(sock, method=...): give it the deadline too.
        return functools.partial(_DeadlineResponse, deadline=_deadline_of(self.current_call))

    def _refuse_resend(self) -> bool:
        """Whether the retry policy forbids sending the failed request again (a write that may have left)."""
        return not _retry.may_resend(_call_is_write(self.current_call), sent=True)

    def connect(self) -> None:  # noqa: D102 - http.client API
        deadline = _deadline_of(self.current_call)
        configured = self.timeout
        if deadline is not None:
            # The deadline follows the current config; the connection's own timeout was fixed when it was made.
            self.timeout = time_left(deadline)
        try:
            super().connect()
        except socks.GeneralProxyError as error:
            refusal = _proxy_refusal(error)
            if refusal is error:
                raise
            raise refusal from error
        finally:
            self.timeout = configured

    def request(self, method, url, body=None, headers=None, **kwargs):  # noqa: D102 - http.client API
        if self.sock is not None and _peer_closed(self.sock):
            self.close()
        if self.sock is None:
            self.connect()  # a failure here means nothing was sent
        deadline = _deadline_of(self.current_call)
        if deadline is not None:
            self.sock.settimeout(time_left(deadline))
        _mark_sent(self.current_call)
        try:
            return super().request(method, url, body, headers or {}, **kwargs)
        except (http.client.HTTPException, OSError) as exc:
            if self._refuse_resend():
                self.close()
                raise ResendRefused(exc) from exc
            raise

    def getresponse(self):  # noqa: D102 - http.client API
        try:
            return super().getresponse()
        except (http.client.HTTPException, OSError) as exc:
            if self._refuse_resend() and not isinstance(exc, socket.timeout):
                self.close()
                raise ResendRefused(exc) from exc
            raise


class WriteSafeHTTPConnection(_WriteSafeConnectionMixin, httplib2.HTTPConnectionWithTimeout):
    """Plain HTTP connection used by :class:`Http`."""


class WriteSafeHTTPSConnection(_WriteSafeConnectionMixin, httplib2.HTTPSConnectionWithTimeout):
    """TLS connection used by :class:`Http`."""


_CONNECTION_TYPES = {"http": WriteSafeHTTPConnection, "https": WriteSafeHTTPSConnection}


class Http(httplib2.Http):
    """httplib2's ``Http`` using the write-safe connections above.

    Test suites patch ``shotgun_api3.shotgun.Http.request``; it keeps
    httplib2's signature and ``(response, content)`` result. The client
    sets ``current_call`` (an ``RpcCall``) before each request.
    """

    current_call: Any = None

    def request(self, uri, method="GET", body=None, headers=None, redirections=httplib2.DEFAULT_MAX_REDIRECTS,
                connection_type=None):
        if connection_type is None:
            connection_type = _CONNECTION_TYPES.get(uri.split(":", 1)[0].lower())
        if not self.cache and not self.force_exception_to_status_code and isinstance(uri, str):
            answer = self._request_on_open_connection(uri, method, body, headers, redirections)
            if answer is not None:
                return answer
        return super().request(uri, method=method, body=body, headers=headers, redirections=redirections,
                               connection_type=connection_type)

    def _request_on_open_connection(self, uri, method, body, headers, redirections):
        """httplib2's ``request`` for a URI whose connection is open, without a cache: ``None`` otherwise.

        Does what httplib2's ``request`` does in that case (header
        normalisation, default headers, then ``_request`` with its redirects
        and authentication), with the URI normalisation memoised: httplib2
        re-encodes the URI character by character on every call.
        """
        try:
            absolute_uri, scheme, authority, request_uri = _normalized_uri(uri)
        except Exception:  # httplib2 raises its own way
            return None
        conn_key = scheme + ":" + authority
        conn = self.connections.get(conn_key)
        if conn is None:
            return None
        headers = {} if headers is None else self._normalize_headers(headers)
        if "cache-control" in headers:
            return None
        if "user-agent" not in headers:
            headers["user-agent"] = "Python-httplib2/%s (gzip)" % httplib2.__version__
        if "range" not in headers and "accept-encoding" not in headers:
            headers["accept-encoding"] = "gzip, deflate"
        try:
            return self._request(conn, authority, absolute_uri, request_uri, method, body, headers, redirections, None)
        except socket.timeout:
            conn = self.connections.pop(conn_key, None)
            if conn:
                conn.close()
            raise

    def _conn_request(self, conn, request_uri, method, body, headers):
        """Exchange on an open, still alive keep-alive connection directly (see ``_exchange``); else httplib2's way.

        The direct exchange keeps the write safety of the connection classes:
        a write is never sent twice, a read whose kept-alive connection was
        dead is sent again on a new one, as httplib2 does.
        """
        call = self.current_call
        conn.current_call = call  # what the connection classes read: write or not, deadline, sent
        request = None
        if (conn.sock is not None and isinstance(conn, _WriteSafeConnectionMixin) and not conn.debuglevel
                and conn._tunnel_host is None):
            request = _exchange.encode_request(conn, method, request_uri, body, headers)
        if request is None or _peer_closed(conn.sock):
            return super()._conn_request(conn, request_uri, method, body, headers)
        _mark_sent(call)
        deadline = _deadline_of(call)
        write = _call_is_write(call)
        try:
            try:
                response, content = _exchange.exchange(conn, request, method, deadline)
            except _exchange.StaleConnection as stale:
                if not _retry.may_resend(write, sent=True):
                    raise ResendRefused(stale.original) from stale.original
                # Like httplib2: a read is sent once more, on a new connection.
                conn.connect()
                try:
                    response, content = _exchange.exchange(conn, request, method, deadline)
                except _exchange.StaleConnection as again:
                    raise again.original from None
        except (http.client.HTTPException, OSError) as exc:
            if not _retry.may_resend(write, sent=True) and not isinstance(exc, socket.timeout):
                raise ResendRefused(exc) from exc
            raise
        if method != "HEAD":
            content = httplib2._decompressContent(response, content, self.limit_kwargs)
        return response, content


@functools.lru_cache(maxsize=256)
def _normalized_uri(uri: str) -> tuple:
    """``(absolute URI, scheme, authority, request URI)`` as httplib2 derives them from a request URI."""
    uri = httplib2.iri2uri(uri).replace(" ", "%20").replace("\r", "%0D").replace("\n", "%0A")
    scheme, authority, request_uri, _ = httplib2.urlnorm(uri)
    return uri, scheme, authority, request_uri


class ProxyInfo(httplib2.ProxyInfo):
    """An HTTP proxy reached with ``CONNECT`` tunnelling (``proxy_type`` defaults to HTTP)."""

    def __init__(self, proxy_type=socks.PROXY_TYPE_HTTP, proxy_host=None, proxy_port=None, proxy_rdns=True,
                 proxy_user=None, proxy_pass=None, proxy_headers=None):
        super().__init__(proxy_type, proxy_host, proxy_port, proxy_rdns=proxy_rdns, proxy_user=proxy_user,
                         proxy_pass=proxy_pass, proxy_headers=proxy_headers)


def close_http(connection: Any) -> None:
    """Close every socket an ``Http`` object holds."""
    connections = getattr(connection, "connections", None) or {}
    for conn in list(connections.values()):
        try:
            conn.close()
        except OSError:
            pass
    connections.clear()
