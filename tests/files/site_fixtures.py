"""A real local site on 127.0.0.1 (ephemeral port) for the end-to-end file tests."""
from __future__ import annotations

import contextlib
from typing import Iterator

import shotgun_api3

SCRIPT = "files_e2e"


class FileSite:
    """A started local site, a script key, and helpers to make clients and entities."""

    def __init__(self, site, server, key: str) -> None:
        self.site = site
        self.server = server
        self.url = server.url
        self.key = key

    def client(self, direct_uploads: bool = False) -> shotgun_api3.Shotgun:
        """Our client; ``direct_uploads`` makes the site ask for direct-to-storage uploads."""
        self.site.server_info["s3_direct_uploads_enabled"] = direct_uploads
        self.site.server_info["s3_enabled_upload_types"] = {"*": "*"} if direct_uploads else {}
        client = shotgun_api3.Shotgun(self.url, script_name=SCRIPT, api_key=self.key)
        client.BACKOFF = 0
        return client

    def stored_names(self) -> list:
        return sorted(p.name for p in self.site.file_store.folder.iterdir() if not p.name.startswith("."))


@contextlib.contextmanager
def running_site() -> Iterator[FileSite]:
    from shotgun_api3.local_site.server import LocalSiteServer
    from shotgun_api3.local_site.site import Site

    site = Site.in_memory()
    _, key = site.add_script(SCRIPT)
    server = LocalSiteServer(site).start()
    try:
        yield FileSite(site, server, key)
    finally:
        server.stop()
        site.close()
        if site.file_store is not None:
            site.file_store.close()
