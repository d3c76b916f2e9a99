"""Writing methods: ``create``, ``update``, ``delete``, ``revive`` and ``batch``."""
from __future__ import annotations

from typing import Any

from .._capabilities import version_gate
from .._errors import ShotgunError
from .._filters import _optimize_filter_field, entity_optimization_disabled
from .._rpc import MalformedAnswerError
from .._validation import check_batch_request, check_data, check_entity_type, check_field_names, check_update_modes
from .queries import _cyclic_gc_paused

_FILMSTRIP_MINIMUM = (3, 1, 0)


class WriteMethods:
    """Entity writes. Thumbnails given as ``image``/``filmstrip_image`` paths are uploaded after the write."""

    def create(self, entity_type: str, data: dict, return_fields: list | None = None) -> dict:
        """Create an entity from ``{field: value}`` and return it with ``return_fields`` (default ``id``).

        An ``image`` or ``filmstrip_image`` value is a local file path: it is
        uploaded as the thumbnail after the entity exists.
        """
        check_entity_type("create", entity_type)
        check_data("create", data)
        check_field_names("create", return_fields, "return_fields")
        data = dict(data)
        image = data.pop("image", None)
        filmstrip_image = None
        if "filmstrip_image" in data:
            version_gate(self.server_caps, _FILMSTRIP_MINIMUM, "Filmstrip thumbnail support", "3.1")
            filmstrip_image = data.pop("filmstrip_image")
        params = {
            "type": entity_type,
            "fields": self._dict_to_list(data),
            "return_fields": return_fields or ["id"],
        }
        record = self._call_rpc("create", params, first=True)
        result = _written_record(self._parse_records(record), "create")
        self._upload_thumbnails_of(entity_type, result, image, filmstrip_image)
        return result

    def update(
        self, entity_type: str, entity_id: int, data: dict, multi_entity_update_modes: dict | None = None
    ) -> dict:
        """Change fields of an entity and return ``{"type", "id", ...changed fields}``.

        ``multi_entity_update_modes`` maps multi-entity field names to ``"set"``
        (default), ``"add"`` or ``"remove"``. ``image: None`` clears the
        thumbnail; an ``image``/``filmstrip_image`` path is uploaded.
        """
        check_entity_type("update", entity_type)
        check_data("update", data)
        check_update_modes("update", multi_entity_update_modes)
        image = filmstrip_image = None
        if "image" in data or "filmstrip_image" in data:
            data = dict(data)
            if data.get("image") is not None:
                image = data.pop("image")
            if "filmstrip_image" in data:
                version_gate(self.server_caps, _FILMSTRIP_MINIMUM, "Filmstrip thumbnail support", "3.1")
                filmstrip_image = data.pop("filmstrip_image")
        if data:
            params = self._translate_update_params(entity_type, entity_id, data, multi_entity_update_modes)
            record = self._call_rpc("update", params)
            result = _written_record(self._parse_records(record), "update")
        else:
            result = {"id": entity_id, "type": entity_type}
        if image is not None or filmstrip_image is not None:
            self._upload_thumbnails_of(entity_type, result, image, filmstrip_image)
        return result

    def delete(self, entity_type: str, entity_id: int) -> bool:
        """Retire an entity; ``True`` if it was live, ``False`` if it was already retired."""
        check_entity_type("delete", entity_type)
        return self._call_rpc("delete", {"type": entity_type, "id": entity_id})

    def revive(self, entity_type: str, entity_id: int) -> bool:
        """Bring back a retired entity; ``True`` if it was retired, ``False`` if it was live."""
        check_entity_type("revive", entity_type)
        return self._call_rpc("revive", {"type": entity_type, "id": entity_id})

    def batch(self, requests: list) -> list:
        """Run several creates, updates and deletes in one transaction; results in request order.

        Each request is ``{"request_type": "create"|"update"|"delete", "entity_type": ...}``
        plus ``data`` (create, update), ``entity_id`` (update, delete),
        optional ``return_fields`` (create) and ``multi_entity_update_modes`` (update).
        """
        if not isinstance(requests, list):
            raise ShotgunError("batch() expects a list.  Instead was sent a %s" % type(requests))
        if not requests:
            return []
        # Building the calls and decoding the answer allocate a few containers
        # per request: collections in between would walk them again and again.
        with _cyclic_gc_paused():
            plain = self._batch_steps_are_ours()
            calls: list = []
            built_later = []
            for index, request in enumerate(requests):
                call = _plain_create_call(request) if plain else None
                if call is None:
                    check_batch_request(index, request)
                    built_later.append(index)
                calls.append(call)
            # Every request is checked before any is built, so a bad request
            # raises its check's error even after an earlier one that cannot be built.
            for index in built_later:
                calls[index] = self._batched_call(requests[index])
            records = self._call_rpc("batch", calls)
        if not isinstance(records, list) or len(records) != len(calls):
            raise MalformedAnswerError(
                "The site answered a batch of %d requests with %r" % (len(calls), _preview(records)))
        if not self._records_need_parsing(records, server_caps_known=False):
            return records
        return self._parse_records(records)

    def _batch_steps_are_ours(self) -> bool:
        """Whether the steps ``_plain_create_call`` stands for are not replaced (on the class or the instance)."""
        return all(name not in self.__dict__ and getattr(type(self), name) is WriteMethods.__dict__[name]
                   for name in ("_batched_call", "_dict_to_list"))

    def _batched_call(self, request: dict) -> dict:
        _require_keys(request, ["request_type", "entity_type"], "Batched request")
        request_type = request["request_type"]
        if request_type == "create":
            _require_keys(request, ["data"], "Batched create request")
            return {
                "request_type": "create",
                "type": request["entity_type"],
                "fields": self._dict_to_list(request["data"]),
                "return_fields": request.get("return_fields") or ["id"],
            }
        if request_type == "update":
            _require_keys(request, ["entity_id", "data"], "Batched update request")
            call = {
                "request_type": "update",
                "type": request["entity_type"],
                "id": request["entity_id"],
                "fields": self._dict_to_list(
                    request["data"],
                    extra_data=self._dict_to_extra_data(
                        request.get("multi_entity_update_modes"), "multi_entity_update_mode"
                    ),
                ),
            }
            if "multi_entity_update_mode" in request:
                call["multi_entity_update_mode"] = request["multi_entity_update_mode"]
            return call
        if request_type == "delete":
            _require_keys(request, ["entity_id"], "Batched delete request")
            return {"request_type": "delete", "type": request["entity_type"], "id": request["entity_id"]}
        raise ShotgunError("Invalid request_type '%s' for batch" % request_type)

    def _translate_update_params(
        self, entity_type: str, entity_id: int, data: dict, multi_entity_update_modes: dict | None
    ) -> dict:
        """Build the params of an ``update``: field entries with their modes, entity values trimmed."""
        if not multi_entity_update_modes and not any(isinstance(value, (dict, list)) for value in data.values()):
            # The common case: nothing to trim, no modes.
            fields = [{"field_name": name, "value": value} for name, value in data.items()]
            return {"type": entity_type, "id": entity_id, "fields": fields}
        modes = multi_entity_update_modes or {}
        optimize = not entity_optimization_disabled()
        fields = []
        for name, value in data.items():
            # Only dicts and lists can be trimmed; field names and modes are strings.
            if optimize and isinstance(value, (dict, list)):
                value = _optimize_filter_field(value)
            entry = {"field_name": name, "value": value}
            if name in modes:
                mode = modes[name]
                entry["multi_entity_update_mode"] = _optimize_filter_field(mode) if optimize else mode
            fields.append(entry)
        return {"type": entity_type, "id": entity_id, "fields": fields}

    def _dict_to_list(
        self, d: dict | None, key_name: str = "field_name", value_name: str = "value", extra_data: dict | None = None
    ) -> list:
        """``{"a": 1}`` -> ``[{"field_name": "a", "value": 1}]``, merging ``extra_data[key]`` into each entry."""
        entries = []
        for key, value in (d or {}).items():
            entry = {key_name: key, value_name: value}
            if extra_data and key in extra_data:
                entry.update(extra_data[key])
            entries.append(entry)
        return entries

    def _dict_to_extra_data(self, d: dict | None, key_name: str = "value") -> dict:
        """``{"a": 1}`` -> ``{"a": {key_name: 1}}`` (extra data for :meth:`_dict_to_list`)."""
        return {key: {key_name: value} for key, value in (d or {}).items()}

    def _upload_thumbnails_of(self, entity_type: str, result: Any, image: Any, filmstrip_image: Any) -> None:
        """Upload thumbnail paths given to create/update, then read back the new thumbnail URLs."""
        if not isinstance(result, dict):
            return
        if image:
            self.upload_thumbnail(entity_type, result["id"], image)
            image_record = self.find_one(entity_type, [["id", "is", result["id"]]], fields=["image"])
            result["image"] = image_record.get("image") if image_record else None
        if filmstrip_image:
            self.upload_filmstrip_thumbnail(entity_type, result["id"], filmstrip_image)
            filmstrip_record = self.find_one(entity_type, [["id", "is", result["id"]]], fields=["filmstrip_image"])
            result["filmstrip_image"] = filmstrip_record.get("filmstrip_image") if filmstrip_record else None


