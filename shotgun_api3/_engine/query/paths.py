"""Dotted field paths (``sg_sequence.Sequence.code``) compiled to row getters.

A path is compiled once per call into a closure chain, so evaluating it on a
row costs dictionary lookups only. A link that is empty, points at another
type than the path names, or points at a missing or retired record ends the
chain with ``None``. A multi-entity hop turns the result into a list with one
value per linked record (docs/site_facts.rst, Dotted field paths).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional

from ..errors import EngineFault
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo, SiteSchema

Row = Dict[str, Any]
Getter = Callable[[Row], Any]


class PathSpec(NamedTuple):
    """A compiled path: the last field's definition and how to read it from a row."""

    path: str
    info: Optional[FieldInfo]
    through_multi: bool
    get: Getter


def _none(_row: Row) -> None:
    return None


def _field_getter(field: str) -> Getter:
    def get(row: Row) -> Any:
        return row.get(field)

    return get


def _single_hop(
    tables: Mapping[str, Dict[int, Row]], field: str, target_type: str, rest: Getter, rest_is_list: bool
) -> Getter:
    table = tables.get(target_type) or {}
    empty: Any = [] if rest_is_list else None

    def get(row: Row) -> Any:
        link = row.get(field)
        if not link or not isinstance(link, dict) or link.get("type") != target_type:
            return [] if rest_is_list else empty
        target = table.get(link.get("id"))
        if target is None or target.get("__retired"):
            return [] if rest_is_list else empty
        return rest(target)

    return get


def _multi_hop(tables: Mapping[str, Dict[int, Row]], field: str, target_type: str, rest: Getter, rest_is_list: bool) -> Getter:
    table = tables.get(target_type) or {}

    def get(row: Row) -> List[Any]:
        values: List[Any] = []
        for link in row.get(field) or ():
            if not isinstance(link, dict) or link.get("type") != target_type:
                continue
            target = table.get(link.get("id"))
            if target is None or target.get("__retired"):
                continue
            if rest_is_list:
                values.extend(rest(target))
            else:
                values.append(rest(target))
        return values

    return get


def compile_path(
    schema: SiteSchema,
    tables: Mapping[str, Dict[int, Row]],
    entity_type: str,
    path: str,
    method: str,
    strict: bool = True,
) -> PathSpec:
    """Compile ``path`` on ``entity_type``.

    With ``strict`` an unknown field or a malformed path is a fault naming it;
    without, the spec reads ``None`` (used for return fields, see
    ``site_choices.UNKNOWN_RETURN_FIELD_IS_NONE``).
    """
    if not isinstance(path, str) or not path:
        raise EngineFault(f"API {method}() invalid field name {path!r}")
    parts = path.split(".")
    if len(parts) % 2 == 0:
        return _bad(path, f"API {method}() invalid deep field path '{path}' on {entity_type}", strict)
    hops = []
    current = entity_type
    for index in range(0, len(parts) - 1, 2):
        field, next_type = parts[index], parts[index + 1]
        info = schema.field(current, field)
        if info is None:
            return _bad(path, f"API {method}() {current}.{field} doesn't exist (in path '{path}')", strict)
        if info.data_type not in ("entity",) and info.data_type not in LINK_LIST_TYPES:
            return _bad(
                path,
                f"API {method}() invalid deep field path '{path}': {current}.{field} is a {info.data_type} field, not a link",
                strict,
            )
        if not schema.has_type(next_type):
            return _bad(path, f"API {method}() entity type '{next_type}' in path '{path}' does not exist", strict)
        hops.append((field, next_type, info.data_type in LINK_LIST_TYPES))
        current = next_type
    final = parts[-1]
    info = schema.field(current, final)
    if info is None:
        if final in ("id", "type") and not hops:
            info = None
        else:
            return _bad(path, f"API {method}() {current}.{final} doesn't exist", strict)
    get: Getter = _field_getter(final)
    is_list = False
    for field, target_type, multi in reversed(hops):
        if multi:
            get = _multi_hop(tables, field, target_type, get, is_list)
            is_list = True
        else:
            get = _single_hop(tables, field, target_type, get, is_list)
    return PathSpec(path, info, is_list, get)


def _bad(path: str, message: str, strict: bool) -> PathSpec:
    if strict:
        raise EngineFault(message)
    return PathSpec(path, None, False, _none)
