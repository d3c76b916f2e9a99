"""What test rigs do to a mockgun besides calling the API: ``_db`` edits, attributes, patches (docs/mockgun.rst)."""
import datetime
import json
import pickle
import socket
from unittest import mock

import pytest

import shotgun_api3
from shotgun_api3.lib import mockgun

UTC = datetime.timezone.utc


def shot_row(shot_id, code, **fields):
    row = {"type": "Shot", "id": shot_id, "code": code, "__retired": False}
    row.update(fields)
    return row


def test_rows_written_into_db_are_found(sg):
    sg._db["Project"][1] = {"type": "Project", "id": 1, "name": "Pilot", "__retired": False}
    sg._db["Shot"][3] = shot_row(3, "sh030", project={"type": "Project", "id": 1, "name": "Pilot"},
                                 created_at=datetime.datetime(2020, 1, 2, 3, 4, 5))
    found = sg.find("Shot", [["project", "is", {"type": "Project", "id": 1}]], ["code", "project", "created_at"])
    assert found == [{"type": "Shot", "id": 3, "code": "sh030",
                      "project": {"type": "Project", "id": 1, "name": "Pilot"},
                      "created_at": datetime.datetime(2020, 1, 2, 3, 4, 5)}]


def test_fields_missing_from_a_hand_written_row_read_as_none_as_with_the_reference(sg):
    sg._db["Shot"][1] = shot_row(1, "sh010")
    assert sg.find_one("Shot", [["code", "is", "sh010"]], ["sg_cut_in", "assets", "description"]) == {
        "type": "Shot", "id": 1, "sg_cut_in": None, "assets": None, "description": None}


def test_fields_missing_from_a_hand_written_row_read_as_empty_in_site_mode(site_sg):
    site_sg._db["Shot"][1] = shot_row(1, "sh010")
    assert site_sg.find_one("Shot", [["code", "is", "sh010"]], ["sg_cut_in", "assets", "description"]) == {
        "type": "Shot", "id": 1, "sg_cut_in": None, "assets": [], "description": None}


def test_editing_a_stored_row_is_seen_by_the_next_find(sg):
    shot = sg.create("Shot", {"code": "sh010"})
    sg._db["Shot"][shot["id"]]["code"] = "renamed"
    assert sg.find_one("Shot", [["id", "is", shot["id"]]], ["code"])["code"] == "renamed"
    assert sg.find("Shot", [["code", "is", "sh010"]]) == []


def test_a_row_marked_retired_in_db_is_only_found_with_retired_only(sg):
    sg._db["Shot"][1] = shot_row(1, "sh010")
    sg._db["Shot"][2] = shot_row(2, "sh020", __retired=True)
    assert [shot["id"] for shot in sg.find("Shot", [])] == [1]
    assert [shot["id"] for shot in sg.find("Shot", [], retired_only=True)] == [2]


def test_create_after_hand_written_rows_takes_the_next_id(sg):
    sg._db["Shot"][10] = shot_row(10, "sh100")
    assert sg.create("Shot", {"code": "sh110"})["id"] == 11


def test_replacing_a_table_empties_it_for_later_finds(sg):
    sg.create("Shot", {"code": "sh010"})
    sg._db["EventLogEntry"] = {}
    sg._db["Shot"] = {}
    assert sg.find("EventLogEntry", []) == []
    assert sg.find("Shot", []) == []


def test_replacing_the_whole_db_is_seen_by_later_calls(sg):
    other = {"Shot": {5: shot_row(5, "sh050")}}
    sg._db = other
    assert sg.find("Shot", [], ["code"]) == [{"type": "Shot", "id": 5, "code": "sh050"}]
    assert sg._db is other
    assert sg.find("Asset", []) == []


def test_db_prints_and_pickles(sg):
    sg.create("Shot", {"code": "sh010", "sg_cut_in": 3})
    assert "sh010" in repr(sg._db)
    copy = pickle.loads(pickle.dumps(sg._db))
    assert copy["Shot"][1]["code"] == "sh010"


