"""The schema RPCs: ``schema_read``, ``schema_entity_read``, ``schema_field_*``.

Reads answer deep copies in the site's shape (fixtures/schema/README.md);
with a ``project`` they add each field's per-project ``visible`` value, and
without one too when the engine reports field visibility (the local site).
Changes go through the call's transaction, so the Store persists them.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, Mapping, Optional, Tuple

from ..errors import EngineFault
from ..registry import params_object, rpc
from .site_schema import SiteSchema
from ..write.values import default_value

#: Data types ``schema_field_create`` accepts.
CREATABLE_TYPES = frozenset((
    "text", "number", "float", "percent", "currency", "duration", "timecode", "footage", "checkbox",
    "date", "date_time", "entity", "multi_entity", "list", "status_list", "tag_list", "url", "color",
    "uuid", "serializable", "entity_type", "calculated", "url_template",
))

#: Properties stored at the top level of a field definition rather than under ``properties``.
_TOP_LEVEL = ("name", "description", "visible")


def _project_id(params: Mapping[str, Any], method: str) -> Optional[int]:
    project = params.get("project") if isinstance(params, dict) else None
    if not project:
        return None
    if not isinstance(project, dict) or project.get("type") != "Project" or not isinstance(project.get("id"), int):
        raise EngineFault(f"API {method}() 'project' must be a Project entity dict, got {project!r}")
    return project["id"]


def _field_answer(schema: SiteSchema, entity_type: str, field: str, project_id: Optional[int],
                  always_visible_key: bool = False) -> Dict[str, Any]:
    definition = copy.deepcopy(schema.fields[entity_type][field])
    if project_id is not None:
        definition["visible"] = {"editable": True, "value": schema.field_visible(project_id, entity_type, field)}
    elif always_visible_key:
        # Without a project every field is visible; only custom fields may be hidden.
        definition["visible"] = {"editable": field.startswith("sg_"), "value": True}
    return definition


@rpc("schema_read")
def schema_read(call: Any, params: Any) -> Dict[str, Any]:
    schema = call.engine.schema
    project_id = _project_id(params or {}, "schema_read")
    visible_key = call.engine.reports_field_visibility
    return {
        entity_type: {field: _field_answer(schema, entity_type, field, project_id, visible_key) for field in fields}
        for entity_type, fields in schema.fields.items()
    }


@rpc("schema_entity_read")
def schema_entity_read(call: Any, params: Any) -> Dict[str, Any]:
    schema = call.engine.schema
    project_id = _project_id(params or {}, "schema_entity_read")
    answer = copy.deepcopy(schema.entities)
    if project_id is not None:
        for definition in answer.values():
            definition.setdefault("visible", {"editable": False, "value": True})
    return answer


@rpc("schema_field_read")
def schema_field_read(call: Any, params: Any) -> Dict[str, Any]:
    params = params_object(params, "schema_field_read")
    schema = call.engine.schema
    entity_type = params.get("type")
    schema.require_type(entity_type, "schema_field_read")
    project_id = _project_id(params, "schema_field_read")
    field = params.get("field_name")
    visible_key = call.engine.reports_field_visibility
    if field:
        schema.require_field(entity_type, field, "schema_field_read")
        return {field: _field_answer(schema, entity_type, field, project_id, visible_key)}
    return {name: _field_answer(schema, entity_type, name, project_id, visible_key)
            for name in schema.fields[entity_type]}


def _properties(params: Mapping[str, Any], method: str) -> Dict[str, Any]:
    items = params.get("properties") or []
    if not isinstance(items, list):
        raise EngineFault(f"API {method}() 'properties' must be a list of {{property_name, value}} objects")
    found: Dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or "property_name" not in item:
            raise EngineFault(f"API {method}() malformed property {item!r}")
        found[item["property_name"]] = item.get("value")
    return found


def _existing_field(schema: SiteSchema, params: Mapping[str, Any], method: str) -> Tuple[str, str]:
    """The ``type`` and ``field_name`` a call names, once both are known to exist on the site."""
    entity_type, field = params.get("type"), params.get("field_name")
    schema.require_type(entity_type, method)
    schema.require_field(entity_type, field, method)
    return entity_type, field


def internal_name(display_name: str, taken: Mapping[str, Any]) -> str:
    """``sg_`` + the snake-cased display name, with ``_1``, ``_2``... when taken."""
    snake = re.sub(r"[^0-9a-z]+", "_", display_name.strip().lower()).strip("_") or "field"
    base = f"sg_{snake}"
    name, suffix = base, 0
    while name in taken:
        suffix += 1
        name = f"{base}_{suffix}"
    return name


@rpc("schema_field_create")
def schema_field_create(call: Any, params: Any) -> str:
    method = "schema_field_create"
    params = params_object(params, method)
    engine = call.engine
    entity_type = params.get("type")
    engine.schema.require_type(entity_type, method)
    data_type = params.get("data_type")
    if data_type not in CREATABLE_TYPES:
        raise EngineFault(f"API {method}() cannot create a field of data type {data_type!r}")
    props = _properties(params, method)
    display = props.pop("name", None)
    if not isinstance(display, str) or not display.strip():
        raise EngineFault(f"API {method}() the new field needs a display name")
    name = internal_name(display, engine.schema.fields[entity_type])
    properties: Dict[str, Any] = {
        "default_value": {"editable": False, "value": props.pop("default_value", None)},
        "summary_default": {"editable": True, "value": props.pop("summary_default", "none")},
    }
    if data_type in ("entity", "multi_entity"):
        valid_types = props.pop("valid_types", [])
        if not isinstance(valid_types, list) or not all(engine.schema.has_type(t) for t in valid_types):
            raise EngineFault(f"API {method}() valid_types {valid_types!r} must list entity types of this site")
        properties["valid_types"] = {"editable": True, "value": valid_types}
    if data_type in ("list", "status_list"):
        properties["valid_values"] = {"editable": True, "value": list(props.pop("valid_values", []) or [])}
    if data_type == "tag_list":
        properties["valid_types"] = {"editable": True, "value": ["Tag"]}
    description = props.pop("description", "")
    for key, value in props.items():
        properties[key] = {"editable": True, "value": value}
    definition = {
        "data_type": {"editable": False, "value": data_type},
        "description": {"editable": True, "value": description},
        "editable": {"editable": False, "value": data_type != "calculated"},
        "entity_type": {"editable": False, "value": entity_type},
        "mandatory": {"editable": False, "value": False},
        "name": {"editable": True, "value": display},
        "properties": properties,
        "unique": {"editable": False, "value": False},
    }
    call.txn.schema_will_change()
    engine.schema.set_field(entity_type, name, definition)
    info = engine.schema.field(entity_type, name)
    for row in (engine.tables.get(entity_type) or {}).values():
        row.setdefault(name, default_value(info))
    return name


@rpc("schema_field_update")
def schema_field_update(call: Any, params: Any) -> bool:
    method = "schema_field_update"
    params = params_object(params, method)
    engine = call.engine
    entity_type, field = _existing_field(engine.schema, params, method)
    props = _properties(params, method)
    project_id = _project_id(params, method)
    call.txn.schema_will_change()
    definition = copy.deepcopy(engine.schema.fields[entity_type][field])
    for key, value in props.items():
        if key == "visible" and project_id is not None:
            engine.schema.set_field_visible(project_id, entity_type, field, bool(value))
        elif key in _TOP_LEVEL:
            definition.setdefault(key, {"editable": True, "value": None})["value"] = value
        else:
            definition.setdefault("properties", {}).setdefault(key, {"editable": True, "value": None})["value"] = value
    engine.schema.set_field(entity_type, field, definition)
    return True


@rpc("schema_field_delete")
def schema_field_delete(call: Any, params: Any) -> bool:
    method = "schema_field_delete"
    params = params_object(params, method)
    engine = call.engine
    entity_type, field = _existing_field(engine.schema, params, method)
    if not field.startswith("sg_"):
        raise EngineFault(f"API {method}() {entity_type}.{field} is a built-in field and cannot be deleted")
    call.txn.schema_will_change()
    engine.schema.remove_field(entity_type, field)
    return True
