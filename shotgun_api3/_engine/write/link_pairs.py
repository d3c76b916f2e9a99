"""Paired link fields: writing one side updates the other (docs/site_facts.rst, Links).

The schema does not record which fields are two views of one relation, so
the pairs a site keeps are listed here, in one table. Only pairs whose two
fields exist in the loaded schema are used.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Optional, Tuple

from ..schema.site_schema import SiteSchema

#: (type, field, other type, other field): a link from ``type.field`` to a
#: record of ``other type`` shows up in that record's ``other field``.
PAIRS: Tuple[Tuple[str, str, str, str], ...] = (
    ("Shot", "sg_sequence", "Sequence", "shots"),
    ("Shot", "assets", "Asset", "shots"),
    ("Shot", "parent_shots", "Shot", "shots"),
    ("Asset", "parents", "Asset", "assets"),
    ("Asset", "sequences", "Sequence", "assets"),
    ("Asset", "scenes", "Scene", "assets"),
    ("Element", "assets", "Asset", "elements"),
    ("Element", "shots", "Shot", "elements"),
    ("Task", "upstream_tasks", "Task", "downstream_tasks"),
    ("Task", "entity", "Shot", "tasks"),
    ("Task", "entity", "Asset", "tasks"),
    ("Task", "entity", "Sequence", "tasks"),
    ("Task", "entity", "Scene", "tasks"),
    ("Task", "entity", "Element", "tasks"),
    ("Task", "entity", "Project", "tasks"),
    ("Note", "tasks", "Task", "notes"),
    ("Reply", "entity", "Note", "replies"),
    ("Version", "playlists", "Playlist", "versions"),
    ("Version", "published_files", "PublishedFile", "version"),
    ("PublishedFile", "upstream_published_files", "PublishedFile", "downstream_published_files"),
    ("HumanUser", "groups", "Group", "users"),
    ("HumanUser", "projects", "Project", "users"),
) + tuple(
    ("Note", "note_links", other, "notes")
    for other in ("Asset", "Shot", "Sequence", "Scene", "Element", "Version", "Playlist", "Group",
                  "PublishedFile", "CustomEntity01", "CustomEntity02", "CustomEntity03",
                  "CustomEntity04", "CustomEntity05")
)


_NO_FIELDS: FrozenSet[str] = frozenset()


class LinkPairs:
    """Lookup of the paired field for a link, restricted to one schema."""

    def __init__(self, schema: SiteSchema) -> None:
        self._reverse: Dict[Tuple[str, str, str], Tuple[str, str]] = {}
        self._fields = set()
        for left_type, left_field, right_type, right_field in PAIRS:
            left = schema.field(left_type, left_field)
            right = schema.field(right_type, right_field)
            if left is None or right is None:
                continue
            if left.valid_types and right_type not in left.valid_types:
                continue
            if right.valid_types and left_type not in right.valid_types:
                continue
            self._reverse[(left_type, left_field, right_type)] = (right_type, right_field)
            self._reverse[(right_type, right_field, left_type)] = (left_type, left_field)
            self._fields.add((left_type, left_field))
            self._fields.add((right_type, right_field))
        by_type: Dict[str, set] = {}
        for entity_type, field in self._fields:
            by_type.setdefault(entity_type, set()).add(field)
        self._by_type = {entity_type: frozenset(fields) for entity_type, fields in by_type.items()}

    def paired(self, entity_type: str, field: str, target_type: str) -> Optional[Tuple[str, str]]:
        """The ``(type, field)`` on a ``target_type`` record that mirrors ``entity_type.field``."""
        return self._reverse.get((entity_type, field, target_type))

    def has_pairs(self, entity_type: str, field: str) -> bool:
        return (entity_type, field) in self._fields

    def fields_of(self, entity_type: str) -> FrozenSet[str]:
        """The fields of ``entity_type`` that have a paired field (empty for most types)."""
        return self._by_type.get(entity_type, _NO_FIELDS)
