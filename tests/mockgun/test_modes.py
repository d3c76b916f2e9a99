"""The two modes of mockgun: the reference's answers by default, a site's behind ``site_semantics``.

Also what the default mode answers where the reference could not (site
rules: ``summarize``, uploads, paging, atomic ``batch``...), on rows the
default mode wrote the reference's way.
"""
import copy

import pytest

from shotgun_api3 import Fault, ShotgunError
from shotgun_api3.lib import mockgun
from tests.support.schema_paths import mockgun_site_semantics

URL = "http://unit_test_mock_sg"


def test_the_default_mode_is_the_reference_mode(sg):
    assert mockgun.Shotgun.site_semantics is False
    project = sg.create("Project", {"name": "Pilot"})
    shot = sg.create("Shot", {"code": "sh010", "project": project, "sg_status_list": "not a status"})
    assert shot == {"code": "sh010", "project": {"type": "Project", "id": 1}, "sg_status_list": "not a status",
                    "type": "Shot", "id": 1}
    row = sg._db["Shot"][1]
    assert row["created_at"] is None and row["updated_at"] is None and row["cached_display_name"] is None
    assert [event["event_type"] for event in sg._db["EventLogEntry"].values()] == ["Hello_Mockgun_World"]


def test_site_semantics_on_the_class_makes_every_new_instance_answer_as_a_site(json_schema_paths):
    from tests.support.schema_paths import mockgun_schema_paths
    with mockgun_schema_paths(json_schema_paths), mockgun_site_semantics():
        sg = mockgun.Shotgun(URL, "mock_user", "mock_key")
        project = sg.create("Project", {"name": "Pilot"})
        shot = sg.create("Shot", {"code": "sh010", "project": project})
        assert sg.find_one("Shot", [], ["project"])["project"] == {"type": "Project", "id": project["id"],
                                                                  "name": "Pilot"}
        assert sg._db["Shot"][shot["id"]]["created_at"] is not None
        with pytest.raises(Fault):
            sg.create("Shot", {"code": "sh020", "sg_status_list": "not a status"})
    assert mockgun.Shotgun.site_semantics is False


def test_site_semantics_on_one_instance_leaves_the_others_alone(sg, json_schema_paths):
    from tests.support.schema_paths import mockgun_schema_paths
    with mockgun_schema_paths(json_schema_paths):
        other = mockgun.Shotgun(URL)
    sg.site_semantics = True
    sg.create("Project", {"name": "Pilot"})
    other.create("Project", {"name": "Pilot"})
    assert sg.find_one("Project", [], ["created_at"])["created_at"] is not None
    assert other.find_one("Project", [], ["created_at"])["created_at"] is None


def test_update_answers_the_record_not_a_list(sg):
    sg.create("Shot", {"code": "sh010"})
    assert sg.update("Shot", 1, {"code": "sh011"}) == {"type": "Shot", "id": 1, "code": "sh011"}


def test_limit_and_page_are_honoured(sg):
    for n in range(7):
        sg.create("Shot", {"code": "sh%02d" % n})
    order = [{"field_name": "id", "direction": "asc"}]
    assert [s["id"] for s in sg.find("Shot", [], order=order, limit=3)] == [1, 2, 3]
    assert [s["id"] for s in sg.find("Shot", [], order=order, limit=3, page=3)] == [7]
    assert sg.find("Shot", [], order=order, limit=3, page=4) == []
    with pytest.raises(ValueError):
        sg.find("Shot", [], limit=-1)


def test_multi_key_order_makes_the_first_key_primary(sg):
    for code, cut in (("b", 1), ("a", 2), ("a", 1)):
        sg.create("Shot", {"code": code, "sg_cut_in": cut})
    found = sg.find("Shot", [], ["code", "sg_cut_in"], order=[{"field_name": "code", "direction": "asc"},
                                                               {"field_name": "sg_cut_in", "direction": "desc"}])
    assert [(s["code"], s["sg_cut_in"]) for s in found] == [("a", 2), ("a", 1), ("b", 1)]


def test_entity_in_matches_any_listed_entity_and_none_on_an_empty_link(sg):
    sg.create("Sequence", {"code": "sq1"})
    sg.create("Sequence", {"code": "sq2"})
    sg.create("Shot", {"code": "a", "sg_sequence": {"type": "Sequence", "id": 1}})
    sg.create("Shot", {"code": "b", "sg_sequence": {"type": "Sequence", "id": 2}})
    sg.create("Shot", {"code": "c"})
    either = [{"type": "Sequence", "id": 1}, {"type": "Sequence", "id": 2}]
    assert [s["code"] for s in sg.find("Shot", [["sg_sequence", "in", either]], ["code"])] == ["a", "b"]
    assert sg.find("Shot", [["sg_sequence", "in", []]]) == []


