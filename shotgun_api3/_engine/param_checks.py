"""The shape of RPC params, checked before a handler runs: a bad param is a fault that names it.

Params come off the network as arbitrary JSON. The handlers check what
their method means (an unknown field, a wrong relation...), but they take
the JSON shape on trust: a list where a field name belongs, a dict as an
entity id, a filter tree hundreds of groups deep. This module checks that
shape once for every method, by the names the wire protocol gives params
(docs/site_facts.rst, The RPC request), so any such input answers a fault like

    API read() invalid parameter filters.conditions[0].path: expected a string, got a list

and never reaches code that would fail on it half way. The rules are by key
name because the same names mean the same thing in every method's params.

Inside field values (``value``, ``values``) only entity links are checked:
other values belong to their field's data type, which the handlers check.
"""
from __future__ import annotations

from typing import Any, Tuple

from .errors import EngineFault

#: Params nested deeper than this are refused: 32 filter groups inside one another.
MAX_DEPTH = 64

#: Keys whose value is a name or a word of the protocol: a string (or null).
_STRING_KEYS = frozenset((
    "type", "entity_type", "field_name", "path", "field", "relation", "property_name", "logical_operator",
    "direction", "request_type", "preset_name", "format", "layout_name", "data_type", "filter_operator",
    "return_only", "text", "subscription", "latest_by", "date", "start_date", "end_date", "root_path",
    "search_string", "seed_entity_field", "summary_field", "grouping_field", "recalculate_field",
))
#: Keys whose value is an id or a count: an integer (or null), never a boolean.
_INT_KEYS = frozenset((
    "id", "note_id", "project_id", "user_id", "page_id", "max_id", "min_id", "limit", "current_page",
    "entities_per_page", "max_results", "entity_id", "humanUserId",
))
#: Keys whose value is a list of field names.
_STRING_LIST_KEYS = frozenset(("return_fields", "prefs"))
#: Keys whose value is a list of ids.
_INT_LIST_KEYS = frozenset(("project_ids",))
#: Keys whose value maps entity type names to lists of field names.
_FIELDS_BY_TYPE_KEYS = frozenset(("entity_fields",))
#: Keys whose value is data of a field: only entity links in it are checked.
_VALUE_KEYS = frozenset(("value", "values"))

_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number",
               bool: "a boolean", type(None): "null"}


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _where(path: Tuple[Any, ...]) -> str:
    text = ""
    for step in path:
        text += "[%d]" % step if isinstance(step, int) else ("." if text else "") + str(step)
    return text or "params"


def _fault(method: str, path: Tuple[Any, ...], expected: str, value: Any) -> EngineFault:
    return EngineFault("API %s() invalid parameter %s: expected %s, got %s"
                       % (method, _where(path), expected, _kind(value)))


def _is_int(value: Any) -> bool:
    return value.__class__ is int


def check_params(method: str, params: Any) -> None:
    """Raise an :class:`EngineFault` naming the first param whose JSON shape is wrong for its name."""
    if params is None or params.__class__ in (str, int, float, bool):
        return
    if not _passes(params, 0, False):
        # Only a refusal needs the path of the bad param: walk again, naming it.
        _check(method, params, (), 0, False)


# What each key of a params dict (outside field values) must hold, for _passes: one lookup per key.
_STRING, _INT, _VALUE, _STRING_LIST, _INT_LIST, _FIELDS_BY_TYPE = range(6)
_KEY_KINDS = {
    key: kind
    # Reversed: were a key under two rules, the one _check tries first would win.
    for kind, keys in reversed(((_STRING, _STRING_KEYS), (_INT, _INT_KEYS), (_VALUE, _VALUE_KEYS),
                                (_STRING_LIST, _STRING_LIST_KEYS), (_INT_LIST, _INT_LIST_KEYS),
                                (_FIELDS_BY_TYPE, _FIELDS_BY_TYPE_KEYS)))
    for key in keys
}
_STR_ONLY = frozenset((str,))
_INT_ONLY = frozenset((int,))


