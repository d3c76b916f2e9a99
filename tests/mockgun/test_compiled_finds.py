"""A find's compiled row tests answer exactly what walking the reference's helpers answers.

When no helper is patched, ``find`` compiles its filters
(``lib/mockgun/fast_find.py``); when a rig patches one, it walks
``_row_matches_filters`` and friends row by row. Both must give the same
records, raise the same errors, and leave ``_db`` the same (filters on links
copy names into the stored links). Seeded random rows, with the odd values
rigs write by hand, and random filters, groups, dotted paths and orders run
through both.
"""
import copy
import datetime
import random

import pytest

from shotgun_api3 import ShotgunError
from shotgun_api3.lib import mockgun
from shotgun_api3.lib.mockgun.rules import ReferenceRules

UTC = datetime.timezone.utc
CASES = 400


def _odd_text(rng):
    return rng.choice(["sh010", "SH010", "Sh020", "big_040", "", None, "ünïcode ✓", 7, "night, rain", "sq01"])


def _odd_number(rng):
    return rng.choice([0, 5, 10, 20, 30, -3, None, 2.5, "12", True, 10 ** 20])


def _odd_link(rng, kinds):
    return rng.choice([None, {"type": "Sequence", "id": rng.randint(1, 3)}, {"type": "Asset", "id": 1},
                       {"type": "Sequence", "id": 99}, {"type": "Sequence", "id": 1, "name": "given"},
                       {"type": "Sequence"}, "not a link"][:kinds])


def _datetime(rng):
    return rng.choice([None, datetime.datetime(2024, 1, 1, 10), datetime.datetime(2024, 1, 1, 10, tzinfo=UTC),
                       datetime.datetime(2023, 6, 1), "2024-01-01"])


def _populate(sg, rng):
    sg._db["Sequence"] = {n: {"type": "Sequence", "id": n, "code": rng.choice(["sq01", "SQ02", None, "sq03"]),
                              "__retired": False, "project": {"type": "Project", "id": 1}}
                          for n in (1, 2, 3)}
    sg._db["Asset"] = {1: {"type": "Asset", "id": 1, "code": "hero", "__retired": rng.random() < 0.2}}
    sg._db["Project"] = {1: {"type": "Project", "id": 1, "name": "Pilot", "__retired": False}}
    shots = {}
    for n in range(1, rng.randint(1, 12)):
        row = {"type": "Shot", "id": n, "__retired": rng.random() < 0.15}
        for field, make in (("code", _odd_text), ("description", _odd_text), ("sg_cut_in", _odd_number),
                            ("sg_status_list", lambda r: r.choice(["ip", "fin", "IP", None, "wtg"])),
                            ("sg_sequence", lambda r: _odd_link(r, 6 if r.random() < 0.9 else 7)),
                            ("assets", lambda r: r.choice([[], [{"type": "Asset", "id": 1}], None,
                                                           [{"type": "Asset", "id": 1}, {"type": "Shot", "id": 2}]])),
                            ("created_at", _datetime),
                            ("project", lambda r: r.choice([None, {"type": "Project", "id": 1}]))):
            if rng.random() < 0.9:
                row[field] = make(rng)
        shots[n] = row
    sg._db["Shot"] = shots


FIELDS = {
    "code": ["is", "is_not", "in", "not_in", "contains", "not_contains", "starts_with", "ends_with", "less_than"],
    "description": ["is", "contains", "in"],
    "sg_cut_in": ["is", "is_not", "less_than", "greater_than", "between", "not_between", "in", "not_in"],
    "sg_status_list": ["is", "is_not", "in", "not_in"],
    "sg_sequence": ["is", "is_not", "in", "type_is", "type_is_not", "name_contains", "name_is"],
    "assets": ["is", "is_not", "in"],
    "created_at": ["is", "greater_than", "less_than", "in_last"],
    "sg_sequence.Sequence.code": ["is", "in", "contains", "starts_with"],
    "assets.Asset.code": ["is", "is_not", "contains"],
    "sg_sequence.Sequence.project": ["is", "is_not"],
    "no_such_field": ["is"],
}


