"""Tables read from the store as they are needed (issue 15): a reopened site answers as before, reading less.

A site opens without parsing a row; a look-up by id reads one; the first
scan of an entity type reads that type; the event log is never held whole,
and a range of event ids is read by seeking. Every check compares answers
with the same reads before the restart, or with a scan (``filter_operator:
any`` disables the id range and the field indexes).
"""
from __future__ import annotations

import contextlib

import pytest

import shotgun_api3
from shotgun_api3.local_site.server import LocalSiteServer
from shotgun_api3.local_site.site import Site
from shotgun_api3._engine.store.sqlite_store import SqliteStore
from shotgun_api3._engine.store.stored_table import StoredTable

EVENT_FIELDS = ["event_type", "entity", "attribute_name", "meta", "project", "user", "description", "created_at"]


def _fill(sg):
    project = sg.create("Project", {"name": "Stored ☃"})
    sequence = sg.create("Sequence", {"code": "SQ01", "project": project})
    shots = [sg.create("Shot", {"code": "SH%03d" % n, "project": project,
                                "sg_sequence": sequence, "description": "shot %d" % n})["id"] for n in range(12)]
    for shot_id in shots[:4]:
        sg.create("Task", {"content": "anim", "project": project, "entity": {"type": "Shot", "id": shot_id}})
    sg.update("Shot", shots[0], {"code": "renamed"})
    sg.delete("Shot", shots[1])
    return project, shots


def _reads(sg, project, shots):
    """What the checks compare before and after a restart."""
    last_event = sg.find("EventLogEntry", [], ["id"], order=[{"field_name": "id", "direction": "desc"}], limit=1)
    return {
        "by id": sg.find_one("Shot", [["id", "is", shots[2]]], ["code", "sg_sequence", "project", "tasks"]),
        "retired by id": sg.find_one("Shot", [["id", "is", shots[1]]], ["code"]),
        "by code": sg.find("Shot", [["code", "is", "sh003"]], ["code"]),
        "dotted": sg.find("Shot", [["sg_sequence.Sequence.code", "is", "SQ01"]], ["code", "sg_sequence.Sequence.code"]),
        "tasks": sg.find("Task", [["entity.Shot.code", "starts_with", "SH"]], ["content", "entity"]),
        "retired": sg.find("Shot", [], ["code"], retired_only=True),
        "count": sg.summarize("Shot", [["project", "is", project]], [{"field": "id", "type": "count"}]),
        "events": sg.find("EventLogEntry", [], EVENT_FIELDS),
        "events after": sg.find("EventLogEntry", [["id", "greater_than", last_event[0]["id"] - 5]], EVENT_FIELDS,
                                order=[{"field_name": "id", "direction": "asc"}]),
        "events of a shot": sg.find("EventLogEntry", [["entity", "is", {"type": "Shot", "id": shots[0]}]],
                                    EVENT_FIELDS),
    }


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "site"


def _new_site(folder):
    """A new site folder with the script ``robot``: ``(site, its key)``."""
    site = Site.create(folder)
    _, key = site.add_script("robot")
    return site, key


@contextlib.contextmanager
def _serving(site, key):
    """Serve ``site`` on a free port; yield our client, signed in as ``robot``."""
    with LocalSiteServer(site) as server:
        yield shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)


@contextlib.contextmanager
def _filled_and_served(folder):
    """A new site filled by :func:`_fill`, served: yield ``(client, script key, project, shot ids)``; closed after."""
    site, key = _new_site(folder)
    try:
        with _serving(site, key) as sg:
            project, shots = _fill(sg)
            yield sg, key, project, shots
    finally:
        site.close()


def _filled(folder):
    """A site folder filled by :func:`_fill`, closed: ``(script key, project, shot ids, _reads before)``."""
    with _filled_and_served(folder) as (sg, key, project, shots):
        before = _reads(sg, project, shots)
    return key, project, shots, before


