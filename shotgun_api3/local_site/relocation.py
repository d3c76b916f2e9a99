"""File links that follow the site to a new address (another port, another ``--public-url``).

The site hands out uploaded files and thumbnails as absolute URLs, the way a
hosted site does: ``<site>/file_serve/attachment/<id>`` in upload links and
``<site>/thumbnail/<id>/<name>`` in image fields. When a site folder is
served at another address, links made under an old one would point nowhere;
:func:`relocate_file_urls` moves them to the new address before the site
answers its first request. Only links the site made are moved (clients can
write neither upload links nor image fields), never web links or text.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

Row = Dict[str, Any]
Key = Tuple[str, int]

# What follows the site's address in the links it makes.
_ATTACHMENT_URL = re.compile(r"(?P<base>.+?)(?P<path>/file_serve/attachment/\d+)")
_THUMBNAIL_URL = re.compile(r"(?P<base>.+?)(?P<path>/thumbnail/\d+/[^/]+)")


def relocate_file_urls(engine: Any, site_url: str) -> Dict[Key, Tuple[Row, Dict[str, Any]]]:
    """Point every file link the site made under another address at ``site_url``, in the engine's rows.

    Returns ``{(type, id): (row, {field: value before})}`` for the rows it
    changed, so the caller can persist them or put the old values back.
    """
    base = site_url.rstrip("/")
    changed: Dict[Key, Tuple[Row, Dict[str, Any]]] = {}
    for entity_type in engine.schema.entity_types():
        fields = [(name, info.data_type) for name, info in engine.schema.field_infos(entity_type).items()
                  if info.data_type in ("url", "image")]
        if not fields:
            continue
        for row in (engine.tables.get(entity_type) or {}).values():
            for field, data_type in fields:
                value = row.get(field)
                moved = _moved_upload(value, base) if data_type == "url" else _moved_thumbnail(value, base)
                if moved is None:
                    continue
                key = (entity_type, row["id"])
                changed.setdefault(key, (row, {}))[1].setdefault(field, value)
                row[field] = moved
    return changed


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
