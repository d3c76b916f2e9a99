"""The event log a hosted site writes, which event daemons rely on (real-clients.md, event log facts)."""
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


def test_a_create_logs_its_new_event_and_no_per_field_changes(sg):
    # Our facts (real-clients.md, wire-protocol.md) name no per-field Change
    # events (meta.in_create) on create: the site writes _New alone.
    start = _last_event_id(sg)
    sg.create("Shot", {"code": "c", "description": "d"})
    assert [e["event_type"] for e in _events(sg, start)] == ["Shotgun_Shot_New"]