def test_results_never_share_objects_with_the_store(sg):
    asset = sg.create("Asset", {"code": "hero"})
    shot = sg.create("Shot", {"code": "sh010", "assets": [asset]})
    found = sg.find_one("Shot", [["id", "is", shot["id"]]], ["assets"])
    found["assets"].append({"type": "Asset", "id": 99})
    found["assets"][0]["id"] = 42
    assert sg._db["Shot"][shot["id"]]["assets"] == [{"type": "Asset", "id": asset["id"]}]


def test_changing_what_was_passed_to_create_or_update_later_leaves_the_store_alone(sg):
    asset = sg.create("Asset", {"code": "hero"})
    link = {"type": "Asset", "id": asset["id"]}
    assets, tags, splits = [link], ["x"], {"k": [1]}
    shot = sg.create("Shot", {"code": "sh010", "assets": assets, "tag_list": tags})
    task = sg.create("Task", {"content": "layout", "entity": link})
    sg.update("Task", task["id"], {"splits": splits, "content": "plain text"})
    link["id"] = 99
    assets.append({"type": "Asset", "id": 5})
    tags.append("y")
    splits["k"].append(2)
    stored_shot = sg._db["Shot"][shot["id"]]
    assert stored_shot["assets"] == [{"type": "Asset", "id": asset["id"]}]
    assert stored_shot["tag_list"] == ["x"]
    assert sg._db["Task"][task["id"]]["entity"] == {"type": "Asset", "id": asset["id"]}
    assert sg._db["Task"][task["id"]]["splits"] == {"k": [1]}


def test_write_results_share_no_objects_with_the_store(sg):
    asset = sg.create("Asset", {"code": "hero"})
    shot = sg.create("Shot", {"code": "sh010", "assets": [asset], "tag_list": ["x"]}, ["assets", "tag_list"])
    updated = sg.update("Shot", shot["id"], {"tag_list": ["y"], "assets": [asset]})
    for record in (shot, updated):
        record["tag_list"].append("z")
        record.get("assets", [{}])[0]["id"] = 42
    stored = sg._db["Shot"][shot["id"]]
    assert stored["tag_list"] == ["y"]
    assert stored["assets"] == [{"type": "Asset", "id": asset["id"]}]


def test_values_inside_written_dicts_are_stored_as_given_as_with_the_reference(sg):
    task = sg.create("Task", {"content": "t", "splits": {"when": datetime.date(2024, 1, 10), "frames": (1, 2)}})
    sg.update("Task", task["id"], {"due_date": datetime.date(2024, 2, 1)})
    stored = sg._db["Task"][task["id"]]
    assert stored["splits"] == {"when": datetime.date(2024, 1, 10), "frames": (1, 2)}
    assert stored["due_date"] == "2024-02-01"


def test_dates_and_tuples_inside_written_values_arrive_as_they_would_over_the_wire_in_site_mode(site_sg):
    task = site_sg.create("Task", {"content": "t", "splits": {"when": datetime.date(2024, 1, 10), "frames": (1, 2)}})
    site_sg.update("Task", task["id"], {"due_date": datetime.date(2024, 2, 1)})
    stored = site_sg._db["Task"][task["id"]]
    assert stored["splits"] == {"when": "2024-01-10", "frames": [1, 2]}
    assert stored["due_date"] == "2024-02-01"


def test_naive_and_aware_datetimes_come_back_as_written(sg):
    naive = datetime.datetime(2024, 5, 1, 10, 0, 30)
    aware = datetime.datetime(2024, 5, 1, 10, 0, 30, tzinfo=UTC)
    first = sg.create("HumanUser", {"login": "ann", "locked_until": naive})
    second = sg.create("HumanUser", {"login": "bob", "locked_until": aware})
    assert sg.find_one("HumanUser", [["id", "is", first["id"]]], ["locked_until"])["locked_until"] == naive
    back = sg.find_one("HumanUser", [["id", "is", second["id"]]], ["locked_until"])["locked_until"]
    assert back == aware and back.tzinfo is not None


