"""``check_params`` walks params without keeping paths and walks again only to name a bad one.

The walk without paths (``_passes``) must pass exactly what the walk that
names the bad param (``_check``) passes: it is checked here against it on
generated params built from every key name the rules know, and on the
awkward cases by hand.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shotgun_api3._engine import param_checks
from shotgun_api3._engine.errors import EngineFault
from shotgun_api3._engine.param_checks import MAX_DEPTH, check_params

KEYS = sorted(param_checks._KEY_KINDS) + ["fields", "filters", "conditions", "entity", "paging", "other", "Note"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=3),
                    st.sampled_from(["Shot", "", "\u00e9\U0001f600"]))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=5),
        st.fixed_dictionaries({"type": children, "id": children}, optional={"name": children}),
        st.fixed_dictionaries({"field_name": children, "value": children}, optional={"other": children}),
        st.fixed_dictionaries({"fields": st.lists(children, max_size=3)}, optional={"type": children}),
    ),
    max_leaves=30,
)


def _walk_names_a_fault(params) -> str | None:
    try:
        param_checks._check("m", params, (), 0, False)
    except EngineFault as fault:
        return str(fault)
    return None


def _check_params_fault(params) -> str | None:
    try:
        check_params("m", params)
    except EngineFault as fault:
        return str(fault)
    return None


@settings(max_examples=1500, deadline=None)
@given(trees)
def test_the_fast_walk_passes_exactly_what_the_naming_walk_passes(params):
    fault = _walk_names_a_fault(params)
    assert param_checks._passes(params, 0, False) is (fault is None)
    if params is not None and params.__class__ not in (str, int, float, bool):
        assert _check_params_fault(params) == fault


def _nested_lists(levels, leaf):
    tree = leaf
    for _ in range(levels):
        tree = [tree]
    return tree


def _nested_values(levels):
    tree: object = {"type": "Shot", "id": 1}
    for _ in range(levels):
        tree = {"value": tree}
    return tree


def _batch(value):
    return [{"request_type": "create", "type": "Task", "fields": [{"field_name": "x", "value": value}],
             "return_fields": ["id"]}]


@pytest.mark.parametrize("params", [
    _batch("anim"), _batch(None), _batch({"type": "Shot", "id": 1, "name": "n"}), _batch({"type": "Shot", "id": None}),
    _batch({"type": "Shot", "id": True}), _batch({"type": 1, "id": 1}), _batch({"type": "Shot", "id": 1.0}),
    _batch({"type": "Shot"}), _batch([{"type": "Shot", "id": "1"}]), _batch({"a": {"type": "Shot", "id": []}}),
    _batch({"type": "Shot", "id": 1, "nested": [[{"type": None, "id": 2}]]}),
    [{"request_type": "create", "type": "Task", "fields": [], "return_fields": ["id", 1]}],
    [{"request_type": "create", "type": "Task", "fields": [], "return_fields": "id"}],
    [{"request_type": "create", "type": "Task", "fields": [], "return_fields": None}],
    [{"request_type": True, "type": "Task"}], [{"type": "Task", "id": False}], [{"type": "Task", "id": 2 ** 70}],
    {"project_ids": [1, 2, True]}, {"project_ids": [1, 2]}, {"project_ids": (1,)},
    {"entity_fields": {"Note": ["content"], "Reply": None}}, {"entity_fields": {"Note": [1]}},
    {"entity_fields": ["Note"]}, {"entity_fields": None},
    {"filters": {"conditions": [{"path": "id", "relation": "is", "values": [{"type": "Shot", "id": "x"}]}]}},
    _nested_lists(MAX_DEPTH, 1), _nested_lists(MAX_DEPTH + 1, 1), _nested_lists(MAX_DEPTH + 1, []),
    _nested_lists(MAX_DEPTH + 2, {}), _nested_values(MAX_DEPTH - 1), _nested_values(MAX_DEPTH),
    _nested_values(MAX_DEPTH + 1), {"fields": _nested_lists(MAX_DEPTH, [])},
    _nested_lists(MAX_DEPTH - 4, {"fields": [{"field_name": "x", "value": {"a": {"type": "Shot", "id": 1}}}]}),
    _nested_lists(MAX_DEPTH - 3, {"fields": [{"field_name": "x", "value": {"a": {"type": "Shot", "id": 1}}}]}),
    _nested_lists(MAX_DEPTH - 3, {"fields": [{"field_name": "x", "value": {"type": "Shot", "id": 1}}]}),
    _nested_lists(MAX_DEPTH - 3, {"fields": [{"field_name": "x", "value": [[]]}]}),
    _nested_lists(MAX_DEPTH - 2, {"fields": [{"field_name": "x", "value": []}]}),
    _nested_lists(MAX_DEPTH - 2, {"fields": [{"field_name": "x", "value": {"type": "Shot", "id": 1}}]}),
    _nested_lists(MAX_DEPTH - 1, {"fields": [{"field_name": "x", "value": {"type": "Shot", "id": 1}}]}),
    _nested_lists(MAX_DEPTH - 1, {"fields": [{"field_name": "x", "value": [1]}]}),
    _nested_lists(MAX_DEPTH - 1, {"fields": [{"field_name": "x", "value": 1}]}),
    _nested_lists(MAX_DEPTH, {"fields": [{"field_name": "x", "value": 1}]}),
    _nested_lists(MAX_DEPTH, {"fields": []}),
    {"fields": [{"field_name": 1, "value": 1}]}, {"fields": [{"field_name": None, "value": [{"type": 2, "id": 1}]}]},
    {"fields": [{"field_name": "x", "value": {"type": "Shot", "id": 1}, "return_fields": [1]}]},
    {"fields": _nested_lists(MAX_DEPTH - 1, [])}, {"value": _nested_lists(MAX_DEPTH, {})},
])
def test_awkward_params_are_judged_as_the_naming_walk_judges_them(params):
    fault = _walk_names_a_fault(params)
    assert param_checks._passes(params, 0, False) is (fault is None)
    assert _check_params_fault(params) == fault


def test_a_bad_param_in_a_batch_is_named():
    params = _batch("anim") * 3 + _batch({"type": "Shot", "id": "7"})
    assert _check_params_fault(params) == (
        "API m() invalid parameter [3].fields[0].value.id: expected an integer id, got a string")
