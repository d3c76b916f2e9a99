"""summarize() through mockgun: every summary type and grouping type on a small site.

What a site answers: docs/site_facts.rst, Summaries.
"""
import datetime

import pytest

import shotgun_api3


@pytest.fixture
def site(site_sg):
    sg = site_sg
    """A project with two sequences, four shots, three assets and dated tasks."""
    project = sg.create("Project", {"name": "Pilot"})
    other = sg.create("Project", {"name": "Archive", "archived": True})
    sq1 = sg.create("Sequence", {"code": "sq01", "project": project})
    sq2 = sg.create("Sequence", {"code": "sq02", "project": project})
    hero = sg.create("Asset", {"code": "hero", "project": project, "sg_asset_type": "Character"})
    car = sg.create("Asset", {"code": "car", "project": project, "sg_asset_type": "Vehicle"})
    sg.create("Asset", {"code": "tree", "project": other, "sg_asset_type": "Prop"})
    shots = [
        sg.create("Shot", {"code": "sh010", "project": project, "sg_sequence": sq1, "sg_cut_in": 100,
                           "sg_status_list": "fin", "assets": [hero, car]}),
        sg.create("Shot", {"code": "sh020", "project": project, "sg_sequence": sq1, "sg_cut_in": 100,
                           "sg_status_list": "ip", "assets": [hero]}),
        sg.create("Shot", {"code": "Sh030", "project": project, "sg_sequence": sq2, "sg_cut_in": 100,
                           "sg_status_list": "fin"}),
        sg.create("Shot", {"code": "big040", "project": project, "sg_cut_in": 0, "sg_status_list": "wtg"}),
    ]
    for content, start, due, minutes, shot in (("layout", "2024-01-02", "2024-01-10", 480, shots[0]),
                                                ("anim", "2024-02-05", "2024-04-01", 2400, shots[0]),
                                                ("comp", "2024-02-20", None, 960, shots[1])):
        sg.create("Task", {"content": content, "project": project, "start_date": start, "due_date": due,
                           "duration": minutes, "entity": shot})
    return {"sg": sg, "project": project, "sq1": sq1, "sq2": sq2, "shots": shots}


def summarize(site, summaries, grouping=None, entity_type="Shot", filters=None, **kwargs):
    filters = [["project", "is", site["project"]]] if filters is None else filters
    return site["sg"].summarize(entity_type, filters, summaries, grouping=grouping, **kwargs)


def test_count_and_sum_match_the_live_tests(site):
    result = summarize(site, [{"field": "id", "type": "count"}, {"field": "sg_cut_in", "type": "sum"}])
    assert result == {"summaries": {"id": 4, "sg_cut_in": 300}, "groups": []}


def test_count_is_zero_when_nothing_matches(site):
    assert summarize(site, [{"field": "id", "type": "count"}], filters=[["code", "is", "none"]]) == {
        "summaries": {"id": 0}, "groups": []}


@pytest.mark.parametrize("summary_type, field, expected", [
    ("record_count", "sg_cut_in", 4),
    ("maximum", "sg_cut_in", 100),
    ("minimum", "sg_cut_in", 0),
    ("average", "sg_cut_in", 75.0),
    ("status_list", "sg_status_list", "ip"),
    ("status_percentage", "sg_status_list", 50),
])
def test_each_summary_type_on_shots(site, summary_type, field, expected):
    assert summarize(site, [{"field": field, "type": summary_type}])["summaries"] == {field: expected}


def test_percentage_with_a_value_key(site):
    result = summarize(site, [{"field": "sg_status_list", "type": "percentage", "value": "wtg"}])
    assert result["summaries"] == {"sg_status_list": 25}


def test_earliest_and_latest_on_dates_are_date_strings(site):
    result = summarize(site, [{"field": "start_date", "type": "earliest"}, {"field": "due_date", "type": "latest"}],
                       entity_type="Task")
    assert result["summaries"] == {"start_date": "2024-01-02", "due_date": "2024-04-01"}


