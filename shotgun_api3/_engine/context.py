"""Who is calling: the facts about a call that do not travel in its params."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional


@dataclass
class CallContext:
    """The caller of one RPC, already authenticated by whoever built it.

    ``user`` is the link (``{"type": "HumanUser" | "ApiUser", "id": n}``) the
    engine writes into ``created_by``/``updated_by`` and event log entries;
    ``sudo_as_login`` and ``session_uuid`` are copied from the auth dict.
    The engine never checks credentials itself. ``params_from_json``: the
    params were decoded from JSON text holding no NaN, no infinite number
    (``Infinity``, ``1e400``) and no key named like a stored row's tag
    (``"$dt"``...), so every value in them
    is exact JSON data, which the store writes unchecked
    (``store/plain_rows.py``); the local site's RPC route sets it.
    """

    user: Optional[Dict[str, Any]] = None
    session_uuid: Optional[str] = None
    sudo_as_login: Optional[str] = None
    script_name: Optional[str] = None
    extra: Optional[Dict[str, Any]] = None
    params_from_json: bool = False

    def user_link(self) -> Optional[Dict[str, Any]]:
        """A fresh ``{"type", "id"}`` link to ``user`` (what writes store), or ``None`` without one."""
        user = self.user
        if isinstance(user, dict) and "type" in user and "id" in user:
            return {"type": user["type"], "id": user["id"]}
        return None
