"""Mockgun answers through the client's own ``_call_rpc`` and an in-process transport, never the wire."""
from __future__ import annotations

import copy
import datetime
from unittest import mock

import pytest

import shotgun_api3
from shotgun_api3.lib import mockgun
from shotgun_api3.shotgun import Shotgun as SiteClient
from tests.support.schema_paths import mockgun_schema_paths


@pytest.fixture
def make(json_schema_paths):
    with mockgun_schema_paths(json_schema_paths):
        yield lambda: mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")


def no_wire(*args, **kwargs):
    raise AssertionError("mockgun must not build, encode or send anything for the wire")


def test_engine_backed_calls_take_no_step_of_the_wire(make):
    sg = make()
    sg.site_semantics = True
    for seam in ("_build_payload", "_encode_payload", "_decode_response", "_make_call", "_http_request"):
        setattr(sg, seam, no_wire)
    sequence = sg.create("Sequence", {"code": "sq01"})
    shot = sg.create("Shot", {"code": "sh010", "sg_status_list": "ip"})
    sg.update("Shot", shot["id"], {"sg_sequence": sequence})  # a link: the client's own update path
    found = sg.find_one("Shot", [["id", "is", shot["id"]]], ["code", "sg_sequence"])
    assert found["code"] == "sh010" and found["sg_sequence"]["id"] == sequence["id"]
    assert sg.summarize("Shot", [], [{"field": "id", "type": "count"}])["summaries"] == {"id": 1}
    assert "Shot" in sg.schema_entity_read()


def test_the_clients_own_call_rpc_hands_the_call_to_the_transport(make):
    sg = make()
    assert type(sg)._call_rpc is SiteClient._call_rpc  # mockgun overrides nothing of the pipeline
    with mock.patch.object(sg, "_rpc_transport", wraps=sg._rpc_transport) as transport:
        answer = sg.summarize("Shot", [], [{"field": "id", "type": "count"}])
    assert answer["summaries"] == {"id": 0}
    method, params = transport.handle_rpc.call_args[0]
    assert method == "summarize" and params["type"] == "Shot"


def test_a_rig_wrapping_call_rpc_sees_every_engine_backed_call_in_site_mode(make):
    sg = make()
    sg.site_semantics = True
    seen = []
    original = sg._call_rpc

    def spy(method, params, *args, **kwargs):
        seen.append(method)
        return original(method, params, *args, **kwargs)

    sg._call_rpc = spy
    shot = sg.create("Shot", {"code": "sh010", "created_at": datetime.datetime(2026, 1, 2, 3, 4, 5)})
    sg.update("Shot", shot["id"], {"code": "sh011"})
    found = sg.find("Shot", [], ["created_at"])
    sg.delete("Shot", shot["id"])
    assert [method for method in seen if method != "info"] == ["create", "update", "read", "delete"]
    # Values stayed Python objects all the way (no JSON): the datetime comes back as given.
    assert found[0]["created_at"] == datetime.datetime(2026, 1, 2, 3, 4, 5)


def test_info_and_the_session_token_are_answered_as_the_host_answers_them(make):
    sg = make()
    assert sg._call_rpc("get_session_token", None) == {"session_id": "bogus_session_token"}
    assert sg._call_rpc("info", None)["version"] == sg.info()["version"]
    sg.server_info = {"version": (7, 0, 0)}
    assert sg._call_rpc("info", None) == {"version": (7, 0, 0)}
    answer = sg.info()
    answer["version"] = "changed"
    assert sg.server_info == {"version": (7, 0, 0)}  # answers are copies


def test_a_site_error_answer_raises_the_clients_fault(make):
    sg = make()
    with pytest.raises(shotgun_api3.Fault, match="Export for Page id=99 not available"):
        sg.export_page(99, "csv")


def test_a_copied_instance_answers_from_its_own_data(make):
    sg = make()
    sg.site_semantics = True
    sg.create("Shot", {"code": "original"})
    other = copy.copy(sg)
    other._db = {entity_type: {} for entity_type in sg._db}
    other._engine_instance = None
    assert [shot["code"] for shot in sg.find("Shot", [], ["code"])] == ["original"]
    assert other.find("Shot", [], ["code"]) == []
