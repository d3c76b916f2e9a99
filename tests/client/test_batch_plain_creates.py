"""``batch()`` builds plain creates in one pass: same bytes, same results, same errors as the general path.

The general path runs whenever ``_batched_call`` or ``_dict_to_list`` is
replaced, so each test sends the same requests through a client whose
``_dict_to_list`` is wrapped (general) and an untouched one (one pass).
"""
from __future__ import annotations

import datetime
import json

import pytest

import shotgun_api3

from .conftest import SITE, FakeSite

NAIVE = datetime.datetime(2024, 3, 10, 1, 2, 3)
AWARE = datetime.datetime(2024, 3, 10, 1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))

DATAS = [
    {"content": "anim", "project": {"type": "Project", "id": 1, "name": "P"},
     "entity": {"type": "Shot", "id": 2, "code": "s", "project": {"type": "Project", "id": 1}}},
    {},
    {"a": None, "b": True, "c": 1, "d": 1.5, "e": "", "f": [], "g": {}, "h": [1, [2, {"x": NAIVE}]],
     "i": "\u00e9\u4e2d\U0001f600\x7f\x01", "j": False, "k": 0},
    {"when": NAIVE, "when2": AWARE, "day": datetime.date(2024, 1, 2), "tup": (1, NAIVE, (AWARE,))},
    {"links": [{"type": "Shot", "id": 3}, {"type": "Asset", "id": 4, "name": "n", "extra": [NAIVE]}]},
    {"key\u00e9": "v\"\\q", "nested": {"deep": {"deeper": [None, {}, [], ""]}}, "n": float("nan")},
]
ANSWERS = [
    {"type": "Task", "id": 1, "content": "anim", "project": {"type": "Project", "id": 1, "name": "P"}},
    {"type": "Task", "id": 2, "content": "a &lt; b", "when": "2024-03-10T10:11:12Z"},
    {"type": "Task", "id": 3, "path": {"link_type": "local", "local_path_linux": "/x", "local_path": None}},
    {"type": "Task", "id": 4, "image": "https://x/&lt;y", "list": ["2024-03-10T10:11:12Z", 1, None, True]},
    {"type": "Task", "id": 5, "uni": "\u00e9\u4e2d\U0001f600", "empty": "", "none": None},
]


def _client(convert: bool, general: bool) -> tuple:
    site = FakeSite()
    site.handler = lambda payload: ((200, "OK"), {"content-type": "application/json"}, json.dumps(
        {"results": [ANSWERS[i % len(ANSWERS)] for i in range(len(payload["params"][1]))]}).encode())
    client = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False, convert_datetimes_to_utc=convert)
    client._http_request = site
    if general:
        client._dict_to_list = lambda *args, **kwargs: shotgun_api3.Shotgun._dict_to_list(client, *args, **kwargs)
    assert client._batch_steps_are_ours() is not general
    return client, site


def _outcome(convert: bool, general: bool, requests: list) -> tuple:
    client, site = _client(convert, general)
    try:
        result = client.batch(requests)
    except Exception as error:  # the error is the outcome compared
        return ("raised", [c.__qualname__ for c in type(error).__mro__], str(error),
                [r["body"] for r in site.requests])
    return ("answered", repr(result), [r["body"] for r in site.requests],
            [[(type(value), repr(value)) for value in record.values()] for record in result])


def _requests() -> list:
    batches = []
    for data in DATAS:
        batches += [
            [{"request_type": "create", "entity_type": "Task", "data": data}],
            [{"request_type": "create", "entity_type": "Task", "data": data, "return_fields": ["content", "id"]}],
            [{"request_type": "create", "entity_type": "Task", "data": data, "return_fields": []}],
            [{"request_type": "create", "entity_type": "Task", "data": data, "return_fields": None, "other": 1}],
            [{"request_type": "create", "entity_type": "Task", "data": data, "return_fields": ("id",)}],
            [{"request_type": "create", "entity_type": "Task", "data": data},
             {"request_type": "update", "entity_type": "Task", "entity_id": 3, "data": data,
              "multi_entity_update_modes": {name: "add" for name in data}},
             {"request_type": "delete", "entity_type": "Shot", "entity_id": 9}],
        ]
    return batches


class Text(str):
    pass


