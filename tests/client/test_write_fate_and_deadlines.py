"""Writes whose fate is unknown raise WriteOutcomeUnknown; every request is bounded by a deadline; errors name the URL.

All against real sockets on 127.0.0.1 (see ``faulty_site.py``).
"""
from __future__ import annotations

import http.client
import itertools
import socket

import pytest

import shotgun_api3
from shotgun_api3 import ProtocolError, WriteOutcomeUnknown

from .faulty_site import FaultySite
from .loopback import wait_for


def client(url: str) -> shotgun_api3.Shotgun:
    sg = shotgun_api3.Shotgun(url, "scr", "key123", connect=False)
    sg.BACKOFF = 0
    sg.config.rpc_attempt_interval = 0
    return sg


READ_PAGE = {"results": {"entities": [], "paging_info": {"has_next_page": False}}}

# fault kind -> (behaviour action, the class the reference raises for it)
FAULTS = {
    "closed after send": (("close",), http.client.RemoteDisconnected),
    "reset mid-answer": (("reset",), (ConnectionResetError, http.client.IncompleteRead)),
    "502": (("answer", 502, {}), ProtocolError),
    "504": (("answer", 504, {}), ProtocolError),
}

WRITES = [
    ("create", lambda sg: sg.create("Shot", {"code": "x"}), "Shot"),
    ("update", lambda sg: sg.update("Asset", 3, {"code": "y"}), "Asset"),
    ("delete", lambda sg: sg.delete("Task", 4), "Task"),
    ("batch", lambda sg: sg.batch([
        {"request_type": "create", "entity_type": "Shot", "data": {"code": "a"}},
        {"request_type": "delete", "entity_type": "Asset", "entity_id": 2},
    ]), "Shot, Asset"),
]

OK_ANSWERS = {
    "create": {"results": {"type": "Shot", "id": 1}},
    "update": {"results": {"type": "Asset", "id": 3}},
    "delete": {"results": True},
    "batch": {"results": [{"type": "Shot", "id": 1}, True]},
    "read": READ_PAGE,
}


@pytest.mark.parametrize("kind", list(FAULTS))
def test_soak_every_ambiguous_write_failure_is_one_catchable_case(kind):
    """Writes alternate between failing with ``kind`` and succeeding, on kept-alive and fresh connections."""
    action, reference_class = FAULTS[kind]

    def behaviour(payload, count):
        method = payload["method_name"]
        if method != "read" and count % 2 == 1:
            return action
        return ("answer", 200, OK_ANSWERS[method])

    with FaultySite(behaviour) as site:
        sg = client(site.url)
        failures = 0
        for method, write, entity_type in itertools.islice(itertools.cycle(WRITES), 16):
            sg.find("Shot", [])  # keeps a connection alive (or opens a new one after a failure)
            sent_before = len(site.calls(method))
            with pytest.raises(WriteOutcomeUnknown) as raised:
                write(sg)
            failures += 1
            error = raised.value
            assert isinstance(error, reference_class)
            assert error.method == method
            assert error.entity_type == entity_type
            assert error.url == site.url + "/api3/json"
            assert isinstance(error.original, reference_class)
            assert "may" in str(error) and "applied" in str(error) and method in str(error)
            # Sent exactly once, never re-sent.
            assert len(site.calls(method)) == sent_before + 1
            # The next try of the same write succeeds.
            assert write(sg) is not None
            assert len(site.calls(method)) == sent_before + 2
        assert failures == 16


@pytest.mark.parametrize("kind", ["closed after send", "502", "504"])
def test_reads_under_the_same_faults_are_retried_not_reported_as_unknown_writes(kind):
    action, _ = FAULTS[kind]

    def behaviour(payload, count):
        return action if count == 1 else ("answer", 200, READ_PAGE)

    with FaultySite(behaviour) as site:
        sg = client(site.url)
        sg.info()
        assert sg.find("Shot", []) == []
        assert len(site.calls("read")) == 2


def test_existing_except_clauses_still_catch_the_reference_classes():
    with FaultySite(lambda payload, count: ("answer", 502, {})) as site:
        sg = client(site.url)
        with pytest.raises(ProtocolError) as raised:
            sg.create("Shot", {"code": "x"})
        assert raised.value.errcode == 502
        assert "may already have applied it" in raised.value.errmsg
        assert not isinstance(raised.value, shotgun_api3.ShotgunError)


def test_a_write_refused_before_sending_is_not_an_unknown_outcome():
    port = _free_port()
    sg = client("http://127.0.0.1:%d" % port)
    with pytest.raises(ConnectionRefusedError) as raised:
        sg.create("Shot", {"code": "x"})
    assert not isinstance(raised.value, WriteOutcomeUnknown)


