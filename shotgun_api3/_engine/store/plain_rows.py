"""Which rows a store may write again checking only what a call changed (``row_codec.dumps_changed``).

A row written again is checked for plainness only in the fields the call
changed, which is exact only while the rest of the row is plain. The rest is
not when the row was read holding a tuple, a dict whose keys are not plain,
NaN or an infinity (the decoder says so), when it was written by the slow
walk, or when its type has a default that is not plain: defaults reach rows
outside any call's undo record (``schema_field_create`` fills the rows in
memory, ``Engine.fill_defaults`` the rows read) and a client may give a
field any default. Such rows are checked whole.

A call whose params came from JSON text (``CallContext.params_from_json``)
is not checked at all while no row or type is known to be otherwise:
JSON decoding makes only exact dicts, lists, strings, numbers (finite: the
site refuses NaN and Infinity), booleans and None, the site refuses a key
named like a tag, and what the engine adds (links, datetimes, event rows)
is plain too. The tests hold the store to that: with
``PlainRows.verify_values_from_json`` set (tests/conftest.py), every such
write is checked as well and a difference raises.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Mapping, Optional, Sequence, Tuple

from .row_codec import _is_plain, dumps_changed, dumps_plain

Key = Tuple[str, Any]


class PlainRows:
    """The store's record of rows and types to check whole."""

    #: Check the writes of calls from JSON too, and raise where the check finds a value not plain (tests).
    verify_values_from_json = False

    def __init__(self) -> None:
        self._rows: set = set()
        #: Types whose defaults were not plain at some point: a deleted field's value stays in
        #: the rows, so a type never leaves this set.
        self._types: set = set()
        self._types_checked: set = set()

    def texts(self, keys: Sequence[Key], rows: List[Any], written_fields: Optional[Mapping[Key, Any]],
              row_defaults: Optional[Callable[[str, dict], None]], values_from_json: bool = False
              ) -> Tuple[List[str], List[int]]:
        """The stored texts of ``rows`` (under ``keys``) and the positions of those not plain.

        ``written_fields`` is what :meth:`before` is told; ``values_from_json``:
        the call's params came from JSON text (see the module's docstring).
        """
        if values_from_json and self._all_plain(keys, row_defaults):
            texts = dumps_plain(rows)
            if self.verify_values_from_json:
                # (The texts decide: a row only deeper than the check looks is "not plain" but the same.)
                checked = dumps_changed(rows, [None] * len(rows))[0]
                wrong = [key for key, text, right in zip(keys, texts, checked) if text != right]
                if wrong:
                    raise AssertionError("a call from JSON wrote rows that are not plain: %r" % (wrong,))
            return texts, []
        return dumps_changed(rows, [self.before(key, written_fields, row_defaults) for key in keys])

    def _all_plain(self, keys: Sequence[Key], row_defaults: Optional[Callable[[str, dict], None]]) -> bool:
        """Whether no row is known not plain and no type (of ``keys``, or read before) has defaults that are not."""
        if self._rows:
            return False
        for entity_type in {key[0] for key in keys}:
            self._has_unplain_defaults(entity_type, row_defaults)
        return not self._types

    def type_read(self, entity_type: str, row_defaults: Optional[Callable[[str, dict], None]]) -> None:
        """Rows of ``entity_type`` were read (and given its defaults): are those plain?"""
        self._has_unplain_defaults(entity_type, row_defaults)

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

    def schema_changed(self, schema: Optional[Mapping[str, Any]] = None,
                       row_defaults: Optional[Callable[[str, dict], None]] = None) -> None:
        """Defaults may have changed: each type's are looked at again, those of every type of ``schema`` now.

        ``schema`` is the new schema dicts. Now, because ``schema_field_create`` has just filled the rows in
        memory with the new field's default, outside its undo record: a later
        change of that default, or the field's deletion, must not hide that
        those rows hold it.
        """
        self._types_checked.clear()
        for entity_type in (schema if isinstance(schema, dict) else {}).get("schema", ()):
            self._has_unplain_defaults(entity_type, row_defaults)

    def read(self, entity_type: str, ids: Iterable[Any]) -> None:
        """Rows were read that are not plain."""
        self._rows.update((entity_type, entity_id) for entity_id in ids)

    def written(self, keys: Iterable[Key], not_plain: Iterable[Key]) -> None:
        """The store now holds the rows of ``keys`` (or deleted them); those of ``not_plain`` are not plain."""
        if self._rows:
            self._rows.difference_update(keys)
        self._rows.update(not_plain)
