"""Update modes, batch atomicity, reverse links, event log entries and the Store."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

from shotgun_api3._engine import CallContext, Engine, EngineFault
from shotgun_api3._engine.write.deferred_row import DeferredRow
from shotgun_api3._engine.registry import HANDLERS

from .conftest import Site


@pytest.fixture
def cast(site):
    for code in ("a", "b", "c"):
        site.create("Asset", {"code": code})
    site.create("Shot", {"code": "s", "assets": [{"type": "Asset", "id": 1}]})
    return site


def _asset_ids(site):
    return [a["id"] for a in site.find("Shot", [["id", "is", 1]], ["assets"])[0]["assets"]]


def test_multi_entity_add_mode_appends_without_duplicates(cast):
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 1}, {"type": "Asset", "id": 2}]}, {"assets": "add"})
    assert _asset_ids(cast) == [1, 2]


def test_multi_entity_remove_mode_removes_every_given_entity(cast):
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 2}, {"type": "Asset", "id": 3}]}, {"assets": "add"})
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 1}, {"type": "Asset", "id": 3}]}, {"assets": "remove"})
    assert _asset_ids(cast) == [2]


def test_multi_entity_set_mode_replaces(cast):
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 3}]}, {"assets": "set"})
    assert _asset_ids(cast) == [3]


def test_unknown_update_mode_is_a_fault(cast):
    with pytest.raises(EngineFault, match="multi_entity_update_mode"):
        cast.update("Shot", 1, {"assets": []}, {"assets": "merge"})


def test_update_of_unknown_or_retired_record_is_a_fault(cast):
    with pytest.raises(EngineFault, match="Shot with id 9 does not exist"):
        cast.update("Shot", 9, {"code": "x"})
    cast.delete("Shot", 1)
    with pytest.raises(EngineFault, match="retired"):
        cast.update("Shot", 1, {"code": "x"})


# --- reverse links -------------------------------------------------------------------


def test_setting_shot_sequence_lists_the_shot_on_the_sequence(site):
    site.create("Sequence", {"code": "SQ1"})
    site.create("Sequence", {"code": "SQ2"})
    site.create("Shot", {"code": "s", "sg_sequence": {"type": "Sequence", "id": 1}})
    assert site.find("Sequence", [["id", "is", 1]], ["shots"])[0]["shots"] == [{"type": "Shot", "id": 1, "name": "s"}]
    site.update("Shot", 1, {"sg_sequence": {"type": "Sequence", "id": 2}})
    shots = {r["id"]: r["shots"] for r in site.find("Sequence", [], ["shots"])}
    assert shots == {1: [], 2: [{"type": "Shot", "id": 1, "name": "s"}]}


def test_adding_a_shot_to_a_sequence_sets_the_shot_sequence_and_leaves_the_old_one(site):
    site.create("Sequence", {"code": "SQ1"})
    site.create("Sequence", {"code": "SQ2"})
    site.create("Shot", {"code": "s", "sg_sequence": {"type": "Sequence", "id": 1}})
    site.update("Sequence", 2, {"shots": [{"type": "Shot", "id": 1}]}, {"shots": "add"})
    assert site.find("Shot", [], ["sg_sequence"])[0]["sg_sequence"]["id"] == 2
    assert site.find("Sequence", [["id", "is", 1]], ["shots"])[0]["shots"] == []


def test_shot_assets_and_asset_shots_stay_in_step(cast):
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 2}]}, {"assets": "add"})
    shots = {r["id"]: [s["id"] for s in r["shots"]] for r in cast.find("Asset", [], ["shots"])}
    assert shots == {1: [1], 2: [1], 3: []}
    cast.update("Asset", 1, {"shots": []})
    assert _asset_ids(cast) == [2]


def test_asset_parents_and_children_stay_in_step(site):
    site.create("Asset", {"code": "parent"})
    site.create("Asset", {"code": "child", "parents": [{"type": "Asset", "id": 1}]})
    assert site.find("Asset", [["id", "is", 1]], ["assets"])[0]["assets"] == [{"type": "Asset", "id": 2, "name": "child"}]


def test_task_entity_lists_the_task_on_the_entity(site):
    site.create("Shot", {"code": "s"})
    site.create("Task", {"content": "comp", "entity": {"type": "Shot", "id": 1}})
    assert site.find("Shot", [], ["tasks"])[0]["tasks"] == [{"type": "Task", "id": 1, "name": "comp"}]


# --- batch -----------------------------------------------------------------------------


def test_batch_returns_results_in_order(site):
    results = site.call("batch", [
        {"request_type": "create", "type": "Asset", "fields": [{"field_name": "code", "value": "a"}], "return_fields": ["sg_status_list"]},
        {"request_type": "update", "type": "Asset", "id": 1, "fields": [{"field_name": "code", "value": "b"}]},
        {"request_type": "delete", "type": "Asset", "id": 1},
    ])
    assert results == [
        {"type": "Asset", "id": 1, "code": "a", "sg_status_list": "wtg"},
        {"type": "Asset", "id": 1, "code": "b"},
        True,
    ]


def test_batch_failure_leaves_nothing_applied(site, engine):
    site.create("Asset", {"code": "a"})
    before = copy.deepcopy(engine.tables)
    with pytest.raises(EngineFault, match="request 2"):
        site.call("batch", [
            {"request_type": "create", "type": "Asset", "fields": [{"field_name": "code", "value": "new"}]},
            {"request_type": "update", "type": "Asset", "id": 1, "fields": [{"field_name": "code", "value": "changed"}]},
            {"request_type": "update", "type": "Asset", "id": 42, "fields": [{"field_name": "code", "value": "x"}]},
        ])
    assert engine.tables == before
    assert site.create("Asset", {"code": "next"})["id"] == 2


def test_batch_with_unknown_request_type_is_a_fault(site):
    with pytest.raises(EngineFault, match="Invalid request_type 'merge'"):
        site.call("batch", [{"request_type": "merge", "type": "Asset"}])


def test_empty_batch_returns_an_empty_list(site):
    assert site.call("batch", []) == []


# --- event log ---------------------------------------------------------------------------


def _events(site, after=0):
    return site.find("EventLogEntry", [["id", "greater_than", after]],
                     ["event_type", "attribute_name", "meta", "entity", "user", "project", "session_uuid", "created_at"])


def test_create_writes_one_new_event(site, project, clock):
    last = max(site.ids("EventLogEntry"))
    site.create("Shot", {"code": "s", "project": project})
    (event,) = _events(site, last)
    assert event["event_type"] == "Shotgun_Shot_New"
    assert event["entity"] == {"type": "Shot", "id": 1, "name": "s"}
    assert event["meta"] == {"type": "new_entity", "entity_type": "Shot", "entity_id": 1}
    assert event["user"] == {"type": "HumanUser", "id": 1, "name": "Ada Lovelace"}
    assert event["project"] == {"type": "Project", "id": 1, "name": "Demo"}
    assert event["session_uuid"] == "abc-123"
    assert event["created_at"] == clock.now


def test_update_writes_one_change_event_per_changed_field(site):
    site.create("Shot", {"code": "s", "description": "same"})
    last = max(site.ids("EventLogEntry"))
    site.update("Shot", 1, {"code": "t", "description": "same", "sg_status_list": "ip"})
    events = _events(site, last)
    assert [(e["event_type"], e["attribute_name"]) for e in events] == [
        ("Shotgun_Shot_Change", "code"), ("Shotgun_Shot_Change", "sg_status_list")]
    meta = events[0]["meta"]
    assert (meta["type"], meta["entity_type"], meta["entity_id"], meta["attribute_name"]) == ("attribute_change", "Shot", 1, "code")
    assert (meta["old_value"], meta["new_value"]) == ("s", "t")


def test_multi_entity_change_event_lists_added_and_removed(cast):
    last = max(cast.ids("EventLogEntry"))
    cast.update("Shot", 1, {"assets": [{"type": "Asset", "id": 2}]})
    meta = _events(cast, last)[0]["meta"]
    assert meta["added"] == [{"type": "Asset", "id": 2, "name": "b"}]
    assert meta["removed"] == [{"type": "Asset", "id": 1}]


def test_retirement_and_revival_events(site):
    site.create("Shot", {"code": "s"})
    last = max(site.ids("EventLogEntry"))
    site.delete("Shot", 1)
    site.revive("Shot", 1)
    assert [e["event_type"] for e in _events(site, last)] == ["Shotgun_Shot_Retirement", "Shotgun_Shot_Revival"]


def test_no_event_when_nothing_changed(site):
    site.create("Shot", {"code": "s"})
    last = max(site.ids("EventLogEntry"))
    site.update("Shot", 1, {"code": "s"})
    site.delete("Shot", 1)
    site.delete("Shot", 1)
    assert [e["event_type"] for e in _events(site, last)] == ["Shotgun_Shot_Retirement"]


def test_a_plain_change_event_is_built_when_first_read_with_the_values_of_its_write(site, engine, clock):
    site.create("Shot", {"code": "s", "description": "one"})
    last = max(engine.tables["EventLogEntry"])
    site.update("Shot", 1, {"description": "two"})
    # (A find would build it: a read looks at every row of the table.)
    (event_id,) = [i for i in engine.tables["EventLogEntry"] if i > last]
    stored = engine.tables["EventLogEntry"][event_id]
    assert isinstance(stored, DeferredRow) and not stored.built
    # Later writes change the record, its name and the clock: the event keeps its own.
    clock.now += dt.timedelta(hours=1)
    site.update("Shot", 1, {"code": "renamed", "description": "three"})
    assert stored["description"] == 'Ada Lovelace changed "Description" from "one" to "two" on Shot s'
    assert stored["created_at"] == clock.now - dt.timedelta(hours=1)
    assert stored["meta"] == {"type": "attribute_change", "entity_type": "Shot", "entity_id": 1,
                              "attribute_name": "description", "field_data_type": "text",
                              "old_value": "one", "new_value": "two"}
    assert list(stored) == list(engine.tables["EventLogEntry"][last])  # the field order of every event row


def test_deferred_and_eagerly_built_change_events_are_the_same_rows(site, engine):
    """Events of plain values are deferred, events of links are not: both are read alike."""
    site.create("Sequence", {"code": "q"})
    site.create("Shot", {"code": "s"})
    last = max(site.ids("EventLogEntry"))
    site.update("Shot", 1, {"sg_cut_in": 7, "sg_sequence": {"type": "Sequence", "id": 1}})
    cut_in, sequence = (engine.tables["EventLogEntry"][i] for i in site.ids("EventLogEntry") if i > last)
    assert type(cut_in) is DeferredRow and type(sequence) is dict
    assert set(cut_in) == set(sequence)
    assert (cut_in["meta"]["new_value"], sequence["meta"]["new_value"]) == (7, {"type": "Sequence", "id": 1, "name": "q"})
    assert pickle.loads(pickle.dumps(engine.tables))["EventLogEntry"][cut_in["id"]] == cut_in
    assert copy.deepcopy(engine.tables)["EventLogEntry"] == engine.tables["EventLogEntry"]


def test_a_rolled_back_batch_leaves_no_deferred_event(site, engine):
    site.create("Shot", {"code": "s"})
    events_before = sorted(site.ids("EventLogEntry"))
    with pytest.raises(EngineFault):
        site.call("batch", [{"request_type": "update", "type": "Shot", "id": 1, "fields": [{"field_name": "code", "value": "t"}]},
                            {"request_type": "update", "type": "Shot", "id": 99, "fields": [{"field_name": "code", "value": "u"}]}])
    assert sorted(site.ids("EventLogEntry")) == events_before
    site.update("Shot", 1, {"code": "t"})
    assert [e["meta"]["old_value"] for e in _events(site, events_before[-1])] == ["s"]


def test_event_ids_keep_growing_after_the_table_is_emptied(site, engine):
    site.create("Shot", {"code": "s"})
    last = max(site.ids("EventLogEntry"))
    engine.tables["EventLogEntry"] = {}
    site.create("Shot", {"code": "t"})
    assert site.ids("EventLogEntry")[0] > last


# --- store -----------------------------------------------------------------------------------


class MemoryStore:
    """A Store keeping pickled copies of what it was given, failing on demand."""

    def __init__(self, schema=None, tables=None):
        self.schema = schema
        self.rows = {}
        self.fail = False
        self.commits = []
        for entity_type, table in (tables or {}).items():
            for row_id, row in table.items():
                self.rows[(entity_type, row_id)] = pickle.dumps(row)

    def load(self):
        tables = {}
        for (entity_type, row_id), data in self.rows.items():
            tables.setdefault(entity_type, {})[row_id] = pickle.loads(data)
        return self.schema, tables or None

    def commit(self, changes, schema):
        if self.fail:
            raise OSError("disk full")
        self.commits.append((sorted(changes), schema is not None))
        for key, row in changes.items():
            if row is None:
                self.rows.pop(key, None)
            else:
                self.rows[key] = pickle.dumps(row)
        if schema is not None:
            self.schema = schema


def test_store_receives_each_committed_call_and_reloads_it(default_schema, clock):
    store = MemoryStore()
    site = Site(Engine(default_schema, store=store, clock=clock), CallContext())
    site.create("Asset", {"code": "a"})
    site.update("Asset", 1, {"code": "b"})
    assert store.commits[0][0] == [("Asset", 1), ("EventLogEntry", 1)]
    again = Site(Engine(default_schema, store=store, clock=clock), CallContext())
    assert again.find("Asset", [], ["code"]) == [{"type": "Asset", "id": 1, "code": "b"}]
    assert again.create("Asset", {"code": "c"})["id"] == 2


def test_failing_store_commit_rolls_the_call_back(default_schema, clock):
    store = MemoryStore()
    engine = Engine(default_schema, store=store, clock=clock)
    site = Site(engine, CallContext())
    site.create("Sequence", {"code": "SQ"})
    before = copy.deepcopy(engine.tables)
    store.fail = True
    with pytest.raises(OSError):
        site.create("Shot", {"code": "s", "sg_sequence": {"type": "Sequence", "id": 1}})
    with pytest.raises(OSError):
        site.update("Sequence", 1, {"code": "changed"})
    assert engine.tables == before
    store.fail = False
    assert site.create("Shot", {"code": "s"})["id"] == 1


def test_schema_change_is_handed_to_the_store_and_reloaded(default_schema, clock):
    store = MemoryStore()
    site = Site(Engine(default_schema.copy(), store=store, clock=clock), CallContext())
    name = site.call("schema_field_create", {"type": "Shot", "data_type": "text",
                                             "properties": [{"property_name": "name", "value": "Hero Note"}]})
    assert store.commits[-1][1] is True
    again = Engine(default_schema, store=store, clock=clock)
    assert again.schema.field("Shot", name).data_type == "text"


def test_site_state_is_written_through_the_store(default_schema, clock):
    from shotgun_api3._engine.registry import rpc

    @rpc("test_remember")
    def remember(call, params):
        call.txn.set_state("remembered", params)
        return True

    store = MemoryStore()
    engine = Engine(default_schema, store=store, clock=clock)
    try:
        _check_state_round_trip(engine, store, default_schema, clock)
    finally:
        HANDLERS.pop("test_remember", None)


def _check_state_round_trip(engine, store, default_schema, clock):
    engine.call("test_remember", {"x": [1, 2]})
    assert engine.get_state("remembered") == {"x": [1, 2]}
    again = Engine(default_schema, store=store, clock=clock)
    assert again.get_state("remembered") == {"x": [1, 2]}
    assert "_SiteState" not in again.tables
    store.fail = True
    with pytest.raises(OSError):
        engine.call("test_remember", {"y": 1})
    assert engine.get_state("remembered") == {"x": [1, 2]}


def test_tables_pickle(site, engine):
    site.create("Asset", {"code": "a"})
    assert pickle.loads(pickle.dumps(engine.tables))["Asset"][1]["code"] == "a"


def test_event_descriptions_name_the_user_the_record_and_the_change(site):
    site.create("Shot", {"code": "s"})
    site.update("Shot", 1, {"sg_status_list": "ip"})
    site.delete("Shot", 1)
    rows = site.find("EventLogEntry", [["event_type", "starts_with", "Shotgun_Shot"]], ["description"])
    assert [r["description"] for r in rows] == [
        "Ada Lovelace created new Shot s",
        'Ada Lovelace changed "Status" from "wtg" to "ip" on Shot s',
        "Ada Lovelace retired Shot s",
    ]


def test_events_of_a_retired_record_read_its_entity_as_empty_and_keep_the_id_in_meta(site):
    site.create("Shot", {"code": "s"})
    site.delete("Shot", 1)
    event = site.find("EventLogEntry", [["event_type", "is", "Shotgun_Shot_Retirement"]], ["entity", "meta"])[0]
    assert event["entity"] is None
    assert (event["meta"]["entity_type"], event["meta"]["entity_id"]) == ("Shot", 1)


def test_moving_a_task_between_entities_of_different_types_updates_both_sides(site):
    site.create("Shot", {"code": "s"})
    site.create("Asset", {"code": "a"})
    site.create("Task", {"content": "t", "entity": {"type": "Shot", "id": 1}})
    site.update("Asset", 1, {"tasks": [{"type": "Task", "id": 1}]}, {"tasks": "add"})
    assert site.find("Task", [], ["entity"])[0]["entity"] == {"type": "Asset", "id": 1, "name": "a"}
    assert site.find("Shot", [], ["tasks"])[0]["tasks"] == []


def test_a_fault_on_a_later_field_leaves_the_record_and_the_event_log_as_they_were(site, engine):
    site.create("Shot", {"code": "s", "description": "before"})
    row_before = copy.deepcopy(engine.tables["Shot"][1])
    events_before = sorted(site.ids("EventLogEntry"))
    with pytest.raises(EngineFault, match="sg_cut_in"):
        site.update("Shot", 1, {"code": "t", "description": "after", "sg_cut_in": "ten"})
    assert engine.tables["Shot"][1] == row_before
    assert sorted(site.ids("EventLogEntry")) == events_before


def test_a_human_user_name_follows_a_changed_first_name_with_its_own_event(site, engine):
    user = site.create("HumanUser", {"firstname": "Grace", "lastname": "Hopper", "login": "grace"})
    last = max(site.ids("EventLogEntry"))
    site.update("HumanUser", user["id"], {"firstname": "Amazing Grace"})
    assert engine.tables["HumanUser"][user["id"]]["name"] == "Amazing Grace Hopper"
    changes = [(e["attribute_name"], e["meta"]["old_value"], e["meta"]["new_value"]) for e in _events(site, last)]
    assert changes == [("firstname", "Grace", "Amazing Grace"), ("name", "Grace Hopper", "Amazing Grace Hopper")]


def test_change_descriptions_quote_the_field_display_name_and_empty_values(site):
    site.create("Shot", {"code": "s"})
    last = max(site.ids("EventLogEntry"))
    site.update("Shot", 1, {"sg_status_list": "ip", "description": "Ünïcode"})
    site.update("Shot", 1, {"description": None})
    descriptions = [e["description"] for e in site.find("EventLogEntry", [["id", "greater_than", last]], ["description"])]
    assert [d.split(" changed ", 1)[1] for d in descriptions] == [
        '"Status" from "wtg" to "ip" on Shot s',  # wtg: the field's default
        '"Description" from "" to "Ünïcode" on Shot s',
        '"Description" from "Ünïcode" to "" on Shot s',
    ]


def test_an_update_that_changes_nothing_hands_nothing_to_the_store(default_schema, clock):
    store = MemoryStore()
    site = Site(Engine(default_schema, store=store, clock=clock), CallContext())
    site.create("Asset", {"code": "a", "description": "same"})
    commits = len(store.commits)
    site.update("Asset", 1, {"code": "a", "description": "same"})
    assert len(store.commits) == commits


def test_a_fault_leaves_rows_a_rig_wrote_with_odd_ids_alone(site, engine):
    engine.tables["Shot"][6] = {"type": "Shot", "id": 6, "code": "six", "description": "six's"}
    engine.tables["Shot"][5] = {"type": "Shot", "id": 6, "code": "five", "description": "five's"}
    engine.tables["Shot"][52] = {"type": "Shot", "id": "52", "code": "text id", "__retired": False}
    before = copy.deepcopy(engine.tables["Shot"])
    with pytest.raises(EngineFault, match="sg_cut_in"):
        site.update("Shot", 5, {"code": "changed", "description": "new", "sg_cut_in": "bad"})
    with pytest.raises(EngineFault, match="sg_cut_in"):
        site.update("Shot", 52, {"code": "changed", "sg_cut_in": "bad"})
    assert engine.tables["Shot"] == before


def test_an_update_fills_the_display_name_of_a_row_a_rig_wrote_without_it(site, engine):
    engine.tables["Asset"][7] = {"type": "Asset", "id": 7, "code": "rigged", "__retired": False}
    site.update("Asset", 7, {"description": "d"})
    assert engine.tables["Asset"][7]["cached_display_name"] == "rigged"


def test_change_events_on_create_when_turned_on_carry_in_create(monkeypatch):
    from shotgun_api3._engine import CallContext, Engine, site_choices

    monkeypatch.setattr(site_choices, "CHANGE_EVENTS_ON_CREATE", True)
    engine = Engine()
    params = {"type": "Shot", "fields": [{"field_name": "code", "value": "c"}], "return_fields": ["id"]}
    engine.call("create", params, CallContext())
    changes = [row for row in engine.tables["EventLogEntry"].values() if row["event_type"] == "Shotgun_Shot_Change"]
    assert [(row["attribute_name"], row["meta"]["in_create"]) for row in changes] == [("code", True)]
