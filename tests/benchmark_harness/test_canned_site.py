"""The canned site of the find() benchmark answers paging like a site does.

The benchmark's figures mean something only if both clients page through the
same records the way they would on a real site; these tests pin that.
"""
from __future__ import annotations

import http.client
import importlib.util
import json
import threading
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location("bench_" + name, BENCH_DIR / (name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


canned_site = load("canned_site")


def read(site, page: int, per_page: int = 500, **flags) -> dict:
    params = {"type": "Shot", "paging": {"entities_per_page": per_page, "current_page": page}}
    params.update(flags)
    body = json.dumps({"method_name": "read", "params": [{"script_name": "s", "script_key": "k"}, params]})
    return json.loads(site.answer(body.encode()))["results"]


def test_read_pages_until_has_next_page_is_false():
    site = canned_site.CannedSite(records=1200, latency_s=0)
    pages = [read(site, page, return_paging_info_without_counts=True) for page in (1, 2, 3)]
    assert [len(p["entities"]) for p in pages] == [500, 500, 200]
    assert [p["paging_info"] for p in pages] == [{"has_next_page": True}, {"has_next_page": True},
                                                 {"has_next_page": False}]
    ids = [record["id"] for p in pages for record in p["entities"]]
    assert ids == list(range(1, 1201))


def test_read_reports_entity_count_when_the_request_asks_for_counts():
    site = canned_site.CannedSite(records=30, latency_s=0)
    page = read(site, 2, per_page=20, return_paging_info=True)
    assert [r["id"] for r in page["entities"]] == list(range(21, 31))
    assert page["paging_info"]["entity_count"] == 30


def test_read_of_a_page_past_the_end_is_empty():
    site = canned_site.CannedSite(records=10, latency_s=0)
    page = read(site, 5, per_page=10, return_paging_info_without_counts=True)
    assert page == {"entities": [], "paging_info": {"has_next_page": False}}


def test_shot_records_carry_the_eleven_benchmark_fields_in_wire_form():
    record = canned_site.shot_record(7)
    assert sorted(set(record) - {"type", "id"}) == sorted(canned_site.SHOT_FIELDS)
    assert len(canned_site.SHOT_FIELDS) == 11
    assert record["created_at"].endswith("Z") and len(record["created_at"]) == 20
    assert [link["type"] for link in record["assets"]] == ["Asset"] * 3
    assert record["sg_sequence"]["type"] == "Sequence"


def test_server_answers_info_and_read_on_one_keep_alive_connection():
    site = canned_site.CannedSite(records=3, latency_s=0)
    server = canned_site.QuietThreadingServer(("127.0.0.1", 0), canned_site.make_handler(site))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        answers = []
        for body in ({"method_name": "info", "params": []},
                     {"method_name": "read", "params": [{}, {"paging": {"entities_per_page": 500, "current_page": 1},
                                                             "return_paging_info_without_counts": True}]}):
            connection.request("POST", "/api3/json", json.dumps(body), {"Content-Type": "application/json"})
            response = connection.getresponse()
            assert response.status == 200
            answers.append(json.loads(response.read()))
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    assert answers[0]["version"] == [8, 50, 0]
    assert [r["id"] for r in answers[1]["results"]["entities"]] == [1, 2, 3]
    assert site.requests == 2


@pytest.mark.parametrize("fraction, expected", [(0.5, 50), (0.99, 99), (1.0, 100), (0.0, 1)])
def test_percentile_is_the_nearest_rank(fraction, expected):
    harness = load("_harness")
    assert harness.percentile([float(v) for v in range(100, 0, -1)], fraction) == expected
