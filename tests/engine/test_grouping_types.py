"""Every grouping type of summarize: the buckets a value falls in (docs/site_facts.rst, Summaries)."""
import datetime

import pytest

from shotgun_api3._engine.summary.grouping_types import EMPTY_BUCKET, buckets_for, group_order, grouping_type_applies

TODAY = datetime.date(2024, 3, 6)  # a Wednesday


def only(grouping_type, data_type, value, **kwargs):
    buckets = buckets_for(grouping_type, data_type, value, TODAY, **kwargs)
    assert len(buckets) == 1
    return buckets[0]


def test_exact_groups_links_by_target_with_a_valid_link_as_value():
    bucket = only("exact", "entity", {"type": "Sequence", "id": 3, "name": "sq01"})
    assert bucket.value == {"type": "Sequence", "id": 3, "name": "sq01", "valid": "valid"}
    assert bucket.name == "sq01"


def test_exact_on_a_status_keeps_the_raw_code():
    bucket = only("exact", "status_list", "ip")
    assert (bucket.value, bucket.name) == ("ip", "ip")


def test_exact_on_a_checkbox_names_yes_and_no():
    assert only("exact", "checkbox", True).name == "Yes"
    assert only("exact", "checkbox", False).name == "No"


@pytest.mark.parametrize("value", [None, "", []])
def test_empty_values_fall_in_the_empty_group(value):
    assert buckets_for("exact", "text", value, TODAY) == [EMPTY_BUCKET]


def test_multi_entity_exact_puts_a_record_in_each_linked_entity_group():
    links = [{"type": "Asset", "id": 1, "name": "a"}, {"type": "Asset", "id": 2, "name": "b"}]
    buckets = buckets_for("exact", "multi_entity", links, TODAY)
    assert [bucket.value["id"] for bucket in buckets] == [1, 2]


def test_empty_multi_entity_falls_in_the_empty_group():
    assert buckets_for("exact", "multi_entity", [], TODAY) == [EMPTY_BUCKET]


@pytest.mark.parametrize("grouping_type, value, low, name", [
    ("tens", 37, 30, "30 - 39"),
    ("hundreds", 37, 0, "0 - 99"),
    ("thousands", 1234, 1000, "1000 - 1999"),
    ("tensofthousands", 12345, 10000, "10000 - 19999"),
    ("hundredsofthousands", 250000, 200000, "200000 - 299999"),
    ("millions", 2500000, 2000000, "2000000 - 2999999"),
    ("tens", -3, -10, "-10 - -1"),
    ("tens", 12.5, 10.0, "10 - 20"),
])
def test_numeric_groupings_round_down_to_their_bucket(grouping_type, value, low, name):
    bucket = only(grouping_type, "number", value)
    assert (bucket.value, bucket.name) == (low, name)


@pytest.mark.parametrize("grouping_type, value, group_value, name", [
    ("day", "2024-03-06", "2024-03-06", "2024-03-06"),
    ("week", "2024-03-06", "2024-03-04", "Week of 2024-03-04"),
    ("week", "2024-03-04", "2024-03-04", "Week of 2024-03-04"),
    ("month", "2024-03-06", "2024-03", "March 2024"),
    ("quarter", "2024-08-01", "2024-Q3", "2024 Q3"),
    ("year", "2024-08-01", "2024", "2024"),
    ("day", datetime.datetime(2024, 3, 6, 23, 59), "2024-03-06", "2024-03-06"),
    ("month", datetime.date(2023, 12, 31), "2023-12", "December 2023"),
])
def test_calendar_groupings_on_dates_and_datetimes(grouping_type, value, group_value, name):
    bucket = only(grouping_type, "date", value)
    assert (bucket.value, bucket.name) == (group_value, name)


@pytest.mark.parametrize("day, cluster", [
    ("2024-01-01", "past"),
    ("2024-03-05", "yesterday"),
    ("2024-03-06", "today"),
    ("2024-03-07", "tomorrow"),
    ("2025-01-01", "future"),
])
def test_clustered_date_buckets_relative_to_today(day, cluster):
    assert only("clustered_date", "date", day).value == cluster


def test_clustered_date_groups_sort_chronologically():
    buckets = [only("clustered_date", "date", day) for day in ("2025-01-01", "2024-03-06", "2020-01-01")]
    assert [bucket.value for bucket in group_order(buckets, "asc")] == ["past", "today", "future"]


def test_duration_groupings_count_eight_hour_days():
    assert only("oneday", "duration", 0).value == 0
    assert only("oneday", "duration", 960).name == "2 days"
    assert only("oneday", "duration", 480).name == "1 day"
    bucket = only("fivedays", "duration", 480 * 7)
    assert (bucket.value, bucket.name) == (5, "5 - 9 days")


def test_entitytype_groups_links_by_target_type_named_by_display_name():
    names = {"HumanUser": "Person"}.get
    bucket = only("entitytype", "entity", {"type": "HumanUser", "id": 1}, type_display_name=names)
    assert (bucket.value, bucket.name) == ("HumanUser", "Person")


def test_entitytype_on_multi_entity_gives_one_group_per_type_present():
    links = [{"type": "Asset", "id": 1}, {"type": "Shot", "id": 2}, {"type": "Asset", "id": 3}]
    assert [bucket.value for bucket in buckets_for("entitytype", "multi_entity", links, TODAY)] == ["Asset", "Shot"]


def test_firstletter_folds_case():
    assert only("firstletter", "text", "bunny_010").value == "B"
    assert only("firstletter", "text", "Bunny").key == only("firstletter", "text", "bunny").key
    assert only("firstletter", "text", "élan").value == "É"


def test_group_order_puts_the_empty_group_last_ascending_and_first_descending():
    buckets = [only("exact", "text", "b"), EMPTY_BUCKET, only("exact", "text", "A")]
    assert [bucket.value for bucket in group_order(buckets, "asc")] == ["A", "b", None]
    assert [bucket.value for bucket in group_order(buckets, "desc")] == [None, "b", "A"]


def test_group_order_survives_mixed_value_kinds():
    buckets = [only("exact", "text", "b"), only("exact", "number", 3)]
    assert len(group_order(buckets, "asc")) == 2


@pytest.mark.parametrize("grouping_type, data_type, applies", [
    ("exact", "text", True),
    ("exact", "multi_entity", True),
    ("exact", "serializable", False),
    ("tens", "number", True),
    ("millions", "float", True),
    ("tens", "text", False),
    ("day", "date_time", True),
    ("clustered_date", "date", True),
    ("week", "number", False),
    ("oneday", "duration", True),
    ("fivedays", "number", False),
    ("entitytype", "entity", True),
    ("entitytype", "text", False),
    ("firstletter", "text", True),
    ("bogus", "text", False),
])
def test_grouping_type_applies_by_data_type(grouping_type, data_type, applies):
    assert grouping_type_applies(grouping_type, data_type) is applies
