"""Mockgun's writes in the reference's way: ``create``, ``update``, ``delete``, ``revive``, ``batch``.

Each goes through the reference's helpers in the reference's order
(validate the type, the data and the fields; take a new row; ``_update_row``;
store), so a rig that patches a helper changes a write exactly as it would
with the reference. Nothing else happens: no audit fields, no event log, no
reverse links. Where a site differs and the reference is wrong by any site's
rules, a site's answer wins: ``update`` answers the record (not a one-item
list), and ``batch`` applies all its requests or none.

In site mode (``site_semantics``) and for thumbnails (``image`` and
``filmstrip_image``, which the reference cannot write), the real client's
method runs instead, answered by the site engine.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from shotgun_api3._errors import ShotgunError
from shotgun_api3.shotgun import Shotgun as _SiteClient

from .engine_bridge import PLAIN_LEAVES, fresh

_THUMBNAIL_FIELDS = ("image", "filmstrip_image")
_LOCAL_STORAGE = {"id": 0, "name": "auto_generated_by_mockgun", "type": "LocalStorage"}

# {id(table): (table, table size, last key, highest id)} after the last id taken from a table.
_Ids = Dict[int, Tuple[Dict[Any, Any], int, Any, int]]


class ReferenceWrites:
    """``create``/``update``/``delete``/``revive``/``batch`` on ``_db`` through the reference's helpers."""

    site_semantics: bool
    _db: Dict[str, Dict[int, Dict[str, Any]]]

    def create(self, entity_type: str, data: Dict[str, Any], return_fields: Optional[List[str]] = None) -> Dict[str, Any]:
        """Store a new record; answer the written fields (or ``return_fields``) with ``type`` and ``id``.

        As the reference: a file link given with ``local_path`` is completed
        in the caller's dict (``local_storage``, ``local_path_linux``/``_mac``/
        ``_windows``); the new id is one above the highest in the table.
        """
        if self.site_semantics or _has_thumbnail(data):
            return _SiteClient.create(self, entity_type, data, return_fields)  # type: ignore[arg-type]
        if data.__class__ is dict:
            for value in data.values():
                if isinstance(value, dict) and "local_path" in value:
                    _complete_local_path(value)
        self._validate_entity_type(entity_type)  # type: ignore[attr-defined]
        self._validate_entity_data(entity_type, data)  # type: ignore[attr-defined]
        self._validate_entity_fields(entity_type, return_fields)  # type: ignore[attr-defined]
        table = self._db.get(entity_type)
        if table is None:
            table = self._db[entity_type] = {}
        marks = self.__dict__.get("_id_marks")
        if marks is None:
            marks = self._id_marks = {}
        new_id = _next_id(marks, table)
        row = self._get_new_row(entity_type)  # type: ignore[attr-defined]
        self._update_row(entity_type, row, data)  # type: ignore[attr-defined]
        row["id"] = new_id
        table[new_id] = row
        marks[id(table)] = (table, len(table), new_id, new_id)
        read = self._get_field_from_row  # type: ignore[attr-defined]
        result = {}
        for field in (data if return_fields is None else return_fields):
            value = read(entity_type, row, field)
            result[field] = value if value.__class__ in PLAIN_LEAVES else fresh(value)
        result["type"] = row["type"]
        result["id"] = row["id"]
        return result

    def update(self, entity_type: str, entity_id: int, data: Dict[str, Any],
               multi_entity_update_modes: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        """Write ``data`` into a record (live or retired); answer its written fields with ``type`` and ``id``.

        The answer is the record, as a site gives it (the reference gave a
        one-item list).
        """
        if self.site_semantics or (data.__class__ is dict and ("image" in data or "filmstrip_image" in data)
                                   and _has_thumbnail(data)):
            return self._site_update(entity_type, entity_id, data, multi_entity_update_modes)  # type: ignore
        self._validate_entity_type(entity_type)  # type: ignore[attr-defined]
        self._validate_entity_data(entity_type, data)  # type: ignore[attr-defined]
        self._validate_entity_exists(entity_type, entity_id)  # type: ignore[attr-defined]
        row = self._db[entity_type][entity_id]
        self._update_row(entity_type, row, data, multi_entity_update_modes)  # type: ignore[attr-defined]
        return {field: value if value.__class__ in PLAIN_LEAVES else fresh(value)
                for field, value in row.items() if field in data or field in ("type", "id")}

    def delete(self, entity_type: str, entity_id: int) -> bool:
        """Retire a record: ``True``, or ``False`` when it was retired already."""
        if self.site_semantics:
            return _SiteClient.delete(self, entity_type, entity_id)  # type: ignore[arg-type]
        return self._set_retired(entity_type, entity_id, True)

    def revive(self, entity_type: str, entity_id: int) -> bool:
        """Bring a retired record back: ``True``, or ``False`` when it was live."""
        if self.site_semantics:
            return _SiteClient.revive(self, entity_type, entity_id)  # type: ignore[arg-type]
        return self._set_retired(entity_type, entity_id, False)

    def _set_retired(self, entity_type: str, entity_id: int, retired: bool) -> bool:
        self._validate_entity_type(entity_type)  # type: ignore[attr-defined]
        self._validate_entity_exists(entity_type, entity_id)  # type: ignore[attr-defined]
        row = self._db[entity_type][entity_id]
        if bool(row.get("__retired")) == retired:
            return False
        row["__retired"] = retired
        return True

    def batch(self, requests: List[Dict[str, Any]]) -> List[Any]:
        """Run ``create``/``update``/``delete`` requests through ``self.create``/``update``/``delete``.

        All or nothing, as on a site: when a request fails, the records the
        earlier ones wrote are put back as they were (the reference kept
        them) and the error is raised.
        """
        if self.site_semantics:
            return _SiteClient.batch(self, requests)  # type: ignore[arg-type]
        if isinstance(requests, (str, bytes)) or not hasattr(requests, "__iter__"):
            raise ShotgunError("batch() takes a list of requests, not %s" % type(requests).__name__)
        undo: List[Tuple[str, Any, Any]] = []
        results: List[Any] = []
        try:
            for request in requests:
                results.append(self._batch_request(request, undo))
        except BaseException:
            self._undo_batch(undo)
            raise
        return results

    def _batch_request(self, request: Any, undo: List[Tuple[str, Any, Any]]) -> Any:
        if not isinstance(request, dict) or "request_type" not in request:
            raise ShotgunError("Each batch request must be a dict with a 'request_type', not %r" % (request,))
        kind = request["request_type"]
        if kind not in ("create", "update", "delete"):
            raise ShotgunError("Invalid request type %s in request %s" % (kind, request))
        needed = {"create": ("entity_type", "data"), "update": ("entity_type", "entity_id", "data"),
                  "delete": ("entity_type", "entity_id")}[kind]
        missing = [key for key in needed if key not in request]
        if missing:
            raise ShotgunError("Batch %s request is missing %s: %s" % (kind, ", ".join(missing), request))
        entity_type = request["entity_type"]
        if kind == "create":
            # As the reference: a create request's return_fields are not asked for.
            created = self.create(entity_type, request["data"])
            undo.append(("created", entity_type, created.get("id") if isinstance(created, dict) else None))
            return created
        row = self._db.get(entity_type, {}).get(request["entity_id"]) if isinstance(entity_type, str) else None
        if row is not None:
            undo.append(("changed", row, _row_copy(row)))
        if kind == "update":
            updated = self.update(entity_type, request["entity_id"], request["data"],
                                  request.get("multi_entity_update_modes"))
            # A rig's own update may answer as the reference did, a one-item list.
            return updated[0] if isinstance(updated, list) and len(updated) == 1 else updated
        return self.delete(entity_type, request["entity_id"])

    def _undo_batch(self, undo: List[Tuple[str, Any, Any]]) -> None:
        for action, target, saved in reversed(undo):
            if action == "created":
                self._db.get(target, {}).pop(saved, None)
            else:
                target.clear()
                target.update(saved)


def _has_thumbnail(data: Any) -> bool:
    return isinstance(data, dict) and any(data.get(field) is not None for field in _THUMBNAIL_FIELDS)


def _complete_local_path(value: Dict[str, Any]) -> None:
    """Complete a file link given by ``local_path`` in place, as the reference mockgun does."""
    value.setdefault("local_storage", dict(_LOCAL_STORAGE))
    for key in ("local_path_linux", "local_path_windows", "local_path_mac"):
        value.setdefault(key, value["local_path"])


def _next_id(marks: _Ids, table: Dict[Any, Any]) -> int:
    """One above the highest id in ``table`` (1 for an empty one), without a scan when nothing changed it.

    The highest id is remembered with the table's size and last key after
    each create; rows a rig adds or removes by hand change one of those and
    force a scan, as the reference scans every time.
    """
    if not table:
        return 1
    mark = marks.get(id(table))
    if mark is not None and mark[0] is table and mark[1] == len(table) and next(reversed(table)) == mark[2]:
        return mark[3] + 1
    ids = [key for key in table if isinstance(key, int)]
    highest = max(ids) if ids else 0
    marks[id(table)] = (table, len(table), next(reversed(table)), highest)
    return highest + 1


def _row_copy(row: Dict[str, Any]) -> Dict[str, Any]:
    return {key: (list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value)
            for key, value in row.items()}
