"""SqliteStore: lossless values, transactional commits, reload after reopen."""
from __future__ import annotations

import datetime
import sqlite3

import pytest

from shotgun_api3._engine.store.sqlite_store import SqliteStore, dumps, loads

UTC = datetime.timezone.utc


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 1.5, "", "ünïcode ✓",
    datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 600),
    datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
    datetime.date(2020, 2, 29), datetime.time(12, 30),
    (1, "a"), b"\x00\xff", [], {},
    {"type": "Shot", "id": 1, "name": "s", "project": {"type": "Project", "id": 2}},
    [{"type": "Asset", "id": 1}, {"type": "Asset", "id": 2}],
    {"$dt": "not a tag"}, {1: "int key"}, {"nested": {"at": datetime.date(2021, 1, 1)}},
])
def test_values_round_trip_exactly(value):
    decoded = loads(dumps(value))
    assert decoded == value
    assert type(decoded) is type(value)
    if isinstance(value, datetime.datetime):
        assert decoded.utcoffset() == value.utcoffset()


def test_commit_then_reopen_returns_the_same_tables(tmp_path):
    path = tmp_path / "site.sqlite3"
    store = SqliteStore(path)
    store.save_schema({"schema": {"Shot": {"code": {}}}, "schema_entity": {"Shot": {"name": {"value": "Shot"}}}})
    row = {"type": "Shot", "id": 1, "code": "sh010", "__retired": False,
           "created_at": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)}
    store.commit({("Shot", 1): row, ("Shot", 2): {"type": "Shot", "id": 2, "code": "x", "__retired": True}}, False)
    store.commit({("Shot", 2): None}, False)
    store.write_state("script:robot", {"name": "robot"})
    store.close()

    reopened = SqliteStore(path)
    schema, tables = reopened.load()
    assert schema == {"schema": {"Shot": {"code": {}}}, "schema_entity": {"Shot": {"name": {"value": "Shot"}}}}
    assert tables == {"Shot": {1: row}}
    assert reopened.read_state() == {"script:robot": {"name": "robot"}}
    assert reopened._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert reopened._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_empty_store_loads_nothing():
    assert SqliteStore(None).load() == (None, None)


def test_failed_commit_applies_nothing(tmp_path):
    store = SqliteStore(tmp_path / "s.sqlite3")
    store.commit({("Shot", 1): {"type": "Shot", "id": 1}}, False)
    with pytest.raises(TypeError):
        store.commit({("Shot", 2): {"type": "Shot", "id": 2}, ("Shot", 3): {"bad": object()}}, False)
    assert store.load()[1] == {"Shot": {1: {"type": "Shot", "id": 1}}}


def test_schema_change_is_saved_from_the_schema_source():
    store = SqliteStore(None)
    store.schema_source = lambda: {"schema": {"Shot": {"sg_new": {}}}, "schema_entity": {"Shot": {}}}
    store.commit({}, True)
    assert store.load()[0] == {"schema": {"Shot": {"sg_new": {}}}, "schema_entity": {"Shot": {}}}


def test_a_second_connection_sees_only_committed_rows(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    store.commit({("Asset", 5): {"type": "Asset", "id": 5, "code": "tree"}}, False)
    other = sqlite3.connect(str(path))
    assert other.execute("SELECT COUNT(*) FROM entity_rows").fetchone()[0] == 1


def test_schema_dicts_given_to_commit_are_saved():
    store = SqliteStore(None)
    store.commit({("Shot", 1): {"type": "Shot", "id": 1}}, {"schema": {"Shot": {}}, "schema_entity": {"Shot": {}}})
    assert store.load()[0] == {"schema": {"Shot": {}}, "schema_entity": {"Shot": {}}}
    assert store.has_schema()


def _same(decoded, value):
    """Equal, of the same types all the way down, datetimes at the same offset."""
    assert decoded == value and type(decoded) is type(value)
    if isinstance(value, datetime.datetime):
        assert decoded.utcoffset() == value.utcoffset()
    if isinstance(value, dict):
        for key in value:
            _same(decoded[key], value[key])
    if isinstance(value, (list, tuple)):
        for item, expected in zip(decoded, value):
            _same(item, expected)


def test_a_large_store_loads_every_row_exactly_and_in_id_order(tmp_path):
    # More rows than one load chunk, of several types, holding every kind of value.
    values = [None, True, 1.5, "ünïcode", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
              datetime.datetime(2024, 1, 2, 5, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
              datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2020, 2, 29), datetime.time(12, 30),
              (1, ("a", [2])), {1, 2}, b"\x00\xff", {(1, 2): [datetime.date(2021, 1, 1)]}, {"$dt": "not a tag"},
              {"type": "Shot", "id": 1, "name": None}, [{"type": "Asset", "id": 1}]]
    rows = {}
    for entity_type, count in (("Asset", 3), ("Shot", 25000), ("Task", 7)):
        for entity_id in range(count, 0, -1):
            rows[(entity_type, entity_id)] = {"type": entity_type, "id": entity_id,
                                              "a": values[entity_id % len(values)],
                                              "b": [values[(entity_id * 7) % len(values)]]}
    path = tmp_path / "site.sqlite3"
    store = SqliteStore(path)
    store.commit(rows, False)
    store.close()

    _, tables = SqliteStore(path).load()
    assert sorted(tables) == ["Asset", "Shot", "Task"]
    for entity_type, table in tables.items():
        assert list(table) == sorted(table)
    assert sum(len(table) for table in tables.values()) == len(rows)
    for (entity_type, entity_id), row in rows.items():
        _same(tables[entity_type][entity_id], row)
