"""``query_display_name_cache`` (``text_search``): records whose display name holds every search word."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import site_choices as choices
from ..errors import EngineFault
from ..query.read import select_rows
from ..registry import params_object, rpc


def search_terms(text: str) -> List[str]:
    """The words of a search, lower-cased, in order, without repeats."""
    return list(dict.fromkeys(word.lower() for word in text.split()))


def _link_of(call: Any, entity_type: str, row: Dict[str, Any]) -> List[str]:
    field = choices.SEARCH_LINK_FIELDS.get(entity_type)
    link = call.engine.present_link(row.get(field)) if field else None
    if not link:
        return ["", ""]
    return [link["type"], link["name"] or ""]


def _project_id(row: Dict[str, Any]) -> Optional[int]:
    project = row.get("project")
    if row.get("type") == "Project":
        return row.get("id")
    return project.get("id") if isinstance(project, dict) else None


def _match(call: Any, entity_type: str, row: Dict[str, Any], name: str) -> Dict[str, Any]:
    image = call.engine.presenter(entity_type, "image")(row) if call.env.schema.field(entity_type, "image") else None
    return {
        "id": row["id"],
        "type": entity_type,
        "name": name,
        "project_id": _project_id(row),
        "image": image,
        "links": _link_of(call, entity_type, row),
        "status": row.get("sg_status_list"),
    }


@rpc("query_display_name_cache")
def query_display_name_cache(call: Any, params: Any) -> Dict[str, Any]:
    """Answer ``text_search``: ``{"terms": [...], "matches": [...]}``."""
    params = params_object(params, "text_search")
    text = params.get("text")
    if not isinstance(text, str) or len(text.strip()) < choices.SEARCH_MIN_CHARACTERS:
        raise EngineFault("API text_search() text must be at least %d characters long, got %r"
                          % (choices.SEARCH_MIN_CHARACTERS, text))
    entity_types = params.get("entity_types") or {}
    if not isinstance(entity_types, dict):
        raise EngineFault("API text_search() entity_types must be an object of entity type to filters")
    project_ids = set(params.get("project_ids") or [])
    limit = params.get("max_results")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise EngineFault("API text_search() max_results must be a positive integer, got %r" % (limit,))
    terms = search_terms(text)
    env = call.env
    matches: List[Dict[str, Any]] = []
    for entity_type, filters in entity_types.items():
        env.schema.require_type(entity_type, "text_search")
        for row in select_rows(env, entity_type, filters or None, False, True, None, "text_search"):
            if project_ids and _project_id(row) not in project_ids:
                continue
            name = call.engine.display_name(entity_type, row) or ""
            folded = name.lower()
            if all(term in folded for term in terms):
                matches.append(_match(call, entity_type, row, name))
                if limit and len(matches) >= limit:
                    return {"terms": terms, "matches": matches}
    return {"terms": terms, "matches": matches}
