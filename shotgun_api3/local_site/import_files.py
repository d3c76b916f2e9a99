"""``import --files``: the uploaded files and thumbnails of copied records, streamed into the site's file store.

A file belongs to an Attachment record at the source. When a copied record
names one (an upload link in a ``url`` field, an Attachment's own
``this_file``, or a thumbnail URL of a local site, ``/thumbnail/<id>/...``),
that Attachment is copied too, at a fixed id (its source id plus the
Attachment offset), and its bytes are downloaded with the client, streamed
to disk, into a stored file whose name is derived from the source and the
Attachment id. A repeated or resumed import therefore finds the file already
there and downloads nothing twice. Files above the size cap are left out
(their fields empty) and counted.

Thumbnails of a hosted site are signed storage URLs that name no Attachment:
they are not copied (the field stays empty) and are counted as such.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from typing import Any, Dict, Optional, Set, Tuple

LOG = logging.getLogger("shotgun_api3")

_LOCAL_THUMBNAIL = re.compile(r"/thumbnail/(\d+)/[A-Za-z0-9][A-Za-z0-9_.-]*$")

Row = Dict[str, Any]


class FileCopier:
    """Copies the files a page of records names; ``complete`` adds their Attachments to the page's changes."""

    def __init__(self, site: Any, source: Any, offset: int, max_bytes: Optional[int]) -> None:
        self.site = site
        self.source = source
        self.offset = offset
        self.max_bytes = max_bytes
        self.pending: Set[int] = set()
        self.refused: Set[int] = set()
        self.counts = {"files": 0, "bytes": 0, "over_cap": 0, "thumbnails_not_copied": 0, "missing": 0}
        self._base = site.url.rstrip("/")

    def stored_name(self, source_id: int) -> str:
        """The stored name of a source Attachment's bytes: the same on every run."""
        digest = hashlib.sha256(("%s\0%d" % (self.source.describe(), source_id)).encode("utf-8")).hexdigest()
        return "import-%s" % digest[:40]

    def target_id(self, source_id: int) -> int:
        return source_id + self.offset

    # -- values, while a record is mapped ------------------------------------------------
    def upload_link(self, value: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The target upload link of a source one, scheduling its Attachment; None when it names none."""
        source_id = value.get("id")
        if not isinstance(source_id, int) or source_id in self.refused:
            return None
        self.pending.add(source_id)
        target = self.target_id(source_id)
        return {"content_type": value.get("content_type"), "link_type": "upload", "name": value.get("name"),
                "type": "Attachment", "id": target, "url": "%s/file_serve/attachment/%d" % (self._base, target)}

    def thumbnail(self, url: Any) -> Optional[str]:
        """The target thumbnail URL of a source one (a local site's); None for any other."""
        match = _LOCAL_THUMBNAIL.search(url) if isinstance(url, str) else None
        if match is None:
            if url:
                self.counts["thumbnails_not_copied"] += 1
            return None
        source_id = int(match.group(1))
        if source_id in self.refused:
            return None
        self.pending.add(source_id)
        return "%s/thumbnail/%d/%s" % (self._base, self.target_id(source_id), self.stored_name(source_id))

    # -- after a page is mapped ---------------------------------------------------------------
    def complete(self, changes: Dict[Tuple[str, int], Row], mapper: Any, new_row: Any) -> None:
        """Make sure every scheduled Attachment has its row (in ``changes`` or the site) and its bytes."""
        table = self.site.engine.tables.setdefault("Attachment", {})
        pending, self.pending = sorted(self.pending), set()
        for source_id in pending:
            target = self.target_id(source_id)
            key = ("Attachment", target)
            row = changes.get(key) or table.get(target)
            name = self.stored_name(source_id)
            if row is not None and row.get("__stored_file") == name and self.site.file_store.exists(name):
                continue
            if row is None:
                found = list(self.source.fetch("Attachment", [source_id], list(mapper.field_types("Attachment"))))
                if not found:
                    self.counts["missing"] += 1
                    _forget(changes, target)
                    continue
                row = new_row("Attachment", target)
                row.update(mapper.values("Attachment", found[0]))
                row["__retired"] = False
            else:
                row = dict(row)
            if not self._download(source_id, row, name):
                _forget(changes, target)  # the Attachment record is copied (if selected) without its file
                continue
            row["__stored_file"] = name
            changes[key] = row

    def _download(self, source_id: int, row: Row, name: str) -> bool:
        size = row.get("file_size")
        if self.max_bytes is not None and isinstance(size, int) and size > self.max_bytes:
            self.counts["over_cap"] += 1
            self.refused.add(source_id)
            return False
        store = self.site.file_store
        partial = store.path(name + ".part")
        try:
            self.source.sg.download_attachment({"type": "Attachment", "id": source_id}, file_path=str(partial))
        except Exception as error:  # the file is gone at the source, or not ours to read
            LOG.warning("import: the file of Attachment %d could not be copied: %s", source_id, error)
            self.counts["missing"] += 1
            return False
        length = os.path.getsize(partial)
        if self.max_bytes is not None and length > self.max_bytes:
            os.remove(partial)
            self.counts["over_cap"] += 1
            self.refused.add(source_id)
            return False
        os.replace(partial, store.path(name))
        self.counts["files"] += 1
        self.counts["bytes"] += length
        return True


def _forget(changes: Dict[Tuple[str, int], Row], attachment_id: int) -> None:
    """Empty the fields of the page's rows that name an Attachment that was not copied."""
    thumbnail = "/thumbnail/%d/" % attachment_id
    for row in changes.values():
        for field, value in row.items():
            if isinstance(value, dict) and value.get("link_type") == "upload" and value.get("id") == attachment_id:
                row[field] = None
            elif isinstance(value, str) and thumbnail in value:
                row[field] = None
