"""Fused row predicates for the most common conditions on a record's own fields.

``filters`` builds a predicate as ``test(row.get(field))``: two Python calls
per row. For the conditions pipelines use most (link ``is``/``in``, text
``is``/``in``/prefix/suffix/substring, number comparisons) this module builds
one closure doing both, which roughly halves the cost of a scan.

``relations`` is the definition: a fused closure reads only the commonest
stored class itself (a ``str``, an ``int`` or ``float``, a link dict) and
hands every other value to the relation's own test, so the answer cannot
depend on which way a row was tested (``tests/engine/test_fused_conditions.py``
draws stored values of every kind to hold both to that). Anything not
covered here returns ``None`` and the relation's test is used alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .. import site_choices
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


#: The stored classes each fused test reads itself; a value of any other class is
#: handed to the relation's own test (``relations.build_test``), so the answer
#: is the same whichever way a row is tested.
_NUMBER_CLASSES = (int, float)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def fused_predicate(
    env: QueryEnv, data_type: str, field: str, relation: str, values: Sequence[Any], test: Callable[[Any], bool]
) -> Optional[Predicate]:
    """One closure testing ``row[field]`` for a positive relation, or ``None`` when not covered.

    ``test`` is the relation's own test of a stored value (``relations``):
    the closure answers the common stored class itself, exactly as ``test``
    would, and calls ``test`` for every other value.
    """
    if data_type == "entity":
        return _entity(env, field, relation, values)
    if data_type in STRING_TYPES and (data_type == "text" or site_choices.CASE_INSENSITIVE_LISTS):
        return _string(field, relation, values, test)
    if data_type in NUMBER_TYPES:
        return _number(field, relation, values, test)
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


# The fused expression of each string relation on a stored str ``_v@`` and the lowered argument ``_s@``.
_STRING_EXPRESSIONS = {
    "in": "_v@.lower() in _s@",
    "is": "_v@.lower() == _s@",
    "starts_with": "_v@.lower().startswith(_s@)",
    "ends_with": "_v@.lower().endswith(_s@)",
    "contains": "_s@ in _v@.lower()",
}


def _string(field: str, relation: str, values: Sequence[Any], test: Callable[[Any], bool]) -> Optional[Predicate]:
    expression = _STRING_EXPRESSIONS.get(relation)
    if expression is None:
        return None
    if relation == "in":
        items = list(values[0]) if len(values) == 1 and isinstance(values[0], (list, tuple)) else list(values)
        if not all(isinstance(item, str) for item in items):
            return None
        wanted: Any = {item.lower() for item in items}
    else:
        if len(values) != 1 or not isinstance(values[0], str):
            return None
        wanted = values[0].lower()
    return _fused(field, expression, "str", wanted, test)


# The fused expression of each number relation on a stored int or float ``_v@`` and the bound ``_s@``.
_NUMBER_EXPRESSIONS = {"is": "_v@ == _s@", "less_than": "_v@ < _s@", "greater_than": "_v@ > _s@"}


def _number(field: str, relation: str, values: Sequence[Any], test: Callable[[Any], bool]) -> Optional[Predicate]:
    expression = _NUMBER_EXPRESSIONS.get(relation)
    if expression is None or len(values) != 1 or not _is_number(values[0]):
        return None
    bound = float(values[0]) if isinstance(values[0], Decimal) else values[0]
    return _fused(field, expression, "number", bound, test)


def _fused(field: str, expression: str, kind: str, wanted: Any, test: Callable[[Any], bool]) -> Predicate:
    """``expression`` on the stored value when it is of the fast class, else ``test(value)``."""
    if kind == "str":
        check = "(_v@ := row.get(_f@)).__class__ is str"
    else:
        check = "(_v@ := row.get(_f@)).__class__ in _k@"
    template = f"(({expression}) if {check} else _t@(_v@))"
    constants = {"_f": field, "_s": wanted, "_t": test, "_k": _NUMBER_CLASSES}
    code = compile("lambda row: " + template.replace("@", "0"), "<fused condition>", "eval")
    scope = {"__builtins__": {}, "str": str, **{name + "0": value for name, value in constants.items()}}
    predicate = eval(code, scope)  # noqa: S307 - code from our own templates only; values travel as names
    return with_source(predicate, template, constants)
