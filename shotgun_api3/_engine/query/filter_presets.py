"""``additional_filter_presets`` of a read (docs/site_facts.rst, Retired records, archived projects and presets).

Each preset selects a set of record ids; the read keeps rows whose id is in
every selected set (presets are ANDed with the filters). ``LATEST`` ranks only
the rows the filters matched: the latest Version among a project's Versions is
the project's latest even when another project holds a newer one for the same
entity (the reference release's own suite reads the fixture Version back
through ``[["id", "is", v]]`` plus ``LATEST`` while newer ones exist).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Optional, Set, Tuple

from .value_keys import datetime_key
from ..errors import EngineFault
from .relations import QueryEnv

Row = Dict[str, Any]


def _fault(problem: str) -> EngineFault:
    return EngineFault(f"API read() additional_filter_presets: {problem}")


def _live(env: QueryEnv, entity_type: str) -> Iterable[Row]:
    return [row for row in (env.tables.get(entity_type) or {}).values() if not row.get("__retired")]


def _group_key(link: Any) -> Optional[Tuple[str, int]]:
    if isinstance(link, dict) and "type" in link and "id" in link:
        return (link["type"], link["id"])
    return None


def _best_per_group(rows: Iterable[Row], group: Callable[[Row], Any], rank: Callable[[Row], Any]) -> Set[int]:
    best: Dict[Any, Row] = {}
    for row in rows:
        key = group(row)
        current = best.get(key)
        if current is None or rank(row) > rank(current):
            best[key] = row
    return {row["id"] for row in best.values()}


def _created(row: Row) -> Tuple[float, int]:
    return (datetime_key(row.get("created_at")) or 0.0, row.get("id") or 0)


def _latest(env: QueryEnv, entity_type: str, preset: Dict[str, Any], rows: Iterable[Row]) -> Set[int]:
    latest_by = preset.get("latest_by")
    if entity_type == "Cut" and latest_by == "REVISION_NUMBER":
        return _best_per_group(
            rows,
            lambda row: (_group_key(row.get("entity")), row.get("code")),
            lambda row: (row.get("revision_number") or 0, row.get("id") or 0),
        )
    by_entity = lambda row: _group_key(row.get("entity"))  # noqa: E731
    if entity_type in ("Version", "PublishedFile") and latest_by == "ENTITIES_CREATED_AT":
        return _best_per_group(rows, by_entity, _created)
    if entity_type == "PublishedFile" and latest_by == "VERSION_NUMBER":
        return _best_per_group(rows, by_entity, lambda row: (row.get("version_number") or 0, row.get("id") or 0))
    if entity_type == "Version" and latest_by == "BY_PIPELINE_STEP_NUMBER_AND_ENTITIES_CREATED_AT":
        tasks = env.tables.get("Task") or {}
        steps = env.tables.get("Step") or {}

        def step_order(row: Row) -> Tuple[float, float, int]:
            task = tasks.get((row.get("sg_task") or {}).get("id"))
            step = steps.get(((task or {}).get("step") or {}).get("id")) if task else None
            order = (step or {}).get("list_order")
            return (order if order is not None else float("-inf"),) + _created(row)

        return _best_per_group(rows, by_entity, step_order)
    raise _fault(f"LATEST with latest_by {latest_by!r} is not available for {entity_type}")


def _cut_shot_versions(env: QueryEnv, entity_type: str, preset: Dict[str, Any], rows: Iterable[Row]) -> Set[int]:
    if entity_type != "Version":
        raise _fault("CUT_SHOT_VERSIONS is only available for Version")
    cut_id = preset.get("cut_id")
    if isinstance(cut_id, bool) or not isinstance(cut_id, int):
        raise _fault("CUT_SHOT_VERSIONS needs an integer cut_id")
    shots = set()
    for item in _live(env, "CutItem"):
        if (item.get("cut") or {}).get("id") == cut_id:
            shot = _group_key(item.get("shot"))
            if shot is not None:
                shots.add(shot)
    return {row["id"] for row in _live(env, "Version") if _group_key(row.get("entity")) in shots}


_PRESETS = {"LATEST": _latest, "CUT_SHOT_VERSIONS": _cut_shot_versions}


def preset_predicate(env: QueryEnv, entity_type: str, presets: Any,
                     rows: Optional[Iterable[Row]] = None) -> Callable[[Row], bool]:
    """A row predicate for a list of presets, or a fault for a malformed list.

    ``rows`` are the rows the read's filters matched (default: every live row);
    ranking presets choose among them.
    """
    rows = _live(env, entity_type) if rows is None else list(rows)
    if not isinstance(presets, list):
        raise _fault(f"expected a list of dicts, got {type(presets).__name__}")
    allowed: Optional[Set[int]] = None
    latest_seen = False
    for preset in presets:
        if not isinstance(preset, dict):
            raise _fault(f"each preset must be a dict, got {preset!r}")
        name = preset.get("preset_name")
        if name is None:
            raise _fault("a preset is missing 'preset_name'")
        build = _PRESETS.get(name)
        if build is None:
            raise _fault(f"unknown preset_name {name!r}")
        if name == "LATEST":
            if latest_seen:
                raise _fault("only one LATEST preset may be given")
            latest_seen = True
        ids = build(env, entity_type, preset, rows)
        allowed = ids if allowed is None else allowed & ids
    if allowed is None:
        return lambda row: True
    chosen = allowed
    return lambda row: row.get("id") in chosen
