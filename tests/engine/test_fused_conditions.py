"""The fused row tests of ``fast_conditions`` answer exactly what the relations of ``relations`` answer.

``relations.build_test`` is the definition of every filter relation; the
fused closures are a faster way to the same answers for the commonest
conditions. Hypothesis draws stored values of every kind a row may hold
(the right type, odd types rigs write by hand: ints in text fields, strings
and Decimals in number fields, booleans, lists, dicts, ``None``), filter
values and relations, and requires both ways to agree on every row, alone
and fused into groups.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shotgun_api3._engine import EngineFault, SiteSchema
from shotgun_api3._engine.query.fused_conditions import combine, fused_predicate, negate
from shotgun_api3._engine.query.filters import all_of, any_of
from shotgun_api3._engine.query.relations import QueryEnv, build_test

SCHEMA = SiteSchema.default()
TABLES = {"Sequence": {1: {"type": "Sequence", "id": 1, "code": "sq1", "__retired": False},
                       2: {"type": "Sequence", "id": 2, "code": "sq2", "__retired": True}}}
ENV = QueryEnv(SCHEMA, TABLES, dt.datetime(2024, 5, 15, 12, tzinfo=dt.timezone.utc))

texts = st.one_of(st.text(max_size=6), st.sampled_from(["sh010", "SH010", "Ünï", "ab", "", "7", "5", "5.0"]))
numbers = st.one_of(st.integers(-5, 5), st.floats(-5, 5, allow_nan=False), st.sampled_from([10 ** 20, 2.5]),
                    st.decimals(-5, 5, allow_nan=False, places=1))
links = st.one_of(st.none(), st.fixed_dictionaries({"type": st.sampled_from(["Sequence", "Asset"]),
                                                    "id": st.integers(1, 3)}),
                  st.just({"type": "Sequence"}), st.just({"type": "Sequence", "id": 1, "name": "sq1"}))
stored_values = st.one_of(st.none(), texts, numbers, st.booleans(), links,
                          st.lists(st.integers(0, 3), max_size=2), st.just(Decimal("5")),
                          st.just(dt.datetime(2024, 1, 1)), st.just({"k": 1}))

FIELDS = {"code": "text", "sg_status_list": "status_list", "sg_cut_in": "number",
          "sg_sequence": "entity"}
RELATIONS = {"text": ["is", "in", "starts_with", "ends_with", "contains"],
             "status_list": ["is", "in"], "number": ["is", "less_than", "greater_than"], "entity": ["is"]}


@st.composite
def conditions(draw):
    field = draw(st.sampled_from(sorted(FIELDS)))
    data_type = FIELDS[field]
    relation = draw(st.sampled_from(RELATIONS[data_type]))
    if data_type in ("text", "status_list"):
        value = draw(st.one_of(texts, st.none()))
        values = [draw(st.lists(texts, max_size=3))] if relation == "in" else [value]
    elif data_type == "number":
        values = [draw(numbers)]
    else:
        values = [draw(links)]
    return field, data_type, relation, values


def _both_ways(field, data_type, relation, values):
    """The relation's test and the fused predicate; ``(None, None)`` for values the relation refuses."""
    try:
        test = build_test(ENV, data_type, relation, values, "Shot." + field)
    except EngineFault:
        return None, None  # a fault before any row is tested: the same whichever way
    fused = fused_predicate(ENV, data_type, field, relation, values, test)
    return test, fused


@settings(max_examples=1500, deadline=None)
@given(conditions(), st.lists(stored_values, min_size=1, max_size=6))
def test_a_fused_condition_answers_as_its_relation(condition, stored):
    field, data_type, relation, values = condition
    test, fused = _both_ways(field, data_type, relation, values)
    if fused is None:
        return  # not fused: the relation's own test is what runs
    for value in stored:
        assert fused({field: value}) == test(value), (condition, value)
    assert fused({}) == test(None)


@settings(max_examples=500, deadline=None)
@given(st.lists(conditions(), min_size=2, max_size=4), st.sampled_from(["and", "or"]), st.booleans(),
       st.lists(st.fixed_dictionaries({field: stored_values for field in FIELDS}), min_size=1, max_size=5))
def test_fused_groups_answer_as_their_conditions_joined(group, joiner, negate_first, rows):
    tests, predicates = [], []
    for index, (field, data_type, relation, values) in enumerate(group):
        test, fused = _both_ways(field, data_type, relation, values)
        if fused is None:
            return
        if index == 0 and negate_first:
            fused = negate(fused)
            tests.append(lambda row, t=test, f=field: not t(row.get(f)))
        else:
            tests.append(lambda row, t=test, f=field: t(row.get(f)))
        predicates.append(fused)
    combined = combine(predicates, joiner)
    assert combined is not None
    reference = all_of(tests) if joiner == "and" else any_of(tests)
    for row in rows:
        assert bool(combined(row)) == bool(reference(row)), (group, row)


def test_the_values_that_once_disagreed_now_agree():
    """Decimals in number fields and ints in text fields (the fused path once read them otherwise)."""
    for relation, values in (("is", [5]), ("greater_than", [0]), ("less_than", [10])):
        test, fused = _both_ways("sg_cut_in", "number", relation, values)
        assert fused({"sg_cut_in": Decimal("5")}) is test(Decimal("5")) is True
    test, fused = _both_ways("code", "text", "is", ["7"])
    assert fused({"code": 7}) is test(7) is False
    assert fused({"code": "7"}) is test("7") is True
