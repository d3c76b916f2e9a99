"""``sorts`` of a read: keys per data type, several fields, the site's empty-value placement.

Rows arrive in id order; each sort field, from the last to the first, is
applied with a stable sort, so the first field is the primary key and rows
tied on every key stay in id order. Empty values are placed as
``site_choices.NULLS_LAST_ASCENDING`` says.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Sequence

from .. import site_choices
from .value_keys import date_key, datetime_key, footage_frames, number_key
from .display import link_is_live, link_name
from ..errors import EngineFault
from .paths import compile_path
from .relations import NUMBER_TYPES, QueryEnv
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo

Row = Dict[str, Any]
KeyFunc = Callable[[Any], Any]


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else str(value).lower()


def _value_key(env: QueryEnv, info: FieldInfo) -> KeyFunc:
    data_type = info.data_type if info is not None else "number"
    schema, tables = env.schema, env.tables
    if data_type in NUMBER_TYPES:
        return number_key
    if data_type == "date":
        return date_key
    if data_type == "date_time":
        return datetime_key
    if data_type == "footage":
        return footage_frames
    if data_type == "checkbox":
        return lambda value: bool(value)
    if data_type == "entity":

        def entity_key(value: Any) -> Any:
            if not link_is_live(tables, value):
                return None
            name = link_name(schema, tables, value)
            return ("" if name is None else name.lower(), value.get("id"))

        return entity_key
    if data_type in LINK_LIST_TYPES or data_type == "tag_list":

        def list_key(value: Any) -> Any:
            if data_type == "tag_list":
                names = [str(tag).lower() for tag in value or ()]
            else:
                names = [
                    (link_name(schema, tables, link) or "").lower()
                    for link in value or ()
                    if link_is_live(tables, link)
                ]
            return tuple(names) or None

        return list_key
    return lambda value: None if value is None else _lower(value)


def _keys_function(env: QueryEnv, entity_type: str, field: str, method: str) -> Callable[[List[Row]], List[Any]]:
    """A function giving the sort key of every row (``None`` for empty values), computed in bulk."""
    spec = compile_path(env.schema, env.tables, entity_type, field, method)
    value_key = _value_key(env, spec.info)
    data_type = spec.info.data_type if spec.info is not None else "number"
    get = spec.get
    top_level = "." not in field

    def values_of(rows: List[Row]) -> List[Any]:
        if top_level:
            return [row.get(field) for row in rows]
        return [get(row) for row in rows]

    if spec.through_multi:

        def multi_keys(rows: List[Row]) -> List[Any]:
            keys = []
            for values in values_of(rows):
                found = sorted(k for k in map(value_key, values) if k is not None)
                keys.append(tuple(found) if found else None)
            return keys

        return multi_keys
    if data_type == "text" or data_type in ("list", "status_list", "color", "uuid", "entity_type"):
        return lambda rows: [v.lower() if v.__class__ is str else value_key(v) for v in values_of(rows)]
    if data_type in NUMBER_TYPES:
        return lambda rows: [v if v.__class__ is int or v.__class__ is float else value_key(v) for v in values_of(rows)]
    if data_type == "date":
        return lambda rows: [v if v.__class__ is str else value_key(v) for v in values_of(rows)]
    return lambda rows: [value_key(v) for v in values_of(rows)]


def sort_rows(env: QueryEnv, entity_type: str, rows: List[Row], sorts: Sequence[Any], method: str = "read") -> List[Row]:
    """``rows`` (in id order) sorted by the wire ``sorts`` list."""
    if not sorts:
        return rows
    if not isinstance(sorts, (list, tuple)):
        raise EngineFault(f"API {method}() sorts must be a list of {{field_name, direction}} dicts")
    plan = []
    for item in sorts:
        if not isinstance(item, dict):
            raise EngineFault(f"API {method}() sort {item!r} must be a dict with field_name and direction")
        field = item.get("field_name", item.get("column"))
        direction = item.get("direction", "asc")
        if direction not in ("asc", "desc"):
            raise EngineFault(f"API {method}() sort direction {direction!r} must be 'asc' or 'desc'")
        plan.append((_keys_function(env, entity_type, field, method), direction == "desc"))
    # Sort positions rather than rows: keys are computed once per field in
    # bulk, empty values are set aside instead of being wrapped in tuples,
    # and each pass is a stable sort, so applying the fields from last to
    # first makes the first field the primary key.
    order = list(range(len(rows)))
    for keys_of, descending in reversed(plan):
        keys = keys_of(rows)
        present = [i for i in order if keys[i] is not None]
        missing = [i for i in order if keys[i] is None]
        present.sort(key=keys.__getitem__, reverse=descending)
        if site_choices.NULLS_LAST_ASCENDING != descending:
            order = present + missing
        else:
            order = missing + present
    return [rows[i] for i in order]