def _plain_create_call(request: Any) -> dict | None:
    """The wire call of a batched create that passes every check, built in one pass; else ``None``.

    Gives what ``check_batch_request`` then ``_batched_call`` give for such a
    request. Anything else (an update, a delete, a subclass of dict or str,
    whatever might fail a check) is ``None``, left to those two.
    """
    if request.__class__ is not dict:
        return None
    request_type = request.get("request_type")
    entity_type = request.get("entity_type")
    data = request.get("data")
    if (request_type.__class__ is not str or request_type != "create" or entity_type.__class__ is not str
            or not entity_type or data.__class__ is not dict or "multi_entity_update_modes" in request):
        return None
    fields = []
    for name, value in data.items():
        if name.__class__ is not str:
            return None
        fields.append({"field_name": name, "value": value})
    return_fields = request.get("return_fields")
    if return_fields is not None:
        if return_fields.__class__ is not list:
            return None
        for name in return_fields:
            if name.__class__ is not str:
                return None
    return {"request_type": "create", "type": entity_type, "fields": fields, "return_fields": return_fields or ["id"]}


def _require_keys(request: Any, keys: list, kind: str) -> None:
    missing = [key for key in keys if not isinstance(request, dict) or key not in request]
    if missing:
        raise ShotgunError("%s missing required key: %s. Value was: %s." % (kind, ", ".join(missing), request))


def _written_record(records: list, method: str) -> dict:
    """The record a create/update answered; anything else is a malformed answer."""
    if not records or not isinstance(records[0], dict):
        raise MalformedAnswerError("The site answered %s with %r instead of a record" % (method, _preview(records)))
    return records[0]


def _preview(value: Any) -> Any:
    return value[:3] if isinstance(value, list) else value
