"""Translate the filter lists users write into the wire form the site reads, and trim entity dicts.

``[["code", "in", "a", "b"]]`` becomes
``{"logical_operator": "and", "conditions": [{"path": "code", "relation": "in", "values": ["a", "b"]}]}``.
Entity dicts used as filter values are trimmed to the keys the site needs
unless ``shotgun_api3.shotgun.SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION`` is
set (read at call time: tests patch it).
"""
from __future__ import annotations

import sys
from typing import Any

from ._errors import Fault, ShotgunError, invalid_input

_LOGICAL_OPERATORS = {"all": "and", "and": "and", "any": "or", "or": "or"}
_TRIMMED_RELATIONS = ("is", "is_not", "in", "not_in")
_ENTITY_KEYS_KEPT = ("id", "type", "url", "name", "content_type", "local_path", "storage", "relative_path")


def entity_optimization_disabled() -> bool:
    """Whether entity trimming is switched off, as the module global of ``shotgun_api3.shotgun`` says now."""
    module = sys.modules.get("shotgun_api3.shotgun")
    return bool(getattr(module, "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", False))


def _translate_filters(filters: Any, filter_operator: str | None) -> dict:
    """Translate a top-level filter list with its operator (``None`` or ``""`` mean ``all``)."""
    return _translate_filters_dict({"filter_operator": filter_operator or "all", "filters": filters})


def _translate_filters_dict(sg_filter: dict) -> dict:
    """Translate one group ``{"filter_operator": ..., "filters": [...]}``."""
    operator = _LOGICAL_OPERATORS.get(sg_filter.get("filter_operator"))
    if operator is None:
        raise ShotgunError("Invalid filter_operator %s" % sg_filter.get("filter_operator"))
    if "filters" not in sg_filter:
        # The reference failed here with a bare KeyError.
        raise invalid_input("Invalid filter group %s: it has no 'filters' list; expected "
                            "{'filter_operator': 'all' or 'any', 'filters': [...]}" % (sg_filter,), KeyError)
    filters = sg_filter["filters"]
    if not isinstance(filters, (list, tuple)):
        raise ShotgunError("Invalid filters, expected a list or a tuple, got %s" % (filters,))
    return {"logical_operator": operator, "conditions": _translate_filters_list(filters)}


def _translate_filters_list(filters: list | tuple) -> list:
    """Translate the items of a group: lists/tuples are conditions, dicts are nested groups."""
    conditions = []
    for sg_filter in filters:
        if isinstance(sg_filter, (list, tuple)):
            conditions.append(_translate_filters_simple(sg_filter))
        elif isinstance(sg_filter, dict):
            conditions.append(_translate_filters_dict(sg_filter))
        else:
            raise ShotgunError("Invalid filters, expected a list, tuple or dict, got %s" % (sg_filter,))
    return conditions


def _translate_filters_simple(sg_filter: list | tuple) -> dict:
    """Translate ``[path, relation, v1, v2, ...]``; a single list value is the value list itself."""
    if len(sg_filter) < 2:
        # The reference failed here with a bare IndexError.
        raise invalid_input("Invalid filter %s: expected [field, relation, value, ...] such as "
                            "['code', 'is', 'sh010']" % (list(sg_filter),), IndexError)
    if not isinstance(sg_filter[0], str) or not isinstance(sg_filter[1], str):
        raise invalid_input("Invalid filter %s: the field and the relation must be strings, as in "
                            "['code', 'is', 'sh010']" % (list(sg_filter),), Fault)  # the site's answer to it
    condition = {"path": sg_filter[0], "relation": sg_filter[1]}
    values = sg_filter[2:]
    if len(values) == 1 and isinstance(values[0], (list, tuple)):
        values = values[0]
    if not values and condition["path"] != "id" and condition["relation"] in _TRIMMED_RELATIONS and (
            not entity_optimization_disabled()):
        # The reference failed here with a bare IndexError; other relations send no values, as there.
        raise invalid_input("Invalid filter %s: relation '%s' needs at least one value, as in "
                            "['code', 'is', 'sh010']" % (list(sg_filter), condition["relation"]), IndexError)
    if (
        not entity_optimization_disabled()
        and condition["path"] != "id"
        and condition["relation"] in _TRIMMED_RELATIONS
        and isinstance(values[0], dict)
    ):
        values = [_optimize_filter_field(value) for value in values]
    condition["values"] = values
    return condition


def _optimize_filter_field(value: Any, recursive: bool = True) -> Any:
    """Trim an entity dict (one with ``id`` and ``type``) to the keys the site needs; lists one level deep."""
    if isinstance(value, dict) and "id" in value and "type" in value:
        return {key: value[key] for key in _ENTITY_KEYS_KEPT if key in value}
    if recursive and isinstance(value, list):
        return [_optimize_filter_field(item, recursive=False) for item in value]
    return value
