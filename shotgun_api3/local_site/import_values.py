"""Turning a source record into a target row's values: links mapped or dropped, datetimes in UTC, fakes.

Used by ``site_import``. A source record comes either as a stored row (a
fixture) or as a ``find`` answer (a site over HTTP); both become the values
a local site stores: links ``{"type", "id"}`` (with the ``name`` only when
the linked record is not copied), datetimes aware in UTC.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Callable, Dict, Mapping, Optional, Set, Tuple

#: Data types never copied: masked on read (password) or computed by the site (pivot columns).
SKIPPED_TYPES = frozenset(("password", "pivot_column"))
#: Data types that hold uploaded files or thumbnails: copied as files with ``--files`` only.
FILE_TYPES = frozenset(("image", "url"))
#: Entity types whose records name people: every text field of theirs is replaced by ``--anonymise``.
PEOPLE = frozenset(("HumanUser", "ClientUser"))
#: Types whose display field is free text too (``--anonymise`` replaces it).
PROSE_TYPES = frozenset(("Note", "Reply", "Ticket"))

Link = Dict[str, Any]


def fake(kind: str, value: Any) -> str:
    """A stable stand-in for ``value``: the same input gives the same fake on every run and every site."""
    digest = hashlib.sha256(("%s\0%s" % (kind, value)).encode("utf-8")).hexdigest()[:10]
    return "%s %s" % (kind, digest)


def person_fakes(entity_id: Any) -> Dict[str, str]:
    """The fields of an anonymised person, from its (source) id alone so links can name it the same way."""
    tag = fake("person", entity_id).split()[1]
    login = "user.%s" % tag
    return {"firstname": "User", "lastname": tag, "name": "User %s" % tag, "login": login,
            "email": "%s@example.invalid" % login}


def utc(value: Any) -> Any:
    """A datetime as an aware UTC datetime (a naive one is taken as local time, as the client answers)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc)
    return value


class ValueMapper:
    """Maps one source record's fields to target values, for a given copy plan.

    ``target_id(type, id)`` answers the target id of a copied record or
    ``None``; ``link_name(link)`` the name of a link whose record is not
    copied; ``links`` is ``"keep"`` or ``"drop"``; ``files`` a ``FileCopier``
    (``import --files``) or None (the source's file fields are left empty).
    """

    def __init__(self, schema: Mapping[str, Any], target_id: Callable[[str, Any], Optional[int]],
                 link_name: Callable[[Link], Optional[str]], links: str = "keep", files: Any = None,
                 anonymise: bool = False, rows_are_stored: bool = False,
                 display_field: Callable[[str], Optional[str]] = lambda entity_type: None) -> None:
        self.schema = schema
        self.target_id = target_id
        self.link_name = link_name
        self.links = links
        self.files = files
        self.anonymise = anonymise
        self.rows_are_stored = rows_are_stored
        self.display_field = display_field
        self._types: Dict[str, Dict[str, str]] = {}

    def field_types(self, entity_type: str) -> Dict[str, str]:
        """``{field: data type}`` of the fields copied for a type."""
        types = self._types.get(entity_type)
        if types is None:
            types = self._types[entity_type] = {
                name: ((info or {}).get("data_type") or {}).get("value")
                for name, info in (self.schema.get(entity_type) or {}).items()
                if ((info or {}).get("data_type") or {}).get("value") not in SKIPPED_TYPES and name != "id"}
        return types

    def values(self, entity_type: str, record: Mapping[str, Any], fields: Optional[Set[str]] = None) -> Dict[str, Any]:
        """The target values of ``record`` (only ``fields`` when given)."""
        types = self.field_types(entity_type)
        values: Dict[str, Any] = {}
        for name, value in record.items():
            data_type = types.get(name)
            if data_type is None or (fields is not None and name not in fields):
                continue
            if data_type == "image" and self.files is not None and not self.rows_are_stored:
                values[name] = self.files.thumbnail(value, (entity_type, record.get("id"), name))
                continue
            values[name] = self.value(data_type, value)
        if self.anonymise:
            self._anonymise(entity_type, record.get("id"), values, types)
        return values

    def value(self, data_type: str, value: Any) -> Any:
        if data_type == "entity":
            return self.link(value) if isinstance(value, dict) else None
        if data_type == "multi_entity":
            mapped = (self.link(link) for link in value or () if isinstance(link, dict))
            return [link for link in mapped if link is not None]
        if data_type == "date_time":
            return utc(value)
        if data_type in FILE_TYPES and not self.rows_are_stored:
            # A thumbnail or an uploaded file of the source site: its URL points there.
            if data_type == "image":
                return None  # (with files, values() copies thumbnails: it knows whose they are)
            if isinstance(value, dict) and value.get("link_type") == "upload":
                return self.files.upload_link(value) if self.files is not None else None
        return value

    def link(self, link: Link) -> Optional[Link]:
        entity_type, entity_id = link.get("type"), link.get("id")
        mapped = self.target_id(entity_type, entity_id)
        if mapped is not None:
            return {"type": entity_type, "id": mapped}
        if self.links == "drop":
            return None
        kept: Link = {"type": entity_type, "id": entity_id}
        name = link["name"] if "name" in link else self.link_name(link)
        if self.anonymise and entity_type in PEOPLE:
            name = person_fakes(entity_id)["name"]
        elif self.anonymise and entity_type in PROSE_TYPES and name is not None:
            name = fake("text", name)
        if name is not None:
            kept["name"] = name
        return kept

    def _anonymise(self, entity_type: str, source_id: Any, values: Dict[str, Any],
                   types: Mapping[str, str]) -> None:
        person = entity_type in PEOPLE
        keep = None if person or entity_type in PROSE_TYPES else self.display_field(entity_type)
        people = person_fakes(source_id) if person else {}
        for name, data_type in types.items():
            value = values.get(name)
            if name in people and name in values:
                values[name] = people[name]
            elif data_type == "text" and name != keep and name != "cached_display_name" and value:
                values[name] = fake("text", value)
        if "cached_display_name" in values and values["cached_display_name"] is not None:
            shown = people.get("name") if person else (values.get(keep) if keep else None)
            values["cached_display_name"] = shown if shown is not None else fake("text", values["cached_display_name"])


def link_key(link: Any) -> Optional[Tuple[str, Any]]:
    if isinstance(link, dict) and "type" in link and "id" in link:
        return link["type"], link["id"]
    return None
