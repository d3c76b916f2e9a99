"""Benchmark: our mockgun against the reference mockgun (issue 3, item 5).

Each side builds, in its own process, a site of 20,000 Shots in 50 Sequences
through ``create`` and then times ``find_one`` by id, five kinds of filtered
``find`` and ``update``. Both mockguns load the same site schema: ours the
JSON copy shipped in ``shotgun_api3/data/``, the reference the same data as
pickles (written to a temporary folder from that JSON, protocol 2, as its
own ``generate_schema`` does). Every query is also CHECKED: both sides must
return the same records (same ids, and the same order where the query
defines one).

Call times are CPU times of the worker process (``time.process_time``), so
other processes on a shared machine disturb them little. Both workers keep
their sites and time each operation in alternating rounds on command from
this script, so a drift of the machine's speed falls on both sides. The
work per call of ``create`` and ``update`` (bytecodes executed, functions
entered) is counted too: unlike times, those counts repeat exactly. Targets (ratio
ours/reference of the median call time): ``find_one`` by id
<= 0.02, every filtered find <= 0.2, ``create`` and ``update`` <= 1.0. A
second run of ours alone reports the memory held by 100,000 Shots, and
``mockgun_setup.py`` what a rig pays per test: building a mockgun and a small
set-up, on the shipped schema and a larger one (targets <= 1.0).

    python benchmarks/bench_mockgun.py [--quick] [--no-memory] [--profile]
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h
import mockgun_setup

SCHEMA_DIR = h.REPO_ROOT / "shotgun_api3" / "data"
SEQUENCES = 50
STATUSES = ["wtg", "rdy", "ip", "hld", "fin", "cbb", "omt"]

# (name, target ratio); the order is the table's order.
OPERATIONS = [
    ("create", 1.0),
    ("find_one by id", 0.02),
    ("find by link (sg_sequence is)", 0.2),
    ("find code starts_with", 0.2),
    ("find dotted sg_sequence.Sequence.code is", 0.2),
    ("find any of two conditions", 0.2),
    ("find sorted by code desc, limit 10", 0.2),
    ("update", 1.0),
]


# ---------------------------------------------------------------- worker side

def open_mockgun(config: dict[str, Any]) -> Any:
    from shotgun_api3.lib import mockgun

    mockgun.Shotgun.set_schema_paths(config["schema_path"], config["schema_entity_path"])
    return mockgun.Shotgun("https://bench.example.com", script_name="bench", api_key="not-checked")


def shot_data(n: int, project: dict, sequences: list[dict]) -> dict[str, Any]:
    """Shot number ``n`` (from 1): code SH00001..., 400 per sequence, cut in 1001..2000."""
    return {
        "code": "SH%05d" % n,
        "project": project,
        "sg_sequence": sequences[(n - 1) % len(sequences)],
        "sg_status_list": STATUSES[n % len(STATUSES)],
        "sg_cut_in": 1001 + n % 1000,
        "description": "Shot %d of the benchmark site" % n,
    }


def build_site(sg: Any, shots: int, create_times: list[float] | None = None) -> tuple[dict, list[dict], list[int]]:
    project = sg.create("Project", {"name": "Benchmark"})
    project = {"type": "Project", "id": project["id"]}
    sequences = []
    for s in range(1, SEQUENCES + 1):
        created = sg.create("Sequence", {"code": "SQ%03d" % s, "project": project})
        sequences.append({"type": "Sequence", "id": created["id"]})
    shot_ids = []
    for n in range(1, shots + 1):
        data = shot_data(n, project, sequences)
        t0 = time.process_time()
        created = sg.create("Shot", data)
        if create_times is not None:
            create_times.append(time.process_time() - t0)
        shot_ids.append(created["id"])
        if n % 5000 == 0:
            h.note("  %d shots created" % n)
    return project, sequences, shot_ids


def ids_of(result: Any) -> list[int]:
    if result is None:
        return []
    if isinstance(result, dict):
        return [result["id"]]
    return [record["id"] for record in result]


def worker(config: dict[str, Any]) -> None:
    if config.get("mode") == "memory":
        memory_worker(config)
        return
    import random

    sg = open_mockgun(config)
    rss_start = h.current_rss_bytes()
    create_times: list[float] = []
    project, sequences, shot_ids = build_site(sg, config["shots"], create_times)
    rss_built = h.current_rss_bytes()
    h.note("%s: site built, %d shots" % (config["side"], len(shot_ids)))

    rng = random.Random(20261127)
    picks = [rng.choice(shot_ids) for _ in range(5000)]
    limit = 10

    def seq(i: int) -> dict:
        return sequences[i % len(sequences)]

    def update(i: int) -> Any:
        return sg.update("Shot", picks[i % len(picks)], {"sg_status_list": STATUSES[i % len(STATUSES)],
                                                         "description": "updated %d" % i})

    queries: list[tuple[str, Callable[[int], Any], bool]] = [
        ("find_one by id", lambda i: sg.find_one("Shot", [["id", "is", picks[i % len(picks)]]],
                                                 ["code", "sg_status_list"]), True),
        ("find by link (sg_sequence is)",
         lambda i: sg.find("Shot", [["sg_sequence", "is", seq(i)]], ["code", "sg_sequence"]), False),
        ("find code starts_with",
         lambda i: sg.find("Shot", [["code", "starts_with", "SH%03d" % (1 + i % 199)]], ["code"]), False),
        ("find dotted sg_sequence.Sequence.code is",
         lambda i: sg.find("Shot", [["sg_sequence.Sequence.code", "is", "SQ%03d" % (1 + i % SEQUENCES)]],
                           ["code"]), False),
        ("find any of two conditions",
         lambda i: sg.find("Shot", [{"filter_operator": "any", "filters": [
             ["sg_sequence", "is", seq(i)], ["sg_cut_in", "greater_than", 1990 - i % 50]]}], ["code", "sg_cut_in"]),
         False),
        ("find sorted by code desc, limit 10",
         lambda i: sg.find("Shot", [["sg_status_list", "is", STATUSES[i % len(STATUSES)]]], ["code"],
                           order=[{"field_name": "code", "direction": "desc"}], limit=limit), True),
        ("update", update, True),
    ]
    results: dict[str, Any] = {
        "create": {"times": [h.median(create_times)], "total": sum(create_times), "calls": len(create_times),
                   "ids": shot_ids[:3] + shot_ids[-3:], "ordered": True},
    }
    for name, call, ordered in queries:
        checked = [ids_of(call(i)) for i in range(3)]  # also warms caches and imports
        if name.startswith("find sorted"):
            checked = [ids[:limit] for ids in checked]
        results[name] = {"ids": checked, "ordered": ordered}
    h.report({"ready": True})
    calls = {name: call for name, call, _ in queries}
    calls["create"] = lambda i: sg.create("Shot", shot_data(200000 + i, project, sequences))
    # Timing rounds on command (see ``interleaved_times``): each round is a
    # few calls of one operation, numbered on from where the last one ended.
    # "count" measures work instead of time (see ``work_per_call``).
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "done":
            break
        if command["op"] == "count":
            h.report(work_per_call(calls[command["name"]], command["start"], command["count"]))
            continue
        times = h.time_calls(lambda i: calls[command["op"]](command["start"] + i), 1, command["count"],
                             command["budget"], clock=time.process_time)
        h.report({"times": times})
    after = ids_of(sg.find("Shot", [["description", "starts_with", "updated"]], ["code"]))
    results["update"]["ids"] = results["update"]["ids"] + [sorted(after)]
    writes = [
        ("create", lambda i: sg.create("Shot", shot_data(100000 + i, project, sequences)), False),
        ("update", lambda i: update(100000 + i), False),
    ]
    profile_text = profile_queries(sg, queries[:-1] + writes) if config.get("profile") else None
    h.report({"results": results, "rss_site_mb": (rss_built - rss_start) / 1e6, "profile": profile_text})


def work_per_call(call: Callable[[int], Any], start: int, count: int) -> dict[str, float]:
    """Bytecodes executed and Python functions entered per call, over ``count`` calls.

    Unlike a clock, these counts do not move with the machine: the same code
    gives the same figures run after run.
    """
    opcodes = calls = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal opcodes, calls
        if event == "opcode":
            opcodes += 1
        elif event == "call":
            calls += 1
            frame.f_trace_opcodes = True
        return trace

    sys.settrace(trace)
    try:
        for i in range(start, start + count):
            call(i)
    finally:
        sys.settrace(None)
    return {"opcodes": opcodes / count, "calls": calls / count}


def profile_queries(sg: Any, queries: list) -> str:
    import cProfile
    import io
    import pstats

    out = io.StringIO()
    for name, call, _ in queries:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(200 if name in ("create", "update") else 20):
            call(i)
        profiler.disable()
        out.write("---- %s (%d calls)\n" % (name, 200 if name in ("create", "update") else 20))
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(8)
        stats.sort_stats("cumulative").print_stats(12)
    return out.getvalue()


def memory_worker(config: dict[str, Any]) -> None:
    import gc

    sg = open_mockgun(config)
    gc.collect()
    before = h.current_rss_bytes()
    t0 = time.perf_counter()
    build_site(sg, config["shots"])
    elapsed = time.perf_counter() - t0
    gc.collect()
    after = h.current_rss_bytes()
    h.report({"shots": config["shots"], "rss_growth_mb": (after - before) / 1e6,
              "bytes_per_shot": (after - before) / config["shots"], "build_s": elapsed,
              "peak_rss_mb": h.peak_rss_bytes() / 1e6})


# ---------------------------------------------------------------- orchestrator side

def schema_files(folder: Path, ours_format: str = "json") -> dict[str, dict[str, str]]:
    """Schema paths per side: JSON for ours (or the pickles), pickles of the same data for the reference."""
    schema_json = SCHEMA_DIR / "schema.json"
    entity_json = SCHEMA_DIR / "schema_entity.json"
    pickles = {}
    for name, source in (("schema_path", schema_json), ("schema_entity_path", entity_json)):
        target = folder / (source.stem + ".pickle")
        with open(source, encoding="utf-8") as handle, open(target, "wb") as out:
            pickle.dump(json.load(handle), out, protocol=2)
        pickles[name] = str(target)
    ours = {"schema_path": str(schema_json), "schema_entity_path": str(entity_json)}
    return {"ours": pickles if ours_format == "pickle" else ours, "reference": pickles}


def compare_ids(name: str, ours: dict[str, Any], ref: dict[str, Any]) -> str:
    if ours["ordered"]:
        same = ours["ids"] == ref["ids"]
        return "same ids, same order" if same else "DIFFERENT: ours %s / reference %s" % (
            short(ours["ids"]), short(ref["ids"]))
    ours_sets = [sorted(ids) for ids in ours["ids"]]
    ref_sets = [sorted(ids) for ids in ref["ids"]]
    if ours_sets != ref_sets:
        return "DIFFERENT: ours %s / reference %s" % (short(ours["ids"]), short(ref["ids"]))
    order = "same order" if ours["ids"] == ref["ids"] else "order differs (not defined)"
    return "same ids (%s)" % order


def short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) < 160 else text[:157] + "..."


ROUNDS = 8
# Operations whose work per call is also counted, and over how many calls.
WORK_COUNTED = ("create", "update")
WORK_CALLS = 200


def interleaved_times(configs: dict[str, dict], budget: float, max_calls: int) -> tuple[dict, dict]:
    """Both workers' results, with every timed operation measured in alternating rounds.

    Each side builds its site in its own process; then the rounds of an
    operation alternate between the sides (the first side alternating too),
    so a machine whose speed drifts (a shared VM's often does, by tens of
    percent within a minute) slows both sides alike instead of one.
    ``spreads`` holds the lowest and highest per-round ratio of each operation.
    """
    workers = {side: h.InteractiveWorker(side, Path(__file__), config) for side, config in configs.items()}
    results: dict[str, Any] = {}
    spreads: dict[str, tuple[float, float]] = {}
    work: dict[str, dict[str, dict[str, float]]] = {}
    try:
        live = {side: worker for side, worker in workers.items() if worker.wait_ready()}
        names = [name for name, _ in OPERATIONS if name != "create"]
        times: dict[str, dict[str, list[float]]] = {side: {name: [] for name in names} for side in live}
        for name in names:
            round_ratios = []
            for round_index in range(ROUNDS):
                sides = sorted(live) if round_index % 2 == 0 else sorted(live, reverse=True)
                medians = {}
                for side in sides:
                    answer = live[side].command({"op": name, "start": len(times[side][name]) + 3,
                                                 "count": max(1, max_calls // ROUNDS),
                                                 "budget": budget / ROUNDS if name != "update" else 1e9})
                    if answer is None:
                        del live[side]
                        continue
                    times[side][name].extend(answer["times"])
                    medians[side] = h.median(answer["times"])
                if "ours" in medians and "reference" in medians:
                    round_ratios.append(medians["ours"] / medians["reference"])
            if round_ratios:
                spreads[name] = (min(round_ratios), max(round_ratios))
        for name in WORK_COUNTED:
            for side in sorted(live):
                answer = live[side].command({"op": "count", "name": name, "start": 300000, "count": WORK_CALLS})
                if answer is not None:
                    work.setdefault(name, {})[side] = answer
        for side, worker in workers.items():
            final = worker.finish() if side in live else None
            if final is not None:
                for name in names:
                    final["results"][name].update(times=[h.median(times[side][name])], calls=len(times[side][name]))
            results[side] = final
    finally:
        for worker in workers.values():
            worker.kill()
    return results, spreads, work


def run(quick: bool, memory: bool, profile: bool, shots: int | None, ours_schema: str = "json") -> list[str]:
    shots = shots or (2000 if quick else 20000)
    budget = 0.3 if quick else 2.0
    max_calls = 50 if quick else 2000
    tables = []
    with tempfile.TemporaryDirectory(prefix="bench-mockgun-") as folder:
        paths = schema_files(Path(folder), ours_schema)
        configs = {side: dict(paths[side], shots=shots, profile=profile and side == "ours")
                   for side in ("reference", "ours")}
        results, spreads, work = interleaved_times(configs, budget, max_calls)
        ours, ref = results["ours"], results["reference"]
        rows, checks = [], []
        for name, target in OPERATIONS:
            o = ours["results"][name] if ours else None
            r = ref["results"][name] if ref else None
            row = h.comparison_row(name, 1000 * o["times"][0] if o else None, 1000 * r["times"][0] if r else None,
                                   "ms", target)
            row.insert(3, "%s/%s" % (o["calls"] if o else "-", r["calls"] if r else "-"))
            rows.append(row)
            if o and r:
                checks.append("CHECK %-42s %s" % (name + ":", compare_ids(name, o, r)))
        headers = list(h.COMPARISON_HEADERS)
        headers.insert(3, "calls o/r")
        tables.append(h.print_table("mockgun, %d Shots in %d Sequences (median CPU time per call)" % (shots, SEQUENCES),
                                    headers, rows))
        print("\n".join(checks) + "\n")
        for name, (low, high) in spreads.items():
            if name == "update" or name == "find_one by id":
                print("per-round ratio of %s: %.3f to %.3f over %d rounds" % (name, low, high, ROUNDS))
        print()
        work_rows = []
        for name, sides in work.items():
            o, r = sides.get("ours"), sides.get("reference")
            work_rows.append(h.comparison_row(name + ", bytecodes executed", o and o["opcodes"],
                                              r and r["opcodes"], "", None))
            work_rows.append(h.comparison_row(name + ", Python calls", o and o["calls"], r and r["calls"], "", None))
        if work_rows:
            tables.append(h.print_table("mockgun, work per call over %d calls (the same from run to run)" % WORK_CALLS,
                                        list(h.COMPARISON_HEADERS), work_rows))
        if ours and ref:
            print("RSS growth while building the site: ours %.1f MB, reference %.1f MB\n"
                  % (ours["rss_site_mb"], ref["rss_site_mb"]))
        if ours and ours.get("profile"):
            print("cProfile of our queries:\n" + ours["profile"])
        # What a rig pays per test: building a mockgun, and a small set-up (mockgun_setup.py).
        tables.extend(mockgun_setup.run(quick))
        if memory:
            big = 10000 if quick else 100000
            mem = h.try_worker("ours", Path(__file__), dict(paths["ours"], mode="memory", shots=big))
            if mem:
                tables.append(h.print_table("our mockgun's memory for %d Shots" % big, ["measure", "value"], [
                    ["RSS growth", h.fmt(mem["rss_growth_mb"], "MB")],
                    ["per Shot", "%.0f bytes" % mem["bytes_per_shot"]],
                    ["peak RSS of the process", h.fmt(mem["peak_rss_mb"], "MB")],
                    ["time to create them", h.fmt(mem["build_s"], "s")],
                ]))
    return tables


def main(argv: list[str]) -> int:
    config = h.worker_config(argv)
    if config is not None:
        worker(config)
        return 0
    parser = argparse.ArgumentParser(description="mockgun benchmark, ours against the reference mockgun")
    parser.add_argument("--quick", action="store_true", help="small smoke size (2,000 Shots, 10,000 for memory)")
    parser.add_argument("--shots", type=int, help="number of Shots of the compared site")
    parser.add_argument("--no-memory", action="store_true", help="skip the 100,000-Shot memory run")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of our queries")
    parser.add_argument("--ours-schema", choices=("json", "pickle"), default="json",
                        help="schema files our mockgun loads (default: the JSON copy)")
    args = parser.parse_args(argv[1:])
    run(args.quick, not args.no_memory, args.profile, args.shots, args.ours_schema)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
