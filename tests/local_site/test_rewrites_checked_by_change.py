"""A row written again is checked only where it changed, and never written differently for it.

``row_codec.dumps_changed`` takes, per row, the fields a call changed (what the
engine's transaction knows) and checks only those, and of a list that only
grew only the items added; the store checks whole any row it read or wrote
that was not plain (a tuple, a dict with keys that are not plain, NaN), so a
value the fast encoders would write differently is always written tagged.
"""
from __future__ import annotations

import math

import pytest

from shotgun_api3._engine.store.row_codec import dumps_changed, dumps_many, loads
from shotgun_api3._engine.store.sqlite_store import SqliteStore

LINKS = [{"type": "Shot", "id": n} for n in range(1, 4)]


def _row(**fields):
    return {"type": "Sequence", "id": 1, "code": "SQ01", "shots": list(LINKS), **fields}


def test_rows_checked_by_what_changed_are_written_as_whole_rows_are():
    rows = [_row(), _row(id=2, shots=LINKS + [{"type": "Shot", "id": 9}])]
    before = [{"code": "old"}, {"shots": LINKS}]
    assert dumps_changed(rows, before) == (dumps_many(rows), [])
    assert dumps_changed(rows, [None, None]) == (dumps_many(rows), [])


@pytest.mark.parametrize("row, before", [
    # a changed field holding a tuple
    (_row(code=("a", "b")), {"code": "SQ01"}),
    # a list that grew by an item holding a tuple (the old items are the same objects)
    (_row(shots=LINKS + [{"type": "Shot", "id": (1, 2)}]), {"shots": LINKS}),
    # a list changed in place: the same object before and after, so checked whole
    (_row(shots=list(LINKS)), {"shots": None}),
    # a list that shrank or changed its items
    (_row(shots=[{"type": "Shot", "id": (1,)}]), {"shots": LINKS}),
    # a changed dict with a key named like a tag, or not a string
    (_row(sg_data={"$dt": "not a tag"}), {"sg_data": None}),
    (_row(sg_data={1: "one"}), {"sg_data": None}),
    # NaN: orjson would write null
    (_row(sg_float=float("nan")), {"sg_float": None}),
])
def test_a_changed_value_that_is_not_plain_is_written_tagged(row, before):
    if before.get("shots", "") is None:
        in_place = row["shots"]
        in_place.append({"type": "Shot", "id": ("in", "place")})
        before = {"shots": in_place}
    texts, not_plain = dumps_changed([_row(), row], [None, before])
    assert not_plain == [1]
    assert texts == [dumps_many([_row()])[0], dumps_many([row])[0]]
    decoded = loads(texts[1])
    for field in before:
        if isinstance(row[field], float):
            assert math.isnan(decoded[field])
        else:
            assert decoded[field] == row[field] and type(decoded[field]) is type(row[field])


def test_a_row_not_plain_when_written_is_checked_whole_when_written_again():
    store = SqliteStore()
    row = {"type": "Shot", "id": 1, "code": "SH01", "sg_pair": (1, 2)}
    store.commit({("Shot", 1): row}, None, written_fields={("Shot", 1): None})
    row["code"] = "SH02"
    # Told only "code" changed, the store still writes the tuple tagged.
    store.commit({("Shot", 1): row}, None, written_fields={("Shot", 1): {"code": "SH01"}})
    assert store.row("Shot", 1) == row and isinstance(store.row("Shot", 1)["sg_pair"], tuple)


@pytest.mark.parametrize("value", [(1, 2), {1: "one"}, {"$dt": "a key"}, float("inf")])
def test_a_row_read_back_that_is_not_plain_is_checked_whole_when_written_again(tmp_path, value):
    path = tmp_path / "site.sqlite3"
    store = SqliteStore(path)
    store.commit({("Shot", 1): {"type": "Shot", "id": 1, "code": "SH01", "sg_value": value}}, None)
    store.close()
    store = SqliteStore(path)
    row = store.row("Shot", 1)
    row["code"] = "SH02"
    store.commit({("Shot", 1): row}, None, written_fields={("Shot", 1): {"code": "SH01"}})
    store.close()
    again = SqliteStore(path).row("Shot", 1)
    assert again["code"] == "SH02"
    assert again["sg_value"] == value and type(again["sg_value"]) is type(value)
