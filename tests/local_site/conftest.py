"""Fixtures: a real local site on 127.0.0.1 and an ephemeral port, started and stopped per test."""
from __future__ import annotations

import pytest

from shotgun_api3.local_site.server import LocalSiteServer

SCRIPT = "e2e_script"
SUDO_SCRIPT = "e2e_sudo_script"
LOGIN = "ada"
PASSWORD = "correct horse battery staple"


class RunningSite:
    """A started site with the credentials the tests use."""

    def __init__(self, site, server: LocalSiteServer, keys: dict) -> None:
        self.site = site
        self.server = server
        self.url = server.url
        self.keys = keys
        self.user = None

    def client(self, **credentials):
        """Our Shotgun client against this site; script auth unless other credentials are given."""
        import shotgun_api3

        if not credentials:
            credentials = {"script_name": SCRIPT, "api_key": self.keys[SCRIPT]}
        return shotgun_api3.Shotgun(self.url, **credentials)


def start_site(site) -> RunningSite:
    keys = {}
    _, keys[SCRIPT] = site.add_script(SCRIPT)
    _, keys[SUDO_SCRIPT] = site.add_script(SUDO_SCRIPT, can_sudo=True)
    user, _ = site.add_user(LOGIN, PASSWORD, name="Ada Lovelace")
    server = LocalSiteServer(site).start()
    running = RunningSite(site, server, keys)
    running.user = user
    return running


@pytest.fixture
def local_site():
    """An in-memory site served over HTTP for one test."""
    from shotgun_api3.local_site.site import Site

    site = Site.in_memory()
    running = start_site(site)
    yield running
    running.server.stop()
    site.close()


@pytest.fixture
def sg(local_site):
    """Our client, authenticated as a script, against ``local_site``."""
    client = local_site.client()
    yield client
    client.close()
