"""Compiled row tests for mockgun's ``find``: the rules of :mod:`.rules`, without a method call per row.

When a test rig has patched none of the reference's matching helpers,
``find`` compiles its filters once into one function of a row, equal to
``self._row_matches_filters(entity_type, row, filters, filter_operator,
retired_only)`` on every row: the same answers, the same ``name`` copied
into stored links, in the same order of evaluation. Filters that could
raise while being matched (malformed items, unknown fields or operators)
are not compiled: ``compile_row_test`` answers ``None`` and ``find`` walks
the helpers instead, which raise where the reference raises.

Common relations get a closure of their own; any value those closures were
not written for (a list, an odd type, an exception) goes to the helper rule
itself (:func:`reference_relations.reference_relation` through ``_compare``), so the
answer never depends on which way was taken.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from . import rules

Row = Dict[str, Any]
RowTest = Callable[[Row], bool]
Getter = Callable[[Row], Any]


def compile_row_test(owner: Any, entity_type: str, filters: Any, filter_operator: Any,
                     retired_only: bool) -> Optional[RowTest]:
    """A function of a row equal to ``owner._row_matches_filters(...)`` on it, or ``None`` to use the helpers."""
    group = _compile_group(owner, entity_type, filters, filter_operator)
    if group is None:
        return None
    want_retired = bool(retired_only)

    def row_test(row: Row) -> bool:
        if bool(row.get("__retired")) != want_retired:
            return False
        return group(row)

    return row_test


def field_getter(owner: Any, entity_type: str, field: str) -> Getter:
    """A function of a row giving ``owner._get_field_from_row(entity_type, row, field)``.

    A path through single links reads each hop's row straight from the
    table; a multi-entity hop, or a value that is neither a link nor empty,
    goes to the helper itself.
    """
    path = rules.split_path(field)
    if path is None:
        return lambda row: row.get(field)
    read = rules.ReferenceRules._get_field_from_row
    link_field, linked_type, rest = path
    linked_table = owner._db.get(linked_type)
    if linked_table is None:
        return lambda row: read(owner, entity_type, row, field)
    read_rest = field_getter(owner, linked_type, rest)

    def deep(row: Row) -> Any:
        link = row.get(link_field)
        if link is None:
            return None
        if link.__class__ is not dict:
            return read(owner, entity_type, row, field)
        if link.get("type") != linked_type:
            return None
        try:
            linked = linked_table.get(link.get("id"))
        except TypeError:
            return None
        return read_rest(linked) if linked is not None else None

    return deep


def _compile_group(owner: Any, entity_type: str, filters: Any, operator: Any) -> Optional[RowTest]:
    joined = rules.GROUP_OPERATORS.get(operator) if operator is not None else "all"
    if joined is None or not isinstance(filters, (list, tuple)):
        return None
    tests: List[RowTest] = []
    for item in filters:
        test = _compile_item(owner, entity_type, item)
        if test is None:
            return None
        tests.append(test)
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        if joined == "all":
            return lambda row: first(row) and second(row)
        return lambda row: first(row) or second(row)
    joins = all if joined == "all" else any  # of no test: all() matches every row, any() none, as the reference
    return lambda row: joins(test(row) for test in tests)


def _compile_item(owner: Any, entity_type: str, item: Any) -> Optional[RowTest]:
    if isinstance(item, dict):
        if "filter_operator" not in item or "filters" not in item:
            return None
        return _compile_group(owner, entity_type, item["filters"], item["filter_operator"])
    if not isinstance(item, (list, tuple)) or len(item) < 3:
        return None
    field, operator, value = item[0], item[1], item[2]
    if len(item) > 3:
        value = list(item[2:])
    elif operator == "in" and not isinstance(value, list):
        value = list(value) if isinstance(value, tuple) else [value]
    if field is None or not isinstance(field, str):
        return None
    try:
        field_type = rules.ReferenceRules._get_field_type(owner, entity_type, field)
    except Exception:  # unknown: the helpers raise it, in their order
        return None
    getter = field_getter(owner, entity_type, field)
    compare = _relation(owner, field_type, operator, value)
    if field_type == "entity":
        if "." not in field and operator in ("is", "is_not") and _is_link(value):
            return _link_is_condition(owner._db, field, value, operator == "is_not", compare)
        return _entity_condition(owner._db, getter, compare)
    if "." not in field:
        return lambda row: compare(row.get(field))
    return lambda row: compare(getter(row))


def _entity_condition(db: Dict[str, Dict[Any, Row]], getter: Getter, compare: Callable[[Any], bool]) -> RowTest:
    """A condition on a link field: first the reference's side effect, the target's name copied into the link.

    Nothing else runs while one find scans, so each target's name is looked
    up once per find.
    """
    names, look_up = _target_names(db)
    name_link = rules.name_link_from_target

    def entity_test(row: Row) -> bool:
        lval = getter(row)
        if lval.__class__ is dict:
            key = (lval.get("type"), lval.get("id"))
            try:
                name = names[key] if key in names else look_up(*key)
            except TypeError:  # an unhashable id
                name_link(db, lval)
            else:
                if name is not _NO_NAME:
                    lval["name"] = name
        elif isinstance(lval, dict):
            name_link(db, lval)
        return compare(lval)

    return entity_test


_NO_NAME = object()


def _target_names(db: Dict[str, Dict[Any, Row]]) -> Tuple[Dict[Any, Any], Callable[[Any, Any], Any]]:
    """``(names, look_up)``: the name the reference copies into a link to a row, or ``_NO_NAME``, by ``(type, id)``.

    A scan reads ``names[type, id]`` itself (a call per row would cost) and
    calls ``look_up(type, id)`` only on a miss: each target is looked up once
    for the span of one find, since nothing else runs meanwhile.
    """
    names: Dict[Any, Any] = {}

    def look_up(link_type: Any, link_id: Any) -> Any:
        target = db.get(link_type, {}).get(link_id)
        has_name, name = rules.named_link_source(target) if target is not None else (False, None)
        names[link_type, link_id] = name = name if has_name else _NO_NAME
        return name

    return names, look_up


def _is_link(value: Any) -> bool:
    return value.__class__ is dict and "type" in value and "id" in value


def _link_is_condition(db: Dict[str, Dict[Any, Row]], field: str, wanted: Dict[str, Any], negate: bool,
                       compare: Callable[[Any], bool]) -> RowTest:
    """``field is/is_not <link>`` on a row's own link field: the naming side effect and the test in one pass.

    The commonest filter of all; anything but a plain link dict goes the
    general way (:func:`_entity_condition`).
    """
    names, look_up = _target_names(db)
    wanted_type, wanted_id = wanted["type"], wanted["id"]
    general = _entity_condition(db, lambda row: row.get(field), compare)

    def link_is(row: Row) -> bool:
        lval = row.get(field)
        if lval.__class__ is not dict or "type" not in lval or "id" not in lval:
            return general(row)
        link_type, link_id = lval["type"], lval["id"]
        try:
            name = names[link_type, link_id]
        except KeyError:
            name = look_up(link_type, link_id)
        except TypeError:  # an unhashable id
            return general(row)
        if name is not _NO_NAME:
            lval["name"] = name
        return (link_type == wanted_type and link_id == wanted_id) != negate

    return link_is


def _relation(owner: Any, field_type: str, operator: str, rval: Any) -> Callable[[Any], bool]:
    """A test of a stored value equal to ``owner._compare(field_type, value, operator, rval)``."""
    compare = rules.ReferenceRules._compare

    def generic(lval: Any) -> bool:
        return compare(owner, field_type, lval, operator, rval)

    special = _SPECIAL.get((field_type, operator))
    fast = special(rval, generic) if special is not None else None
    return fast or generic


# --- closures for common relations; each hands odd values to ``generic`` ------------------


def _text_among(rval: Any, generic: Callable[[Any], bool], negate: bool = False,
                many: bool = False) -> Optional[Callable[[Any], bool]]:
    """``is`` (one value) or ``in`` (``many``) on text, case-insensitive; negated for ``is_not``/``not_in``."""
    values = (rval if isinstance(rval, list) else [rval]) if many else [rval]
    if any(item is not None and item.__class__ is not str for item in values):
        return None
    wanted = frozenset(item.lower() if item is not None else None for item in values)

    def test(lval: Any) -> bool:
        if lval.__class__ is str:
            return (lval.lower() in wanted) != negate
        if lval is None:
            return (None in wanted) != negate
        return generic(lval)

    return test


def _text_is(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _text_among(rval, generic)


def _text_is_not(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _text_among(rval, generic, negate=True)


def _text_in(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _text_among(rval, generic, many=True)


def _text_not_in(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _text_among(rval, generic, negate=True, many=True)


def _substring(kind: str) -> Callable[[Any, Callable[[Any], bool]], Optional[Callable[[Any], bool]]]:
    def build(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
        if rval is not None and rval.__class__ is not str:
            return None
        part = (rval or "").lower()

        def test(lval: Any) -> bool:
            if lval is None or lval.__class__ is str:
                text = (lval or "").lower()
                if kind == "contains":
                    return part in text
                if kind == "not_contains":
                    return part not in text
                if kind == "starts_with":
                    return text.startswith(part)
                return text.endswith(part)
            return generic(lval)

        return test

    return build


def _plain(check: Callable[[Any, Any], bool]) -> Callable[[Any, Callable[[Any], bool]], Callable[[Any], bool]]:
    """A relation on values compared with Python operators; lists and failures go to ``generic``."""

    def build(rval: Any, generic: Callable[[Any], bool]) -> Callable[[Any], bool]:
        def test(lval: Any) -> bool:
            if lval.__class__ is list:
                return generic(lval)
            try:
                return check(lval, rval)
            except Exception:
                return generic(lval)

        return test

    return build


def _entity_is(rval: Any, generic: Callable[[Any], bool], negate: bool = False) -> Optional[Callable[[Any], bool]]:
    if rval is None:
        return lambda lval: (lval is None) != negate if lval.__class__ is not list else generic(lval)
    if rval.__class__ is not dict or "type" not in rval or "id" not in rval:
        return None
    wanted_type, wanted_id = rval["type"], rval["id"]

    def test(lval: Any) -> bool:
        if lval is None:
            return negate
        if lval.__class__ is dict and "type" in lval and "id" in lval:
            return (lval["type"] == wanted_type and lval["id"] == wanted_id) != negate
        return generic(lval)

    return test


def _entity_is_not(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _entity_is(rval, generic, negate=True)


def _multi_is(rval: Any, generic: Callable[[Any], bool], negate: bool = False) -> Optional[Callable[[Any], bool]]:
    if rval is not None and (rval.__class__ is not dict or "id" not in rval):
        return None
    wanted_id = rval["id"] if rval is not None else None

    def test(lval: Any) -> bool:
        if lval.__class__ is not list:
            return generic(lval)
        if rval is None:
            return (len(lval) == 0) != negate
        for link in lval:
            if link.__class__ is not dict or "id" not in link:
                return generic(lval)
        return any(link["id"] == wanted_id for link in lval) != negate

    return test


def _multi_is_not(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _multi_is(rval, generic, negate=True)


def _choice_in(rval: Any, generic: Callable[[Any], bool], negate: bool = False) -> Optional[Callable[[Any], bool]]:
    if not isinstance(rval, list) or any(item is not None and item.__class__ is not str for item in rval):
        return None
    wanted = frozenset(rval)

    def test(lval: Any) -> bool:
        if lval is None or lval.__class__ is str:
            return (lval in wanted) != negate
        return generic(lval)

    return test


def _choice_not_in(rval: Any, generic: Callable[[Any], bool]) -> Optional[Callable[[Any], bool]]:
    return _choice_in(rval, generic, negate=True)


def _ordered(kind: str) -> Callable[[Any, Callable[[Any], bool]], Callable[[Any], bool]]:
    """``less_than``/``greater_than`` on numbers, without a call per value; the rest as :func:`_plain`."""
    def build(rval: Any, generic: Callable[[Any], bool]) -> Callable[[Any], bool]:
        plain = (int, float)
        numeric = rval.__class__ in plain

        if kind == "less_than":
            fallback = _plain(lambda left, right: left < right)(rval, generic)

            def less(lval: Any) -> bool:
                if numeric and lval.__class__ in plain:
                    return lval < rval
                return fallback(lval)

            return less
        fallback = _plain(lambda left, right: left > right)(rval, generic)

        def greater(lval: Any) -> bool:
            if numeric and lval.__class__ in plain:
                return lval > rval
            return fallback(lval)

        return greater

    return build


_EQUAL = _plain(lambda lval, rval: lval == rval)
_NOT_EQUAL = _plain(lambda lval, rval: lval != rval)

_SPECIAL: Dict[Any, Callable[[Any, Callable[[Any], bool]], Optional[Callable[[Any], bool]]]] = {
    ("text", "is"): _text_is,
    ("text", "is_not"): _text_is_not,
    ("text", "in"): _text_in,
    ("text", "not_in"): _text_not_in,
    ("entity", "is"): _entity_is,
    ("entity", "is_not"): _entity_is_not,
    ("multi_entity", "is"): _multi_is,
    ("multi_entity", "is_not"): _multi_is_not,
    ("checkbox", "is"): _EQUAL,
    ("checkbox", "is_not"): _NOT_EQUAL,
    ("entity_type", "is"): _EQUAL,
}
for _kind in ("contains", "not_contains", "starts_with", "ends_with"):
    _SPECIAL[("text", _kind)] = _substring(_kind)
for _type in ("list", "status_list"):
    _SPECIAL[(_type, "is")] = _EQUAL
    _SPECIAL[(_type, "is_not")] = _NOT_EQUAL
    _SPECIAL[(_type, "in")] = _choice_in
    _SPECIAL[(_type, "not_in")] = _choice_not_in
for _type in ("float", "number", "date", "date_time"):
    _SPECIAL[(_type, "is")] = _EQUAL
    _SPECIAL[(_type, "is_not")] = _NOT_EQUAL
    _SPECIAL[(_type, "less_than")] = _ordered("less_than")
    _SPECIAL[(_type, "greater_than")] = _ordered("greater_than")
    _SPECIAL[(_type, "between")] = _plain(lambda lval, rval: lval >= rval[0] and lval <= rval[1])
    _SPECIAL[(_type, "not_between")] = _plain(lambda lval, rval: lval < rval[0] or lval > rval[1])
    _SPECIAL[(_type, "in")] = _plain(lambda lval, rval: lval in rval)
