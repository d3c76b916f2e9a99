"""The ``read`` RPC (``find``/``find_one``): select, order, page and present records."""

from __future__ import annotations

import threading
import time
from itertools import islice
from operator import itemgetter
from typing import Any, Dict, List, Optional

from .. import site_choices
from ..errors import EngineFault
from .filters import all_of, compile_filters, match_all, pinned_ids
from .indexes import id_bounds, indexed_ids, link_needles
from .slow_queries import log_if_slow
from .ordering import sort_rows
from .presenting import field_presenter
from .filter_presets import preset_predicate
from ..registry import params_object, rpc
from .relations import QueryEnv

Row = Dict[str, Any]

_by_id = itemgetter("id")


def _archived_predicate(env: QueryEnv, entity_type: str):
    """Rows not belonging to an archived Project (``include_archived_projects=False``)."""
    projects = env.tables.get("Project") or {}
    if entity_type == "Project":
        if not site_choices.ARCHIVED_FILTER_APPLIES_TO_PROJECT:
            return None
        return lambda row: not row.get("archived")
    if env.schema.field(entity_type, "project") is None:
        return None

    def not_archived(row: Row) -> bool:
        link = row.get("project")
        if not link:
            return True
        project = projects.get(link.get("id"))
        return project is None or not project.get("archived")

    return not_archived


def _ids_ascending(table: Dict[int, Row]) -> bool:
    """Whether the table iterates in id order (the usual case), checked at C speed."""
    keys = list(table)
    return keys == sorted(keys)


def select_rows(
    env: QueryEnv,
    entity_type: str,
    filters: Any,
    retired: bool,
    include_archived_projects: bool,
    presets: Any,
    method: str,
    enough: Optional[int] = None,
    descending: bool = False,
) -> List[Row]:
    """The rows of ``entity_type`` matching a read's filters, in id order.

    With ``enough`` the caller needs only the first ``enough`` matches (no
    count, no sort but by id), and the scan may stop there. ``descending``
    (with ``enough``, for a table streamed from the store): the highest ids
    first, so a page of the newest events reads only that page.
    """
    if not presets and include_archived_projects is not False:
        ids, alone = pinned_ids(filters)
        if alone and len(ids) == 1:
            pinned = ids[0]
            # ``id is N`` alone (every find_one by id): the row is looked up,
            # and there is no other condition left to compile or test.
            row = (env.tables.get(entity_type) or {}).get(pinned)
            if row is None or row.get("id") != pinned or bool(row.get("__retired")) != retired:
                return []
            return [row]
    predicates = [compile_filters(env, entity_type, filters, method)]
    if include_archived_projects is False:
        archived = _archived_predicate(env, entity_type)
        if archived is not None:
            predicates.append(archived)
    if presets:
        # Presets rank among the rows the filters matched, so they come last.
        matches = select_rows(env, entity_type, filters, retired, include_archived_projects, None, method)
        chosen = preset_predicate(env, entity_type, presets, matches)
        return [row for row in matches if chosen(row)][:enough]
    predicate = all_of(predicates)
    table = env.tables.get(entity_type) or {}
    ids, _ = pinned_ids(filters)
    if ids is None and env.indexes is not None:
        ids = indexed_ids(env, entity_type, filters)
    in_order = True
    if ids is not None:
        in_turn = sorted(set(ids), reverse=descending)
        rows_for = getattr(table, "rows_for", None)  # a store-backed table reads the missing rows many at a time
        candidates: Any = rows_for(in_turn) if rows_for is not None else [table[i] for i in in_turn if i in table]
    elif getattr(table, "keeps_rows", True) is False:
        # A table streamed from the store (the event log) comes in id order; a range of ids is a seek.
        bounds = id_bounds(filters) or (None, None)
        needles = link_needles(filters)
        if needles is None or bounds != (None, None):
            candidates = table.rows_between(bounds[0], bounds[1], descending)
        else:
            candidates = table.rows_containing(needles, descending)
        in_order = enough is not None
    else:
        candidates = table.values()
        in_order = enough is not None and _ids_ascending(table)
    # filter() calls the predicate from C; the retired check then only runs
    # on the rows that matched.
    if predicate is not match_all:
        candidates = filter(predicate, candidates)
    if retired:
        found: Any = (row for row in candidates if row.get("__retired"))
    else:
        found = (row for row in candidates if not row.get("__retired"))
    if enough is not None and in_order:
        return list(islice(found, enough))
    matches = list(found)
    if ids is None:
        matches.sort(key=_by_id, reverse=descending)
    return matches


