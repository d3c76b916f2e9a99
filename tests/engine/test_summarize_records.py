"""Nested groups and group ordering of summarize on already resolved records (docs/site_facts.rst, Summaries)."""
import datetime

from shotgun_api3._engine.summary.summarize import summarize_records

TYPES = {"code": "text", "sg_cut_in": "number", "sg_sequence": "entity", "sg_status_list": "status_list",
         "assets": "multi_entity", "id": "number"}
SQ1 = {"type": "Sequence", "id": 1, "name": "sq01"}
SQ2 = {"type": "Sequence", "id": 2, "name": "sq02"}
RECORDS = [
    {"id": 1, "code": "a", "sg_cut_in": 5, "sg_sequence": SQ1, "sg_status_list": "ip", "assets": []},
    {"id": 2, "code": "b", "sg_cut_in": 15, "sg_sequence": SQ2, "sg_status_list": "fin", "assets": []},
    {"id": 3, "code": "c", "sg_cut_in": 17, "sg_sequence": SQ1, "sg_status_list": "fin", "assets": []},
    {"id": 4, "code": "d", "sg_cut_in": None, "sg_sequence": None, "sg_status_list": "ip", "assets": []},
]
COUNT = [{"field": "id", "type": "count"}]


def summarize(summaries, grouping, records=RECORDS):
    return summarize_records(records, summaries, grouping, TYPES.__getitem__, today=datetime.date(2024, 1, 1))


def test_without_grouping_groups_is_an_empty_list():
    assert summarize(COUNT, []) == {"summaries": {"id": 4}, "groups": []}


def test_several_summaries_are_keyed_by_field_name():
    result = summarize([{"field": "id", "type": "count"}, {"field": "sg_cut_in", "type": "sum"}], [])
    assert result["summaries"] == {"id": 4, "sg_cut_in": 37}


def test_one_grouping_level_has_no_inner_groups_key():
    result = summarize(COUNT, [{"field": "sg_status_list", "type": "exact", "direction": "asc"}])
    assert result["groups"] == [
        {"group_name": "fin", "group_value": "fin", "summaries": {"id": 2}},
        {"group_name": "ip", "group_value": "ip", "summaries": {"id": 2}},
    ]


def test_direction_desc_reverses_group_order():
    result = summarize(COUNT, [{"field": "sg_status_list", "type": "exact", "direction": "desc"}])
    assert [group["group_value"] for group in result["groups"]] == ["ip", "fin"]


def test_direction_defaults_to_ascending():
    result = summarize(COUNT, [{"field": "code", "type": "exact"}])
    assert [group["group_value"] for group in result["groups"]] == ["a", "b", "c", "d"]


def test_two_levels_nest_inner_groups_under_each_outer_group():
    result = summarize(COUNT, [{"field": "sg_sequence", "type": "exact", "direction": "asc"},
                               {"field": "sg_cut_in", "type": "tens", "direction": "asc"}])
    outer = result["groups"]
    assert [group["group_name"] for group in outer] == ["sq01", "sq02", ""]
    assert outer[0]["summaries"] == {"id": 2}
    assert [(inner["group_value"], inner["summaries"]["id"]) for inner in outer[0]["groups"]] == [(0, 1), (10, 1)]
    assert outer[2]["groups"] == [{"group_name": "", "group_value": None, "summaries": {"id": 1}}]
    assert "groups" not in outer[0]["groups"][0]


def test_three_levels_nest_three_deep():
    result = summarize(COUNT, [{"field": "sg_status_list", "type": "exact"}, {"field": "sg_sequence", "type": "exact"},
                               {"field": "code", "type": "firstletter"}])
    innermost = result["groups"][0]["groups"][0]["groups"]
    assert innermost == [{"group_name": "C", "group_value": "C", "summaries": {"id": 1}}]


def test_a_multi_entity_record_counts_in_each_linked_group_but_once_at_the_top():
    records = [{"id": 1, "assets": [{"type": "Asset", "id": 1, "name": "x"}, {"type": "Asset", "id": 2, "name": "y"}]},
               {"id": 2, "assets": [{"type": "Asset", "id": 1, "name": "x"}]}]
    result = summarize(COUNT, [{"field": "assets", "type": "exact"}], records)
    assert result["summaries"] == {"id": 2}
    assert [(group["group_name"], group["summaries"]["id"]) for group in result["groups"]] == [("x", 2), ("y", 1)]


def test_no_records_give_zero_counts_and_no_groups():
    assert summarize(COUNT, [{"field": "code", "type": "exact"}], []) == {"summaries": {"id": 0}, "groups": []}


def test_group_values_are_copies_not_the_records_links():
    result = summarize(COUNT, [{"field": "sg_sequence", "type": "exact"}])
    result["groups"][0]["group_value"]["name"] = "changed"
    assert SQ1["name"] == "sq01"
