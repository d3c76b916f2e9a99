"""The write RPCs: ``create``, ``update``, ``delete``, ``revive`` and ``batch``."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Tuple

from .. import site_choices
from ..errors import EngineFault
from ..query.presenting import IMMUTABLE_EXACT, OWN_PRESENTER_TYPES, field_presenter, present_link_list, present_stored
from ..query.display import present_link
from ..registry import rpc
from ..schema.site_schema import LINK_LIST_TYPES

Row = Dict[str, Any]


def _fields(params: Mapping[str, Any], method: str) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """The ``fields`` list of a create/update as ``{name: value}`` plus per-field update modes."""
    fields = params.get("fields")
    if fields is None:
        return {}, {}
    if isinstance(fields, dict):
        return dict(fields), {}
    if not isinstance(fields, (list, tuple)):
        raise EngineFault(f"API {method}() 'fields' must be a list of {{field_name, value}} objects")
    data: Dict[str, Any] = {}
    modes: Dict[str, str] = {}
    for item in fields:
        if (item.__class__ is not dict and not isinstance(item, dict)) or "field_name" not in item:
            raise EngineFault(f"API {method}() malformed field entry {item!r}: needs 'field_name' and 'value'")
        name = item["field_name"]
        data[name] = item.get("value")
        mode = item.get("multi_entity_update_mode")
        if mode:
            modes[name] = mode
    return data, modes


def _id(params: Mapping[str, Any], method: str) -> int:
    entity_id = params.get("id")
    if isinstance(entity_id, bool) or not isinstance(entity_id, int):
        raise EngineFault(f"API {method}() 'id' must be an integer, got {entity_id!r}")
    return entity_id


def _with_valid(value: Any) -> Any:
    """Link dicts of update/batch results carry ``"valid": "valid"`` (documented)."""
    if not site_choices.VALID_KEY_IN_WRITE_RESULTS:
        return value
    if isinstance(value, dict) and "type" in value and "id" in value and "name" in value:
        value["valid"] = "valid"
    elif isinstance(value, list):
        for item in value:
            _with_valid(item)
    return value


def _record(call: Any, entity_type: str, row: Row, fields: Iterable[str], valid: bool) -> Dict[str, Any]:
    """The record a write answers: ``type``, ``id`` and ``fields`` (distinct names) as a read presents them."""
    infos = call.engine.schema.field_infos(entity_type)
    record: Dict[str, Any] = {"type": entity_type, "id": row["id"]}
    env = None
    for field in fields:
        if field == "type" or field == "id":
            continue
        info = infos.get(field)
        data_type = None if info is None else info.data_type
        if data_type is not None and data_type not in OWN_PRESENTER_TYPES:
            # Most written fields (text, numbers, choices) answer the stored value itself.
            value = row.get(field)
            if value.__class__ in IMMUTABLE_EXACT:
                record[field] = value
                continue
            value = present_stored(value)
        elif data_type == "entity" or data_type in LINK_LIST_TYPES:
            # What field_presenter's presenters of links answer, without making them field by field;
            # each presented link is a fresh {"type", "id", "name"}, which _with_valid marks.
            if env is None:
                env = call.env
            mark = valid and site_choices.VALID_KEY_IN_WRITE_RESULTS
            if data_type == "entity":
                value = present_link(env.schema, env.tables, row.get(field))
                if mark and value is not None:
                    value["valid"] = "valid"
            else:
                value = present_link_list(env.schema, env.tables, row.get(field))
                if mark:
                    for link in value:
                        link["valid"] = "valid"
            record[field] = value
            continue
        else:
            value = field_presenter(call.env, entity_type, field, call.method_name)(row)
        record[field] = _with_valid(value) if valid else value
    return record


def create_record(call: Any, request: Mapping[str, Any], method: str, valid: bool = False) -> Dict[str, Any]:
    entity_type = request.get("type")
    data, _modes = _fields(request, method)
    return_fields = request.get("return_fields") or []
    if not isinstance(return_fields, (list, tuple)):
        raise EngineFault(f"API {method}() return_fields must be a list of field names")
    row = call.txn.create(entity_type, data, method=method)
    # The fields written and then the other return fields, once each (_record skips id and type).
    fields: Iterable[str] = data
    for field in return_fields:
        if field not in data and field != "id" and field != "type":
            fields = dict.fromkeys([*data, *return_fields])
            break
    return _record(call, entity_type, row, fields, valid)


def update_record(call: Any, request: Mapping[str, Any], method: str) -> Dict[str, Any]:
    entity_type = request.get("type")
    data, modes = _fields(request, method)
    level_mode = request.get("multi_entity_update_mode")
    if level_mode is not None:
        if isinstance(level_mode, dict):
            modes = {**level_mode, **modes}
        elif isinstance(level_mode, str):
            modes = {**{name: level_mode for name in data}, **modes}
    entity_id = request.get("id")
    if entity_id.__class__ is not int:
        entity_id = _id(request, method)
    row = call.txn.update(entity_type, entity_id, data, modes, method=method)
    return _record(call, entity_type, row, data, valid=True)


@rpc("create")
def create(call: Any, params: Any) -> Dict[str, Any]:
    if not isinstance(params, dict):
        raise EngineFault("API create() expects a parameter object")
    return create_record(call, params, "create")


@rpc("update")
def update(call: Any, params: Any) -> Dict[str, Any]:
    if not isinstance(params, dict):
        raise EngineFault("API update() expects a parameter object")
    return update_record(call, params, "update")


@rpc("delete")
def delete(call: Any, params: Any) -> bool:
    if not isinstance(params, dict):
        raise EngineFault("API delete() expects a parameter object")
    return call.txn.retire(params.get("type"), _id(params, "delete"), method="delete")


@rpc("revive")
def revive(call: Any, params: Any) -> bool:
    if not isinstance(params, dict):
        raise EngineFault("API revive() expects a parameter object")
    return call.txn.revive(params.get("type"), _id(params, "revive"), method="revive")


@rpc("batch")
def batch(call: Any, params: Any) -> List[Any]:
    """Run every request in one transaction: all applied, or none (a fault names the failing one)."""
    if params is None:
        return []
    if not isinstance(params, list):
        raise EngineFault(f"API batch() expects a list of requests, not {type(params).__name__}")
    results: List[Any] = []
    for index, request in enumerate(params):
        if not isinstance(request, dict):
            raise EngineFault(f"API batch() request {index} is not an object: {request!r}")
        kind = request.get("request_type")
        try:
            if kind == "create":
                results.append(create_record(call, request, "create", valid=True))
            elif kind == "update":
                results.append(update_record(call, request, "update"))
            elif kind == "delete":
                results.append(call.txn.retire(request.get("type"), _id(request, "delete"), method="delete"))
            else:
                raise EngineFault(f"Invalid request_type '{kind}' for batch")
        except EngineFault as fault:
            raise EngineFault(
                f"API batch() request {index} ({kind} {request.get('type')}) failed, nothing was applied: {fault.message}",
                fault.error_code,
            ) from None
    return results