def present_rows(env: QueryEnv, entity_type: str, rows: List[Row], fields: List[str]) -> List[Dict[str, Any]]:
    """Records as a read answers them: ``type``, ``id`` and each requested field."""
    presenters = [(field, field_presenter(env, entity_type, field)) for field in dict.fromkeys(fields)]
    records = []
    for row in rows:
        record = {"type": entity_type, "id": row.get("id")}
        for field, present in presenters:
            record[field] = present(row)
        records.append(record)
    return records


def _positive_int(value: Any, name: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise EngineFault(f"API read() paging {name} must be a positive integer, got {value!r}")
    return value


@rpc("read")
def read(call: Any, params: Any) -> Dict[str, Any]:
    """Answer a ``read``: ``{"entities": [...], "paging_info": {...}}``."""
    params = params_object(params, "read")
    entity_type = params.get("type")
    env = call.env
    env.schema.require_type(entity_type, "read")
    fields = params.get("return_fields") or ["id"]
    if not isinstance(fields, (list, tuple)):
        raise EngineFault("API read() return_fields must be a list of field names")
    return_only = params.get("return_only", "active") or "active"
    if return_only not in ("active", "retired"):
        raise EngineFault(f"API read() return_only must be 'active' or 'retired', not {return_only!r}")
    paging = params.get("paging") or {}
    if not isinstance(paging, dict):
        raise EngineFault("API read() paging must be an object")
    per_page = min(
        _positive_int(paging.get("entities_per_page"), "entities_per_page", site_choices.MAX_ENTITIES_PER_PAGE),
        site_choices.MAX_ENTITIES_PER_PAGE,
    )
    page = _positive_int(paging.get("current_page"), "current_page", 1)
    sorts = params.get("sorts")
    # The modern client sends return_paging_info_without_counts (true or
    # false); unless counts are asked for, only the rows up to the end of the
    # page plus one (for has_next_page) are needed.
    wants_count = bool(params.get("return_paging_info")) or (
        "return_paging_info_without_counts" not in params and "return_paging_info" not in params
    )
    enough = None if (sorts or wants_count) else page * per_page + 1
    by_id = _id_order_of(sorts)
    descending = False
    if by_id is not None and not wants_count and not params.get("additional_filter_presets") \
            and getattr(env.tables.get(entity_type), "keeps_rows", True) is False:
        # The event log read newest (or oldest) first, a page at a time: stream it in that order, up to the page.
        enough, descending = page * per_page + 1, by_id == "desc"
    memo = call.engine.read_memo
    paging_loop = bool(params.get("return_paging_info_without_counts") or params.get("return_paging_info"))
    memo_key = None
    if memo is not None and paging_loop:
        memo_key = (threading.get_ident(), entity_type, repr((params.get("filters"), return_only, sorts,
                    params.get("include_archived_projects", True), params.get("additional_filter_presets"))))
        rows = memo.get(memo_key)
        if rows is not None:
            return _page(env, entity_type, rows, page, per_page, fields, wants_count)
        enough = None
    started = time.perf_counter()
    rows = select_rows(
        env,
        entity_type,
        params.get("filters"),
        return_only == "retired",
        params.get("include_archived_projects", True),
        params.get("additional_filter_presets"),
        "read",
        enough,
        descending,
    )
    if sorts:
        rows = sort_rows(env, entity_type, rows, sorts)
    log_if_slow("read", env, entity_type, params.get("filters"), started, len(rows))
    if memo_key is not None:
        memo[memo_key] = rows
    return _page(env, entity_type, rows, page, per_page, fields, wants_count)


def _id_order_of(sorts: Any) -> Optional[str]:
    """``"asc"``/``"desc"`` when ``sorts`` orders by ``id`` alone, else ``None``."""
    if sorts.__class__ is not list or len(sorts) != 1 or sorts[0].__class__ is not dict:
        return None
    sort = sorts[0]
    if sort.get("field_name") != "id" or sort.get("direction", "asc") not in ("asc", "desc"):
        return None
    return sort.get("direction", "asc")


def _page(env: QueryEnv, entity_type: str, rows: List[Row], page: int, per_page: int, fields: Any,
          wants_count: bool) -> Dict[str, Any]:
    """One page of the selected, ordered ``rows`` as a read answers it."""
    start = (page - 1) * per_page
    page_rows = rows[start:start + per_page]
    entities = present_rows(env, entity_type, page_rows, list(fields))
    has_next = start + per_page < len(rows)
    paging_info: Dict[str, Any] = {"has_next_page": has_next}
    if wants_count:
        paging_info["entity_count"] = len(rows)
    return {"entities": entities, "paging_info": paging_info}


def read_one(env: QueryEnv, entity_type: str, entity_id: int, fields: List[str]) -> Optional[Dict[str, Any]]:
    """One live record by id, presented, or ``None``."""
    row = (env.tables.get(entity_type) or {}).get(entity_id)
    if row is None or row.get("__retired"):
        return None
    return present_rows(env, entity_type, [row], fields)[0]
