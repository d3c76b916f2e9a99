"""Values written through create/update: checks, coercion and how they read back."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

import pytest

from shotgun_api3._engine import Engine, EngineFault

from .conftest import Site


def _field(entity_type, name, data_type, **properties):
    props = {"default_value": {"editable": False, "value": None}, "summary_default": {"editable": True, "value": "none"}}
    for key, value in properties.items():
        props[key] = {"editable": True, "value": value}
    return {
        "data_type": {"editable": False, "value": data_type},
        "description": {"editable": True, "value": ""},
        "editable": {"editable": False, "value": True},
        "entity_type": {"editable": False, "value": entity_type},
        "mandatory": {"editable": False, "value": False},
        "name": {"editable": True, "value": name},
        "properties": props,
        "unique": {"editable": False, "value": False},
    }


@pytest.fixture
def custom(default_schema, clock):
    """A site whose Shot also has currency, footage, timecode and addressing fields."""
    schema = default_schema.copy()
    schema.set_field("Shot", "sg_budget", _field("Shot", "Budget", "currency"))
    schema.set_field("Shot", "sg_length", _field("Shot", "Length", "footage"))
    schema.set_field("Shot", "sg_tc", _field("Shot", "Timecode", "timecode"))
    schema.set_field("Shot", "sg_to", _field("Shot", "To", "addressing", valid_types=["HumanUser", "Group"]))
    site = Site(Engine(schema, clock=clock))
    site.create("HumanUser", {"firstname": "Ada", "lastname": "Lovelace", "login": "ada"})
    return site


def test_currency_accepts_float_int_and_rejects_text(custom):
    custom.create("Shot", {"code": "a", "sg_budget": 12.5})
    custom.create("Shot", {"code": "b", "sg_budget": 3})
    assert [r["sg_budget"] for r in custom.find("Shot", [], ["sg_budget"])] == [12.5, 3.0]
    assert custom.ids("Shot", [["sg_budget", "greater_than", 5]]) == [1]
    with pytest.raises(EngineFault, match="Shot.sg_budget"):
        custom.create("Shot", {"code": "c", "sg_budget": "lots"})


def test_footage_is_stored_as_feet_frames_and_compares_by_frames(custom):
    custom.create("Shot", {"code": "a", "sg_length": "10-08"})
    custom.create("Shot", {"code": "b", "sg_length": 20})
    assert [r["sg_length"] for r in custom.find("Shot", [], ["sg_length"])] == ["10-08", "1-04"]
    assert custom.ids("Shot", [["sg_length", "greater_than", "5-00"]]) == [1]


def test_timecode_is_an_integer_in_range(custom):
    custom.create("Shot", {"code": "a", "sg_tc": 3600000})
    assert custom.ids("Shot", [["sg_tc", "between", [0, 3600000]]]) == [1]
    with pytest.raises(EngineFault, match="out of range"):
        custom.create("Shot", {"code": "b", "sg_tc": 2**40})


def test_addressing_holds_users_and_filters_by_name(custom):
    custom.create("Shot", {"code": "a", "sg_to": [{"type": "HumanUser", "id": 1}]})
    custom.create("Shot", {"code": "b"})
    assert custom.find("Shot", [["id", "is", 1]], ["sg_to"])[0]["sg_to"] == [
        {"type": "HumanUser", "id": 1, "name": "Ada Lovelace"}]
    assert custom.ids("Shot", [["sg_to", "name_contains", "ada"]]) == [1]
    assert custom.ids("Shot", [["sg_to", "contains", "love"]]) == [1]
    assert custom.ids("Shot", [["sg_to", "is", None]]) == [2]
    with pytest.raises(EngineFault, match="Shot is not a valid type"):
        custom.create("Shot", {"code": "c", "sg_to": [{"type": "Shot", "id": 1}]})


def test_number_rejects_text_bool_and_out_of_range(site):
    for bad in ("1", True, 2**31, 1.5):
        with pytest.raises(EngineFault, match="Shot.sg_cut_in"):
            site.create("Shot", {"code": "x", "sg_cut_in": bad})
    assert site.find("Shot") == []


def test_float_accepts_an_int_where_reference_mockgun_refuses_it(site):
    site.create("Version", {"code": "v", "sg_movie_aspect_ratio": 2})
    value = site.find("Version", [], ["sg_movie_aspect_ratio"])[0]["sg_movie_aspect_ratio"]
    assert value == 2.0 and isinstance(value, float)


def test_checkbox_none_reads_false_and_non_bool_is_refused(site):
    site.create("Project", {"name": "p", "archived": None})
    assert site.find("Project", [], ["archived"])[0]["archived"] is False
    with pytest.raises(EngineFault, match="boolean"):
        site.create("Project", {"name": "q", "archived": "yes"})


def test_date_accepts_string_or_date_object_where_reference_mockgun_refuses_dates(site):
    site.create("Task", {"content": "a", "due_date": "2024-02-29"})
    site.create("Task", {"content": "b", "due_date": dt.date(2024, 3, 1)})
    assert [r["due_date"] for r in site.find("Task", [], ["due_date"])] == ["2024-02-29", "2024-03-01"]
    for bad in ("2023-02-29", "29/02/2024", dt.datetime(2024, 1, 1)):
        with pytest.raises(EngineFault, match="Task.due_date"):
            site.create("Task", {"content": "c", "due_date": bad})


def test_date_time_wire_string_is_stored_as_aware_utc(site):
    site.create("HumanUser", {"login": "b", "locked_until": "2024-01-02T03:04:05Z"})
    value = site.find("HumanUser", [["login", "is", "b"]], ["locked_until"])[0]["locked_until"]
    assert value == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def test_date_time_naive_is_kept_as_given_and_aware_is_converted_to_utc(site):
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    site.create("HumanUser", {"login": "b", "locked_until": naive})
    plus_two = dt.timezone(dt.timedelta(hours=2))
    site.create("HumanUser", {"login": "c", "locked_until": dt.datetime(2024, 1, 2, 5, 0, tzinfo=plus_two)})
    values = [r["locked_until"] for r in site.find("HumanUser", [["login", "in", ["b", "c"]]], ["locked_until"])]
    assert values[0] == naive and values[0].tzinfo is None
    assert values[1] == dt.datetime(2024, 1, 2, 3, 0, tzinfo=dt.timezone.utc)
    assert values[1].tzinfo == dt.timezone.utc
    with pytest.raises(EngineFault, match="date_time"):
        site.create("HumanUser", {"login": "d", "locked_until": "yesterday"})


def test_entity_link_must_name_a_valid_type_and_an_existing_live_record(site, project):
    with pytest.raises(EngineFault, match="Asset is not a valid type"):
        site.create("Shot", {"code": "a", "sg_sequence": {"type": "Asset", "id": 1}})
    with pytest.raises(EngineFault, match="Sequence with id 5 does not exist"):
        site.create("Shot", {"code": "a", "sg_sequence": {"type": "Sequence", "id": 5}})
    site.create("Sequence", {"code": "s"})
    site.delete("Sequence", 1)
    with pytest.raises(EngineFault, match="Sequence with id 1 does not exist"):
        site.create("Shot", {"code": "a", "sg_sequence": {"type": "Sequence", "id": 1}})
    with pytest.raises(EngineFault, match="'type' and 'id'"):
        site.create("Shot", {"code": "a", "project": {"id": 1}})


def test_link_written_with_extra_keys_stores_type_and_id_only(site, project, engine):
    site.create("Shot", {"code": "a", "project": {"type": "Project", "id": 1, "name": "stale", "extra": 1}})
    assert engine.tables["Shot"][1]["project"] == {"type": "Project", "id": 1}
    assert site.find("Shot", [], ["project"])[0]["project"]["name"] == "Demo"


def test_multi_entity_drops_duplicates_and_keeps_order(site):
    for code in "abc":
        site.create("Asset", {"code": code})
    links = [{"type": "Asset", "id": 3}, {"type": "Asset", "id": 1}, {"type": "Asset", "id": 3}]
    site.create("Shot", {"code": "s", "assets": links})
    assert [a["id"] for a in site.find("Shot", [], ["assets"])[0]["assets"]] == [3, 1]


def test_multi_entity_none_writes_an_empty_list(site):
    site.create("Asset", {"code": "a"})
    site.create("Shot", {"code": "s", "assets": [{"type": "Asset", "id": 1}]})
    site.update("Shot", 1, {"assets": None})
    assert site.find("Shot", [], ["assets"])[0]["assets"] == []


def test_status_and_list_values_must_be_valid(site):
    with pytest.raises(EngineFault, match="'nope' is not a valid value"):
        site.create("Shot", {"code": "a", "sg_status_list": "nope"})
    with pytest.raises(EngineFault, match="Asset.sg_asset_type"):
        site.create("Asset", {"code": "a", "sg_asset_type": "Spaceship"})
    site.create("Shot", {"code": "a", "sg_shot_type": "anything"})  # no valid_values listed


def test_tag_list_round_trips_names(site):
    site.create("Asset", {"code": "a", "tag_list": ["hero", "red", "hero"]})
    assert site.find("Asset", [], ["tag_list"])[0]["tag_list"] == ["hero", "red"]
    with pytest.raises(EngineFault, match="tag"):
        site.create("Asset", {"code": "b", "tag_list": [1]})


def test_color_accepts_rgb_or_pipeline_step(site):
    site.create("Step", {"code": "a", "color": "255, 0,10"})
    site.create("Step", {"code": "b", "color": "pipeline_step"})
    assert [r["color"] for r in site.find("Step", [], ["color"])] == ["255,0,10", "pipeline_step"]
    with pytest.raises(EngineFault, match="color"):
        site.create("Step", {"code": "c", "color": "300,0,0"})


def test_color_keeps_a_colour_name_as_written(site):
    site.create("Task", {"content": "a", "color": "Black"})
    assert site.find("Task", [], ["color"])[0]["color"] == "Black"
    with pytest.raises(EngineFault, match="color"):
        site.create("Task", {"content": "b", "color": "Black 2"})


def test_uuid_is_validated_and_normalised(site):
    value = str(uuid.uuid4()).upper()
    site.create("LocalStorage", {"code": "a", "uuid": value})
    assert site.find("LocalStorage", [], ["uuid"])[0]["uuid"] == value.lower()
    assert site.ids("LocalStorage", [["uuid", "in", [value]]]) == [1]
    with pytest.raises(EngineFault, match="UUID"):
        site.create("LocalStorage", {"code": "b", "uuid": "not-a-uuid"})


def test_entity_type_field_takes_a_known_type(site):
    site.create("Step", {"code": "a", "entity_type": "Shot"})
    assert site.ids("Step", [["entity_type", "is", "Shot"]]) == [1]
    with pytest.raises(EngineFault, match="entity type"):
        site.create("Step", {"code": "b", "entity_type": "Spaceship"})


def test_serializable_takes_dict_or_list_and_returns_a_copy(site, engine):
    data = {"a": [1, 2], "b": {"c": None}}
    site.create("Task", {"content": "t", "splits": data})
    data["a"].append(3)
    value = site.find("Task", [], ["splits"])[0]["splits"]
    assert value == {"a": [1, 2], "b": {"c": None}}
    value["a"].append(4)
    assert engine.tables["Task"][1]["splits"] == {"a": [1, 2], "b": {"c": None}}
    site.update("Task", 1, {"splits": [1, "x"]})
    with pytest.raises(EngineFault, match="dict or list"):
        site.update("Task", 1, {"splits": "text"})


def test_password_is_masked_on_read(site):
    site.create("HumanUser", {"login": "b", "password_proxy": "s3cret"})
    users = site.find("HumanUser", [], ["login", "password_proxy"])
    assert users[0]["password_proxy"] is None
    assert users[1]["password_proxy"] == "*******"


def test_image_cannot_be_written_but_can_be_cleared(site):
    with pytest.raises(EngineFault, match="read-only"):
        site.create("Asset", {"code": "a", "image": "http://x/y.png"})
    site.create("Asset", {"code": "a", "image": None})
    assert site.find("Asset", [], ["image"])[0]["image"] is None


def test_web_link_is_completed(site):
    site.create("Version", {"code": "v", "sg_uploaded_movie": {"url": "https://example.com/a.mov", "name": "A"}})
    assert site.find("Version", [], ["sg_uploaded_movie"])[0]["sg_uploaded_movie"] == {
        "content_type": None, "link_type": "web", "name": "A", "url": "https://example.com/a.mov"}


def test_local_link_is_completed_from_the_matching_local_storage(site):
    site.create("LocalStorage", {"code": "primary", "linux_path": "/mnt/projects", "mac_path": "/Volumes/projects",
                                 "windows_path": "P:\\projects"})
    site.create("PublishedFile", {"code": "f", "path": {"local_path": "/mnt/projects/show/a.exr"}})
    link = site.find("PublishedFile", [], ["path"])[0]["path"]
    assert link == {
        "content_type": "image/x-exr" if link["content_type"] == "image/x-exr" else link["content_type"],
        "link_type": "local",
        "name": "a.exr",
        "local_path": "/mnt/projects/show/a.exr",
        "local_path_linux": "/mnt/projects/show/a.exr",
        "local_path_mac": "/Volumes/projects/show/a.exr",
        "local_path_windows": "P:\\projects\\show\\a.exr",
        "local_storage": {"type": "LocalStorage", "id": 1, "name": "primary"},
        "relative_path": "show/a.exr",
        "url": "file:///mnt/projects/show/a.exr",
    }


def test_local_link_without_matching_storage_keeps_the_path(site):
    site.create("PublishedFile", {"code": "f", "path": {"local_path": "/tmp/x.txt"}})
    link = site.find("PublishedFile", [], ["path"])[0]["path"]
    assert link["link_type"] == "local"
    assert link["local_storage"] is None
    assert link["local_path_linux"] == link["local_path_mac"] == "/tmp/x.txt"
    assert link["content_type"] == "text/plain"


def test_local_link_from_storage_and_relative_path(site):
    site.create("LocalStorage", {"code": "primary", "linux_path": "/mnt/p"})
    site.create("PublishedFile", {"code": "f", "path": {"local_storage": {"type": "LocalStorage", "id": 1},
                                                        "relative_path": "a/b.txt"}})
    assert site.find("PublishedFile", [], ["path"])[0]["path"]["local_path_linux"] == "/mnt/p/a/b.txt"


def test_id_and_type_cannot_be_written(site):
    with pytest.raises(EngineFault, match="can't set id or type"):
        site.create("Asset", {"id": 5})


def test_cached_display_name_follows_the_display_field(site):
    site.create("Asset", {"code": "a"})
    site.update("Asset", 1, {"code": "b"})
    assert site.find("Asset", [], ["cached_display_name"])[0]["cached_display_name"] == "b"


def test_human_user_name_is_built_from_first_and_last_name(site):
    assert site.find("HumanUser", [], ["name"])[0]["name"] == "Ada Lovelace"


def test_bad_value_leaves_the_tables_unchanged(site, engine):
    site.create("Asset", {"code": "a"})
    before = copy.deepcopy(engine.tables)
    with pytest.raises(EngineFault):
        site.update("Asset", 1, {"code": "b", "sg_asset_type": "Nope"})
    assert engine.tables == before


def test_human_user_name_follows_first_and_last_name_changes(site):
    site.update("HumanUser", 1, {"lastname": "King"})
    assert site.find("HumanUser", [], ["name"])[0]["name"] == "Ada King"


def test_the_engine_keeps_no_reference_to_objects_the_caller_passed(site, engine):
    site.create("Asset", {"code": "a"})
    site.create("LocalStorage", {"code": "s", "linux_path": "/mnt"})
    link = {"type": "Asset", "id": 1}
    assets = [link]
    tags = ["x"]
    splits = {"k": [1]}
    path = {"local_storage": {"type": "LocalStorage", "id": 1}, "relative_path": "a.txt"}
    site.create("Shot", {"code": "s", "assets": assets, "tag_list": tags})
    site.create("Task", {"content": "t", "splits": splits, "entity": link})
    site.create("PublishedFile", {"code": "p", "path": path})
    before = copy.deepcopy(engine.tables)
    link["id"] = 99
    assets.append({"type": "Asset", "id": 5})
    tags.append("y")
    splits["k"].append(2)
    path["local_storage"]["id"] = 7
    path["relative_path"] = "b.txt"
    assert engine.tables == before
