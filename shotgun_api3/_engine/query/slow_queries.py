"""Slow reads made visible: an ``EXPLAIN``-style line in the log for a read over :data:`SLOW_SECONDS`.

The line says how the rows were chosen (looked up by id, candidates from a
field index, or a scan of the whole table), how many rows that touched and
how many matched, and the filter's fields and relations (never its values),
so a slow filter shows what to change (``-v`` on ``shotgun-local-site
serve`` shows it; the logger is ``shotgun_api3``, at INFO).
"""
from __future__ import annotations

import logging
import time
from typing import Any

from .filters import pinned_ids
from .indexes import id_bounds, indexed_ids, link_needles
from .relations import QueryEnv

LOG = logging.getLogger("shotgun_api3")

#: A read (or summarize) slower than this is logged with its plan.
SLOW_SECONDS = 0.1
#: The filters' shape is shown up to this many characters.
SHOWN_FILTER_CHARS = 300


def explain(env: QueryEnv, entity_type: str, filters: Any) -> str:
    """How a read of ``entity_type`` with ``filters`` chooses its rows, and how many it touches."""
    ids, _ = pinned_ids(filters) if filters else (None, False)
    if ids is not None:
        return "rows looked up by id (%d)" % len(set(ids))
    if env.indexes is not None:
        candidates = indexed_ids(env, entity_type, filters)
        if candidates is not None:
            return "candidates from a field index (%d rows tested)" % len(candidates)
    table = env.tables.get(entity_type) or {}
    if getattr(table, "keeps_rows", True) is False:
        # The event log is read from the database as it is streamed (store/stored_table.py).
        if id_bounds(filters) is not None:
            return "rows of an id range streamed from the database"
        if link_needles(filters) is not None:
            return "rows streamed from the database, picked by the text of a linked record"
        return "the whole table streamed from the database (%d rows tested; no id range and no 'field is <link>')" \
            % len(table)
    return "scan of the whole table (%d rows tested; no id pinned and no indexable 'field is value')" % len(table)


def log_if_slow(method: str, env: QueryEnv, entity_type: str, filters: Any, started: float, matched: int) -> None:
    """Log the plan of a call that took longer than :data:`SLOW_SECONDS` since ``started`` (``perf_counter``)."""
    elapsed = time.perf_counter() - started
    if elapsed < SLOW_SECONDS or not LOG.isEnabledFor(logging.INFO):
        return
    shown = filter_shape(filters)
    if len(shown) > SHOWN_FILTER_CHARS:
        shown = shown[:SHOWN_FILTER_CHARS] + "..."
    LOG.info("slow %s of %s: %.0f ms, %d rows matched; %s; filters %s", method, entity_type, elapsed * 1000,
             matched, explain(env, entity_type, filters), shown)


def filter_shape(filters: Any) -> str:
    """The fields and relations of wire filters, without their values (a log never shows what was looked for)."""
    if filters.__class__ is not dict:
        return "none"
    if "conditions" in filters:
        joiner = " %s " % filters.get("logical_operator", "and")
        parts = [filter_shape(item) for item in filters.get("conditions") or []]
        return "(" + joiner.join(parts) + ")" if parts else "none"
    return "%s %s" % (filters.get("path"), filters.get("relation"))
