"""Filters, entity trimming and date-time transforms both ways (fast and plain decoding paths)."""
from __future__ import annotations

import datetime
import json

import pytest

import shotgun_api3
from shotgun_api3 import shotgun as sg_module

UTC = shotgun_api3.sg_timezone.utc


class Plus5(datetime.tzinfo):
    def utcoffset(self, dt):
        return datetime.timedelta(hours=5)

    def dst(self, dt):
        return datetime.timedelta(0)


def test_filters_translate_nested_groups_and_trim_entities():
    filters = [
        ["code", "in", "a", "b"],
        {"filter_operator": "all", "filters": [
            ["sg_status_list", "is", "ip"],
            ["assets", "is", {"type": "Asset", "id": 9, "code": "x"}]]},
    ]
    assert sg_module._translate_filters(filters, "any") == {"logical_operator": "or", "conditions": [
        {"path": "code", "relation": "in", "values": ["a", "b"]},
        {"logical_operator": "and", "conditions": [
            {"path": "sg_status_list", "relation": "is", "values": ["ip"]},
            {"path": "assets", "relation": "is", "values": [{"id": 9, "type": "Asset"}]}]}]}


@pytest.mark.parametrize(
    "condition, values",
    [
        (["id", "in", [1, 2]], [1, 2]),
        (["id", "in", 1, 2], [1, 2]),
        (["x", "between", [1, 5]], [1, 5]),
        (["x", "is", None], [None]),
        (["x", "greater_than"], []),
        (("x", "is", "a"), ("a",)),
        (["id", "is", {"type": "Shot", "id": 1, "code": "kept for id"}], [{"type": "Shot", "id": 1, "code": "kept for id"}]),
        (["x", "in", 1, {"type": "Shot", "id": 1, "code": "kept"}], [1, {"type": "Shot", "id": 1, "code": "kept"}]),
        (["x", "contains", {"type": "Shot", "id": 1, "code": "kept"}], [{"type": "Shot", "id": 1, "code": "kept"}]),
    ],
)
def test_simple_condition_values(condition, values):
    assert sg_module._translate_filters_simple(condition)["values"] == values


def test_empty_filters_and_default_operator():
    assert sg_module._translate_filters([], None) == {"logical_operator": "and", "conditions": []}
    assert sg_module._translate_filters([], "") == {"logical_operator": "and", "conditions": []}


@pytest.mark.parametrize(
    "filters, message",
    [
        ([{"filter_operator": "xor", "filters": []}], "Invalid filter_operator xor"),
        ([{"filters": []}], "Invalid filter_operator None"),
        ([{"filter_operator": "any", "filters": "x"}], "Invalid filters, expected a list or a tuple"),
        (["code"], "Invalid filters, expected a list, tuple or dict"),
    ],
)
def test_invalid_filters_raise_shotgun_error(filters, message):
    with pytest.raises(shotgun_api3.ShotgunError, match=message):
        sg_module._translate_filters(filters, "all")


def test_entity_trimming_follows_the_module_global_at_call_time(monkeypatch):
    link = {"type": "Shot", "id": 1, "code": "x", "name": "n"}
    assert sg_module._translate_filters_simple(["entity", "is", link])["values"] == [{"id": 1, "type": "Shot", "name": "n"}]
    monkeypatch.setattr(sg_module, "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", True)
    assert sg_module._translate_filters_simple(["entity", "is", link])["values"] == [link]


def test_optimize_filter_field_trims_one_list_level():
    link = {"type": "Shot", "id": 1, "code": "x", "local_path": "/a", "storage": {}, "relative_path": "r",
            "url": "u", "content_type": "c"}
    kept = {k: v for k, v in link.items() if k != "code"}
    assert sg_module._optimize_filter_field(link) == kept
    assert sg_module._optimize_filter_field([link, [link]]) == [kept, [link]]
    assert sg_module._optimize_filter_field({"id": 1}) == {"id": 1}


def outbound(sg, value):
    return sg._transform_outbound({"v": value})["v"]


