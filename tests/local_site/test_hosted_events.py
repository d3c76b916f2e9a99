"""The event log a hosted site writes, which event daemons rely on (docs/site_facts.rst, Event log)."""
from __future__ import annotations


def _events(sg, after_id, **filters):
    conditions = [["id", "greater_than", after_id]] + [[k, "is", v] for k, v in filters.items()]
    return sg.find("EventLogEntry", conditions, ["event_type", "attribute_name", "meta", "entity"],
                   order=[{"field_name": "id", "direction": "asc"}])


def _last_event_id(sg):
    last = sg.find_one("EventLogEntry", [], ["id"], order=[{"field_name": "id", "direction": "desc"}])
    return last["id"] if last else 0


def test_a_paired_link_change_is_logged_as_the_other_records_own_change_event(sg):
    shot_a = sg.create("Shot", {"code": "a"})
    shot_b = sg.create("Shot", {"code": "b"})
    start = _last_event_id(sg)
    task = sg.create("Task", {"content": "comp", "entity": shot_a})
    events = _events(sg, start)
    assert [e["event_type"] for e in events] == ["Shotgun_Task_New", "Shotgun_Shot_Change"]
    change = events[1]
    assert change["attribute_name"] == "tasks" and change["entity"]["id"] == shot_a["id"]
    meta = change["meta"]
    assert meta["entity_type"] == "Shot" and meta["entity_id"] == shot_a["id"]
    assert meta["field_data_type"] == "multi_entity"
    assert [link["id"] for link in meta["added"]] == [task["id"]] and meta["removed"] == []

    start = _last_event_id(sg)
    sg.update("Task", task["id"], {"entity": shot_b})
    events = _events(sg, start)
    by_record = {(e["event_type"], e["attribute_name"], e["meta"]["entity_id"]): e["meta"] for e in events}
    assert ("Shotgun_Task_Change", "entity", task["id"]) in by_record
    removed = by_record[("Shotgun_Shot_Change", "tasks", shot_a["id"])]
    added = by_record[("Shotgun_Shot_Change", "tasks", shot_b["id"])]
    assert removed["removed"] == [{"type": "Task", "id": task["id"]}] and removed["added"] == []
    assert [link["id"] for link in added["added"]] == [task["id"]]


def test_a_multi_entity_change_logs_added_and_removed_not_the_old_and_new_lists(sg):
    shots = [sg.create("Shot", {"code": "m%d" % n}) for n in range(3)]
    note = sg.create("Note", {"subject": "n", "note_links": shots[:2]})
    start = _last_event_id(sg)
    sg.update("Note", note["id"], {"note_links": [shots[1], shots[2]]})
    events = _events(sg, start)
    own = [e["meta"] for e in events if e["event_type"] == "Shotgun_Note_Change"]
    assert len(own) == 1
    assert own[0] == {"type": "attribute_change", "entity_type": "Note", "entity_id": note["id"],
                      "attribute_name": "note_links", "field_data_type": "multi_entity",
                      "added": [{"type": "Shot", "id": shots[2]["id"], "name": "m2"}],
                      "removed": [{"type": "Shot", "id": shots[0]["id"]}]}
    for event in events:  # the paired Shot.notes changes too
        assert "old_value" not in event["meta"] and "new_value" not in event["meta"]


def test_the_activity_stream_places_a_creation_by_what_a_link_list_held_then(sg):
    shots = [sg.create("Shot", {"code": "s%d" % n}) for n in range(3)]
    note = sg.create("Note", {"subject": "made on s0 and s1", "note_links": shots[:2]})
    sg.update("Note", note["id"], {"note_links": [shots[1], shots[2]]})  # s0 out, s2 in

    def creations(shot):
        stream = sg.activity_stream_read("Shot", shot["id"])
        return [u["primary_entity"]["id"] for u in stream["updates"]
                if u["update_type"] == "create" and u["primary_entity"]["type"] == "Note"]

    assert creations(shots[0]) == [note["id"]]  # linked when it was made
    assert creations(shots[1]) == [note["id"]]
    assert creations(shots[2]) == []  # linked only later


def test_a_create_logs_its_new_event_and_no_per_field_changes(sg):
    # docs/site_facts.rst, Event log, names no per-field Change events
    # (meta.in_create) on create: the site writes _New alone.
    start = _last_event_id(sg)
    sg.create("Shot", {"code": "c", "description": "d"})
    assert [e["event_type"] for e in _events(sg, start)] == ["Shotgun_Shot_New"]


def _png(tmp_path):
    path = tmp_path / "thumb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return str(path)


def _wait_for(predicate, seconds=10.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_new_thumbnail_is_transient_for_the_processing_time_then_final(local_site, sg, tmp_path):
    import urllib.request

    import shotgun_api3

    local_site.site.thumbnail_processing_seconds = 0.5
    shot = sg.create("Shot", {"code": "thumb"})
    other = sg.create("Shot", {"code": "other"})
    start = _last_event_id(sg)
    sg.upload_thumbnail("Shot", shot["id"], _png(tmp_path))
    image = sg.find_one("Shot", [["id", "is", shot["id"]]], ["image"])["image"]
    assert "/images/status/transient/" in image
    assert urllib.request.urlopen(image, timeout=10).read().startswith(b"\x89PNG")
    try:
        sg.share_thumbnail([other], source_entity=shot)
        raise AssertionError("sharing a transient thumbnail must fail")
    except shotgun_api3.ShotgunThumbnailNotReady:
        pass
    final = _wait_for(lambda: (lambda value: value if "/thumbnail/" in (value or "") else None)(
        sg.find_one("Shot", [["id", "is", shot["id"]]], ["image"])["image"]))
    assert "/images/status/transient/" not in final
    changes = [e for e in _events(sg, start) if e["event_type"] == "Shotgun_Shot_Change"
               and e["attribute_name"] == "image"]
    assert [e["meta"]["is_transient"] for e in changes] == [True, False]
    assert "/images/status/transient/" in changes[0]["meta"]["new_value"]
    assert changes[1]["meta"]["old_value"] == changes[0]["meta"]["new_value"]


def test_a_site_stopped_while_processing_finishes_its_thumbnails_when_reopened(tmp_path):
    import shotgun_api3
    from shotgun_api3.local_site.server import LocalSiteServer
    from shotgun_api3.local_site.site import Site

    site = Site.create(tmp_path / "site", thumbnail_processing_seconds=3600)
    _, key = site.add_script("robot")
    with LocalSiteServer(site) as server:
        sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
        shot = sg.create("Shot", {"code": "pending"})
        sg.upload_thumbnail("Shot", shot["id"], _png(tmp_path))
        assert "/transient/" in sg.find_one("Shot", [["id", "is", shot["id"]]], ["image"])["image"]
        sg.close()
    site.close()
    site = Site.open(tmp_path / "site")
    try:
        assert "/thumbnail/" in site.engine.row("Shot", shot["id"])["image"]
    finally:
        site.close()
