"""The reference mockgun's comparison rules, one relation on one stored value at a time.

``ReferenceRules._compare`` answers with these where the reference answered;
where the reference had no rule or its rule fails on a value, they raise
(:class:`Unsupported` or the failure itself) and ``_compare`` asks a site's
rules instead. The only change from the reference: ``in`` on a link field
matches any listed entity, not every one.
"""
from __future__ import annotations

from typing import Any


class Unsupported(Exception):
    """A relation the reference's rules do not answer for a data type: a site's rules decide."""


def reference_relation(field_type: str, lval: Any, operator: str, rval: Any) -> bool:
    """The reference's answer for one relation on one (non-list) value; raises ``Unsupported`` where it has none."""
    if field_type == "checkbox":
        if operator == "is":
            return lval == rval
        if operator == "is_not":
            return lval != rval
    elif field_type in ("float", "number", "date", "date_time"):
        if operator == "is":
            return lval == rval
        if operator == "is_not":
            return lval != rval
        if operator == "less_than":
            return lval < rval
        if operator == "greater_than":
            return lval > rval
        if operator == "between":
            return lval >= rval[0] and lval <= rval[1]
        if operator == "not_between":
            return lval < rval[0] or lval > rval[1]
        if operator == "in":
            return lval in rval
    elif field_type in ("list", "status_list"):
        if operator == "is":
            return lval == rval
        if operator == "is_not":
            return lval != rval
        if operator == "in":
            return lval in rval
        if operator == "not_in":
            return lval not in rval
    elif field_type == "entity_type":
        if operator == "is":
            return lval == rval
    elif field_type == "text":
        return _text_relation(lval, operator, rval)
    elif field_type == "entity":
        return _entity_relation(lval, operator, rval)
    elif field_type == "multi_entity":
        if operator == "is":
            return len(lval) == 0 if rval is None else rval["id"] in [link["id"] for link in lval]
        if operator == "is_not":
            return len(lval) != 0 if rval is None else rval["id"] not in [link["id"] for link in lval]
    raise Unsupported(operator)


def _lowered(value: Any) -> Any:
    return value.lower() if value is not None else None


def _text_relation(lval: Any, operator: str, rval: Any) -> bool:
    if operator in ("in", "not_in") and not isinstance(rval, list):
        rval = [rval]
    elif operator in ("starts_with", "ends_with", "contains", "not_contains"):
        lval = lval or ""
        rval = rval or ""
    lval = _lowered(lval)
    rval = [_lowered(item) for item in rval] if isinstance(rval, list) else _lowered(rval)
    if operator == "is":
        return lval == rval
    if operator == "is_not":
        return lval != rval
    if operator == "in":
        return lval in rval
    if operator == "not_in":
        return lval not in rval
    if operator == "contains":
        return rval in lval
    if operator == "not_contains":
        return rval not in lval
    if operator == "starts_with":
        return lval.startswith(rval)
    if operator == "ends_with":
        return lval.endswith(rval)
    raise Unsupported(operator)


def _entity_relation(lval: Any, operator: str, rval: Any) -> bool:
    if operator == "is":
        if lval is None or rval is None:
            return lval == rval
        return lval["type"] == rval["type"] and lval["id"] == rval["id"]
    if operator == "is_not":
        if lval is None or rval is None:
            return lval != rval
        return lval["type"] != rval["type"] or lval["id"] != rval["id"]
    if operator == "in":
        # Any of the listed entities (the reference demanded all of them).
        if lval is None:
            return False
        return any(lval["type"] == item["type"] and lval["id"] == item["id"] for item in rval)
    if operator == "type_is":
        return lval["type"] == rval
    if operator == "type_is_not":
        return lval["type"] != rval
    if operator == "name_contains":
        return rval in lval["name"]
    if operator == "name_not_contains":
        return rval not in lval["name"]
    if operator == "name_starts_with":
        return lval["name"].startswith(rval)
    if operator == "name_ends_with":
        return lval["name"].endswith(rval)
    raise Unsupported(operator)