def test_outbound_datetimes_with_conversion(sg):
    aware = datetime.datetime(2020, 1, 1, 12, 0, 0, 999999, tzinfo=Plus5())
    assert outbound(sg, aware) == "2020-01-01T07:00:00Z"
    naive = datetime.datetime(2020, 1, 1, 12, 0)
    expected = naive.replace(tzinfo=shotgun_api3.sg_timezone.local).astimezone(UTC)
    assert outbound(sg, naive) == expected.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert outbound(sg, datetime.date(2020, 2, 3)) == "2020-02-03"


def test_outbound_datetimes_without_conversion(sg):
    sg.config.convert_datetimes_to_utc = False
    assert outbound(sg, datetime.datetime(2020, 1, 1, 12, 0, tzinfo=Plus5())) == "2020-01-01T12:00:00Z"
    assert outbound(sg, datetime.datetime(2020, 1, 1, 12, 0)) == "2020-01-01T12:00:00Z"
    today = datetime.date.today()
    assert outbound(sg, datetime.time(8, 30)) == "%sT08:30:00Z" % today.isoformat()


def test_outbound_copies_containers_and_keeps_falsy_values(sg):
    data = {"a": [datetime.date(2020, 1, 1), ("x", datetime.date(2020, 1, 2))], "b": 0, "c": "", "d": None, "e": []}
    result = sg._transform_outbound(data)
    assert result == {"a": ["2020-01-01", ("x", "2020-01-02")], "b": 0, "c": "", "d": None, "e": []}
    assert data["a"][0] == datetime.date(2020, 1, 1)


def test_inbound_converts_exact_datetime_strings_only(sg):
    data = {"a": "2020-01-01T17:00:00Z", "b": ["2020-13-01T17:00:00Z", "2020-01-01", "2020-01-01T17:00:00Zx"],
            "2020-01-01T17:00:00Z": {"c": "2015-07-14 21:33:28 UTC"}}
    result = sg._transform_inbound(data)
    assert result["a"] == datetime.datetime(2020, 1, 1, 17, 0, tzinfo=UTC)
    assert result["a"].tzinfo is shotgun_api3.sg_timezone.local
    assert result["b"] == ["2020-13-01T17:00:00Z", "2020-01-01", "2020-01-01T17:00:00Zx"]
    assert "2020-01-01T17:00:00Z" in result
    sg.config.convert_datetimes_to_utc = False
    assert sg._transform_inbound(["2020-01-01T17:00:00Z"]) == [datetime.datetime(2020, 1, 1, 17, 0)]


TRICKY_BODIES = [
    {"results": {"a": "2020-01-01T17:00:00Z", "list": ["2021-06-30T23:59:59Z", 1.5, "x"]}},
    {"results": {"2020-01-01T17:00:00Z": "2020-01-01T17:00:00Z"}},
    {"results": {"text": "he said \"2020-01-01T17:00:00Z\"", "n": 0.25}},
    {"results": {"bad": "2020-02-30T10:00:00Z", "num": 1e300, "e": "E+00000"}},
    {"results": ["2020-01-01T17:00:00Z", {"deep": [{"d": "1999-12-31T23:59:59Z"}]}]},
    {"results": {"unicode": "Noëlご", "at": "2024-03-31T01:30:00Z"}},
    {"results": {"value": 0.20200101170000E+00000}},
]


@pytest.mark.parametrize("answer", TRICKY_BODIES)
@pytest.mark.parametrize("convert", [True, False])
def test_fast_decoding_gives_the_same_values_as_decoding_and_walking(sg, site, answer, convert):
    sg.config.convert_datetimes_to_utc = convert
    body = json.dumps(answer)
    site.raw((200, "OK"), {"content-type": "application/json"}, body)
    fast = sg._call_rpc("read", {})
    expected = sg._transform_inbound(json.loads(body))["results"]
    assert fast == expected
    assert repr(fast) == repr(expected)


def test_patched_json_loads_and_transform_inbound_are_honoured(sg, site, monkeypatch):
    seen = []
    monkeypatch.setattr(shotgun_api3.Shotgun, "_json_loads", lambda self, body: seen.append(body) or {"results": 5})
    site.answer(1)
    assert sg._call_rpc("x", {}) == 5
    monkeypatch.undo()
    sg._transform_inbound = lambda data: {"results": "walked"}
    site.answer("2020-01-01T17:00:00Z")
    assert sg._call_rpc("x", {}) == "walked"


