"""Mockgun refuses malformed filter lists in the words rigs written for the reference mockgun expect."""
import pytest

from shotgun_api3 import ShotgunError


@pytest.mark.parametrize("filters, message", [
    ([1], "Filters can only be lists or dictionaries, not int."),
    ([["code", "is", "a"], "code"], "Filters can only be lists or dictionaries, not str."),
    ([{}], "Bad filter operator, requires keys 'filter_operator' and 'filters', found "),
    ([{"filters": []}], "Bad filter operator, requires keys 'filter_operator' and 'filters', found filters"),
    ([{"filter_operator": "bad", "filters": []}], "Unknown filter_operator type: bad"),
    ([{"filter_operator": "any", "filters": [None]}], "Filters can only be lists or dictionaries, not NoneType."),
])
def test_malformed_filters_are_refused_with_the_reference_mockguns_message(sg, site_sg, filters, message):
    # As the reference, the default mode reads filters row by row: with no row, nothing is refused.
    assert sg.find("Shot", filters) == []
    sg.create("Shot", {"code": "a"})
    for mock_sg in (sg, site_sg):
        with pytest.raises(ShotgunError) as raised:
            mock_sg.find("Shot", filters)
        assert str(raised.value) == message


def test_well_formed_groups_lists_and_tuples_are_accepted(sg):
    sg.create("Shot", {"code": "a"})
    filters = [{"filter_operator": "or", "filters": [("code", "is", "a"), ["code", "is", "b"]]}, ["code", "is", "a"]]
    assert [shot["id"] for shot in sg.find("Shot", filters)] == [1]
    assert sg.find("Shot", [{"filter_operator": "all", "filters": []}]) != []
