"""Slow reads are logged with how their rows were chosen (issue 15): the ``-v`` log explains them."""
from __future__ import annotations

import logging

from shotgun_api3._engine.query import slow_queries


def test_a_slow_read_logs_its_plan_and_a_fast_one_nothing(sg, caplog, monkeypatch):
    project = sg.create("Project", {"name": "Slow"})
    shot = sg.create("Shot", {"code": "sh010", "project": project})
    caplog.set_level(logging.INFO, logger="shotgun_api3")
    sg.find("Shot", [["code", "contains", "sh"]], ["code"])
    assert not [r for r in caplog.records if "slow read" in r.getMessage()]

    monkeypatch.setattr(slow_queries, "SLOW_SECONDS", 0.0)  # every call counts as slow now
    sg.find("Shot", [["code", "contains", "sh"]], ["code"])
    sg.find("Shot", [["code", "is", "SH010"]], ["code"])
    sg.find_one("Shot", [["id", "is", shot["id"]]], ["code"])
    sg.summarize("Shot", [["project", "is", project]], [{"field": "id", "type": "count"}])
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("slow ")]
    assert "scan of the whole table (1 rows tested" in lines[0] and lines[0].endswith("filters (code contains)")
    assert "candidates from a field index (1 rows tested)" in lines[1]
    assert "rows looked up by id (1)" in lines[2]
    assert lines[3].startswith("slow summarize of Shot") and "field index" in lines[3]
    assert all("1 rows matched" in line for line in lines)
    assert not [line for line in lines if "sh010" in line.lower()]  # values are never logged



def test_slow_reads_of_the_event_log_say_how_it_was_streamed(sg, caplog, monkeypatch):
    project = sg.create("Project", {"name": "Slow log"})
    shot = sg.create("Shot", {"code": "sh020", "project": project})
    caplog.set_level(logging.INFO, logger="shotgun_api3")
    monkeypatch.setattr(slow_queries, "SLOW_SECONDS", 0.0)
    sg.find("EventLogEntry", [["id", "greater_than", 0]], ["event_type"])
    sg.find("EventLogEntry", [["entity", "is", shot]], ["event_type"])
    sg.find("EventLogEntry", [["event_type", "contains", "Shot"]], ["event_type"])
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("slow read of EventLogEntry")]
    assert "rows of an id range streamed from the database" in lines[0]
    assert "picked by the text of a linked record" in lines[1]
    assert "the whole table streamed from the database" in lines[2] and "rows tested" in lines[2]
    assert not [line for line in lines if "sh020" in line.lower() or "'Shot'" in line]
