"""The suite's running local site (``tests/support/running_site.py``) for the end-to-end file tests."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from tests.support.running_site import SCRIPT, RunningSite, running_local_site  # noqa: F401 - SCRIPT for tests


class FileSite(RunningSite):
    """The running site, whose clients retry file transfers without sleeping between tries."""

    def client(self, direct_uploads: bool = False, **credentials: Any) -> Any:  # type: ignore[override]
        client = super().client(direct_uploads=direct_uploads, **credentials)
        client.BACKOFF = 0
        return client


@contextlib.contextmanager
def running_site() -> Iterator[FileSite]:
    with running_local_site(running_class=FileSite) as running:
        yield running  # type: ignore[misc]
