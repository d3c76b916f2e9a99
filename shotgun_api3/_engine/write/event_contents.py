"""EventLogEntry contents for the writes a site logs (event types and ``meta``)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple


def event_type(entity_type: str, action: str) -> str:
    """``Shotgun_<Type>_<Action>`` with Action one of New, Change, Retirement, Revival."""
    return f"Shotgun_{entity_type}_{action}"


def describe(
    actor: Optional[str],
    action: str,
    entity_type: str,
    name: Optional[str],
    attribute: Optional[str] = None,
    change: Optional[Tuple[Any, Any]] = None,
) -> str:
    """A one-line human description like a site writes into ``description``.

    ``attribute`` is the field's display name; ``change`` the old and new
    values when they are short scalars worth quoting.
    """
    who = actor or "Someone"
    what = f"{entity_type} {name}" if name else entity_type
    if action == "New":
        return f"{who} created new {what}"
    if action == "Change":
        return describe_change(who, what, attribute, change)
    if action == "Retirement":
        return f"{who} retired {what}"
    return f"{who} revived {what}"


def describe_change(who: str, what: str, attribute: Optional[str], change: Optional[Tuple[Any, Any]]) -> str:
    """The description of one changed field: ``who`` changed ``attribute`` on ``what``."""
    if change is None:
        return f'{who} changed "{attribute}" on {what}'
    old, new = change
    # None reads as an empty quote.
    return f'{who} changed "{attribute}" from "{"" if old is None else old}" to "{"" if new is None else new}" on {what}'


def new_meta(entity_type: str, entity_id: int) -> Dict[str, Any]:
    return {"type": "new_entity", "entity_type": entity_type, "entity_id": entity_id}


def retirement_meta(entity_type: str, entity_id: int, retired: bool) -> Dict[str, Any]:
    return {
        "type": "entity_retirement" if retired else "entity_revival",
        "entity_type": entity_type,
        "entity_id": entity_id,
        "class_name": entity_type,
        "retirement_date": None,
    }
