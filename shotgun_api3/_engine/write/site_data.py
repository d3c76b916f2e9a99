"""The narrow face of the engine the write room works through: the tables, the state, ids and the schema.

:class:`~shotgun_api3._engine.write.transaction.Transaction`, the plain update
path and the event log see the engine only as this protocol, so what a write
may touch is listed in one place (the :class:`~shotgun_api3._engine.engine.Engine`
fulfils it).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Mapping, Optional

from ..query.relations import QueryEnv
from ..schema.site_schema import SiteSchema
from ..store.protocol import Store
from .link_pairs import LinkPairs

try:
    from typing import Protocol
except ImportError:  # pragma: no cover
    Protocol = object  # type: ignore[assignment,misc]

Row = Dict[str, Any]


class SiteData(Protocol):
    """What a write reads and changes of the site (see :class:`~shotgun_api3._engine.engine.Engine`)."""

    schema: SiteSchema
    store: Optional[Store]
    state: Dict[str, Any]
    logs_paired_link_changes: bool

    @property
    def tables(self) -> Dict[str, Dict[int, Row]]: ...

    @property
    def link_pairs(self) -> LinkPairs: ...

    def row(self, entity_type: str, entity_id: Any) -> Optional[Row]: ...

    def new_row(self, entity_type: str, entity_id: int) -> Row: ...

    def next_id(self, entity_type: str, count: int = 1) -> int: ...

    def forget_ids(self) -> None: ...

    def plain_template(self, entity_type: str) -> Optional[Row]: ...

    def state_id(self, name: str) -> int: ...

    def schema_changed(self) -> None: ...

    def restore_schema(self, dicts: Mapping[str, Any]) -> None: ...

    def now(self) -> dt.datetime: ...

    def env(self, now: Optional[dt.datetime] = None) -> QueryEnv: ...
