"""The one running local site of the test suite: a real server on 127.0.0.1 and an ephemeral port.

``running_local_site()`` starts an in-memory site (or the ``site`` given) with
two scripts and a human user, serves it, and stops and closes everything on
exit. The ``local_site`` fixture (``tests/conftest.py``) wraps it for one
test; every test folder uses this one.
"""
from __future__ import annotations

import contextlib
from typing import Any, Dict, Iterator, Optional

SCRIPT = "e2e_script"
SUDO_SCRIPT = "e2e_sudo_script"
LOGIN = "ada"
PASSWORD = "correct horse battery staple"


class RunningSite:
    """A started site, its server, the script keys and the human user the tests use."""

    def __init__(self, site: Any, server: Any, keys: Dict[str, str], user: Any) -> None:
        self.site = site
        self.server = server
        self.url = server.url
        self.keys = keys
        self.user = user

    @property
    def key(self) -> str:
        """The key of :data:`SCRIPT`."""
        return self.keys[SCRIPT]

    def client(self, direct_uploads: Optional[bool] = None, **credentials: Any) -> Any:
        """Our ``Shotgun`` against this site; script auth unless other credentials are given.

        ``direct_uploads`` makes the site announce (or not) direct-to-storage uploads.
        """
        import shotgun_api3

        if direct_uploads is not None:
            self.site.server_info["s3_direct_uploads_enabled"] = direct_uploads
            self.site.server_info["s3_enabled_upload_types"] = {"*": "*"} if direct_uploads else {}
        if not credentials:
            credentials = {"script_name": SCRIPT, "api_key": self.keys[SCRIPT]}
        return shotgun_api3.Shotgun(self.url, **credentials)

    def stored_names(self) -> list:
        """The names of the files the site's file store holds."""
        return sorted(p.name for p in self.site.file_store.folder.iterdir() if not p.name.startswith("."))


@contextlib.contextmanager
def running_local_site(site: Any = None, running_class: type = RunningSite,
                       **server_options: Any) -> Iterator[RunningSite]:
    """A served site for the duration of the block (an in-memory one unless ``site`` is given).

    ``running_class`` (a :class:`RunningSite` subclass) lets a test folder add
    its own helpers; ``server_options`` go to ``LocalSiteServer``.
    """
    from shotgun_api3.local_site.server import LocalSiteServer
    from shotgun_api3.local_site.site import Site

    owned = site is None
    site = Site.in_memory() if owned else site
    keys = {}
    _, keys[SCRIPT] = site.add_script(SCRIPT)
    _, keys[SUDO_SCRIPT] = site.add_script(SUDO_SCRIPT, can_sudo=True)
    user, _ = site.add_user(LOGIN, PASSWORD, name="Ada Lovelace")
    server = LocalSiteServer(site, **server_options).start()
    try:
        yield running_class(site, server, keys, user)
    finally:
        server.stop()
        if owned:
            site.close()
            if site.file_store is not None:
                site.file_store.close()