BAD = [
    [{"request_type": "create", "entity_type": "Task"}],
    [{"request_type": "create", "entity_type": "", "data": {}}],
    [{"request_type": "create", "entity_type": 5, "data": {}}],
    [{"request_type": "create", "entity_type": "Task", "data": []}],
    [{"request_type": "create", "entity_type": "Task", "data": {1: 2}}],
    [{"request_type": "create", "entity_type": "Task", "data": {}, "return_fields": "id"}],
    [{"request_type": "create", "entity_type": "Task", "data": {}, "return_fields": [1]}],
    [{"request_type": "create", "entity_type": "Task", "data": {}, "multi_entity_update_modes": []}],
    [{"request_type": "create", "entity_type": "Task", "data": {"x": object()}}],
    [{"request_type": "create", "entity_type": "Task", "data": {"a": {(1, 2): 2}}}],
    [{"request_type": None, "entity_type": "Task", "data": {}}],
    [{"request_type": "Create", "entity_type": "Task", "data": {}}],
    [{"entity_type": "Task", "data": {}}],
    # A request that cannot be built comes first, one that fails its check later: the check's error wins.
    [{"request_type": "create", "entity_type": "Task"}, {"request_type": "create", "entity_type": "T", "data": 3}],
    [{"request_type": "create", "entity_type": "Task", "data": {}}, {"request_type": "delete", "entity_type": "T"}],
    # Subclasses of str and dict pass the checks; they are left to the general path.
    [{"request_type": Text("create"), "entity_type": Text("Task"), "data": {Text("code"): Text("x")}}],
]


@pytest.mark.parametrize("convert", [True, False])
def test_plain_creates_send_and_answer_what_the_general_path_does(convert):
    for requests in _requests():
        assert _outcome(convert, False, requests) == _outcome(convert, True, requests), requests


@pytest.mark.parametrize("requests", BAD)
def test_bad_batches_raise_what_the_general_path_raises(requests):
    assert _outcome(True, False, requests) == _outcome(True, True, requests)


def test_a_circular_value_raises_as_before():
    data: dict = {"a": 1}
    data["self"] = data
    requests = [{"request_type": "create", "entity_type": "Task", "data": data}]
    assert _outcome(True, False, requests) == _outcome(True, True, requests)
    assert _outcome(True, False, requests)[1][0] == "ValueError"


def test_plain_creates_keep_the_key_order_of_the_wire():
    client, site = _client(True, False)
    client.batch([{"data": {"b": 1, "a": NAIVE}, "entity_type": "Task", "request_type": "create"}])
    call = json.loads(site.requests[-1]["body"])["params"][1][0]
    assert list(call) == ["request_type", "type", "fields", "return_fields"]
    assert call["fields"][0] == {"field_name": "b", "value": 1}
    assert call["return_fields"] == ["id"]


def test_batch_answer_is_fixed_up_when_the_body_needs_it():
    client, _site = _client(False, False)
    records = client.batch([{"request_type": "create", "entity_type": "Task", "data": {}} for _ in range(4)])
    assert records[1]["content"] == "a < b"
    assert records[1]["when"] == datetime.datetime(2024, 3, 10, 10, 11, 12)
    assert records[2]["path"]["url"] == "file:///x"


def test_batch_answer_without_markers_is_returned_as_decoded():
    client, site = _client(False, False)
    site.handler = lambda payload: ((200, "OK"), {"content-type": "application/json"}, json.dumps(
        {"results": [{"type": "Task", "id": n, "content": "plain"} for n in range(2)]}).encode())
    records = client.batch([{"request_type": "create", "entity_type": "Task", "data": {}} for _ in range(2)])
    assert records == [{"type": "Task", "id": 0, "content": "plain"}, {"type": "Task", "id": 1, "content": "plain"}]


def test_an_image_in_a_batch_answer_does_not_ask_the_site_for_its_capabilities():
    client, site = _client(False, False)
    site.handler = lambda payload: ((200, "OK"), {"content-type": "application/json"}, json.dumps(
        {"results": [{"type": "Task", "id": 1, "image": None}]}).encode())
    assert client.batch([{"request_type": "create", "entity_type": "Task", "data": {}}]) == [
        {"type": "Task", "id": 1, "image": None}]
    assert [r["payload"]["method_name"] for r in site.requests] == ["batch"]


def test_the_cyclic_collector_waits_during_a_batch_and_comes_back_after_it_even_on_errors():
    import gc

    client, site = _client(True, False)
    seen = []
    answer = site.handler
    site.handler = lambda payload: (seen.append(gc.isenabled()), answer(payload))[1]
    assert gc.isenabled()
    client.batch([{"request_type": "create", "entity_type": "Task", "data": {}}])
    assert seen == [False] and gc.isenabled()
    with pytest.raises(shotgun_api3.ShotgunError):
        client.batch([{"request_type": "create", "entity_type": "Task"}])
    assert gc.isenabled()
