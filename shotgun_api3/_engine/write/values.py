"""Values written by ``create``/``update``: checked and converted per data type.

``coerce_value`` takes what a client sent for one field (wire strings or
Python objects) and returns what the row stores, or raises an
:class:`EngineFault` whose message names the field and the problem, in the
spirit of a site's ``CRUD ERROR`` answers.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import mimetypes
import re
import uuid as uuid_module
from decimal import Decimal
from typing import Any, Dict, List, Optional

from .. import site_choices
from ..query.value_keys import footage_frames, parse_date, parse_wire_datetime
from ..errors import EngineFault
from ..query.relations import QueryEnv
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo

INT32 = (-(2**31), 2**31 - 1)
FLOAT_LIMIT = 999999999.999999
CURRENCY_LIMIT = 9999999999999.99

_COLOR = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")

#: Data types a client can never write through a field.
READ_ONLY_TYPES = frozenset(("pivot_column", "summary", "query", "calculated"))


class ValueProblem(Exception):
    """Internal: a value is wrong; turned into an EngineFault naming the field."""


def empty_value(info: FieldInfo) -> Any:
    """The value a field holds when nothing is written (as a site reads it back)."""
    if info.data_type in LINK_LIST_TYPES or info.data_type == "tag_list":
        return []
    if info.data_type == "checkbox":
        return bool(info.default)
    return None


def default_value(info: FieldInfo) -> Any:
    """The value a new record gets for a field that was not given."""
    if info.data_type in LINK_LIST_TYPES or info.data_type == "tag_list":
        return []
    if info.data_type == "checkbox":
        return bool(info.default)
    default = info.default
    if isinstance(default, (list, dict)):
        return copy.deepcopy(default)
    return default


def coerce_value(env: QueryEnv, info: FieldInfo, value: Any, method: str) -> Any:
    """The stored form of ``value`` for field ``info``, or an EngineFault."""
    try:
        if value is None:
            if info.data_type == "image":
                return None
            return empty_value(info)
        handler = _HANDLERS.get(info.data_type)
        if handler is not None:
            return handler(env, info, value)
        return _coerce(env, info, value)
    except ValueProblem as problem:
        raise EngineFault(
            f"API {method}() CRUD ERROR: {info.entity_type}.{info.name} ({info.data_type}): {problem}"
        ) from None


def _coerce(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    data_type = info.data_type
    handler = _HANDLERS.get(data_type)
    if handler is None:
        if data_type in READ_ONLY_TYPES:
            raise ValueProblem("fields of this type cannot be written through the API")
        return _text(env, info, value)
    return handler(env, info, value)


def _require_int(value: Any, low: int = INT32[0], high: int = INT32[1]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem(f"{value!r} is not an integer")
    if not low <= value <= high:
        raise ValueProblem(f"{value} is out of range [{low}, {high}]")
    return value


def _text(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueProblem(f"{value!r} is not a string")
    return value


def _number(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    return _require_int(value)


def _float(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueProblem(f"{value!r} is not a number")
    number = float(value)
    if not -FLOAT_LIMIT <= number <= FLOAT_LIMIT:
        raise ValueProblem(f"{value} is out of range [-{FLOAT_LIMIT}, {FLOAT_LIMIT}]")
    return number


def _currency(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueProblem(f"{value!r} is not a currency amount")
    number = round(float(value), 2)
    if not -CURRENCY_LIMIT <= number <= CURRENCY_LIMIT:
        raise ValueProblem(f"{value} is out of range [-{CURRENCY_LIMIT}, {CURRENCY_LIMIT}]")
    return number


def _footage(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    frames = footage_frames(value)
    if frames is None:
        raise ValueProblem(f"{value!r} is not a footage value ('feet-frames' or a frame count)")
    per_foot = site_choices.FRAMES_PER_FOOT
    sign = "-" if frames < 0 else ""
    feet, rest = divmod(abs(frames), per_foot)
    return f"{sign}{feet}-{rest:02d}"


def _checkbox(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueProblem(f"{value!r} is not a boolean")
    return value


def _date(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueProblem(f"{value!r} is a datetime; a date field takes 'YYYY-MM-DD' or a date")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and parse_date(value) is not None:
        return value
    raise ValueProblem(f"{value!r} is not a date in YYYY-MM-DD format")


def _date_time(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            # A naive datetime given in process is kept as given and
            # compared as local time, which is what the client would send.
            return value
        return value.astimezone(dt.timezone.utc)
    if isinstance(value, str):
        parsed = parse_wire_datetime(value)
        if parsed is not None:
            return parsed
    raise ValueProblem(f"{value!r} is not a date_time (a datetime or 'YYYY-MM-DDTHH:MM:SSZ')")


def _link(env: QueryEnv, info: FieldInfo, value: Any) -> Dict[str, Any]:
    if not isinstance(value, dict) or "type" not in value or "id" not in value:
        raise ValueProblem(f"{value!r} is not an entity dict with 'type' and 'id'")
    target_type, target_id = value["type"], value["id"]
    if target_id.__class__ is not int and (isinstance(target_id, bool) or not isinstance(target_id, int)):
        raise ValueProblem(f"link id {target_id!r} is not an integer")
    if info.valid_types and target_type not in info.valid_types:
        raise ValueProblem(f"{target_type} is not a valid type for this field (valid types: {', '.join(info.valid_types)})")
    if site_choices.CHECK_LINK_TARGETS:
        if not env.schema.has_type(target_type):
            raise ValueProblem(f"entity type {target_type} does not exist on this site")
        table = env.tables.get(target_type)
        row = None if table is None else table.get(target_id)
        if row is None or row.get("__retired"):
            raise ValueProblem(f"{target_type} with id {target_id} does not exist")
    return {"type": target_type, "id": target_id}


def _links(env: QueryEnv, info: FieldInfo, value: Any) -> List[Dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueProblem(f"{value!r} is not a list of entity dicts")
    links: List[Dict[str, Any]] = []
    seen = set()
    for item in value:
        link = _link(env, info, item)
        key = (link["type"], link["id"])
        if key not in seen:
            seen.add(key)
            links.append(link)
    return links


def _choice(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueProblem(f"{value!r} is not a string")
    if site_choices.CHECK_VALID_VALUES and info.valid_values and value not in info.valid_values:
        raise ValueProblem(f"'{value}' is not a valid value (valid values: {', '.join(info.valid_values)})")
    return value


def _tags(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueProblem(f"{value!r} is not a list of tag names")
    tags: List[str] = []
    for tag in value:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if not isinstance(name, str) or not name:
            raise ValueProblem(f"{tag!r} is not a tag name")
        if name not in tags:
            tags.append(name)
    return tags


def _color(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    # Sites also take a colour name ("Black"), which test rigs written for a
    # hosted site put in their fixtures; it is kept as written.
    if value == "pipeline_step" or (isinstance(value, str) and value.isalpha()):
        return value
    match = _COLOR.match(value) if isinstance(value, str) else None
    if not match or any(int(part) > 255 for part in match.groups()):
        raise ValueProblem(f"{value!r} is not a color ('R,G,B' with 0-255 parts, a colour name, or 'pipeline_step')")
    return ",".join(str(int(part)) for part in match.groups())


def _uuid(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    try:
        return str(uuid_module.UUID(str(value))) if isinstance(value, str) else _fail_uuid(value)
    except ValueError:
        return _fail_uuid(value)


def _fail_uuid(value: Any) -> Any:
    raise ValueProblem(f"{value!r} is not a UUID")


def _entity_type(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, str) or not env.schema.has_type(value):
        raise ValueProblem(f"{value!r} is not an entity type of this site")
    return value


def _serializable(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, (dict, list)):
        raise ValueProblem(f"{value!r} is not a dict or list")
    try:
        json.dumps(value, default=_json_default)
    except (TypeError, ValueError) as error:
        raise ValueProblem(f"value cannot be serialized: {error}") from None
    return copy.deepcopy(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _password(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    return _text(env, info, value)


def _image(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    raise ValueProblem("image fields are read-only; upload a thumbnail instead")


def _url(env: QueryEnv, info: FieldInfo, value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueProblem(f"{value!r} is not a file/link dict")
    if value.get("link_type") == "upload" or "attachment_id" in value:
        raise ValueProblem("uploaded files are attached with upload(), not by writing the field")
    if "local_path" in value or "local_storage" in value or value.get("link_type") == "local":
        return local_link(env, value)
    url = value.get("url")
    if not isinstance(url, str) or not url:
        raise ValueProblem("a web link needs a 'url' string (or 'local_path' for a local file)")
    return {
        "content_type": value.get("content_type"),
        "link_type": "web",
        "name": value.get("name") or url,
        "url": url,
    }


_OS_KEYS = (("local_path_linux", "linux_path"), ("local_path_mac", "mac_path"), ("local_path_windows", "windows_path"))


def _normalise(path: str) -> str:
    return path.replace("\\", "/").rstrip("/")


def _match_storage(env: QueryEnv, local_path: str) -> Optional[tuple]:
    """The LocalStorage whose root is the longest prefix of ``local_path``, with the relative rest."""
    best = None
    target = _normalise(local_path)
    for row in (env.tables.get("LocalStorage") or {}).values():
        if row.get("__retired"):
            continue
        for _key, root_field in _OS_KEYS:
            root = row.get(root_field)
            if not root:
                continue
            root_norm = _normalise(root)
            if target == root_norm or target.lower().startswith(root_norm.lower() + "/"):
                if best is None or len(root_norm) > len(best[1]):
                    best = (row, root_norm)
    if best is None:
        return None
    row, root_norm = best
    return row, target[len(root_norm):].lstrip("/")


def local_link(env: QueryEnv, value: Dict[str, Any]) -> Dict[str, Any]:
    """A complete local file link, as a site stores one (docs/site_facts.rst, Data types)."""
    storage_row = None
    relative = value.get("relative_path")
    local_path = value.get("local_path")
    if local_path:
        if not isinstance(local_path, str):
            raise ValueProblem(f"local_path {local_path!r} is not a string")
        found = _match_storage(env, local_path)
        if found is not None:
            storage_row, relative = found
        elif not site_choices.LOCAL_LINK_WITHOUT_STORAGE_ALLOWED:
            raise ValueProblem(f"no LocalStorage matches the path {local_path!r}")
    else:
        storage = value.get("local_storage")
        if not isinstance(storage, dict) or not isinstance(relative, str):
            raise ValueProblem("a local link needs 'local_path', or 'local_storage' and 'relative_path'")
        for row in (env.tables.get("LocalStorage") or {}).values():
            if row.get("__retired"):
                continue
            if row.get("id") == storage.get("id") or (storage.get("name") and row.get("code") == storage.get("name")):
                storage_row = row
                break
        if storage_row is None:
            raise ValueProblem(f"LocalStorage {storage!r} does not exist")
    paths: Dict[str, Optional[str]] = {}
    if storage_row is not None:
        for key, root_field in _OS_KEYS:
            root = storage_row.get(root_field)
            if root:
                separator = "\\" if key == "local_path_windows" else "/"
                rel = (relative or "").replace("/", separator)
                paths[key] = root.rstrip("/\\") + (separator + rel if rel else "")
            else:
                paths[key] = None
        storage_link: Optional[Dict[str, Any]] = {
            "type": "LocalStorage",
            "id": storage_row["id"],
            "name": storage_row.get("code"),
        }
    else:
        paths = {key: local_path for key, _root in _OS_KEYS}
        storage_link = None
        relative = None
    shown = local_path or paths.get("local_path_linux") or paths.get("local_path_mac") or paths.get("local_path_windows")
    name = value.get("name") or (_normalise(shown).rsplit("/", 1)[-1] if shown else None)
    content_type = value.get("content_type") or (mimetypes.guess_type(shown or "")[0] if shown else None)
    link = {
        "content_type": content_type,
        "link_type": "local",
        "name": name,
        "local_path": shown,
        "local_path_linux": paths.get("local_path_linux"),
        "local_path_mac": paths.get("local_path_mac"),
        "local_path_windows": paths.get("local_path_windows"),
        "local_storage": storage_link,
        "relative_path": relative,
        "url": "file://" + shown if shown else None,
    }
    return link


_HANDLERS = {
    "text": _text,
    "number": _number,
    "float": _float,
    "percent": _number,
    "duration": _number,
    "timecode": _number,
    "currency": _currency,
    "footage": _footage,
    "checkbox": _checkbox,
    "date": _date,
    "date_time": _date_time,
    "entity": _link,
    "multi_entity": _links,
    "addressing": _links,
    "list": _choice,
    "status_list": _choice,
    "tag_list": _tags,
    "color": _color,
    "uuid": _uuid,
    "entity_type": _entity_type,
    "serializable": _serializable,
    "password": _password,
    "image": _image,
    "url": _url,
}
