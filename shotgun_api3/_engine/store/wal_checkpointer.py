"""Copying the write-ahead log back into the database on a thread of its own.

In WAL mode every commit appends pages to the ``-wal`` file, and a
*checkpoint* copies them into the database file (and syncs it) so the log can
start over. SQLite runs one inside the ``COMMIT`` that takes the log past
``wal_autocheckpoint`` pages: seeding a site spent about 6 % of its time
there, while the request waited. A :class:`WalCheckpointer` does that work on
a thread with its own connection instead; SQLite releases Python's lock while
it copies, so it runs beside the next request. A ``PASSIVE`` checkpoint never
blocks the writer or a reader (it copies what no reader still needs).

The store keeps SQLite's own automatic checkpoint too, at a larger size
(:data:`BACKSTOP_PAGES`), so the log stays bounded should this thread fall
behind.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Optional

LOG = logging.getLogger("shotgun_api3")

#: The writer's own automatic checkpoint, in pages (16 KB each: 256 MB), kept as a bound.
BACKSTOP_PAGES = 16_384
#: Seconds between two checkpoints at least: the commits meanwhile share the next one.
INTERVAL_SECONDS = 0.25


class WalCheckpointer:
    """Checkpoint the database at ``path`` after commits, on a daemon thread started on first use."""

    def __init__(self, path: Path, synchronous: str) -> None:
        self._path = path
        self._synchronous = synchronous
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._stopping = False
        self._thread: Optional[threading.Thread] = None
        self._start_lock = threading.Lock()

    def committed(self) -> None:
        """A commit appended to the log: checkpoint soon (commits meanwhile share one checkpoint)."""
        if self._thread is None:
            with self._start_lock:
                if self._thread is None and not self._stopping:
                    self._thread = threading.Thread(target=self._run, name="shotgun_api3 WAL checkpoint",
                                                    daemon=True)
                    self._thread.start()
        self._wanted.set()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(str(self._path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            LOG.warning("local site: no checkpoint thread (%s); SQLite checkpoints in the commits", error)
            return
        try:
            db.execute("PRAGMA synchronous=%s" % self._synchronous)
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._stopping:
                    return
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:  # a full disk, say: the writer's own checkpoint still bounds the log
                    LOG.warning("local site: checkpoint failed: %s", error)
                if self._stopped.wait(INTERVAL_SECONDS):
                    return
        finally:
            db.close()

    def close(self) -> None:
        """Stop the thread (it finishes a checkpoint it started); the store then closes its own connection."""
        with self._start_lock:
            self._stopping = True
            thread = self._thread
        self._stopped.set()
        self._wanted.set()
        if thread is not None:
            thread.join()
