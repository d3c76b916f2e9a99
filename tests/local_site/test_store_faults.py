"""Faults of the site's store on purpose: a failing write, a full disk, a crash between the commit and the answer.

Each is driven through the client over HTTP against a site folder, then the
folder is reopened: what the client was told was written is there, what
failed left nothing behind (no row, no event), and the site keeps serving.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

import shotgun_api3
from shotgun_api3.local_site.site import Site
from shotgun_api3._engine.store.sqlite_store import SqliteStore
from tests.support.running_site import SCRIPT, running_local_site


def _codes(site: Site, entity_type: str = "Shot") -> list:
    return sorted(row.get("code") for row in site.engine.tables.get(entity_type, {}).values())


def _events(site: Site) -> int:
    return len(site.engine.tables.get("EventLogEntry", {}))


def _reopened_codes(folder) -> tuple:
    site = Site.open(folder)
    try:
        return _codes(site), _events(site)
    finally:
        site.close()


def test_a_failing_store_write_answers_a_fault_and_leaves_nothing(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    with running_local_site(Site.create(folder)) as running:
        sg = running.client()
        sg.create("Shot", {"code": "kept"})
        events = _events(running.site)
        original = SqliteStore.commit
        failures = []

        def failing_once(store, changes, schema_changed, **hints):
            if not failures:
                failures.append(True)
                raise sqlite3.OperationalError("disk I/O error")
            return original(store, changes, schema_changed, **hints)

        monkeypatch.setattr(SqliteStore, "commit", failing_once)
        with pytest.raises(shotgun_api3.Fault):
            sg.create("Shot", {"code": "lost"})
        assert sg.find("Shot", [["code", "is", "lost"]]) == []
        assert _events(running.site) == events
        sg.create("Shot", {"code": "after"})
        sg.close()
        running.site.close()
    assert _reopened_codes(folder) == (["after", "kept"], events + 1)


def test_a_full_disk_refuses_the_write_and_the_site_serves_on_once_there_is_room(tmp_path):
    folder = tmp_path / "site"
    with running_local_site(Site.create(folder)) as running:
        sg = running.client()
        sg.create("Shot", {"code": "kept"})
        events = _events(running.site)
        database = running.site.store._db
        pages = database.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own size cap: growing past it fails as a full disk does (SQLITE_FULL).
        database.execute("PRAGMA max_page_count = %d" % pages)
        with pytest.raises(shotgun_api3.Fault):
            sg.create("Shot", {"code": "too big", "description": "x" * 200_000})
        assert sg.find("Shot", [["code", "is", "too big"]]) == []
        assert _events(running.site) == events
        database.execute("PRAGMA max_page_count = 1073741823")
        sg.create("Shot", {"code": "room again", "description": "x" * 200_000})
        sg.close()
        running.site.close()
    assert _reopened_codes(folder) == (["kept", "room again"], events + 1)


CRASHING_SERVER = textwrap.dedent("""
    import os, sys, time
    from shotgun_api3.local_site.server import LocalSiteServer
    from shotgun_api3.local_site.site import Site
    from shotgun_api3._engine.store.sqlite_store import SqliteStore

    original = SqliteStore.commit

    def commit_then_crash(store, changes, schema_changed, **hints):
        original(store, changes, schema_changed, **hints)
        if any(isinstance(row, dict) and row.get("code") == "crash after commit" for row in changes.values()):
            os._exit(9)  # committed, never answered

    SqliteStore.commit = commit_then_crash
    server = LocalSiteServer(Site.open(sys.argv[1])).start()
    print(server.url, flush=True)
    time.sleep(300)
""")


def test_a_crash_between_the_commit_and_the_answer_keeps_the_write_once(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script(SCRIPT)
    site.close()
    server = subprocess.Popen([sys.executable, "-c", CRASHING_SERVER, str(folder)], stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        url = server.stdout.readline().strip()
        sg = shotgun_api3.Shotgun(url, SCRIPT, key)
        sg.create("Shot", {"code": "before"})
        with pytest.raises(shotgun_api3.WriteOutcomeUnknown) as raised:
            sg.create("Shot", {"code": "crash after commit"})
        assert raised.value.method == "create" and raised.value.entity_type == "Shot"
        assert server.wait(timeout=30) == 9
    finally:
        if server.poll() is None:
            server.kill()
        server.stdout.close()
        server.wait()
    codes, _ = _reopened_codes(folder)
    assert codes == ["before", "crash after commit"]  # the write the client could not confirm, exactly once
