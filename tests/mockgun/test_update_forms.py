"""In site mode, mockgun's ``update`` hands plain values to the engine as a ``{field: value}`` dict.

The client's own ``update`` sends the wire's list of field entries through
``_call_rpc``. Both must answer alike: the same records, the same faults, the
same rows and event log entries afterwards.
"""
import collections
import datetime
from unittest import mock

import pytest

from shotgun_api3 import Fault
from shotgun_api3.lib import mockgun
from shotgun_api3.shotgun import Shotgun as SiteClient
from tests.support.schema_paths import mockgun_schema_paths, mockgun_site_semantics



@pytest.fixture(autouse=True)
def site_mode():
    """Every mockgun of this module answers as a site: the shortcut is a site-mode path."""
    with mockgun_site_semantics():
        yield


NOW = datetime.datetime(2026, 11, 27, 12, 0, 0, tzinfo=datetime.timezone.utc)


class Text(str):
    """A str subclass, as rigs sometimes pass (e.g. from a path library)."""


UPDATES = [
    ("Shot", 1, {"code": "sh010b", "description": "Ünïcode ✓"}),
    ("Shot", 1, {"description": None, "sg_cut_in": 1001}),
    ("Shot", 1, {"description": "a &lt;b&gt; c"}),
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
    ("HumanUser", 1, {"locked_until": datetime.datetime(2026, 12, 1, 9, 30)}),
    ("HumanUser", 1, {"locked_until": datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.timezone.utc)}),
    ("HumanUser", 1, {"locked_until": "2026-12-01T09:30:00Z"}),
    ("HumanUser", 1, {"locked_until": None, "firstname": "Ada"}),
    ("Shot", 1, {"sg_sequence": {"type": "Sequence", "id": 1, "name": "ignored", "extra": 1}}),
    ("Shot", 1, {"assets": [{"type": "Asset", "id": 1}], "code": "linked"}),
]


def _site(paths):
    with mockgun_schema_paths(paths):
        sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    sg._engine._clock = lambda: NOW
    sg.create("HumanUser", {"login": "ada", "lastname": "Lovelace"})
    sg.create("Shot", {"code": "sh010", "description": "same"})
    sg.create("Shot", {"code": "sh020"})
    sg.create("Task", {"content": "layout", "entity": {"type": "Shot", "id": 1}})
    sg.create("Sequence", {"code": "sq01"})
    sg.create("Asset", {"code": "hero"})
    sg.delete("Shot", 2)
    return sg


def _answers(update):
    answers = []
    for entity_type, entity_id, data in UPDATES:
        try:
            answers.append(update(entity_type, entity_id, data))
        except Fault as fault:
            answers.append(("fault", str(fault)))
    return answers


def test_plain_value_updates_answer_and_store_as_the_clients_wire_form_does(json_schema_paths):
    direct, wire = _site(json_schema_paths), _site(json_schema_paths)
    direct_answers = _answers(direct.update)
    wire_answers = _answers(lambda *args: SiteClient.update(wire, *args))
    assert direct_answers == wire_answers
    assert direct._db == wire._db
    assert ("fault", "API update() CRUD ERROR: Shot.nope doesn't exist") in direct_answers


def test_a_patched_rpc_seam_sees_every_update(sg, monkeypatch):
    shot = sg.create("Shot", {"code": "sh010"})
    sent = []
    real_call_rpc = sg._call_rpc
    monkeypatch.setattr(sg, "_call_rpc", lambda method, params, *args, **kwargs: (
        sent.append((method, params)), real_call_rpc(method, params, *args, **kwargs))[1])
    sg.update("Shot", shot["id"], {"code": "plain", "sg_cut_in": 3, "description": None})
    assert sent[-1] == ("update", {"type": "Shot", "id": shot["id"], "fields": [
        {"field_name": "code", "value": "plain"}, {"field_name": "sg_cut_in", "value": 3},
        {"field_name": "description", "value": None}]})
    link = {"type": "Asset", "id": sg.create("Asset", {"code": "hero"})["id"], "name": "hero", "extra": "trimmed"}
    sg.update("Shot", shot["id"], {"assets": [link]}, {"assets": "add"})
    assert sent[-1] == ("update", {"type": "Shot", "id": shot["id"], "fields": [
        {"field_name": "assets", "value": [{"type": "Asset", "id": link["id"], "name": "hero"}],
         "multi_entity_update_mode": "add"}]})


def test_a_seam_patched_on_the_class_sees_plain_updates_too(sg):
    shot = sg.create("Shot", {"code": "sh010"})
    with mock.patch.object(mockgun.Shotgun, "_call_rpc", side_effect=RuntimeError("session expired")):
        with pytest.raises(RuntimeError, match="session expired"):
            sg.update("Shot", shot["id"], {"code": "plain"})
    assert sg.find_one("Shot", [["id", "is", shot["id"]]], ["code"])["code"] == "sh010"


def test_the_update_faults_name_the_problem_and_change_nothing(sg):
    shot = sg.create("Shot", {"code": "sh010"})
    row = dict(sg._db["Shot"][shot["id"]])
    events = len(sg._db["EventLogEntry"])
    with pytest.raises(Fault, match="Shot.nope doesn't exist"):
        sg.update("Shot", shot["id"], {"code": "changed", "nope": 1})
    assert sg._db["Shot"][shot["id"]] == row
    assert len(sg._db["EventLogEntry"]) == events
