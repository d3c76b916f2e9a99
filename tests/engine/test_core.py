"""Create, read, update, delete and revive through Engine.call."""

from __future__ import annotations

import pytest

from shotgun_api3._engine import EngineFault


def test_create_returns_written_fields_with_named_links(site, project):
    seq = site.create("Sequence", {"code": "SQ1", "project": project})
    assert seq == {"type": "Sequence", "id": 1, "code": "SQ1", "project": {"type": "Project", "id": 1, "name": "Demo"}}


def test_create_return_fields_add_dotted_fields_to_written_ones(site, project):
    seq = site.create("Sequence", {"code": "SQ1", "project": project})
    shot = site.create("Shot", {"code": "sh010", "sg_sequence": seq}, ["sg_sequence.Sequence.code", "sg_status_list"])
    assert shot["code"] == "sh010"
    assert shot["sg_sequence.Sequence.code"] == "SQ1"
    assert shot["sg_status_list"] == "wtg"


def test_ids_start_at_one_per_type_and_are_never_reused(site):
    first = site.create("Asset", {"code": "a"})
    second = site.create("Asset", {"code": "b"})
    site.delete("Asset", second["id"])
    third = site.create("Asset", {"code": "c"})
    assert (first["id"], second["id"], third["id"]) == (1, 2, 3)


def test_read_returns_type_id_and_requested_fields_in_id_order(site):
    for code in ("b", "a", "c"):
        site.create("Asset", {"code": code})
    records = site.find("Asset", [], ["code"])
    assert records == [
        {"type": "Asset", "id": 1, "code": "b"},
        {"type": "Asset", "id": 2, "code": "a"},
        {"type": "Asset", "id": 3, "code": "c"},
    ]


def test_read_defaults_as_a_site_reads_them(site):
    site.create("Asset", {"code": "a"})
    record = site.find("Asset", [], ["assets", "tag_list", "sg_status_list", "description"])[0]
    assert record["assets"] == []
    assert record["tag_list"] == []
    assert record["sg_status_list"] == "wtg"
    assert record["description"] is None
    user = site.find("HumanUser", [], ["email_inbox_general"])[0]
    assert user["email_inbox_general"] is False


def test_update_returns_a_dict_of_updated_fields(site):
    site.create("Asset", {"code": "a"})
    result = site.update("Asset", 1, {"code": "b", "description": "x"})
    assert result == {"type": "Asset", "id": 1, "code": "b", "description": "x"}


def test_update_link_results_carry_valid(site, project):
    site.create("Asset", {"code": "a"})
    result = site.update("Asset", 1, {"project": project})
    assert result["project"] == {"type": "Project", "id": 1, "name": "Demo", "valid": "valid"}


def test_delete_retires_and_returns_false_when_already_retired(site):
    site.create("Asset", {"code": "a"})
    assert site.delete("Asset", 1) is True
    assert site.delete("Asset", 1) is False
    assert site.find("Asset") == []
    assert site.read("Asset", [], ["code"], return_only="retired")["entities"] == [{"type": "Asset", "id": 1, "code": "a"}]


def test_delete_of_unknown_id_is_a_fault(site):
    with pytest.raises(EngineFault, match="Asset with id 99"):
        site.delete("Asset", 99)


def test_revive_brings_back_and_returns_false_when_live(site):
    site.create("Asset", {"code": "a"})
    site.delete("Asset", 1)
    assert site.revive("Asset", 1) is True
    assert site.revive("Asset", 1) is False
    assert site.ids("Asset") == [1]


def test_unknown_entity_type_is_a_fault_naming_it(site):
    with pytest.raises(EngineFault, match="Spaceship"):
        site.find("Spaceship")
    with pytest.raises(EngineFault, match="Spaceship"):
        site.create("Spaceship", {"code": "x"})


def test_unknown_field_in_create_is_a_fault_naming_it(site):
    with pytest.raises(EngineFault, match="Asset.sg_nope"):
        site.create("Asset", {"sg_nope": 1})
    assert site.find("Asset") == []


def test_unknown_field_in_filter_is_a_fault_naming_it(site):
    with pytest.raises(EngineFault, match="Asset.sg_nope"):
        site.find("Asset", [["sg_nope", "is", 1]])


def test_unknown_return_field_reads_as_none(site):
    site.create("Asset", {"code": "a"})
    assert site.find("Asset", [], ["sg_nope"]) == [{"type": "Asset", "id": 1, "sg_nope": None}]


