"""The HTTP side of file transfer: urllib openers, form posts and storage requests.

Uploads and downloads do not use the RPC connection: like the reference
client they go through a fresh standard library opener per request, which
carries the CA file, the proxy given to the client and one extra handler.
"""
from __future__ import annotations

import functools
import logging
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional

from .. import _retry
from .._errors import ShotgunError
from .forms import FormPostHandler
from .progress import current_progress

LOG = logging.getLogger("shotgun_api3")


@functools.lru_cache(maxsize=8)
def _tls_context(ca_certs: str, stamp: tuple) -> ssl.SSLContext:
    # Loading a CA bundle takes tens of milliseconds and an upload makes a
    # request per part: build the context once per CA file (and version of it).
    return ssl.create_default_context(cafile=ca_certs)


def tls_context(ca_certs: str) -> ssl.SSLContext:
    """A default TLS context trusting only ``ca_certs``, shared between requests."""
    try:
        info = os.stat(ca_certs)
        stamp: tuple = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = ()
    return _tls_context(ca_certs, stamp)


class CaFileHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's HTTPS handler trusting only a CA file, whose TLS context is built on the first HTTPS request.

    Loading a CA bundle costs tens of milliseconds per process; a client of a
    plain-HTTP site (the local site) never needs it. ``https_open`` reads
    ``_context`` on every Python we support, so a property makes it lazy.
    """

    def __init__(self, ca_certs: str) -> None:
        # Not HTTPSHandler.__init__: on 3.12+ it builds a default context at once.
        urllib.request.AbstractHTTPHandler.__init__(self)
        self._ca_certs = ca_certs
        self._check_hostname = None  # read by https_open before Python 3.12

    @property
    def _context(self) -> ssl.SSLContext:
        return tls_context(self._ca_certs)


class TransferTransport:
    """Openers, form posts and the storage request seam (mixed into ``Shotgun``)."""

    def _site_url(self, path: str) -> str:
        """The absolute URL of ``path`` on the site the client talks to."""
        return urllib.parse.urlunparse((self.config.scheme, self.config.server, path, None, None, None))

    def _build_opener(self, handler: Any) -> urllib.request.OpenerDirector:
        """A urllib opener with the CA file, the client's proxy and ``handler`` (a class, an instance or ``None``)."""
        handlers = []
        # The client stores its CA path name-mangled (``Shotgun.__ca_certs``).
        ca_certs = getattr(self, "_Shotgun__ca_certs", None)
        if ca_certs:
            handlers.append(CaFileHTTPSHandler(ca_certs))
        if self.config.proxy_handler:
            handlers.append(self.config.proxy_handler)
        if handler is not None:
            handlers.append(handler)
        return urllib.request.build_opener(*handlers)

    def _make_upload_request(self, request: urllib.request.Request, opener: urllib.request.OpenerDirector) -> Any:
        """Open a storage request; HTTP errors propagate as ``urllib.error.HTTPError``."""
        return opener.open(request)

    def _send_form(self, url: str, params: Dict[str, Any]) -> str:
        """POST ``params`` (plus the auth fields, added into ``params``) as a form; return the answer text.

        Any ``URLError``, HTTP errors included, is tried again as
        ``_retry.form_post_delay`` says (as the reference does); files in
        ``params`` are re-sent from their start on every try.
        """
        params.update(self._auth_params())
        progress = current_progress()
        start = progress.done if progress is not None else 0
        last_error: Optional[BaseException] = None
        for attempt in range(1, self.MAX_ATTEMPTS + 1):
            if progress is not None:
                progress.rewind(start)
            try:
                opener = self._build_opener(FormPostHandler)
                with opener.open(url, params) as response:
                    answer = response.read()
            except urllib.error.URLError as error:
                last_error = error
                LOG.debug("Got a %s response. Waiting and retrying...", error)
                delay = _retry.form_post_delay(attempt, self.MAX_ATTEMPTS, self.BACKOFF)
                if delay is not None:
                    time.sleep(delay)
                continue
            return answer.decode("utf-8") if isinstance(answer, bytes) else answer
        raise ShotgunError("Max attempts limit reached.") from last_error
