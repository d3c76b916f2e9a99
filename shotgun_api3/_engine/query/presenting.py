"""Stored values turned into the values a site answers with.

Every presenter returns fresh objects (lists, link dicts, file-link dicts,
serializable data), so a caller can mutate a result without touching the
tables.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, List, Optional

from .. import site_choices
from .display import present_link
from .paths import compile_path
from .relations import QueryEnv
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo

Row = Dict[str, Any]
Presenter = Callable[[Any], Any]

_IMMUTABLE = (str, int, float, bool, type(None))

#: Data types with a presenter of their own; every other field answers its stored value (copied).
OWN_PRESENTER_TYPES = frozenset(("entity", "multi_entity", "addressing", "tag_list", "checkbox", "password", "url"))

#: Exact types of stored values answered as they are (immutable, so never shared mutably).
IMMUTABLE_EXACT = frozenset(_IMMUTABLE)


def _plain(value: Any) -> Any:
    if isinstance(value, _IMMUTABLE):
        return value
    return copy.deepcopy(value)


def _url(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (dict(item) if isinstance(item, dict) else item) for key, item in value.items()}
    return _plain(value)


def present_stored(value: Any) -> Any:
    """The answered form of a stored value of a field whose type is not in :data:`OWN_PRESENTER_TYPES`."""
    if value.__class__ in IMMUTABLE_EXACT:
        return value
    return _plain(value)


def present_link_list(schema: Any, tables: Any, links: Any) -> List[Row]:
    """The answered form of a stored link list: its live links, presented (``display.present_link``)."""
    return [presented for presented in [present_link(schema, tables, link) for link in links or ()]
            if presented is not None]


def value_presenter(env: QueryEnv, info: Optional[FieldInfo]) -> Presenter:
    """A function from a stored value of the field ``info`` to its answered form."""
    data_type = info.data_type if info is not None else None
    schema, tables = env.schema, env.tables
    if data_type == "entity":

        def present_entity(value: Any) -> Any:
            return present_link(schema, tables, value)

        return present_entity
    if data_type in LINK_LIST_TYPES:

        def present_links(value: Any) -> Any:
            return present_link_list(schema, tables, value)

        return present_links
    if data_type == "tag_list":
        return lambda value: list(value or ())
    if data_type == "checkbox":
        return lambda value: bool(value)
    if data_type == "password":
        return lambda value: None if value is None else site_choices.PASSWORD_MASK
    if data_type == "url":
        return _url
    return _plain


def field_presenter(env: QueryEnv, entity_type: str, path: str, method: str = "read") -> Callable[[Row], Any]:
    """A function from a row to the answered value of ``path`` (dotted paths allowed).

    Unknown fields and broken paths answer ``None``
    (``site_choices.UNKNOWN_RETURN_FIELD_IS_NONE``).
    """
    if path == "type":
        return lambda row: row.get("type", entity_type)
    if path == "__retired":
        return lambda row: bool(row.get("__retired"))
    if "." not in path:
        info = env.schema.field(entity_type, path)
        if info is not None or path == "id":
            present_value = value_presenter(env, info)
            if present_value is _plain:
                return lambda row: _plain(row.get(path))
            return lambda row: present_value(row.get(path))
    spec = compile_path(
        env.schema, env.tables, entity_type, path, method, strict=not site_choices.UNKNOWN_RETURN_FIELD_IS_NONE
    )
    present = value_presenter(env, spec.info)
    get = spec.get
    if spec.through_multi:
        return lambda row: [present(value) for value in get(row)]
    if "." not in path:
        return lambda row: present(row.get(path))
    return lambda row: present(get(row))
