"""Ordering (several keys, empty values, links, dotted fields) and paging."""

from __future__ import annotations

import pytest

from shotgun_api3._engine import EngineFault


@pytest.fixture
def shots(site):
    site.create("Sequence", {"code": "B"})
    site.create("Sequence", {"code": "a"})
    rows = [("s3", 2, 1), ("S1", None, 2), ("s2", 1, None), ("s0", 2, 2), ("s4", None, None)]
    for code, cut, seq in rows:
        data = {"code": code, "sg_cut_in": cut}
        if seq:
            data["sg_sequence"] = {"type": "Sequence", "id": seq}
        site.create("Shot", data)
    return site


def _order(field, direction="asc"):
    return [{"field_name": field, "direction": direction}]


def test_text_sorts_ignoring_case(shots):
    assert [r["code"] for r in shots.find("Shot", [], ["code"], order=_order("code"))] == ["s0", "S1", "s2", "s3", "s4"]


def test_empty_values_sort_first_ascending_and_last_descending_like_the_reference_mockgun(shots):
    assert shots.ids("Shot", order=_order("sg_cut_in")) == [2, 5, 3, 1, 4]
    assert shots.ids("Shot", order=_order("sg_cut_in", "desc")) == [1, 4, 3, 2, 5]


def test_first_sort_key_is_primary_where_reference_mockgun_makes_the_last_primary(shots):
    order = [{"field_name": "sg_cut_in", "direction": "desc"}, {"field_name": "code", "direction": "asc"}]
    assert shots.ids("Shot", order=order) == [4, 1, 3, 2, 5]


def test_entity_fields_sort_by_display_name(shots):
    assert shots.ids("Shot", order=_order("sg_sequence")) == [3, 5, 2, 4, 1]


def test_dotted_fields_sort(shots):
    assert shots.ids("Shot", order=_order("sg_sequence.Sequence.code", "desc")) == [1, 2, 4, 3, 5]


def test_sort_direction_must_be_asc_or_desc(shots):
    with pytest.raises(EngineFault, match="direction"):
        shots.find("Shot", order=[{"field_name": "code", "direction": "up"}])


def test_sort_on_unknown_field_is_a_fault(shots):
    with pytest.raises(EngineFault, match="Shot.nope"):
        shots.find("Shot", order=_order("nope"))


@pytest.fixture
def many(site):
    for index in range(7):
        site.create("Asset", {"code": f"a{index}"})
    return site


def test_pages_split_the_sorted_result(many):
    pages = [many.read("Asset", per_page=3, page=p, return_paging_info_without_counts=True) for p in (1, 2, 3, 4)]
    assert [[r["id"] for r in page["entities"]] for page in pages] == [[1, 2, 3], [4, 5, 6], [7], []]
    assert [page["paging_info"] for page in pages] == [{"has_next_page": True}, {"has_next_page": True},
                                                       {"has_next_page": False}, {"has_next_page": False}]


def test_paging_info_counts_when_asked_the_old_way(many):
    answer = many.read("Asset", per_page=3, page=1, return_paging_info=True)
    assert answer["paging_info"]["entity_count"] == 7


def test_exact_page_boundary_has_no_next_page(many):
    answer = many.read("Asset", per_page=7, page=1, return_paging_info_without_counts=True)
    assert len(answer["entities"]) == 7 and answer["paging_info"] == {"has_next_page": False}


def test_pages_larger_than_500_are_clamped(site, engine):
    for index in range(1, 503):
        engine.tables["Asset"][index] = {"type": "Asset", "id": index, "code": str(index), "__retired": False}
    assert len(site.read("Asset", per_page=1000)["entities"]) == 500
    assert [r["id"] for r in site.read("Asset", per_page=500, page=2)["entities"]] == [501, 502]


@pytest.mark.parametrize("paging", [{"entities_per_page": 0, "current_page": 1},
                                    {"entities_per_page": 5, "current_page": -1},
                                    {"entities_per_page": "5", "current_page": 1}])
def test_bad_paging_is_a_fault(many, paging):
    with pytest.raises(EngineFault, match="paging"):
        many.call("read", {"type": "Asset", "return_fields": ["id"], "filters": {"logical_operator": "and", "conditions": []},
                           "paging": paging})


def test_retired_only_returns_retired_records(many):
    many.delete("Asset", 2)
    assert many.ids("Asset", return_only="retired") == [2]
    assert 2 not in many.ids("Asset")