def test_a_reopened_site_answers_as_before_and_reads_only_what_it_needs(folder):
    key, project, shots, before = _filled(folder)
    reopened = Site.open(folder)
    try:
        tables = reopened.engine.tables
        assert isinstance(tables["Shot"], StoredTable) and not tables["Shot"].loaded
        assert not tables["Task"].loaded and not tables["EventLogEntry"].loaded
        with _serving(reopened, key) as sg:
            sg.find_one("Shot", [["id", "is", shots[2]]], ["code"])
            assert not tables["Shot"].loaded  # one row read, by id
            assert _reads(sg, project, shots) == before
            assert tables["Shot"].loaded  # a scan read the type
            assert not tables["EventLogEntry"].loaded
            assert tables["EventLogEntry"].rows_in_memory() == []  # nothing of the log kept after the calls
    finally:
        reopened.close()


def test_writes_after_a_restart_keep_ids_rows_and_events_whole(folder):
    with _filled_and_served(folder) as (sg, key, project, shots):
        last_event = sg.find_one("EventLogEntry", [], ["id"], order=[{"field_name": "id", "direction": "desc"}])

    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            # A row read by id, changed, then read by a scan: one row, the changed one.
            sg.update("Shot", shots[3], {"description": "changed after the restart"})
            new = sg.create("Shot", {"code": "new", "project": project})
            assert new["id"] == max(shots) + 1
            assert sg.find_one("Shot", [["description", "contains", "after the restart"]], ["code"])["id"] == shots[3]
            with pytest.raises(shotgun_api3.Fault):
                sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "ghost"}},
                          {"request_type": "update", "entity_type": "Shot", "entity_id": 10 ** 9,
                           "data": {"code": "x"}}])
            assert sg.find("Shot", [["code", "is", "ghost"]], ["id"]) == []
            events = sg.find("EventLogEntry", [["id", "greater_than", last_event["id"]]],
                             ["event_type", "entity", "attribute_name"], order=[{"field_name": "id", "direction": "asc"}])
            assert [(e["event_type"], e["entity"]["id"], e["attribute_name"]) for e in events] == [
                ("Shotgun_Shot_Change", shots[3], "description"), ("Shotgun_Shot_New", new["id"], None)]
            ids = [e["id"] for e in events]
            assert ids == sorted(ids) and ids[0] > last_event["id"]
            # The same events by a seek, by a scan, page by page, and by id.
            scanned = sg.find("EventLogEntry", [["id", "greater_than", last_event["id"]], ["id", "greater_than", 0]],
                              ["id"], filter_operator="all")
            assert [e["id"] for e in scanned] == ids
            paged = sg.find("EventLogEntry", [["id", "between", [ids[0], ids[-1]]]], ["id"], limit=1, page=2)
            assert [e["id"] for e in paged] == ids[1:2]
            assert sg.find_one("EventLogEntry", [["id", "is", ids[1]]], ["event_type"])["event_type"] == \
                "Shotgun_Shot_New"
            assert sg.find("EventLogEntry", [["id", "less_than", 1]], ["id"]) == []
    finally:
        reopened.close()


def test_the_event_log_streams_in_id_order_with_the_rows_of_the_call_in_their_place():
    store = SqliteStore(None)
    row = {"type": "EventLogEntry", "id": 0, "__retired": False, "description": None}
    store.commit({("EventLogEntry", i): dict(row, id=i, description="stored %d" % i) for i in (1, 2, 4, 6)}, None)
    _, tables = store.load()
    log = tables["EventLogEntry"]
    assert not log.keeps_rows and log.highest_id() == 6
    log[3] = dict(row, id=3, description="new 3")
    log[7] = dict(row, id=7, description="new 7")
    log.get(2)["description"] = "changed 2"
    del log[4]
    assert [r["description"] for r in log.values()] == ["stored 1", "changed 2", "new 3", "stored 6", "new 7"]
    assert list(log) == [1, 2, 3, 6, 7] and len(log) == 5 and 4 not in log and log.get(4) is None
    assert [r["id"] for r in log.rows_between(2, 6)] == [2, 3, 6]
    assert [r["id"] for r in log.rows_between(None, 2)] == [1, 2]
    assert log.highest_id() == 7
    store.commit({("EventLogEntry", 3): log[3], ("EventLogEntry", 7): log[7], ("EventLogEntry", 2): log[2],
                  ("EventLogEntry", 4): None}, None)
    assert log.rows_in_memory() == []  # the store has them now
    assert [r["description"] for r in log.values()] == ["stored 1", "changed 2", "new 3", "stored 6", "new 7"]
    store.close()


