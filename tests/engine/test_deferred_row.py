"""DeferredRow: every way of looking at the row sees the built fields, and copies are plain dicts."""

from __future__ import annotations

import copy
import json
import pickle
import threading

import pytest

from shotgun_api3._engine.write.deferred_row import DeferredRow

FIELDS = {"type": "EventLogEntry", "id": 7, "meta": {"old_value": "a", "new_value": "b"}, "description": "x"}


def _row(counter=None):
    def build(fields):
        if counter is not None:
            counter.append(1)
        return copy.deepcopy(fields)

    return DeferredRow.of(("type", "EventLogEntry"), build, (FIELDS,))


def _takes(**kwargs):
    return kwargs


READS = {
    "getitem": lambda row: row["id"],
    "get": lambda row: row.get("description"),
    "contains": lambda row: "meta" in row,
    "len": len,
    "iter": list,
    "reversed": lambda row: list(reversed(row)),
    "keys": lambda row: list(row.keys()),
    "values": lambda row: list(row.values()),
    "items": lambda row: list(row.items()),
    "repr": repr,
    "str": str,
    "format": lambda row: f"{row}",
    "dict": dict,
    "unpack": lambda row: {**row},
    "kwargs": lambda row: _takes(**row),
    "or": lambda row: row | {},
    "ror": lambda row: {} | row,
    "copy": lambda row: row.copy(),
    "copy.copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "json": lambda row: json.loads(json.dumps(row)),
    "json indented": lambda row: json.loads(json.dumps(row, indent=1)),
    "pickle": lambda row: pickle.loads(pickle.dumps(row)),
    "pickle 0": lambda row: pickle.loads(pickle.dumps(row, protocol=0)),
    "sorted": sorted,
    "percent": lambda row: "%(description)s" % row,
    "format_map": lambda row: "{description}".format_map(row),
    "eq": lambda row: row == FIELDS,
    "eq reflected": lambda row: FIELDS == row,
    "ne": lambda row: row != FIELDS,
    "in list": lambda row: FIELDS in [row],
}


@pytest.mark.parametrize("name", sorted(READS))
def test_every_read_sees_the_built_fields(name):
    expected = READS[name](dict(copy.deepcopy(FIELDS)))
    row = _row()
    assert not row.built
    assert READS[name](row) == expected
    assert row.built


@pytest.mark.parametrize("name", ["copy", "copy.copy", "deepcopy", "pickle", "pickle 0", "or", "dict"])
def test_copies_are_plain_dicts(name):
    assert type(READS[name](_row())) is dict


def test_fields_are_built_once():
    calls = []
    row = _row(calls)
    row["id"], row.get("meta"), len(row), list(row.items())
    assert calls == [1]


def test_two_unbuilt_rows_compare_by_their_fields():
    assert _row() == _row()
    assert not (_row() != _row())
    assert [_row()] == [_row()]


@pytest.mark.parametrize("write, expected", [
    (lambda row: row.__setitem__("description", "y"), {**FIELDS, "description": "y"}),
    (lambda row: row.update(description="y"), {**FIELDS, "description": "y"}),
    (lambda row: row.setdefault("extra", 1), {**FIELDS, "extra": 1}),
    (lambda row: row.pop("meta"), {k: v for k, v in FIELDS.items() if k != "meta"}),
    (lambda row: row.__delitem__("meta"), {k: v for k, v in FIELDS.items() if k != "meta"}),
    (lambda row: row.popitem(), {k: v for k, v in FIELDS.items() if k != "description"}),
    (lambda row: row.__ior__({"description": "y"}), {**FIELDS, "description": "y"}),
    (lambda row: row.clear(), {}),
])
def test_a_write_first_builds_the_fields_it_changes(write, expected):
    row = _row()
    write(row)
    assert dict(row) == expected
    assert list(row) == list(expected)


def test_a_row_made_like_a_dict_is_built():
    row = DeferredRow({"id": 1}, type="Shot")
    assert row.built and row == {"id": 1, "type": "Shot"}
    assert type(DeferredRow.fromkeys(["a"])) is dict


def test_it_is_a_dict_and_unhashable():
    row = _row()
    assert isinstance(row, dict)
    with pytest.raises(TypeError):
        hash(row)


def test_a_builder_that_fails_leaves_the_row_unbuilt_and_fails_again():
    def broken():
        raise RuntimeError("no fields")

    row = DeferredRow.of(("type", "EventLogEntry"), broken, ())
    for _ in range(2):
        with pytest.raises(RuntimeError, match="no fields"):
            row.get("id")
    assert not row.built


def test_two_threads_reading_an_unbuilt_row_build_it_once():
    started, release, calls = threading.Event(), threading.Event(), []

    def slow(fields):
        calls.append(1)
        started.set()
        release.wait(5)
        return dict(fields)

    row = DeferredRow.of(("type", "EventLogEntry"), slow, (FIELDS,))
    first = threading.Thread(target=row.get, args=("id",))
    first.start()
    started.wait(5)
    second = threading.Thread(target=row.get, args=("id",))
    second.start()
    release.set()
    first.join(5), second.join(5)
    row["description"] = "written after the build"
    assert calls == [1] and row["description"] == "written after the build"
