"""The local site server: routes HTTP requests of a Site to the RPC and file handlers."""
from __future__ import annotations

import gc
import logging
import ssl
import time
from typing import Optional

from . import transfer
from .form_data import MAX_URLENCODED_FORM
from .http import HttpServer, Request, Response, error_response
from .limits import Limits
from .rpc import fault_response, handle_rpc
from .site import Site
from . import web

LOG = logging.getLogger("shotgun_api3")

#: The body cap of routes that take none (downloads, unknown paths).
SMALL_BODY_BYTES = 64 * 1024
#: Upload forms whose file travels inside the form (the credentials come first in it).
_FILE_FORMS = ("/upload/upload_file", "/upload/publish_thumbnail")


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server TLS context from a PEM certificate (chain) and its private key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


def tune_garbage_collector() -> None:
    """Make the cyclic garbage collector of a process that serves a site run less often.

    A site keeps every record in memory for its whole life. With Python's
    default thresholds the collector keeps walking those long-lived tables, and
    a busy site spends a growing share of each request there as it fills up.
    Records are trees, not reference cycles, so they are freed by reference
    counting either way. Called by ``shotgun-local-site serve``; a program that
    embeds a site in its own process decides for itself. Sites then also
    freeze what their calls leave alive (``Site.freeze_survivors``).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    Site.freeze_survivors = True


class LocalSiteServer:
    """Serve one :class:`~shotgun_api3.local_site.site.Site` over HTTP(S).

    Binding happens in the constructor (``port=0`` picks a free port), so
    ``url`` is known before ``start()``; ``public_url`` overrides it when
    clients reach the server under another name. Use it as a context manager to
    start and stop it around a block.
    """

    def __init__(self, site, host: str = "127.0.0.1", port: int = 0,
                 tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                 public_url: Optional[str] = None, limits: Optional[Limits] = None) -> None:
        self.site = site
        context = tls_context(tls_cert, tls_key) if tls_cert else None
        self._http = HttpServer(self.dispatch, host, port, context, limits=limits,
                                body_policy=self.body_policy, too_large=self.too_large)
        self.limits = self._http.limits
        self.host = host
        self.port = self._http.port
        shown_host = "[%s]" % host if ":" in host else host
        # The URL clients use; file and storage URLs the site hands out start
        # with it, so behind a proxy or on 0.0.0.0 give the reachable one.
        self.url = (public_url or "%s://%s:%d" % (self._http.scheme, shown_host, self.port)).rstrip("/")
        try:
            site.url = self.url
        except BaseException:
            self._http.stop(0)
            raise
        # Routes are static: resolve them once, not per request.
        self._routes = [(method.upper(), prefix, handler) for method, prefix, handler in transfer.ROUTES]

    def body_policy(self, method: str, path: str) -> tuple:
        """``(body cap, whether a chunked body may spool to disk)`` of a route, known from the head alone.

        Only the signed storage ``PUT`` may spool (its signature is checked
        before a byte is read, and it wants a ``Content-Length`` anyway):
        every other route needs credentials that are in the body, or takes none.
        """
        if path.endswith("/api3/json"):
            return self.site.max_request_bytes, False
        if method == "PUT" and path.startswith("/storage/"):
            return self.limits.max_body_bytes, True
        if method == "POST" and path.startswith("/upload/"):
            if path.rstrip("/") in _FILE_FORMS:
                return self.limits.max_body_bytes, False
            return MAX_URLENCODED_FORM, False
        return SMALL_BODY_BYTES, False

    def too_large(self, request: Request, cap: int) -> Response:
        """The answer to a body over its route's cap (never read): a fault for the JSON API, else 413."""
        if request.path.endswith("/api3/json"):
            return fault_response("Request too large: %d bytes, the limit of this site is %d bytes."
                                  % (request.content_length, cap))
        return error_response(413, "request body too large: %d bytes, the limit of this route is %d bytes"
                              % (request.content_length, cap))

    def dispatch(self, request: Request) -> Response:
        """Route one request; with DEBUG logging on, log its line, status and duration (never its body)."""
        if not LOG.isEnabledFor(logging.DEBUG):
            return self._route(request)
        started = time.perf_counter()
        response = self._route(request)
        LOG.debug("local site: %s %s -> %d in %.1f ms", request.method, request.path, response.status,
                  (time.perf_counter() - started) * 1000)
        return response

    def _route(self, request: Request) -> Response:
        """The JSON API, then the file routes by prefix, then the web pages (``local_site.web``), else 404."""
        try:
            if request.path.endswith("/api3/json"):
                return handle_rpc(self.site, request)
            for method, prefix, handler in self._routes:
                if request.path.startswith(prefix) and (method == request.method or
                                                        (method == "GET" and request.method == "HEAD")):
                    return handler(self.site, request)
            if web.handles(request.path):
                return web.handle(self.site, request)
            return error_response(404, "no such page on this local site: %s" % request.path)
        except (ConnectionError, TimeoutError):
            raise
        except Exception:
            LOG.exception("local site: %s %s failed", request.method, request.path)
            if request.path.endswith("/api3/json"):
                return fault_response("Internal error in the local site; see the server log.")
            return error_response(500, "internal error in the local site; see the server log")

    def start(self) -> "LocalSiteServer":
        self._http.start()
        LOG.info("local site serving at %s", self.url)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, let requests in flight finish, close connections."""
        self._http.stop(timeout)

    def __enter__(self) -> "LocalSiteServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
