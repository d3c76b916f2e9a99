"""Project navigation: ``nav_expand`` and ``nav_search`` over a project tree.

The tree a site's navigation shows, reduced to what the data says: the root
lists projects, a project lists the entity types it has records of, a type
lists the records. Paths read ``/``, ``/Project/<id>``,
``/Project/<id>/<Type>`` and ``/Project/<id>/<Type>/<id>``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from .. import site_choices as choices
from ..errors import EngineFault
from ..registry import rpc

Node = Dict[str, Any]


def _parse(path: Any, method: str) -> Tuple[Optional[int], Optional[str], Optional[int]]:
    """``(project id, entity type, record id)`` of a navigation path, each ``None`` when absent."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise EngineFault("API %s() path must be a string starting with '/', got %r" % (method, path))
    parts = [part for part in path.split("/") if part]
    try:
        if not parts:
            return None, None, None
        if parts[0] == "Project" and len(parts) in (2, 3, 4):
            project_id = int(parts[1])
            entity_type = parts[2] if len(parts) > 2 else None
            record_id = int(parts[3]) if len(parts) > 3 else None
            return project_id, entity_type, record_id
    except ValueError:
        pass
    raise EngineFault("API %s() cannot navigate path %r" % (method, path))


def _entity_node(call: Any, entity_type: str, row: Mapping[str, Any], path: str,
                 entity_fields: Mapping[str, Any], has_children: bool) -> Node:
    value: Dict[str, Any] = {"type": entity_type, "id": row["id"]}
    for field in entity_fields.get(entity_type) or ():
        value[field] = call.engine.presenter(entity_type, field)(row)
    return {"label": call.engine.display_name(entity_type, row), "path": path,
            "ref": {"kind": "entity", "value": value}, "has_children": has_children}


def _live(call: Any, entity_type: str, entity_id: Any, method: str) -> Mapping[str, Any]:
    row = call.engine.row(entity_type, entity_id)
    if row is None or row.get("__retired"):
        raise EngineFault("API %s() %s with id %r does not exist" % (method, entity_type, entity_id))
    return row


def _in_project(row: Mapping[str, Any], project_id: int) -> bool:
    link = row.get("project")
    return isinstance(link, dict) and link.get("id") == project_id


def _project_types(call: Any, project_id: int) -> List[str]:
    schema = call.env.schema
    return [entity_type for entity_type in schema.entity_types()
            if entity_type != "Project" and entity_type not in choices.NAVIGATION_HIDDEN_TYPES
            and schema.field(entity_type, "project") is not None
            and any(_in_project(row, project_id) for row in call.engine.rows(entity_type))]


def _type_label(call: Any, entity_type: str) -> str:
    definition = call.env.schema.entities.get(entity_type) or {}
    return (definition.get("name") or {}).get("value") or entity_type


def _children(call: Any, project_id: Optional[int], entity_type: Optional[str],
              entity_fields: Mapping[str, Any]) -> List[Node]:
    if project_id is None:
        return [_entity_node(call, "Project", row, "/Project/%d" % row["id"], entity_fields, True)
                for row in sorted(call.engine.rows("Project"), key=lambda row: row["id"])]
    if entity_type is None:
        return [{"label": _type_label(call, name), "path": "/Project/%d/%s" % (project_id, name),
                 "ref": {"kind": "entity_type", "value": name}, "has_children": True}
                for name in _project_types(call, project_id)]
    rows = sorted((row for row in call.engine.rows(entity_type) if _in_project(row, project_id)),
                  key=lambda row: row["id"])
    return [_entity_node(call, entity_type, row, "/Project/%d/%s/%d" % (project_id, entity_type, row["id"]),
                         entity_fields, False) for row in rows]


@rpc("nav_expand")
def nav_expand(call: Any, params: Any) -> Node:
    """The node at ``path`` with its children."""
    params = params if isinstance(params, dict) else {}
    path = params.get("path")
    entity_fields = params.get("entity_fields") or {}
    project_id, entity_type, record_id = _parse(path, "nav_expand")
    if project_id is None:
        node: Node = {"label": "Projects", "path": "/", "ref": {"kind": "root", "value": None}, "has_children": True}
    else:
        project = _live(call, "Project", project_id, "nav_expand")
        if entity_type is not None:
            call.env.schema.require_type(entity_type, "nav_expand")
        if record_id is not None:
            row = _live(call, entity_type, record_id, "nav_expand")
            node = _entity_node(call, entity_type, row, path, entity_fields, False)
            node["children"] = []
            return node
        if entity_type is not None:
            node = {"label": _type_label(call, entity_type), "path": path,
                    "ref": {"kind": "entity_type", "value": entity_type}, "has_children": True}
        else:
            node = _entity_node(call, "Project", project, path, entity_fields, True)
    node["children"] = _children(call, project_id, entity_type, entity_fields)
    return node


@rpc("nav_search")
def nav_search(call: Any, params: Any) -> List[Node]:
    """Records under ``root_path`` whose display name contains the search string, or the one entity searched for."""
    params = params if isinstance(params, dict) else {}
    project_id, _, _ = _parse(params.get("root_path"), "nav_search")
    criteria = params.get("search_criteria") or {}
    if not isinstance(criteria, dict) or not ("search_string" in criteria or "entity" in criteria):
        raise EngineFault("API nav_search() search_criteria needs a 'search_string' or an 'entity'")
    wanted = criteria.get("entity")
    text = str(criteria.get("search_string") or "").lower()
    schema = call.env.schema
    types = [wanted.get("type")] if isinstance(wanted, dict) else [
        name for name in schema.entity_types() if name not in choices.NAVIGATION_HIDDEN_TYPES]
    results = []
    for entity_type in types:
        schema.require_type(entity_type, "nav_search")
        for row in sorted(call.engine.rows(entity_type), key=lambda row: row["id"]):
            row_project = row["id"] if entity_type == "Project" else (row.get("project") or {}).get("id")
            if row_project is None or (project_id is not None and row_project != project_id):
                continue
            if isinstance(wanted, dict):
                if row["id"] != wanted.get("id"):
                    continue
            elif text not in (call.engine.display_name(entity_type, row) or "").lower():
                continue
            project_path = "/Project/%d" % row_project
            path = project_path if entity_type == "Project" else "%s/%s/%d" % (project_path, entity_type, row["id"])
            node = _entity_node(call, entity_type, row, path, {}, entity_type == "Project")
            node["incremental_path"] = ["/", project_path] + ([path] if path != project_path else [])
            results.append(node)
    return results
