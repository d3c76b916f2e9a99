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
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import site_choices
from .display import link_is_live
from .relations import NUMBER_TYPES, STRING_TYPES, QueryEnv

Row = Dict[str, Any]
Predicate = Callable[[Row], bool]


def with_source(predicate: Predicate, template: str, constants: Dict[str, Any]) -> Predicate:
    """Attach the predicate's expression so ``combine`` can fuse it with its siblings.

    ``template`` is our own code, with ``@`` where ``combine`` puts the
    condition's number; every value from the request (field names included)
    travels in ``constants``, never as code text.
    """
    predicate.fused_source = ("leaf", template, constants)  # type: ignore[attr-defined]
    return predicate


def source_of(predicate: Predicate) -> Optional[Tuple[Any, ...]]:
    return getattr(predicate, "fused_source", None)


def negate(predicate: Predicate) -> Predicate:
    """``not predicate``, keeping a fusable expression when there is one."""
    source = source_of(predicate)

    def negated(row: Row) -> bool:
        return not predicate(row)

    if source is not None:
        negated.fused_source = ("not", source)  # type: ignore[attr-defined]
    return negated


def combine(predicates: Sequence[Predicate], joiner: str) -> Optional[Predicate]:
    """One function evaluating every predicate joined by ``and``/``or``, when all are fusable.

    Calling one function per row instead of one per condition (plus one for
    the group) is what makes an ``any`` of several conditions cheap. The
    generated code depends only on the shape of the filter, so it is
    compiled once per shape and reused.
    """
    sources = [source_of(p) for p in predicates]
    if not sources or any(source is None for source in sources):
        return None
    tree = ("group", joiner, sources)
    constants: Dict[str, Any] = {"__builtins__": {}, "str": str, "dict": dict}
    shape = _render(tree, constants, [0])
    code = _COMPILED.get(shape)
    if code is None:
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.clear()
        code = _COMPILED[shape] = compile(f"lambda row: {shape}", "<fused filter>", "eval")
    function = eval(code, constants)  # noqa: S307 - code from our own templates only
    function.fused_source = tree
    return function


#: Compiled group functions by filter shape (conditions numbered in order).
_COMPILED: Dict[str, Any] = {}
_COMPILED_LIMIT = 512


def _render(node: Tuple[Any, ...], constants: Dict[str, Any], counter: List[int]) -> str:
    """The code of a fused tree, numbering its conditions in order and collecting their constants."""
    kind = node[0]
    if kind == "leaf":
        number = str(counter[0])
        counter[0] += 1
        for name, value in node[2].items():
            constants[name + number] = value
        return node[1].replace("@", number)
    if kind == "not":
        return f"(not {_render(node[1], constants, counter)})"
    return "(" + f" {node[1]} ".join(_render(child, constants, counter) for child in node[2]) + ")"


#: Stored values a number test compares (anything else, e.g. text a rig wrote, does not match).
_NUMBER_CLASSES = frozenset((int, float, bool))


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
        return with_source(lambda row: False, "False", {})
    wanted_type, wanted_id = wanted["type"], wanted["id"]

    def entity_is(row: Row) -> bool:
        v = row.get(field)
        return v.__class__ is dict and v.get("id") == wanted_id and v.get("type") == wanted_type

    return with_source(
        entity_is,
        '((_v@ := row.get(_f@)).__class__ is dict and _v@.get("id") == _i@ and _v@.get("type") == _t@)',
        {"_f": field, "_i": wanted_id, "_t": wanted_type},
    )


def _string(field: str, relation: str, values: Sequence[Any]) -> Optional[Predicate]:
    if relation == "in":
        items = list(values[0]) if len(values) == 1 and isinstance(values[0], (list, tuple)) else list(values)
        if not all(isinstance(item, str) for item in items):
            return None
        wanted_set = {item.lower() for item in items}

        def text_in(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower() in wanted_set

        return with_source(
            text_in, "((_v@ := row.get(_f@)).__class__ is str and _v@.lower() in _s@)", {"_f": field, "_s": wanted_set}
        )
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    text = values[0].lower()

    if relation == "is":

        def text_is(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower() == text

        return with_source(text_is, "((_v@ := row.get(_f@)).__class__ is str and _v@.lower() == _s@)", {"_f": field, "_s": text})
    if relation == "starts_with":

        def text_starts(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower().startswith(text)

        return with_source(text_starts, "((_v@ := row.get(_f@)).__class__ is str and _v@.lower().startswith(_s@))", {"_f": field, "_s": text})
    if relation == "ends_with":

        def text_ends(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and v.lower().endswith(text)

        return with_source(text_ends, "((_v@ := row.get(_f@)).__class__ is str and _v@.lower().endswith(_s@))", {"_f": field, "_s": text})
    if relation == "contains":

        def text_contains(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ is str and text in v.lower()

        return with_source(text_contains, "((_v@ := row.get(_f@)).__class__ is str and _s@ in _v@.lower())", {"_f": field, "_s": text})
    return None


def _number(field: str, relation: str, values: Sequence[Any]) -> Optional[Predicate]:
    if len(values) != 1 or not _is_number(values[0]):
        return None
    bound = float(values[0]) if isinstance(values[0], Decimal) else values[0]

    if relation == "is":

        def number_is(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ in _NUMBER_CLASSES and v == bound

        return with_source(
            number_is,
            "((_v@ := row.get(_f@)).__class__ in _k@ and _v@ == _b@)",
            {"_f": field, "_b": bound, "_k": _NUMBER_CLASSES},
        )
    if relation == "less_than":

        def number_less(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ in _NUMBER_CLASSES and v < bound

        return with_source(
            number_less,
            "((_v@ := row.get(_f@)).__class__ in _k@ and _v@ < _b@)",
            {"_f": field, "_b": bound, "_k": _NUMBER_CLASSES},
        )
    if relation == "greater_than":

        def number_greater(row: Row) -> bool:
            v = row.get(field)
            return v.__class__ in _NUMBER_CLASSES and v > bound

        return with_source(
            number_greater,
            "((_v@ := row.get(_f@)).__class__ in _k@ and _v@ > _b@)",
            {"_f": field, "_b": bound, "_k": _NUMBER_CLASSES},
        )
    return None
