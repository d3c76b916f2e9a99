"""Shortcuts of the create path log and store what the general path does.

A paired list gaining a record is logged by ``_log_link_appended`` instead
of the general ``_log_changes``; both are run here on the same lists,
including lists a rig may have written by hand, and their event rows
compared. A create's New event and answer are compared with what the
documented ``log_event`` and the read's presenters give.
"""
from __future__ import annotations

import pytest

from shotgun_api3._engine import CallContext
from shotgun_api3._engine.call import Call
from shotgun_api3._engine.query.presenting import field_presenter

from .conftest import Site

USER = {"type": "HumanUser", "id": 1}


@pytest.fixture
def paired_site(engine):
    engine.logs_paired_link_changes = True
    site = Site(engine, CallContext(user=USER, session_uuid="abc-123"))
    site.create("HumanUser", {"firstname": "Ada", "lastname": "Lovelace", "login": "ada"})
    return site


def _event_without_id(engine, event_id):
    row = dict(engine.tables["EventLogEntry"][event_id])
    del row["id"]
    return row


def _log_both_ways(site, holder_type, holder_id, field, old, new):
    """The event rows of one append, logged by the shortcut and by the general path."""
    engine = site.engine
    call = Call(engine, site.context, "batch")
    txn = call.txn
    holder = engine.row(holder_type, holder_id)
    info = engine.schema.field(holder_type, field)
    first = engine.next_id("EventLogEntry")
    txn._log_link_appended(holder_type, holder, info, old, new)
    txn._log_changes(holder_type, holder, [(info, old, new)])
    rows = [_event_without_id(engine, first + 1), _event_without_id(engine, first + 2)]
    call.abort()
    return rows


def _shots(site, count, project):
    return [{"type": "Shot", "id": site.create("Shot", {"code": f"SH{n}", "project": project})["id"]}
            for n in range(count)]


@pytest.mark.parametrize("held", ["none", "empty", "some", "junk", "a tuple", "a dangling link"])
def test_an_appended_link_logs_what_the_general_path_logs(paired_site, held):
    site = paired_site
    project = {"type": "Project", "id": site.create("Project", {"name": "P"})["id"]}
    sequence = site.create("Sequence", {"code": "SQ", "project": project})
    shots = _shots(site, 3, project)
    appended = dict(shots[2])
    old = {
        "none": None,
        "empty": [],
        "some": [dict(shots[0]), dict(shots[1])],
        "junk": [dict(shots[0]), "text", None, {}],
        "a tuple": (dict(shots[0]),),
        "a dangling link": [{"type": "Shot", "id": 999, "name": "gone"}],
    }[held]
    new = [*(old or ()), appended]
    shortcut, general = _log_both_ways(site, "Sequence", sequence["id"], "shots", old, new)
    assert shortcut == general
    assert list(shortcut["meta"]) == list(general["meta"])
    assert list(shortcut) == list(general)


def test_an_appended_retired_or_missing_record_logs_what_the_general_path_logs(paired_site):
    site = paired_site
    sequence = site.create("Sequence", {"code": "SQ"})
    shot = site.create("Shot", {"code": "SH"})
    site.delete("Shot", shot["id"])
    for appended in ({"type": "Shot", "id": shot["id"]}, {"type": "Shot", "id": 12345, "name": "unknown"}):
        shortcut, general = _log_both_ways(site, "Sequence", sequence["id"], "shots", [], [appended])
        assert shortcut == general


def test_a_created_record_logs_its_new_event_as_log_event_does(paired_site):
    site = paired_site
    engine = site.engine
    project = {"type": "Project", "id": site.create("Project", {"name": "P"})["id"]}
    for entity_type, data in (("Shot", {"code": "SH", "project": project}), ("Project", {"name": "Q"}),
                              ("HumanUser", {"firstname": "Grace", "login": "grace"}), ("Note", {"subject": None})):
        record = site.create(entity_type, data)
        new_event = next(event for event_id, event in engine.tables["EventLogEntry"].items()
                         if event["event_type"] == f"Shotgun_{entity_type}_New"
                         and event["entity"] == {"type": entity_type, "id": record["id"]})
        call = Call(engine, site.context, "create")
        row = engine.row(entity_type, record["id"])
        logged = call.txn.log_event(f"Shotgun_{entity_type}_New", entity_type, row,
                                    meta={"type": "new_entity", "entity_type": entity_type, "entity_id": record["id"]},
                                    action="New")
        expected = {**logged, "id": new_event["id"]}
        call.abort()
        assert new_event == expected and list(new_event) == list(expected)


def test_a_write_answers_links_as_the_read_presenters_do(paired_site):
    site = paired_site
    engine = site.engine
    project = {"type": "Project", "id": site.create("Project", {"name": "P"})["id"]}
    shot = site.create("Shot", {"code": "SH", "project": project})
    task = site.create("Task", {"content": "anim", "entity": {"type": "Shot", "id": shot["id"]}})
    gone = site.create("Task", {"content": "gone"})
    site.delete("Task", gone["id"])
    note = site.call("batch", [{"request_type": "create", "type": "Note", "return_fields": ["tasks", "created_by"],
                                "fields": [{"field_name": "subject", "value": "hello"},
                                           {"field_name": "project", "value": project},
                                           {"field_name": "note_links", "value": [{"type": "Shot", "id": shot["id"]}]},
                                           {"field_name": "tasks", "value": [{"type": "Task", "id": task["id"]}]}]}])[0]
    row = engine.row("Note", note["id"])
    env = engine.env()
    for field in ("project", "note_links", "tasks", "created_by"):
        expected = field_presenter(env, "Note", field)(row)
        marked = [expected] if isinstance(expected, dict) else expected
        for link in marked:
            link["valid"] = "valid"
        assert note[field] == expected


def test_a_field_made_in_the_call_before_is_written_by_the_next_create(engine, default_schema):
    """Nothing the create path keeps outlives a schema change (the new field is written and logged)."""
    site = Site(engine.__class__(default_schema.copy()), CallContext(user=USER))
    site.engine.logs_paired_link_changes = True
    site.call("schema_field_create", {"type": "Shot", "data_type": "text", "properties": [
        {"property_name": "name", "value": "Mood"}]})
    shot = site.create("Shot", {"code": "SH", "sg_mood": "calm"})
    assert site.engine.row("Shot", shot["id"])["sg_mood"] == "calm"
    assert shot["sg_mood"] == "calm"
    site.call("schema_field_delete", {"type": "Shot", "field_name": "sg_mood"})
    with pytest.raises(Exception, match="sg_mood"):
        site.create("Shot", {"code": "SH2", "sg_mood": "calm"})
