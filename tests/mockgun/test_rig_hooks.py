"""Rig code written against the reference mockgun sees the same thing with ours, in the default mode.

Each script of ``rig_scripts.py`` patches or calls the reference's helpers,
relies on its call graph or on its answers as stored; it runs on the
reference mockgun (its own venv) and on ours, and what each observed must
be identical: values, key sets, link dicts, order, call arguments, errors.
"""
import json

import pytest

from shotgun_api3 import ShotgunError
from shotgun_api3.lib import mockgun
from tests.mockgun.rig_scripts import SCRIPTS
from tests.support import mockgun_rig
from tests.support.reference_venv import run_reference
from tests.support.schema_paths import mockgun_schema_paths

pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def reports(pickle_schema_paths):
    request = {"schema_paths": list(pickle_schema_paths), "scripts": SCRIPTS}
    with open(mockgun_rig.__file__, encoding="utf-8") as handle:
        theirs = json.loads(run_reference(handle.read(), input_text=json.dumps(request)))
    with mockgun_schema_paths(pickle_schema_paths):
        ours = {name: mockgun_rig.run_script(mockgun.Shotgun, source, ShotgunError)
                for name, source in SCRIPTS.items()}
    return json.loads(json.dumps(ours)), theirs


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_a_rig_observes_what_it_observes_with_the_reference(reports, name):
    ours, theirs = reports
    assert ours[name] == theirs[name]
