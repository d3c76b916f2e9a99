"""Run the same cases on the reference mockgun (in its venv) and on ours, and return both reports.

The runner (``mockgun_scenario.py``) runs standalone in the reference venv
and in process here; ``kind`` is ``"scenarios"`` (steps of calls) or
``"scripts"`` (rig code).
"""
from __future__ import annotations

import json
from typing import Any, Dict, Sequence, Tuple

import pytest

from shotgun_api3 import ShotgunError
from shotgun_api3.lib import mockgun
from tests.support import mockgun_scenario
from tests.support.reference_venv import run_reference
from tests.support.schema_paths import mockgun_schema_paths


def as_record(step: Dict[str, Any], answer: Dict[str, Any]) -> Dict[str, Any]:
    """An answer of ``update`` as the record: the reference answers a one-item list where ours (and a site) answer the record."""
    result = answer.get("result")
    if step["call"] == "update" and isinstance(result, list) and len(result) == 1:
        return {"result": result[0]}
    return answer


def reports_of_both(cases: Dict[str, Any], schema_paths: Sequence[str], kind: str = "scenarios") -> Tuple[dict, dict]:
    """``(ours, reference)``: ``{case name: report}`` from each mockgun, both through JSON."""
    request = {"schema_paths": list(schema_paths), kind: cases}
    with open(mockgun_scenario.__file__, encoding="utf-8") as handle:
        theirs = json.loads(run_reference(handle.read(), input_text=json.dumps(request)))
    run = mockgun_scenario.RUNNERS[kind]
    with mockgun_schema_paths(schema_paths):
        ours = {name: run(mockgun.Shotgun, case, ShotgunError) for name, case in cases.items()}
    return json.loads(json.dumps(ours)), theirs


def reports_fixture(cases: Dict[str, Any], kind: str = "scenarios") -> Any:
    """A module-scoped fixture ``reports``: ``(ours, reference)`` of ``cases`` on the reference's schema pickles."""

    @pytest.fixture(scope="module")
    def reports(pickle_schema_paths):
        return reports_of_both(cases, pickle_schema_paths, kind)

    return reports
