"""Fixtures every test folder may use."""
from __future__ import annotations

import pytest

from tests.support.running_site import running_local_site


@pytest.fixture
def local_site():
    """An in-memory local site served over HTTP on 127.0.0.1 for one test (``tests/support/running_site.py``)."""
    with running_local_site() as running:
        yield running
