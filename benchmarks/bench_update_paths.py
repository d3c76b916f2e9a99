"""Where the time of a site-mode mockgun ``update`` goes: the plain path, the general path, events.

The engine's write paths, measured through mockgun with ``site_semantics``
on (the default mode writes ``_db`` as the reference mockgun does and never
reaches the engine). One process, one site of Shots, the same update as ``bench_mockgun.py``
(a status and a description), timed in alternating rounds of each variant:

- ``plain``: as shipped, the update takes the plain path
  (``shotgun_api3/_engine/write/plain_update.py``); its change events are rows
  built on first read (``DeferredRow``);
- ``general``: the plain path switched off: a call, a transaction and its
  undo log, the same change events;
- ``eager``: the general path with every event row built at the write (what
  the engine does for links and lists);
- ``no events``: the general path with the event log switched off.

Alternating rounds in one process keep a shared machine's drifts out of the
comparison, which the cross-process reference benchmark cannot. Run it with
the interpreter that has our package: ``.venv/bin/python
benchmarks/bench_update_paths.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shotgun_api3._engine import engine  # noqa: E402
from shotgun_api3._engine.write import event_log  # noqa: E402
from shotgun_api3.lib import mockgun  # noqa: E402

STATUSES = ("ip", "fin", "wtg", "hld")


def build_site(shots: int) -> Tuple[Any, Callable[[int], object]]:
    """A mockgun site of ``shots`` Shots in 50 Sequences, and its update operation."""
    data = Path(mockgun.__file__).resolve().parents[2] / "data"
    mockgun.Shotgun.set_schema_paths(str(data / "schema.json"), str(data / "schema_entity.json"))
    mockgun.Shotgun.site_semantics = True
    sg = mockgun.Shotgun("https://bench.example.com", "bench", "key")
    project = sg.create("Project", {"name": "Bench"})
    sequences = [sg.create("Sequence", {"code": "SQ%03d" % n, "project": project}) for n in range(50)]
    ids = [sg.create("Shot", {"code": "SH%05d" % n, "project": project, "sg_sequence": sequences[n % 50],
                              "sg_status_list": STATUSES[n % 4], "description": "Shot %d" % n})["id"]
           for n in range(shots)]

    def update(i: int) -> object:
        return sg.update("Shot", ids[(i * 7) % len(ids)],
                         {"sg_status_list": STATUSES[i % 4], "description": "updated %d" % i})

    return sg, update


Variant = Callable[[Any, Callable[[int], object]], Tuple[Callable[[int], object], Callable[[], None]]]


def variants() -> Dict[str, Variant]:
    """Each variant switches itself on for a site and its update; it returns the update to time and how to switch back."""
    def switch(owner: object, name: str, value: object) -> Callable[[], None]:
        before = getattr(owner, name)
        setattr(owner, name, value)
        return lambda: setattr(owner, name, before)

    def plain(sg: Any, update: Callable[[int], object]) -> Tuple[Callable[[int], object], Callable[[], None]]:
        return update, lambda: None

    def general(sg: Any, update: Callable[[int], object]) -> Tuple[Callable[[int], object], Callable[[], None]]:
        return update, switch(engine, "plain_update", lambda *args: None)

    def eager(sg: Any, update: Callable[[int], object]) -> Tuple[Callable[[int], object], Callable[[], None]]:
        _, undo_general = general(sg, update)
        undo_fixed = switch(event_log, "FIXED_TYPES", frozenset())
        return update, lambda: (undo_fixed(), undo_general())

    def no_events(sg: Any, update: Callable[[int], object]) -> Tuple[Callable[[int], object], Callable[[], None]]:
        _, undo_general = general(sg, update)
        undo_log = switch(event_log.EventLogWriter, "_log_changes", lambda *args, **kwargs: None)
        return update, lambda: (undo_log(), undo_general())

    return {"plain": plain, "general": general, "eager": eager, "no events": no_events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=300, help="updates per round")
    args = parser.parse_args()
    sg, update = build_site(args.shots)
    switches = variants()
    names = list(switches)
    medians: Dict[str, List[float]] = {name: [] for name in names}
    call = 0
    for round_index in range(args.rounds):
        for name in names if round_index % 2 else names[::-1]:
            timed, restore = switches[name](sg, update)
            times = []
            try:
                for _ in range(args.calls):
                    start = time.perf_counter()
                    timed(call)
                    times.append(time.perf_counter() - start)
                    call += 1
            finally:
                restore()
            medians[name].append(statistics.median(times) * 1e6)
    print("mockgun update of 2 fields, %d Shots, %d rounds of %d calls (median per call)"
          % (args.shots, args.rounds, args.calls))
    for name in names:
        print("  %-12s %6.1f us" % (name, statistics.median(medians[name])))
    ratios = [p / g for p, g in zip(medians["plain"], medians["general"])]
    print("  plain/general per round: median %.2f (%.2f to %.2f)"
          % (statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
