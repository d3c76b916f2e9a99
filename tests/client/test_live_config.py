"""``example_config``, filled in, drives the live end-to-end suite against a site given by URL."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.running_site import SCRIPT, running_local_site

from .live_site import read_config

REPO = Path(__file__).resolve().parents[2]


def test_example_config_reads_as_a_live_site_description():
    site = read_config(str(REPO / "example_config"))
    assert site.server_url.startswith("http") and site.script_name and site.api_key
    assert site.human_login is None and site.http_proxy is None  # empty values are unset
    assert site.project_name


def test_a_config_missing_the_key_says_so(tmp_path):
    path = tmp_path / "config"
    path.write_text("[SERVER_INFO]\nserver_url: http://127.0.0.1:1\nscript_name: s\napi_key:\n")
    with pytest.raises(ValueError, match="api_key"):
        read_config(str(path))


@pytest.mark.slow
def test_the_live_suite_runs_against_the_site_the_config_names(tmp_path):
    # A local site server stands for "any site": the suite reaches it only through the config's URL and key.
    with running_local_site() as running:
        text = (REPO / "example_config").read_text(encoding="utf-8")
        text = text.replace("http://127.0.0.1:8090", running.url).replace("demo_script", SCRIPT)
        text = text.replace("replace-with-the-key-printed-by-shotgun-local-site", running.key)
        config = tmp_path / "config"
        config.write_text(text, encoding="utf-8")
        env = dict(os.environ, SHOTGUN_API_CONFIG=str(config))
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                                 "tests/client/test_live_site.py"], capture_output=True, text=True, env=env,
                                cwd=str(REPO), timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "4 passed, 1 skipped" in result.stdout  # no human user in the config
        # The configured site, not an embedded one, got the calls: the suite's project is there.
        check = running.client()
        assert check.find_one("Project", [["name", "is", "shotgun_api3 live tests"]]) is not None
        check.close()