def test_latest_on_a_date_time_is_a_datetime(site):
    result = summarize(site, [{"field": "created_at", "type": "latest"}])
    assert isinstance(result["summaries"]["created_at"], datetime.datetime)


def test_checked_and_unchecked_count_records(site):
    result = site["sg"].summarize("Project", [], [{"field": "archived", "type": "checked"}])
    assert result["summaries"] == {"archived": 1}
    result = site["sg"].summarize("Project", [], [{"field": "archived", "type": "unchecked"}])
    assert result["summaries"] == {"archived": 1}


def test_exact_grouping_on_a_link_names_groups_and_puts_empty_last(site):
    result = summarize(site, [{"field": "id", "type": "count"}],
                       [{"field": "sg_sequence", "type": "exact", "direction": "asc"}])
    assert [(g["group_name"], g["summaries"]["id"]) for g in result["groups"]] == [("sq01", 2), ("sq02", 1), ("", 1)]
    assert result["groups"][0]["group_value"] == {"type": "Sequence", "id": site["sq1"]["id"], "name": "sq01",
                                                  "valid": "valid"}
    assert result["groups"][2]["group_value"] is None


def test_descending_direction_reverses_the_groups(site):
    result = summarize(site, [{"field": "id", "type": "count"}],
                       [{"field": "sg_status_list", "type": "exact", "direction": "desc"}])
    assert [g["group_value"] for g in result["groups"]] == ["wtg", "ip", "fin"]


def test_nested_groups_with_inner_groups_only_above_the_last_level(site):
    result = summarize(site, [{"field": "sg_cut_in", "type": "sum"}],
                       [{"field": "sg_sequence", "type": "exact", "direction": "asc"},
                        {"field": "sg_status_list", "type": "exact", "direction": "asc"}])
    first = result["groups"][0]
    assert first["summaries"] == {"sg_cut_in": 200}
    assert [(g["group_value"], g["summaries"]["sg_cut_in"]) for g in first["groups"]] == [("fin", 100), ("ip", 100)]
    assert all("groups" not in inner for inner in first["groups"])


def test_grouping_on_a_dotted_field(site):
    result = summarize(site, [{"field": "id", "type": "count"}],
                       [{"field": "sg_sequence.Sequence.code", "type": "exact", "direction": "desc"}])
    assert [(g["group_value"], g["summaries"]["id"]) for g in result["groups"]] == [(None, 1), ("sq02", 1), ("sq01", 2)]


def test_grouping_a_multi_entity_field_counts_a_shot_in_each_asset(site):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "assets", "type": "exact"}])
    assert [(g["group_name"], g["summaries"]["id"]) for g in result["groups"]] == [("car", 1), ("hero", 2), ("", 2)]


def test_entitytype_grouping(site):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "entity", "type": "entitytype"}],
                       entity_type="Task")
    assert [(g["group_value"], g["group_name"], g["summaries"]["id"]) for g in result["groups"]] == [
        ("Shot", "Shot", 3)]


def test_firstletter_grouping_folds_case(site):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "code", "type": "firstletter"}])
    assert [(g["group_value"], g["summaries"]["id"]) for g in result["groups"]] == [("B", 1), ("S", 3)]


@pytest.mark.parametrize("grouping_type, expected", [
    ("tens", [(0, "0 - 9", 1), (100, "100 - 109", 3)]),
    ("hundreds", [(0, "0 - 99", 1), (100, "100 - 199", 3)]),
    ("thousands", [(0, "0 - 999", 4)]),
    ("tensofthousands", [(0, "0 - 9999", 4)]),
    ("hundredsofthousands", [(0, "0 - 99999", 4)]),
    ("millions", [(0, "0 - 999999", 4)]),
])
def test_numeric_groupings(site, grouping_type, expected):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "sg_cut_in", "type": grouping_type}])
    assert [(g["group_value"], g["group_name"], g["summaries"]["id"]) for g in result["groups"]] == expected


