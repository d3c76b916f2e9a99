"""The write-ahead log is copied into the database beside the requests, not inside their commits."""
from __future__ import annotations

import threading
import time

from shotgun_api3._engine.store.sqlite_store import SqliteStore


def _checkpoint_threads():
    return [thread for thread in threading.enumerate() if thread.name == "shotgun_api3 WAL checkpoint"]


def _commit_rows(store, first, count):
    store.commit({("Shot", n): {"type": "Shot", "id": n, "code": "SH%05d" % n, "description": "x" * 400}
                  for n in range(first, first + count)}, None)


def test_commits_are_checkpointed_by_a_thread_of_the_store_and_closing_stops_it(tmp_path):
    before = len(_checkpoint_threads())
    path = tmp_path / "site.sqlite3"
    store = SqliteStore(path)
    empty_size = path.stat().st_size
    _commit_rows(store, 1, 500)  # far below the commit's own checkpoint (BACKSTOP_PAGES)
    deadline = time.monotonic() + 10
    while path.stat().st_size <= empty_size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size > empty_size, "the pages never reached the database file"
    assert len(_checkpoint_threads()) == before + 1
    _commit_rows(store, 501, 500)
    store.close()
    assert len(_checkpoint_threads()) == before
    again = SqliteStore(path)
    try:
        assert again.count("Shot") == 1000 and again.row("Shot", 1000)["code"] == "SH01000"
    finally:
        again.close()


def test_a_store_that_never_commits_or_lives_in_memory_starts_no_thread(tmp_path):
    before = len(_checkpoint_threads())
    in_memory = SqliteStore()
    _commit_rows(in_memory, 1, 10)
    on_disk = SqliteStore(tmp_path / "site.sqlite3")
    assert len(_checkpoint_threads()) == before
    in_memory.close()
    on_disk.close()
