"""Links as a site shows them: live targets, display names, ``{type, id, name}`` dicts."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

from .. import site_choices
from ..schema.site_schema import SiteSchema

Row = Dict[str, Any]
Tables = Mapping[str, Dict[int, Row]]


def target_row(tables: Tables, link: Mapping[str, Any]) -> Optional[Row]:
    """The row a link points to, or ``None`` when there is none."""
    table = tables.get(link.get("type"))
    if table is None:
        return None
    return table.get(link.get("id"))


def link_is_live(tables: Tables, link: Any) -> bool:
    """Whether a stored link counts as set: not empty and not pointing at a retired row.

    A link to a row that does not exist (rigs write rows in any order) is
    kept as written.
    """
    if not link or not isinstance(link, dict):
        return False
    if not site_choices.RETIRED_TARGETS_READ_AS_EMPTY:
        return True
    table = tables.get(link.get("type"))
    if table is None:
        return True
    row = table.get(link.get("id"))
    return row is None or not row.get("__retired")


def link_key(link: Any) -> Optional[Tuple[str, int]]:
    """``(type, id)`` of a link dict, ``None`` for anything else."""
    if isinstance(link, dict) and "type" in link and "id" in link:
        return (link["type"], link["id"])
    return None


def display_name(schema: SiteSchema, entity_type: str, row: Mapping[str, Any]) -> Optional[str]:
    """The display name of a record (the ``name`` its links carry)."""
    field = schema.display_field(entity_type)
    value = row.get(field) if field else None
    if value.__class__ is str:
        return value
    if value is None and entity_type == "HumanUser":
        parts = [row.get("firstname"), row.get("lastname")]
        value = " ".join(p for p in parts if p) or None
    if value is not None and not isinstance(value, str):
        value = str(value)
    return value


def link_name(schema: SiteSchema, tables: Tables, link: Mapping[str, Any]) -> Optional[str]:
    """The name shown for a link: the target's display name, or the name written with it."""
    row = target_row(tables, link)
    if row is None:
        return link.get("name")
    return display_name(schema, link["type"], row)


def present_link(schema: SiteSchema, tables: Tables, link: Any) -> Optional[Dict[str, Any]]:
    """A fresh ``{"type", "id", "name"}`` for a stored link, ``None`` when empty or retired.

    :func:`link_is_live` and then :func:`link_name`, with one look-up of the
    target row for both (every link a write or a read answers comes here).
    """
    if not link or not isinstance(link, dict):
        return None
    # (A dict without "type" or "id" has no row to be retired: it raises KeyError either way.)
    entity_type, entity_id = link["type"], link["id"]
    table = tables.get(entity_type)
    target = None if table is None else table.get(entity_id)
    if target is None:
        # No such row (a rig writes rows in any order): live, under the name written with it.
        return {"type": entity_type, "id": entity_id, "name": link.get("name")}
    if site_choices.RETIRED_TARGETS_READ_AS_EMPTY and target.get("__retired"):
        return None
    return {"type": entity_type, "id": entity_id, "name": display_name(schema, entity_type, target)}
