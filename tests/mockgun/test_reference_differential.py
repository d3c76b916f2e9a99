"""Our mockgun answers the queries the reference mockgun supports the way the reference does.

The same scenarios (``scenarios.py``) run on the reference release in its
own venv and on ours; whole answers must match, link dicts included. Deliberate
differences, where the reference is wrong by site semantics, are pinned in
``test_reference_differences.py``.
"""
import json

import pytest

from tests.mockgun.scenarios import SCENARIOS
from tests.support.differential import as_record, reports_fixture

pytestmark = pytest.mark.reference


reports = reports_fixture(SCENARIOS)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_scenario_answers_match_the_reference_mockgun(scenario, reports):
    our_report, reference_report = reports
    steps = SCENARIOS[scenario]
    mismatches = []
    for index, (step, ours, theirs) in enumerate(zip(steps, our_report[scenario], reference_report[scenario])):
        ours, theirs = as_record(step, ours), as_record(step, theirs)
        if ours != theirs:
            mismatches.append("step %d %s%r\n  ours:      %s\n  reference: %s" % (
                index, step["call"], tuple(step["args"]), json.dumps(ours)[:400], json.dumps(theirs)[:400]))
    assert not mismatches, "\n".join(mismatches)
