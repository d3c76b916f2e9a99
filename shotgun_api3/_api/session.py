"""Identity and session methods: ``info``, tokens, human login, preferences and subscriptions."""
from __future__ import annotations

from typing import Any

from .._capabilities import version_gate


class SessionMethods:
    """Who is calling and what the site is."""

    def info(self) -> dict:
        """Return the site's ``info`` answer (version, page size, upload settings); needs no credentials."""
        return self._call_rpc("info", None, include_auth_params=False)

    def get_session_token(self) -> str:
        """Return the session token, asking the site for one (and keeping it) when none is known."""
        if self.config.session_token:
            return self.config.session_token
        answer = self._call_rpc("get_session_token", None)
        session_id = answer.get("session_id") if isinstance(answer, dict) else None
        if not session_id:
            raise RuntimeError("Could not extract session_id from %s" % (answer,))
        self.config.session_token = session_id
        return session_id

    def authenticate_human_user(self, user_login: str, user_password: str, auth_token: str | None = None) -> Any:
        """Check a user's login and password; returns their ``HumanUser`` record (``id``, ``login``) or ``None``.

        The client's own credentials are untouched afterwards. Authentication
        errors from the site (``AuthenticationFault``...) propagate.
        """
        if not user_login:
            raise ValueError("Please supply a username to authenticate.")
        if not user_password:
            raise ValueError("Please supply a password for the user.")
        # The reference swaps the credentials in ``config`` for the call; that
        # would leak them into other threads' calls, so the swap is on this
        # thread's own slot of the client, which ``_auth_params`` reads. A
        # client without connection state (mockgun before any wire use)
        # builds no auth dict, so there is nothing to swap.
        state = self._thread_slot()
        saved = getattr(state, "human_credentials", None)
        if state is not None:
            state.human_credentials = (user_login, user_password, auth_token)
        try:
            return self.find_one(
                "HumanUser",
                [["sg_status_list", "is", "act"], ["login", "is", user_login]],
                ["id", "login"],
                order="",
                filter_operator="all",
            )
        finally:
            if state is not None:
                state.human_credentials = saved

    def set_session_uuid(self, session_uuid: str) -> None:
        """Tag every later call with this session id (so the site's UI can follow the script's changes)."""
        self.config.session_uuid = session_uuid

    def update_project_last_accessed(self, project: dict, user: dict | None = None) -> None:
        """Record that ``user`` (default: the sudo or logged-in user) just used ``project``."""
        version_gate(self.server_caps, (5, 3, 20), "update_project_last_accessed", "5.3.20")
        if not user:
            if self.config.sudo_as_login:
                user = self.find_one("HumanUser", [["login", "is", self.config.sudo_as_login]])
            if self.config.user_login:
                user = self.find_one("HumanUser", [["login", "is", self.config.user_login]])
        params = {"project_id": project["id"]}
        if user:
            params["user_id"] = user["id"]
        record = self._call_rpc("update_project_last_accessed_by_current_user", params)
        self._parse_records(record)

    def preferences_read(self, prefs: list | None = None) -> dict:
        """Return site preferences by name (all readable ones when ``prefs`` is empty)."""
        version_gate(self.server_caps, (7, 10, 0), "preferences_read", "7.10.0")
        return self._call_rpc("preferences_read", {"prefs": prefs or []})

    def user_subscriptions_read(self) -> list:
        """Return the site's user subscription assignments."""
        return self._call_rpc("user_subscriptions_read", None)

    def user_subscriptions_create(self, users: list) -> bool:
        """Assign subscriptions (``[{"subscription": ..., "humanUserId": ...}]``); ``True`` on success."""
        answer = self._call_rpc("user_subscriptions_create", {"users": users})
        return isinstance(answer, dict) and answer.get("status") == "success"
