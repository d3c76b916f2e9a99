"""Every summary type of summarize, on the values of one field (docs/site_facts.rst, Summaries)."""
import datetime

import pytest

from shotgun_api3._engine.summary.summary_types import aggregate, summary_type_applies

UTC = datetime.timezone.utc


def test_record_count_counts_every_record_empty_values_included():
    assert aggregate("record_count", [1, None, "", []]) == 4


def test_count_counts_only_non_empty_values():
    assert aggregate("count", [1, None, "", [], "x", [{"type": "Shot", "id": 1}]]) == 3


def test_count_of_nothing_is_zero():
    assert aggregate("count", []) == 0


def test_sum_totals_non_empty_numbers_as_the_live_test_pins():
    assert aggregate("sum", [100, 100, 100, 0, None]) == 300


def test_sum_of_nothing_is_zero_and_sum_of_floats_is_a_float():
    assert aggregate("sum", []) == 0
    assert aggregate("sum", [1.5, 2.25]) == 3.75


def test_maximum_and_minimum_ignore_empty_values():
    assert aggregate("maximum", [3, None, 9, -2]) == 9
    assert aggregate("minimum", [3, None, 9, -2]) == -2


def test_maximum_minimum_average_of_nothing_are_none():
    assert aggregate("maximum", [None]) is None
    assert aggregate("minimum", []) is None
    assert aggregate("average", [None, None]) is None


def test_average_is_a_float_mean_of_non_empty_values():
    result = aggregate("average", [1, 2, None, 4])
    assert result == pytest.approx(7 / 3)
    assert isinstance(result, float)


def test_earliest_and_latest_on_date_strings():
    dates = ["2013-07-05", None, "2013-06-18", "2014-01-01"]
    assert aggregate("earliest", dates) == "2013-06-18"
    assert aggregate("latest", dates) == "2014-01-01"


def test_earliest_and_latest_order_naive_and_aware_datetimes_together():
    early = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    late = datetime.datetime(2020, 1, 2, 0, 0)
    assert aggregate("earliest", [late, early]) is early
    assert aggregate("latest", [late, None, early]) is late


def test_percentage_with_a_value_is_the_rounded_share_of_records_holding_it():
    assert aggregate("percentage", ["a", "b", "a"], {"field": "f", "type": "percentage", "value": "a"}) == 67


def test_percentage_of_a_checkbox_without_a_value_is_the_share_checked():
    assert aggregate("percentage", [True, False, None, True]) == 50


def test_percentage_of_other_fields_without_a_value_is_the_share_set():
    assert aggregate("percentage", ["x", None, "", "y"]) == 50
    assert aggregate("percentage", []) == 0


def test_status_percentage_defaults_to_the_final_status():
    assert aggregate("status_percentage", ["fin", "ip", "fin", "wtg"]) == 50
    assert aggregate("status_percentage", ["fin", "ip"], {"value": "ip"}) == 50


def test_status_list_rolls_one_status_up_to_itself_and_a_mix_to_ip():
    assert aggregate("status_list", ["fin", "fin", None]) == "fin"
    assert aggregate("status_list", ["fin", "wtg"]) == "ip"
    assert aggregate("status_list", [None]) is None


def test_checked_and_unchecked_count_records_with_unset_as_unchecked():
    values = [True, False, None, True]
    assert aggregate("checked", values) == 2
    assert aggregate("unchecked", values) == 2


@pytest.mark.parametrize("summary_type, data_type, applies", [
    ("count", "text", True),
    ("record_count", "multi_entity", True),
    ("sum", "number", True),
    ("sum", "duration", True),
    ("sum", "text", False),
    ("average", "float", True),
    ("earliest", "date_time", True),
    ("latest", "number", False),
    ("status_list", "status_list", True),
    ("status_list", "list", False),
    ("checked", "checkbox", True),
    ("unchecked", "text", False),
    ("no_such_summary", "text", False),
])
def test_summary_type_applies_by_data_type(summary_type, data_type, applies):
    assert summary_type_applies(summary_type, data_type) is applies
