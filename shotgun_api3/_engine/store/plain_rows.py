"""Which rows a store may write again checking only what a call changed (``row_codec.dumps_changed``).

A row written again is checked for plainness only in the fields the call
changed, which is exact only while the rest of the row is plain. The rest is
not when the row was read holding a tuple, a dict whose keys are not plain,
NaN or an infinity (the decoder says so), when it was written by the slow
walk, or when its type has a default that is not plain: defaults reach rows
outside any call's undo record (``schema_field_create`` fills the rows in
memory, ``Engine.fill_defaults`` the rows read) and a client may give a
field any default. Such rows are checked whole.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional, Tuple

from .row_codec import _is_plain

Key = Tuple[str, Any]


class PlainRows:
    """The store's record of rows and types to check whole."""

    def __init__(self) -> None:
        self._rows: set = set()
        #: Types whose defaults were not plain at some point: a deleted field's value stays in
        #: the rows, so a type never leaves this set.
        self._types: set = set()
        self._types_checked: set = set()

    def before(self, key: Key, written_fields: Optional[Mapping[Key, Any]],
               row_defaults: Optional[Callable[[str, dict], None]]) -> Optional[Mapping[str, Any]]:
        """What ``dumps_changed`` is told of the row ``key``: the fields changed, or None (check it whole)."""
        if written_fields is None or key in self._rows or self._has_unplain_defaults(key[0], row_defaults):
            return None
        return written_fields.get(key)

    def _has_unplain_defaults(self, entity_type: str, row_defaults: Optional[Callable[[str, dict], None]]) -> bool:
        if entity_type not in self._types_checked:
            self._types_checked.add(entity_type)
            if row_defaults is not None:
                defaults: dict = {}
                row_defaults(entity_type, defaults)
                if defaults and not _is_plain(defaults):
                    self._types.add(entity_type)
        return entity_type in self._types

    def schema_changed(self) -> None:
        """Defaults may have changed: each type's are looked at again."""
        self._types_checked.clear()

    def read(self, entity_type: str, ids: Iterable[Any]) -> None:
        """Rows were read that are not plain."""
        self._rows.update((entity_type, entity_id) for entity_id in ids)

    def written(self, keys: Iterable[Key], not_plain: Iterable[Key]) -> None:
        """The store now holds the rows of ``keys`` (or deleted them); those of ``not_plain`` are not plain."""
        if self._rows:
            self._rows.difference_update(keys)
        self._rows.update(not_plain)
