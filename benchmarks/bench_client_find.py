"""Benchmark: ``Shotgun.find()`` of many Shots served as canned pages (issue 2, item 11).

A loopback server (``canned_site.py``, its own process) answers ``info`` and
``read`` with 500-record pages of Shots carrying 11 fields. Each client runs
in its own process, ours from ``.venv`` and the reference (shotgun-api3
3.10.3) from ``.venv-reference``, and does ``sg.find("Shot", [], fields)``.

Run 1: 50,000 records, no latency. Measures client CPU (``time.process_time``)
and wall time; the sides alternate (reference, ours, reference, ours), two
finds per process, and the best of the four is compared. Target: CPU ratio
ours/reference <= 0.20.

Run 2: 20,000 records, 50 ms latency per answer. Ours with the opt-in
concurrent page prefetch (``config`` knob below), the reference as it is.
Target: wall ratio ours/reference <= 0.35.

    python benchmarks/bench_client_find.py [--quick] [--repeat N] [--profile]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import _harness as h

# The client's opt-in concurrent page prefetch: ``config.prefetch_pages`` is
# the number of pages fetched ahead, each on its own connection (default 0,
# off; see shotgun_api3/_config.py). Override with --prefetch-knob NAME=VALUE.
PREFETCH_KNOB = "prefetch_pages"
PREFETCH_VALUE: Any = 4

CANNED_SITE = h.BENCH_DIR / "canned_site.py"
FIELDS = ["code", "sg_status_list", "created_at", "updated_at", "sg_cut_in", "sg_cut_out",
          "project", "sg_sequence", "assets", "tag_list", "image"]

CPU_TARGET = 0.20
LATENCY_WALL_TARGET = 0.35


# ---------------------------------------------------------------- worker side

def worker(config: dict[str, Any]) -> None:
    import gc

    import shotgun_api3

    sg = shotgun_api3.Shotgun(config["url"], script_name="bench", api_key="not-checked")
    knob = config.get("knob")
    knob_applied = None
    if knob:
        name, value = knob
        if hasattr(sg.config, name):
            setattr(sg.config, name, value)
            knob_applied = "%s=%r" % (name, value)
        else:
            h.note("config has no attribute %r: prefetch knob not applied" % name)
    sg.find_one("Shot", [], ["code"])  # connection, server caps and imports warmed up

    cpu, wall = [], []
    records: list = []
    profile_text = None
    for run in range(config["repeat"]):
        records = []
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        records = sg.find("Shot", [], FIELDS)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
        h.note("%s run %d: %d records, cpu %.3f s, wall %.3f s" % (config["side"], run, len(records), cpu[-1], wall[-1]))
    if config.get("profile"):
        profile_text = profile_find(sg)
    first = records[0] if records else {}
    h.report({
        "cpu": cpu, "wall": wall, "count": len(records),
        "id_sum": sum(r["id"] for r in records),
        "first_keys": sorted(first),
        "created_at_type": type(first.get("created_at")).__name__,
        "knob_applied": knob_applied,
        "profile": profile_text,
    })


def profile_find(sg: Any) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    sg.find("Shot", [], FIELDS)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(15)
    return out.getvalue()


# ---------------------------------------------------------------- orchestrator side

def measure(side: str, url: str, repeat: int, knob: Any = None, profile: bool = False) -> dict[str, Any] | None:
    return h.try_worker(side, Path(__file__), {"url": url, "repeat": repeat, "knob": knob, "profile": profile})


def measure_rounds(url: str, rounds: int, repeat: int, profile: bool) -> tuple[dict | None, dict | None]:
    """Alternate reference and ours, ``rounds`` times, ``repeat`` finds per process.

    Alternating spreads the load of a shared machine over both sides instead of
    letting it fall on whichever side happened to run during a busy minute.
    """
    merged: dict[str, dict | None] = {}
    for n in range(rounds):
        for side in ("reference", "ours"):
            result = measure(side, url, repeat, profile=profile and side == "ours" and n == rounds - 1)
            if result is None:
                merged[side] = None
            elif side not in merged:
                merged[side] = result
            elif merged[side] is not None:
                merged[side]["cpu"] += result["cpu"]
                merged[side]["wall"] += result["wall"]
                merged[side]["profile"] = result["profile"]
    return merged.get("ours"), merged.get("reference")


def best(result: dict[str, Any] | None, key: str) -> float | None:
    return min(result[key]) if result else None


def middle(result: dict[str, Any] | None, key: str) -> float | None:
    return h.median(result[key]) if result else None


def check_same(label: str, ours: dict[str, Any] | None, ref: dict[str, Any] | None, expected: int) -> str:
    if not ours or not ref:
        return "CHECK %s: skipped (a side did not run)" % label
    problems = []
    for name, result in (("ours", ours), ("reference", ref)):
        if result["count"] != expected:
            problems.append("%s returned %d records, expected %d" % (name, result["count"], expected))
    if ours["id_sum"] != ref["id_sum"]:
        problems.append("different ids")
    if ours["first_keys"] != ref["first_keys"]:
        problems.append("different keys: %s vs %s" % (ours["first_keys"], ref["first_keys"]))
    if ours["created_at_type"] != ref["created_at_type"]:
        problems.append("created_at is %s vs %s" % (ours["created_at_type"], ref["created_at_type"]))
    return "CHECK %s: %s" % (label, "; ".join(problems) if problems else "same records, same keys and value types")


def run(quick: bool, repeat: int | None, profile: bool, knob: tuple[str, Any]) -> list[str]:
    records = 5000 if quick else 50000
    latency_records = 2000 if quick else 20000
    repeat = repeat or (1 if quick else 2)
    rounds = 1 if quick else 2
    tables = []

    with h.ServerProcess([sys.executable, str(CANNED_SITE), "--records", str(records)]) as server:
        ours, ref = measure_rounds(server.url, rounds, repeat, profile)
    runs = rounds * repeat
    rows = [
        h.comparison_row("client CPU (best of %d)" % runs, best(ours, "cpu"), best(ref, "cpu"), "s", CPU_TARGET),
        h.comparison_row("client CPU (median of %d)" % runs, middle(ours, "cpu"), middle(ref, "cpu"), "s", None),
        h.comparison_row("wall (best of %d)" % runs, best(ours, "wall"), best(ref, "wall"), "s", None),
    ]
    tables.append(h.print_table("find() of %d Shots, 11 fields, 500 per page, no latency" % records,
                                h.COMPARISON_HEADERS, rows))
    print(check_same("run 1", ours, ref, records))
    if ours and ours.get("profile"):
        print("cProfile of our find():\n" + ours["profile"])

    latency_repeat = 1 if quick else 2
    with h.ServerProcess([sys.executable, str(CANNED_SITE), "--records", str(latency_records),
                          "--latency-ms", "50"]) as server:
        ref = measure("reference", server.url, latency_repeat)
        plain = measure("ours", server.url, latency_repeat)
        fetched = measure("ours", server.url, latency_repeat, knob=list(knob))
    applied = fetched["knob_applied"] if fetched else None
    knob_text = applied or "knob %s not found" % knob[0]
    rows = [
        h.comparison_row("wall, ours with %s" % knob_text, best(fetched, "wall") if applied else None,
                         best(ref, "wall"), "s", LATENCY_WALL_TARGET),
        h.comparison_row("wall, ours default (no prefetch)", best(plain, "wall"), best(ref, "wall"), "s", None),
        h.comparison_row("client CPU, ours with prefetch", best(fetched, "cpu"), best(ref, "cpu"), "s", None),
    ]
    tables.append(h.print_table("find() of %d Shots, 50 ms latency per answer" % latency_records,
                                h.COMPARISON_HEADERS, rows))
    print(check_same("run 2", fetched, ref, latency_records))
    return tables


def parse_knob(text: str) -> tuple[str, Any]:
    import json
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def main(argv: list[str]) -> int:
    config = h.worker_config(argv)
    if config is not None:
        worker(config)
        return 0
    parser = argparse.ArgumentParser(description="find() benchmark, ours against the reference client")
    parser.add_argument("--quick", action="store_true", help="small smoke size (5,000 and 2,000 records)")
    parser.add_argument("--repeat", type=int, help="finds per worker process (2 worker rounds per side)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of our find()")
    parser.add_argument("--prefetch-knob", default="%s=%s" % (PREFETCH_KNOB, PREFETCH_VALUE),
                        help="config attribute enabling page prefetch, NAME=VALUE (default %(default)s)")
    args = parser.parse_args(argv[1:])
    run(args.quick, args.repeat, args.profile, parse_knob(args.prefetch_knob))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
