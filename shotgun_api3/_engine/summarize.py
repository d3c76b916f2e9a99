"""The ``summarize`` method: summaries of a filtered set of records, in nested groups.

``summarize_records`` does the work on records already filtered and
resolved to ``{field path: value}``; it is pure so every summary and
grouping type can be tested on its own. The engine method around it
validates the request, runs the filters and resolves the fields.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from .grouping_types import Bucket, buckets_for, group_order
from .summary_types import aggregate

Record = Mapping[str, Any]


def summarize_records(records: Sequence[Record], summaries: Sequence[Mapping[str, Any]],
                      grouping: Sequence[Mapping[str, Any]], data_type_of: Callable[[str], str],
                      today: Optional[datetime.date] = None,
                      type_display_name: Callable[[str], str] = str) -> Dict[str, Any]:
    """Return ``{"summaries": {...}, "groups": [...]}`` for ``records``.

    ``summaries`` and ``grouping`` are the request's lists (already
    validated); ``data_type_of(path)`` gives a field's data type.
    """
    today = today or datetime.date.today()
    return {
        "summaries": _summaries_of(records, summaries),
        "groups": _groups_of(records, summaries, list(grouping), data_type_of, today, type_display_name),
    }


def _summaries_of(records: Sequence[Record], summaries: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for summary in summaries:
        field = summary["field"]
        result[field] = aggregate(summary["type"], [record.get(field) for record in records], summary)
    return result


def _groups_of(records: Sequence[Record], summaries: Sequence[Mapping[str, Any]],
               grouping: List[Mapping[str, Any]], data_type_of: Callable[[str], str],
               today: datetime.date, type_display_name: Callable[[str], str]) -> List[Dict[str, Any]]:
    if not grouping:
        return []
    level, inner = grouping[0], grouping[1:]
    field = level["field"]
    data_type = data_type_of(field)
    members: Dict[Any, List[Record]] = {}
    buckets: Dict[Any, Bucket] = {}
    for record in records:
        for bucket in buckets_for(level["type"], data_type, record.get(field), today, type_display_name):
            if bucket.key not in buckets:
                buckets[bucket.key] = bucket
                members[bucket.key] = []
            members[bucket.key].append(record)
    groups = []
    for bucket in group_order(list(buckets.values()), level.get("direction") or "asc"):
        subset = members[bucket.key]
        group: Dict[str, Any] = {
            "group_name": bucket.name,
            "group_value": _copy_value(bucket.value),
            "summaries": _summaries_of(subset, summaries),
        }
        # The innermost level carries no "groups" key, as a site answers.
        if inner:
            group["groups"] = _groups_of(subset, summaries, inner, data_type_of, today, type_display_name)
        groups.append(group)
    return groups


def _copy_value(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value
