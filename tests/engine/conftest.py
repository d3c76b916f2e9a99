"""Fixtures for engine tests: a real Engine on the default site schema."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

import pytest

from shotgun_api3._engine import CallContext, Engine, SiteSchema
from shotgun_api3._filters import _translate_filters

NOW = dt.datetime(2024, 5, 15, 12, 0, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A settable clock so relative-date tests do not depend on the real time."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def wire_filters(filters: Any, operator: str = "and") -> Dict[str, Any]:
    """Client-style filters in the wire form the engine takes, translated by the client's own code."""
    if isinstance(filters, dict) and "conditions" in filters:
        return filters
    return _translate_filters(list(filters), {"and": "all", "or": "any"}.get(operator, operator))


class Site:
    """A thin client-like face over an Engine, for readable tests."""

    def __init__(self, engine: Engine, context: Optional[CallContext] = None) -> None:
        self.engine = engine
        self.context = context or CallContext(user={"type": "HumanUser", "id": 1}, session_uuid="abc-123")

    def call(self, method: str, params: Any) -> Any:
        return self.engine.call(method, params, self.context)

    def create(self, entity_type: str, data: Dict[str, Any], return_fields: Optional[List[str]] = None) -> Dict[str, Any]:
        params = {"type": entity_type, "fields": [{"field_name": k, "value": v} for k, v in data.items()]}
        if return_fields:
            params["return_fields"] = return_fields
        return self.call("create", params)

    def update(self, entity_type: str, entity_id: int, data: Dict[str, Any], modes: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        fields = []
        for key, value in data.items():
            entry = {"field_name": key, "value": value}
            if modes and key in modes:
                entry["multi_entity_update_mode"] = modes[key]
            fields.append(entry)
        return self.call("update", {"type": entity_type, "id": entity_id, "fields": fields})

    def delete(self, entity_type: str, entity_id: int) -> bool:
        return self.call("delete", {"type": entity_type, "id": entity_id})

    def revive(self, entity_type: str, entity_id: int) -> bool:
        return self.call("revive", {"type": entity_type, "id": entity_id})

    def read(self, entity_type: str, filters: Any = (), fields: Optional[List[str]] = None, order: Any = None,
             per_page: int = 500, page: int = 1, operator: str = "and", **extra: Any) -> Dict[str, Any]:
        params = {
            "type": entity_type,
            "return_fields": fields or ["id"],
            "filters": wire_filters(list(filters) if not isinstance(filters, dict) else filters, operator),
            "return_only": "active",
            "paging": {"entities_per_page": per_page, "current_page": page},
        }
        if order:
            params["sorts"] = order
        params.update(extra)
        return self.call("read", params)

    def find(self, entity_type: str, filters: Any = (), fields: Optional[List[str]] = None, **kwargs: Any) -> List[Dict[str, Any]]:
        return self.read(entity_type, filters, fields, **kwargs)["entities"]

    def ids(self, entity_type: str, filters: Any = (), **kwargs: Any) -> List[int]:
        return [record["id"] for record in self.find(entity_type, filters, **kwargs)]


@pytest.fixture(scope="session")
def default_schema() -> SiteSchema:
    return SiteSchema.default()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(default_schema: SiteSchema, clock: Clock) -> Engine:
    """An engine sharing the session's schema (tests that change the schema use ``schema_engine``)."""
    return Engine(default_schema, clock=clock)


@pytest.fixture
def schema_engine(default_schema: SiteSchema, clock: Clock) -> Engine:
    """An engine with its own copy of the schema, free to change it."""
    return Engine(default_schema.copy(), clock=clock)


@pytest.fixture
def site(engine: Engine) -> Site:
    site = Site(engine)
    site.create("HumanUser", {"firstname": "Ada", "lastname": "Lovelace", "login": "ada"})
    return site


@pytest.fixture
def project(site: Site) -> Dict[str, Any]:
    return site.create("Project", {"name": "Demo"})
