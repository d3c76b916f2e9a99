"""Paired link fields kept in step by a write: the reverse-link half of a transaction.

Listing a Task's Shot in ``Task.entity`` lists the Task in ``Shot.tasks``,
and moving it drops it from the Shot it left (docs/site_facts.rst, Links;
link_pairs.py names the pairs). Each such update is the holder's own
Change event, as a hosted site logs it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ..query.display import link_key
from ..schema.site_schema import LINK_LIST_TYPES, FieldInfo

Row = Dict[str, Any]


class PairedLinkWriter:
    """The paired-link updates of :class:`~shotgun_api3._engine.write.transaction.Transaction`.

    It uses the transaction's ``engine``, ``_set`` (the undo log),
    ``_events`` and ``_log_changes`` (the event log).
    """

    engine: Any
    _events: bool
    _set: Callable[[str, Row, str, Any], None]
    _log_changes: Callable[..., None]
    _log_link_appended: Callable[..., None]

    def _sync_pairs(
        self, entity_type: str, row: Row, field: str, old: List[Any], new: List[Any], is_new: bool = False
    ) -> None:
        me = {"type": entity_type, "id": row["id"]}
        old_keys: Any = ()
        if old:
            old_keys = {link_key(link) for link in old}
            new_keys = {link_key(link) for link in new}
            for holder_type, holder_id, holder_field in self._holders(entity_type, field, old, new_keys):
                self._remove_member(holder_type, holder_id, holder_field, me)
        for holder_type, holder_id, holder_field in self._holders(entity_type, field, new, old_keys):
            self._add_member(holder_type, holder_id, holder_field, me, is_new)

    def _holders(self, entity_type: str, field: str, links: List[Any], skipped: Any) -> Iterator[Tuple[str, int, str]]:
        """``(type, id, paired field)`` of the records ``links`` name (but for keys in ``skipped``) in a paired field."""
        pairs = self.engine.link_pairs
        for link in links:
            key = link_key(link)
            if key is None or key in skipped:
                continue
            pair = pairs.paired(entity_type, field, key[0])
            if pair is not None:
                yield pair[0], key[1], pair[1]

    def _remove_member(self, holder_type: str, holder_id: int, field: str, member: Row) -> None:
        holder = self.engine.row(holder_type, holder_id)
        if holder is None:
            return
        key = link_key(member)
        current = holder.get(field)
        info = self.engine.schema.field(holder_type, field)
        if info is not None and info.data_type in LINK_LIST_TYPES:
            remaining = [link for link in current or () if link_key(link) != key]
            if len(remaining) != len(current or ()):
                self._set(holder_type, holder, field, remaining)
                self._log_paired_change(holder_type, holder, info, current, remaining)
        elif link_key(current) == key:
            self._set(holder_type, holder, field, None)
            self._log_paired_change(holder_type, holder, info, current, None)

    def _add_member(
        self, holder_type: str, holder_id: int, field: str, member: Row, is_new: bool = False
    ) -> None:
        engine = self.engine
        holder = engine.row(holder_type, holder_id)
        if holder is None:
            return
        # (``member`` is a ``{"type", "id"}`` this module made: its link_key, without the checks.)
        member_type, member_id = key = (member["type"], member["id"])
        current = holder.get(field)
        info = engine.schema.field(holder_type, field)
        if info is not None and info.data_type in LINK_LIST_TYPES:
            # A record created in this call cannot be listed yet: skip the scan.
            if is_new or not any(
                link.get("id") == member_id and link.get("type") == member_type for link in current or ()
            ):
                new = [*(current or ()), dict(member)]
                self._set(holder_type, holder, field, new)
                self._log_paired_change(holder_type, holder, info, current, new, appended=True)
            return
        previous = link_key(current)
        if previous == key:
            return
        self._set(holder_type, holder, field, dict(member))
        self._log_paired_change(holder_type, holder, info, current, holder[field])
        if previous is not None:
            # The holder pointed elsewhere (a Shot moving to another
            # Sequence): drop it from the previous record's side too.
            pair = engine.link_pairs.paired(holder_type, field, previous[0])
            if pair is not None:
                self._remove_member(pair[0], previous[1], pair[1], {"type": holder_type, "id": holder_id})

    def _log_paired_change(
        self, holder_type: str, holder: Row, info: Optional[FieldInfo], old: Any, new: Any, appended: bool = False
    ) -> None:
        """Log the engine's update of a paired field as the holder's own Change event, as a hosted site does.

        (docs/site_facts.rst, Event log: e.g. setting ``Task.entity`` logs
        ``Shot.tasks`` too, its ``meta`` naming the Shot.) ``appended``: ``new``
        is the list ``old`` with one link added at its end.
        """
        if self._events and info is not None and holder_type != "EventLogEntry" \
                and self.engine.logs_paired_link_changes:
            if appended:
                self._log_link_appended(holder_type, holder, info, old, new)
            else:
                self._log_changes(holder_type, holder, [(info, old, new)])
