"""What the engine asks of a store: the typed contract :class:`SqliteStore` (and any other) fulfils.

The engine answers from rows in memory; a store hands it its tables when
the engine starts (dicts, or mappings that read their rows from the store
as they are needed: ``stored_table.py``) and persists each committed call
before the call answers. ``None`` (mockgun, most tests) keeps nothing.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, MutableMapping, Optional, Tuple, Union

try:
    from typing import Protocol
except ImportError:  # pragma: no cover - Python < 3.8 is not supported; kept for type checkers
    Protocol = object  # type: ignore[assignment,misc]

Row = Dict[str, Any]
SchemaDicts = Dict[str, Any]
Tables = Dict[str, MutableMapping[int, Row]]


class Store(Protocol):
    """A place the engine's data lives between runs."""

    def load(self) -> Tuple[Optional[SchemaDicts], Optional[Tables]]:
        """``(schema dicts or None, tables or None)`` as last committed; ``(None, None)`` for a new store."""
        ...

    def commit(self, changes: Mapping[Tuple[str, int], Optional[Row]],
               schema_changed: Union[bool, SchemaDicts, None]) -> None:
        """Persist one call's changed rows (``None`` deletes) and a changed schema, all or nothing.

        Raising leaves the store as it was; the engine then rolls the call back.
        """
        ...
