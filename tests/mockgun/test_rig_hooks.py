"""Rig code written against the reference mockgun sees the same thing with ours, in the default mode.

Each script of ``rig_scripts.py`` (run by ``tests/support/mockgun_scenario.py``) patches or calls the reference's helpers,
relies on its call graph or on its answers as stored; it runs on the
reference mockgun (its own venv) and on ours, and what each observed must
be identical: values, key sets, link dicts, order, call arguments, errors.
"""

import pytest

from tests.mockgun.rig_scripts import SCRIPTS
from tests.support.differential import reports_fixture

pytestmark = pytest.mark.reference


reports = reports_fixture(SCRIPTS, "scripts")


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_a_rig_observes_what_it_observes_with_the_reference(reports, name):
    ours, theirs = reports
    assert ours[name] == theirs[name]