def _passes(node: Any, depth: int, in_value: bool) -> bool:
    """Whether ``_check`` passes ``node``: its rules, without the path it keeps for naming a bad param.

    Every params dict of every request goes through here, so it does not
    build that path; a ``False`` is followed by ``_check``, which raises.
    """
    if depth > MAX_DEPTH:
        return False
    depth += 1
    if node.__class__ is list:
        for item in node:
            if (item.__class__ is dict or item.__class__ is list) and not _passes(item, depth, in_value):
                return False
        return True
    if node.__class__ is not dict:
        return True
    if in_value:
        if "type" in node and "id" in node and (node["type"].__class__ is not str or (
                node["id"] is not None and node["id"].__class__ is not int)):
            return False
        for item in node.values():
            if (item.__class__ is dict or item.__class__ is list) and not _passes(item, depth, True):
                return False
        return True
    kinds = _KEY_KINDS
    for key, item in node.items():
        kind = kinds[key] if key in kinds else None
        if kind is None:
            if item.__class__ is list:
                # A list of requests or of field entries: walked here, one call less per item.
                if depth > MAX_DEPTH:
                    return False
                for entry in item:
                    if entry.__class__ is dict and len(entry) == 2 and "field_name" in entry and "value" in entry:
                        # A field entry, the most frequent dict: its two rules, here rather than in a call.
                        name = entry["field_name"]
                        value = entry["value"]
                        if depth + 1 > MAX_DEPTH or (name is not None and name.__class__ is not str):
                            return False
                        if value.__class__ is dict or value.__class__ is list:
                            if not _passes(value, depth + 2, True):
                                return False
                    elif (entry.__class__ is dict or entry.__class__ is list) and not _passes(entry, depth + 1, False):
                        return False
            elif item.__class__ is dict and not _passes(item, depth, False):
                return False
        elif item is None:
            continue  # null passes every rule by key
        elif kind == _STRING:
            if item.__class__ is not str:
                return False
        elif kind == _INT:
            if item.__class__ is not int:
                return False
        elif kind == _VALUE:
            if item.__class__ is dict:
                # Most often an entity link of plain values: checked here rather than in a call.
                if depth > MAX_DEPTH or ("type" in item and "id" in item and (item["type"].__class__ is not str or (
                        item["id"] is not None and item["id"].__class__ is not int))):
                    return False
                for part in item.values():
                    if (part.__class__ is dict or part.__class__ is list) and not _passes(part, depth + 1, True):
                        return False
            elif item.__class__ is list and not _passes(item, depth, True):
                return False
        elif kind == _STRING_LIST:
            if item.__class__ is not list or not _STR_ONLY.issuperset(map(type, item)):
                return False
        elif kind == _INT_LIST:
            if item.__class__ is not list or not _INT_ONLY.issuperset(map(type, item)):
                return False
        elif item.__class__ is not dict or not all(
                fields is None or (fields.__class__ is list and _STR_ONLY.issuperset(map(type, fields)))
                for fields in item.values()):
            return False
    return True


def _check(method: str, node: Any, path: Tuple[Any, ...], depth: int, in_value: bool) -> None:
    if depth > MAX_DEPTH:
        raise EngineFault("API %s() invalid parameter %s: nested more than %d levels deep"
                          % (method, _where(path), MAX_DEPTH))
    if node.__class__ is list:
        for index, item in enumerate(node):
            if item.__class__ is dict or item.__class__ is list:
                _check(method, item, path + (index,), depth + 1, in_value)
        return
    if node.__class__ is not dict:
        return
    if in_value:
        # Field data: a dict naming a type and an id is an entity link.
        if "type" in node and "id" in node:
            _check_link(method, node, path)
        for key, item in node.items():
            if item.__class__ is dict or item.__class__ is list:
                _check(method, item, path + (key,), depth + 1, True)
        return
    for key, item in node.items():
        if key in _STRING_KEYS:
            if item is not None and item.__class__ is not str:
                raise _fault(method, path + (key,), "a string", item)
        elif key in _INT_KEYS:
            if item is not None and not _is_int(item):
                raise _fault(method, path + (key,), "an integer", item)
        elif key in _VALUE_KEYS:
            if item.__class__ is dict or item.__class__ is list:
                _check(method, item, path + (key,), depth + 1, True)
        elif key in _STRING_LIST_KEYS:
            _check_list(method, item, path + (key,), str, "a list of field names")
        elif key in _INT_LIST_KEYS:
            _check_list(method, item, path + (key,), int, "a list of integer ids")
        elif key in _FIELDS_BY_TYPE_KEYS:
            _check_fields_by_type(method, item, path + (key,))
        elif item.__class__ is dict or item.__class__ is list:
            _check(method, item, path + (key,), depth + 1, False)


def _check_link(method: str, link: dict, path: Tuple[Any, ...]) -> None:
    if link["type"].__class__ is not str:
        raise _fault(method, path + ("type",), "an entity type name", link["type"])
    if link["id"] is not None and not _is_int(link["id"]):
        raise _fault(method, path + ("id",), "an integer id", link["id"])


def _check_list(method: str, value: Any, path: Tuple[Any, ...], item_class: type, expected: str) -> None:
    if value is None:
        return
    if value.__class__ is not list:
        raise _fault(method, path, expected, value)
    for index, item in enumerate(value):
        if item.__class__ is not item_class:
            raise _fault(method, path + (index,), expected[len("a list of "):].rstrip("s").replace(
                "field name", "a field name").replace("integer id", "an integer id"), item)


def _check_fields_by_type(method: str, value: Any, path: Tuple[Any, ...]) -> None:
    if value is None:
        return
    if value.__class__ is not dict:
        raise _fault(method, path, "an object of entity type -> field names", value)
    for entity_type, fields in value.items():
        _check_list(method, fields, path + (entity_type,), str, "a list of field names")
