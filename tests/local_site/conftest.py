"""Fixtures of the local site tests: the suite's running site (``tests/conftest.py``) and a client of it."""
from __future__ import annotations

import pytest

from tests.support.running_site import LOGIN, PASSWORD, SCRIPT, SUDO_SCRIPT  # noqa: F401 - used by the tests


@pytest.fixture
def sg(local_site):
    """Our client, authenticated as a script, against ``local_site``."""
    client = local_site.client()
    yield client
    client.close()