def test_an_entity_table_read_whole_keeps_the_rows_already_read():
    store = SqliteStore(None)
    row = {"type": "Shot", "id": 0, "__retired": False, "code": None}
    store.commit({("Shot", i): dict(row, id=i, code="c%d" % i) for i in (5, 1, 3)}, None)
    _, tables = store.load()
    shots = tables["Shot"]
    held = shots[3]
    held["code"] = "changed in memory"
    shots[9] = dict(row, id=9, code="new")
    del shots[1]
    assert not shots.loaded and bool(shots)
    assert [(r["id"], r["code"]) for r in shots.values()] == [(3, "changed in memory"), (5, "c5"), (9, "new")]
    assert shots.loaded and shots[3] is held and len(shots) == 3 and shots.highest_id() == 9
    store.close()


def _a_rolled_back_create_frees_its_id(site, key):
    with _serving(site, key) as sg:
        first = sg.create("Shot", {"code": "first"})["id"]
        with pytest.raises(shotgun_api3.Fault):
            sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "ghost"}},
                      {"request_type": "update", "entity_type": "Shot", "entity_id": 10 ** 9,
                       "data": {"code": "x"}}])
        assert sg.create("Shot", {"code": "second"})["id"] == first + 1


def test_a_rolled_back_create_frees_its_id_as_in_memory(folder):
    site, key = _new_site(folder)
    site.close()
    reopened = Site.open(folder)
    try:
        _a_rolled_back_create_frees_its_id(reopened, key)
    finally:
        reopened.close()
    memory = Site.in_memory()
    try:
        _, key = memory.add_script("robot")
        _a_rolled_back_create_frees_its_id(memory, key)
    finally:
        memory.close()


def test_link_filters_on_the_event_log_pick_rows_by_text_and_answer_as_a_scan(folder):
    with _filled_and_served(folder) as (sg, _, project, shots):
        # Texts that hold '"id":<n>' and '"Shot"' without linking to that Shot: in meta, in another link.
        sg.update("Shot", shots[2], {"description": '"id":%d "Shot"' % shots[0]})
        note = sg.create("Note", {"subject": "x", "project": project,
                                  "note_links": [{"type": "Shot", "id": shots[0]}, {"type": "Shot", "id": shots[3]}]})
        for link in ({"type": "Shot", "id": shots[0]}, {"type": "Shot", "id": shots[3]},
                     {"type": "Note", "id": note["id"]}, {"type": "Shot", "id": 10 ** 6}, project):
            for field in ("entity", "project"):
                picked = sg.find("EventLogEntry", [[field, "is", link]], EVENT_FIELDS)
                scanned = sg.find("EventLogEntry", [[field, "is", link]], EVENT_FIELDS, filter_operator="any")
                assert picked == scanned
        events = sg.find("EventLogEntry", [["entity", "is", {"type": "Shot", "id": shots[0]}]], ["event_type"])
        assert {"Shotgun_Shot_New", "Shotgun_Shot_Change"} <= {event["event_type"] for event in events}
        for link in ({"type": "Shot", "id": shots[0]}, {"type": "Shot", "id": shots[3]}):
            assert sg.find("Note", [["note_links", "is", link]], ["id"]) == \
                sg.find("Note", [["note_links", "is", link]], ["id"], filter_operator="any")