def test_date_objects_are_stored_as_site_date_strings(sg, site_sg):
    for mock_sg in (sg, site_sg):
        task = mock_sg.create("Task", {"content": "layout", "due_date": datetime.date(2024, 1, 10)})
        assert mock_sg._db["Task"][task["id"]]["due_date"] == "2024-01-10"
    # The reference compares stored date strings with the filter's value: a date object matches none.
    assert sg.find("Task", [["due_date", "is", datetime.date(2024, 1, 10)]]) == []
    assert sg.find("Task", [["due_date", "is", "2024-01-10"]], ["due_date"])[0]["due_date"] == "2024-01-10"
    found = site_sg.find("Task", [["due_date", "is", datetime.date(2024, 1, 10)]], ["due_date"])
    assert found[0]["due_date"] == "2024-01-10"


def test_finds_counts_find_and_find_one(sg):
    before = sg.finds
    sg.find("Shot", [])
    sg.find_one("Shot", [])
    assert sg.finds == before + 2


def test_constructor_takes_the_real_clients_arguments_and_checks_no_credentials(sg):
    sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key", True, None, True, None,
                         None, None, None, None, None)
    assert sg.base_url == "http://unit_test_mock_sg"
    assert sg.config.script_name == "mock_user"
    assert mockgun.Shotgun("https://Site.Example.com/").config.server == "site.example.com"
    assert mockgun.Shotgun("http://x", api_key="only a key").find("Shot", []) == []


def test_constructor_refuses_urls_that_are_not_http(sg):
    with pytest.raises(ValueError):
        type(sg)("ftp://unit_test_mock_sg")


def test_config_attributes_rigs_set_are_settable(sg):
    sg.config.server = "other.example.com"
    sg.config.timeout_secs = 5
    sg.config.session_token = "token-1"
    sg.config.proxy_handler = None
    assert (sg.config.server, sg.config.timeout_secs) == ("other.example.com", 5)
    assert sg.get_session_token() == "bogus_session_token"
    assert sg.config.records_per_page == 500


def test_get_session_token_answers_the_reference_token(sg, site_sg):
    assert sg.get_session_token() == "bogus_session_token"
    assert site_sg.get_session_token() == "bogus_session_token"
    site_sg.config.session_token = "token-1"
    assert site_sg.get_session_token() == "token-1"


def test_server_info_is_assignable_and_version_gates_follow_it(sg):
    user = sg.create("HumanUser", {"login": "ann"})
    assert sg.server_info["version"][0] >= 8
    assert sg.following(user) == []
    sg.server_info = {"version": (7, 0, 0)}
    assert sg.server_info == {"version": (7, 0, 0)}
    assert sg.server_caps.version == (7, 0, 0)
    with pytest.raises(shotgun_api3.ShotgunError, match="7.0.12"):
        sg.following(user)
    assert sg.info() == {"version": (7, 0, 0)}


