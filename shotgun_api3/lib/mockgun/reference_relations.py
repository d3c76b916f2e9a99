"""The reference mockgun's comparison rules, one relation on one stored value at a time.

``ReferenceRules._compare`` answers with these where the reference answered;
where the reference had no rule or its rule fails on a value, they raise
(:class:`Unsupported` or the failure itself) and ``_compare`` asks a site's
rules instead. The only change from the reference: ``in`` on a link field
matches any listed entity, not every one.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Dict


class Unsupported(Exception):
    """A relation the reference's rules do not answer for a data type: a site's rules decide."""


def _between(lval: Any, rval: Any) -> bool:
    return lval >= rval[0] and lval <= rval[1]


def _not_between(lval: Any, rval: Any) -> bool:
    return lval < rval[0] or lval > rval[1]


_EQUALITY: Dict[str, Callable[[Any, Any], bool]] = {"is": operator.eq, "is_not": operator.ne}
_ORDERED = dict(_EQUALITY, less_than=operator.lt, greater_than=operator.gt, between=_between,
                not_between=_not_between, **{"in": lambda lval, rval: lval in rval})
_CHOICES = dict(_EQUALITY, **{"in": lambda lval, rval: lval in rval, "not_in": lambda lval, rval: lval not in rval})

#: The relations the reference answers per data type (text, entity and multi-entity have their own rules below).
_RELATIONS: Dict[str, Dict[str, Callable[[Any, Any], bool]]] = {
    "checkbox": _EQUALITY,
    "float": _ORDERED, "number": _ORDERED, "date": _ORDERED, "date_time": _ORDERED,
    "list": _CHOICES, "status_list": _CHOICES,
    "entity_type": {"is": operator.eq},
}


def reference_relation(field_type: str, lval: Any, operator_name: str, rval: Any) -> bool:
    """The reference's answer for one relation on one (non-list) value; raises ``Unsupported`` where it has none."""
    if field_type == "text":
        return _text_relation(lval, operator_name, rval)
    if field_type == "entity":
        return _entity_relation(lval, operator_name, rval)
    if field_type == "multi_entity":
        if operator_name == "is":
            return len(lval) == 0 if rval is None else rval["id"] in [link["id"] for link in lval]
        if operator_name == "is_not":
            return len(lval) != 0 if rval is None else rval["id"] not in [link["id"] for link in lval]
        raise Unsupported(operator_name)
    relation = _RELATIONS.get(field_type, {}).get(operator_name)
    if relation is None:
        raise Unsupported(operator_name)
    return relation(lval, rval)


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