def test_pages_of_the_event_log_in_id_order_read_only_the_page_and_answer_as_a_sort(folder):
    with _filled_and_served(folder) as (sg, _, project, shots):
        everything = [e["id"] for e in sg.find("EventLogEntry", [["id", "greater_than", 0]], ["id"],
                                               filter_operator="any")]
        assert everything == sorted(everything) and len(everything) > 20
        shot_events = [e["id"] for e in sg.find("EventLogEntry", [["entity", "is", {"type": "Shot", "id": shots[0]}]],
                                                ["id"], filter_operator="any")]
        cases = [([], everything), ([["id", "greater_than", everything[5]]], everything[6:]),
                 ([["id", "in", everything[3:9]]], everything[3:9]),
                 ([["entity", "is", {"type": "Shot", "id": shots[0]}]], shot_events),
                 ([["entity", "is", {"type": "Shot", "id": shots[0]}], ["id", "less_than", shot_events[-1]]],
                  shot_events[:-1])]
        for filters, ids in cases:
            for direction, expected in (("asc", ids), ("desc", ids[::-1])):
                order = [{"field_name": "id", "direction": direction}]
                for limit, page in ((1, 1), (3, 1), (3, 2), (7, 3), (0, 0)):
                    found = sg.find("EventLogEntry", filters, ["id"], order=order, limit=limit, page=page)
                    start = (page - 1) * limit if limit else 0
                    assert [e["id"] for e in found] == expected[start:start + limit if limit else None], \
                        (filters, direction, limit, page)


def test_a_table_not_yet_read_answers_field_filters_from_the_databases_index(folder):
    site, key = _new_site(folder)
    codes = ["\u212aEY", "key", "Straße", "STRASSE", "ÉCOLE", "école", "İstanbul", "plain", None, "   "]
    with _serving(site, key) as sg:
        project = sg.create("Project", {"name": "Indexed in SQLite"})
        sequences = [sg.create("Sequence", {"code": "SQ%d" % n, "project": project}) for n in range(3)]
        shots = [sg.create("Shot", {"code": code, "project": project, "sg_sequence": sequences[n % 3]})["id"]
                 for n, code in enumerate(codes)]
        sg.update("Shot", shots[7], {"sg_sequence": sequences[0]})
        sg.delete("Shot", shots[1])
    site.close()
    queries = [("Shot", [["code", "is", value]]) for value in
               ("key", "KEY", "\u212aey", "straße", "strasse", "École", "i̇stanbul", "istanbul", "PLAIN", "   ", "")]
    queries += [("Shot", [["sg_sequence", "is", sequence]]) for sequence in sequences]
    queries += [("Shot", [["sg_sequence.Sequence.code", "is", "sq0"]]), ("Sequence", [["code", "is", "Sq1"]]),
                ("Shot", [["sg_sequence", "is", {"type": "Sequence", "id": 10 ** 6}]])]
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            indexed = [sg.find(entity_type, filters, ["code"]) for entity_type, filters in queries]
            indexed_retired = sg.find("Shot", [["code", "is", "KEY"]], ["code"], retired_only=True)
            assert not reopened.engine.tables["Shot"].loaded  # every answer came from the database's indexes
            plan = reopened.store._db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM entity_rows WHERE entity_type = 'Shot' AND "
                "sg_index_text(json_extract(row, '$.\"code\"')) = 'key'").fetchall()
            assert "USING INDEX" in str(plan)
            scanned = [sg.find(entity_type, filters, ["code"], filter_operator="any") for entity_type, filters in queries]
            assert reopened.engine.tables["Shot"].loaded
            assert indexed == scanned
            assert indexed_retired == sg.find("Shot", [["code", "is", "KEY"]], ["code"], retired_only=True,
                                              filter_operator="any") == [{"type": "Shot", "id": shots[1], "code": "key"}]
            assert [r["code"] for r in indexed[0]] == ["\u212aEY"]
    finally:
        reopened.close()


def test_rows_read_by_many_ids_keep_the_rows_in_memory_and_the_order_asked():
    store = SqliteStore(None)
    row = {"type": "Shot", "id": 0, "__retired": False, "code": None}
    store.commit({("Shot", i): dict(row, id=i, code="c%d" % i) for i in range(1, 1200)}, None)
    _, tables = store.load()
    shots = tables["Shot"]
    held = shots[700]
    del shots[5]
    shots[5000] = dict(row, id=5000, code="new")
    asked = [1199, 5, 700, 3, 5000, 99999, "x"] + list(range(10, 1100))
    rows = shots.rows_for(asked)
    assert [r["id"] for r in rows] == [1199, 700, 3, 5000] + list(range(10, 1100))
    assert rows[1] is held and shots[1199] is rows[0] and not shots.loaded
    store.close()


