"""Benchmark ``shotgun-local-site import`` from a local site over loopback: records per second and peak memory.

Ours only (the reference has no import). Run with any Python 3.9+; the
measured work runs in the repository's ``.venv``:

    python3 benchmarks/bench_site_import.py              # 20,000 then 100,000 records
    python3 benchmarks/bench_site_import.py --quick      # 2,000 then 10,000

For each size it writes a fixture (1 Project, one Sequence per 100 Shots, the
rest Shots with a code, a status, a description, a sequence link and a
project link), makes a source site folder from it with ``import``, serves it
with ``serve`` in a process of its own, and imports every record over HTTP
into a new site folder with ``import`` in a fresh process. It reports the
wall time, records per second, the import process's peak RSS, the peak RSS
of a process that only opens the imported site (the site's own memory: the
engine keeps every row in memory), and the difference: the import's own
memory, which must not grow with the record count.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import clean_env, ours_python, print_table  # noqa: E402

KEY = "bench-key-0123456789"
SCRIPT = "bench"


def write_source_fixture(path: Path, records: int) -> None:
    from shotgun_api3.lib.site_fixture import write_fixture
    from shotgun_api3.local_site.site import DEFAULT_SCHEMA_DIR, _schema_dicts

    sequences = max(1, records // 100)
    shots = records - 1 - sequences
    stamp = "2024-05-01T09:30:00Z"

    def project():
        yield {"id": 1, "name": "Bench", "created_at": stamp}

    def sequence_records():
        for n in range(1, sequences + 1):
            yield {"id": n, "code": "sq%05d" % n, "project": {"type": "Project", "id": 1}, "created_at": stamp}

    def shot_records():
        for n in range(1, shots + 1):
            yield {"id": n, "code": "sh%07d" % n, "sg_status_list": ("ip", "fin", "wtg")[n % 3],
                   "description": "Shot %d of the benchmark, ünïcødé" % n, "created_at": stamp,
                   "project": {"type": "Project", "id": 1},
                   "sg_sequence": {"type": "Sequence", "id": 1 + (n - 1) % sequences}}

    with open(path, "w", encoding="utf-8") as handle:
        write_fixture(handle, _schema_dicts(DEFAULT_SCHEMA_DIR),
                      [("Project", project()), ("Sequence", sequence_records()), ("Shot", shot_records())])


def cli(python: Path, *argv: str, env: dict) -> None:
    subprocess.run([str(python), "-m", "shotgun_api3.local_site"] + list(argv), check=True, env=env,
                   stdout=subprocess.DEVNULL)


def measured(python: Path, *argv: str, env: dict) -> dict:
    """Run this script's worker in a fresh process; its JSON answer."""
    out = subprocess.run([str(python), __file__, "--worker"] + list(argv), check=True, env=env,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def worker(argv: list) -> int:
    """``fixture PATH N``: write the source fixture; ``import URL DIR``: run the import, report time and peak
    RSS; ``open DIR``: open the site, report its RSS."""
    if argv[0] == "fixture":
        write_source_fixture(Path(argv[1]), int(argv[2]))
        seconds = 0.0
    elif argv[0] == "import":
        from shotgun_api3.local_site.cli import main

        os.environ["SHOTGUN_SCRIPT_NAME"], os.environ["SHOTGUN_API_KEY"] = SCRIPT, KEY
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                code = main(["import", argv[1], "--site", argv[2]])
            finally:
                sys.stdout = stdout
        seconds = time.perf_counter() - started
        assert code == 0, code
    else:
        from shotgun_api3.local_site.site import Site

        site = Site.open(argv[1])
        seconds = 0.0
        count = sum(len(table) for table in site.engine.tables.values())
        site.close()
        assert count > 0
    print(json.dumps({"seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
    return 0


def serve(python: Path, folder: Path, env: dict):
    process = subprocess.Popen([str(python), "-m", "shotgun_api3.local_site", "serve", "--site", str(folder),
                                "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    for line in process.stdout:
        match = re.search(r" at (http://\S+)", line)
        if match:
            return process, match.group(1)
    raise RuntimeError("the source site did not start")


def run_size(python: Path, records: int, work: Path, env: dict) -> list:
    fixture = work / ("source-%d.json" % records)
    measured(python, "fixture", str(fixture), str(records), env=env)
    source = work / ("source-%d" % records)
    cli(python, "import", str(fixture), "--site", str(source), env=env)
    cli(python, "add-script", SCRIPT, "--key", KEY, "--site", str(source), env=env)
    process, url = serve(python, source, env)
    try:
        target = work / ("target-%d" % records)
        result = measured(python, "import", url, str(target), env=env)
    finally:
        process.terminate()
        process.wait(timeout=60)
    alone = measured(python, "open", str(target), env=env)
    mib = 1024 * 1024
    return [records, "%.1f s" % result["seconds"], "%d" % (records / result["seconds"]),
            "%.0f MiB" % (result["peak_rss"] / mib), "%.0f MiB" % (alone["peak_rss"] / mib),
            "%.0f MiB" % ((result["peak_rss"] - alone["peak_rss"]) / mib)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 and 10,000 records")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    python = ours_python()
    env = clean_env()
    sizes = (2000, 10000) if args.quick else (20000, 100000)
    work = Path(tempfile.mkdtemp(prefix="bench-site-import-"))
    try:
        rows = [run_size(python, records, work, env) for records in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table("shotgun-local-site import of a local site over loopback",
                ["records", "wall", "records/s", "import peak RSS", "site opened alone", "import - site"], rows)
    print("import - site: the import process's peak RSS minus that of a process that only opens the imported "
          "site;\nat or below 0, the import holds nothing beyond the site's own rows, at any record count.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
