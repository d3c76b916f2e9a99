"""The ``summarize`` method: summaries of a filtered set of records, in nested groups.

``summarize_records`` does the work on records already filtered and
resolved to ``{field path: value}``; it is pure so every summary and
grouping type can be tested on its own. The ``summarize`` handler around it
validates the request, runs the filters and resolves the fields.
"""
from __future__ import annotations

import datetime
import time
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence

from ..errors import EngineFault
from .grouping_types import Bucket, buckets_for, group_order, grouping_type_applies
from ..query.paths import compile_path
from ..query.read import select_rows
from ..query.slow_queries import log_if_slow
from ..registry import params_object, rpc
from .summary_types import aggregate, summary_type_applies

Record = Mapping[str, Any]
# Summary types that count records rather than combine values.
_RECORD_COUNTS = ("count", "record_count")


def _never_many(path: str) -> bool:
    return False


def summarize_records(records: Sequence[Record], summaries: Sequence[Mapping[str, Any]],
                      grouping: Sequence[Mapping[str, Any]], data_type_of: Callable[[str], str],
                      today: Optional[datetime.date] = None,
                      type_display_name: Callable[[str], str] = str,
                      many_of: Callable[[str], bool] = _never_many) -> Dict[str, Any]:
    """Return ``{"summaries": {...}, "groups": [...]}`` for ``records``.

    ``summaries`` and ``grouping`` are the request's lists (already
    validated); ``data_type_of(path)`` gives a field's data type and
    ``many_of(path)`` whether its value is a list of such values (a dotted
    path through a multi-entity hop).
    """
    summarizer = _Summarizer(summaries, data_type_of, today or datetime.date.today(), type_display_name, many_of)
    return {"summaries": summarizer.summaries_of(records), "groups": summarizer.groups_of(records, list(grouping))}


class _Summarizer:
    """The request's summaries and field facts, applied to each level of groups."""

    def __init__(self, summaries: Sequence[Mapping[str, Any]], data_type_of: Callable[[str], str],
                 today: datetime.date, type_display_name: Callable[[str], str],
                 many_of: Callable[[str], bool]) -> None:
        self.summaries = summaries
        self.data_type_of = data_type_of
        self.today = today
        self.type_display_name = type_display_name
        self.many_of = many_of

    def summaries_of(self, records: Sequence[Record]) -> Dict[str, Any]:
        result: Dict[str, Any] = {}
        for summary in self.summaries:
            field = summary["field"]
            values = [record.get(field) for record in records]
            if self.many_of(field) and summary["type"] not in _RECORD_COUNTS:
                values = _flatten(values)
            try:
                result[field] = aggregate(summary["type"], values, summary)
            except (TypeError, ValueError) as error:
                # Only rows written straight into the tables can hold such values.
                raise EngineFault("API summarize() cannot compute %s of %s: %s" % (summary["type"], field, error)) \
                    from None
        return result

    def groups_of(self, records: Sequence[Record], grouping: List[Mapping[str, Any]]) -> List[Dict[str, Any]]:
        if not grouping:
            return []
        level, inner = grouping[0], grouping[1:]
        field = level["field"]
        data_type, many = self.data_type_of(field), self.many_of(field)
        members: Dict[Any, List[Record]] = {}
        buckets: Dict[Any, Bucket] = {}
        for record in records:
            for bucket in buckets_for(level["type"], data_type, record.get(field), self.today,
                                      self.type_display_name, many):
                if bucket.key not in buckets:
                    buckets[bucket.key] = bucket
                    members[bucket.key] = []
                members[bucket.key].append(record)
        groups = []
        for bucket in group_order(list(buckets.values()), level.get("direction") or "asc"):
            subset = members[bucket.key]
            group: Dict[str, Any] = {
                "group_name": bucket.name,
                "group_value": dict(bucket.value) if isinstance(bucket.value, dict) else bucket.value,
                "summaries": self.summaries_of(subset),
            }
            # The innermost level carries no "groups" key, as a site answers.
            if inner:
                group["groups"] = self.groups_of(subset, inner)
            groups.append(group)
        return groups