def test_nothing_touches_the_network(sg, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("mockgun opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    sg.connect()
    sg.info()
    sg.create("Shot", {"code": "sh010"})
    sg.find("Shot", [])
    sg.schema_read()
    sg.close()


def test_site_errors_raise_the_faults_the_real_client_raises(site_sg):
    sg = site_sg
    with pytest.raises(shotgun_api3.Fault, match="NoSuchType"):
        sg.find("NoSuchType", [])
    with pytest.raises(shotgun_api3.Fault, match="sg_cut_in"):
        sg.create("Shot", {"code": "x", "sg_cut_in": "ten"})
    assert sg.find("Shot", []) == []


@pytest.mark.parametrize("target", [
    "shotgun_api3.lib.mockgun.Shotgun.find",
    "shotgun_api3.lib.mockgun.Shotgun.find_one",
    "shotgun_api3.lib.mockgun.Shotgun.create",
    "shotgun_api3.lib.mockgun.Shotgun.upload",
    "shotgun_api3.lib.mockgun.Shotgun.upload_thumbnail",
    "shotgun_api3.lib.mockgun.mockgun.Shotgun.upload",
])
def test_reference_patch_targets_exist_and_patch(sg, target):
    with mock.patch(target, return_value="patched") as patched:
        name = target.rsplit(".", 1)[1]
        assert getattr(sg, name)("Shot", 1, "/nope") == "patched"
        assert patched.called
    assert getattr(mockgun.Shotgun, name) is not patched


@pytest.mark.parametrize("version", [(7, 0, 0), (8, 50, 0)])
def test_find_pages_through_every_record_whatever_the_assigned_version(sg, version):
    sg.server_info = {"version": version}
    sg.config.records_per_page  # computed from the assigned info: 500
    for shot_id in range(1, 1203):
        sg._db["Shot"][shot_id] = shot_row(shot_id, "sh%04d" % shot_id)
    found = sg.find("Shot", [], ["code"])
    assert [shot["id"] for shot in found] == list(range(1, 1203))
    assert len(sg.find("Shot", [], limit=501)) == 501
    assert [shot["id"] for shot in sg.find("Shot", [], limit=10, page=3)] == list(range(21, 31))


def test_event_log_entries_follow_the_session_uuid_set_between_calls(site_sg):
    sg = site_sg
    sg.create("Shot", {"code": "sh010"})
    sg.set_session_uuid("uuid-1")
    sg.create("Shot", {"code": "sh020"})
    sg.set_session_uuid("uuid-2")
    sg.create("Shot", {"code": "sh030"})
    events = sg.find("EventLogEntry", [["event_type", "is", "Shotgun_Shot_New"]], ["session_uuid"],
                     order=[{"field_name": "id", "direction": "asc"}])
    assert [event["session_uuid"] for event in events] == [None, "uuid-1", "uuid-2"]


def test_change_events_read_through_db_are_whole_rows(site_sg):
    sg = site_sg
    """Change events of plain values are built on first use (DeferredRow): a rig reading _db sees them whole."""
    shot = sg.create("Shot", {"code": "sh010"})
    sg.set_session_uuid("uuid-1")
    sg.update("Shot", shot["id"], {"description": "first", "sg_cut_in": 10})
    table = sg._db["EventLogEntry"]
    description, cut_in = (table[i] for i in sorted(table)[-2:])
    assert not description.built and not cut_in.built
    assert (description["attribute_name"], description["meta"]["new_value"]) == ("description", "first")
    assert json.loads(json.dumps(cut_in, default=str))["meta"]["new_value"] == 10
    assert "sh010" in repr(table) and "uuid-1" in str(cut_in)
    found = sg.find("EventLogEntry", [["event_type", "is", "Shotgun_Shot_Change"]], ["meta", "description", "session_uuid"],
                    order=[{"field_name": "id", "direction": "asc"}])
    assert [(e["meta"], e["description"], e["session_uuid"]) for e in found] == [
        (e["meta"], e["description"], "uuid-1") for e in (description, cut_in)]
    assert pickle.loads(pickle.dumps(sg._db))["EventLogEntry"][cut_in["id"]] == cut_in


def test_a_rig_that_replaces_the_event_table_keeps_its_dict(site_sg):
    sg = site_sg
    shot = sg.create("Shot", {"code": "sh010"})
    events = sg._db["EventLogEntry"] = {}
    sg.update("Shot", shot["id"], {"description": "after the reset"})
    assert sg._db["EventLogEntry"] is events
    assert [row["meta"]["new_value"] for row in events.values()] == ["after the reset"]
    sg._db = {"Shot": sg._db["Shot"]}
    sg.update("Shot", shot["id"], {"description": "in a new store"})
    assert [row["meta"]["new_value"] for row in sg._db["EventLogEntry"].values()] == ["in a new store"]
