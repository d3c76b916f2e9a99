"""Where ``import`` reads from: a site over HTTP (our client) or a fixture file (mockgun over it).

Both answer the same few questions: the schema, the ids a selection holds
(live or retired, paged by id so memory stays flat), and the records of a
page of ids. No source keeps or shows credentials: :meth:`describe` names
the site by URL or file only.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Sequence
from urllib.parse import urlsplit, urlunsplit

#: Ids asked for per ``find`` while a selection is listed.
ID_PAGE = 5000


class SourceError(Exception):
    """The source cannot be read as asked."""


class ClientSource:
    """A site the client reaches: hosted, or another local site (``Shotgun`` instance given)."""

    rows_are_stored = False

    def __init__(self, sg: Any, url: str) -> None:
        self.sg = sg
        self.url = url
        self._schema: Optional[Dict[str, Any]] = None

    def describe(self) -> str:
        """The URL without any user or password written into it (the journal and the report show it)."""
        parts = urlsplit(self.url)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))

    def schema_dicts(self) -> Dict[str, Any]:
        if self._schema is None:
            self._schema = {"schema": self.sg.schema_read(), "schema_entity": self.sg.schema_entity_read(),
                            "visibility": {}}
        return self._schema

    def select_ids(self, entity_type: str, filters: Sequence[Any], retired: bool = False) -> List[int]:
        """Every id the filters select, ascending, read a page of ids at a time (keyset paging)."""
        ids: List[int] = []
        last = 0
        order = [{"field_name": "id", "direction": "asc"}]
        while True:
            page = self.sg.find(entity_type, list(filters) + [["id", "greater_than", last]], ["id"], order=order,
                                limit=ID_PAGE, retired_only=retired)
            ids.extend(record["id"] for record in page)
            if len(page) < ID_PAGE:
                return ids
            last = page[-1]["id"]

    def project_visibility(self, project_id: int) -> Dict[str, Dict[str, bool]]:
        """``{type: {field: False}}``: the fields the project hides (from ``schema_read`` for the project)."""
        answer = self.sg.schema_read(project_entity={"type": "Project", "id": project_id})
        hidden: Dict[str, Dict[str, bool]] = {}
        for entity_type, fields in answer.items():
            for field, definition in fields.items():
                if ((definition or {}).get("visible") or {}).get("value") is False:
                    hidden.setdefault(entity_type, {})[field] = False
        return hidden

    def last_id(self, entity_type: str) -> int:
        """The largest id of the type at the source, retired records included (0 for none)."""
        order = [{"field_name": "id", "direction": "desc"}]
        last = 0
        for retired in (False, True):
            found = self.sg.find(entity_type, [], ["id"], order=order, limit=1, retired_only=retired)
            last = max([last] + [record["id"] for record in found])
        return last

    def fetch(self, entity_type: str, ids: Sequence[int], fields: Sequence[str],
              retired: bool = False) -> Iterator[Dict[str, Any]]:
        """The records of ``ids`` with ``fields``, by id."""
        records = self.sg.find(entity_type, [["id", "in", list(ids)]], list(fields),
                               order=[{"field_name": "id", "direction": "asc"}], retired_only=retired)
        return iter(records)

    def link_name(self, link: Dict[str, Any]) -> Optional[str]:
        return link.get("name")

    def close(self) -> None:
        self.sg.close()


class FixtureSource:
    """A fixture file, read into a mockgun that answers as a site; records come as the stored rows."""

    rows_are_stored = True

    def __init__(self, path: str) -> None:
        from ..lib.mockgun import Shotgun as Mockgun
        from ..lib.site_fixture import FixtureError, read_fixture

        try:
            self.fixture = read_fixture(path)
        except FixtureError as error:
            raise SourceError(str(error)) from None
        self.path = path
        self.sg = Mockgun.from_fixture(self.fixture)
        self.sg.site_semantics = True
        self.fixture.records = {}  # the rows live in the mockgun now; keep one copy only

    def describe(self) -> str:
        return os.path.abspath(self.path)

    def schema_dicts(self) -> Dict[str, Any]:
        return self.fixture.schema_dicts()

    def project_visibility(self, project_id: int) -> Dict[str, Dict[str, bool]]:
        return self.fixture.visibility.get(str(project_id)) or {}

    def select_ids(self, entity_type: str, filters: Sequence[Any], retired: bool = False) -> List[int]:
        table = self.sg._db.get(entity_type) or {}
        if not filters:
            return sorted(entity_id for entity_id, row in table.items() if bool(row.get("__retired")) == retired)
        found = self.sg.find(entity_type, list(filters), ["id"], retired_only=retired)
        return sorted(record["id"] for record in found)

    def fetch(self, entity_type: str, ids: Sequence[int], fields: Sequence[str],
              retired: bool = False) -> Iterator[Dict[str, Any]]:
        table = self.sg._db.get(entity_type) or {}
        for entity_id in ids:
            row = table.get(entity_id)
            if row is not None:
                yield row

    def link_name(self, link: Dict[str, Any]) -> Optional[str]:
        present = self.sg._engine.present_link(link)
        return present.get("name") if present else link.get("name")

    def close(self) -> None:
        self.sg.close()


def open_source(source: str, credentials: Dict[str, Any]) -> Any:
    """A :class:`FixtureSource` for a file, a :class:`ClientSource` for an ``http(s)://`` URL."""
    if source.startswith(("http://", "https://")):
        import shotgun_api3

        try:
            sg = shotgun_api3.Shotgun(source, **credentials)
            sg.connect()
        except Exception as error:
            raise SourceError("cannot connect to %s: %s" % (source, error)) from None
        return ClientSource(sg, source)
    if not os.path.exists(source):
        raise SourceError("%s is neither a site URL (http:// or https://) nor a fixture file" % source)
    return FixtureSource(source)
