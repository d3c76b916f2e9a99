"""Fused row predicates for the most common conditions on a record's own fields.

``filters`` builds a predicate as ``test(row.get(field))``: two Python calls
per row. For the conditions pipelines use most (link ``is``/``in``, text
``is``/``in``/prefix/suffix/substring, number comparisons) this module builds
one closure doing both, which roughly halves the cost of a scan. Semantics
are exactly those of ``relations``; anything not covered here returns
``None`` and the generic path is used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Dict, Optional, Sequence

from . import site_choices
from .display import link_is_live
from .relations import NUMBER_TYPES, STRING_TYPES, QueryEnv

Row = Dict[str, Any]
Predicate = Callable[[Row], bool]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def fused_predicate(
    env: QueryEnv, data_type: str, field: str, relation: str, values: Sequence[Any]
) -> Optional[Predicate]:
    """One closure testing ``row[field]`` for a positive relation, or ``None`` when not covered."""
    if data_type == "entity":
        return _entity(env, field, relation, values)
    if data_type in STRING_TYPES and (data_type == "text" or site_choices.CASE_INSENSITIVE_LISTS):
        return _string(field, relation, values)
    if data_type in NUMBER_TYPES:
        return _number(field, relation, values)
    return None


def _entity(env: QueryEnv, field: str, relation: str, values: Sequence[Any]) -> Optional[Predicate]:
    if relation != "is" or len(values) != 1 or not isinstance(values[0], dict):
        return None
    wanted = values[0]
    if "type" not in wanted or "id" not in wanted:
        return None
    if not link_is_live(env.tables, wanted):
        return lambda row: False
    wanted_type, wanted_id = wanted["type"], wanted["id"]

    def entity_is(row: Row) -> bool:
        v = row.get(field)
        return v is not None and v.get("id") == wanted_id and v.get("type") == wanted_type

    return entity_is


def _string(field: str, relation: str, values: Sequence[Any]) -> Optional[Predicate]:
    if relation == "in":
        items = list(values[0]) if len(values) == 1 and isinstance(values[0], (list, tuple)) else list(values)
        if not all(isinstance(item, str) for item in items):
            return None
        wanted_set = {item.lower() for item in items}

        def text_in(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower() in wanted_set

        return text_in
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    text = values[0].lower()

    if relation == "is":

        def text_is(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower() == text

        return text_is
    if relation == "starts_with":

        def text_starts(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower().startswith(text)

        return text_starts
    if relation == "ends_with":

        def text_ends(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower().endswith(text)

        return text_ends
    if relation == "contains":

        def text_contains(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and text in v.lower()

        return text_contains
    return None


def _number(field: str, relation: str, values: Sequence[Any]) -> Optional[Predicate]:
    if len(values) != 1 or not _is_number(values[0]):
        return None
    bound = float(values[0]) if isinstance(values[0], Decimal) else values[0]

    if relation == "is":

        def number_is(row: Row) -> bool:
            v = row.get(field)
            return v is not None and v == bound

        return number_is
    if relation == "less_than":

        def number_less(row: Row) -> bool:
            v = row.get(field)
            return v is not None and v < bound

        return number_less
    if relation == "greater_than":

        def number_greater(row: Row) -> bool:
            v = row.get(field)
            return v is not None and v > bound

        return number_greater
    return None
