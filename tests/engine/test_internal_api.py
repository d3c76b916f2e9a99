"""The internal API other engine modules build on (registry, queries, the write transaction)."""

from __future__ import annotations

import contextlib

import pytest

from shotgun_api3._engine import EngineFault, rpc
from shotgun_api3._engine.query.filters import compile_filters
from shotgun_api3._engine.query.paths import compile_path
from shotgun_api3._engine.registry import HANDLERS


@contextlib.contextmanager
def handler(name, function):
    rpc(name)(function)
    try:
        yield
    finally:
        HANDLERS.pop(name, None)


@pytest.fixture
def shots(site, project):
    site.create("Sequence", {"code": "SQ1", "project": project})
    site.create("Shot", {"code": "a", "sg_sequence": {"type": "Sequence", "id": 1}})
    site.create("Shot", {"code": "b"})
    return site


def test_every_rpc_a_client_sends_has_a_handler():
    assert {"info", "read", "create", "update", "delete", "revive", "batch", "summarize", "schema_read",
            "schema_field_create", "_files_link_upload", "query_display_name_cache", "note_thread_contents", "follow",
            "work_schedule_read", "export_page"} <= set(HANDLERS)


def test_compile_filters_takes_the_wire_form_only(shots, engine):
    wire = compile_filters(engine.env(), "Shot", {"logical_operator": "and", "conditions": [
        {"path": "sg_sequence.Sequence.code", "relation": "is", "values": ["SQ1"]}]})
    rows = list(engine.rows("Shot"))
    assert [row["id"] for row in rows if wire(row)] == [1]
    for client_form in ([["code", "is", "b"]], {"filter_operator": "all", "filters": [["code", "is", "b"]]},
                        {"logical_operator": "all", "conditions": []}):
        with pytest.raises(EngineFault, match="malformed filter|logical operator"):
            compile_filters(engine.env(), "Shot", client_form)


def test_rows_yields_live_or_retired_rows(shots, engine):
    shots.delete("Shot", 2)
    assert [row["id"] for row in engine.rows("Shot")] == [1]
    assert [row["id"] for row in engine.rows("Shot", retired=True)] == [2]


def test_path_getter_and_presenter(shots, engine):
    row = engine.row("Shot", 1)
    assert compile_path(engine.schema, engine.tables, "Shot", "sg_sequence.Sequence.project.Project.name",
                        "read").get(row) == "Demo"
    assert engine.presenter("Shot", "sg_sequence")(row) == {"type": "Sequence", "id": 1, "name": "SQ1"}
    assert engine.display_name("Shot", row) == "a"
    assert engine.present_link({"type": "Shot", "id": 2}) == {"type": "Shot", "id": 2, "name": "b"}


def test_handler_writes_are_atomic_logged_and_see_each_other(shots, engine):
    def tag_and_fail(call, params):
        row = call.txn.create("Asset", {"code": "made by handler"})
        call.txn.update("Shot", 1, {"assets": [{"type": "Asset", "id": row["id"]}]})
        if params.get("fail"):
            raise EngineFault("stop")
        return row["id"]

    with handler("test_tag", tag_and_fail):
        events_before = len(engine.tables["EventLogEntry"])
        with pytest.raises(EngineFault, match="stop"):
            shots.call("test_tag", {"fail": True})
        assert engine.tables["Asset"] == {}
        assert len(engine.tables["EventLogEntry"]) == events_before
        new_id = shots.call("test_tag", {})
    assert shots.find("Asset", [], ["shots"]) == [{"type": "Asset", "id": new_id, "shots": [{"type": "Shot", "id": 1, "name": "a"}]}]
    assert len(engine.tables["EventLogEntry"]) == events_before + 2  # Asset New, Shot assets Change


def test_validate_false_stores_fields_clients_cannot_write(shots, engine):
    def set_image(call, params):
        call.txn.update("Shot", 1, {"image": "https://site/thumb/1.jpg"}, validate=False)
        return True

    with handler("test_image", set_image):
        shots.call("test_image", None)
    assert shots.find("Shot", [["image", "is_not", None]], ["image"]) == [
        {"type": "Shot", "id": 1, "image": "https://site/thumb/1.jpg"}]


def test_site_state_reads_default_until_written(engine):
    assert engine.get_state("follows", []) == []
