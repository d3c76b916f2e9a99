"""File links that follow the site to a new address (another port, another ``--public-url``).

The site hands out uploaded files and thumbnails as absolute URLs, the way a
hosted site does: ``<site>/file_serve/attachment/<id>`` in upload links and
``<site>/thumbnail/<id>/<name>`` in image fields. When a site folder is
served at another address, links made under an old one would point nowhere;
:func:`relocate_file_urls` moves the ones in memory to the new address before
the site answers its first request, and :func:`file_link_mover` the others
as the store reads them. Only links the site made are moved (clients can
write neither upload links nor image fields), never web links or text.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

Row = Dict[str, Any]
Key = Tuple[str, int]

# What follows the site's address in the links it makes.
_ATTACHMENT_URL = re.compile(r"(?P<base>.+?)(?P<path>/file_serve/attachment/\d+)")
_THUMBNAIL_URL = re.compile(r"(?P<base>.+?)(?P<path>/thumbnail/\d+/[^/]+)")


def relocate_file_urls(engine: Any, site_url: str) -> Dict[Key, Tuple[Row, Dict[str, Any]]]:
    """Point every file link the site made under another address at ``site_url``, in the rows in memory.

    Returns ``{(type, id): (row, {field: value before})}`` for the rows it
    changed, so the caller can persist them or put the old values back.
    Rows a store-backed table has not read yet are moved as they are read
    (:func:`file_link_mover`), so opening a large site reads none of them.
    """
    base = site_url.rstrip("/")
    changed: Dict[Key, Tuple[Row, Dict[str, Any]]] = {}
    for entity_type, fields in file_link_fields(engine.schema).items():
        table = engine.tables.get(entity_type) or {}
        in_memory = getattr(table, "rows_in_memory", None)
        for row in (in_memory() if in_memory is not None else table.values()):
            before = move_file_links(row, fields, base)
            if before:
                changed[(entity_type, row["id"])] = (row, before)
    return changed


def file_link_fields(schema: Any) -> Dict[str, List[Tuple[str, str]]]:
    """``{entity_type: [(field, data_type)]}`` of the fields that may hold a link the site made."""
    found: Dict[str, List[Tuple[str, str]]] = {}
    for entity_type in schema.entity_types():
        fields = [(name, info.data_type) for name, info in schema.field_infos(entity_type).items()
                  if info.data_type in ("url", "image")]
        if fields:
            found[entity_type] = fields
    return found


def file_link_mover(schema: Any, site_url: str) -> Callable[[str, Row], None]:
    """A function that moves the file links of a row just read from the store to ``site_url`` (in place)."""
    base = site_url.rstrip("/")
    fields_of = file_link_fields(schema)

    def move(entity_type: str, row: Row) -> None:
        fields = fields_of.get(entity_type)
        if fields:
            move_file_links(row, fields, base)

    return move


def move_file_links(row: Row, fields: List[Tuple[str, str]], base: str) -> Dict[str, Any]:
    """Move the row's file links made under another address to ``base``; answer ``{field: value before}``."""
    before: Dict[str, Any] = {}
    for field, data_type in fields:
        value = row.get(field)
        if value is None:
            continue
        moved = _moved_upload(value, base) if data_type == "url" else _moved_thumbnail(value, base)
        if moved is not None:
            before[field] = value
            row[field] = moved
    return before


def _moved_upload(value: Any, base: str) -> Optional[Row]:
    """An upload link under another address, moved under ``base``; else ``None``."""
    if not isinstance(value, dict) or value.get("link_type") != "upload":
        return None
    url = _moved_url(_ATTACHMENT_URL, value.get("url"), base)
    return dict(value, url=url) if url is not None else None


def _moved_thumbnail(value: Any, base: str) -> Optional[str]:
    return _moved_url(_THUMBNAIL_URL, value, base)


def _moved_url(pattern: "re.Pattern[str]", url: Any, base: str) -> Optional[str]:
    if not isinstance(url, str):
        return None
    match = pattern.fullmatch(url)
    if match is None or match.group("base") == base:
        return None
    return base + match.group("path")