def test_ordering_relations_on_empty_values_answer_as_a_site(sg):
    sg.create("Shot", {"code": "a", "sg_cut_in": 5})
    sg.create("Shot", {"code": "b"})
    assert [s["code"] for s in sg.find("Shot", [["sg_cut_in", "greater_than", 1]], ["code"])] == ["a"]
    assert [s["code"] for s in sg.find("Shot", [["sg_cut_in", "not_in", [5]]], ["code"])] == ["b"]


def test_batch_is_all_or_nothing_and_restores_updated_and_retired_rows(sg):
    sg.create("Shot", {"code": "keep", "assets": []})
    sg.create("Asset", {"code": "hero"})
    before = {name: {key: dict(row) for key, row in table.items()} for name, table in sg._db.items()}
    with pytest.raises(ShotgunError, match="No entity of type Shot exists with id 99"):
        sg.batch([
            {"request_type": "create", "entity_type": "Shot", "data": {"code": "new"}},
            {"request_type": "update", "entity_type": "Shot", "entity_id": 1, "data": {"code": "changed"}},
            {"request_type": "update", "entity_type": "Shot", "entity_id": 1,
             "data": {"assets": [{"type": "Asset", "id": 1}]}, "multi_entity_update_modes": {"assets": "add"}},
            {"request_type": "delete", "entity_type": "Asset", "entity_id": 1},
            {"request_type": "update", "entity_type": "Shot", "entity_id": 99, "data": {"code": "x"}},
        ])
    assert {name: {key: dict(row) for key, row in table.items()} for name, table in sg._db.items()} == before


def test_batch_requests_must_be_well_formed(sg):
    with pytest.raises(ShotgunError, match="Invalid request type"):
        sg.batch([{"request_type": "upsert", "entity_type": "Shot"}])
    with pytest.raises(ShotgunError, match="missing data"):
        sg.batch([{"request_type": "create", "entity_type": "Shot"}])
    assert sg.batch([]) == []


def test_methods_the_reference_lacks_answer_on_rows_it_wrote(sg, tmp_path):
    project = sg.create("Project", {"name": "Pilot"})
    for code, cut in (("sh010", 10), ("sh020", 20), ("sh030", 5)):
        sg.create("Shot", {"code": code, "sg_cut_in": cut, "project": project})
    summary = sg.summarize("Shot", [["project", "is", project]], [{"field": "sg_cut_in", "type": "sum"}])
    assert summary["summaries"] == {"sg_cut_in": 35}
    assert [match["id"] for match in sg.text_search("sh0", {"Shot": []})["matches"]] == [1, 2, 3]
    movie = tmp_path / "movie.mov"
    movie.write_bytes(b"frames")
    attachment_id = sg.upload("Shot", 1, str(movie))
    assert sg.find_one("Attachment", [["id", "is", attachment_id]], ["filename"])["filename"] == "movie.mov"
    assert sg.schema_field_read("Shot", "no_such_field") == {}
    assert sg.get_session_token() == "bogus_session_token"


def test_upload_thumbnail_of_a_path_that_is_no_file_does_nothing_as_with_the_reference(sg, tmp_path):
    sg.create("Shot", {"code": "sh010"})
    assert sg.upload_thumbnail("Shot", 1, "/no/such/thumbnail.png") is None
    thumb = tmp_path / "thumb.jpg"
    thumb.write_bytes(b"\xff\xd8jpeg")
    assert isinstance(sg.upload_thumbnail("Shot", 1, str(thumb)), int)
    assert sg.find_one("Shot", [["id", "is", 1]], ["image"])["image"]


def test_the_real_clients_attributes_are_there_when_first_used(sg):
    assert sg.client_caps.platform
    sg.add_user_agent("my-rig/1.0")
    assert "my-rig/1.0" in sg._user_agents
    assert sg.base_url == "http://unit_test_mock_sg"
    assert sg.config.script_name == "mock_user" and sg.config.server == "unit_test_mock_sg"
    with pytest.raises(AttributeError):
        sg.no_such_attribute


def test_a_bad_url_is_refused_before_the_schema_is_looked_at(restore_schema_paths):
    mockgun.Shotgun.set_schema_paths(None, None)
    with pytest.raises(ValueError):
        mockgun.Shotgun("ftp://unit_test_mock_sg")


@pytest.fixture
def restore_schema_paths():
    saved = mockgun.Shotgun.get_schema_paths()
    yield
    mockgun.Shotgun.set_schema_paths(*saved)


def test_copying_a_fresh_mockgun_keeps_the_client_set_up_for_later(sg):
    # copy and pickle look up dunders such as __getstate__ (on Python < 3.11 through __getattr__).
    with pytest.raises(AttributeError):
        sg.__getattr__("__getstate__")
    other = copy.copy(sg)
    assert sg.client_caps.platform and other.client_caps.platform