def test_keys_answered_by_the_database_follow_later_writes_while_the_table_stays_in_the_store(folder):
    site, key = _new_site(folder)
    with _serving(site, key) as sg:
        project = sg.create("Project", {"name": "Partial"})
        seq = [sg.create("Sequence", {"code": "Q%d" % n, "project": project}) for n in range(2)]
        shots = [sg.create("Shot", {"code": code, "sg_sequence": seq[n % 2], "project": project})["id"]
                 for n, code in enumerate(["a", "b", "A", "c"])]
    site.close()
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:

            def ids(condition):
                return [r["id"] for r in sg.find("Shot", [condition], ["id"])]

            assert ids(["code", "is", "a"]) == [shots[0], shots[2]]
            assert ids(["sg_sequence", "is", seq[1]]) == [shots[1], shots[3]]
            sg.update("Shot", shots[1], {"code": "A", "sg_sequence": seq[0]})  # into a key asked before
            sg.update("Shot", shots[0], {"code": "z"})  # out of it
            new = sg.create("Shot", {"code": "a", "sg_sequence": seq[1]})["id"]
            sg.delete("Shot", shots[2])
            with pytest.raises(shotgun_api3.Fault):  # rolled back: changes nothing
                sg.batch([{"request_type": "update", "entity_type": "Shot", "entity_id": shots[3],
                           "data": {"code": "a"}},
                          {"request_type": "update", "entity_type": "Shot", "entity_id": 10 ** 9, "data": {}}])
            assert ids(["code", "is", "a"]) == [shots[1], new]
            assert ids(["code", "is", "z"]) == [shots[0]]
            assert ids(["sg_sequence", "is", seq[1]]) == [shots[3], new]
            assert ids(["sg_sequence", "is", seq[0]]) == [shots[0], shots[1]]
            sg.revive("Shot", shots[2])
            assert ids(["code", "is", "A"]) == [shots[1], shots[2], new]
            assert not reopened.engine.tables["Shot"].loaded
            for condition in (["code", "is", "a"], ["code", "is", "z"], ["sg_sequence", "is", seq[0]],
                              ["sg_sequence", "is", seq[1]]):
                scanned = [r["id"] for r in sg.find("Shot", [condition], ["id"], filter_operator="any")]
                assert ids(condition) == scanned
    finally:
        reopened.close()


def test_choices_and_numbers_are_indexed_too_and_answer_as_a_scan(folder):
    site, key = _new_site(folder)
    with _serving(site, key) as sg:
        project = sg.create("Project", {"name": "Kinds"})
        for n, (status, kind, cut_in, code) in enumerate([("ip", "Hero", 10, "7"), ("fin", "hero", 11, "7.0"),
                                                         ("ip", None, None, "seven"), ("wtg", "Hero", 10, "x")]):
            shot = sg.create("Shot", {"code": code, "project": project, "sg_status_list": status,
                                      "sg_shot_type": kind, "cut_in": cut_in})
            sg.create("Version", {"code": "v%d" % n, "project": project, "entity": shot,
                                  "sg_frames_aspect_ratio": [1.5, 2, 2.0, None][n], "sg_first_frame": [1001, 0, 1, None][n]})
    site.close()
    queries = [("Shot", [field, "is", value]) for field, value in (
        ("sg_status_list", "ip"), ("sg_status_list", "IP"), ("sg_status_list", "na"), ("sg_shot_type", "Hero"),
        ("sg_shot_type", "HERO"), ("cut_in", 10), ("cut_in", 10.0), ("cut_in", 12), ("code", 7), ("code", 7.0))]
    queries += [("Version", [field, "is", value]) for field, value in (
        ("sg_frames_aspect_ratio", 2), ("sg_frames_aspect_ratio", 1.5), ("sg_first_frame", 0),
        ("sg_first_frame", 1), ("sg_first_frame", 1001.0))]
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            from_database = [sg.find(entity_type, [condition], ["code"]) for entity_type, condition in queries]
            tables = reopened.engine.tables
            assert not tables["Shot"].loaded and not tables["Version"].loaded
            scanned = [sg.find(entity_type, [condition], ["code"], filter_operator="any")
                       for entity_type, condition in queries]
            assert tables["Shot"].loaded and tables["Version"].loaded
            in_memory = [sg.find(entity_type, [condition], ["code"]) for entity_type, condition in queries]
            assert from_database == scanned == in_memory
            assert [len(found) for found in scanned] == [2, 2, 0, 3, 3, 2, 2, 0, 1, 1, 2, 1, 1, 1, 1]
    finally:
        reopened.close()


