"""Signed, expiring URLs for the local site's emulated storage.

A storage URL carries ``expires`` (a Unix time) and ``signature`` (an
HMAC-SHA256 of the path and expiry with the site's secret), like the
pre-signed URLs of cloud storage: whoever holds one may PUT to that one path
until it expires, and nobody can make one up.
"""
from __future__ import annotations

import hashlib
import hmac
import time
import urllib.parse
from typing import Mapping, Optional, Sequence

#: How long a storage URL handed to a client stays valid.
STORAGE_URL_SECONDS = 3600


def signature(secret: bytes, path: str, expires: int) -> str:
    """The signature of ``path`` (percent-decoded) valid until ``expires``."""
    message = ("%s\n%d" % (path, expires)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_url(site_url: str, secret: bytes, path: str, seconds: int = STORAGE_URL_SECONDS,
               now: Optional[float] = None) -> str:
    """An absolute URL for ``path`` that :func:`is_valid` accepts for ``seconds``."""
    expires = int(now if now is not None else time.time()) + seconds
    query = urllib.parse.urlencode({"expires": expires, "signature": signature(secret, path, expires)})
    return "%s%s?%s" % (site_url, urllib.parse.quote(path), query)


def is_valid(secret: bytes, path: str, query: Mapping[str, Sequence[str]], now: Optional[float] = None) -> bool:
    """Whether ``query`` holds an unexpired signature for ``path``."""
    try:
        expires = int(query["expires"][0])
        given = query["signature"][0]
    except (KeyError, IndexError, ValueError):
        return False
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(given, signature(secret, path, expires))
