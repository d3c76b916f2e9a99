"""Filter trees (wire form: docs/site_facts.rst, Filters on the wire) compiled to row predicates.

The wire form is ``{"logical_operator": "and" | "or", "conditions": [...]}``
where each condition is ``{"path", "relation", "values"}`` or a nested group.
For convenience (other engine modules, rigs) the client-side forms are
accepted too: a list of ``[path, relation, value...]`` conditions and
``{"filter_operator": "all" | "any", "filters": [...]}`` groups.

Compilation happens once per call: each condition becomes a closure over a
compiled path and a value test, so evaluating a row never looks at the schema.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .. import site_choices
from ..errors import EngineFault
from .fused_conditions import combine, fused_predicate, with_source
from .fused_conditions import negate as negate_predicate
from .paths import compile_path
from .relations import ALLOWED, KNOWN_RELATIONS, NEGATIONS, QueryEnv, build_test
from ..schema.site_schema import LINK_LIST_TYPES

Row = Dict[str, Any]
Predicate = Callable[[Row], bool]

_AND = {"and": "and", "all": "and", "or": "or", "any": "or"}


def match_all(_row: Row) -> bool:
    """The predicate of an empty filter."""
    return True


_always = match_all


def _never(_row: Row) -> bool:
    return False


def compile_filters(env: QueryEnv, entity_type: str, filters: Any, method: str = "read") -> Predicate:
    """A predicate for rows of ``entity_type`` that match ``filters`` (``None`` matches all)."""
    if filters is None:
        return _always
    return _compile_node(env, entity_type, filters, method)


def _compile_node(env: QueryEnv, entity_type: str, node: Any, method: str) -> Predicate:
    """A predicate of one node of the wire filter tree: a condition or a group (docs/engine.rst)."""
    if isinstance(node, dict):
        if "path" in node:
            return _compile_condition(env, entity_type, node.get("path"), node.get("relation"), node.get("values"), method)
        if "conditions" in node:
            return _compile_group(env, entity_type, node.get("logical_operator", "and"), node["conditions"], method)
    raise EngineFault(f"API {method}() malformed filter {node!r}: expected a condition "
                      "{'path', 'relation', 'values'} or a group {'logical_operator', 'conditions'}")


def _compile_group(env: QueryEnv, entity_type: str, operator: Any, conditions: Any, method: str) -> Predicate:
    mode = operator if operator in ("and", "or") else None
    if mode is None:
        raise EngineFault(f"API {method}() unknown logical operator {operator!r} (expected 'and' or 'or')")
    if not isinstance(conditions, (list, tuple)):
        raise EngineFault(f"API {method}() filter conditions must be a list, not {type(conditions).__name__}")
    predicates = [_compile_node(env, entity_type, item, method) for item in conditions]
    if len(predicates) > 1:
        fused = combine(predicates, mode)
        if fused is not None:
            return fused
    if mode == "and":
        return all_of(predicates)
    return any_of(predicates)


def all_of(predicates: Sequence[Predicate]) -> Predicate:
    """A predicate true when every one of ``predicates`` is."""
    if not predicates:
        return _always
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        first, second = predicates
        return lambda row: first(row) and second(row)
    items = tuple(predicates)
    return lambda row: all(p(row) for p in items)


def any_of(predicates: Sequence[Predicate]) -> Predicate:
    """A predicate true when at least one of ``predicates`` is."""
    if not predicates:
        return _always if site_choices.EMPTY_ANY_GROUP_MATCHES else _never
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        first, second = predicates
        return lambda row: first(row) or second(row)
    items = tuple(predicates)
    return lambda row: any(p(row) for p in items)


def _compile_condition(env: QueryEnv, entity_type: str, path: Any, relation: Any, values: Any, method: str) -> Predicate:
    if not isinstance(relation, str) or relation not in KNOWN_RELATIONS:
        raise EngineFault(f"API {method}() unknown filter relation {relation!r} (on {entity_type}.{path})")
    if values is None:
        values = [None]
    elif not isinstance(values, (list, tuple)):
        values = [values]
    spec = compile_path(env.schema, env.tables, entity_type, path, method)
    data_type = spec.info.data_type if spec.info is not None else "number"
    allowed = ALLOWED.get(data_type, frozenset())
    if relation not in allowed:
        raise EngineFault(
            f"API {method}() the '{relation}' relation is not supported on {entity_type}.{path} "
            f"(a {data_type} field)"
        )
    positive = NEGATIONS.get(relation, relation)
    negate = positive != relation and site_choices.NEGATIVE_RELATIONS_NEGATE
    matches = _positive_predicate(env, entity_type, path, spec, data_type, positive, values, method)
    if negate:
        return negate_predicate(matches)
    return matches


def _positive_predicate(
    env: QueryEnv, entity_type: str, path: str, spec: Any, data_type: str, relation: str, values: Any, method: str
) -> Predicate:
    test = build_test(env, data_type, relation, values, f"{entity_type}.{path}")
    if "." not in path:
        fused = fused_predicate(env, data_type, path, relation, values, test)
        if fused is not None:
            return fused
    if "." in path:
        joined = _semijoin(env, entity_type, path, relation, values, method)
        if joined is not None:
            return joined
    get = spec.get
    if spec.through_multi:
        return lambda row: any(map(test, get(row)))
    if "." not in path:
        field = path
        return lambda row: test(row.get(field))
    return lambda row: test(get(row))


def _semijoin(env: QueryEnv, entity_type: str, path: str, relation: str, values: Any, method: str) -> Optional[Predicate]:
    """``link.T.rest <relation> values`` as "the link points at one of these T ids".

    The inner condition is evaluated once over the live rows of ``T`` (a
    Sequence table rather than every Shot's chain). Only valid when an empty
    value does not satisfy the condition, since an empty link must not match.
    """
    field, target_type, rest = path.split(".", 2)
    inner_spec = compile_path(env.schema, env.tables, target_type, rest, method)
    inner_type = inner_spec.info.data_type if inner_spec.info is not None else "number"
    inner = _positive_predicate(env, target_type, rest, inner_spec, inner_type, relation, values, method)
    empty_link_is_empty = inner_type == "checkbox" and site_choices.DEEP_CHECKBOX_THROUGH_EMPTY_LINK_IS_EMPTY
    if inner({}) and not empty_link_is_empty:
        return None
    table = env.tables.get(target_type) or {}
    ids = {key for key, row in table.items() if not row.get("__retired") and inner(row)}
    info = env.schema.field(entity_type, field)
    if info is not None and info.data_type in LINK_LIST_TYPES:

        def any_linked(row: Row) -> bool:
            for link in row.get(field) or ():
                if link.__class__ is dict and link.get("id") in ids and link.get("type") == target_type:
                    return True
            return False

        return any_linked

    def linked(row: Row) -> bool:
        link = row.get(field)
        return link.__class__ is dict and link.get("id") in ids and link.get("type") == target_type

    return with_source(
        linked,
        '((_v@ := row.get(_f@)).__class__ is dict and _v@.get("id") in _s@ and _v@.get("type") == _t@)',
        {"_f": field, "_s": ids, "_t": target_type},
    )


def pinned_ids(filters: Any) -> Tuple[Optional[List[int]], bool]:
    """``(ids, alone)``: the ids the top-level ``and`` of ``filters`` pins with ``id is N`` / ``id in [...]``.

    ``ids`` is ``None`` when no condition pins ids; ``alone`` says whether
    those conditions are all there is (then a read needs no other test).
    Lets a read look rows up by id instead of scanning.
    """
    if filters.__class__ is not dict or filters.get("logical_operator", "and") != "and":
        return None, False
    conditions = filters.get("conditions")
    if conditions.__class__ is not list:
        return None, False
    found: Optional[List[int]] = None
    alone = True
    for condition in conditions:
        ids = _ids_of(condition)
        if ids is None:
            alone = False
            continue
        found = ids if found is None else [i for i in found if i in ids]
    return found, alone and found is not None


def _ids_of(condition: Any) -> Optional[List[int]]:
    """The ids one wire condition pins (``id is N`` or ``id in [...]``, ints only), else ``None``."""
    if condition.__class__ is not dict or condition.get("path") != "id":
        return None
    relation, values = condition.get("relation"), condition.get("values")
    if not isinstance(values, (list, tuple)):
        return None
    if len(values) == 1 and isinstance(values[0], (list, tuple)):
        values = values[0]
    if not (relation == "in" or (relation == "is" and len(values) == 1)):
        return None
    if not all(i.__class__ is int for i in values):
        return None
    return list(values)
