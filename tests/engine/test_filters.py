"""Filter relations per data type, empty values, case, groups and dotted paths."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest

from shotgun_api3._engine import Engine, EngineFault, SiteSchema

from .conftest import Site


@pytest.fixture
def assets(site, project):
    site.create("Asset", {"code": "Tree", "project": project, "sg_asset_type": "Prop", "description": "big green"})
    site.create("Asset", {"code": "rock", "project": project, "sg_asset_type": "Environment"})
    site.create("Asset", {"code": "Ünïcode", "description": ""})
    return site


# --- text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["code", "is", "tree"], [1]),
        (["code", "is", "TREE"], [1]),
        (["code", "is_not", "tree"], [2, 3]),
        (["code", "contains", "o"], [2, 3]),
        (["code", "not_contains", "o"], [1]),
        (["code", "starts_with", "r"], [2]),
        (["code", "ends_with", "EE"], [1]),
        (["code", "in", ["rock", "TREE"]], [1, 2]),
        (["code", "not_in", ["rock", "tree"]], [3]),
        (["code", "is", "ünïcode"], [3]),
        (["code", "contains", "NÏ"], [3]),
    ],
)
def test_text_relations_ignore_case(assets, condition, expected):
    assert assets.ids("Asset", [condition]) == expected


def test_text_is_none_matches_only_empty_values_and_keeps_empty_string_distinct(assets):
    assert assets.ids("Asset", [["description", "is", None]]) == [2]
    assert assets.ids("Asset", [["description", "is_not", None]]) == [1, 3]
    assert assets.ids("Asset", [["description", "is", ""]]) == [3]


def test_empty_text_matches_negative_relations_only(assets):
    assert assets.ids("Asset", [["description", "contains", "g"]]) == [1]
    assert assets.ids("Asset", [["description", "not_contains", "g"]]) == [2, 3]
    assert assets.ids("Asset", [["description", "is_not", "big green"]]) == [2, 3]


def test_in_with_none_matches_empty_values_and_not_in_with_none_excludes_them(assets):
    assert assets.ids("Asset", [["description", "in", [None, "big green"]]]) == [1, 2]
    assert assets.ids("Asset", [["description", "not_in", [None]]]) == [1, 3]
    assert assets.ids("Asset", [["description", "not_in", ["big green"]]]) == [2, 3]


def test_in_with_empty_list_matches_nothing_and_not_in_everything(assets):
    # The client refuses an empty ``in`` before sending; the wire form still reaches the engine.
    def wire(relation):
        return {"logical_operator": "and", "conditions": [{"path": "code", "relation": relation, "values": []}]}
    assert assets.ids("Asset", wire("in")) == []
    assert assets.ids("Asset", wire("not_in")) == [1, 2, 3]


def test_list_values_compare_ignoring_case_where_reference_mockgun_is_case_sensitive(assets):
    assert assets.ids("Asset", [["sg_asset_type", "is", "prop"]]) == [1]
    assert assets.ids("Asset", [["sg_asset_type", "in", ["PROP", "environment"]]]) == [1, 2]
    assert assets.ids("Asset", [["sg_asset_type", "is", None]]) == [3]


def test_status_list_in_and_not_in(site):
    site.create("Shot", {"code": "a", "sg_status_list": "ip"})
    site.create("Shot", {"code": "b", "sg_status_list": "fin"})
    site.create("Shot", {"code": "c"})
    assert site.ids("Shot", [["sg_status_list", "in", ["ip", "fin"]]]) == [1, 2]
    assert site.ids("Shot", [["sg_status_list", "not_in", ["IP"]]]) == [2, 3]


def test_contains_on_list_field_is_refused(assets):
    with pytest.raises(EngineFault, match="'contains' relation is not supported on Asset.sg_asset_type"):
        assets.find("Asset", [["sg_asset_type", "contains", "P"]])


# --- numbers ------------------------------------------------------------------


@pytest.fixture
def numbered(site):
    for value in (0, 5, 10, None):
        site.create("Shot", {"code": f"s{value}", "sg_cut_in": value})
    return site


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["sg_cut_in", "is", 0], [1]),
        (["sg_cut_in", "is", None], [4]),
        (["sg_cut_in", "is_not", None], [1, 2, 3]),
        (["sg_cut_in", "is_not", 5], [1, 3, 4]),
        (["sg_cut_in", "less_than", 5], [1]),
        (["sg_cut_in", "greater_than", 0], [2, 3]),
        (["sg_cut_in", "between", [0, 5]], [1, 2]),
        (["sg_cut_in", "between", [5, None]], [2, 3]),
        (["sg_cut_in", "between", [None, 5]], [1, 2]),
        (["sg_cut_in", "not_between", [0, 5]], [3, 4]),
        (["sg_cut_in", "in", [5, 10]], [2, 3]),
        (["sg_cut_in", "not_in", [5, 10]], [1, 4]),
        (["id", "in", [2, 4, 99]], [2, 4]),
        (["id", "is", 3], [3]),
        (["id", "greater_than", 2], [3, 4]),
    ],
)
def test_number_relations_and_empty_values(numbered, condition, expected):
    assert numbered.ids("Shot", [condition]) == expected


def test_between_written_as_two_values(numbered):
    assert numbered.ids("Shot", [["sg_cut_in", "between", 1, 10]]) == [2, 3]


def test_number_filter_with_text_value_is_a_fault(numbered):
    with pytest.raises(EngineFault, match="is not a number"):
        numbered.find("Shot", [["sg_cut_in", "is", "five"]])


def test_float_accepts_int_filter_values(site):
    site.create("Version", {"code": "v", "sg_movie_aspect_ratio": 1.5})
    site.create("Version", {"code": "w", "sg_movie_aspect_ratio": 2})
    assert site.ids("Version", [["sg_movie_aspect_ratio", "is", 2]]) == [2]
    assert site.ids("Version", [["sg_movie_aspect_ratio", "less_than", 2]]) == [1]


# --- checkbox, image, password, serializable -----------------------------------------


def test_checkbox_is_and_is_not_treat_unset_as_false(site, engine):
    site.create("Project", {"name": "a", "archived": True})
    site.create("Project", {"name": "b"})
    engine.tables["Project"][2]["archived"] = None
    assert site.ids("Project", [["archived", "is", False]]) == [2]
    assert site.ids("Project", [["archived", "is_not", False]]) == [1]


def test_image_filters_only_on_none(site, engine):
    site.create("Asset", {"code": "a"})
    site.create("Asset", {"code": "b"})
    engine.tables["Asset"][2]["image"] = "http://x/thumb.jpg"
    assert site.ids("Asset", [["image", "is", None]]) == [1]
    assert site.ids("Asset", [["image", "is_not", None]]) == [2]
    with pytest.raises(EngineFault, match="image"):
        site.find("Asset", [["image", "is", "http://x/thumb.jpg"]])


@pytest.mark.parametrize("field", ["password_proxy"])
def test_password_fields_cannot_be_filtered(site, field):
    with pytest.raises(EngineFault, match="password"):
        site.find("HumanUser", [[field, "is", "x"]])


def test_serializable_fields_cannot_be_filtered(site):
    with pytest.raises(EngineFault, match="serializable"):
        site.find("EventLogEntry", [["meta", "is", {}]])


def test_unknown_relation_is_a_fault_naming_it(site):
    with pytest.raises(EngineFault, match="'sounds_like'"):
        site.find("Asset", [["code", "sounds_like", "x"]])


# --- dates and date_times ---------------------------------------------------------------


@pytest.fixture
def dated(site):
    for due in ("2024-05-01", "2024-05-15", "2024-06-30", None):
        site.create("Task", {"content": f"t{due}", "due_date": due})
    return site


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["due_date", "is", "2024-05-15"], [2]),
        (["due_date", "is", dt.date(2024, 5, 15)], [2]),
        (["due_date", "greater_than", "2024-05-01"], [2, 3]),
        (["due_date", "less_than", dt.date(2024, 5, 15)], [1]),
        (["due_date", "between", ["2024-05-01", "2024-05-15"]], [1, 2]),
        (["due_date", "in", ["2024-05-01", "2024-06-30"]], [1, 3]),
        (["due_date", "not_in", ["2024-05-01"]], [2, 3, 4]),
        (["due_date", "is", None], [4]),
        (["due_date", "in_last", [14, "DAY"]], [1, 2]),
        (["due_date", "in_next", [1, "MONTH"]], [2]),
        (["due_date", "in_next", [2, "MONTH"]], [2, 3]),
        (["due_date", "not_in_last", [14, "DAY"]], [3, 4]),
        (["due_date", "in_calendar_day", 0], [2]),
        (["due_date", "in_calendar_month", 0], [1, 2]),
        (["due_date", "in_calendar_month", 1], [3]),
        (["due_date", "in_calendar_year", 0], [1, 2, 3]),
        (["due_date", "in_calendar_year", -1], []),
        (["due_date", "in_calendar_week", 0], [2]),
    ],
)
def test_date_relations(dated, condition, expected):
    assert dated.ids("Task", [condition]) == expected


def test_in_last_written_flat_as_count_and_unit(dated):
    assert dated.ids("Task", [["due_date", "in_last", 14, "DAY"]]) == [1, 2]


def test_relative_date_with_unknown_unit_is_a_fault(dated):
    with pytest.raises(EngineFault, match="unit"):
        dated.find("Task", [["due_date", "in_last", 3, "FORTNIGHT"]])


@pytest.fixture
def timed(site, engine, clock):
    for hours in (-50, -1, 2, 30):
        site.create("Asset", {"code": f"a{hours}", "created_at": clock.now + dt.timedelta(hours=hours)})
    return site


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["created_at", "in_last", [1, "DAY"]], [2]),
        (["created_at", "in_last", [3, "DAY"]], [1, 2]),
        (["created_at", "in_next", [1, "DAY"]], [3]),
        (["created_at", "not_in_next", [1, "DAY"]], [1, 2, 4]),
        (["created_at", "in_last", [2, "HOUR"]], [2]),
        (["created_at", "greater_than", "2024-05-15T12:00:00Z"], [3, 4]),
        (["created_at", "less_than", dt.datetime(2024, 5, 15, 12, tzinfo=dt.timezone.utc)], [1, 2]),
        (["created_at", "between", ["2024-05-15T00:00:00Z", "2024-05-16T00:00:00Z"]], [2, 3]),
    ],
)
def test_date_time_relations(timed, condition, expected):
    assert timed.ids("Asset", [condition]) == expected


def test_naive_and_aware_datetimes_compare_without_error(site, engine):
    site.create("Asset", {"code": "aware", "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)})
    engine.tables["Asset"][9] = {"type": "Asset", "id": 9, "code": "naive", "__retired": False,
                                 "created_at": dt.datetime(2030, 1, 1)}
    assert site.ids("Asset", [["created_at", "greater_than", dt.datetime(2025, 1, 1)]]) == [9]
    assert site.ids("Asset", [["created_at", "less_than", "2025-01-01T00:00:00Z"]]) == [1]


# --- entity -------------------------------------------------------------------------


@pytest.fixture
def linked(site, project):
    other = site.create("Project", {"name": "Other"})
    site.create("Sequence", {"code": "SQ1", "project": project})
    site.create("Sequence", {"code": "SQ2", "project": other})
    site.create("Shot", {"code": "a", "sg_sequence": {"type": "Sequence", "id": 1}, "project": project})
    site.create("Shot", {"code": "b", "sg_sequence": {"type": "Sequence", "id": 2}, "project": other})
    site.create("Shot", {"code": "c"})
    return site


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["sg_sequence", "is", {"type": "Sequence", "id": 1}], [1]),
        (["sg_sequence", "is", None], [3]),
        (["sg_sequence", "is_not", {"type": "Sequence", "id": 1}], [2, 3]),
        (["sg_sequence", "is_not", None], [1, 2]),
        (["sg_sequence", "in", [{"type": "Sequence", "id": 1}, {"type": "Sequence", "id": 2}]], [1, 2]),
        (["sg_sequence", "not_in", [{"type": "Sequence", "id": 1}]], [2, 3]),
        (["sg_sequence", "type_is", "Sequence"], [1, 2]),
        (["sg_sequence", "type_is_not", "Sequence"], [3]),
        (["sg_sequence", "type_is", None], [3]),
        (["sg_sequence", "name_is", "sq1"], [1]),
        (["sg_sequence", "name_contains", "Q2"], [2]),
        (["sg_sequence", "name_not_contains", "Q2"], [1, 3]),
        (["sg_sequence", "name_starts_with", "sq"], [1, 2]),
        (["sg_sequence", "name_ends_with", "1"], [1]),
    ],
)
def test_entity_relations(linked, condition, expected):
    assert linked.ids("Shot", [condition]) == expected


def test_entity_in_matches_any_listed_entity_where_reference_mockgun_needs_all(linked):
    both = [{"type": "Sequence", "id": 1}, {"type": "Sequence", "id": 2}]
    assert linked.ids("Shot", [["sg_sequence", "in", both]]) == [1, 2]


def test_name_relations_on_task_use_its_content(site):
    site.create("Asset", {"code": "a"})
    site.create("Task", {"content": "Model", "entity": {"type": "Asset", "id": 1}})
    site.create("Note", {"subject": "n", "tasks": [{"type": "Task", "id": 1}]})
    assert site.ids("Note", [["tasks", "name_contains", "mod"]]) == [1]


def test_link_to_retired_record_reads_and_filters_as_empty(linked):
    linked.delete("Sequence", 1)
    assert linked.find("Shot", [["id", "is", 1]], ["sg_sequence"])[0]["sg_sequence"] is None
    assert linked.ids("Shot", [["sg_sequence", "is", None]]) == [1, 3]
    assert linked.find("Sequence", [["id", "is", 2]], ["shots"])[0]["shots"] == [{"type": "Shot", "id": 2, "name": "b"}]
    linked.revive("Sequence", 1)
    assert linked.find("Shot", [["id", "is", 1]], ["sg_sequence"])[0]["sg_sequence"]["id"] == 1


# --- multi-entity and tags ---------------------------------------------------------------


@pytest.fixture
def casting(site):
    for code in ("tree", "rock", "car"):
        site.create("Asset", {"code": code})
    site.create("Shot", {"code": "s1", "assets": [{"type": "Asset", "id": 1}, {"type": "Asset", "id": 2}]})
    site.create("Shot", {"code": "s2", "assets": [{"type": "Asset", "id": 3}]})
    site.create("Shot", {"code": "s3"})
    return site


@pytest.mark.parametrize(
    "condition, expected",
    [
        (["assets", "is", {"type": "Asset", "id": 2}], [1]),
        (["assets", "is_not", {"type": "Asset", "id": 2}], [2, 3]),
        (["assets", "is", None], [3]),
        (["assets", "is_not", None], [1, 2]),
        (["assets", "in", [{"type": "Asset", "id": 2}, {"type": "Asset", "id": 3}]], [1, 2]),
        (["assets", "not_in", [{"type": "Asset", "id": 3}]], [1, 3]),
        (["assets", "type_is", "Asset"], [1, 2]),
        (["assets", "type_is_not", "Asset"], [3]),
        (["assets", "name_contains", "ROC"], [1]),
        (["assets", "name_not_contains", "r"], [3]),
        (["assets", "name_is", "car"], [2]),
    ],
)
def test_multi_entity_relations(casting, condition, expected):
    assert casting.ids("Shot", [condition]) == expected


def test_tag_list_is_means_contains(site):
    site.create("Asset", {"code": "a", "tag_list": ["hero", "red"]})
    site.create("Asset", {"code": "b", "tag_list": ["blue"]})
    site.create("Asset", {"code": "c"})
    assert site.ids("Asset", [["tag_list", "is", "Hero"]]) == [1]
    assert site.ids("Asset", [["tag_list", "is_not", "hero"]]) == [2, 3]
    assert site.ids("Asset", [["tag_list", "is", None]]) == [3]
    assert site.ids("Asset", [["tag_list", "name_contains", "e"]]) == [1, 2]


# --- groups ---------------------------------------------------------------------------


def test_nested_any_and_all_groups(casting):
    filters = [
        {"filter_operator": "any", "filters": [
            ["code", "is", "s3"],
            {"filter_operator": "all", "filters": [["code", "starts_with", "s"], ["assets", "name_is", "car"]]},
        ]},
    ]
    assert casting.ids("Shot", filters) == [2, 3]


def test_top_level_or(casting):
    assert casting.ids("Shot", [["code", "is", "s1"], ["code", "is", "s2"]], operator="or") == [1, 2]


def test_empty_any_group_matches_nothing_and_empty_all_group_everything(casting):
    assert casting.ids("Shot", [{"filter_operator": "any", "filters": []}]) == []
    assert casting.ids("Shot", [{"filter_operator": "all", "filters": []}]) == [1, 2, 3]


def test_unknown_logical_operator_is_a_fault(casting):
    with pytest.raises(EngineFault, match="logical operator"):
        casting.find("Shot", {"logical_operator": "xor", "conditions": []})


# --- dotted paths ------------------------------------------------------------------------


def test_two_hop_dotted_filter_and_field(linked):
    records = linked.find("Shot", [["sg_sequence.Sequence.project.Project.name", "is", "demo"]],
                          ["sg_sequence.Sequence.project.Project.name", "sg_sequence.Sequence.project"])
    assert records == [{
        "type": "Shot", "id": 1,
        "sg_sequence.Sequence.project.Project.name": "Demo",
        "sg_sequence.Sequence.project": {"type": "Project", "id": 1, "name": "Demo"},
    }]


def test_three_hop_dotted_path(linked):
    linked.create("Task", {"content": "comp", "entity": {"type": "Shot", "id": 2}})
    path = "entity.Shot.sg_sequence.Sequence.project.Project.name"
    assert linked.find("Task", [[path, "is", "Other"]], [path]) == [{"type": "Task", "id": 1, path: "Other"}]


def test_dotted_path_through_link_of_another_type_reads_none(site):
    site.create("Asset", {"code": "a"})
    site.create("Task", {"content": "t", "entity": {"type": "Asset", "id": 1}})
    assert site.find("Task", [], ["entity.Shot.code"]) == [{"type": "Task", "id": 1, "entity.Shot.code": None}]
    assert site.ids("Task", [["entity.Shot.code", "is", None]]) == [1]
    assert site.ids("Task", [["entity.Asset.code", "is", "a"]]) == [1]


def test_dotted_path_through_non_link_field_is_a_fault_in_filters(site):
    with pytest.raises(EngineFault, match="code"):
        site.find("Shot", [["code.Sequence.code", "is", "x"]])


def test_filter_through_multi_entity_hop_matches_any_linked_record(casting):
    assert casting.ids("Shot", [["assets.Asset.code", "is", "rock"]]) == [1]
    assert casting.ids("Shot", [["assets.Asset.code", "starts_with", "c"]]) == [2]


def test_negative_filter_through_multi_entity_hop_means_none_of_them(casting):
    # The reference mockgun answers "any linked asset is not rock" ([1, 2]); a site means none of them.
    assert casting.ids("Shot", [["assets.Asset.code", "is_not", "rock"]]) == [2, 3]


def test_return_field_through_multi_entity_hop_lists_each_linked_value(casting):
    assert casting.find("Shot", [["id", "is", 1]], ["assets.Asset.code"])[0]["assets.Asset.code"] == ["tree", "rock"]


def test_any_group_of_link_text_and_number_conditions(linked, engine):
    linked.update("Shot", 3, {"sg_cut_in": 12})
    filters = [
        ["sg_sequence", "is", {"type": "Sequence", "id": 2}],
        ["code", "starts_with", "A"],
        ["sg_cut_in", "greater_than", 10],
        ["code", "in", ["zz", "yy"]],
    ]
    assert linked.ids("Shot", filters, operator="or") == [1, 2, 3]
    negated = [["sg_sequence", "is_not", {"type": "Sequence", "id": 2}], ["code", "not_contains", "a"]]
    assert linked.ids("Shot", negated) == [3]
    nested = [{"filter_operator": "any", "filters": [["sg_cut_in", "is", 12], ["sg_cut_in", "less_than", 0]]},
              ["code", "ends_with", "C"]]
    assert linked.ids("Shot", nested) == [3]


def test_odd_values_written_by_rigs_do_not_break_filters(site, engine):
    site.create("Shot", {"code": "a", "sg_cut_in": 5})
    engine.tables["Shot"][2] = {"type": "Shot", "id": 2, "code": 7, "sg_cut_in": "10",
                                "sg_sequence": 3, "__retired": False}
    assert site.ids("Shot", [["sg_cut_in", "greater_than", 1]]) == [1]
    assert site.ids("Shot", [["sg_cut_in", "between", [1, 20]]]) == [1]
    assert site.ids("Shot", [["sg_sequence", "is", None]]) == [1, 2]
    assert site.ids("Shot", [["code", "is", "7"]]) == []
    assert site.find("Shot", [["id", "is", 2]], ["sg_sequence"])[0]["sg_sequence"] is None


def test_three_hop_path_through_a_multi_entity_hop_then_a_link(linked):
    linked.create("Asset", {"code": "tree", "shots": [{"type": "Shot", "id": 1}, {"type": "Shot", "id": 2}]})
    linked.create("Asset", {"code": "rock", "shots": [{"type": "Shot", "id": 2}]})
    linked.create("Asset", {"code": "lone"})
    path = "shots.Shot.sg_sequence.Sequence.code"
    assert linked.ids("Asset", [[path, "is", "sq1"]]) == [1]
    assert linked.ids("Asset", [[path, "is_not", "SQ1"]]) == [2, 3]
    assert linked.ids("Asset", [[path, "in", ["SQ2"]]]) == [1, 2]
    assert linked.find("Asset", [["id", "is", 1]], [path])[0][path] == ["SQ1", "SQ2"]
    assert linked.ids("Asset", order=[{"field_name": path, "direction": "asc"}]) == [3, 1, 2]


def test_color_uuid_and_entity_type_in_and_not_in(site):
    site.create("Step", {"code": "a", "color": "1,2,3", "entity_type": "Shot"})
    site.create("Step", {"code": "b", "color": "pipeline_step", "entity_type": "Asset"})
    assert site.ids("Step", [["color", "in", ["1,2,3"]]]) == [1]
    assert site.ids("Step", [["color", "not_in", ["1,2,3"]]]) == [2]
    assert site.ids("Step", [["entity_type", "in", ["Asset", "Sequence"]]]) == [2]
    assert site.ids("Step", [["entity_type", "is_not", "Asset"]]) == [1]


def test_duration_and_percent_compare_as_numbers(site):
    site.create("Task", {"content": "a", "duration": 600})
    site.create("Task", {"content": "b", "duration": 60})
    assert site.ids("Task", [["duration", "greater_than", 100]]) == [1]
    assert site.ids("Task", [["duration", "in", [60, 61]]]) == [2]


def test_calendar_week_previous_and_next(site, clock):
    import datetime as dt

    today = clock.now.date()
    for offset in (-7, 0, 7):
        site.create("Task", {"content": str(offset), "due_date": today + dt.timedelta(days=offset)})
    assert site.ids("Task", [["due_date", "in_calendar_week", -1]]) == [1]
    assert site.ids("Task", [["due_date", "in_calendar_week", 1]]) == [3]


def test_filter_values_may_be_unicode_and_match_case_insensitively(site):
    site.create("Asset", {"code": "Ÿüñ ΣΙΓΜΑ"})
    assert site.ids("Asset", [["code", "contains", "σιγμα"]]) == [1]
    assert site.ids("Asset", [["code", "starts_with", "ÿÜ"]]) == [1]


# --- checkbox through a link ------------------------------------------------


def test_checkbox_through_an_empty_link_has_no_value(site, project):
    with_project = site.create("PipelineConfiguration", {"code": "primary", "project": project})["id"]
    site_wide = site.create("PipelineConfiguration", {"code": "site"})["id"]

    assert site.ids("PipelineConfiguration", [["project.Project.archived", "is", False]]) == [with_project]
    assert site.ids("PipelineConfiguration", [["project.Project.archived", "is_not", False]]) == [site_wide]
    assert site.ids("PipelineConfiguration", [["project.Project.archived", "is", True]]) == []


@pytest.fixture
def tagged(default_schema, clock):
    """A site whose schema has the Tag type (as a local site's does), with tagged Assets."""
    additions = json.loads(
        resources.files("shotgun_api3").joinpath("data", "local_site_additions.json").read_text(encoding="utf-8"))
    dicts = default_schema.to_dicts()
    dicts["schema"]["Tag"] = additions["schema"]["Tag"]
    dicts["schema_entity"]["Tag"] = additions["schema_entity"]["Tag"]
    site = Site(Engine(SiteSchema.from_dicts(dicts), clock=clock))
    for name in ("hero", "Red", "unused"):
        site.create("Tag", {"name": name})
    site.create("Asset", {"code": "a", "tag_list": ["hero", "red"]})
    site.create("Asset", {"code": "b", "tag_list": ["blue"]})
    site.create("Asset", {"code": "c"})
    return site


def test_tag_list_name_id_matches_the_name_of_the_tag_record(tagged):
    assert tagged.ids("Asset", [["tag_list", "name_id", 1]]) == [1]
    assert tagged.ids("Asset", [["tag_list", "name_id", {"type": "Tag", "id": 2, "name": "ignored"}]]) == [1]
    assert tagged.ids("Asset", [["tag_list", "name_id", {"id": 2}]]) == [1]
    assert tagged.ids("Asset", [["tag_list", "name_id", 3]]) == []
    assert tagged.ids("Asset", [["tag_list", "name_id", 99]]) == []
    tagged.delete("Tag", 1)
    assert tagged.ids("Asset", [["tag_list", "name_id", 1]]) == []


@pytest.mark.parametrize("value", ["hero", None, True, 1.5, {"type": "Asset", "id": 1}])
def test_tag_list_name_id_needs_a_tag_id(tagged, value):
    with pytest.raises(EngineFault, match="expected the id of a Tag"):
        tagged.ids("Asset", [["tag_list", "name_id", value]])


def test_tag_list_name_id_matches_nothing_on_a_schema_without_tags(site):
    site.create("Asset", {"code": "a", "tag_list": ["hero"]})
    assert site.ids("Asset", [["tag_list", "name_id", 1]]) == []
