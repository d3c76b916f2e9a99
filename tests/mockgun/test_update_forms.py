"""Plain-value updates reach the engine as a ``{field: value}`` dict, not as the wire's field list.

Both forms must answer alike: the same records, the same faults, the same
rows and event log entries afterwards.
"""
import collections
import datetime
import types

import pytest

from shotgun_api3 import Fault
from shotgun_api3.lib import mockgun
from shotgun_api3.shotgun import Shotgun as SiteClient

NOW = datetime.datetime(2026, 11, 27, 12, 0, 0, tzinfo=datetime.timezone.utc)


class Text(str):
    """A str subclass, as rigs sometimes pass (e.g. from a path library)."""


UPDATES = [
    ("Shot", 1, {"code": "sh010b", "description": "Ünïcode ✓"}),
    ("Shot", 1, {"description": None, "sg_cut_in": 1001}),
    ("Shot", 1, {"description": "same"}),
    ("Shot", 1, {"description": "same"}),
    ("Shot", 1, {"sg_status_list": "ip", "image": None}),
    ("Shot", 1, {"description": Text("from a subclass")}),
    ("Shot", 1, collections.OrderedDict([("code", "ordered")])),
    ("Shot", 1, {"sg_cut_in": 2.5}),
    ("Shot", 1, {"sg_cut_in": True}),
    ("Shot", 1, {"sg_status_list": "bogus"}),
    ("Shot", 1, {"code": "half", "nope": 1}),
    ("Shot", 1, {"id": 3}),
    ("Shot", 1, {"updated_at": None}),
    ("Shot", 99, {"code": "missing"}),
    ("Shot", "1", {"code": "id as text"}),
    ("NoSuchType", 1, {"code": "x"}),
    ("Task", 1, {"start_date": datetime.date(2026, 1, 2), "content": "dated"}),
    ("Task", 1, {"est_in_mins": 90, "content": "timed"}),
    ("Shot", 2, {"code": "retired"}),
    ("Shot", 1, {}),
]


def _site(paths, wire_form):
    saved = mockgun.Shotgun.get_schema_paths()
    mockgun.Shotgun.set_schema_paths(*paths)
    try:
        sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    finally:
        mockgun.Shotgun.set_schema_paths(*saved)
    sg._engine._clock = lambda: NOW
    if wire_form:
        sg._translate_update_params = types.MethodType(SiteClient._translate_update_params, sg)
    sg.create("Shot", {"code": "sh010", "description": "same"})
    sg.create("Shot", {"code": "sh020"})
    sg.create("Task", {"content": "layout", "entity": {"type": "Shot", "id": 1}})
    sg.delete("Shot", 2)
    return sg


def _answers(sg):
    answers = []
    for entity_type, entity_id, data in UPDATES:
        try:
            answers.append(sg.update(entity_type, entity_id, data))
        except Fault as fault:
            answers.append(("fault", str(fault)))
    return answers


def test_plain_value_updates_answer_and_store_as_the_wire_form_does(json_schema_paths):
    direct, wire = _site(json_schema_paths, False), _site(json_schema_paths, True)
    assert _answers(direct) == _answers(wire)
    assert direct._db == wire._db


def test_plain_value_updates_take_the_dict_form_and_links_the_wire_form(sg):
    plain = sg._translate_update_params("Shot", 1, {"code": "a", "sg_cut_in": 3}, None)
    assert plain == {"type": "Shot", "id": 1, "fields": {"code": "a", "sg_cut_in": 3}}
    link = {"type": "Asset", "id": 1, "name": "hero", "extra": "trimmed"}
    linked = sg._translate_update_params("Shot", 1, {"assets": [link]}, {"assets": "add"})
    assert linked["fields"] == [{"field_name": "assets", "value": [{"type": "Asset", "id": 1, "name": "hero"}],
                                 "multi_entity_update_mode": "add"}]


def test_the_update_faults_name_the_problem_and_change_nothing(sg):
    shot = sg.create("Shot", {"code": "sh010"})
    row = dict(sg._db["Shot"][shot["id"]])
    events = len(sg._db["EventLogEntry"])
    with pytest.raises(Fault, match="Shot.nope doesn't exist"):
        sg.update("Shot", shot["id"], {"code": "changed", "nope": 1})
    assert sg._db["Shot"][shot["id"]] == row
    assert len(sg._db["EventLogEntry"]) == events
