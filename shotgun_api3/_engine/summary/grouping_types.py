"""The grouping types of ``summarize``: which data types each applies to, and the bucket a value falls in.

``buckets_for`` turns one record's value into the groups it belongs to (none
or one, several for multi_entity and tag_list fields). A bucket knows its
identity, its sort position, its ``group_value`` and its ``group_name``.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, FrozenSet, Hashable, List, NamedTuple, Optional, Tuple

from .. import site_choices as choices
from .summary_types import DATE_TYPES, NUMERIC_TYPES, is_empty

LINK_TYPES = frozenset({"entity", "multi_entity"})
LIST_VALUED_TYPES = frozenset({"multi_entity", "tag_list"})
# Fields whose values have no meaningful equality for grouping.
UNGROUPABLE_TYPES = frozenset({"serializable", "password", "image", "url", "pivot_column"})

NUMERIC_BUCKET_SIZES = {
    "tens": 10,
    "hundreds": 100,
    "thousands": 1000,
    "tensofthousands": 10000,
    "hundredsofthousands": 100000,
    "millions": 1000000,
}
DURATION_BUCKET_DAYS = {"oneday": 1, "fivedays": 5}
DATE_GROUPINGS = frozenset({"day", "week", "month", "quarter", "year", "clustered_date"})

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]


class Bucket(NamedTuple):
    """One group a value falls in."""

    key: Hashable            # identity: values with the same key share a group
    sort_key: Tuple[Any, ...]  # position among the groups of the same level, ascending
    value: Any               # the answer's group_value
    name: str                # the answer's group_name


# Empty values sort after every value ascending (before every value descending),
# like empty values in the engine's record ordering.
EMPTY_BUCKET = Bucket(key=("empty",), sort_key=(2 if choices.EMPTY_GROUP_SORTS_LAST_ASCENDING else 0,),
                      value=None, name=choices.EMPTY_GROUP_NAME)


def grouping_type_applies(grouping_type: str, data_type: str) -> bool:
    """Tell whether ``grouping_type`` is a known grouping type valid on fields of ``data_type``."""
    if grouping_type == "exact":
        return data_type not in UNGROUPABLE_TYPES
    if grouping_type in NUMERIC_BUCKET_SIZES:
        return data_type in NUMERIC_TYPES
    if grouping_type in DATE_GROUPINGS:
        return data_type in DATE_TYPES
    if grouping_type in DURATION_BUCKET_DAYS:
        return data_type == "duration"
    if grouping_type == "entitytype":
        return data_type in LINK_TYPES
    if grouping_type == "firstletter":
        return data_type in ("text", "list", "entity")
    return False


def buckets_for(grouping_type: str, data_type: str, value: Any, today: datetime.date,
                type_display_name: Callable[[str], str] = str, many: bool = False) -> List[Bucket]:
    """Return the buckets ``value`` falls in under ``grouping_type`` (an empty value: the empty bucket).

    ``today`` anchors ``clustered_date``; ``type_display_name`` names
    ``entitytype`` groups. ``many`` says the value is a list of values of
    ``data_type`` (a dotted path through a multi-entity hop); multi_entity and
    tag_list values are lists anyway.
    """
    if many or data_type in LIST_VALUED_TYPES:
        items = [item for item in _flatten(value) if not is_empty(item)]
        if not items:
            return [EMPTY_BUCKET]
        item_type = {"multi_entity": "entity", "tag_list": "text"}.get(data_type, data_type)
        buckets: List[Bucket] = []
        seen = set()
        for item in items:
            for bucket in _single_buckets(grouping_type, item_type, item, today, type_display_name):
                if bucket.key not in seen:
                    seen.add(bucket.key)
                    buckets.append(bucket)
        return buckets
    if is_empty(value):
        return [EMPTY_BUCKET]
    return _single_buckets(grouping_type, data_type, value, today, type_display_name)


def _flatten(value: Any) -> List[Any]:
    if not isinstance(value, list):
        return [value]
    flat: List[Any] = []
    for item in value:
        flat.extend(_flatten(item))
    return flat


def _single_buckets(grouping_type: str, data_type: str, value: Any, today: datetime.date,
                    type_display_name: Callable[[str], str]) -> List[Bucket]:
    if grouping_type == "exact":
        return [_exact_bucket(data_type, value)]
    if grouping_type in NUMERIC_BUCKET_SIZES:
        return [_numeric_bucket(value, NUMERIC_BUCKET_SIZES[grouping_type])]
    if grouping_type in DURATION_BUCKET_DAYS:
        return [_duration_bucket(value, DURATION_BUCKET_DAYS[grouping_type])]
    if grouping_type in DATE_GROUPINGS:
        day = _as_date(value)
        if day is None:
            return [EMPTY_BUCKET]
        if grouping_type == "clustered_date":
            return [_clustered_date_bucket(day, today)]
        return [_calendar_bucket(grouping_type, day)]
    if grouping_type == "entitytype":
        entity_type = value.get("type") if isinstance(value, dict) else None
        if not entity_type:
            return [EMPTY_BUCKET]
        return [Bucket(("type", entity_type), (1, entity_type), entity_type, type_display_name(entity_type))]
    if grouping_type == "firstletter":
        text = value.get("name") if isinstance(value, dict) else value
        if not text:
            return [EMPTY_BUCKET]
        letter = str(text)[0].upper()
        return [Bucket(("letter", letter), (1, letter), letter, letter)]
    raise ValueError("unknown grouping type %r" % grouping_type)


def _exact_bucket(data_type: str, value: Any) -> Bucket:
    if isinstance(value, dict):
        name = value.get("name")
        link = {"type": value.get("type"), "id": value.get("id"), "name": name, "valid": "valid"}
        display = "" if name is None else str(name)
        return Bucket(("link", link["type"], link["id"]), (1, display.lower(), str(link["type"]), link["id"] or 0),
                      link, display)
    if isinstance(value, bool):
        return Bucket(("bool", value), (1, value), value, choices.CHECKBOX_GROUP_NAMES[value])
    if isinstance(value, str):
        return Bucket(("text", value), (1, value.lower(), value), value, value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return Bucket(("time", value), (1, _sortable_time(value)), value, value.isoformat())
    return Bucket(("value", value), (1, value), value, str(value))


def _numeric_bucket(value: Any, size: int) -> Bucket:
    low = (value // size) * size
    if isinstance(value, int):
        low, high = int(low), int(low) + size - 1
    else:
        low, high = float(low), float(low) + size
    return Bucket(("number", low), (1, low), low, "%s - %s" % (_plain_number(low), _plain_number(high)))


def _plain_number(number: Any) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _duration_bucket(minutes: Any, days_per_bucket: int) -> Bucket:
    days = int(minutes // choices.MINUTES_PER_WORKING_DAY)
    first_day = (days // days_per_bucket) * days_per_bucket
    if days_per_bucket == 1:
        name = "%d day" % first_day if first_day == 1 else "%d days" % first_day
    else:
        name = "%d - %d days" % (first_day, first_day + days_per_bucket - 1)
    return Bucket(("days", first_day), (1, first_day), first_day, name)


def _as_date(value: Any) -> Optional[datetime.date]:
    """The calendar day of a date, a datetime or an ISO string.

    Aware datetimes count in the process's local time zone, like the engine's
    relative date filters; naive ones by their own wall clock.
    """
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            return None
    return None


def _sortable_time(value: Any) -> str:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat()


def _calendar_bucket(grouping_type: str, day: datetime.date) -> Bucket:
    if grouping_type == "day":
        text = day.isoformat()
        return Bucket(("day", text), (1, text), text, text)
    if grouping_type == "week":
        offset = day.weekday() if choices.WEEK_STARTS_ON_MONDAY else (day.weekday() + 1) % 7
        start = (day - datetime.timedelta(days=offset)).isoformat()
        return Bucket(("week", start), (1, start), start, "Week of %s" % start)
    if grouping_type == "month":
        text = "%04d-%02d" % (day.year, day.month)
        return Bucket(("month", text), (1, text), text, "%s %d" % (_MONTH_NAMES[day.month - 1], day.year))
    if grouping_type == "quarter":
        quarter = (day.month - 1) // 3 + 1
        text = "%04d-Q%d" % (day.year, quarter)
        return Bucket(("quarter", text), (1, text), text, "%d Q%d" % (day.year, quarter))
    text = "%04d" % day.year
    return Bucket(("year", text), (1, text), text, text)


# clustered_date buckets, in chronological order: (value, name, test on days from today).
_CLUSTERS: List[Tuple[str, str, Callable[[int], bool]]] = [
    ("past", "Past", lambda days: days < -1),
    ("yesterday", "Yesterday", lambda days: days == -1),
    ("today", "Today", lambda days: days == 0),
    ("tomorrow", "Tomorrow", lambda days: days == 1),
    ("future", "Future", lambda days: days > 1),
]


def _clustered_date_bucket(day: datetime.date, today: datetime.date) -> Bucket:
    days = (day - today).days
    for position, (value, name, test) in enumerate(_CLUSTERS):
        if test(days):
            return Bucket(("cluster", value), (1, position), value, name)
    raise AssertionError("the clusters cover every day")


def group_order(buckets: List[Bucket], direction: str) -> List[Bucket]:
    """Sort the buckets of one level by ``direction`` (``asc`` or ``desc``)."""
    return sorted(buckets, key=_safe_sort_key, reverse=(direction == "desc"))


def _safe_sort_key(bucket: Bucket) -> Tuple[Any, ...]:
    # Values of different kinds in one field (a rig writing odd rows) must not
    # make the sort fail: order by kind first, then by value within a kind.
    rest = bucket.sort_key[1:]
    kind = ""
    if rest:
        kind = "number" if isinstance(rest[0], (int, float)) else type(rest[0]).__name__
    return (bucket.sort_key[0], kind, rest)
