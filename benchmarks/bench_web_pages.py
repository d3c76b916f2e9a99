"""Benchmark: the local site's web pages (issue 17) over a type of 100,000 records.

Fills an in-memory site with ``--records`` Shots (default 100,000, in batch
creates of 1,000 through the engine, with their events), serves it on
127.0.0.1, logs in as a HumanUser and times whole page requests over HTTP
(keep-alive connection, median and worst of ``--samples``): the first page
of 50 rows, a page deep in the table, a filtered page, a page sorted by a
column, a record page, the event log and the home page.

Target on a 2-core machine: a page of 50 rows from a type of 100,000
records in under 100 ms.

    python benchmarks/bench_web_pages.py [--records N] [--samples S]
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shotgun_api3._engine import CallContext  # noqa: E402
from shotgun_api3.local_site.server import LocalSiteServer  # noqa: E402
from shotgun_api3.local_site.site import Site  # noqa: E402

LOGIN, PASSWORD = "bench", "bench-password-1"


def fill(site: Site, records: int) -> float:
    """Create ``records`` Shots in one project; return the seconds it took."""
    context = CallContext(user={"type": "HumanUser", "id": 1})
    started = time.perf_counter()
    project = site.call("create", {"type": "Project", "fields": [{"field_name": "name", "value": "Scale"}],
                                   "return_fields": ["id"]}, context)
    link = {"type": "Project", "id": project["id"]}
    statuses = ("wtg", "ip", "fin")
    for first in range(0, records, 1000):
        requests = [{"request_type": "create", "type": "Shot", "return_fields": ["id"], "fields": [
            {"field_name": "code", "value": "sh%06d" % n}, {"field_name": "project", "value": link},
            {"field_name": "sg_status_list", "value": statuses[n % 3]}]}
            for n in range(first, min(records, first + 1000))]
        site.call("batch", requests, context)
    return time.perf_counter() - started


def timed(connection: http.client.HTTPConnection, cookie: str, path: str, samples: int) -> tuple:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status, body[:300])
    return statistics.median(times), max(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args(argv)
    site = Site.in_memory()
    site.add_user(LOGIN, PASSWORD)
    seconds = fill(site, args.records)
    print("filled %d Shots in %.1f s" % (args.records, seconds))
    with LocalSiteServer(site) as server:
        parts = urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        connection.request("POST", "/login", urlencode({"login": LOGIN, "password": PASSWORD}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        middle = args.records // 100
        pages = [
            ("table, first page of 50", "/table/Shot"),
            ("table, page %d of 50" % middle, "/table/Shot?page=%d" % middle),
            ("table, filtered (status is fin)", "/table/Shot?" + urlencode(
                {"filters": '[["sg_status_list", "is", "fin"]]'})),
            ("table, dotted column project.Project.name", "/table/Shot?columns=code,project.Project.name"),
            ("table, sorted by code desc", "/table/Shot?sort=code&dir=desc"),
            ("record page", "/detail/Shot/%d" % (args.records // 2)),
            ("event log, first page", "/events"),
            ("home page (counts per type)", "/"),
            ("home page, counts in one project", "/?project=1"),
        ]
        print("%-45s %10s %10s" % ("page (%d Shots)" % args.records, "median ms", "worst ms"))
        for label, path in pages:
            median, worst = timed(connection, cookie, path, args.samples)
            print("%-45s %10.1f %10.1f" % (label, median, worst))
        connection.close()
    site.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
