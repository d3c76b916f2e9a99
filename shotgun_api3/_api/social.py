"""Following, conversations, activity, navigation, work schedules and page exports."""
from __future__ import annotations

from typing import Any

from .._capabilities import version_gate
from .._errors import ShotgunError

_FOLLOW_MINIMUM = (5, 1, 22)
_WORK_SCHEDULE_MINIMUM = (3, 2, 0)


class SocialMethods:
    """Calls around people and pages rather than plain entities."""

    def follow(self, user: dict, entity: dict) -> dict:
        """Make ``user`` follow ``entity``; returns ``{"followed": True, "user", "entity"}``."""
        version_gate(self.server_caps, _FOLLOW_MINIMUM, "Follow support", "5.2")
        return self._call_rpc("follow", {"user": user, "entity": entity})

    def unfollow(self, user: dict, entity: dict) -> dict:
        """Stop ``user`` following ``entity``; returns ``{"unfollowed": True, "user", "entity"}``."""
        version_gate(self.server_caps, _FOLLOW_MINIMUM, "Follow support", "5.2")
        return self._call_rpc("unfollow", {"user": user, "entity": entity})

    def followers(self, entity: dict) -> list:
        """Return the users following ``entity``."""
        version_gate(self.server_caps, _FOLLOW_MINIMUM, "Follow support", "5.2")
        return self._call_rpc("followers", {"entity": entity})

    def following(self, user: dict, project: dict | None = None, entity_type: str | None = None) -> list:
        """Return the entities ``user`` follows, optionally within ``project`` or of ``entity_type``."""
        self.server_caps.ensure_user_following_support()
        params: dict = {"user": user}
        if project:
            params["project"] = project
        if entity_type:
            params["entity_type"] = entity_type
        return self._call_rpc("following", params)

    def note_thread_read(self, note_id: int, entity_fields: dict | None = None) -> list:
        """Return a note with its replies and attachments, oldest first; ``entity_fields`` adds fields per type."""
        version_gate(self.server_caps, (6, 2, 0), "note_thread", "6.2.0")
        if entity_fields is None:
            entity_fields = {}
        if not isinstance(entity_fields, dict):
            raise ValueError("entity_fields parameter must be a dictionary")
        records = self._call_rpc("note_thread_contents", {"note_id": note_id, "entity_fields": entity_fields})
        return self._parse_records(records)

    def activity_stream_read(
        self,
        entity_type: str,
        entity_id: int,
        entity_fields: dict | None = None,
        min_id: int | None = None,
        max_id: int | None = None,
        limit: int | None = None,
    ) -> dict:
        """Return the activity stream of an entity (``updates`` between ``min_id`` and ``max_id``)."""
        version_gate(self.server_caps, (6, 2, 0), "activity_stream", "6.2.0")
        if entity_fields is None:
            entity_fields = {}
        if not isinstance(entity_fields, dict):
            raise ValueError("entity_fields parameter must be a dictionary")
        params = {
            "type": entity_type,
            "id": entity_id,
            "max_id": max_id,
            "min_id": min_id,
            "limit": limit,
            "entity_fields": entity_fields,
        }
        records = self._parse_records(self._call_rpc("activity_stream", params))
        return records[0] if records else None

    def nav_expand(self, path: str, seed_entity_field: Any = None, entity_fields: Any = None) -> Any:
        """Expand a node of the site's navigation tree."""
        return self._call_rpc(
            "nav_expand", {"path": path, "seed_entity_field": seed_entity_field, "entity_fields": entity_fields}
        )

    def nav_search_string(self, root_path: str, search_string: str, seed_entity_field: Any = None) -> Any:
        """Search the navigation tree under ``root_path`` for a string."""
        return self._call_rpc(
            "nav_search",
            {
                "root_path": root_path,
                "seed_entity_field": seed_entity_field,
                "search_criteria": {"search_string": search_string},
            },
        )

    def nav_search_entity(self, root_path: str, entity: dict, seed_entity_field: Any = None) -> Any:
        """Search the navigation tree under ``root_path`` for an entity."""
        return self._call_rpc(
            "nav_search",
            {"root_path": root_path, "seed_entity_field": seed_entity_field, "search_criteria": {"entity": entity}},
        )

    def work_schedule_read(
        self, start_date: str, end_date: str, project: dict | None = None, user: dict | None = None
    ) -> dict:
        """Return ``{"YYYY-MM-DD": {"working", "description", "reason"}}`` between two dates (strings)."""
        version_gate(self.server_caps, _WORK_SCHEDULE_MINIMUM, "Work schedule support", "3.2")
        if not isinstance(start_date, str) or not isinstance(end_date, str):
            raise ShotgunError("The start_date and end_date arguments must be strings in YYYY-MM-DD format")
        params = {"start_date": start_date, "end_date": end_date, "project": project, "user": user}
        return self._call_rpc("work_schedule_read", params)

    def work_schedule_update(
        self,
        date: str,
        working: bool,
        description: str | None = None,
        project: dict | None = None,
        user: dict | None = None,
        recalculate_field: str | None = None,
    ) -> dict:
        """Mark a day (``"YYYY-MM-DD"``) working or not for the studio, a project or a user."""
        version_gate(self.server_caps, _WORK_SCHEDULE_MINIMUM, "Work schedule support", "3.2")
        if not isinstance(date, str):
            raise ShotgunError("The date argument must be string in YYYY-MM-DD format")
        params = {
            "date": date,
            "working": working,
            "description": description,
            "project": project,
            "user": user,
            "recalculate_field": recalculate_field,
        }
        return self._call_rpc("work_schedule_update", params)

    def export_page(self, page_id: int, format: str, layout_name: str | None = None) -> Any:  # noqa: A002
        """Export a page of the site (``format`` ``"csv"``); returns the exported body (bytes from HTTP)."""
        return self._call_rpc("export_page", {"format": format, "page_id": page_id, "layout_name": layout_name})
