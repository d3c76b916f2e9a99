"""What mockgun's ``find`` does after matching: order, page and shape the records.

The reference mockgun's rules where it answers: each ``order`` entry is a
stable sort; an empty value sorts as ``0``, ``0.0``, ``""`` or the oldest
datetime by data type; text sorts case-sensitively; records hold the asked
fields plus ``type`` and ``id``, unknown fields as ``None``. Where it did
what no site does, a site's rules instead (docs/mockgun.rst): the first
``order`` entry is the primary key (the reference made it the last),
``limit`` and ``page`` are honoured, a missing ``direction`` means
ascending, values that cannot be compared (an empty link, naive against
aware datetimes) still sort, and records share no object with ``_db``.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence

from shotgun_api3._errors import ShotgunError

from . import rules
from .engine_bridge import PLAIN_LEAVES, fresh

Row = Dict[str, Any]


def order_entries(order: Any) -> List[tuple]:
    """``[(field, descending), ...]`` of an ``order`` argument, checked as the reference checks it."""
    if not isinstance(order, (list, tuple)):
        raise ShotgunError("order must be a list of dicts with keys 'field_name' and 'direction', not %r" % (order,))
    entries = []
    for entry in order:
        if not isinstance(entry, dict) or ("field_name" not in entry and "column" not in entry):
            raise ValueError("Order clauses must be list of dicts with keys 'field_name' and 'direction'!")
        field = entry["field_name"] if "field_name" in entry else entry["column"]
        direction = entry.get("direction", "asc")
        if direction not in ("asc", "desc"):
            raise ValueError("Unknown ordering direction")
        if not isinstance(field, str):
            raise ShotgunError("An order field name must be a string, not %r" % (field,))
        entries.append((field, direction == "desc"))
    return entries


def sort_rows(rows: List[Row], entries: Sequence[tuple], value_of: Callable[[Row, str], Any],
              type_of: Callable[[Row, str], str]) -> List[Row]:
    """``rows`` sorted by ``entries``, the first entry primary; ties keep ``rows``' order.

    ``value_of(row, field)`` reads a value and ``type_of(row, field)`` the
    data type an empty value is sorted by (asked only for empty values, as
    the reference asks).
    """
    for field, descending in reversed(entries):
        def reference_key(row: Row, field: str = field) -> Any:
            value = value_of(row, field)
            if value is not None:
                return value
            return rules.empty_sort_value(type_of(row, field))
        try:
            rows = sorted(rows, key=reference_key, reverse=descending)
        except TypeError:
            rows = sorted(rows, key=lambda row, field=field: _total_key(value_of(row, field)), reverse=descending)
    return rows


def _total_key(value: Any) -> tuple:
    """A key any two values compare by: empty first, then by kind, then by value (links by name, then id)."""
    if value is None:
        return (0,)
    if isinstance(value, dict):
        return (2, str(value.get("name") or ""), str(value.get("id")))
    if isinstance(value, bool):
        return (1, "bool", int(value))
    if isinstance(value, (int, float)):
        return (1, "number", value)
    if hasattr(value, "utcoffset") and hasattr(value, "isoformat"):
        offset = value.utcoffset() if hasattr(value, "hour") else None
        return (1, "time", (value - offset).replace(tzinfo=None).isoformat() if offset is not None
                else value.isoformat())
    return (1, type(value).__name__, str(value))


def page_of(rows: List[Row], limit: int, page: int, records_per_page: int) -> List[Row]:
    """The records ``find(limit=..., page=...)`` answers, as the client pages a site's answer."""
    if limit and limit <= records_per_page:
        size = limit
        page = page or 1
    else:
        size = records_per_page
    if page:
        return rows[(page - 1) * size:page * size]
    return rows[:limit] if limit else rows


def check_paging(limit: Any, page: Any) -> None:
    """Raise ``ValueError`` for a ``limit`` or ``page`` the real client refuses."""
    if not isinstance(limit, int) or limit < 0:
        raise ValueError("limit parameter must be a positive integer")
    if not isinstance(page, int) or page < 0:
        raise ValueError("page parameter must be a positive integer")


def returned_fields(fields: Any) -> List[str]:
    """The fields of each returned record: those asked, then ``type`` and ``id``, each once."""
    if fields is None:
        return ["type", "id"]
    if isinstance(fields, str):
        fields = [fields]
    names: List[str] = []
    for field in list(fields) + ["type", "id"]:
        if field not in names:
            names.append(field)
    return names


def records(rows: List[Row], fields: List[str], getters: Dict[str, Callable[[Row], Any]]) -> List[Row]:
    """One fresh record per row with the values ``getters`` read, sharing nothing with the rows."""
    pairs = [(field, getters[field]) for field in fields]
    plain = fresh
    out = []
    for row in rows:
        record = {}
        for field, getter in pairs:
            value = getter(row)
            record[field] = value if value.__class__ in PLAIN_LEAVES else plain(value)
        out.append(record)
    return out


def wire_dict_filters(filters: Dict[str, Any]) -> tuple:
    """``(filters, filter_operator)`` of a filter dict in the wire form ``{"logical_operator", "conditions"}``.

    Conditions whose path starts with ``$FROM$`` are left out and one-value
    ``values`` lists unwrapped, as the reference reads them; unlike it, the
    logical operator is honoured and nested groups are read.
    """
    if "filter_operator" in filters and "filters" in filters:
        return [filters], None
    conditions = filters.get("conditions")
    if not isinstance(conditions, list):
        raise ShotgunError("A filter dict needs 'conditions' (the wire form) or 'filter_operator' and 'filters'")
    operator = "any" if filters.get("logical_operator") == "or" else None
    resolved: List[Any] = []
    for condition in conditions:
        if not isinstance(condition, dict):
            raise ShotgunError("Each wire condition must be a dict, not %r" % (condition,))
        if "conditions" in condition:
            nested, nested_operator = wire_dict_filters(condition)
            resolved.append({"filter_operator": nested_operator or "all", "filters": nested})
            continue
        path, relation, values = condition.get("path"), condition.get("relation"), condition.get("values")
        if not isinstance(path, str) or not isinstance(values, list):
            raise ShotgunError("A wire condition needs a 'path' string and a 'values' list: %r" % (condition,))
        if path.startswith("$FROM$"):
            continue
        resolved.append([path, relation, values[0] if len(values) == 1 else values])
    return resolved, operator


def first_id_lookup(filters: Any, filter_operator: Optional[str]) -> Optional[Any]:
    """The id ``N`` when the first filter is ``["id", "is", N]`` and all filters must hold, else ``None``.

    Only that row can pass, and since the reference evaluates that filter
    first on every row and it has no side effect, testing that one row
    alone answers the same.
    """
    if filter_operator not in (None, "all", "and") or not isinstance(filters, (list, tuple)) or not filters:
        return None
    first = filters[0]
    if not isinstance(first, (list, tuple)) or len(first) != 3 or first[0] != "id" or first[1] != "is":
        return None
    wanted = first[2]
    if wanted is None or isinstance(wanted, (list, dict, float)):
        return None
    return wanted
