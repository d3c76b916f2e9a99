"""Fixtures every test folder may use."""
from __future__ import annotations

import pytest

from tests.support.running_site import running_local_site


@pytest.fixture(autouse=True, scope="session")
def _writes_from_json_verified():
    """Every store write of a call from JSON is checked as well: a value that is not plain raises (plain_rows.py)."""
    from shotgun_api3._engine.store.plain_rows import PlainRows

    PlainRows.verify_values_from_json = True
    yield
    PlainRows.verify_values_from_json = False


@pytest.fixture
def local_site():
    """An in-memory local site served over HTTP on 127.0.0.1 for one test (``tests/support/running_site.py``)."""
    with running_local_site() as running:
        yield running
