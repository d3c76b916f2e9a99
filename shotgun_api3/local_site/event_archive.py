"""Archive old event log rows out of a site folder (``shotgun-local-site compact-events``).

Every write adds ``EventLogEntry`` rows; on a large site they are most of
the database. This keeps the newest ``keep`` of them in the site and moves
the older ones to a gzip file of JSON lines in the site folder
(``event_archive/events-<first id>-<last id>.jsonl.gz``, one stored row per
line, in the store's tagged JSON: ``SqliteStore`` ``loads`` reads a line
back). Event daemons read ``EventLogEntry`` rows with ids above the last one
they processed, in id order; the newest rows, which they have not read yet,
stay, ids are never reused (the next id stays above every id the site
ever had, as the kept rows are the highest), and a daemon that fell further
behind than ``keep`` finds the rest in the archive.

The archive is written and synced to disk before any row is deleted, and the
rows are deleted in one transaction: a crash in between leaves the rows in
the site (a second run archives them again), never lost. Run it while the
site is not served (the command takes the folder's lock).
"""
from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path
from typing import Dict

from .._engine.store.sqlite_store import SqliteStore

LOG = logging.getLogger("shotgun_api3")

EVENT_TYPE = "EventLogEntry"
ARCHIVE_DIR = "event_archive"
#: Event rows a site keeps by default (about a day of a busy studio's writes).
DEFAULT_KEEP = 100_000


def archive_events(store: SqliteStore, folder: Path, keep: int = DEFAULT_KEEP,
                   reclaim: bool = True) -> Dict[str, object]:
    """Move the event rows beyond the newest ``keep`` to an archive file in ``folder``; answer what was done.

    ``{"archived": n, "first_id": a, "last_id": b, "file": path}`` (``n`` 0 and no file when
    nothing is old enough). ``reclaim`` gives the freed space back to the file system (VACUUM).
    """
    if keep < 1:
        # Ids are never reused, and the next one is one above the highest stored: the newest stays.
        raise ValueError("keep must be 1 or more")
    last_id = store.oldest_ids_beyond(EVENT_TYPE, keep)
    if last_id is None:
        return {"archived": 0, "first_id": None, "last_id": None, "file": None}
    directory = folder / ARCHIVE_DIR
    directory.mkdir(mode=0o700, exist_ok=True)
    partial = directory / ".archiving.jsonl.gz"
    first_id = None
    count = 0
    # Private like the database (0600): event rows hold the site's data.
    with os.fdopen(os.open(str(partial), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb") as archive:
            for entity_id, text in store.stored_rows(EVENT_TYPE, last_id):
                if first_id is None:
                    first_id = entity_id
                archive.write(text.encode("utf-8") + b"\n")
                count += 1
        raw.flush()
        os.fsync(raw.fileno())
    target = directory / ("events-%d-%d.jsonl.gz" % (first_id, last_id))
    if target.exists():  # archived before, then the site crashed before the delete: keep both copies
        target = directory / ("events-%d-%d.%d.jsonl.gz" % (first_id, last_id, os.getpid()))
    os.replace(partial, target)
    _sync_directory(directory)
    deleted = store.delete_up_to(EVENT_TYPE, last_id)
    if deleted != count:
        LOG.warning("event archive: %d rows written, %d deleted (the site changed meanwhile?)", count, deleted)
    if reclaim:
        store.reclaim_space()
    return {"archived": count, "first_id": first_id, "last_id": last_id, "file": target}


def _sync_directory(directory: Path) -> None:
    try:
        handle = os.open(str(directory), os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(handle)