def _value(rng, field, relation):
    if relation in ("between", "not_between"):
        return rng.choice([[5, 20], [None, 10], [0, "x"], [20, 5]])
    if relation in ("in", "not_in"):
        pool = {"sg_sequence": [{"type": "Sequence", "id": 1}, {"type": "Sequence", "id": 2}],
                "assets": [{"type": "Asset", "id": 1}]}.get(field, ["sh010", "ip", "fin", 10, None, "SQ02"])
        return rng.sample(pool, rng.randint(0, len(pool)))
    if relation == "in_last":
        return [1, "DAY"]
    if field in ("sg_sequence", "assets", "sg_sequence.Sequence.project"):
        if relation in ("type_is", "type_is_not"):
            return rng.choice(["Sequence", "Asset", None])
        if relation.startswith("name_"):
            return rng.choice(["sq", "SQ0", ""])
        return rng.choice([None, {"type": "Sequence", "id": 1}, {"type": "Asset", "id": 1},
                           {"type": "Project", "id": 1}])
    if field in ("sg_cut_in",):
        return _odd_number(rng)
    if field == "created_at":
        return _datetime(rng)
    return _odd_text(rng)


def _filters(rng, depth=0):
    items = []
    for _ in range(rng.randint(0, 3)):
        if depth < 2 and rng.random() < 0.2:
            items.append({"filter_operator": rng.choice(["any", "all", "or"]), "filters": _filters(rng, depth + 1)})
            continue
        field = rng.choice(list(FIELDS))
        relation = rng.choice(FIELDS[field])
        condition = [field, relation, _value(rng, field, relation)]
        if relation == "in" and rng.random() < 0.3 and condition[2]:
            condition = [field, relation] + list(condition[2])  # the varargs form
        items.append(condition if rng.random() < 0.9 else tuple(condition))
    if depth == 0 and rng.random() < 0.3:
        items.insert(0, ["id", "is", rng.randint(1, 6)])
    return items


def _order(rng):
    return rng.choice([None, None, [{"field_name": "code", "direction": "asc"}],
                       [{"field_name": "sg_cut_in", "direction": "desc"}, {"field_name": "id"}],
                       [{"field_name": "sg_sequence.Sequence.code", "direction": "asc"}],
                       [{"field_name": "created_at", "direction": "desc"}]])


def _outcome(sg, call):
    try:
        return ("ok", call(sg)), copy.deepcopy(sg._db)
    except ShotgunError as error:
        return ("ShotgunError", str(error)), copy.deepcopy(sg._db)
    except Exception as error:  # noqa: BLE001 -- the kind of failure is what is compared
        return (type(error).__name__, None), copy.deepcopy(sg._db)


def _walking_every_helper():
    """Patch ``_compare`` with itself, as a rig's wrapper would: find then walks the helpers."""
    original = ReferenceRules._compare

    def compare(self, field_type, lval, operator, rval):
        return original(self, field_type, lval, operator, rval)

    return pytest.MonkeyPatch.context(), compare


@pytest.mark.parametrize("seed", range(CASES))
def test_compiled_and_walked_finds_agree(sg, seed):
    rng = random.Random(seed)
    _populate(sg, rng)
    snapshot = copy.deepcopy(sg._db)
    filters = _filters(rng)
    kwargs = {"filter_operator": rng.choice([None, None, "all", "any", "or", "bogus"]),
              "retired_only": rng.random() < 0.15, "order": _order(rng),
              "limit": rng.choice([0, 0, 2]), "page": rng.choice([0, 0, 1, 2])}
    fields = rng.choice([None, ["code", "sg_sequence", "assets"], ["sg_sequence.Sequence.code", "no_such"]])

    def call(instance):
        return instance.find("Shot", copy.deepcopy(filters), fields, **kwargs)

    compiled = _outcome(sg, call)
    sg._db = copy.deepcopy(snapshot)
    context, compare = _walking_every_helper()
    with context as patch:
        patch.setattr(mockgun.Shotgun, "_compare", compare)
        assert sg._patched(("_compare",))
        walked = _outcome(sg, call)
    assert compiled == walked, (filters, kwargs)
