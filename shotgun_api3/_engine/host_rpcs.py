"""The RPCs answered by whoever hosts the engine, the same way for the local site and for mockgun.

``info`` (the host's server description, asked without credentials) and
``get_session_token`` (a session of the host's) are not the engine's to
answer; ``export_page`` is the engine's, but its answer is the one that is
not JSON: a site sends the CSV itself as the body. A host passes itself as
``host``: it has a ``server_info`` dict and an ``open_session(context)``
that returns a session token.
"""
from __future__ import annotations

from typing import Any, Optional

#: RPCs the host answers itself (see :func:`answer`).
HOST_ANSWERED = frozenset({"info", "get_session_token"})
#: RPCs asked without credentials: the host answers them before any authentication.
NO_CREDENTIALS = frozenset({"info"})


def answer(host: Any, method: str, context: Any) -> Any:
    """The answer of an RPC in :data:`HOST_ANSWERED` (what a site puts in ``results``)."""
    if method == "info":
        return host.server_info
    if method == "get_session_token":
        return {"session_id": host.open_session(context)}
    raise ValueError("%s is not answered by the host" % method)


def raw_body(method: str, results: Any) -> Optional[bytes]:
    """The body of an answer a site sends as it is rather than as JSON (an export's CSV), else ``None``."""
    if method == "export_page" and isinstance(results, str):
        return results.encode("utf-8")
    return None
