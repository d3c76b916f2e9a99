"""Checks of the arguments of public methods, run before anything is sent.

A malformed argument raises :class:`~shotgun_api3._errors.InvalidInputError`
naming the method, the argument, the bad part and what was expected. Where
the reference failed on the same input with a built-in exception (by
accident: ``AttributeError`` for a create whose data is a list, ``KeyError``
for an order item without ``field_name``), the raised class also derives
from that built-in, so code that caught it keeps working. Inputs the
reference sent to the site as they were raise one that is also a ``Fault``,
the class of the site's answer to them.

Filters are checked where they are translated (``_filters.py``).
"""
from __future__ import annotations

from typing import Any

from ._errors import Fault, invalid_input

_DIRECTIONS = ("asc", "desc")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def check_entity_type(method: str, entity_type: Any, argument: str = "entity_type") -> None:
    if not isinstance(entity_type, str) or not entity_type:
        raise invalid_input("%s(): %s must be the name of an entity type (a non-empty string), got %s"
                            % (method, argument, _shown(entity_type)), Fault)


def check_filters_container(method: str, filters: Any) -> None:
    """``filters`` is a list or tuple of conditions, or a filter dict already in wire form."""
    if not isinstance(filters, (list, tuple, dict)):
        raise invalid_input("%s(): filters must be a list of conditions such as [['code', 'is', 'x']] "
                            "(or a filter dict), got %s" % (method, _shown(filters)), Fault)


def check_field_names(method: str, fields: Any, argument: str = "fields") -> None:
    """``fields`` is ``None`` or a list/tuple of field names."""
    if fields is None:
        return
    if not isinstance(fields, (list, tuple)):
        raise invalid_input("%s(): %s must be a list of field names such as ['code', 'sg_status_list'], got %s"
                            % (method, argument, _shown(fields)), Fault)
    for index, name in enumerate(fields):
        if not isinstance(name, str):
            raise invalid_input("%s(): %s[%d] must be a field name (a string), got %s"
                                % (method, argument, index, _shown(name)), Fault)


def check_order(method: str, order: Any) -> None:
    """``order`` is ``None`` or a list of ``{"field_name": name, "direction": "asc"|"desc"}``."""
    if not order:
        return
    expected = "{'field_name': name, 'direction': 'asc' or 'desc'}"
    if not isinstance(order, (list, tuple)):
        raise invalid_input("%s(): order must be a list of %s, got %s" % (method, expected, _shown(order)),
                            AttributeError)
    for index, sort in enumerate(order):
        if not isinstance(sort, dict):
            raise invalid_input("%s(): order[%d] must be a dict %s, got %s"
                                % (method, index, expected, _shown(sort)), AttributeError)
        name = sort.get("column", sort.get("field_name"))
        if "column" not in sort and "field_name" not in sort:
            raise invalid_input("%s(): order[%d] has no 'field_name': expected %s, got %s"
                                % (method, index, expected, _shown(sort)), KeyError)
        if not isinstance(name, str):
            raise invalid_input("%s(): order[%d]['field_name'] must be a field name (a string), got %s"
                                % (method, index, _shown(name)), Fault)
        if "direction" in sort and sort["direction"] not in _DIRECTIONS:
            raise invalid_input("%s(): order[%d]['direction'] must be 'asc' or 'desc', got %s"
                                % (method, index, _shown(sort["direction"])), Fault)


def check_data(method: str, data: Any, argument: str = "data") -> None:
    """``data`` is a dict of ``{field name: value}``."""
    if not isinstance(data, dict):
        raise invalid_input("%s(): %s must be a dict of {field name: value}, got %s"
                            % (method, argument, _shown(data)), AttributeError)
    for name in data:
        if not isinstance(name, str):
            raise invalid_input("%s(): %s has a key %s that is not a field name (a string)"
                                % (method, argument, _shown(name)), Fault)


def check_update_modes(method: str, modes: Any, argument: str = "multi_entity_update_modes") -> None:
    """``modes`` is ``None`` or ``{field name: "set"|"add"|"remove"}``."""
    if modes is None:
        return
    if not isinstance(modes, dict):
        raise invalid_input("%s(): %s must be a dict of {field name: 'set', 'add' or 'remove'}, got %s"
                            % (method, argument, _shown(modes)), AttributeError)
    for name in modes:
        if not isinstance(name, str):
            raise invalid_input("%s(): %s has a key %s that is not a field name (a string)"
                                % (method, argument, _shown(name)), Fault)


def check_batch_request(index: int, request: Any) -> None:
    """One request of ``batch()``: a dict whose ``data`` (when present) is a dict."""
    if not isinstance(request, dict):
        raise invalid_input("batch(): requests[%d] must be a dict such as {'request_type': 'create', "
                            "'entity_type': 'Shot', 'data': {...}}, got %s" % (index, _shown(request)),
                            AttributeError)
    if "entity_type" in request:
        check_entity_type("batch", request["entity_type"], "requests[%d]['entity_type']" % index)
    if "data" in request:
        check_data("batch", request["data"], "requests[%d]['data']" % index)
    if "return_fields" in request:
        check_field_names("batch", request["return_fields"], "requests[%d]['return_fields']" % index)
    if "multi_entity_update_modes" in request:
        check_update_modes("batch", request["multi_entity_update_modes"],
                           "requests[%d]['multi_entity_update_modes']" % index)


def check_summaries(summary_fields: Any) -> None:
    """``summarize()``'s ``summary_fields``: ``[{"field": name, "type": ...}]`` (``None`` passes, as in the reference)."""
    if summary_fields is None:
        return
    if not isinstance(summary_fields, (list, tuple)):
        raise invalid_input("summarize(): summary_fields must be a list of summaries {'field': name, 'type': ...}, "
                            "got %s" % (_shown(summary_fields),), Fault)
    for index, item in enumerate(summary_fields):
        if not isinstance(item, dict) or not isinstance(item.get("field"), str) or not isinstance(
                item.get("type"), str):
            raise invalid_input("summarize(): summary_fields[%d] must be a dict with a 'field' name and a 'type' "
                                "(both strings), got %s" % (index, _shown(item)), Fault)
