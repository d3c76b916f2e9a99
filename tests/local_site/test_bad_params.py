"""Bad params of the kinds a probe found answered "Internal error": each now gets a fault naming the param."""
from __future__ import annotations

import json

import pytest


def _rpc(local_site, method, params, raw=None):
    import http.client

    auth = {"script_name": "e2e_script", "script_key": local_site.keys["e2e_script"]}
    body = raw if raw is not None else json.dumps({"method_name": method, "params": [auth, params]})
    conn = http.client.HTTPConnection("127.0.0.1", local_site.server.port)
    conn.request("POST", "/api3/json", body=body, headers={"Content-Type": "application/json"})
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return answer


def _read(**changes):
    params = {"type": "Shot", "return_fields": ["code"],
              "filters": {"logical_operator": "and", "conditions": []},
              "paging": {"current_page": 1, "entities_per_page": 5}, "return_only": "active"}
    params.update(changes)
    return params


def _nested(levels):
    tree = {"logical_operator": "and", "conditions": [{"path": "id", "relation": "is", "values": [1]}]}
    for _ in range(levels):
        tree = {"logical_operator": "or", "conditions": [tree]}
    return tree


@pytest.mark.parametrize("method, params, named", [
    ("read", _read(return_fields=[[]]), "return_fields[0]"),
    ("read", _read(filters={"logical_operator": "and", "conditions": [
        {"path": ["code"], "relation": "is", "values": ["x"]}]}), "filters.conditions[0].path"),
    ("update", {"type": "Shot", "id": 1, "fields": [{"field_name": ["code"], "value": "x"}]}, "fields[0].field_name"),
    ("create", {"type": "Shot", "fields": [], "return_fields": [{}]}, "return_fields[0]"),
    ("read", _read(filters=_nested(400)), "nested more than"),
    ("followers", {"entity": {"type": "Shot", "id": {"x": 1}}}, "entity.id"),
    ("note_thread_contents", {"note_id": 1, "entity_fields": {"Note": [[]]}}, "entity_fields.Note[0]"),
])
def test_a_bad_param_gets_a_fault_naming_it(local_site, method, params, named):
    answer = _rpc(local_site, method, params)
    assert answer["exception"] is True and "Internal error" not in answer["message"]
    assert named in answer["message"]


def test_a_lone_surrogate_is_refused_as_malformed(local_site):
    auth = {"script_name": "e2e_script", "script_key": local_site.keys["e2e_script"]}
    body = json.dumps({"method_name": "create", "params": [auth, {"type": "Shot", "fields": [
        {"field_name": "code", "value": "\ud800"}]}]})
    assert "\\ud800" in body
    answer = _rpc(local_site, None, None, raw=body)
    assert answer["exception"] is True and "surrogate" in answer["message"]
    # A real pair (an emoji escaped as two surrogates) is fine.
    emoji = json.dumps({"method_name": "create", "params": [auth, {"type": "Shot", "fields": [
        {"field_name": "code", "value": "\U0001F600"}], "return_fields": ["code"]}]})
    assert _rpc(local_site, None, None, raw=emoji)["results"]["code"] == "\U0001F600"


@pytest.mark.parametrize("raw", ['{"method_name": "read", "params": [NaN]}', "[" * 100000 + "]" * 100000])
def test_not_quite_json_is_malformed(local_site, raw):
    answer = _rpc(local_site, None, None, raw=raw)
    assert answer["exception"] is True and answer["message"].startswith("Malformed")