@pytest.mark.parametrize("grouping_type, expected", [
    ("day", ["2024-01-02", "2024-02-05", "2024-02-20"]),
    ("week", ["2024-01-01", "2024-02-05", "2024-02-19"]),
    ("month", ["2024-01", "2024-02"]),
    ("quarter", ["2024-Q1"]),
    ("year", ["2024"]),
    ("clustered_date", ["past"]),
])
def test_date_groupings(site, grouping_type, expected):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "start_date", "type": grouping_type}],
                       entity_type="Task")
    assert [g["group_value"] for g in result["groups"]] == expected


def test_date_grouping_on_a_date_time_field(site):
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "created_at", "type": "year"}])
    assert [g["summaries"]["id"] for g in result["groups"]] == [4]


def test_duration_groupings(site):
    result = summarize(site, [{"field": "duration", "type": "sum"}], [{"field": "duration", "type": "oneday"}],
                       entity_type="Task")
    assert [(g["group_value"], g["summaries"]["duration"]) for g in result["groups"]] == [(1, 480), (2, 960), (5, 2400)]
    result = summarize(site, [{"field": "id", "type": "count"}], [{"field": "duration", "type": "fivedays"}],
                       entity_type="Task")
    assert [(g["group_name"], g["summaries"]["id"]) for g in result["groups"]] == [("0 - 4 days", 2), ("5 - 9 days", 1)]


def test_include_archived_projects_false_leaves_archived_projects_out(site):
    everything = site["sg"].summarize("Asset", [], [{"field": "id", "type": "count"}])
    active = site["sg"].summarize("Asset", [], [{"field": "id", "type": "count"}], include_archived_projects=False)
    assert (everything["summaries"]["id"], active["summaries"]["id"]) == (3, 2)


def test_retired_records_are_not_summarized(site):
    site["sg"].delete("Shot", site["shots"][0]["id"])
    assert summarize(site, [{"field": "id", "type": "count"}])["summaries"] == {"id": 3}


def test_filter_operator_any(site):
    result = site["sg"].summarize("Shot", [["code", "is", "sh010"], ["code", "is", "sh020"]],
                                  [{"field": "id", "type": "count"}], filter_operator="any")
    assert result["summaries"] == {"id": 2}


@pytest.mark.parametrize("summaries, grouping, message", [
    ([{"field": "code", "type": "sum"}], None, "sum"),
    ([{"field": "no_such_field", "type": "count"}], None, "no_such_field"),
    ([{"field": "id", "type": "bogus"}], None, "bogus"),
    ([{"field": "id", "type": "count"}], [{"field": "code", "type": "tens"}], "tens"),
    ([{"field": "id", "type": "count"}], [{"field": "code", "type": "exact", "direction": "up"}], "direction"),
])
def test_bad_summaries_and_groupings_are_faults_naming_the_problem(site, summaries, grouping, message):
    with pytest.raises(shotgun_api3.Fault, match=message):
        summarize(site, summaries, grouping)


def test_summary_fields_must_be_a_list_in_the_client(site):
    with pytest.raises(shotgun_api3.ShotgunError, match="summary_fields"):
        summarize(site, "not a list", None)


def test_grouping_must_be_a_list_in_the_client(site):
    with pytest.raises(ValueError):
        summarize(site, [{"field": "id", "type": "count"}], {"field": "code", "type": "exact"})


def test_grouping_and_summaries_through_a_multi_entity_hop(site):
    result = summarize(site, [{"field": "assets.Asset.code", "type": "count"},
                              {"field": "assets.Asset.id", "type": "maximum"}],
                       [{"field": "assets.Asset.code", "type": "exact"}])
    assert result["summaries"] == {"assets.Asset.code": 2, "assets.Asset.id": 2}
    assert [(g["group_value"], g["summaries"]["assets.Asset.code"]) for g in result["groups"]] == [
        ("car", 1), ("hero", 2), (None, 0)]


def test_values_of_the_wrong_kind_written_into_db_are_a_fault_not_a_crash(site):
    sg = site["sg"]
    sg._db["Shot"][site["shots"][0]["id"]]["sg_cut_in"] = "ten"
    with pytest.raises(shotgun_api3.Fault, match="sum of sg_cut_in"):
        summarize(site, [{"field": "sg_cut_in", "type": "sum"}])
