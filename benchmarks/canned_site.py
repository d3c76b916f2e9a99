"""A loopback HTTP server answering ``info`` and ``read`` with canned Shot pages.

Used by ``bench_client_find.py``: it stands in for a real site so the
benchmark measures only the client. Records are built once at start-up and
each page is encoded once and cached, so the server does little per request.
``read`` honours the request's paging (``entities_per_page``,
``current_page``) and answers ``has_next_page`` or ``entity_count`` according
to the paging flag the client sent (docs/site_facts.rst, Paging). An optional
delay before every answer emulates a distant site.

Run it as ``python canned_site.py --records 50000 [--latency-ms 50]``; it
prints its URL once it listens. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

INFO = {
    "version": [8, 50, 0],
    "full_version": [8, 50, 0, 0],
    "user_authentication_method": "default",
    "api_max_entities_per_page": 500,
    "s3_direct_uploads_enabled": False,
    "s3_enabled_upload_types": {},
}

SHOT_FIELDS = [
    "code", "sg_status_list", "created_at", "updated_at", "sg_cut_in", "sg_cut_out",
    "project", "sg_sequence", "assets", "tag_list", "image",
]
STATUSES = ["wtg", "rdy", "ip", "hld", "fin", "cbb", "omt"]
TAGS = [["hero"], ["hero", "fx"], [], ["crowd", "cg", "review"]]


def shot_record(shot_id: int) -> dict[str, Any]:
    """One Shot as a site returns it with the 11 benchmark fields (wire form)."""
    sequence = 1 + shot_id % 50
    day = 1 + shot_id % 28
    return {
        "type": "Shot",
        "id": shot_id,
        "code": "SQ%03d_SH%05d" % (sequence, shot_id),
        "sg_status_list": STATUSES[shot_id % len(STATUSES)],
        "created_at": "2024-02-%02dT%02d:%02d:%02dZ" % (day, shot_id % 24, shot_id % 60, (shot_id * 7) % 60),
        "updated_at": "2024-03-%02dT%02d:%02d:%02dZ" % (day, (shot_id + 5) % 24, shot_id % 60, (shot_id * 3) % 60),
        "sg_cut_in": 1001 + shot_id % 17,
        "sg_cut_out": 1100 + shot_id % 90,
        "project": {"type": "Project", "id": 70, "name": "Big Buck Benchmark"},
        "sg_sequence": {"type": "Sequence", "id": sequence, "name": "SQ%03d" % sequence},
        "assets": [{"type": "Asset", "id": 1 + (shot_id * k) % 3000, "name": "asset_%04d" % ((shot_id * k) % 3000)}
                   for k in (1, 2, 3)],
        "tag_list": TAGS[shot_id % len(TAGS)],
        "image": ("https://sg-media-usor-01.s3-accelerate.amazonaws.com/8f2c1e0b9d/%d/shot_%d_thumb.jpg"
                  "?AWSAccessKeyId=AKIAEXAMPLEEXAMPLE&Expires=1735689600&Signature=c2lnbmF0dXJl%%2B%d%%3D"
                  % (shot_id, shot_id, shot_id)),
    }


class CannedSite:
    """The answers: ``records`` Shots, paged on demand, pages cached once encoded."""

    def __init__(self, records: int, latency_s: float) -> None:
        self.records = [shot_record(i) for i in range(1, records + 1)]
        self.latency_s = latency_s
        self.requests = 0
        self._pages: dict[tuple[int, int, str], bytes] = {}
        self._lock = threading.Lock()

    def answer(self, body: bytes) -> bytes:
        payload = json.loads(body)
        method = payload.get("method_name")
        if method == "info":
            return json.dumps(INFO).encode()
        if method == "read":
            return self._read(payload["params"][1])
        return json.dumps({"exception": True, "message": "canned site does not answer %r" % method,
                           "error_code": 100}).encode()

    def _read(self, params: dict[str, Any]) -> bytes:
        paging = params.get("paging") or {}
        per_page = max(1, min(500, int(paging.get("entities_per_page", 500))))
        page = max(1, int(paging.get("current_page", 1)))
        if params.get("return_paging_info_without_counts"):
            style = "has_next_page"
        elif params.get("return_paging_info"):
            style = "entity_count"
        else:
            style = "none"
        key = (per_page, page, style)
        with self._lock:
            cached = self._pages.get(key)
        if cached is not None:
            return cached
        start = (page - 1) * per_page
        entities = self.records[start:start + per_page]
        if style == "has_next_page":
            paging_info: dict[str, Any] = {"has_next_page": start + per_page < len(self.records)}
        elif style == "entity_count":
            paging_info = {"entity_count": len(self.records),
                           "page_count": -(-len(self.records) // per_page), "current_page": page}
        else:
            paging_info = {}
        encoded = json.dumps({"results": {"entities": entities, "paging_info": paging_info}}).encode()
        with self._lock:
            self._pages[key] = encoded
        return encoded

    def warm(self) -> None:
        """Encode the pages a default-sized find will ask for, before anyone measures."""
        for page in range(1, len(self.records) // 500 + 2):
            self._read({"paging": {"entities_per_page": 500, "current_page": page},
                        "return_paging_info_without_counts": True})


def make_handler(site: CannedSite) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            site.requests += 1
            if site.latency_s:
                time.sleep(site.latency_s)
            answer = site.answer(body)
            # Headers and body in one write: no Nagle/delayed-ACK stall on loopback.
            head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                    "Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(answer)).encode()
            self.wfile.write(head + answer)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class QuietThreadingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping keep-alive connections at exit is normal here.
        pass


def serve(records: int, latency_ms: float, host: str = "127.0.0.1", port: int = 0) -> None:
    site = CannedSite(records, latency_ms / 1000.0)
    site.warm()
    server = QuietThreadingServer((host, port), make_handler(site))
    print("canned site listening on http://%s:%d" % server.server_address[:2], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    serve(args.records, args.latency_ms, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
