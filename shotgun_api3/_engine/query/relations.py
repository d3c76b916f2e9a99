"""Filter relations (docs/site_facts.rst, Relations) as value tests, per data type.

``build_test`` turns one condition's relation and values into a function of
the stored value of the field being tested. Only positive relations are
built here; the negative ones (``is_not``, ``not_in``...) are their negation
(``site_choices.NEGATIVE_RELATIONS_NEGATE``), applied by ``filters``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .. import site_choices
from .value_keys import date_key, datetime_key, footage_frames, number_key, parse_date, parse_wire_datetime
from .display import link_is_live, link_name
from ..errors import EngineFault
from .relative_dates import UNITS, calendar_window, relative_window
from ..schema.site_schema import SiteSchema

Test = Callable[[Any], bool]

STRING_TYPES = frozenset(
    ("text", "list", "status_list", "color", "uuid", "entity_type", "url_template", "system_task_type", "calculated")
)
NUMBER_TYPES = frozenset(("number", "float", "percent", "currency", "duration", "timecode"))
LINK_TYPES = frozenset(("entity", "multi_entity", "addressing"))

#: Negative relation -> the positive relation it negates.
NEGATIONS: Dict[str, str] = {
    "is_not": "is",
    "not_in": "in",
    "not_contains": "contains",
    "not_between": "between",
    "not_in_last": "in_last",
    "not_in_next": "in_next",
    "name_not_contains": "name_contains",
    "type_is_not": "type_is",
}

_ORDERED = ("is", "is_not", "less_than", "greater_than", "between", "not_between", "in", "not_in")
_RELATIVE = (
    "in_last", "not_in_last", "in_next", "not_in_next",
    "in_calendar_day", "in_calendar_week", "in_calendar_month", "in_calendar_year",
)
_LINKS = (
    "is", "is_not", "in", "not_in", "type_is", "type_is_not",
    "name_is", "name_contains", "name_not_contains", "name_starts_with", "name_ends_with",
)

#: The relations each data type accepts (documented ones, plus the natural
#: completions listed in docs/engine.rst).
ALLOWED: Dict[str, frozenset] = {
    "text": frozenset(("is", "is_not", "contains", "not_contains", "starts_with", "ends_with", "in", "not_in")),
    "checkbox": frozenset(("is", "is_not")),
    "image": frozenset(("is", "is_not")),
    "date": frozenset(_ORDERED + _RELATIVE),
    "date_time": frozenset(_ORDERED + _RELATIVE),
    "footage": frozenset(_ORDERED),
    "entity": frozenset(_LINKS),
    "multi_entity": frozenset(_LINKS),
    "addressing": frozenset(_LINKS + ("contains", "not_contains")),
    "tag_list": frozenset(("is", "is_not", "in", "not_in", "name_contains", "name_not_contains", "name_is", "name_id")),
}
for _name in NUMBER_TYPES:
    ALLOWED[_name] = frozenset(_ORDERED)
for _name in STRING_TYPES - {"text"}:
    ALLOWED[_name] = frozenset(("is", "is_not", "in", "not_in"))
ALLOWED["url_template"] = ALLOWED["text"]
ALLOWED["calculated"] = ALLOWED["text"]
ALLOWED["system_task_type"] = ALLOWED["text"]

KNOWN_RELATIONS = frozenset(r for rels in ALLOWED.values() for r in rels)


class QueryEnv(NamedTuple):
    """What a test may look at besides the value: the schema, the tables and "now"."""

    schema: SiteSchema
    tables: Mapping[str, Dict[int, Dict[str, Any]]]
    now: dt.datetime
    #: The engine's ``query.indexes.FieldIndexes`` when it keeps any (the local site), else ``None``.
    indexes: Any = None


def _lower(value: Any) -> Optional[str]:
    """A choice as compared (case folded when the site folds it); ``None`` for a value that is no string."""
    if not isinstance(value, str):
        return None
    return value.lower() if site_choices.CASE_INSENSITIVE_LISTS else value


def _text(value: Any) -> Optional[str]:
    """A text as compared, lower-cased; ``None`` for a value that is no string (a rig's int never matches)."""
    return value.lower() if isinstance(value, str) else None


def _name_norm(value: Any) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text.lower() if site_choices.CASE_INSENSITIVE_NAMES else text


class _Args:
    """The ``values`` of one condition, read the way its relation needs them."""

    def __init__(self, values: Sequence[Any], relation: str, where: str) -> None:
        self.values = list(values)
        self.relation = relation
        self.where = where

    def fault(self, problem: str) -> EngineFault:
        return EngineFault(f"API read() filter on {self.where} with relation '{self.relation}': {problem}")

    def one(self) -> Any:
        if len(self.values) != 1:
            raise self.fault(f"expected exactly one value, got {len(self.values)}")
        return self.values[0]

    def many(self) -> List[Any]:
        if len(self.values) == 1 and isinstance(self.values[0], (list, tuple)):
            return list(self.values[0])
        return self.values

    def pair(self) -> List[Any]:
        values = self.many()
        if len(values) != 2:
            raise self.fault("expected two values (a low and a high bound)")
        return values


def build_test(env: QueryEnv, data_type: str, relation: str, values: Sequence[Any], where: str) -> Test:
    """A test of a stored value for the positive ``relation`` on a field of ``data_type``."""
    args = _Args(values, relation, where)
    if data_type in STRING_TYPES:
        return _string_test(data_type, relation, args)
    if data_type in NUMBER_TYPES:
        return _ordered_test(relation, args, _number_arg(args), number_key)
    if data_type == "footage":
        return _ordered_test(relation, args, _footage_arg(args), footage_frames)
    if data_type == "date":
        if relation in _RELATIVE:
            return _relative_test(env, relation, args, date_key, by_day=True)
        return _ordered_test(relation, args, _date_arg(args), date_key)
    if data_type == "date_time":
        if relation in _RELATIVE:
            return _relative_test(env, relation, args, datetime_key, by_day=False)
        return _ordered_test(relation, args, _datetime_arg(args), datetime_key)
    if data_type == "checkbox":
        return _checkbox_test(relation, args)
    if data_type == "image":
        return _image_test(args)
    if data_type == "entity":
        return _entity_test(env, relation, args)
    if data_type in ("multi_entity", "addressing"):
        return _multi_test(env, relation, args)
    if data_type == "tag_list":
        return _tag_test(env, relation, args)
    raise args.fault(f"fields of type {data_type} cannot be filtered")


# --- strings -----------------------------------------------------------------


def _string_test(data_type: str, relation: str, args: _Args) -> Test:
    """Tests of string fields: only a stored string matches (or, for ``None`` arguments, an empty value)."""
    norm = _text if data_type == "text" else _lower
    if relation == "is":
        arg = args.one()
        if arg is None:
            return lambda v: v is None
        wanted = norm(_string_arg(args, arg))
        return lambda v: (n := norm(v)) is not None and n == wanted
    if relation == "in":
        items = args.many()
        with_none = any(item is None for item in items)
        wanted_set = {norm(_string_arg(args, item)) for item in items if item is not None}
        return lambda v: with_none if v is None else (n := norm(v)) is not None and n in wanted_set
    arg = args.one()
    text = "" if arg is None else norm(_string_arg(args, arg))
    if relation == "contains":
        return lambda v: (n := norm(v)) is not None and text in n
    if relation == "starts_with":
        return lambda v: (n := norm(v)) is not None and n.startswith(text)
    if relation == "ends_with":
        return lambda v: (n := norm(v)) is not None and n.endswith(text)
    raise args.fault("unsupported relation")


def _string_arg(args: _Args, value: Any) -> str:
    """A filter value of a string relation: a string, or a number read as its text (``["code", "is", 7]``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise args.fault(f"{value!r} is not a string")


# --- ordered values (numbers, dates, date_times, footage) ----------------------


def _arg_converter(args: _Args, key: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
    """Filter values to comparable keys; a value ``key`` cannot read is a fault saying it is not ``what``."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        converted = key(value)
        if converted is None:
            raise args.fault(f"{value!r} is not {what}")
        return converted

    return convert


def _filter_number_key(value: Any) -> Any:
    # number_key reads a stored True/False as 1/0; a filter value must be a real number.
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return number_key(value)


def _filter_date_key(value: Any) -> Optional[str]:
    # date_key keeps any string's first ten characters; a filter value must parse.
    if isinstance(value, str) and parse_date(value) is None and parse_wire_datetime(value) is None:
        return None
    return date_key(value)


def _number_arg(args: _Args) -> Callable[[Any], Any]:
    return _arg_converter(args, _filter_number_key, "a number")


def _footage_arg(args: _Args) -> Callable[[Any], Any]:
    return _arg_converter(args, footage_frames, "a footage value")


def _date_arg(args: _Args) -> Callable[[Any], Any]:
    return _arg_converter(args, _filter_date_key, "a date (YYYY-MM-DD)")


def _datetime_arg(args: _Args) -> Callable[[Any], Any]:
    return _arg_converter(args, datetime_key, "a date_time (YYYY-MM-DDTHH:MM:SSZ)")


def _ordered_test(relation: str, args: _Args, convert: Callable[[Any], Any], key: Callable[[Any], Any]) -> Test:
    if relation == "is":
        wanted = convert(args.one())
        if wanted is None:
            return lambda v: key(v) is None
        return lambda v: key(v) == wanted
    if relation == "in":
        items = [convert(item) for item in args.many()]
        with_none = None in items
        wanted_set = {item for item in items if item is not None}
        return lambda v: (with_none if (k := key(v)) is None else k in wanted_set)
    if relation in ("less_than", "greater_than"):
        bound = convert(args.one())
        if bound is None:
            return lambda v: False
        if relation == "less_than":
            return lambda v: (k := key(v)) is not None and k < bound
        return lambda v: (k := key(v)) is not None and k > bound
    if relation == "between":
        low, high = (convert(item) for item in args.pair())
        return lambda v: (k := key(v)) is not None and (low is None or k >= low) and (high is None or k <= high)
    raise args.fault("unsupported relation")


def _relative_test(env: QueryEnv, relation: str, args: _Args, key: Callable[[Any], Any], by_day: bool) -> Test:
    if relation.startswith("in_calendar_"):
        offset = args.one()
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise args.fault("expected an integer offset (0 = current, -1 = previous, 1 = next)")
        window = calendar_window(relation[len("in_calendar_"):], offset, env.now)
    else:
        values = args.many()
        if len(values) != 2:
            raise args.fault("expected a count and a unit, e.g. [7, 'DAY']")
        count, unit = values
        if isinstance(count, bool) or not isinstance(count, int):
            raise args.fault(f"{count!r} is not an integer count")
        unit = str(unit).upper()
        if unit not in UNITS:
            raise args.fault(f"unknown unit {unit!r} (expected one of {', '.join(UNITS)})")
        window = relative_window(relation, count, unit, env.now)
    if by_day:
        first, last = window.first_day, window.last_day
    else:
        first, last = window.start, window.end
    return lambda v: (k := key(v)) is not None and first <= k <= last


# --- checkbox and image -------------------------------------------------------


def _checkbox_test(relation: str, args: _Args) -> Test:
    if relation == "is":
        wanted = bool(args.one())
        return lambda v: bool(v) is wanted
    raise args.fault("unsupported relation")


def _image_test(args: _Args) -> Test:
    if args.one() is not None:
        raise args.fault("image fields can only be compared with None")
    return lambda v: not v


# --- links -------------------------------------------------------------------


def _link_key(args: _Args, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict) or "type" not in value or "id" not in value:
        raise args.fault(f"{value!r} is not an entity dict with 'type' and 'id'")
    return (value["type"], value["id"])


def _name_test(relation: str, args: _Args) -> Callable[[Optional[str]], bool]:
    text = _name_norm(args.one())
    if relation == "name_is":
        return lambda name: name is not None and _name_norm(name) == text
    if relation == "name_contains":
        return lambda name: name is not None and text in _name_norm(name)
    if relation == "name_starts_with":
        return lambda name: name is not None and _name_norm(name).startswith(text)
    if relation == "name_ends_with":
        return lambda name: name is not None and _name_norm(name).endswith(text)
    raise args.fault("unsupported relation")


def _live_key(env: QueryEnv, args: _Args, item: Any) -> Optional[Tuple[Any, Any]]:
    """The ``(type, id)`` of a filter's link value, or ``None`` when it is empty or names no live record."""
    key = _link_key(args, item)
    if key is not None and link_is_live(env.tables, {"type": key[0], "id": key[1]}):
        return key
    return None


def _live_keys(env: QueryEnv, args: _Args, items: Sequence[Any]) -> set:
    return {key for key in (_live_key(env, args, item) for item in items) if key is not None}


def _entity_test(env: QueryEnv, relation: str, args: _Args) -> Test:
    tables, schema = env.tables, env.schema

    def live(v: Any) -> bool:
        return link_is_live(tables, v)

    if relation == "is":
        arg = args.one()
        if arg is None:
            return lambda v: not live(v)
        key = _live_key(env, args, arg)
        if key is None:
            return lambda v: False
        wanted_type, wanted_id = key
        return lambda v: v.__class__ is dict and v.get("id") == wanted_id and v.get("type") == wanted_type
    if relation == "in":
        items = args.many()
        with_none = any(item is None for item in items)
        keys = _live_keys(env, args, items)
        return lambda v: (v.get("type"), v.get("id")) in keys if live(v) else with_none
    if relation == "type_is":
        wanted = args.one()
        if wanted is None:
            return lambda v: not live(v)
        return lambda v: live(v) and v.get("type") == wanted
    if relation in ("contains", "name_is", "name_contains", "name_starts_with", "name_ends_with"):
        name_test = _name_test("name_contains" if relation == "contains" else relation, args)
        return lambda v: live(v) and name_test(link_name(schema, tables, v))
    raise args.fault("unsupported relation")


def _multi_test(env: QueryEnv, relation: str, args: _Args) -> Test:
    tables, schema = env.tables, env.schema

    def live_members(v: Any) -> List[Any]:
        if not isinstance(v, (list, tuple)):
            return []
        return [link for link in v if link_is_live(tables, link)]

    if relation == "is":
        arg = args.one()
        if arg is None:
            return lambda v: not live_members(v)
        key = _live_key(env, args, arg)
        if key is None:
            return lambda v: False
        wanted_type, wanted_id = key
        return lambda v: any(
            link.get("id") == wanted_id and link.get("type") == wanted_type for link in live_members(v)
        )
    if relation == "in":
        items = args.many()
        with_none = any(item is None for item in items)
        keys = _live_keys(env, args, items)

        def member_in(v: Any) -> bool:
            if any((link.get("type"), link.get("id")) in keys for link in live_members(v)):
                return True
            return with_none and not live_members(v)

        return member_in
    if relation == "type_is":
        wanted = args.one()
        if wanted is None:
            return lambda v: not live_members(v)
        return lambda v: any(link.get("type") == wanted for link in live_members(v))
    if relation in ("contains", "name_is", "name_contains", "name_starts_with", "name_ends_with"):
        name_test = _name_test("name_contains" if relation == "contains" else relation, args)
        return lambda v: any(name_test(link_name(schema, tables, link)) for link in live_members(v))
    raise args.fault("unsupported relation")


def _tag_test(env: QueryEnv, relation: str, args: _Args) -> Test:
    if relation == "name_id":
        # The field holds tag names; the id names a Tag record whose name it must hold
        # (a chosen behaviour, see docs/engine.rst).
        arg = args.one()
        tag_id = arg.get("id") if isinstance(arg, dict) and arg.get("type", "Tag") == "Tag" else arg
        if isinstance(tag_id, bool) or not isinstance(tag_id, int):
            raise args.fault(f"expected the id of a Tag (or a Tag entity), got {arg!r}")
        tag = (env.tables.get("Tag") or {}).get(tag_id)
        if tag is None or tag.get("__retired") or not tag.get("name"):
            return lambda v: False
        wanted = _name_norm(tag["name"])
        return lambda v: any(_name_norm(name) == wanted for name in v or ())
    if relation in ("is", "in"):
        items = [args.one()] if relation == "is" else args.many()
        with_none = any(item is None for item in items)
        wanted = {_name_norm(item) for item in items if item is not None}
        return lambda v: any(_name_norm(tag) in wanted for tag in v or ()) or (with_none and not v)
    if relation in ("name_is", "name_contains"):
        name_test = _name_test(relation, args)
        return lambda v: any(name_test(tag) for tag in v or ())
    raise args.fault("unsupported relation")