def test_network_errors_name_the_url():
    port = _free_port()
    sg = client("http://127.0.0.1:%d" % port)
    with pytest.raises(ConnectionRefusedError) as raised:
        sg.find("Shot", [])
    assert "http://127.0.0.1:%d/api3/json" % port in str(raised.value)


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize("warm", [False, True], ids=["fresh connection", "kept-alive connection"])
def test_a_silent_site_cannot_hang_a_call_with_the_default_config(warm):
    with FaultySite(lambda payload, count: ("silent",)) as site:
        sg = client(site.url)
        assert sg.config.timeout_secs is None  # the reference's value, unchanged
        assert sg.config.default_deadline_secs == 600
        sg.config.default_deadline_secs = 0.5  # the test cannot wait 600 seconds
        if warm:
            sg.info()
        with pytest.raises(socket.timeout) as raised:
            sg.find("Shot", [])
        assert site.url in str(raised.value)
        assert "default_deadline_secs" in str(raised.value)


@pytest.mark.parametrize("warm", [False, True], ids=["fresh connection", "kept-alive connection"])
def test_timeout_secs_bounds_the_whole_call_against_a_dripping_site(warm):
    # Every byte arrives well within timeout_secs, but the whole answer would take about 20 seconds.
    answer = {"results": {"entities": [{"type": "Shot", "id": n} for n in range(20)],
                          "paging_info": {"has_next_page": False}}}
    with FaultySite(lambda payload, count: ("drip", answer, 0.02)) as site:
        sg = client(site.url)
        sg.config.timeout_secs = 1
        if warm:
            sg.info()
        with pytest.raises(socket.timeout) as raised:
            sg.find("Shot", [])
        assert "timeout_secs" in str(raised.value)
        assert site.drips_finished == 0  # the call gave up before the site finished its answer
        assert len(site.calls("read")) == 1


def test_a_write_past_its_deadline_is_an_unknown_outcome():
    with FaultySite(lambda payload, count: ("silent",)) as site:
        sg = client(site.url)
        sg.config.timeout_secs = 0.3
        with pytest.raises(socket.timeout) as raised:
            sg.update("Shot", 1, {"code": "x"})
        assert isinstance(raised.value, WriteOutcomeUnknown)
        assert raised.value.entity_type == "Shot"
        assert len(site.calls("update")) == 1


def test_no_deadline_at_all_when_asked_for():
    answer = {"results": {"entities": [], "paging_info": {"has_next_page": False}}}
    with FaultySite(lambda payload, count: ("drip", answer, 0.001)) as site:
        sg = client(site.url)
        sg.config.default_deadline_secs = None  # the reference's behaviour: wait as long as it takes
        assert sg.find("Shot", []) == []
        wait_for(lambda: site.drips_finished == 1)  # the site counts after its last byte went out
        assert site.drips_finished == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_soak_of_mixed_faults_never_duplicates_or_hides_a_write():
    """200 creates through a site that drops, resets, answers 502/503/504/429 or succeeds, chosen at random.

    The site "applies" a create when it answers it, and also when it loses or
    refuses the answer after receiving it (close, reset, 502, 504: what a
    real gateway in front of a site does); 503 and 429 apply nothing. Every
    create must end applied exactly once (returned normally), or raise
    WriteOutcomeUnknown having been applied at most once; nothing else.
    """
    import random

    rng = random.Random(13)
    kinds = ["ok", "ok", "ok", "close", "reset", "502", "504", "503", "429"]
    applied: dict = {}

    def behaviour(payload, count):
        if payload["method_name"] == "read":
            return ("answer", 200, READ_PAGE)
        code = payload["params"][1]["fields"][0]["value"]
        kind = rng.choice(kinds)
        if kind in ("503", "429"):
            return ("answer", int(kind), {})
        applied[code] = applied.get(code, 0) + 1
        if kind == "ok":
            return ("answer", 200, {"results": {"type": "Shot", "id": applied[code]}})
        return FAULTS[{"close": "closed after send", "reset": "reset mid-answer"}.get(kind, kind)][0]

    outcomes = {"returned": 0, "unknown": 0}
    with FaultySite(behaviour) as site:
        sg = client(site.url)
        sg.MAX_ATTEMPTS = 6  # 503/429 are retried; let a few in a row through
        for n in range(200):
            code = "w%03d" % n
            if n % 3 == 0:
                sg.find("Shot", [])  # sometimes on a kept-alive connection, sometimes on a fresh one
            try:
                sg.create("Shot", {"code": code})
            except WriteOutcomeUnknown as error:
                outcomes["unknown"] += 1
                assert error.method == "create" and error.entity_type == "Shot"
                assert applied.get(code, 0) <= 1
            except ProtocolError as error:  # 503/429 six times in a row: nothing was applied
                assert error.errcode in (503, 429) and code not in applied
            else:
                outcomes["returned"] += 1
                assert applied[code] == 1
        assert all(count == 1 for count in applied.values())  # never a duplicate
        assert outcomes["returned"] > 50 and outcomes["unknown"] > 50