def test_patched_decode_response_is_honoured(sg, site, monkeypatch):
    monkeypatch.setattr(shotgun_api3.Shotgun, "_decode_response", lambda self, headers, body: {"results": "mine"})
    site.answer(1)
    assert sg._call_rpc("x", {}) == "mine"


def test_decode_response_accepts_str_and_bytes_and_passes_other_types(sg):
    assert sg._decode_response({}, '{"a": 1}') == {"a": 1}
    assert sg._decode_response({"content-type": "text/javascript"}, b'{"a": 1}') == {"a": 1}
    assert sg._decode_response({"content-type": "text/html"}, b"<html>") == b"<html>"
    assert sg._decode_response({}, b"") == b""


def test_visit_data_rebuilds_containers(sg):
    assert sg._visit_data({"a": [1, (2,)], "b": 0}, lambda v: v * 10) == {"a": [10, (20,)], "b": 0}


def test_sgtimezone_classes():
    from shotgun_api3.lib import sgtimezone

    tz = sgtimezone.SgTimezone()
    assert tz.utc.utcoffset(None) == datetime.timedelta(0) and tz.utc.tzname(None) == "UTC"
    assert isinstance(tz.local, sgtimezone.LocalTimezone)
    assert isinstance(sgtimezone.SgTimezone.UTC(), sgtimezone.UTC)
    assert sgtimezone.SgTimezone.DSTDIFF == sgtimezone.SgTimezone.DSTOFFSET - sgtimezone.SgTimezone.STDOFFSET
    import pickle

    assert isinstance(pickle.loads(pickle.dumps(tz.local)), sgtimezone.LocalTimezone)


DST_CHECK = r"""
import datetime, json, sys
import shotgun_api3
from shotgun_api3 import _transforms
local = shotgun_api3.sg_timezone.local
utc = shotgun_api3.sg_timezone.utc
values = []
start = datetime.datetime(2021, 3, 13, 0, 0)
for minutes in range(0, 3 * 24 * 60, 7):
    values.append(start + datetime.timedelta(minutes=minutes))
start = datetime.datetime(2021, 11, 6, 0, 0)
for minutes in range(0, 3 * 24 * 60, 7):
    values.append(start + datetime.timedelta(minutes=minutes))
values += [datetime.datetime(1, 1, 1, 0, 0), datetime.datetime(9999, 12, 31, 23, 59, 59), datetime.datetime(1970, 1, 1)]
wire = [v.strftime("%Y-%m-%dT%H:%M:%SZ") if v.year > 999 else "0001-01-01T00:00:00Z" for v in values]
body = json.dumps({"results": {"entities": [{"type": "Shot", "id": i, "created_at": w} for i, w in enumerate(wire)]}}).encode()
ok, decoded = _transforms.decode_json_converting_datetimes(body, True)
bad = 0
for w, record in zip(wire, decoded["results"]["entities"]):
    naive = datetime.datetime.strptime(w, "%Y-%m-%dT%H:%M:%SZ")
    try:
        expected = naive.replace(tzinfo=utc).astimezone(local)
    except OverflowError:
        continue
    got = record["created_at"]
    if got != expected or got.replace(tzinfo=None) != expected.replace(tzinfo=None) or got.tzinfo is not local:
        bad += 1
        print("mismatch", w, got, expected)
print("checked", len(wire), "bad", bad)
sys.exit(1 if bad else 0)
"""


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kolkata"])
def test_local_conversion_matches_astimezone_across_daylight_saving_changes(zone, tmp_path):
    import os
    import subprocess
    import sys

    if not os.path.exists("/usr/share/zoneinfo/" + zone):
        pytest.skip("no tz database entry for " + zone)
    env = dict(os.environ, TZ=zone)
    result = subprocess.run([sys.executable, "-c", DST_CHECK], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "bad 0" in result.stdout
