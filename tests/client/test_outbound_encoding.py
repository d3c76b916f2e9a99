"""The request body: date/time values, containers and unicode give the same bytes on both encoding paths."""
from __future__ import annotations

import datetime
import enum
import json

import pytest

import shotgun_api3

from .loopback import LoopbackSite

ANSWER = {"results": {"type": "Shot", "id": 1}}


class Plus5(datetime.tzinfo):
    def utcoffset(self, dt):
        return datetime.timedelta(hours=5)

    def dst(self, dt):
        return datetime.timedelta(0)


class Level(enum.IntEnum):
    HIGH = 3


FIELDS = {
    "aware": datetime.datetime(2020, 1, 1, 12, 0, 0, 999999, tzinfo=Plus5()),
    "naive": datetime.datetime(2021, 6, 30, 23, 59, 59),
    "date": datetime.date(2020, 2, 3),
    "time": datetime.time(8, 30),
    "nested": {"list": [datetime.date(2020, 1, 1), ("x", datetime.date(2020, 1, 2))], "empty": [], "zero": 0},
    "text": "caf\u00e9 \u2603 \U0001f600",
    "none": None,
    "flag": False,
    "ratio": 1.5,
    "level": Level.HIGH,
}


def sent_bodies(convert: bool, replace_step: bool) -> list:
    bodies = []

    def behaviour(payload, count):
        return 200, {}, ANSWER

    with LoopbackSite(behaviour) as site:
        sg = shotgun_api3.Shotgun(site.url, "scr", "key123", connect=False, convert_datetimes_to_utc=convert)
        if replace_step:
            # A replaced step (as test rigs do) makes the client take the step-by-step path.
            steps = []
            original = sg._transform_outbound
            sg._transform_outbound = lambda data: steps.append(1) or original(data)
        sg.create("Shot", dict(FIELDS))
        if replace_step:
            assert steps
        bodies = [request["payload"] for request in site.calls("create")]
    return bodies


@pytest.mark.parametrize("convert", [True, False])
def test_create_sends_the_same_payload_whether_or_not_a_pipeline_step_is_replaced(convert):
    direct = sent_bodies(convert, replace_step=False)
    stepwise = sent_bodies(convert, replace_step=True)
    assert direct == stepwise
    fields = {field["field_name"]: field["value"] for field in direct[0]["params"][1]["fields"]}
    assert fields["date"] == "2020-02-03"
    assert fields["nested"] == {"list": ["2020-01-01", ["x", "2020-01-02"]], "empty": [], "zero": 0}
    assert fields["text"] == "caf\u00e9 \u2603 \U0001f600"
    assert fields["level"] == 3
    assert fields["aware"] == ("2020-01-01T07:00:00Z" if convert else "2020-01-01T12:00:00Z")


@pytest.mark.parametrize("replace_step", [False, True])
def test_values_json_cannot_carry_fail_the_same_way_on_both_paths(replace_step):
    with LoopbackSite(lambda payload, count: (200, {}, ANSWER)) as site:
        sg = shotgun_api3.Shotgun(site.url, "scr", "key123", connect=False)
        sg.server_caps
        if replace_step:
            sg._encode_payload = lambda payload: json.dumps(payload, ensure_ascii=False).encode("utf-8")
        with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
            sg.create("Shot", {"tags": {1, 2}})
        assert site.calls("create") == []
