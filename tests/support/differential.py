"""Run the same cases on the reference mockgun (in its venv) and on ours, and return both reports.

A runner module (``mockgun_scenario``, ``mockgun_rig``) runs standalone in
the reference venv and in process here; it names the request key its
``main`` reads (``REQUEST_KEY``) and runs one case with ``run_case``.
"""
from __future__ import annotations

import json
from types import ModuleType
from typing import Any, Dict, Sequence, Tuple

from shotgun_api3 import ShotgunError
from shotgun_api3.lib import mockgun
from tests.support.reference_venv import run_reference
from tests.support.schema_paths import mockgun_schema_paths


def reports_of_both(runner: ModuleType, cases: Dict[str, Any], schema_paths: Sequence[str]) -> Tuple[dict, dict]:
    """``(ours, reference)``: ``{case name: report}`` from each mockgun, both through JSON."""
    request = {"schema_paths": list(schema_paths), runner.REQUEST_KEY: cases}
    with open(runner.__file__, encoding="utf-8") as handle:
        theirs = json.loads(run_reference(handle.read(), input_text=json.dumps(request)))
    with mockgun_schema_paths(schema_paths):
        ours = {name: runner.run_case(mockgun.Shotgun, case, ShotgunError) for name, case in cases.items()}
    return json.loads(json.dumps(ours)), theirs
