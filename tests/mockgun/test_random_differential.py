"""Seeded writes and reads through the reference mockgun and ours: whole answers, shapes included.

Eight scenarios of about sixty calls each (``random_scenarios.py``):
creates with links, multi-entity fields and url dicts, updates in every
multi-entity mode, retirements, finds with dotted fields, groups and
orders. Wherever the reference answers, ours must answer the same value,
with the same keys, the same link dicts and the same order; nothing is
stripped first. The only normalisation: the reference's ``update`` answers
a one-item list where ours (and a site) answer the record.
"""
import json

import pytest

from tests.mockgun.random_scenarios import SCENARIOS
from tests.support.differential import as_record, reports_fixture

pytestmark = pytest.mark.reference


reports = reports_fixture(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_seeded_writes_and_reads_answer_as_the_reference(reports, name):
    ours, theirs = reports
    compared = mismatches = 0
    report = []
    for index, step in enumerate(SCENARIOS[name]):
        mine, reference = as_record(step, ours[name][index]), as_record(step, theirs[name][index])
        if "error" in reference:
            continue  # where the reference fails, ours may answer as a site does
        compared += 1
        if mine != reference:
            mismatches += 1
            report.append("step %d %s%s\n  ours:      %s\n  reference: %s" % (
                index, step["call"], json.dumps(step["args"])[:200], json.dumps(mine)[:600],
                json.dumps(reference)[:600]))
    assert not report, "\n".join(report[:5])
    assert compared >= 40
