"""The client's retry policy: which failures are tried again, for reads and for writes, how often, how far apart.

Every loop that sends something again asks this module: the RPC status
loop (``_rpc``), the TLS loop of ``_make_call`` (``_connection``), the
stale keep-alive re-send below httplib2 (``_transport``), the form posts
and storage PUTs of file transfers (``_files``). docs/client.rst
("Retries") states the same rules for users.

Reads are sent again whenever the failure says nothing was answered; a
write is sent again only when the site can be known not to have applied
it (503 and 429 mean it refused the request before doing anything). An
RPC is a read only when it is declared in :data:`READ_RPCS`: a new RPC
nobody declared is a write, so it is never sent twice by mistake.

One call counts its requests once (``RpcCall.attempt``): the status and
TLS rules both read that count, each against its own limit.
"""
from __future__ import annotations

import email.utils
import os
import ssl
import time
from typing import Any, Optional

from ._errors import ProtocolError

#: Default of ``Shotgun.MAX_ATTEMPTS``: tries of an RPC answered 502/504/503/429, and of file transfers.
MAX_ATTEMPTS = 3
#: Default of ``Shotgun.BACKOFF``: try ``n`` failed, wait ``n * BACKOFF`` seconds.
BACKOFF = 0.75
#: Default of ``config.max_rpc_attempts``: tries of an RPC whose TLS exchange failed.
MAX_RPC_ATTEMPTS = 3
#: Default of ``config.rpc_attempt_interval`` (milliseconds between TLS tries).
RPC_ATTEMPT_INTERVAL_MS = 3000
#: Sets the initial ``config.rpc_attempt_interval`` of each new client (milliseconds).
RETRY_INTERVAL_VARIABLE = "SHOTGUN_API_RETRY_INTERVAL"
#: Seconds: a longer ``Retry-After`` is cut to this (a script should not hang for long).
RETRY_AFTER_LIMIT = 60.0

#: RPCs that change nothing on the site, so sending one twice is harmless. Anything else is a write.
READ_RPCS = frozenset({
    "info", "get_session_token", "read", "summarize", "query_display_name_cache",
    "schema_read", "schema_entity_read", "schema_field_read",
    "followers", "following", "note_thread_contents", "activity_stream", "nav_expand", "nav_search",
    "work_schedule_read", "preferences_read", "user_subscriptions_read", "export_page",
})

#: A gateway between client and site gave up: the site may have applied the request.
GATEWAY_STATUSES = frozenset({502, 504})
#: The site refused the request before doing anything with it (busy, rate limited).
REFUSED_STATUSES = frozenset({503, 429})
#: Storage PUT answers that are tried again (a PUT can be repeated: it stores the same bytes).
STORAGE_RETRY_STATUSES = frozenset({500, 503})


def is_write(method: Any) -> bool:
    """Whether an RPC may change data on the site (true for every RPC not declared a read)."""
    return method not in READ_RPCS


def status_retry_delay(code: int, attempt: int, write: bool, max_attempts: int, backoff: float,
                       headers: Optional[dict]) -> Optional[float]:
    """Seconds to wait before sending an RPC again after HTTP ``code`` on try ``attempt``; ``None``: do not.

    Reads are tried again after 502, 504, 503 and 429; writes only after
    503 and 429. ``Retry-After`` (503/429) replaces ``attempt * backoff``.
    """
    if attempt >= max_attempts:
        return None
    if code in REFUSED_STATUSES:
        return retry_after(headers, attempt * backoff)
    if code in GATEWAY_STATUSES and not write:
        return attempt * backoff
    return None


def is_tls_failure(error: BaseException) -> bool:
    """Whether a send failed in the TLS layer (EOF, handshake, certificate): the failures tried again."""
    return isinstance(error, (ssl.SSLError, ssl.CertificateError))


def tls_retry_delay(attempt: int, max_rpc_attempts: Any, interval_ms: Any) -> Optional[float]:
    """Seconds to wait before the next try after a TLS failure on try ``attempt``; ``None`` once out of tries."""
    if attempt >= max(int(max_rpc_attempts), 1):
        return None
    return interval_ms / 1000.0


def may_resend(write: bool, sent: bool) -> bool:
    """Whether a request whose exchange failed may be sent again: never a write whose bytes may have left."""
    return not (write and sent)


def may_have_been_applied(error: BaseException, sent: bool) -> bool:
    """Whether a write that failed with ``error`` may have reached the site (and been applied there)."""
    if isinstance(error, ProtocolError):
        return error.errcode in GATEWAY_STATUSES
    return sent


def form_post_delay(attempt: int, max_attempts: int, backoff: float) -> Optional[float]:
    """Seconds to wait after failed form post try ``attempt`` (any ``URLError``); ``None`` once out of tries.

    Unlike the reference, nothing waits after the last try: no try follows.
    """
    delay = float(attempt) * backoff
    return delay if attempt < max_attempts else None


def storage_put_delay(attempt: int, max_attempts: int, backoff: float, status: Optional[int]) -> Optional[float]:
    """Wait before trying a storage PUT again after try ``attempt``; ``None``: give up.

    ``status`` is the HTTP status of the failure, ``None`` for a network
    failure (tried again). Of the HTTP errors only 500 and 503 are.
    """
    if status is not None and status not in STORAGE_RETRY_STATUSES:
        return None
    if attempt >= max_attempts:
        return None
    return float(attempt) * backoff


def retry_after(headers: Optional[dict], default: float) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or HTTP date), else ``default``."""
    value = (headers or {}).get("retry-after")
    if value is None:
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError):
            return default
    return min(max(seconds, 0.0), RETRY_AFTER_LIMIT)


def retry_interval_from_environment(default: int) -> int:
    """``SHOTGUN_API_RETRY_INTERVAL`` (milliseconds, a non-negative int), or ``default`` when unset."""
    value = os.environ.get(RETRY_INTERVAL_VARIABLE)
    if value is None:
        return default
    try:
        interval = int(value)
    except ValueError:
        raise ValueError(
            "Invalid value '%s' found in environment variable %s, must be int." % (value, RETRY_INTERVAL_VARIABLE)
        ) from None
    if interval < 0:
        raise ValueError("Value of %s must be positive, got '%s'." % (RETRY_INTERVAL_VARIABLE, value))
    return interval
