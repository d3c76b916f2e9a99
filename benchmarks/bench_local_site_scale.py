"""Benchmark: our local site at production size (issue 15). Ours only.

For each size it makes a site folder, seeds it through our client on
loopback with ``batch`` creates of 500 (a Project; per 10 records one Shot,
five Tasks on it, two Versions linked to the Shot and a Task, two Notes
linked to the Shot and a Task; one Sequence per 100 Shots), stops the site,
starts it again in a fresh process and measures:

- seeding rate (records per second of wall time through the client);
- the site folder's size on disk after the stop;
- restart: wall time from starting the server process to the first answer
  of a ``find_one``, and the server's resident memory then (RSS) and its
  peak (``VmHWM``) so far;
- p50/p99 latency of ``find_one`` Shot by id, ``find_one`` Shot by ``code``,
  ``find`` of the 5 Tasks of a Shot (``entity is``), ``find`` of the 100
  Shots of a Sequence through a dotted path (``sg_sequence.Sequence.code
  is``), ``summarize`` (count) of the Shots of a Sequence, and an event
  daemon's read of the 500 events after an id;
- a filter no index answers (``summarize`` of Tasks whose ``content``
  contains a text): the first time, which reads every Task from the store,
  and again, in memory; and the RSS after it.

    python3 benchmarks/bench_local_site_scale.py [--sizes 100000,1000000] [--quick] [--keep DIR]

``--quick`` is one site of 10,000 records and fewer samples (about a minute).
The 1,000,000 site takes a while to seed; run it when the machine is quiet.
Targets (issue 15), for 1,000,000 records: restart < 5 s, memory < 2x the
site's file size, ``find_one`` by id < 1 ms, by a scalar field < 5 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h

SCRIPT_NAME = "bench"
SCRIPT_KEY = "bench-local-site-scale-key-0123456789abcdef"
BATCH = 500
SHOTS_PER_SEQUENCE = 100
RECORDS_PER_SHOT = 10  # 1 Shot, 5 Tasks, 2 Versions, 2 Notes
TARGETS = {"restart_s": 5.0, "rss_over_file": 2.0, "find_one_id_ms": 1.0, "find_one_code_ms": 5.0}


# ---------------------------------------------------------------- the server process

def serve(folder: str) -> int:
    """Open (or create) the site in ``folder``, serve it on an ephemeral port, print its URL."""
    from shotgun_api3.local_site.server import LocalSiteServer, tune_garbage_collector
    from shotgun_api3.local_site.site import Site

    path = Path(folder)
    if (path / "site.sqlite3").exists():
        site = Site.open(path)
    else:
        site = Site.create(path)
        site.add_script(SCRIPT_NAME, key=SCRIPT_KEY)
    server = LocalSiteServer(site, host="127.0.0.1", port=0)
    tune_garbage_collector()
    stopping: list = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    server.start()
    print("SCALE-SITE " + server.url, flush=True)
    try:
        while not stopping:
            time.sleep(0.1)
    finally:
        server.stop()
        site.close()
    return 0


class Server:
    def __init__(self, folder: Path) -> None:
        self.started = time.perf_counter()
        # (-S passed on: a baseline run puts an older checkout first on PYTHONPATH, see benchmarks/README.md.)
        python = [sys.executable, "-S"] if sys.flags.no_site else [sys.executable]
        self.process = subprocess.Popen(python + [__file__, "--serve", str(folder)],
                                        stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        line = self.process.stdout.readline()
        if not line.startswith("SCALE-SITE "):
            self.process.kill()
            raise RuntimeError("the site did not start: %r" % line)
        self.url = line.split(" ", 1)[1].strip()

    def memory(self) -> tuple[int, int]:
        """(current RSS, peak RSS) of the server in bytes."""
        values = {}
        with open("/proc/%d/status" % self.process.pid) as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) * 1024
        return values.get("VmRSS", 0), values.get("VmHWM", 0)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def connect(url: str) -> Any:
    import shotgun_api3

    return shotgun_api3.Shotgun(url, script_name=SCRIPT_NAME, api_key=SCRIPT_KEY)


# ---------------------------------------------------------------- seeding

def create_all(sg: Any, entity_type: str, datas: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(datas), BATCH):
        requests = [{"request_type": "create", "entity_type": entity_type, "data": data}
                    for data in datas[start:start + BATCH]]
        ids.extend(record["id"] for record in sg.batch(requests))
    return ids


def seed(sg: Any, size: int) -> dict[str, Any]:
    """Fill the site with about ``size`` records; answer what the look-ups need."""
    shots = max(1, size // RECORDS_PER_SHOT)
    project = {"type": "Project", "id": sg.create("Project", {"name": "Scale %d" % size})["id"]}
    sequences = max(1, shots // SHOTS_PER_SEQUENCE)
    seq_ids = create_all(sg, "Sequence", [{"code": "SQ%04d" % n, "project": project} for n in range(sequences)])
    kinds: dict[str, float] = {}  # records/s of each kind
    timed = _kind_timer(kinds)
    shot_ids = timed(create_all, sg, "Shot", [
        {"code": "SH%07d" % n, "project": project, "description": "Shot %d of the scale benchmark" % n,
         "sg_sequence": {"type": "Sequence", "id": seq_ids[n % sequences]}} for n in range(shots)])
    task_ids = timed(create_all, sg, "Task", [
        {"content": step, "project": project, "entity": {"type": "Shot", "id": shot_id}}
        for shot_id in shot_ids for step in ("layout", "anim", "light", "fx", "comp")])
    timed(create_all, sg, "Version", [
        {"code": "SH%07d_v%03d" % (n, v), "project": project, "entity": {"type": "Shot", "id": shot_id},
         "sg_task": {"type": "Task", "id": task_ids[n * 5 + 2 + v]}}
        for n, shot_id in enumerate(shot_ids) for v in (1, 2)])
    timed(create_all, sg, "Note", [
        {"subject": "Note %d on SH%07d" % (v, n), "content": "Looks good, tweak the timing (%d)." % v,
         "project": project, "note_links": [{"type": "Shot", "id": shot_id}],
         "tasks": [{"type": "Task", "id": task_ids[n * 5 + v]}]}
        for n, shot_id in enumerate(shot_ids) for v in (1, 2)])
    records = 1 + sequences + shots * RECORDS_PER_SHOT
    return {"records": records, "shots": shots, "sequences": sequences, "shot_ids": shot_ids, "kinds": kinds}


def _kind_timer(kinds: dict[str, float]) -> Callable[..., list[int]]:
    """``create_all`` that also puts the records/s of its kind in ``kinds``."""
    def timed(create: Callable[..., list[int]], sg: Any, entity_type: str, datas: list[dict]) -> list[int]:
        started = time.perf_counter()
        ids = create(sg, entity_type, datas)
        kinds[entity_type] = len(datas) / (time.perf_counter() - started)
        return ids
    return timed


# ---------------------------------------------------------------- measuring

def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def latencies(call: Callable[[int], Any], samples: int, budget_s: float) -> tuple[float, float]:
    call(-1)  # warm
    times = h.time_calls(call, min_calls=min(5, samples), max_calls=samples, budget_s=budget_s)
    return h.percentile(times, 0.5) * 1000, h.percentile(times, 0.99) * 1000


def measure_size(size: int, base: Path, samples: int, budget_s: float) -> dict[str, Any]:
    folder = base / ("site-%d" % size)
    server = Server(folder)
    try:
        sg = connect(server.url)
        started = time.perf_counter()
        seeded = seed(sg, size)
        seconds = time.perf_counter() - started
        seeding_rss, seeding_peak = server.memory()
    finally:
        server.stop()
    result: dict[str, Any] = {"size": size, "records": seeded["records"], "seed_rate": seeded["records"] / seconds,
                              "seed_s": seconds, "seed_kinds": seeded["kinds"], "seeding_rss": seeding_rss, "seeding_peak": seeding_peak,
                              "file_bytes": folder_bytes(folder)}
    server = Server(folder)
    try:
        return measure_restarted(server, seeded, result, samples, budget_s)
    finally:
        server.stop()


def measure_restarted(server: Server, seeded: dict[str, Any], result: dict[str, Any], samples: int,
                      budget_s: float) -> dict[str, Any]:
    sg = connect(server.url)
    sg.find_one("Shot", [["id", "is", seeded["shot_ids"][0]]], ["code"])
    result["restart_s"] = time.perf_counter() - server.started
    result["restart_rss"], result["restart_peak"] = server.memory()
    rng = random.Random(15)
    shots, sequences, shot_ids = seeded["shots"], seeded["sequences"], seeded["shot_ids"]
    picks = [rng.randrange(shots) for _ in range(samples + 1)]
    seq_picks = [rng.randrange(sequences) for _ in range(samples + 1)]
    checks = {
        "find_one by id": lambda i: sg.find_one("Shot", [["id", "is", shot_ids[picks[i]]]], ["code"]),
        "find_one by code": lambda i: sg.find_one("Shot", [["code", "is", "SH%07d" % picks[i]]], ["code"]),
        "find 5 Tasks of a Shot": lambda i: sg.find(
            "Task", [["entity", "is", {"type": "Shot", "id": shot_ids[picks[i]]}]], ["content"]),
        "find 100 Shots by sg_sequence.Sequence.code": lambda i: sg.find(
            "Shot", [["sg_sequence.Sequence.code", "is", "SQ%04d" % seq_picks[i]]], ["code"]),
        "summarize count of a Sequence's Shots": lambda i: sg.summarize(
            "Shot", [["sg_sequence", "is", {"type": "Sequence", "id": seq_picks[i] + 1}]],
            [{"field": "id", "type": "count"}]),
    }
    if len(sg.find("Task", [["entity", "is", {"type": "Shot", "id": shot_ids[0]}]], ["id"])) != 5:
        raise RuntimeError("the seeded site does not answer as expected")
    last_event = sg.find_one("EventLogEntry", [], ["id"], order=[{"field_name": "id", "direction": "desc"}])["id"]
    checks["event daemon: 500 events after an id"] = lambda i: sg.find(
        "EventLogEntry", [["id", "greater_than", last_event - 500 - (i % 100)]], ["event_type", "entity", "meta"],
        order=[{"field_name": "id", "direction": "asc"}], limit=500)
    result["latency"] = {name: latencies(call, samples, budget_s) for name, call in checks.items()}
    result["serving_rss"], result["serving_peak"] = server.memory()
    # A filter no index answers reads the whole type: the first time from the store, then in memory.
    scan = lambda: sg.summarize("Task", [["content", "contains", "ani"]], [{"field": "id", "type": "count"}])
    started = time.perf_counter()
    scan()
    result["first_scan_s"] = time.perf_counter() - started
    started = time.perf_counter()
    scan()
    result["second_scan_s"] = time.perf_counter() - started
    result["scanned_rss"], result["scanned_peak"] = server.memory()
    return result


def mb(value: float) -> str:
    return "%.0f MB" % (value / 1e6)


def print_results(results: list[dict[str, Any]]) -> None:
    rows = []
    labels = [("records", lambda r: "{:,}".format(r["records"])),
              ("seeding (batch creates of 500)", lambda r: "%.0f records/s" % r["seed_rate"]),
              ("  of which Shots / Tasks / Versions / Notes", lambda r: " / ".join(
                  "%.0f" % r["seed_kinds"][kind] for kind in ("Shot", "Task", "Version", "Note"))),
              ("site folder on disk", lambda r: mb(r["file_bytes"])),
              ("server RSS at the end of seeding (peak)", lambda r: "%s (%s)" % (mb(r["seeding_rss"]),
                                                                                   mb(r["seeding_peak"]))),
              ("restart: time to first answer", lambda r: "%.2f s" % r["restart_s"]),
              ("RSS after restart (peak)", lambda r: "%s (%s)" % (mb(r["restart_rss"]), mb(r["restart_peak"]))),
              ("peak RSS / file size", lambda r: "%.2f" % (max(r["restart_peak"], r["serving_peak"],
                                                               r["scanned_peak"]) / max(1, r["file_bytes"]))),
              ("scan of every Task (no index): first / again", lambda r: "%.2f / %.2f s" % (r["first_scan_s"],
                                                                                           r["second_scan_s"])),
              ("RSS after that scan", lambda r: mb(r["scanned_rss"]))]
    for label, value in labels:
        rows.append([label] + [value(r) for r in results])
    for name in results[0]["latency"]:
        rows.append([name + " p50 / p99"] + ["%.2f / %.2f ms" % r["latency"][name] for r in results])
    h.print_table("Local site at scale (ours)", ["measure"] + ["{:,}".format(r["size"]) for r in results], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated record counts")
    parser.add_argument("--quick", action="store_true", help="one site of 10,000 records, fewer samples")
    parser.add_argument("--samples", type=int, default=0, help="calls per latency measure (default 200; quick 50)")
    parser.add_argument("--keep", metavar="DIR", help="make the sites in DIR and keep them")
    parser.add_argument("--serve", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    if os.environ.get("SG_SCALE_BENCH_CHILD") != "1":
        # Everything (client and server) runs in the interpreter our package is installed in.
        python = str(h.ours_python())
        env = dict(os.environ, SG_SCALE_BENCH_CHILD="1")
        return subprocess.call([python, __file__] + list(sys.argv[1:] if argv is None else argv), env=env)
    sizes = [10000] if args.quick else [int(size) for size in args.sizes.split(",") if size.strip()]
    samples = args.samples or (50 if args.quick else 200)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in sizes:
            h.note("size %d: seeding..." % size)
            results.append(measure_size(size, base, samples, budget_s=20.0))
            h.note(json.dumps({k: v for k, v in results[-1].items()}, default=str))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print_results(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
