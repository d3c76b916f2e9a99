"""The opt-in page prefetching of find(): same records, same order, no pages past a known end."""
from __future__ import annotations

import gc
import threading

import pytest

import shotgun_api3

from .conftest import SITE, FakeSite


def paged_site(total, per_page, without_counts=True):
    site = FakeSite({"version": [8, 0, 0] if without_counts else [7, 0, 0], "api_max_entities_per_page": per_page})
    lock = threading.Lock()
    seen_threads = set()

    def handler(payload):
        params = payload["params"][1]
        page = params["paging"]["current_page"]
        size = params["paging"]["entities_per_page"]
        with lock:
            seen_threads.add(threading.current_thread().name)
        ids = list(range((page - 1) * size + 1, min(page * size, total) + 1))
        info = {"has_next_page": page * size < total} if without_counts else {"entity_count": total}
        body = {"results": {"entities": [{"type": "Shot", "id": i, "created_at": "2020-01-01T00:00:00Z"}
                                         for i in ids], "paging_info": info}}
        import json

        return (200, "OK"), {"content-type": "application/json"}, json.dumps(body).encode()

    site.handler = handler
    site.seen_threads = seen_threads
    return site


def client(site, prefetch):
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    sg.config.prefetch_pages = prefetch
    return sg


@pytest.mark.parametrize("without_counts", [True, False])
@pytest.mark.parametrize("total", [0, 1, 10, 11, 95])
def test_prefetching_returns_the_same_records_in_order(total, without_counts):
    plain = client(paged_site(total, 10, without_counts), 0).find("Shot", [], ["created_at"])
    site = paged_site(total, 10, without_counts)
    sg = client(site, 4)
    fetched = sg.find("Shot", [], ["created_at"])
    assert fetched == plain
    assert [r["id"] for r in fetched] == list(range(1, total + 1))
    sg.close()


def test_prefetching_uses_worker_threads_and_respects_limit():
    site = paged_site(1000, 10)
    sg = client(site, 3)
    records = sg.find("Shot", [], limit=35)
    assert [r["id"] for r in records] == list(range(1, 36))
    pages = sorted(c["params"][1]["paging"]["current_page"] for c in site.calls)
    assert pages == [1, 2, 3, 4]
    assert any(name.startswith("shotgun_api3-prefetch") for name in site.seen_threads)
    sg.close()


def test_prefetching_never_asks_beyond_a_known_entity_count():
    site = paged_site(25, 10, without_counts=False)
    sg = client(site, 8)
    assert len(sg.find("Shot", [])) == 25
    pages = sorted(c["params"][1]["paging"]["current_page"] for c in site.calls)
    assert pages[:3] == [1, 2, 3]
    assert max(pages) <= 8
    sg.close()


def test_errors_of_prefetched_pages_reach_the_caller():
    site = paged_site(100, 10)
    inner = site.handler

    def failing(payload):
        if payload["params"][1]["paging"]["current_page"] == 3:
            return (500, "Internal Server Error"), {}, b""
        return inner(payload)

    site.handler = failing
    sg = client(site, 4)
    with pytest.raises(shotgun_api3.ProtocolError):
        sg.find("Shot", [])
    sg.close()


def test_garbage_collection_is_enabled_again_after_a_paged_read():
    assert gc.isenabled()
    site = paged_site(30, 10)
    client(site, 0).find("Shot", [])
    assert gc.isenabled()
    failing = FakeSite()
    failing.raw((500, "Err"), {}, b"")
    sg = client(failing, 0)
    with pytest.raises(shotgun_api3.ProtocolError):
        sg.find("Shot", [])
    assert gc.isenabled()
