"""Malformed arguments raise InvalidInputError naming the bad part, before anything is sent.

Where the reference failed on the same input with a built-in exception, the
raised class derives from it too; where it sent the input and the site
answered a ``Fault``, from ``Fault`` (the ``like`` column).
"""
from __future__ import annotations

import pytest

import shotgun_api3
from shotgun_api3 import Fault, InvalidInputError, ShotgunError

CASES = [
    # (id, call, built-in the reference raised or None, words the message must contain)
    ("filter without relation", lambda sg: sg.find("Shot", [["code"]]), IndexError, ["['code']", "relation"]),
    ("filter without value", lambda sg: sg.find("Shot", [["code", "is"]]), IndexError, ["['code', 'is']", "value"]),
    ("filter with empty in list", lambda sg: sg.find("Shot", [["code", "in", []]]), IndexError, ["'in'", "value"]),
    ("filter field not a string", lambda sg: sg.find("Shot", [[1, "is", 2]]), Fault, ["[1, 'is', 2]", "strings"]),
    ("filters a string", lambda sg: sg.find("Shot", "code"), Fault, ["filters", "'code'", "list"]),
    ("filters None", lambda sg: sg.find("Shot", None), Fault, ["filters", "None"]),
    ("group without filters", lambda sg: sg.find("Shot", [{"filter_operator": "all"}]), KeyError, ["'filters'"]),
    ("nested filter without value", lambda sg: sg.find("Shot", [{"filter_operator": "any", "filters": [["a", "is"]]}]),
     IndexError, ["['a', 'is']"]),
    ("fields nested list", lambda sg: sg.find("Shot", [], [[1]]), Fault, ["fields[0]", "[1]", "string"]),
    ("fields a string", lambda sg: sg.find("Shot", [], "code"), Fault, ["fields", "'code'", "list"]),
    ("order a dict", lambda sg: sg.find("Shot", [], order={"field_name": "code"}), AttributeError, ["order", "list"]),
    ("order item a string", lambda sg: sg.find("Shot", [], order=["code"]), AttributeError, ["order[0]", "'code'"]),
    ("order without field_name", lambda sg: sg.find("Shot", [], order=[{"direction": "asc"}]), KeyError,
     ["order[0]", "field_name"]),
    ("order bad direction", lambda sg: sg.find("Shot", [], order=[{"field_name": "code", "direction": "up"}]), None,
     ["direction", "'up'", "asc"]),
    ("entity type None", lambda sg: sg.find(None, []), Fault, ["entity_type", "None"]),
    ("find_one fields", lambda sg: sg.find_one("Shot", [], [1]), Fault, ["fields[0]"]),
    ("create data a list", lambda sg: sg.create("Shot", [("code", 1)]), AttributeError, ["create()", "data", "dict"]),
    ("create data None", lambda sg: sg.create("Shot", None), AttributeError, ["data", "None"]),
    ("create field name not a string", lambda sg: sg.create("Shot", {1: "x"}), Fault, ["key 1"]),
    ("create return_fields a string", lambda sg: sg.create("Shot", {"code": "x"}, "code"), Fault, ["return_fields"]),
    ("update data a list", lambda sg: sg.update("Shot", 1, [("code", 1)]), AttributeError, ["update()", "data"]),
    ("update modes a list", lambda sg: sg.update("Shot", 1, {"code": "x"}, multi_entity_update_modes=["x"]),
     AttributeError, ["multi_entity_update_modes"]),
    ("delete entity type", lambda sg: sg.delete(3, 1), Fault, ["delete()", "entity_type"]),
    ("batch request a string", lambda sg: sg.batch(["x"]), AttributeError, ["requests[0]", "'x'"]),
    ("batch data a list", lambda sg: sg.batch([{"request_type": "create", "entity_type": "Shot", "data": [1]}]),
     AttributeError, ["requests[0]['data']"]),
    ("batch second request", lambda sg: sg.batch([
        {"request_type": "delete", "entity_type": "Shot", "entity_id": 1},
        {"request_type": "update", "entity_type": None, "entity_id": 1, "data": {}}]), Fault,
     ["requests[1]['entity_type']"]),
    ("summarize fields a string", lambda sg: sg.summarize("Shot", [], "code"), Fault, ["summary_fields"]),
    ("summarize item without field", lambda sg: sg.summarize("Shot", [], [{"type": "count"}]), None,
     ["summary_fields[0]", "'field'"]),
    ("text_search filter", lambda sg: sg.text_search("x", {"Shot": [["code"]]}), IndexError, ["['code']"]),
]


@pytest.mark.parametrize("call, like, words", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_malformed_input_is_refused_before_anything_is_sent(sg, site, call, like, words):
    # The server's version known beforehand (text_search checks it first, as the reference does, which asks
    # the site with an info call): nothing at all may be sent.
    sg._server_caps = shotgun_api3.shotgun.ServerCapabilities(sg.config.server, dict(site.info))
    sg._server_info = dict(site.info)
    with pytest.raises(InvalidInputError) as raised:
        call(sg)
    error = raised.value
    assert isinstance(error, ShotgunError)
    if like is not None:
        assert isinstance(error, like)
    text = str(error)
    for word in words:
        assert word in text
    assert site.requests == []


def test_valid_inputs_of_the_same_shapes_still_go_through(sg, site):
    site.answer({"entities": [], "paging_info": {"entity_count": 0}})
    assert sg.find("Shot", (["code", "is", "x"], ["id", "in", []], ["x", "greater_than"]), ("code",),
                   order=[{"column": "code"}, {"field_name": "id", "direction": "desc"}]) == []
    site.answer({"type": "Shot", "id": 1})
    assert sg.create("Shot", {"code": "x"}, ("code",))["id"] == 1
    site.answer({"summaries": {}, "groups": []})
    sg.summarize("Shot", [], [{"field": "id", "type": "count"}],
                 grouping=[{"field": "code", "type": "exact", "direction": "asc"}])


def test_a_reference_except_clause_still_catches_its_builtin():
    sg = shotgun_api3.Shotgun("https://site.example.com", "scr", "key123", connect=False)
    try:
        sg.find("Shot", [["code", "is"]])
    except IndexError as error:  # what code written for the reference caught
        assert "['code', 'is']" in str(error)
    else:
        pytest.fail("no error")
