"""PendingTable: every way of looking at the table sees its pending rows, in order; copies are plain dicts."""

from __future__ import annotations

import copy
import json
import pickle
import threading

import pytest

from shotgun_api3._engine.deferred_row import DeferredRow, PendingTable

HEAD = ("type", "EventLogEntry")


def _fields(event_id):
    return {"type": "EventLogEntry", "id": event_id, "description": "event %d" % event_id}


def _table():
    """Row 1 stored, rows 2 and 3 pending."""
    table = PendingTable({1: _fields(1)})
    pending = table.defer_to()
    for event_id in (2, 3):
        pending.append((event_id, HEAD, _fields, (event_id,)))
    return table


EXPECTED = {event_id: _fields(event_id) for event_id in (1, 2, 3)}

READS = {
    "getitem": lambda table: table[3],
    "get": lambda table: table.get(2),
    "contains": lambda table: 3 in table,
    "len": len,
    "bool": bool,
    "iter": list,
    "reversed": lambda table: list(reversed(table)),
    "keys": lambda table: list(table.keys()),
    "values": lambda table: list(table.values()),
    "items": lambda table: list(table.items()),
    "max": max,
    "repr": repr,
    "str": str,
    "dict": dict,
    "unpack": lambda table: {**table},
    "update a dict": lambda table: (lambda into: into.update(table) or into)({0: None}),
    "or": lambda table: table | {},
    "ror": lambda table: {} | table,
    "copy": lambda table: table.copy(),
    "copy.copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "json": lambda table: json.loads(json.dumps(table)),
    "json indented": lambda table: json.loads(json.dumps(table, indent=1)),
    "json of a dict holding it": lambda table: json.loads(json.dumps({"EventLogEntry": table})),
    "pickle": lambda table: pickle.loads(pickle.dumps(table)),
    "pickle 0": lambda table: pickle.loads(pickle.dumps(table, protocol=0)),
    "sorted": sorted,
    "eq": lambda table: table == EXPECTED,
    "eq reflected": lambda table: EXPECTED == table,
    "ne": lambda table: table != EXPECTED,
}


@pytest.mark.parametrize("name", sorted(READS))
def test_every_read_sees_the_pending_rows(name):
    expected = READS[name](copy.deepcopy(EXPECTED))
    table = _table()
    assert table.stored_len() == 3 and dict.__len__(table) == 1
    assert READS[name](table) == expected
    assert dict.__len__(table) == 3


@pytest.mark.parametrize("name", ["copy", "copy.copy", "deepcopy", "pickle", "pickle 0", "or", "dict"])
def test_copies_are_plain_dicts_of_plain_rows(name):
    copied = READS[name](_table())
    assert type(copied) is dict
    if name in ("deepcopy", "pickle", "pickle 0"):
        assert all(type(row) is dict for row in copied.values())


def test_pending_rows_become_deferred_rows_in_the_order_written():
    table = _table()
    rows = list(table.values())
    assert [type(row) for row in rows] == [dict, DeferredRow, DeferredRow]
    assert not rows[1].built
    assert rows == list(EXPECTED.values())


@pytest.mark.parametrize("write, expected_ids", [
    (lambda table: table.__setitem__(4, _fields(4)), [1, 2, 3, 4]),
    (lambda table: table.update({4: _fields(4)}), [1, 2, 3, 4]),
    (lambda table: table.setdefault(4, _fields(4)), [1, 2, 3, 4]),
    (lambda table: table.pop(2), [1, 3]),
    (lambda table: table.__delitem__(3), [1, 2]),
    (lambda table: table.popitem(), [1, 2]),
    (lambda table: table.__ior__({4: _fields(4)}), [1, 2, 3, 4]),
    (lambda table: table.clear(), []),
])
def test_a_write_comes_after_the_pending_rows(write, expected_ids):
    table = _table()
    write(table)
    assert list(table) == expected_ids
    assert table.stored_len() == len(expected_ids)


def test_an_empty_table_takes_no_pending_row():
    # JSON's C encoder writes a dict of no stored items as {} without asking for them.
    table = PendingTable()
    assert table.defer_to() is None
    table[1] = _fields(1)
    assert table.defer_to() == []


def test_it_is_a_dict_and_unhashable():
    table = _table()
    assert isinstance(table, dict)
    with pytest.raises(TypeError):
        hash(table)
    assert type(PendingTable.fromkeys([1])) is dict


def test_a_builder_that_fails_leaves_its_row_unbuilt_but_in_the_table():
    table = PendingTable({1: _fields(1)})

    def broken():
        raise RuntimeError("no fields")

    table.defer_to().append((2, HEAD, broken, ()))
    assert list(table) == [1, 2]
    with pytest.raises(RuntimeError, match="no fields"):
        table[2]["id"]


def test_a_writer_appending_while_another_thread_reads_loses_no_row():
    table = PendingTable({0: _fields(0)})
    pending = table.defer_to()
    done = threading.Event()
    seen = []

    def read():
        while not done.is_set():
            seen.append(len(table))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for event_id in range(1, 20001):
            pending.append((event_id, HEAD, _fields, (event_id,)))
    finally:
        done.set()
        reader.join(10)
    assert list(table) == list(range(20001))
    assert seen == sorted(seen)
