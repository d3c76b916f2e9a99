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

A hosted site's thumbnails are signed storage URLs that name no Attachment.
Each gets a new Attachment in the site, at an id reserved above every id the
source's Attachments can take here, and the reservation (keyed by the record
and field, never by the URL, which changes) is kept in the site's state
before any row names it: a repeated import reuses it and downloads nothing.
A thumbnail still being processed at the source (its placeholder URL) is
not copied, and counted.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
from typing import Any, Dict, List, Optional, Set, Tuple
from urllib.parse import urlsplit

from .._engine.files.thumbnails import is_transient

LOG = logging.getLogger("shotgun_api3")

_LOCAL_THUMBNAIL = re.compile(r"/thumbnail/(\d+)/[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Site state key prefix of a hosted thumbnail's reserved ``[attachment id, stored name]``.
THUMBNAIL_STATE = "import_thumbnail:"

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
        self.hosted: Dict[str, List[Any]] = {
            key[len(THUMBNAIL_STATE):]: value for key, value in site.store.read_state().items()
            if key.startswith(THUMBNAIL_STATE)}
        self._reserved = {entry[0] for entry in self.hosted.values()}
        self._pending_hosted: Dict[str, str] = {}
        self._source_top: Optional[int] = None

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
        if not isinstance(source_id, int) or source_id in self.refused or not self._free(source_id):
            return None
        self.pending.add(source_id)
        target = self.target_id(source_id)
        return {"content_type": value.get("content_type"), "link_type": "upload", "name": value.get("name"),
                "type": "Attachment", "id": target, "url": "%s/file_serve/attachment/%d" % (self._base, target)}

    def thumbnail(self, url: Any, owner: Tuple[str, Any, str]) -> Optional[str]:
        """The target thumbnail URL of the source's ``url`` in ``owner`` (type, id, field), scheduling its bytes."""
        if not isinstance(url, str) or not url:
            return None
        match = _LOCAL_THUMBNAIL.search(urlsplit(url).path)
        if match is not None:  # a local site's: the thumbnail is an Attachment of the source
            source_id = int(match.group(1))
            if source_id in self.refused or not self._free(source_id):
                return None
            self.pending.add(source_id)
            return "%s/thumbnail/%d/%s" % (self._base, self.target_id(source_id), self.stored_name(source_id))
        if is_transient(url):
            self.counts["thumbnails_not_copied"] += 1
            return None
        digest = hashlib.sha256(("%s\0%s\0%s\0%s" % ((self.source.describe(),) + tuple(owner))).encode(
            "utf-8")).hexdigest()[:40]
        entry = self.hosted.get(digest)
        if entry is None:
            entry = self.hosted[digest] = [self._next_reserved_id(), "import-thumbnail-%s" % digest]
            self._reserved.add(entry[0])
            # Kept before any row names it: a crash after this leaves a reservation, never two Attachments.
            self.site.store.write_state(THUMBNAIL_STATE + digest, entry)
        if entry[0] in self.refused:
            return None
        self._pending_hosted[digest] = url
        return "%s/thumbnail/%d/%s" % (self._base, entry[0], entry[1])

    def _free(self, source_id: int) -> bool:
        """Whether a source Attachment's id here is not one reserved for a hosted thumbnail."""
        if self.target_id(source_id) not in self._reserved:
            return True
        LOG.warning("import: Attachment %d of the source lands on an id reserved for a thumbnail; not copied",
                    source_id)
        self.counts["missing"] += 1
        return False

    def _next_reserved_id(self) -> int:
        if self._source_top is None:
            self._source_top = self.source.last_id("Attachment") + self.offset
        table = self.site.engine.tables.get("Attachment") or {}
        return max([self._source_top, max(table, default=0)] + list(self._reserved)) + 1

    # -- after a page is mapped ---------------------------------------------------------------
    def complete(self, changes: Dict[Tuple[str, int], Row], mapper: Any, new_row: Any) -> None:
        """Make sure every scheduled Attachment has its row (in ``changes`` or the site) and its bytes."""
        table = self.site.engine.tables.setdefault("Attachment", {})
        self._complete_hosted(changes, table, new_row)
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

    def _complete_hosted(self, changes: Dict[Tuple[str, int], Row], table: Dict[int, Row], new_row: Any) -> None:
        pending, self._pending_hosted = self._pending_hosted, {}
        for digest, url in sorted(pending.items()):
            target, name = self.hosted[digest]
            row = changes.get(("Attachment", target)) or table.get(target)
            if row is not None and row.get("__stored_file") == name and self.site.file_store.exists(name):
                continue
            length = self._fetch({"url": url}, name, target, None)
            if length is None:
                _forget(changes, target)
                continue
            filename = os.path.basename(urlsplit(url).path) or "thumbnail"
            this_file = {"content_type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
                         "link_type": "upload", "name": filename, "type": "Attachment", "id": target,
                         "url": "%s/file_serve/attachment/%d" % (self._base, target)}
            row = new_row("Attachment", target)
            fields = self.site.engine.schema.field_infos("Attachment")
            row.update({field: value for field, value in (("this_file", this_file), ("filename", filename),
                                                          ("file_size", length)) if field in fields})
            row["__stored_file"] = name
            changes[("Attachment", target)] = row

    def _download(self, source_id: int, row: Row, name: str) -> bool:
        return self._fetch({"type": "Attachment", "id": source_id}, name, source_id, row.get("file_size")) is not None

    def _fetch(self, attachment: Dict[str, Any], name: str, refuse: int, size: Any) -> Optional[int]:
        """Stream a source file into the store as ``name``; its length, or None when left out."""
        if self.max_bytes is not None and isinstance(size, int) and size > self.max_bytes:
            self.counts["over_cap"] += 1
            self.refused.add(refuse)
            return None
        store = self.site.file_store
        partial = store.path(name + ".part")
        try:
            self.source.sg.download_attachment(attachment, file_path=str(partial))
        except Exception as error:  # the file is gone at the source, or not ours to read
            LOG.warning("import: a file could not be copied (%s): %s", attachment.get("id", "thumbnail"), error)
            self.counts["missing"] += 1
            return None
        length = os.path.getsize(partial)
        if self.max_bytes is not None and length > self.max_bytes:
            os.remove(partial)
            self.counts["over_cap"] += 1
            self.refused.add(refuse)
            return None
        os.replace(partial, store.path(name))
        self.counts["files"] += 1
        self.counts["bytes"] += length
        return length


def _forget(changes: Dict[Tuple[str, int], Row], attachment_id: int) -> None:
    """Empty the fields of the page's rows that name an Attachment that was not copied."""
    thumbnail = "/thumbnail/%d/" % attachment_id
    for row in changes.values():
        for field, value in row.items():
            if isinstance(value, dict) and value.get("link_type") == "upload" and value.get("id") == attachment_id:
                row[field] = None
            elif isinstance(value, str) and thumbnail in value:
                row[field] = None
