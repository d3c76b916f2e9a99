"""Schema methods: read entity types and fields, create, change and delete fields."""
from __future__ import annotations

from typing import Any

from .._errors import ShotgunError


class SchemaMethods:
    """``schema_*`` calls. ``project_entity`` asks for a project's own field settings (server 5.4.4+)."""

    def schema_entity_read(self, project_entity: dict | None = None) -> dict:
        """Return ``{entity_type: {"name": {...}, "visible": {...}}}`` for every entity type."""
        params: dict = {}
        self._add_project_param(params, project_entity)
        return self._call_rpc("schema_entity_read", params or None)

    def schema_read(self, project_entity: dict | None = None) -> dict:
        """Return the fields of every entity type: ``{entity_type: {field: properties}}``."""
        params: dict = {}
        self._add_project_param(params, project_entity)
        return self._call_rpc("schema_read", params or None)

    def schema_field_read(
        self, entity_type: str, field_name: str | None = None, project_entity: dict | None = None
    ) -> dict:
        """Return ``{field: properties}`` for all fields of ``entity_type``, or just ``field_name``."""
        params: dict = {"type": entity_type}
        if field_name:
            params["field_name"] = field_name
        self._add_project_param(params, project_entity)
        return self._call_rpc("schema_field_read", params)

    def schema_field_create(
        self, entity_type: str, data_type: str, display_name: str, properties: dict | None = None
    ) -> str:
        """Add a field (``data_type`` such as ``"text"``, ``"number"``, ``"entity"``); returns its system name."""
        params = {
            "type": entity_type,
            "data_type": data_type,
            "properties": [{"property_name": "name", "value": display_name}]
            + [{"property_name": key, "value": value} for key, value in (properties or {}).items()],
        }
        return self._call_rpc("schema_field_create", params)

    def schema_field_update(
        self, entity_type: str, field_name: str, properties: dict | None, project_entity: dict | None = None
    ) -> bool:
        """Change properties of a field (``{"name": ..., "description": ...}``); returns ``True``."""
        params = {
            "type": entity_type,
            "field_name": field_name,
            "properties": [{"property_name": key, "value": value} for key, value in (properties or {}).items()],
        }
        self._add_project_param(params, project_entity)
        return self._call_rpc("schema_field_update", params)

    def schema_field_delete(self, entity_type: str, field_name: str) -> bool:
        """Retire a field; returns ``True``."""
        return self._call_rpc("schema_field_delete", {"type": entity_type, "field_name": field_name})

    def schema(self, entity_type: str) -> Any:
        """Removed from the API: always raises ``ShotgunError`` (use :meth:`schema_field_read`)."""
        raise ShotgunError("Deprecated: use schema_field_read('%s') instead" % entity_type)

    def entity_types(self) -> Any:
        """Removed from the API: always raises ``ShotgunError`` (use :meth:`schema_entity_read`)."""
        raise ShotgunError("Deprecated: use schema_entity_read() instead")

    def _add_project_param(self, params: dict, project_entity: dict | None) -> dict:
        """Add ``"project": project_entity`` when given (needs server 5.4.4)."""
        if project_entity:
            self.server_caps.ensure_per_project_customization()
            params["project"] = project_entity
        return params
