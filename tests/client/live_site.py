"""Which site the end-to-end live suite runs against: one named by a config file, or an embedded local site.

``SHOTGUN_API_CONFIG=path/to/config`` (a copy of the repository's
``example_config``, filled in) points the suite at any site, hosted or a
local site server; without it, an in-memory local site is started on
127.0.0.1 for the run and nothing leaves the machine.
"""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from typing import Iterator, Optional

CONFIG_VARIABLE = "SHOTGUN_API_CONFIG"
DEFAULT_PROJECT = "shotgun_api3 live tests"


@dataclass
class LiveSite:
    server_url: str
    script_name: str
    api_key: str
    human_login: Optional[str] = None
    human_password: Optional[str] = None
    http_proxy: Optional[str] = None
    ca_certs: Optional[str] = None
    project_name: str = DEFAULT_PROJECT
    embedded: bool = False

    def client_kwargs(self) -> dict:
        return {"http_proxy": self.http_proxy, "ca_certs": self.ca_certs}


def read_config(path: str) -> LiveSite:
    """The ``[SERVER_INFO]`` section of a config file in ``example_config``'s form; empty values count as unset."""
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path, encoding="utf-8"):
        raise FileNotFoundError("%s names %s, which cannot be read" % (CONFIG_VARIABLE, path))
    if not parser.has_section("SERVER_INFO"):
        raise ValueError("%s has no [SERVER_INFO] section (see example_config)" % path)
    values = {key: value.strip() or None for key, value in parser.items("SERVER_INFO")}
    missing = [key for key in ("server_url", "script_name", "api_key") if not values.get(key)]
    if missing:
        raise ValueError("%s: [SERVER_INFO] needs %s (see example_config)" % (path, ", ".join(missing)))
    return LiveSite(
        server_url=values["server_url"], script_name=values["script_name"], api_key=values["api_key"],
        human_login=values.get("human_login"), human_password=values.get("human_password"),
        http_proxy=values.get("http_proxy"), ca_certs=values.get("ca_certs"),
        project_name=values.get("project_name") or DEFAULT_PROJECT,
    )


def live_site() -> Iterator[LiveSite]:
    """Yield the configured site, or an embedded local site running for the duration."""
    path = os.environ.get(CONFIG_VARIABLE)
    if path:
        yield read_config(path)
        return
    from tests.support.running_site import LOGIN, PASSWORD, SCRIPT, running_local_site

    with running_local_site() as running:
        yield LiveSite(server_url=running.url, script_name=SCRIPT, api_key=running.key, human_login=LOGIN,
                       human_password=PASSWORD, embedded=True)
