"""The summary types of ``summarize``: which data types each applies to, and the aggregation itself.

Pure functions over the list of one field's values, one value per record;
``summarize`` collects the values and builds the answer around them.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional

from .. import site_choices as choices

NUMERIC_TYPES = frozenset({"number", "float", "percent", "currency", "duration", "timecode"})
DATE_TYPES = frozenset({"date", "date_time"})
ANY_TYPE: FrozenSet[str] = frozenset()  # marker: the summary applies to every data type

# Which data types each summary type applies to (ANY_TYPE: all of them).
APPLICABLE_DATA_TYPES: Dict[str, FrozenSet[str]] = {
    "record_count": ANY_TYPE,
    "count": ANY_TYPE,
    "sum": NUMERIC_TYPES,
    "maximum": NUMERIC_TYPES,
    "minimum": NUMERIC_TYPES,
    "average": NUMERIC_TYPES,
    "earliest": DATE_TYPES,
    "latest": DATE_TYPES,
    "percentage": ANY_TYPE,
    "status_percentage": frozenset({"status_list"}),
    "status_list": frozenset({"status_list"}),
    "checked": frozenset({"checkbox"}),
    "unchecked": frozenset({"checkbox"}),
}


def summary_type_applies(summary_type: str, data_type: str) -> bool:
    """Tell whether ``summary_type`` is a known summary type valid on fields of ``data_type``."""
    applicable = APPLICABLE_DATA_TYPES.get(summary_type)
    if applicable is None:
        return False
    return applicable is ANY_TYPE or data_type in applicable


def is_empty(value: Any) -> bool:
    """A site's notion of an unset value: None, an empty string or an empty list."""
    return value is None or value == "" or value == []


def _present(values: List[Any]) -> List[Any]:
    return [value for value in values if not is_empty(value)]


def _chronological_key(value: Any) -> Any:
    """Sort key that orders dates, naive and aware datetimes and ISO strings together."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _share(matching: int, total: int) -> int:
    if total == 0:
        return 0
    return int(matching * 100 / total + 0.5)


def _record_count(values: List[Any], parameter: Mapping[str, Any]) -> int:
    return len(values)


def _count(values: List[Any], parameter: Mapping[str, Any]) -> int:
    if choices.COUNT_SKIPS_EMPTY_VALUES:
        return len(_present(values))
    return len(values)


def _sum(values: List[Any], parameter: Mapping[str, Any]) -> Any:
    return sum(_present(values), 0)


def _maximum(values: List[Any], parameter: Mapping[str, Any]) -> Any:
    present = _present(values)
    return max(present) if present else None


def _minimum(values: List[Any], parameter: Mapping[str, Any]) -> Any:
    present = _present(values)
    return min(present) if present else None


def _average(values: List[Any], parameter: Mapping[str, Any]) -> Optional[float]:
    present = _present(values)
    return float(sum(present)) / len(present) if present else None


def _earliest(values: List[Any], parameter: Mapping[str, Any]) -> Any:
    present = _present(values)
    return min(present, key=_chronological_key) if present else None


def _latest(values: List[Any], parameter: Mapping[str, Any]) -> Any:
    present = _present(values)
    return max(present, key=_chronological_key) if present else None


def _percentage(values: List[Any], parameter: Mapping[str, Any]) -> int:
    if "value" in parameter:
        wanted = parameter["value"]
        matching = sum(1 for value in values if value == wanted)
    elif all(isinstance(value, bool) or value is None for value in values):
        matching = sum(1 for value in values if value is True)
    else:
        matching = len(_present(values))
    return _share(matching, len(values))


def _status_percentage(values: List[Any], parameter: Mapping[str, Any]) -> int:
    wanted = parameter.get("value", choices.DEFAULT_STATUS_PERCENTAGE_VALUE)
    return _share(sum(1 for value in values if value == wanted), len(values))


def _status_list(values: List[Any], parameter: Mapping[str, Any]) -> Optional[str]:
    statuses = set(_present(values))
    if not statuses:
        return None
    if len(statuses) == 1:
        return statuses.pop()
    return choices.MIXED_STATUS_ROLL_UP


def _checked(values: List[Any], parameter: Mapping[str, Any]) -> int:
    return sum(1 for value in values if value is True)


def _unchecked(values: List[Any], parameter: Mapping[str, Any]) -> int:
    return sum(1 for value in values if value is not True)


_AGGREGATIONS: Dict[str, Callable[[List[Any], Mapping[str, Any]], Any]] = {
    "record_count": _record_count,
    "count": _count,
    "sum": _sum,
    "maximum": _maximum,
    "minimum": _minimum,
    "average": _average,
    "earliest": _earliest,
    "latest": _latest,
    "percentage": _percentage,
    "status_percentage": _status_percentage,
    "status_list": _status_list,
    "checked": _checked,
    "unchecked": _unchecked,
}


def aggregate(summary_type: str, values: List[Any], parameter: Optional[Mapping[str, Any]] = None) -> Any:
    """Return the summary of ``values`` (one per record) for ``summary_type``.

    ``parameter`` is the request's summary dict; ``percentage`` and
    ``status_percentage`` read its optional ``value`` key.
    """
    return _AGGREGATIONS[summary_type](values, parameter or {})
