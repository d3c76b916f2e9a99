"""Our mockgun answers the queries the reference mockgun supports the way the reference does.

The same scenarios (``scenarios.py``) run on the reference release in its
own venv and on ours; answers must match after removing what the reference
leaves out and a site adds (``name``/``valid`` on links). Deliberate
differences, where the reference is wrong by site semantics, are pinned in
``test_reference_differences.py``.
"""
import json

import pytest

from shotgun_api3 import ShotgunError
from shotgun_api3.lib import mockgun
from tests.mockgun.scenarios import SCENARIOS
from tests.support import mockgun_scenario
from tests.support.reference_venv import run_reference
from tests.support.schema_paths import mockgun_schema_paths

pytestmark = pytest.mark.reference


def _without_link_extras(value):
    """Drop the keys a site adds to links (``name``, ``valid``), which the reference omits."""
    if isinstance(value, dict):
        if {"type", "id"} <= set(value) and not (set(value) - {"type", "id", "name", "valid"}):
            return {"type": value["type"], "id": value["id"]}
        return {key: _without_link_extras(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_link_extras(item) for item in value]
    return value


def _comparable(step, answer):
    answer = _without_link_extras(answer)
    result = answer.get("result")
    # The reference answers update() with a one-element list, a site with the
    # record (pinned in test_reference_differences.py).
    if step["call"] == "update" and isinstance(result, list) and len(result) == 1:
        answer = {"result": result[0]}
    return answer


@pytest.fixture(scope="module")
def reference_report(pickle_schema_paths):
    request = {"schema_paths": list(pickle_schema_paths), "scenarios": SCENARIOS}
    with open(mockgun_scenario.__file__, encoding="utf-8") as handle:
        script = handle.read()
    return json.loads(run_reference(script, input_text=json.dumps(request)))


@pytest.fixture(scope="module")
def our_report(pickle_schema_paths):
    with mockgun_schema_paths(pickle_schema_paths):
        report = {name: mockgun_scenario.run_steps(mockgun.Shotgun, steps, ShotgunError)
                  for name, steps in SCENARIOS.items()}
    # Through JSON, as the reference's report travels, so both have the same shapes.
    return json.loads(json.dumps(report))


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_scenario_answers_match_the_reference_mockgun(scenario, reference_report, our_report):
    steps = SCENARIOS[scenario]
    mismatches = []
    for index, (step, ours, theirs) in enumerate(zip(steps, our_report[scenario], reference_report[scenario])):
        ours, theirs = _comparable(step, ours), _comparable(step, theirs)
        if ours != theirs:
            mismatches.append("step %d %s%r\n  ours:      %s\n  reference: %s" % (
                index, step["call"], tuple(step["args"]), json.dumps(ours)[:400], json.dumps(theirs)[:400]))
    assert not mismatches, "\n".join(mismatches)
