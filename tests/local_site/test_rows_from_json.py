"""Rows written by calls from JSON: stored unchecked while nothing says otherwise, and still exactly.

A call over the wire writes JSON data and the engine's own values, which
the store writes without checking them (``store/plain_rows.py``). The
tests run with every such write checked as well (``tests/conftest.py``);
here, the cases where the claim would not hold.
"""
from __future__ import annotations

import http.client
import json
import math

import pytest

from shotgun_api3._engine import CallContext
from shotgun_api3._engine.store.plain_rows import PlainRows
from shotgun_api3._engine.store.row_codec import loads
from tests.support.running_site import SCRIPT


def _stored(running, entity_type, entity_id):
    return loads(dict(running.site.store.stored_rows(entity_type, entity_id))[entity_id])


def _rpc(running, method, params, mark=None):
    """The site's answer to ``method`` posted as JSON text, the value ``"MARK"`` replaced by the text ``mark``.

    (The client writes only JSON it can; these bodies hold what a client writing its own may send.)
    """
    body = json.dumps({"method_name": method, "params": [
        {"script_name": SCRIPT, "script_key": running.key}, params]}).encode()
    if mark is not None:
        body = body.replace(b'"MARK"', mark)
    connection = http.client.HTTPConnection("127.0.0.1", running.server.port)
    try:
        connection.request("POST", "/api3/json", body=body, headers={"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def test_keys_named_like_tags_sent_over_the_wire_are_stored_as_sent(local_site, sg):
    value = {"$dt": "2024-01-02T03:04:05", "offset": 0.0, "$tuple": [1, 2], "nested": [{"$set": []}], "n": None}
    task = sg.create("Task", {"content": "x", "splits": value})
    assert _stored(local_site, "Task", task["id"])["splits"] == value
    sg.update("Task", task["id"], {"splits": [value]})
    assert _stored(local_site, "Task", task["id"])["splits"] == [value]


def test_a_number_too_large_for_a_float_sent_over_the_wire_is_stored_as_the_infinity_it_reads_as(local_site, sg):
    created = _rpc(local_site, "create", {"type": "Task", "fields": [
        {"field_name": "content", "value": "x"}, {"field_name": "splits", "value": "MARK"}]},
        b"[1e400, -1e400, 1.5]")["results"]
    assert _stored(local_site, "Task", created["id"])["splits"] == [math.inf, -math.inf, 1.5]


def test_a_row_written_in_process_with_a_tuple_keeps_it_when_a_call_from_json_writes_it_again(local_site, sg):
    site = local_site.site
    context = CallContext(user={"type": "ApiUser", "id": 1}, script_name="in process")
    created = site.call("create", {"type": "Task", "fields": [{"field_name": "content", "value": "x"},
                                                              {"field_name": "splits", "value": {"t": (1, "two")}}]},
                        context)
    sg.update("Task", created["id"], {"content": "y"})
    stored = _stored(local_site, "Task", created["id"])
    assert (stored["content"], stored["splits"]) == ("y", {"t": (1, "two")})
    # Its Change event, and a new record's row, are checked too while that row is held.
    sg.create("Task", {"content": "z", "splits": {"a": [1.5, None]}})
    assert _stored(local_site, "Task", created["id"] + 1)["splits"] == {"a": [1.5, None]}


def test_the_store_writes_rows_from_json_unchecked_and_the_tests_check_that_claim():
    plain_rows = PlainRows()
    keys, rows = [("Task", 1)], [{"type": "Task", "id": 1, "splits": (1, 2)}]
    with pytest.raises(AssertionError, match=r"\('Task', 1\)"):
        plain_rows.texts(keys, rows, None, None, values_from_json=True)
    checked, not_plain = plain_rows.texts(keys, rows, None, None, values_from_json=False)
    assert (loads(checked[0])["splits"], not_plain) == ((1, 2), [0])


def test_unchecked_writes_are_the_plain_encoding(monkeypatch):
    monkeypatch.setattr(PlainRows, "verify_values_from_json", False)
    rows = [{"type": "Task", "id": 1, "splits": (1, 2)}]
    texts, not_plain = PlainRows().texts([("Task", 1)], rows, None, None, values_from_json=True)
    # What a claim that does not hold would cost: the tuple comes back a list.
    assert (loads(texts[0])["splits"], not_plain) == ([1, 2], [])


TAGGED = {"$tuple": [1, 2]}


@pytest.mark.parametrize("then", ["default made plain", "field deleted"])
def test_a_default_filled_into_rows_in_memory_stays_theirs_when_the_default_changes(local_site, sg, then):
    # schema_field_create fills the rows in memory with the new field's default (here a dict whose key
    # is named like a tag) outside its undo record; the store looks at every type's defaults at that
    # commit, so a later change of the default does not make those rows count as plain.
    shot = sg.create("Shot", {"code": "SH1"})
    name = sg.schema_field_create("Shot", "text", "Review", properties={"default_value": TAGGED})
    assert local_site.site.engine.row("Shot", shot["id"])[name] == TAGGED
    if then == "default made plain":
        sg.schema_field_update("Shot", name, {"default_value": "plain"})
    else:
        sg.schema_field_delete("Shot", name)
    answer = _rpc(local_site, "update", {"type": "Shot", "id": shot["id"],
                                         "fields": [{"field_name": "code", "value": "SH2"}]})
    assert "exception" not in answer, answer
    stored = _stored(local_site, "Shot", shot["id"])
    assert (stored["code"], stored[name]) == ("SH2", TAGGED)
    # And a call in process, which checks only the fields it changes:
    context = CallContext(user={"type": "ApiUser", "id": 1}, script_name="in process")
    local_site.site.call("update", {"type": "Shot", "id": shot["id"],
                                    "fields": [{"field_name": "code", "value": "SH3"}]}, context)
    assert _stored(local_site, "Shot", shot["id"])[name] == TAGGED


def test_a_key_named_like_a_tag_escaped_in_the_body_is_stored_as_sent(local_site, sg):
    task = sg.create("Task", {"content": "x"})
    answer = _rpc(local_site, "update", {"type": "Task", "id": task["id"], "fields": [
        {"field_name": "splits", "value": "MARK"}]},
        b'{"\\u0024dt": "2024-01-02T03:04:05", "offset": 0.0, "t": {"\\u0024tuple": [1]}}')
    assert "exception" not in answer, answer
    assert _stored(local_site, "Task", task["id"])["splits"] == {
        "$dt": "2024-01-02T03:04:05", "offset": 0.0, "t": {"$tuple": [1]}}
