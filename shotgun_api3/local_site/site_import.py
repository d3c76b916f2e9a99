"""Copying a schema and records from a source (a site or a fixture) into a local site.

:class:`SiteImporter` is what ``shotgun-local-site import`` runs
(docs/local_site.rst, Bringing a site home). It merges the source's schema
into the site's, lists the ids each selected type holds, then copies them a
page at a time: each page is one store transaction at fixed target ids and
is noted in the import journal (``import_journal``) after it commits, so an
interrupted import resumes where it stopped and a repeated one rewrites the
same rows (unchanged rows are not written at all).

Ids: a type whose selected ids are all free in the site keeps them; else
every id of that type moves up by the largest id the site had for it (the
offset, reported and kept in the journal so later runs reuse it).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from .import_files import FileCopier
from .import_journal import ImportJournal
from .import_values import ValueMapper

LOG = logging.getLogger("shotgun_api3")

#: Records read and committed per page.
PAGE_SIZE = 500

Progress = Callable[[str, int, int], None]


class ImportRefused(Exception):
    """The import cannot run as asked (an unknown type or project, a bad filter)."""


class ImportOptions:
    """What to copy: ``project`` (name or id), ``types``, ``filters`` (a find filter list), ``fields``,
    ``links`` (``"keep"``/``"drop"``), ``retired``, ``anonymise``, ``files`` (with ``max_file_mb``)."""

    def __init__(self, project: Optional[str] = None, types: Sequence[str] = (), filters: Sequence[Any] = (),
                 fields: Sequence[str] = (), links: str = "keep", retired: bool = False,
                 anonymise: bool = False, files: bool = False, max_file_mb: Optional[float] = None) -> None:
        if links not in ("keep", "drop"):
            raise ImportRefused("--links is keep or drop, not %r" % links)
        self.project = project
        self.types = list(types)
        self.filters = list(filters)
        self.fields = list(fields)
        self.links = links
        self.retired = retired
        self.anonymise = anonymise
        self.files = files
        self.max_file_mb = max_file_mb

    def key(self, source: str) -> str:
        """What names one import in the journal: the source and the options."""
        return json.dumps({"source": source, "project": self.project, "types": sorted(self.types),
                           "filters": self.filters, "fields": sorted(self.fields), "links": self.links,
                           "retired": self.retired, "anonymise": self.anonymise, "files": self.files,
                           "max_file_mb": self.max_file_mb}, sort_keys=True)


class ImportReport:
    """What an import did: schema changes, and per type the selected, new, updated and unchanged records."""

    def __init__(self) -> None:
        self.schema_changes = 0
        self.types: Dict[str, Dict[str, int]] = {}
        self.offsets: Dict[str, int] = {}
        self.files: Dict[str, int] = {}
        self.resumed = False

    def count(self, key: str) -> int:
        return sum(counts[key] for counts in self.types.values())

    def as_dict(self) -> Dict[str, Any]:
        return {"schema_changes": self.schema_changes, "types": self.types, "offsets": self.offsets,
                "files": self.files, "resumed": self.resumed}


def merge_schema(engine: Any, source: Dict[str, Any]) -> Tuple[Dict[str, Any], int]:
    """The site's schema dicts with the source's types and field definitions over them; and how many changed.

    Per-project visibility is copied with the projects (:meth:`SiteImporter._copy_visibility`).
    """
    merged = engine.schema.to_dicts()
    changed = 0
    for key in ("schema", "schema_entity"):
        for entity_type, definition in (source.get(key) or {}).items():
            if key == "schema":
                fields = merged[key].setdefault(entity_type, {})
                for name, field in definition.items():
                    if fields.get(name) != field:
                        fields[name] = field
                        changed += 1
            elif merged[key].get(entity_type) != definition:
                merged[key][entity_type] = definition
                changed += 1
    return merged, changed


class SiteImporter:
    """One import of ``source`` into ``site`` (opened by the caller, under the folder's lock)."""

    def __init__(self, site: Any, source: Any, options: ImportOptions, progress: Optional[Progress] = None,
                 after_page: Optional[Callable[[str, int], None]] = None) -> None:
        self.site = site
        self.engine = site.engine
        self.source = source
        self.options = options
        self.progress = progress or (lambda entity_type, done, total: None)
        self.after_page = after_page
        self.journal = ImportJournal(site.folder)
        self.report = ImportReport()
        self._selected: Dict[str, Set[int]] = {}
        self._offsets: Dict[str, int] = {}
        self._files: Optional[FileCopier] = None

    # -- the plan -----------------------------------------------------------------
    def _project_id(self, schema: Dict[str, Any]) -> Optional[int]:
        project = self.options.project
        if project is None:
            return None
        if "Project" not in schema:
            raise ImportRefused("the source has no Project entity type")
        if str(project).isdigit():
            return int(project)
        ids = self.source.select_ids("Project", [["name", "is", project]])
        if not ids:
            raise ImportRefused("the source has no project named %r" % project)
        if len(ids) > 1:
            raise ImportRefused("the source has %d projects named %r; give its id instead" % (len(ids), project))
        return ids[0]

    def _types(self, schema: Dict[str, Any], project_id: Optional[int]) -> List[str]:
        for entity_type in self.options.types:
            if entity_type not in schema:
                raise ImportRefused("the source has no entity type %r" % entity_type)
        if self.options.types:
            return sorted(self.options.types)
        if project_id is not None:
            return sorted(entity_type for entity_type, fields in schema.items()
                          if entity_type == "Project" or _links_to_project(fields))
        return sorted(schema)

    def _filters(self, entity_type: str, schema: Dict[str, Any], project_id: Optional[int]) -> List[Any]:
        filters = list(self.options.filters)
        if project_id is not None:
            if entity_type == "Project":
                filters.append(["id", "is", project_id])
            elif _links_to_project(schema.get(entity_type) or {}):
                filters.append(["project", "is", {"type": "Project", "id": project_id}])
        return filters

    def target_id(self, entity_type: str, entity_id: Any) -> Optional[int]:
        """The site id of a copied source record, ``None`` for a record not copied."""
        selected = self._selected.get(entity_type)
        if selected is None or entity_id not in selected:
            return None
        return entity_id + self._offsets.get(entity_type, 0)

    def _offset(self, entity_type: str, ids: Set[int]) -> int:
        table = self.engine.tables.get(entity_type) or {}
        if not table or ids.isdisjoint(table):
            return 0
        return max(table)

    # -- the run ----------------------------------------------------------------------
    def run(self) -> ImportReport:
        source_schema = self.source.schema_dicts()
        self._merge_schema(source_schema)
        schema = source_schema["schema"]
        project_id = self._project_id(schema)
        types = self._types(schema, project_id)
        pages: Dict[str, Tuple[List[int], List[int]]] = {}
        for entity_type in types:
            filters = self._filters(entity_type, schema, project_id)
            live = self.source.select_ids(entity_type, filters)
            retired = self.source.select_ids(entity_type, filters, retired=True) if self.options.retired else []
            pages[entity_type] = (live, retired)
            self._selected[entity_type] = set(live) | set(retired)
        key = self.options.key(self.source.describe())
        last = self.journal.last_run(key)
        done: Dict[str, int] = {}
        if last is not None:
            self._offsets = {name: int(value) for name, value in last["offsets"].items()}
            if not last["finished"]:
                done = dict(last["done"])
                self.report.resumed = True
        copy_files = self.options.files and not self.source.rows_are_stored  # a fixture holds no files
        if copy_files and "Attachment" not in self._offsets:
            # Attachments also come on demand (the files copied records name): ids move unless the site has none.
            self._offsets["Attachment"] = max(self.engine.tables.get("Attachment") or {0: None})
        for entity_type in types:
            if entity_type not in self._offsets:
                self._offsets[entity_type] = self._offset(entity_type, self._selected[entity_type])
        if copy_files:
            cap = None if self.options.max_file_mb is None else int(self.options.max_file_mb * 1024 * 1024)
            self._files = FileCopier(self.site, self.source, self._offsets["Attachment"], cap)
        if last is None or last["finished"]:
            self.journal.write({"event": "start", "key": key, "source": self.source.describe(),
                                "offsets": self._offsets})
        self.report.offsets = {name: value for name, value in self._offsets.items() if value}
        self._copy_visibility(sorted(self._selected.get("Project") or ()))
        mapper = ValueMapper(schema, self.target_id, self.source.link_name, links=self.options.links,
                             files=self._files, anonymise=self.options.anonymise, rows_are_stored=self.source.rows_are_stored,
                             display_field=self.engine.schema.display_field)
        for entity_type in types:
            live, retired = pages[entity_type]
            self._copy_type(key, entity_type, live, retired, done.get(entity_type, 0), mapper)
        if self._files is not None:
            self.report.files = dict(self._files.counts)
        self.journal.write({"event": "done", "key": key, "report": self.report.as_dict()})
        return self.report

    def _merge_schema(self, source_schema: Dict[str, Any]) -> None:
        merged, changed = merge_schema(self.engine, source_schema)
        if changed:
            self.site.store.commit({}, merged)
            self.engine.restore_schema(merged)
            self.engine.schema_changed()
        self.report.schema_changes = changed

    def _copy_visibility(self, project_ids: List[int]) -> None:
        """The fields each copied project hides at the source, hidden in its copy too."""
        visibility = self.engine.schema.visibility
        changed = 0
        for project_id in project_ids:
            key = str(self.target_id("Project", project_id))
            hidden = self.source.project_visibility(project_id)
            if (visibility.get(key) or {}) != hidden:
                if hidden:
                    visibility[key] = hidden
                else:
                    visibility.pop(key, None)
                changed += 1
        if changed:
            self.site.store.commit({}, self.engine.schema.to_dicts())
            self.report.schema_changes += changed

    def _copy_type(self, key: str, entity_type: str, live: List[int], retired: List[int], start: int,
                   mapper: ValueMapper) -> None:
        counts = self.report.types[entity_type] = {"selected": len(live) + len(retired), "new": 0, "updated": 0,
                                                   "unchanged": 0, "skipped": start}
        fields = set(self.options.fields) if self.options.fields else None
        wanted = [name for name in mapper.field_types(entity_type) if fields is None or name in fields]
        total = len(live) + len(retired)
        self.progress(entity_type, start, total)
        position = start
        while position < total:
            is_retired = position >= len(live)
            ids = retired[position - len(live):][:PAGE_SIZE] if is_retired else live[position:position + PAGE_SIZE]
            self._copy_page(entity_type, ids, wanted, fields, is_retired, mapper, counts)
            position += len(ids)
            self.journal.write({"event": "page", "key": key, "type": entity_type, "done": position})
            self.progress(entity_type, position, total)
            if self.after_page is not None:
                self.after_page(entity_type, position)

    def _copy_page(self, entity_type: str, ids: List[int], wanted: List[str], fields: Optional[Set[str]],
                   is_retired: bool, mapper: ValueMapper, counts: Dict[str, int]) -> None:
        table = self.engine.tables.setdefault(entity_type, {})
        offset = self._offsets.get(entity_type, 0)
        changes: Dict[Tuple[str, int], Dict[str, Any]] = {}
        for record in self.source.fetch(entity_type, ids, wanted, retired=is_retired):
            target_id = record["id"] + offset
            existing = table.get(target_id)
            row = dict(existing) if existing is not None and fields is not None else \
                self.engine.new_row(entity_type, target_id)
            row.update(mapper.values(entity_type, record, fields))
            row["__retired"] = is_retired
            if existing is not None and "__stored_file" in existing:
                row["__stored_file"] = existing["__stored_file"]  # a file copied by an earlier run
            if existing == row:
                counts["unchanged"] += 1
                continue
            counts["updated" if existing is not None else "new"] += 1
            changes[(entity_type, target_id)] = row
        if self._files is not None:
            self._files.complete(changes, mapper, self.engine.new_row)
            for key, row in list(changes.items()):
                existing = table.get(key[1])
                if key[0] == entity_type and existing == row:  # a file left out again: the row is as it was
                    del changes[key]
                    counts["updated"] -= 1
                    counts["unchanged"] += 1
        if changes:
            self.site.store.commit(changes, False)
            for (changed_type, target_id), row in changes.items():
                # (A page's changes may hold Attachment rows its files made: each goes to its own table.)
                self.engine.tables.setdefault(changed_type, {})[target_id] = row


def open_or_create_site(folder: Path, schema_dicts: Dict[str, Any]) -> Any:
    """The site in ``folder``; a new, empty one (no records, no script) with ``schema_dicts`` when there is none."""
    from .site import DATABASE_NAME, Site, _open_store, make_private

    if (folder / DATABASE_NAME).exists():
        return Site.open(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    return Site(_open_store(folder), folder, schema_dicts)


def _links_to_project(fields: Dict[str, Any]) -> bool:
    project = fields.get("project") or {}
    return (project.get("data_type") or {}).get("value") == "entity"
