"""Benchmark part: what a test rig pays per test, ours against the reference mockgun.

Rigs build a fresh mockgun per test (a framework suite builds about 1,200),
so two costs are measured in each side's own process, on the same schema
pickles: building one (``Shotgun(url, script, key)``) and a small per-test
set-up (build, a Project, 10 Shots, 10 Tasks linked to them, a find, an
update). Both run on the shipped site schema (77 types, 1,035 fields) and on
a generated larger one (100 types, about 1,700 fields), as rigs of big
studios carry. Times are CPU times (``time.process_time``); the two sides
run in alternating rounds so a drift of the machine falls on both.

Run through ``bench_mockgun.py`` (its "per-test cost" table), or alone:
``python benchmarks/mockgun_setup.py``.
"""
from __future__ import annotations

import copy
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import _harness as h

SCHEMA_DIR = h.REPO_ROOT / "shotgun_api3" / "data"
ROUNDS = 5
TARGET = 1.0


def shipped_schema() -> tuple[dict, dict]:
    with open(SCHEMA_DIR / "schema.json", encoding="utf-8") as fields, \
            open(SCHEMA_DIR / "schema_entity.json", encoding="utf-8") as entities:
        return json.load(fields), json.load(entities)


def larger_schema(types: int = 100, fields: int = 1700) -> tuple[dict, dict]:
    """The shipped schema grown to ``types`` entity types and about ``fields`` fields, deterministically.

    New types copy the shape of ``CustomEntity01``; new ``sg_`` text, number,
    status and link fields are spread over every type, as a studio's
    custom fields are.
    """
    schema, entities = shipped_schema()
    template = schema["CustomEntity01"]
    number = 6
    while len(schema) < types:
        name = "CustomEntity%02d" % number
        number += 1
        if name in schema:
            continue
        schema[name] = {field: _retyped(definition, name) for field, definition in copy.deepcopy(template).items()}
        entities[name] = {"name": {"editable": False, "value": "Custom Entity%02d" % (number - 1)}}
    kinds = [("text", None), ("number", None), ("status_list", "wtg"), ("entity", None)]
    names = sorted(schema)
    index = 0
    while sum(len(definitions) for definitions in schema.values()) < fields:
        entity_type = names[index % len(names)]
        data_type, default = kinds[index % len(kinds)]
        field = "sg_studio_field_%04d" % index
        definition = copy.deepcopy(schema["Shot"]["code"])
        definition["data_type"]["value"] = data_type
        definition["entity_type"]["value"] = entity_type
        definition["name"]["value"] = "Studio Field %d" % index
        definition["properties"] = {"default_value": {"editable": False, "value": default},
                                    "summary_default": {"editable": True, "value": "none"}}
        if data_type == "status_list":
            definition["properties"]["valid_values"] = {"editable": True, "value": ["wtg", "ip", "fin"]}
        if data_type == "entity":
            definition["properties"]["valid_types"] = {"editable": True, "value": ["Shot", "Asset"]}
        schema[entity_type][field] = definition
        index += 1
    return schema, entities


def _retyped(definition: dict, entity_type: str) -> dict:
    definition["entity_type"]["value"] = entity_type
    return definition


def write_pickles(folder: Path, name: str, dicts: tuple[dict, dict]) -> dict[str, str]:
    paths = {}
    for key, data in zip(("schema_path", "schema_entity_path"), dicts):
        path = folder / ("%s_%s.pickle" % (name, key))
        with open(path, "wb") as handle:
            pickle.dump(data, handle, protocol=2)
        paths[key] = str(path)
    return paths


# ---------------------------------------------------------------- worker side

def per_test_setup(mockgun: Any) -> None:
    sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    project = sg.create("Project", {"name": "Per-test project"})
    shots = [sg.create("Shot", {"code": "sh%02d0" % n, "project": project}) for n in range(10)]
    for n, shot in enumerate(shots):
        sg.create("Task", {"content": "task %d" % n, "entity": {"type": "Shot", "id": shot["id"]},
                           "project": project})
    sg.find("Shot", [["project", "is", project]], ["code"])
    sg.update("Shot", shots[0]["id"], {"description": "updated"})


def worker(config: dict[str, Any]) -> None:
    from shotgun_api3.lib import mockgun

    mockgun.Shotgun.set_schema_paths(config["schema_path"], config["schema_entity_path"])
    mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")  # the schema is read once, as in a suite
    per_test_setup(mockgun)
    calls = {"construction": lambda i: mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key"),
             "per-test set-up": lambda i: per_test_setup(mockgun)}
    h.report({"ready": True})
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "done":
            break
        times = h.time_calls(calls[command["op"]], 5, command["count"], command["budget"], clock=time.process_time)
        h.report({"times": times})


# ---------------------------------------------------------------- orchestrator side

def measure(paths: dict[str, str], quick: bool) -> dict[str, dict[str, float]]:
    """``{operation: {side: median seconds}}``, both sides timed in alternating rounds."""
    workers = {side: h.InteractiveWorker(side, Path(__file__), dict(paths)) for side in h.SIDES}
    try:
        for side, worker_process in workers.items():
            if not worker_process.wait_ready():
                raise RuntimeError("the %s worker did not start" % side)
        medians: dict[str, dict[str, list[float]]] = {}
        budget = 0.1 if quick else 0.5
        for _ in range(2 if quick else ROUNDS):
            for operation in ("construction", "per-test set-up"):
                for side in h.SIDES:
                    answer = workers[side].command({"op": operation, "count": 5000, "budget": budget})
                    if answer is None:
                        raise RuntimeError("the %s worker died" % side)
                    medians.setdefault(operation, {}).setdefault(side, []).append(h.median(answer["times"]))
        return {operation: {side: h.median(values) for side, values in sides.items()}
                for operation, sides in medians.items()}
    finally:
        for worker_process in workers.values():
            worker_process.kill()


def run(quick: bool = False) -> list[str]:
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-mockgun-setup-") as folder:
        schemas = {"shipped schema (77 types, 1,035 fields)": shipped_schema(),
                   "larger schema (100 types, %d fields)": larger_schema()}
        for label, dicts in schemas.items():
            if "%d" in label:
                label = label % sum(len(definitions) for definitions in dicts[0].values())
            paths = write_pickles(Path(folder), str(len(rows)), dicts)
            for operation, sides in measure(paths, quick).items():
                rows.append(h.comparison_row("%s, %s" % (operation, label), 1000 * sides["ours"],
                                             1000 * sides["reference"], "ms", TARGET))
    return [h.print_table("mockgun, what a rig pays per test (median CPU time)", list(h.COMPARISON_HEADERS), rows)]


def main(argv: list[str]) -> int:
    config = h.worker_config(argv)
    if config is not None:
        worker(config)
        return 0
    run("--quick" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