def test_include_archived_projects_false_leaves_out_archived_project_records(site):
    site.create("Project", {"name": "live"})
    site.create("Project", {"name": "old", "archived": True})
    site.create("Shot", {"code": "a", "project": {"type": "Project", "id": 1}})
    site.create("Shot", {"code": "b", "project": {"type": "Project", "id": 2}})
    site.create("Shot", {"code": "c"})
    assert site.ids("Shot", include_archived_projects=False) == [1, 3]
    assert site.ids("Shot") == [1, 2, 3]
    assert site.ids("Project", include_archived_projects=False) == [1]


def test_additional_filter_presets_latest_version_per_entity(site, clock):
    import datetime as dt

    site.create("Shot", {"code": "s"})
    site.create("Asset", {"code": "a"})
    for code, entity, hours in (("v1", "Shot", 1), ("v2", "Shot", 3), ("v3", "Asset", 2), ("v4", "Shot", 2)):
        site.create("Version", {"code": code, "entity": {"type": entity, "id": 1},
                                "created_at": clock.now - dt.timedelta(hours=hours)})
    latest = [{"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}]
    assert site.ids("Version", additional_filter_presets=latest) == [1, 3]


def test_latest_preset_ranks_only_the_rows_the_filters_matched(site, clock):
    import datetime as dt

    site.create("Shot", {"code": "s"})
    for code, hours in (("old", 3), ("mid", 2), ("new", 1)):
        site.create("Version", {"code": code, "entity": {"type": "Shot", "id": 1},
                                "created_at": clock.now - dt.timedelta(hours=hours)})
    latest = [{"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}]
    assert site.ids("Version", [["code", "in", ["old", "mid"]]], additional_filter_presets=latest) == [2]
    assert site.ids("Version", [["id", "is", 1]], additional_filter_presets=latest) == [1]
    assert site.ids("Version", [["code", "is", "none"]], additional_filter_presets=latest) == []


def test_additional_filter_presets_latest_published_file_by_version_number(site):
    site.create("Shot", {"code": "s"})
    for number in (1, 3, 2):
        site.create("PublishedFile", {"code": "f", "entity": {"type": "Shot", "id": 1}, "version_number": number})
    presets = [{"preset_name": "LATEST", "latest_by": "VERSION_NUMBER"}]
    assert site.ids("PublishedFile", additional_filter_presets=presets) == [2]


@pytest.mark.parametrize("presets", [
    3,
    [1],
    [{"latest_by": "ENTITIES_CREATED_AT"}],
    [{"preset_name": "NOPE"}],
    [{"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}, {"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}],
])
def test_bad_additional_filter_presets_are_faults(site, presets):
    with pytest.raises(EngineFault, match="additional_filter_presets"):
        site.find("Version", additional_filter_presets=presets)


def test_first_page_is_in_id_order_even_when_rows_were_inserted_out_of_order(site, engine):
    for index in (5, 2, 9, 1):
        engine.tables["Asset"][index] = {"type": "Asset", "id": index, "code": str(index), "__retired": False}
    answer = site.read("Asset", per_page=2, return_paging_info_without_counts=False)
    assert [r["id"] for r in answer["entities"]] == [1, 2]
    assert answer["paging_info"] == {"has_next_page": True}


def test_page_without_counts_skips_retired_rows(many):
    many.delete("Asset", 1)
    many.delete("Asset", 2)
    answer = many.read("Asset", per_page=2, return_paging_info_without_counts=True)
    assert [r["id"] for r in answer["entities"]] == [3, 4]
    assert answer["paging_info"] == {"has_next_page": True}


def test_top_level_or_with_no_conditions_matches_nothing(many):
    assert many.find("Asset", {"logical_operator": "or", "conditions": []}) == []
    assert len(many.find("Asset", {"logical_operator": "and", "conditions": []})) == 7


def test_read_by_single_id_answers_live_retired_and_missing_records(many):
    many.delete("Asset", 2)
    assert many.ids("Asset", [["id", "is", 3]]) == [3]
    assert many.ids("Asset", [["id", "is", 2]]) == []
    assert many.ids("Asset", [["id", "is", 2]], return_only="retired") == [2]
    assert many.ids("Asset", [["id", "is", 3]], return_only="retired") == []
    assert many.ids("Asset", [["id", "is", 999]]) == []
    assert many.ids("Asset", {"conditions": [{"path": "id", "relation": "is", "values": [4]}]}) == [4]


def test_read_by_single_id_still_rejects_a_non_integer_id(many):
    assert many.ids("Asset", [["id", "is", None]]) == []
    with pytest.raises(EngineFault):
        many.ids("Asset", [["id", "is", "x"]])
