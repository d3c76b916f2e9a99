"""Run every benchmark, ours against the reference, and print all their tables.

    python benchmarks/run_all.py [--quick] [--profile] [--only find,mockgun,local_site,files]

Each benchmark also runs alone (``python benchmarks/bench_<name>.py``). A
benchmark that cannot run (for instance a part of our package that is not
there yet) prints its error and the others still run. The tables are also
written to ``benchmarks/results/latest.txt`` (not versioned).
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from typing import Callable

import _harness as h
import bench_client_find
import bench_files
import bench_local_site
import bench_mockgun

# Each takes (quick, profile). Profiling the local site slows the server it
# measures, so there --profile is left to bench_local_site.py itself.
BENCHMARKS: dict[str, Callable[[bool, bool], list[str]]] = {
    "find": lambda quick, profile: bench_client_find.run(
        quick, None, profile, (bench_client_find.PREFETCH_KNOB, bench_client_find.PREFETCH_VALUE)),
    "mockgun": lambda quick, profile: bench_mockgun.run(quick, True, profile, None),
    "local_site": lambda quick, profile: bench_local_site.run(quick, None, False),
    "files": lambda quick, profile: bench_files.run(quick, None, profile=profile),
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke sizes for every benchmark")
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile summaries (find, mockgun, files)")
    args = parser.parse_args(argv[1:])
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error("unknown benchmark(s): %s" % ", ".join(unknown))

    print("ours: %s\nreference: %s\n" % (h.ours_python(), h.reference_python()))
    tables: list[str] = []
    failed = []
    for name in names:
        print("#### %s%s" % (name, " (quick)" if args.quick else ""))
        started = time.perf_counter()
        try:
            tables.extend(BENCHMARKS[name](args.quick, args.profile))
        except Exception:
            failed.append(name)
            traceback.print_exc()
        print("(%s took %.0f s)\n" % (name, time.perf_counter() - started))

    results = h.BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.txt").write_text("\n".join(tables))
    print("#### summary\n")
    print("\n".join(tables))
    if failed:
        print("benchmarks that could not run: %s" % ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
