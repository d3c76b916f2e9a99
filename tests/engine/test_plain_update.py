"""The plain update path (``_engine/write/plain_update.py``) stores and answers exactly what the general path does.

Each scenario runs twice on a fresh engine: once as shipped, once with the
plain path switched off. The answers (or faults) and every row of every
table, events included, must be the same; a spy counts the updates the plain
path answered, so a scenario also proves which path it exercised.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from shotgun_api3._engine import CallContext, Engine, EngineFault, site_choices
from shotgun_api3._engine import engine as engine_module
from shotgun_api3._engine.write.deferred_row import DeferredRow
from shotgun_api3._engine.write.plain_update import plain_update

from .conftest import Clock

USER = {"type": "HumanUser", "id": 1}
UTC = dt.timezone.utc

Step = Tuple[str, Any]  # ("update", params) with dict fields, or ("rig", function(engine))


def _create(engine: Engine, context: CallContext, entity_type: str, **fields: Any) -> int:
    params = {"type": entity_type, "fields": [{"field_name": k, "value": v} for k, v in fields.items()]}
    return engine.call("create", params, context)["id"]


def _site(engine: Engine, context: CallContext) -> None:
    """Ada (HumanUser 1), a project, a sequence, two shots, a step, a task, a version and a playlist."""
    _create(engine, context, "HumanUser", firstname="Ada", lastname="Lovelace", login="ada")
    project = {"type": "Project", "id": _create(engine, context, "Project", name="Demo")}
    sequence = {"type": "Sequence", "id": _create(engine, context, "Sequence", code="SQ1", project=project)}
    for code in ("SH1", "SH2"):
        _create(engine, context, "Shot", code=code, project=project, sg_sequence=sequence, sg_status_list="ip")
    _create(engine, context, "Step", code="Comp", short_name="CMP")
    _create(engine, context, "Task", content="comp", project=project)
    _create(engine, context, "Version", code="v001", project=project)
    _create(engine, context, "Playlist", code="dailies", project=project)


def _update(entity_type: str, entity_id: Any, **fields: Any) -> Step:
    return ("update", {"type": entity_type, "id": entity_id, "fields": fields})


def _run(steps: List[Step], plain: bool, context: CallContext, monkeypatch: pytest.MonkeyPatch) -> Dict[str, Any]:
    answered = []

    def spy(engine: Engine, call_context: CallContext, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        answer = plain_update(engine, call_context, params) if plain else None
        if answer is not None:
            answered.append(params["id"])
        return answer

    def outcome(call: Callable[[], Any]) -> Tuple[str, Any]:
        try:
            return ("answer", call())
        except EngineFault as fault:
            return ("fault", fault.message)
        except Exception as error:  # what a rig's odd rows make either path raise
            return (type(error).__name__, str(error)[:200])

    clock = Clock(dt.datetime(2024, 5, 15, 12, 0, 0, tzinfo=UTC))
    with monkeypatch.context() as patch:
        patch.setattr(engine_module, "plain_update", spy)
        engine = Engine(clock=clock)
        _site(engine, CallContext(user=dict(USER), session_uuid="setup"))
        outcomes: List[Any] = []
        for index, (kind, what) in enumerate(steps):
            clock.now += dt.timedelta(seconds=1 + index % 2)
            if kind == "rig":
                what(engine)
            else:
                outcomes.append(outcome(lambda: engine.call("update", copy.deepcopy(what), context)))
        # One more event, to show both left the event ids in the same place.
        outcomes.append(outcome(lambda: engine.call("create", {"type": "Asset", "fields": [
            {"field_name": "code", "value": "after"}]}, context)["id"]))
    tables = copy.deepcopy(engine.tables)
    return {
        "outcomes": outcomes,
        "tables": tables,
        # repr, because a NaN a rig stored is not equal to itself
        "seen": (repr(outcomes), repr(tables), [list(table) for table in tables.values()]),
        "plain_answers": answered,
    }


def _both(steps: List[Step], monkeypatch: pytest.MonkeyPatch, context: Optional[CallContext] = None) -> Dict[str, Any]:
    context = context or CallContext(user=dict(USER), session_uuid="sess-1", script_name="rig")
    general = _run(steps, False, context, monkeypatch)
    plain = _run(steps, True, context, monkeypatch)
    assert plain["seen"][0] == general["seen"][0]
    assert plain["seen"][1] == general["seen"][1]
    assert plain["seen"][2] == general["seen"][2]  # same rows in the same order
    assert general["plain_answers"] == []
    return plain


def _rows(result: Dict[str, Any], entity_type: str) -> Dict[int, Dict[str, Any]]:
    return result["tables"][entity_type]


def _change_events(result: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [row for row in _rows(result, "EventLogEntry").values() if row["event_type"].endswith("_Change")]


# --- updates the plain path answers ----------------------------------------------------


def test_text_status_and_number_updates(monkeypatch):
    result = _both([
        _update("Shot", 1, sg_status_list="fin", description="first pass"),
        _update("Shot", 2, cut_in=1001, cut_out=1100),
        _update("Shot", 1, description="second pass"),
        _update("Shot", 1, description=None),
    ], monkeypatch)
    assert result["plain_answers"] == [1, 2, 1, 1]
    assert [(e["attribute_name"], e["meta"]["old_value"], e["meta"]["new_value"]) for e in _change_events(result)] == [
        ("sg_status_list", "ip", "fin"), ("description", None, "first pass"), ("cut_in", None, 1001),
        ("cut_out", None, 1100), ("description", "first pass", "second pass"), ("description", "second pass", None),
    ]


def test_unchanged_values_log_nothing_and_leave_updated_at(monkeypatch):
    result = _both([
        _update("Shot", 1, sg_status_list="ip"),
        _update("Shot", 1, description=None),
        _update("Shot", 2, cut_in=5),
        _update("Shot", 2, cut_in=5, cut_out=None),
    ], monkeypatch)
    assert result["plain_answers"] == [1, 1, 2, 2]
    assert len(_change_events(result)) == 1
    shot = _rows(result, "Shot")[1]
    assert shot["updated_at"] == shot["created_at"]


def test_renaming_by_the_display_field_renames_the_record_and_its_events(monkeypatch):
    result = _both([
        _update("Shot", 1, code="SH1_renamed", description="now renamed"),
        _update("Sequence", 1, code="SQ_new"),
    ], monkeypatch)
    assert result["plain_answers"] == [1, 1]
    assert _rows(result, "Shot")[1]["cached_display_name"] == "SH1_renamed"
    assert all("SH1_renamed" in event["description"] for event in _change_events(result)[:2])


def test_a_project_is_its_own_project_and_a_step_has_none(monkeypatch):
    result = _both([
        _update("Project", 1, sg_description="the demo", name="Demo 2"),
        _update("Step", 1, color="50,149,253", short_name="CP", list_order=3),
    ], monkeypatch)
    assert result["plain_answers"] == [1, 1]
    events = _change_events(result)
    assert events[0]["project"] == {"type": "Project", "id": 1}
    assert events[-1]["project"] is None


def test_dates_datetimes_floats_and_durations(monkeypatch):
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    aware = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    result = _both([
        _update("Task", 1, due_date="2024-02-29", start_date="2024-02-01", duration=480),
        _update("Playlist", 1, sg_date_and_time=naive),
        _update("Playlist", 1, sg_date_and_time=aware),
        _update("Version", 1, sg_frames_aspect_ratio=2, sg_movie_aspect_ratio=1.5),
        _update("Version", 1, sg_frames_aspect_ratio=2.0),
        _update("Version", 1, sg_version_type="Preview", sg_status_list="rev"),
    ], monkeypatch)
    assert len(result["plain_answers"]) == 6


def test_unicode_and_markup_in_text(monkeypatch):
    result = _both([
        _update("Shot", 1, description="caf\u00e9 \u2603 \U0001f3ac", code="\u30b7\u30e7\u30c3\u30c8"),
        _update("Shot", 2, description="a &lt; b <i>x</i>"),
    ], monkeypatch)
    assert result["outcomes"][1][1]["description"] == "a &lt; b <i>x</i>"  # the client un-escapes, not the site


@pytest.mark.parametrize("context", [
    CallContext(user=None, session_uuid=None, script_name="a_script"),
    CallContext(user={"type": "ApiUser", "id": 77}, session_uuid="s", script_name="gone"),
    CallContext(user={"type": "HumanUser", "id": 1, "name": "Ada"}, session_uuid="s", script_name="x"),
], ids=["no user", "user with no row", "user link with a name"])
def test_callers_with_and_without_a_user(monkeypatch, context):
    result = _both([_update("Shot", 1, description="by someone"), _update("Task", 1, content="paint")],
                   monkeypatch, context)
    assert result["plain_answers"] == [1, 1]


def test_rows_a_rig_wrote_by_hand(monkeypatch):
    def write_rows(engine: Engine) -> None:
        engine.tables["Shot"][50] = {"type": "Shot", "id": 50, "code": "rig", "project": None, "__retired": False}
        engine.tables["Shot"][51] = {"type": "Shot", "id": 51, "code": 7, "cut_in": 5.0, "__retired": False}

    result = _both([
        ("rig", write_rows),
        _update("Shot", 50, description="seen"),
        _update("Shot", 51, description="named by a number"),
        _update("Shot", 51, cut_in=5),  # equal, but an int where a float was: a change
    ], monkeypatch)
    assert result["plain_answers"] == [50, 51, 51]
    assert _change_events(result)[-1]["meta"]["new_value"] == 5
    assert _rows(result, "Shot")[50]["cached_display_name"] == "rig"


def test_an_event_table_a_rig_replaced_with_a_plain_dict(monkeypatch):
    def replace(engine: Engine) -> None:
        engine.tables["EventLogEntry"] = {}

    result = _both([("rig", replace), _update("Shot", 1, description="a"), _update("Shot", 1, description="b")],
                   monkeypatch)
    assert result["plain_answers"] == [1, 1]
    assert len(_rows(result, "EventLogEntry")) == 3  # two changes and the final create


# --- updates the plain path leaves to the general path --------------------------------


def test_faults_are_the_general_paths_and_change_nothing(monkeypatch):
    result = _both([
        _update("Shot", 1, cut_in="ten"),
        _update("Shot", 1, description="fine", sg_status_list="no such status"),
        _update("Shot", 1, no_such_field=1),
        _update("Shot", 1, description="fine", updated_at=dt.datetime(2020, 1, 1, tzinfo=UTC)),
        _update("Shot", 1, id=5),
        _update("Shot", 99, description="missing"),
        _update("Shot", "1", description="id as text"),
        _update("Shot", True, description="id as a flag"),
        _update("NoSuchType", 1, code="x"),
        _update(["Shot"], 1, code="x"),
        _update("Shot", 1, description=["a", "list"]),
    ], monkeypatch)
    assert [kind for kind, _ in result["outcomes"][:-1]] == ["fault"] * 11
    assert _change_events(result) == []


def test_retired_records(monkeypatch):
    def retire(engine: Engine) -> None:
        engine.call("delete", {"type": "Shot", "id": 2}, CallContext(user=dict(USER)))

    result = _both([("rig", retire), _update("Shot", 2, description="ghost")], monkeypatch)
    assert result["outcomes"][0][0] == "fault"
    assert result["plain_answers"] == []


def test_links_lists_flags_users_and_event_entries_take_the_general_path(monkeypatch):
    result = _both([
        _update("Shot", 1, sg_sequence=None),
        _update("Shot", 1, description="with a link", sg_sequence={"type": "Sequence", "id": 1}),
        _update("Shot", 1, tag_list=["a"]),
        _update("Version", 1, flagged=True),
        _update("HumanUser", 1, firstname="Augusta"),
        _update("EventLogEntry", 1, description="edited"),
        ("update", {"type": "Shot", "id": 1, "fields": {"description": "moded"}, "multi_entity_update_mode": "add"}),
    ], monkeypatch)
    assert result["plain_answers"] == []


def test_values_of_foreign_types_in_a_stored_row_take_the_general_path(monkeypatch):
    def odd_value(engine: Engine) -> None:
        engine.tables["Shot"][1]["description"] = ["a", "list", "a rig wrote"]

    result = _both([("rig", odd_value), _update("Shot", 1, description="text again")], monkeypatch)
    assert result["plain_answers"] == []


def test_schema_flag_enforcement_takes_the_general_path(monkeypatch):
    monkeypatch.setattr(site_choices, "ENFORCE_SCHEMA_FLAGS", True)
    result = _both([_update("Shot", 1, description="flags checked")], monkeypatch)
    assert result["plain_answers"] == []


def test_an_engine_with_a_store_commits_through_a_transaction():
    class Store:
        def __init__(self) -> None:
            self.commits: List[Any] = []

        def load(self) -> Tuple[None, None]:
            return None, None

        def commit(self, rows: Any, schema: Any) -> None:
            self.commits.append(sorted(rows))

    store = Store()
    engine = Engine(store=store)
    context = CallContext(user=None, script_name="s")
    shot = _create(engine, context, "Shot", code="SH1")
    assert engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "kept"}}, context)
    assert ("Shot", shot) in store.commits[-1]
    assert any(key[0] == "EventLogEntry" for key in store.commits[-1])


# --- the event table -------------------------------------------------------------------


def test_change_events_of_plain_updates_are_built_when_read():
    engine = Engine()
    context = CallContext(script_name="rig")
    shot = _create(engine, context, "Shot", code="SH1")
    for n in range(50):
        engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "take %d" % n}}, context)
    events = engine.tables["EventLogEntry"]
    changes = [row for row in events.values() if type(row) is DeferredRow]
    assert len(changes) == 50 and not any(row.built for row in changes)
    assert [row["meta"]["new_value"] for row in changes] == ["take %d" % n for n in range(50)]
    assert changes[-1]["description"] == 'rig changed "Description" from "take 48" to "take 49" on Shot SH1'
    assert list(events) == sorted(events)


def test_a_create_between_updates_keeps_the_event_order():
    engine = Engine()
    context = CallContext(script_name="rig")
    shot = _create(engine, context, "Shot", code="SH1")
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "a"}}, context)
    _create(engine, context, "Shot", code="SH2")
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "b"}}, context)
    events = engine.tables["EventLogEntry"]
    assert list(events) == sorted(events)
    assert [row["event_type"] for row in events.values()] == [
        "Shotgun_Shot_New", "Shotgun_Shot_Change", "Shotgun_Shot_New", "Shotgun_Shot_Change"]


def test_a_batch_rolled_back_after_plain_updates_removes_only_its_own_events():
    engine = Engine()
    context = CallContext(script_name="rig")
    shot = _create(engine, context, "Shot", code="SH1")
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "kept"}}, context)
    before = copy.deepcopy(engine.tables)
    with pytest.raises(EngineFault, match="request 1 .* nothing was applied"):
        engine.call("batch", [
            {"request_type": "update", "type": "Shot", "id": shot,
             "fields": [{"field_name": "description", "value": "rolled back"}]},
            {"request_type": "update", "type": "Shot", "id": shot, "fields": [{"field_name": "cut_in", "value": "x"}]},
        ], context)
    assert engine.tables == before
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "again"}}, context)
    assert max(engine.tables["EventLogEntry"]) == max(before["EventLogEntry"]) + 1


def test_rig_edits_of_the_event_table_keep_ids_fresh():
    engine = Engine()
    context = CallContext(script_name="rig")
    shot = _create(engine, context, "Shot", code="SH1")
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "a"}}, context)
    events = engine.tables["EventLogEntry"]
    events[1000] = {"type": "EventLogEntry", "id": 1000, "event_type": "Rig_Made", "__retired": False}
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "b"}}, context)
    assert max(events) == 1001 and events[1001]["meta"]["new_value"] == "b"
    del events[1001]
    engine.call("update", {"type": "Shot", "id": shot, "fields": {"description": "c"}}, context)
    assert 1001 not in events and events[1002]["meta"]["new_value"] == "c"
