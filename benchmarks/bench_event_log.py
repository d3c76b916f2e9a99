"""What the event log costs a mockgun ``update``: deferred rows, eager rows, none.

One process, one site of Shots, the same update as ``bench_mockgun.py``
(a status and a description), timed in alternating rounds of each variant:

- ``deferred``: as shipped, change events of plain values are rows built on
  first read (``shotgun_api3/_engine/deferred_row.py``);
- ``eager``: every event row built at the write (what the engine does for
  links and lists);
- ``no events``: the event log switched off, the floor of the rest of update.

Alternating rounds in one process keep a shared machine's drifts out of the
comparison, which the cross-process reference benchmark cannot. Run it with
the interpreter that has our package: ``.venv/bin/python
benchmarks/bench_event_log.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shotgun_api3._engine import event_log  # noqa: E402
from shotgun_api3.lib import mockgun  # noqa: E402

STATUSES = ("ip", "fin", "wtg", "hld")


def build_site(shots: int) -> Callable[[int], object]:
    """A mockgun site of ``shots`` Shots in 50 Sequences, and its update operation."""
    data = Path(mockgun.__file__).resolve().parents[2] / "data"
    mockgun.Shotgun.set_schema_paths(str(data / "schema.json"), str(data / "schema_entity.json"))
    sg = mockgun.Shotgun("https://bench.example.com", "bench", "key")
    project = sg.create("Project", {"name": "Bench"})
    sequences = [sg.create("Sequence", {"code": "SQ%03d" % n, "project": project}) for n in range(50)]
    ids = [sg.create("Shot", {"code": "SH%05d" % n, "project": project, "sg_sequence": sequences[n % 50],
                              "sg_status_list": STATUSES[n % 4], "description": "Shot %d" % n})["id"]
           for n in range(shots)]

    def update(i: int) -> object:
        return sg.update("Shot", ids[(i * 7) % len(ids)],
                         {"sg_status_list": STATUSES[i % 4], "description": "updated %d" % i})

    return update


def variants() -> Dict[str, Callable[[], Callable[[], None]]]:
    """Each variant switches itself on and returns how to switch back."""
    def deferred() -> Callable[[], None]:
        return lambda: None

    def eager() -> Callable[[], None]:
        fixed = event_log._FIXED_TYPES
        event_log._FIXED_TYPES = frozenset()  # no value qualifies for a deferred row
        return lambda: setattr(event_log, "_FIXED_TYPES", fixed)

    def no_events() -> Callable[[], None]:
        log_changes = event_log.EventLogWriter._log_changes
        event_log.EventLogWriter._log_changes = lambda *args, **kwargs: None
        return lambda: setattr(event_log.EventLogWriter, "_log_changes", log_changes)

    return {"deferred": deferred, "eager": eager, "no events": no_events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=300, help="updates per round")
    args = parser.parse_args()
    update = build_site(args.shots)
    switches = variants()
    names = list(switches)
    medians: Dict[str, List[float]] = {name: [] for name in names}
    call = 0
    for round_index in range(args.rounds):
        for name in names if round_index % 2 else names[::-1]:
            restore = switches[name]()
            times = []
            try:
                for _ in range(args.calls):
                    start = time.perf_counter()
                    update(call)
                    times.append(time.perf_counter() - start)
                    call += 1
            finally:
                restore()
            medians[name].append(statistics.median(times) * 1e6)
    print("mockgun update of 2 fields, %d Shots, %d rounds of %d calls (median per call)"
          % (args.shots, args.rounds, args.calls))
    for name in names:
        print("  %-10s %6.1f us" % (name, statistics.median(medians[name])))
    ratios = [d / e for d, e in zip(medians["deferred"], medians["eager"])]
    print("  deferred/eager per round: median %.2f (%.2f to %.2f)"
          % (statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