def test_unknown_method_is_a_fault(site):
    with pytest.raises(EngineFault, match="no_such_method"):
        site.call("no_such_method", {})


def test_results_do_not_share_objects_with_tables(site):
    site.create("Asset", {"code": "a"})
    site.create("Shot", {"code": "s", "assets": [{"type": "Asset", "id": 1}], "tag_list": ["x"]})
    record = site.find("Shot", [], ["assets", "tag_list"])[0]
    record["assets"][0]["id"] = 99
    record["assets"].append({"type": "Asset", "id": 5})
    record["tag_list"].append("y")
    again = site.find("Shot", [], ["assets", "tag_list"])[0]
    assert again["assets"] == [{"type": "Asset", "id": 1, "name": "a"}]
    assert again["tag_list"] == ["x"]


def test_created_and_updated_audit_fields_are_filled(site, clock):
    record = site.create("Asset", {"code": "a"}, ["created_at", "updated_at", "created_by", "updated_by"])
    assert record["created_at"] == clock.now
    assert record["updated_at"] == clock.now
    assert record["created_by"] == {"type": "HumanUser", "id": 1, "name": "Ada Lovelace"}
    assert record["updated_by"] == {"type": "HumanUser", "id": 1, "name": "Ada Lovelace"}


def test_created_at_is_settable_on_create_but_updated_at_is_not(site):
    import datetime as dt

    when = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    record = site.create("Asset", {"code": "a", "created_at": when}, ["created_at"])
    assert record["created_at"] == when
    with pytest.raises(EngineFault, match="updated_at"):
        site.create("Asset", {"code": "b", "updated_at": when})
    with pytest.raises(EngineFault, match="created_at"):
        site.update("Asset", 1, {"created_at": when})


def test_info_answers_version_and_page_size(site):
    info = site.call("info", None)
    assert info["version"] == [8, 50, 0]
    assert info["api_max_entities_per_page"] == 500


def test_rows_edited_directly_in_tables_are_seen_by_reads(site, engine):
    site.create("Asset", {"code": "a"})
    engine.tables["Asset"][1]["code"] = "edited"
    engine.tables["Asset"][7] = {"type": "Asset", "id": 7, "code": "rig", "__retired": False,
                                 "project": {"type": "Project", "id": 3, "name": "P"}}
    assert site.find("Asset", [["code", "is", "edited"]], ["code"]) == [{"type": "Asset", "id": 1, "code": "edited"}]
    assert site.find("Asset", [["id", "is", 7]], ["code", "project"]) == [
        {"type": "Asset", "id": 7, "code": "rig", "project": {"type": "Project", "id": 3, "name": "P"}}
    ]
    assert site.create("Asset", {"code": "next"})["id"] == 8


def test_tables_can_be_replaced_as_a_whole(site, engine):
    engine.tables = {"Asset": {4: {"type": "Asset", "id": 4, "code": "x", "__retired": False}}}
    assert site.find("Asset", [], ["code"]) == [{"type": "Asset", "id": 4, "code": "x"}]
    assert site.find("Shot") == []


def test_direct_table_edits_show_in_link_names_and_dotted_filters(site, engine):
    site.create("Sequence", {"code": "SQ1"})
    site.create("Shot", {"code": "s", "sg_sequence": {"type": "Sequence", "id": 1}})
    engine.tables["Sequence"][1]["code"] = "renamed"
    assert site.find("Shot", [], ["sg_sequence"])[0]["sg_sequence"]["name"] == "renamed"
    assert site.ids("Shot", [["sg_sequence.Sequence.code", "is", "renamed"]]) == [1]
    engine.tables["Sequence"][1]["__retired"] = True
    assert site.ids("Shot", [["sg_sequence.Sequence.code", "is", "renamed"]]) == []


def test_retired_members_drop_out_of_multi_entity_lists_until_revived(site):
    for code in ("a", "b"):
        site.create("Asset", {"code": code})
    site.create("Shot", {"code": "s", "assets": [{"type": "Asset", "id": 1}, {"type": "Asset", "id": 2}]})
    site.delete("Asset", 1)
    assert site.find("Shot", [], ["assets"])[0]["assets"] == [{"type": "Asset", "id": 2, "name": "b"}]
    assert site.ids("Shot", [["assets", "is", {"type": "Asset", "id": 1}]]) == []
    site.revive("Asset", 1)
    assert [a["id"] for a in site.find("Shot", [], ["assets"])[0]["assets"]] == [1, 2]
