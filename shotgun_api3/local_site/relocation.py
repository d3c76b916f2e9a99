"""File links that follow the site to a new address (another port, another ``--public-url``).

Uploaded files, thumbnails and attachments are stored as absolute URLs on
this site, the way a hosted site hands them out. When a site folder is served
at another address, the links made under the old one would point nowhere;
:func:`relocate_file_urls` rewrites them to the new address before the site
answers its first request.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

#: Field types whose values are file links made by the site (url: a dict with
#: a ``url``; image: a URL string).
FILE_LINK_TYPES = ("url", "image")

Row = Dict[str, Any]
Key = Tuple[str, int]


def relocate_file_urls(engine: Any, old_url: str, new_url: str) -> Dict[Key, Tuple[Row, Dict[str, Any]]]:
    """Point the file links under ``old_url`` at ``new_url``, in the engine's rows.

    Returns ``{(type, id): (row, {field: value before})}`` for the rows it
    changed, so the caller can persist them or put the old values back.
    Text and other fields that happen to hold the old address are left alone.
    """
    old_prefix = old_url.rstrip("/") + "/"
    new_prefix = new_url.rstrip("/") + "/"
    changed: Dict[Key, Tuple[Row, Dict[str, Any]]] = {}
    for entity_type in engine.schema.entity_types():
        fields = [name for name, info in engine.schema.field_infos(entity_type).items()
                  if info.data_type in FILE_LINK_TYPES]
        if not fields:
            continue
        for row in (engine.tables.get(entity_type) or {}).values():
            for field in fields:
                moved = _moved(row.get(field), old_prefix, new_prefix)
                if moved is None:
                    continue
                key = (entity_type, row["id"])
                changed.setdefault(key, (row, {}))[1].setdefault(field, row.get(field))
                row[field] = moved
    return changed


def _moved(value: Any, old_prefix: str, new_prefix: str) -> Optional[Any]:
    """``value`` pointing under ``new_prefix``, or ``None`` when it is not a link under ``old_prefix``."""
    if isinstance(value, str):
        return new_prefix + value[len(old_prefix):] if value.startswith(old_prefix) else None
    if isinstance(value, dict):
        url = value.get("url")
        if isinstance(url, str) and url.startswith(old_prefix):
            return dict(value, url=new_prefix + url[len(old_prefix):])
    return None
