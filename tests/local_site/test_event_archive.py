"""`shotgun-local-site compact-events`: old event log rows move to an archive, the newest stay (issue 15)."""
from __future__ import annotations

import gzip

import pytest

import shotgun_api3
from shotgun_api3._engine.store.sqlite_store import SqliteStore, loads
from shotgun_api3.local_site import cli
from shotgun_api3.local_site.server import LocalSiteServer
from shotgun_api3.local_site.site import Site


def _site_with_events(folder):
    site = Site.create(folder)
    _, key = site.add_script("robot")
    with LocalSiteServer(site) as server:
        sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
        project = sg.create("Project", {"name": "Events"})
        for n in range(12):
            sg.update("Shot", sg.create("Shot", {"code": "sh%03d" % n, "project": project})["id"],
                      {"description": "take %d" % n})
        events = [e["id"] for e in sg.find("EventLogEntry", [], ["id"], order=[{"field_name": "id",
                                                                               "direction": "asc"}])]
    site.close()
    return key, events


def _served(folder, key):
    site = Site.open(folder)
    return site, LocalSiteServer(site), key


def _archived_ids(folder):
    ids = []
    for path in sorted((folder / "event_archive").glob("events-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            ids.append([loads(line)["id"] for line in lines])
    return ids


def test_compact_events_keeps_the_newest_and_archives_the_rest(tmp_path, capsys):
    folder = tmp_path / "site"
    key, events = _site_with_events(folder)
    assert len(events) > 20

    assert cli.main(["compact-events", "--site", str(folder), "--keep", "5"]) == 0
    assert "Archived %d event log entries" % (len(events) - 5) in capsys.readouterr().out
    assert _archived_ids(folder) == [events[:-5]]
    assert {path.stat().st_mode & 0o777 for path in (folder / "event_archive").iterdir()} == {0o600}

    site = Site.open(folder)
    try:
        with LocalSiteServer(site) as server:
            sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
            # What a daemon reads from its last id on is all there.
            assert [e["id"] for e in sg.find("EventLogEntry", [["id", "greater_than", events[-6]]], ["id"])] == \
                events[-5:]
            sg.create("Shot", {"code": "after"})
            newest = sg.find("EventLogEntry", [["id", "greater_than", events[-1]]], ["id"])
            assert newest and min(e["id"] for e in newest) > events[-1]  # ids are never reused
    finally:
        site.close()

    assert cli.main(["compact-events", "--site", str(folder), "--keep", "1000"]) == 0
    assert "Nothing to archive" in capsys.readouterr().out


def test_a_crash_before_the_delete_loses_nothing_and_a_second_run_finishes(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "site"
    _, events = _site_with_events(folder)

    def crash(self, entity_type, up_to_id):
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(SqliteStore, "delete_up_to", crash)
        with pytest.raises(RuntimeError):
            cli.main(["compact-events", "--site", str(folder), "--keep", "3", "--no-vacuum"])
    store = SqliteStore(folder / "site.sqlite3")
    try:
        assert sorted(store.load()[1]["EventLogEntry"]) == events  # still all in the site
    finally:
        store.close()

    assert cli.main(["compact-events", "--site", str(folder), "--keep", "3"]) == 0
    archived = _archived_ids(folder)
    assert archived == [events[:-3], events[:-3]]  # the first copy is kept too
    store = SqliteStore(folder / "site.sqlite3")
    try:
        assert sorted(store.load()[1]["EventLogEntry"]) == events[-3:]
    finally:
        store.close()


def test_compact_events_refuses_a_keep_below_one_and_a_missing_site(tmp_path, capsys):
    assert cli.main(["compact-events", "--site", str(tmp_path / "none"), "--keep", "5"]) == 2
    assert "not a site folder" in capsys.readouterr().err
    assert cli.main(["compact-events", "--site", str(tmp_path), "--keep", "-1"]) == 2
    # Keeping none would let the next event take id 1 again: ids are never reused.
    assert cli.main(["compact-events", "--site", str(tmp_path), "--keep", "0"]) == 2
    assert "--keep must be 1 or more" in capsys.readouterr().err
