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
    The engine never checks credentials itself.
    """

    user: Optional[Dict[str, Any]] = None
    session_uuid: Optional[str] = None
    sudo_as_login: Optional[str] = None
    script_name: Optional[str] = None
    extra: Optional[Dict[str, Any]] = None

    def user_link(self) -> Optional[Dict[str, Any]]:
        """A fresh ``{"type", "id"}`` link to ``user`` (what writes store), or ``None`` without one."""
        user = self.user
        if isinstance(user, dict) and "type" in user and "id" in user:
            return {"type": user["type"], "id": user["id"]}
        return None