def test_over_the_memory_budget_the_least_recently_scanned_tables_let_go_and_answers_hold(folder, caplog):
    key, project, shots, before = _filled(folder)
    reopened = Site.open(folder, memory_mb=1000)
    try:
        tables = reopened.engine.tables
        with _serving(reopened, key) as sg:
            caplog.set_level("INFO", logger="shotgun_api3")
            sg.find("Task", [["content", "contains", "anim"]], ["content"])  # reads Task whole
            sg.find("Shot", [["description", "contains", "shot"]], ["code"])  # then Shot
            assert tables["Task"].loaded and tables["Shot"].loaded
            held = {name: tables[name].held_rows() * tables[name].row_bytes for name in ("Task", "Shot", "Sequence")}
            # Room for Shot and Sequence, not for Task as well: the call that reads Sequence whole lets Task go.
            reopened.memory_mb = (held["Shot"] + held["Sequence"] + held["Task"] // 2 + 2048) / 2 ** 20
            sg.find("Sequence", [["code", "contains", "SQ"]], ["code"])
            assert not tables["Task"].loaded and tables["Shot"].loaded and tables["Sequence"].loaded
            assert any("let go of the rows of" in r.getMessage() and "Task" in r.getMessage() for r in caplog.records)
            reopened.memory_mb = 0.001  # less than any table: each is let go after the call that read it
            for _ in range(3):
                assert _reads(sg, project, shots) == before  # read again from the store as needed
                assert not tables["Shot"].loaded and not tables["Task"].loaded
            new = sg.create("Shot", {"code": "after trims", "project": project})
            assert sg.find_one("Shot", [["code", "is", "AFTER TRIMS"]], ["code"])["id"] == new["id"]
    finally:
        reopened.close()
    unbounded = Site.open(folder)
    try:
        assert unbounded.memory_mb is None and unbounded.store.memory_budget() == 512 * 2 ** 20
    finally:
        unbounded.close()


def test_ids_and_numbers_beyond_sqlite_integers_answer_as_in_memory(folder):
    key, project, shots, _ = _filled(folder)
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            huge = 2 ** 64
            assert sg.find_one("Shot", [["id", "is", huge]], ["code"]) is None
            assert [r["id"] for r in sg.find("Shot", [["id", "in", [shots[2], huge]]], ["id"])] == [shots[2]]
            assert sg.find("Shot", [["cut_in", "is", huge]], ["id"]) == []
            assert sg.find("Shot", [["sg_sequence", "is", {"type": "Sequence", "id": huge}]], ["id"]) == []
            assert sg.find("EventLogEntry", [["id", "greater_than", huge]], ["id"]) == []
            assert sg.find("EventLogEntry", [["id", "less_than", -huge]], ["id"],
                           order=[{"field_name": "id", "direction": "desc"}], limit=1) == []
            newest = sg.find("EventLogEntry", [["id", "less_than", huge]], ["id"],
                             order=[{"field_name": "id", "direction": "desc"}], limit=1)
            assert newest and newest[0]["id"] == max(e["id"] for e in sg.find("EventLogEntry", [], ["id"]))
            with pytest.raises(shotgun_api3.Fault, match="does not exist"):
                sg.create("Version", {"code": "v", "project": project, "entity": {"type": "Shot", "id": huge}})
    finally:
        reopened.close()


def test_a_reader_outside_the_lock_never_replaces_the_copy_kept():
    store = SqliteStore(None)
    store.commit({("Shot", 1): {"type": "Shot", "id": 1, "__retired": False, "code": "stored"}}, None)
    _, tables = store.load()
    shots = tables["Shot"]
    kept = {}
    original_row = store.row

    def row_read_while_another_reader_keeps_its_copy(entity_type, entity_id, text_only=False):
        found = original_row(entity_type, entity_id, text_only)
        if not text_only and not kept:
            kept["reading"] = True
            kept["row"] = shots.get(entity_id)  # the other reader gets there first, and changes its copy
            kept["row"]["code"] = "changed by the first reader"
        return found

    store.row = row_read_while_another_reader_keeps_its_copy
    assert shots.get(1) is kept["row"] and shots[1]["code"] == "changed by the first reader"
    store.close()


def test_the_event_log_keeps_no_row_it_read_once_the_call_is_over(folder):
    key, project, shots, _ = _filled(folder)
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            ids = [e["id"] for e in sg.find("EventLogEntry", [], ["id"])]
            for event_id in ids[:20]:
                assert sg.find_one("EventLogEntry", [["id", "is", event_id]], ["event_type"])
            assert len(sg.find("EventLogEntry", [["id", "in", ids]], ["id"])) == len(ids)
            assert reopened.engine.tables["EventLogEntry"].rows_in_memory() == []
    finally:
        reopened.close()


def test_fields_made_after_rows_were_stored_read_as_their_default_once_read_again(folder):
    key, project, shots, _ = _filled(folder)
    site = Site.open(folder)
    try:
        with _serving(site, key) as sg:
            flag = sg.schema_field_create("Shot", "checkbox", "Flag", {"default_value": True})
            number = sg.schema_field_create("EventLogEntry", "number", "Event number", {"default_value": 7})
            assert sg.find_one("Shot", [["id", "is", shots[2]]], [flag])[flag] is True
            site.engine.tables["Shot"].release()  # as the memory budget would, between calls
            assert sg.find_one("Shot", [["id", "is", shots[2]]], [flag])[flag] is True
            everything = sg.find("EventLogEntry", [], ["id"])
            assert len(sg.find("EventLogEntry", [[number, "is", 7]], ["id"])) == len(everything)
    finally:
        site.close()
    reopened = Site.open(folder)
    try:
        with _serving(reopened, key) as sg:
            assert sg.find_one("Shot", [["id", "is", shots[3]]], [flag])[flag] is True
            assert len(sg.find("Shot", [[flag, "is", True]], ["id"])) == len(shots) - 1  # one is retired
    finally:
        reopened.close()


def test_stored_decimals_and_text_indexes_of_another_unicode(tmp_path):
    from decimal import Decimal
    from shotgun_api3._engine.query.value_keys import number_key
    from shotgun_api3._engine.store import sql_field_indexes

    values = [Decimal("5.079847532820406E-8"), Decimal("Infinity"), Decimal("-0"), Decimal("12.50"), 12.5, 5, True,
              "5", None, 2.5e-300]
    store = SqliteStore(tmp_path / "site.sqlite3")
    store.commit({("Shot", n + 1): {"type": "Shot", "id": n + 1, "cut_in": value, "code": "Straße"}
                  for n, value in enumerate(values)}, None)
    for n, value in enumerate(values):
        wanted = number_key(value)
        if wanted is None:
            continue
        found = [i for i, _ in store.field_candidates("Shot", "cut_in", wanted, "number")]
        assert n + 1 in found, value
        assert all(number_key(values[i - 1]) == wanted for i in found)
    assert [i for i, _ in store.field_candidates("Shot", "code", "straße", "text")] == list(range(1, len(values) + 1))
    # Opened under another Unicode version, the text indexes go (and come back when asked for).
    store._db.execute("UPDATE site_schema SET value = '\"1.0\"' WHERE name = ?", (sql_field_indexes.UNICODE_STATE,))
    store.close()
    reopened = SqliteStore(tmp_path / "site.sqlite3")
    names = [n for (n,) in reopened._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]
    assert not [n for n in names if n.startswith("sgx_t")] and [n for n in names if n.startswith("sgx_n")]
    reopened.close()
