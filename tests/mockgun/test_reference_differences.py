"""Where the reference mockgun raises, crashes or answers what no site could, ours answers like a site.

Each test runs one scenario on both mockguns (the reference in its own
venv) and asserts both answers, so the difference stays visible and is
noticed if either side changes (docs/mockgun.rst lists them). The last
tests pin scenarios where ours once differed and now answers exactly as the
reference does, in the default mode.
"""

import pytest

from tests.mockgun.scenarios import DIFFERENCES
from tests.support.differential import reports_of_both

pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def answers(pickle_schema_paths):
    """``{scenario: (our last answers, reference last answers)}``; the last two steps of each."""
    ours, reference = reports_of_both(DIFFERENCES, pickle_schema_paths)
    return {name: (ours[name][-2:], reference[name][-2:]) for name in DIFFERENCES}


def last(answers, name):
    ours, theirs = answers[name]
    return ours[-1], theirs[-1]


def codes(answer):
    return [record["code"] for record in answer["result"]]


def test_reference_is_wrong_update_returns_a_list_a_site_returns_the_record(answers):
    ours, theirs = last(answers, "update_result")
    assert theirs == {"result": [{"type": "Shot", "id": 1, "code": "sh011"}]}
    assert ours["result"]["code"] == "sh011" and ours["result"]["type"] == "Shot" and ours["result"]["id"] == 1


def test_reference_is_wrong_entity_in_must_match_every_listed_entity(answers):
    ours, theirs = last(answers, "entity_in_any_of")
    assert theirs == {"error": "TypeError"}
    assert codes(ours) == ["sh010", "sh020", "sh030"]


def test_reference_is_wrong_type_is_crashes_on_an_empty_link(answers):
    ours, theirs = last(answers, "type_is_on_empty_links")
    assert theirs == {"error": "TypeError"}
    assert codes(ours) == ["sh010", "sh020", "sh030"]


def test_reference_is_wrong_name_contains_crashes_on_an_empty_link(answers):
    ours, theirs = last(answers, "name_contains_on_empty_links")
    assert theirs == {"error": "TypeError"}
    assert codes(ours) == ["sh030"]


def test_reference_is_wrong_multi_key_order_makes_the_last_key_primary(answers):
    ours, theirs = last(answers, "multi_key_order")
    assert codes(theirs) == ["sh030", "sh020", "sh010", "big_040"]
    # Site: status first (fin, ip, wtg, wtg), ties by code descending.
    assert codes(ours) == ["sh020", "sh010", "sh030", "big_040"]




def test_reference_is_wrong_batch_keeps_requests_before_a_failure(answers):
    (batch_ours, find_ours), (batch_theirs, find_theirs) = answers["batch_rollback"]
    assert batch_theirs == batch_ours == {"error": "ShotgunError"}
    assert codes(find_theirs) == ["sh080"]
    assert codes(find_ours) == []


def test_reference_is_wrong_remove_mode_with_two_links_removes_nothing(answers):
    ours, theirs = last(answers, "remove_two_links")
    assert len(theirs["result"]["assets"]) > 0
    assert ours["result"]["assets"] == []




def test_reference_is_wrong_unknown_filter_field_raises_key_error(answers):
    ours, theirs = last(answers, "unknown_filter_field")
    assert theirs == {"error": "KeyError"}
    assert ours == {"error": "ShotgunError"}




def test_reference_is_wrong_text_sorts_case_sensitively(answers):
    ours, theirs = last(answers, "case_insensitive_text_order")
    assert codes(theirs)[0] == "Alpha" and codes(theirs)[1] == "big_040"
    assert codes(ours) == ["Alpha", "big_040", "sh010", "sh020", "sh030"]


def test_reference_is_wrong_limit_is_ignored(answers):
    ours, theirs = last(answers, "limit")
    assert len(theirs["result"]) == 4
    assert codes(ours) == ["sh010", "sh020"]


def test_reference_is_wrong_page_is_ignored(answers):
    ours, theirs = last(answers, "page")
    assert len(theirs["result"]) == 4
    assert codes(ours) == ["sh030", "big_040"]




def test_reference_is_wrong_summarize_is_missing(answers):
    ours, theirs = last(answers, "summarize")
    assert theirs == {"error": "AttributeError"}
    assert ours == {"result": {"summaries": {"sg_cut_in": 100}, "groups": []}}


def test_reference_is_wrong_none_on_a_multi_entity_field_crashes(answers):
    (update_ours, find_ours), (update_theirs, _) = answers["none_on_multi_entity"]
    assert update_theirs == {"error": "TypeError"}
    assert find_ours["result"]["assets"] == []


def test_reference_is_wrong_ordering_relations_crash_on_empty_numbers(answers):
    ours, theirs = last(answers, "greater_than_on_empty_numbers")
    assert theirs == {"error": "TypeError"}
    assert codes(ours) == ["sh030", "big_040"]


def test_reference_is_wrong_float_fields_refuse_ints(answers):
    (create_ours, find_ours), (create_theirs, _) = answers["float_accepts_int"]
    assert create_theirs == {"error": "ShotgunError"}
    assert find_ours["result"]["sg_movie_aspect_ratio"] == 2








def test_reference_is_wrong_an_unknown_type_raises_key_error(answers):
    ours, theirs = last(answers, "unknown_schema_type")
    assert theirs == {"error": "KeyError"}
    assert ours == {"error": "ShotgunError"}


# Scenarios where the default mode answers exactly what the reference answers (links as
# stored, no event log, create's return_fields alone, batch ignoring return_fields, ...).
SAME_AS_THE_REFERENCE = ['bad_order_direction', 'batch_create_return_fields', 'create_return_fields', 'event_log', 'link_names', 'two_element_filter', 'unknown_schema_field']


@pytest.mark.parametrize("scenario", SAME_AS_THE_REFERENCE)
def test_the_default_mode_answers_as_the_reference(answers, scenario):
    ours, theirs = last(answers, scenario)
    assert ours == theirs
