"""Reading methods: ``find``, ``find_one``, ``summarize``, ``text_search`` and the paging loop."""
from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import gc
import threading
from typing import Any

from .._capabilities import version_gate
from .._errors import ShotgunError
from .._filters import _translate_filters
from .._rpc import MalformedAnswerError
from .._validation import (
    check_entity_type,
    check_field_names,
    check_filters_container,
    check_order,
    check_summaries,
)

_PREFETCH_LOCK = threading.Lock()
_GC_LOCK = threading.Lock()
_gc_pauses = {"count": 0, "was_enabled": False}


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector while a big read builds its records.

    Decoding tens of thousands of records allocates millions of containers;
    each allocation burst triggers collections that traverse everything
    already decoded, which costs more than the decoding itself. Reference
    counting still frees memory meanwhile. Nested and concurrent pauses are
    counted; the collector is re-enabled (if it was enabled) by the last one.
    """
    with _GC_LOCK:
        if _gc_pauses["count"] == 0:
            _gc_pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_pauses["count"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses["count"] -= 1
            if _gc_pauses["count"] == 0 and _gc_pauses["was_enabled"]:
                gc.enable()


class QueryMethods:
    """``find`` and friends. Pages are read one after the other unless ``config.prefetch_pages`` is set."""

    def find(
        self,
        entity_type: str,
        filters: Any,
        fields: list | None = None,
        order: list | None = None,
        filter_operator: str | None = None,
        limit: int = 0,
        retired_only: bool = False,
        page: int = 0,
        include_archived_projects: bool = True,
        additional_filter_presets: list | None = None,
    ) -> list:
        """Return the entities of ``entity_type`` matching ``filters``, as a list of dicts.

        ``filters`` is a list of conditions (``[["code", "is", "x"], ...]``,
        combined with ``filter_operator`` ``"all"`` or ``"any"``, nested groups
        as ``{"filter_operator": ..., "filters": [...]}``) or a dict already in
        wire form. ``fields`` lists the fields to return (``id`` and ``type``
        always come back). ``order`` is a list of
        ``{"field_name": f, "direction": "asc"|"desc"}``. ``limit`` caps the
        number of records (0: all); ``page`` asks for one page of
        ``config.records_per_page`` records (or ``limit`` when smaller).
        ``retired_only`` returns only retired records;
        ``include_archived_projects=False`` leaves out records of archived
        projects; ``additional_filter_presets`` adds server-side presets such
        as ``[{"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}]``.
        """
        if not isinstance(limit, int) or limit < 0:
            raise ValueError("limit parameter must be a positive integer")
        if not isinstance(page, int) or page < 0:
            raise ValueError("page parameter must be a positive integer")
        check_entity_type("find", entity_type)
        check_filters_container("find", filters)
        check_field_names("find", fields)
        check_order("find", order)
        if isinstance(filters, (list, tuple)):
            filters = _translate_filters(filters, filter_operator)
        elif isinstance(filters, dict) and filter_operator:
            raise ShotgunError(
                "Deprecated: Use of filter_operator for find() is not valid any more. See the documentation on find()"
            )
        if not include_archived_projects:
            self.server_caps.ensure_include_archived_projects()
        if additional_filter_presets:
            self.server_caps.ensure_support_for_additional_filter_presets()

        params = self._construct_read_parameters(
            entity_type, fields, filters, retired_only, order, include_archived_projects, additional_filter_presets
        )
        if self.server_caps.ensure_return_image_urls_support():
            params["api_return_image_urls"] = True
        without_counts = self.server_caps.ensure_paging_info_without_counts_support()
        paging_flag = "return_paging_info_without_counts" if without_counts else "return_paging_info"

        per_page = self.config.records_per_page
        if limit and limit <= per_page:
            params["paging"]["entities_per_page"] = limit
            if page == 0:
                page = 1
        if page:
            params["paging"]["current_page"] = page
            params[paging_flag] = False
            result = self._read_page(params, page)
            records = _entities(result)
            if self._records_need_parsing(result):
                return self._parse_records(records)
            return records

        params[paging_flag] = True
        with _cyclic_gc_paused():
            records, needs_parsing = self._read_all_pages(params, limit, without_counts)
        if needs_parsing:
            return self._parse_records(records)
        return records

    def find_one(
        self,
        entity_type: str,
        filters: Any,
        fields: list | None = None,
        order: list | None = None,
        filter_operator: str | None = None,
        retired_only: bool = False,
        include_archived_projects: bool = True,
        additional_filter_presets: list | None = None,
    ) -> dict | None:
        """Return the first entity :meth:`find` would return (one request of one record), or ``None``."""
        results = self.find(
            entity_type, filters, fields, order, filter_operator, 1, retired_only,
            include_archived_projects=include_archived_projects,
            additional_filter_presets=additional_filter_presets,
        )
        return results[0] if results else None

    def summarize(
        self,
        entity_type: str,
        filters: Any,
        summary_fields: list,
        filter_operator: str | None = None,
        grouping: list | None = None,
        include_archived_projects: bool = True,
    ) -> dict:
        """Aggregate fields over matching entities (``{"field", "type": "count"|"sum"|...}``), optionally grouped.

        Returns ``{"summaries": {...}, "groups": [...]}`` as the site answers it.
        """
        if grouping is not None and not isinstance(grouping, list):
            raise ValueError("summarize() 'grouping' parameter must be a list or None")
        # entity_type, summary_fields=None and grouping items are passed through unchecked, as the
        # reference does: its own unit tests call summarize() with those to inspect the params.
        check_summaries(summary_fields)
        if isinstance(filters, (list, tuple)):
            filters = _translate_filters(filters, filter_operator)
        if not include_archived_projects:
            self.server_caps.ensure_include_archived_projects()
        params = {"type": entity_type, "summaries": summary_fields, "filters": filters}
        if include_archived_projects is False:
            params["include_archived_projects"] = False
        if grouping is not None:
            params["grouping"] = grouping
        return self._call_rpc("summarize", params)

    def text_search(
        self, text: str, entity_types: dict, project_ids: list | None = None, limit: int | None = None
    ) -> dict:
        """Search display names across entity types (``{type: filters}``); returns ``{"matches", "terms"}``."""
        version_gate(self.server_caps, (6, 2, 0), "auto_complete", "6.2.0")
        if not isinstance(entity_types, dict):
            raise ValueError("entity_types parameter must be a dictionary")
        translated = {}
        for entity_type, filter_list in entity_types.items():
            if not isinstance(filter_list, (list, tuple)):
                raise ValueError("value of entity_types['%s'] must be a list or tuple." % entity_type)
            check_entity_type("text_search", entity_type, "a key of entity_types")
            translated[entity_type] = _translate_filters(filter_list, "all")
        params = {"text": text, "entity_types": translated, "project_ids": project_ids or [], "max_results": limit}
        record = self._call_rpc("query_display_name_cache", params)
        return _first(self._parse_records(record))

    def _construct_read_parameters(
        self,
        entity_type: str,
        fields: list | None,
        filters: Any,
        retired_only: bool,
        order: list | None,
        include_archived_projects: bool = True,
        additional_filter_presets: list | None = None,
    ) -> dict:
        """Build the params of a ``read`` (without the thumbnail and paging-info flags)."""
        params: dict = {
            "type": entity_type,
            "return_fields": fields or ["id"],
            "filters": filters,
            "return_only": "retired" if retired_only else "active",
            "paging": {"entities_per_page": self.config.records_per_page, "current_page": 1},
        }
        if additional_filter_presets:
            params["additional_filter_presets"] = additional_filter_presets
        if include_archived_projects is False:
            params["include_archived_projects"] = False
        if order:
            sorts = []
            for sort in order:
                if "column" in sort:
                    sort["field_name"] = sort["column"]  # legacy key
                sort.setdefault("direction", "asc")
                sorts.append({"field_name": sort["field_name"], "direction": sort["direction"]})
            params["sorts"] = sorts
        return params

    # ------------------------------------------------------------ paging

    def _read_page(self, params: dict, page: int) -> dict:
        """One ``read`` for page ``page``; the answer must be a dict."""
        page_params = dict(params)
        page_params["paging"] = dict(params["paging"], current_page=page)
        result = self._call_rpc("read", page_params)
        if not isinstance(result, dict):
            raise MalformedAnswerError("The site answered a read with %r instead of a page of entities" % (result,))
        return result

    def _read_page_with_hint(self, params: dict, page: int) -> tuple:
        result = self._read_page(params, page)
        return result, self._records_need_parsing(result)

    def _read_all_pages(self, params: dict, limit: int, without_counts: bool) -> tuple:
        """Read pages 1, 2, ... until the last one (or ``limit``); return ``(records, needs_parsing)``."""
        per_page = params["paging"]["entities_per_page"]
        pages = self._page_results(params, limit, per_page)
        records: list = []
        needs_parsing = False
        try:
            for result, page_needs_parsing in pages:
                entities = _entities(result)
                needs_parsing = needs_parsing or page_needs_parsing
                if not without_counts and not entities:
                    break
                records.extend(entities)
                if limit and len(records) >= limit:
                    del records[limit:]
                    break
                paging_info = result.get("paging_info")
                if not isinstance(paging_info, dict):
                    paging_info = {}
                if without_counts:
                    if not paging_info.get("has_next_page") or not entities:
                        break
                else:
                    count = paging_info.get("entity_count")
                    if not isinstance(count, int) or len(records) >= count:
                        break
                    pages.send_total(count)
        finally:
            pages.close()
        return records, needs_parsing

    def _page_results(self, params: dict, limit: int, per_page: int) -> "_PageSource":
        workers = int(getattr(self.config, "prefetch_pages", 0) or 0)
        if workers <= 0:
            return _PageSource(self._read_page_with_hint, params, limit, per_page, None)
        return _PageSource(self._read_page_with_hint, params, limit, per_page, self._prefetch_executor_for(workers))

    def _prefetch_executor_for(self, workers: int) -> concurrent.futures.ThreadPoolExecutor:
        """The client's page-fetching workers (kept between calls so their connections stay alive)."""
        with _PREFETCH_LOCK:
            executor = self.__dict__.get("_prefetch_executor")
            if executor is None or executor._max_workers != workers:
                if executor is not None:
                    executor.shutdown(wait=False)
                executor = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="shotgun_api3-prefetch")
                self.__dict__["_prefetch_executor"] = executor
            return executor


class _PageSource:
    """Yields ``(page answer, needs_parsing)`` for pages 1, 2, ... in order.

    Without an executor each page is read when asked for. With one, up to
    ``max_workers`` pages are requested ahead; never beyond ``limit`` or a
    known total, and pages read past the end are discarded.
    """

    def __init__(self, read_page: Any, params: dict, limit: int, per_page: int, executor: Any) -> None:
        self._read_page = read_page
        self._params = params
        self._executor = executor
        self._next_page = 1
        self._last_page = -(-limit // per_page) if limit and per_page else None
        self._per_page = per_page
        self._pending: collections.deque = collections.deque()

    def __iter__(self) -> "_PageSource":
        return self

    def __next__(self) -> tuple:
        if self._executor is None:
            page = self._next_page
            self._next_page += 1
            return self._read_page(self._params, page)
        self._fill()
        if not self._pending:
            raise StopIteration
        return self._pending.popleft().result()

    def _fill(self) -> None:
        while len(self._pending) < self._executor._max_workers and (
            self._last_page is None or self._next_page <= self._last_page
        ):
            self._pending.append(self._executor.submit(self._read_page, self._params, self._next_page))
            self._next_page += 1

    def send_total(self, count: int) -> None:
        """The site told the total: never request pages beyond it."""
        if self._per_page:
            last = -(-count // self._per_page)
            self._last_page = last if self._last_page is None else min(self._last_page, last)

    def close(self) -> None:
        """Drop pages requested ahead that are no longer needed."""
        while self._pending:
            self._pending.popleft().cancel()


def _entities(result: dict) -> list:
    """The records of a read page; anything but a list (or nothing) is a malformed answer."""
    entities = result.get("entities")
    if entities is None:
        return []
    if not isinstance(entities, list):
        raise MalformedAnswerError("The site answered a read with entities %r instead of a list" % (entities,))
    return entities


def _first(records: list) -> Any:
    return records[0] if records else None