def _flatten(values: Sequence[Any]) -> List[Any]:
    flat: List[Any] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(_flatten(value))
        else:
            flat.append(value)
    return flat


class _Field(NamedTuple):
    """A summarized or grouped field: its type, whether it holds a list, how to read it."""

    path: str
    data_type: str
    many: bool
    present: Callable[[Any], Any]


def _resolve_field(call: Any, entity_type: str, path: Any, what: str) -> _Field:
    if not isinstance(path, str) or not path:
        raise EngineFault("API summarize() %s needs a 'field' name, got %r" % (what, path))
    env = call.env
    spec = compile_path(env.schema, env.tables, entity_type, path, "summarize", strict=True)
    data_type = spec.info.data_type if spec.info is not None else "number"
    return _Field(path, data_type, spec.through_multi, call.engine.presenter(entity_type, path))


def _check_spec(call: Any, entity_type: str, spec: Any, noun: str, type_applies: Callable[[Any, str], bool]) -> _Field:
    """The field of one summary or grouping ``spec``, once its ``type`` is known to apply to that field."""
    if not isinstance(spec, dict):
        raise EngineFault("API summarize() each %s must be a {'field', 'type'} object, got %r" % (noun, spec))
    field = _resolve_field(call, entity_type, spec.get("field"), "a " + noun)
    spec_type = spec.get("type")
    if not type_applies(spec_type, field.data_type):
        raise EngineFault("API summarize() %s type %r is not valid for %s.%s (a %s field)"
                          % (noun, spec_type, entity_type, field.path, field.data_type))
    return field


def _check_summaries(call: Any, entity_type: str, summaries: Any) -> List[_Field]:
    if not isinstance(summaries, list):
        raise EngineFault("API summarize() 'summaries' must be a list of {'field', 'type'} objects")
    return [_check_spec(call, entity_type, summary, "summary", summary_type_applies) for summary in summaries]


def _check_grouping(call: Any, entity_type: str, grouping: Any) -> List[_Field]:
    if grouping is None:
        return []
    if not isinstance(grouping, list):
        raise EngineFault("API summarize() 'grouping' must be a list of {'field', 'type', 'direction'} objects")
    fields = []
    for level in grouping:
        fields.append(_check_spec(call, entity_type, level, "grouping", grouping_type_applies))
        if level.get("direction") not in ("asc", "desc", None):
            raise EngineFault("API summarize() grouping direction must be 'asc' or 'desc', not %r"
                              % (level.get("direction"),))
    return fields


@rpc("summarize")
def summarize(call: Any, params: Any) -> Dict[str, Any]:
    """Answer ``summarize``: summaries and groups over the live records matching the filters."""
    params = params_object(params, "summarize")
    entity_type = params.get("type")
    env = call.env
    env.schema.require_type(entity_type, "summarize")
    summaries = params.get("summaries")
    grouping = params.get("grouping") or []
    fields = {field.path: field for field in
              _check_summaries(call, entity_type, summaries) + _check_grouping(call, entity_type, grouping)}
    started = time.perf_counter()
    rows = select_rows(env, entity_type, params.get("filters"), False,
                       params.get("include_archived_projects", True), None, "summarize")
    log_if_slow("summarize", env, entity_type, params.get("filters"), started, len(rows))
    records = [{path: field.present(row) for path, field in fields.items()} for row in rows]
    entity_schema = env.schema.entities

    def type_display_name(name: str) -> str:
        definition = entity_schema.get(name) or {}
        return (definition.get("name") or {}).get("value") or name

    return summarize_records(records, summaries, grouping, lambda path: fields[path].data_type,
                             today=call.now.astimezone().date(), type_display_name=type_display_name,
                             many_of=lambda path: fields[path].many)
