"""Benchmark: round trips to our local site server (issue 4, item 7).

Starts our local site in its own process (a temporary site folder with its
SQLite store, or ``--in-memory``), seeds 1,000 Shots, then measures, from 1
and from 8 client threads (one ``Shotgun`` per thread, keep-alive
connections), round trips per second and p50/p99 latency of ``find_one`` by
id and of ``create``. Our client runs in ``.venv``, the reference client
(shotgun-api3 3.10.3) in ``.venv-reference``, each in its own process, one
after the other against the same server.

Targets on a 2-core machine, our client, one thread: >= 2,000 ``find_one``/s
and p99 < 5 ms.

    python benchmarks/bench_local_site.py [--quick] [--seconds S] [--in-memory] [--profile]
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h

SEED_SHOTS = 1000
THREAD_COUNTS = (1, 8)
OPERATIONS = ("find_one", "create")
FIND_ONE_RATE_TARGET = 2000.0
FIND_ONE_P99_TARGET_MS = 5.0


# ---------------------------------------------------------------- worker side

def connect(config: dict[str, Any]) -> Any:
    import shotgun_api3

    return shotgun_api3.Shotgun(config["url"], script_name=config["script_name"], api_key=config["api_key"])


def seed(config: dict[str, Any]) -> None:
    sg = connect(config)
    project = sg.create("Project", {"name": "Local site benchmark"})
    project = {"type": "Project", "id": project["id"]}
    ids = [sg.create("Shot", {"code": "SEED%05d" % n, "project": project})["id"] for n in range(SEED_SHOTS)]
    h.report({"project": project, "ids": ids})


def operation(config: dict[str, Any], sg: Any, thread: int) -> Callable[[int], Any]:
    ids, project, side = config["ids"], config["project"], config["side"]
    if config["op"] == "find_one":
        return lambda j: sg.find_one("Shot", [["id", "is", ids[(thread * 7919 + j * 13) % len(ids)]]], ["code"])
    return lambda j: sg.create("Shot", {"code": "%s_t%d_%d" % (side, thread, j), "project": project})


def measure(config: dict[str, Any]) -> None:
    threads = config["threads"]
    clients = [connect(config) for _ in range(threads)]
    calls = [operation(config, clients[k], k) for k in range(threads)]
    latencies: list[list[float]] = [[] for _ in range(threads)]
    finished = [0.0] * threads
    errors: list[str] = []
    start_gate = threading.Barrier(threads + 1)
    duration = config["seconds"]

    def body(k: int) -> None:
        try:
            for j in range(config["warmup"]):
                calls[k](-1 - j)
            start_gate.wait()
            deadline = time.perf_counter() + duration
            own = latencies[k]
            j = 0
            while True:
                t0 = time.perf_counter()
                calls[k](j)
                t1 = time.perf_counter()
                own.append(t1 - t0)
                j += 1
                if t1 >= deadline:
                    break
            finished[k] = time.perf_counter()
        except Exception as error:  # reported to the orchestrator, which prints it
            errors.append("%s: %s" % (type(error).__name__, error))
            start_gate.abort()

    workers = [threading.Thread(target=body, args=(k,)) for k in range(threads)]
    for worker_thread in workers:
        worker_thread.start()
    try:
        start_gate.wait()
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for worker_thread in workers:
        worker_thread.join()
    if errors:
        raise RuntimeError("; ".join(errors[:3]))
    elapsed = max(finished) - started
    every = [t for own in latencies for t in own]
    h.report({"elapsed": elapsed, "latencies": [round(t, 7) for t in every],
              "profile": profile_client(calls[0]) if config.get("profile") else None})


def profile_client(call: Callable[[int], Any], count: int = 1000) -> str:
    """cProfile summary of ``count`` calls on this client (where the client's share of a round trip goes)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for j in range(count):
        call(j)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    return "%d calls from one thread\n%s" % (count, out.getvalue())


def worker(config: dict[str, Any]) -> None:
    if config.get("mode") == "seed":
        seed(config)
    else:
        measure(config)


# ---------------------------------------------------------------- orchestrator side

def merge(total: dict[str, Any] | None, result: dict[str, Any] | None) -> dict[str, Any] | None:
    """Pool the calls of several rounds of one side (``None`` once any round failed)."""
    if total is None or result is None:
        return None
    if not total:
        return dict(result)
    total = dict(total)
    total["latencies"] = total["latencies"] + result["latencies"]
    total["elapsed"] += result["elapsed"]
    total["profile"] = total.get("profile") or result.get("profile")
    return total


def run(quick: bool, seconds: float | None, in_memory: bool, profile: bool = False) -> list[str]:
    seconds = seconds or (1.0 if quick else 6.0)
    rounds = 1 if quick else 2
    warmup = 20 if quick else 200
    options = ["--in-memory"] if in_memory else []
    profile_file = None
    if profile:
        import tempfile
        handle, profile_file = tempfile.mkstemp(prefix="bench-site-profile-", suffix=".txt")
        os.close(handle)
        options += ["--profile", profile_file]
    server, access = h.start_local_site(*options)
    results: dict[tuple[str, int, str], dict[str, Any] | None] = {}
    try:
        seeded = h.try_worker("ours", Path(__file__), dict(access, mode="seed"))
        if seeded is None:
            seeded = h.try_worker("reference", Path(__file__), dict(access, mode="seed"))
        if seeded is None:
            raise RuntimeError("could not seed the local site with either client")
        for op in OPERATIONS:
            for threads in THREAD_COUNTS:
                # Sides alternate in rounds so a busy minute on a shared machine falls on both.
                for n in range(rounds):
                    for side in ("reference", "ours"):
                        result = h.try_worker(side, Path(__file__), dict(
                            access, op=op, threads=threads, seconds=seconds / rounds, warmup=warmup,
                            ids=seeded["ids"], project=seeded["project"],
                            profile=profile and side == "ours" and threads == 1 and n == 0))
                        results[op, threads, side] = merge(results.get((op, threads, side), {}), result)
    finally:
        server.stop()
    if profile_file:
        for op in OPERATIONS:
            ours = results.get((op, 1, "ours"))
            if ours and ours.get("profile"):
                print("cProfile of our client, %s: %s" % (op, ours["profile"]))
        with open(profile_file) as handle:
            print("cProfile of the local site server over the whole run (all threads):\n" + handle.read())
        os.unlink(profile_file)
    store = "in memory" if in_memory else "SQLite site folder"

    def get(op: str, threads: int, side: str, key: str) -> float | None:
        result = results.get((op, threads, side))
        if not result:
            return None
        every = result["latencies"]
        return {"rate": len(every) / result["elapsed"], "p50_ms": 1000 * h.percentile(every, 0.50),
                "p99_ms": 1000 * h.percentile(every, 0.99)}[key]

    rows = []
    for op in OPERATIONS:
        for threads in THREAD_COUNTS:
            label = "%s, %d thread%s" % (op, threads, "s" if threads > 1 else "")
            rate_target = op == "find_one" and threads == 1
            ours_rate = get(op, threads, "ours", "rate")
            rows.append([label + ": round trips/s", h.fmt(ours_rate), h.fmt(get(op, threads, "reference", "rate")),
                         ">= %d" % FIND_ONE_RATE_TARGET if rate_target else "-",
                         h.verdict(ours_rate, FIND_ONE_RATE_TARGET, higher_is_better=True) if rate_target else "-"])
            rows.append([label + ": p50", h.fmt(get(op, threads, "ours", "p50_ms"), "ms"),
                         h.fmt(get(op, threads, "reference", "p50_ms"), "ms"), "-", "-"])
            ours_p99 = get(op, threads, "ours", "p99_ms")
            rows.append([label + ": p99", h.fmt(ours_p99, "ms"), h.fmt(get(op, threads, "reference", "p99_ms"), "ms"),
                         "< %g ms" % FIND_ONE_P99_TARGET_MS if rate_target else "-",
                         ("PASS" if ours_p99 < FIND_ONE_P99_TARGET_MS else "MISS") if rate_target and ours_p99
                         is not None else "-"])
    title = "local site (%s), %.0f s per measure in %d round(s), one Shotgun per thread" % (store, seconds, rounds)
    return [h.print_table(title, ["measure", "ours client", "reference client", "target (ours)", "result"], rows)]


def main(argv: list[str]) -> int:
    config = h.worker_config(argv)
    if config is not None:
        worker(config)
        return 0
    parser = argparse.ArgumentParser(description="local site round-trip benchmark")
    parser.add_argument("--quick", action="store_true", help="1 s per measure instead of 5 s")
    parser.add_argument("--seconds", type=float, help="seconds per measure")
    parser.add_argument("--in-memory", action="store_true", help="serve an in-memory site instead of a site folder")
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile summaries of our client and of the server (slows both down)")
    args = parser.parse_args(argv[1:])
    run(args.quick, args.seconds, args.in_memory, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
