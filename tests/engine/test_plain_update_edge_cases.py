"""Awkward updates for the plain path: each runs through both paths, which must store and answer the same.

Odd values, schema changes between updates, rows and tables a rig wrote by
hand, odd callers and flipped site choices (the harness is
``test_plain_update._both``).
"""

from __future__ import annotations

import collections
import datetime as dt
from decimal import Decimal

import pytest

from shotgun_api3._engine import CallContext, Engine, site_choices

from .test_plain_update import USER, _both, _update

UTC = dt.timezone.utc


def rpc(method, params, user=USER):
    """A step that makes another call (with its own caller) between updates."""
    def step(engine: Engine) -> None:
        engine.call(method, params, CallContext(user=dict(user) if user else None))
    return ("rig", step)


def rig(fn):
    """A step that edits the engine's tables (mockgun's ``_db``) by hand."""
    return ("rig", fn)


SCENARIOS = {
    "empty_fields": [_update("Shot", 1), _update("Shot", 99)],
    "type_id_in_fields": [
        ("update", {"type": "Shot", "id": 1, "fields": {"type": "Shot"}}),
        ("update", {"type": "Shot", "id": 1, "fields": {"id": 1}}),
        ("update", {"type": "Shot", "id": 1, "fields": {"description": "x", "type": "Shot"}}),
    ],
    "created_by_etc": [_update("Shot", 1, created_by=None), _update("Shot", 1, updated_by=None),
                       _update("Shot", 1, created_at=dt.datetime(2020, 1, 1, tzinfo=UTC)),
                       _update("Shot", 1, cached_display_name="mine"),
                       _update("Shot", 1, code="NEW", cached_display_name="mine2")],
    "numbers": [
        _update("Shot", 1, cut_in=2**31 - 1), _update("Shot", 1, cut_in=2**31), _update("Shot", 1, cut_in=-2**31),
        _update("Shot", 1, cut_in=True), _update("Shot", 1, cut_in=1.0), _update("Shot", 1, cut_in=10**5000),
        _update("Version", 1, sg_movie_aspect_ratio=float("nan")),
        _update("Version", 1, sg_movie_aspect_ratio=float("inf")),
        _update("Version", 1, sg_movie_aspect_ratio=Decimal("1.25")),
        _update("Version", 1, sg_movie_aspect_ratio=1.25),
        _update("Version", 1, sg_movie_aspect_ratio=-0.0),
        _update("Version", 1, sg_movie_aspect_ratio=0.0),
        _update("Version", 1, sg_movie_aspect_ratio=0),
        _update("Version", 1, sg_movie_aspect_ratio=10**400),
        _update("Version", 1, sg_movie_aspect_ratio=Decimal("NaN")),
        _update("Version", 1, sg_movie_aspect_ratio=True),
    ],
    "nan_stored": [
        rig(lambda e: e.tables["Version"][1].__setitem__("sg_movie_aspect_ratio", float("nan"))),
        _update("Version", 1, sg_movie_aspect_ratio=1.0),
        rig(lambda e: e.tables["Version"][1].__setitem__("sg_movie_aspect_ratio", float("nan"))),
        _update("Version", 1, description="x"),
    ],
    "dates": [
        _update("Task", 1, due_date="2024-02-30"), _update("Task", 1, due_date="2024-2-3"),
        _update("Task", 1, due_date=dt.date(2024, 3, 1)), _update("Task", 1, due_date="2024-03-01"),
        _update("Task", 1, due_date=dt.datetime(2024, 3, 1)), _update("Task", 1, due_date=""),
        _update("Task", 1, due_date=20240301),
    ],
    "datetimes": [
        _update("Playlist", 1, sg_date_and_time="2024-01-02T03:04:05Z"),
        _update("Playlist", 1, sg_date_and_time=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        _update("Playlist", 1, sg_date_and_time=dt.datetime(2024, 1, 2, 5, 4, 5,
                                                            tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        _update("Playlist", 1, sg_date_and_time=dt.datetime(2024, 1, 2, 3, 4, 5)),
        _update("Playlist", 1, sg_date_and_time=dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
        _update("Playlist", 1, sg_date_and_time="garbage"),
        _update("Playlist", 1, sg_date_and_time=dt.date(2024, 1, 2)),
    ],
    "odd_types": [
        _update("Step", 1, color="pipeline_step"), _update("Step", 1, color=" 1, 2 ,3 "), _update("Step", 1, color="300,1,1"),
        ("update", {"type": "Step", "id": 1, "fields": {"entity_type": "Shot"}}), ("update", {"type": "Step", "id": 1, "fields": {"entity_type": "Nope"}}),
        _update("Task", 1, duration=-5), _update("Task", 1, sg_status_list="ip"),
        _update("Project", 1, color="Black", start_date="2024-01-01", sg_status="Active"),
    ],
    "display_field_non_str": [
        rig(lambda e: e.tables["Shot"][1].__setitem__("code", 12.5)),
        rig(lambda e: e.tables["Shot"][1].pop("cached_display_name")),
        _update("Shot", 1, description="a"),
        rig(lambda e: e.tables["Shot"][1].__setitem__("code", dt.datetime(2024, 1, 1))),
        rig(lambda e: e.tables["Shot"][1].pop("cached_display_name")),
        _update("Shot", 1, description="b"),
        rig(lambda e: e.tables["Shot"][1].__setitem__("code", True)),
        _update("Shot", 1, code="x", description="c"),
        _update("Shot", 1, code=""),
    ],
    "schema_changes": [
        rpc("schema_field_create", {"type": "Shot", "data_type": "text",
                                    "properties": [{"property_name": "name", "value": "Extra"}]}),
        _update("Shot", 1, sg_extra="hello"),
        rpc("schema_field_update", {"type": "Shot", "field_name": "sg_extra",
                                    "properties": [{"property_name": "name", "value": "Extra Label"}]}),
        _update("Shot", 1, sg_extra="hello again"),
        rpc("schema_field_create", {"type": "Shot", "data_type": "list",
                                    "properties": [{"property_name": "name", "value": "Kind"},
                                                   {"property_name": "valid_values", "value": ["a", "b"]}]}),
        _update("Shot", 1, sg_kind="a"), _update("Shot", 1, sg_kind="c"),
        rpc("schema_field_update", {"type": "Shot", "field_name": "sg_kind",
                                    "properties": [{"property_name": "valid_values", "value": ["c"]}]}),
        _update("Shot", 1, sg_kind="c"),
        rpc("schema_field_delete", {"type": "Shot", "field_name": "sg_extra"}),
        _update("Shot", 1, sg_extra="gone"),
        rpc("schema_field_create", {"type": "EventLogEntry", "data_type": "text",
                                    "properties": [{"property_name": "name", "value": "Ev Extra"},
                                                   {"property_name": "default_value", "value": "dflt"}]}),
        _update("Shot", 1, description="after event schema change"),
        rpc("schema_field_create", {"type": "Shot", "data_type": "number",
                                    "properties": [{"property_name": "name", "value": "Num"}]}),
        _update("Shot", 1, sg_num=3),
        rpc("schema_field_update", {"type": "Shot", "field_name": "code",
                                    "properties": [{"property_name": "name", "value": "Shot Code"}]}),
        _update("Shot", 1, code="relabelled"),
    ],
    "schema_data_type_change": [
        rpc("schema_field_update", {"type": "Shot", "field_name": "description",
                                    "properties": [{"property_name": "data_type", "value": "number"}]}),
        _update("Shot", 1, description=5),
        _update("Shot", 1, description="text"),
    ],
    "rig_replaces_tables": [
        rig(lambda e: setattr(e, "tables", {k: dict(v) for k, v in e.tables.items()})),
        _update("Shot", 1, description="after replace"),
        rig(lambda e: e.tables.pop("EventLogEntry")),
        _update("Shot", 1, description="no event table"),
        rig(lambda e: e.tables.__setitem__("Shot", collections.OrderedDict(e.tables["Shot"]))),
        _update("Shot", 1, description="ordered"),
    ],
    "rig_row_id_mismatch": [
        rig(lambda e: e.tables["Shot"].__setitem__(60, dict(e.tables["Shot"][1], id=61))),
        _update("Shot", 60, description="mismatch"),
        _update("Shot", 60),
    ],
    "rig_row_without_updated_fields": [
        rig(lambda e: e.tables["Shot"].__setitem__(70, {"type": "Shot", "id": 70})),
        _update("Shot", 70, description="bare"),
        _update("Shot", 70, code="bare"),
        rig(lambda e: e.tables["Shot"][70].__setitem__("updated_by", {"type": "HumanUser", "id": 1, "name": "x"})),
        _update("Shot", 70, code="bare2"),
        rig(lambda e: e.tables["Shot"][70].__setitem__("project", {"type": "Project", "id": 1})),
        _update("Shot", 70, code="bare3"),
        rig(lambda e: e.tables["Shot"][70].__setitem__("project", "not a link")),
        _update("Shot", 70, code="bare4"),
    ],
    "event_table_rig_rows": [
        rig(lambda e: e.tables["EventLogEntry"].__setitem__(500, {"type": "EventLogEntry", "id": 500})),
        _update("Shot", 1, description="a", code="b"),
        rig(lambda e: e.tables["EventLogEntry"].__setitem__("x", {"type": "EventLogEntry", "id": "x"})),
        _update("Shot", 1, description="c"),
        rig(lambda e: e.tables["EventLogEntry"].clear()),
        _update("Shot", 1, description="d", cut_in=1, cut_out=2),
    ],
    "str_subclass": [_update("Shot", 1, description=type("S", (str,), {})("sub"))],
    "read_memo": [rig(lambda e: setattr(e, "read_memo", {})), _update("Shot", 1, description="memo"),
                  rig(lambda e: setattr(e, "read_memo", None))],
    "retired_and_revived": [
        rpc("delete", {"type": "Shot", "id": 1}), _update("Shot", 1, description="x"),
        rpc("revive", {"type": "Shot", "id": 1}), _update("Shot", 1, description="y"),
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_both_paths_agree(monkeypatch, name):
    _both(SCENARIOS[name], monkeypatch)


def _users():
    return {
        "apiuser_row": CallContext(user={"type": "ApiUser", "id": 1}, session_uuid="s", script_name="scr"),
        "missing_humanuser": CallContext(user={"type": "HumanUser", "id": 99}, session_uuid="s", script_name="scr"),
        "user_type_unknown": CallContext(user={"type": "Nope", "id": 1}, session_uuid="s", script_name="scr"),
        "user_without_id": CallContext(user={"type": "HumanUser"}, session_uuid="s", script_name="scr"),
        "user_id_str": CallContext(user={"type": "HumanUser", "id": "1"}, session_uuid="s", script_name="scr"),
        "user_unhashable": CallContext(user={"type": "HumanUser", "id": [1]}, session_uuid="s", script_name="scr"),
        "user_not_dict": CallContext(user="ada", session_uuid="s", script_name="scr"),
    }


@pytest.mark.parametrize("key", sorted(_users()))
def test_odd_callers(monkeypatch, key):
    ctx = _users()[key]

    def make_api_user(e):
        e.call("create", {"type": "ApiUser", "fields": [{"field_name": "firstname", "value": "bot"}]}, CallContext())

    def retire_user(e):
        e.call("delete", {"type": "HumanUser", "id": 1}, CallContext())

    _both([rig(make_api_user), _update("Shot", 1, description="by user"), _update("ApiUser", 1, firstname="bot2"),
           rig(retire_user), _update("Shot", 1, description="user retired")], monkeypatch, ctx)


def test_an_unknown_type_with_a_table_a_rig_made_is_a_fault(monkeypatch):
    _both([rig(lambda e: e.tables.__setitem__("Bogus", {1: {"type": "Bogus", "id": 1}})),
           _update("Bogus", 1), _update("Bogus", 1, code="x")], monkeypatch)


def test_a_row_without_an_id(monkeypatch):
    _both([rig(lambda e: e.tables["Shot"].__setitem__(80, {"type": "Shot", "code": "noid"})),
           _update("Shot", 80), _update("Shot", 80, description="x")], monkeypatch)


@pytest.mark.parametrize("flag", ["UPDATE_RETIRED_FAULTS", "CHECK_VALID_VALUES", "CASE_INSENSITIVE_LISTS",
                                  "VALID_KEY_IN_WRITE_RESULTS", "TOUCH_UPDATED_AT_ONLY_ON_CHANGE"])
def test_site_choices_flipped(monkeypatch, flag):
    monkeypatch.setattr(site_choices, flag, not getattr(site_choices, flag))
    _both([rpc("delete", {"type": "Shot", "id": 2}), _update("Shot", 2, description="retired"),
           _update("Shot", 1, sg_status_list="nope"), _update("Shot", 1, sg_status_list="fin"),
           _update("Shot", 1, description="x")], monkeypatch)


def _new_field(entity_type, data_type, name, **props):
    properties = [{"property_name": "name", "value": name}] + [{"property_name": k, "value": v} for k, v in props.items()]
    return rpc("schema_field_create", {"type": entity_type, "data_type": data_type, "properties": properties})


def test_every_plain_type_on_fields_made_by_schema_field_create(monkeypatch):
    steps = [_new_field("Shot", t, "F " + t) for t in ("float", "percent", "currency", "duration", "timecode", "footage",
                                                 "date", "date_time", "color", "uuid", "entity_type", "status_list")]
    values = {
        "float": [1, 1.0, Decimal("2.5"), 1e-300, -999999999.999999, 1e9],
        "percent": [50, 50.0, -1, 2**31],
        "currency": [1.005, Decimal("1.005"), 3, 9999999999999.99, 1e14],
        "duration": [60, 0, -0],
        "timecode": [1000, 1000.0],
        "footage": ["10-05", 165, "0-00", -3, "abc", 1.5, "10-5"],
        "date": ["2024-12-31", dt.date(2024, 12, 31), "31/12/2024"],
        "date_time": [dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2024-01-01T05:00:00Z"],
        "color": ["1,2,3", "001,002,003", "Red"],
        "uuid": ["12345678-1234-5678-1234-567812345678", "12345678123456781234567812345678", "{12345678-1234-5678-1234-567812345678}", "nope"],
        "entity_type": ["Shot", "shot"],
        "status_list": ["ip", "whatever"],
    }
    for t, vs in values.items():
        for v in vs:
            steps.append(("update", {"type": "Shot", "id": 1, "fields": {"sg_f_" + t: v}}))
    _both(steps, monkeypatch)


def test_event_log_fields_of_list_types_made_between_updates(monkeypatch):
    _both([_update("Shot", 1, description="before"),
           _new_field("EventLogEntry", "multi_entity", "Links", valid_types=["Shot"]),
           _update("Shot", 1, description="after"),
           _new_field("EventLogEntry", "list", "Kind", valid_values=["a"], default_value="a"),
           _update("Shot", 1, description="after2")], monkeypatch)


def test_a_display_field_holding_a_number(monkeypatch):
    _both([rig(lambda e: e.tables["Step"].__setitem__(9, {"type": "Step", "id": 9, "code": 10**10, "__retired": False})),
           _update("Step", 9, short_name="x"),
           ("update", {"type": "Step", "id": 9, "fields": {"code": "named"}})], monkeypatch)


def test_a_rig_swapping_the_event_table_out_and_back(monkeypatch):
    saved = {}

    def take(e):
        saved["t"] = e.tables["EventLogEntry"]
        e.tables["EventLogEntry"] = {}

    def put_back(e):
        e.tables["EventLogEntry"] = saved["t"]

    _both([_update("Shot", 1, description="a"), _update("Shot", 1, description="b"), rig(take),
           _update("Shot", 1, description="c"), rig(put_back), _update("Shot", 1, description="d")], monkeypatch)


def test_a_rig_deleting_every_event(monkeypatch):
    def wipe(e):
        for k in list(e.tables["EventLogEntry"]):
            del e.tables["EventLogEntry"][k]
    _both([_update("Shot", 1, description="a", cut_in=1), rig(wipe), _update("Shot", 1, description="b", cut_in=2),
           _update("Shot", 1, description="c")], monkeypatch)


def test_many_fields_in_one_update(monkeypatch):
    _both([_update("Shot", 1, description="a", cut_in=1, cut_out=2, head_in=3, head_out=4, tail_in=5, tail_out=6,
                   sg_cut_order=7, code="renamed", sg_status_list="fin")], monkeypatch)


class Unprintable:
    """A display value whose ``str()`` fails (as an int of 5,000 digits does on Python 3.11+)."""

    def __str__(self) -> str:
        raise ValueError("cannot print this name")

    def __repr__(self) -> str:
        return "Unprintable()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unprintable)

    __hash__ = object.__hash__


def test_a_display_value_that_cannot_be_printed_leaves_the_row_as_it_was(monkeypatch):
    result = _both([rig(lambda e: e.tables["Shot"].__setitem__(90, {"type": "Shot", "id": 90, "code": Unprintable(),
                                                                    "__retired": False})),
                    _update("Shot", 90, description="x")], monkeypatch)
    assert result["outcomes"][0] == ("ValueError", "cannot print this name")
    assert "description" not in result["tables"]["Shot"][90]
