"""Seams and helpers that downstream code calls or patches directly."""
from __future__ import annotations

import httplib2
import pytest

import shotgun_api3
from shotgun_api3 import shotgun as sg_module

from .conftest import SITE, FakeSite


def test_parse_records_rules(sg):
    sg.client_caps.local_path_field = "local_path_windows"
    records = sg._parse_records([
        {"type": "Note", "id": 1, "content": "&lt;b&gt; &amp;", "zero": 0, "none": None,
         "file": {"link_type": "local", "local_path_windows": "C:\\x.mov"}},
        True,
    ])
    assert records[0]["content"] == "<b&gt; &amp;"
    assert records[0]["file"]["local_path"] == "C:\\x.mov" and records[0]["file"]["url"] == "file://C:\\x.mov"
    assert records[1] is True
    assert sg._parse_records(None) == [] and sg._parse_records([]) == []
    assert sg._parse_records({"type": "Shot", "id": 1}) == [{"type": "Shot", "id": 1}]


@pytest.mark.parametrize("answer, outcome", [
    ("1\n/thumb/1.png", "https://site.example.com/thumb/1.png"),
    ("0\nno thumbnail", shotgun_api3.ShotgunError),
    ("7\nweird", RuntimeError),
])
def test_build_thumb_url_reads_the_old_endpoint(sg, site, answer, outcome):
    site.raw((200, "OK"), {"content-type": "text/plain"}, answer)
    if isinstance(outcome, str):
        assert sg._build_thumb_url("Shot", 1) == outcome
    else:
        with pytest.raises(outcome):
            sg._build_thumb_url("Shot", 1)
    assert site.requests[-1]["path"] == "/upload/get_thumbnail_url?entity_type=Shot&entity_id=1"


def test_make_call_adds_client_headers_and_keeps_given_ones(sg, site):
    sg.config.authorization = "Basic abc"
    site.raw((200, "OK"), {}, b"")
    sg._make_call("POST", "/x", b"{}", {"content-type": "text/plain", "x-extra": "1"})
    assert list(site.requests[-1]["headers"].items()) == [
        ("user-agent", "; ".join(sg._user_agents)), ("Authorization", "Basic abc"),
        ("content-type", "text/plain"), ("x-extra", "1")]


def test_connection_objects_carry_timeout_ca_and_proxy(tmp_path):
    sg = shotgun_api3.Shotgun(SITE, "s", "k", connect=False, ca_certs="/some/ca.pem",
                              http_proxy="bob:pw@proxy.local:3128")
    sg.config.timeout_secs = 12
    connection = sg._get_connection()
    assert isinstance(connection, sg_module.Http) and isinstance(connection, httplib2.Http)
    assert connection.timeout == 12
    assert connection.ca_certs == "/some/ca.pem"
    proxy = connection.proxy_info
    assert (proxy.proxy_host, proxy.proxy_port, proxy.proxy_user, proxy.proxy_pass) == (
        "proxy.local", 3128, "bob", "pw")
    assert sg._get_connection() is connection
    sg._close_connection()
    assert sg._connection is None
    no_proxy = shotgun_api3.Shotgun(SITE, "s", "k", connect=False)
    assert no_proxy._get_connection().proxy_info is None


def test_empty_ca_path_lets_httplib2_use_its_default(monkeypatch):
    monkeypatch.setenv("SHOTGUN_API_CACERTS", "")
    sg = shotgun_api3.Shotgun(SITE, "s", "k", connect=False)
    assert sg._Shotgun__ca_certs == ""
    assert sg._get_connection().ca_certs is None  # httplib2 then uses httplib2.CA_CERTS


def test_module_names_code_imports():
    assert shotgun_api3.shotgun.SG_TIMEZONE is shotgun_api3.sg_timezone
    assert isinstance(shotgun_api3.shotgun.SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION, bool)
    assert shotgun_api3.shotgun.LOG.name == "shotgun_api3"
    assert shotgun_api3.shotgun.FormPostHandler is not None
    assert shotgun_api3.shotgun.__version__ == shotgun_api3.__version__
    assert issubclass(shotgun_api3.Shotgun, shotgun_api3._files.FileTransferMethods)
    import shotgun_api3.lib.httplib2 as lib_httplib2

    assert lib_httplib2 is httplib2
    assert lib_httplib2.socks.HTTPError and lib_httplib2.socks.ProxyError
    from shotgun_api3.lib.sgtimezone import LocalTimezone, SgTimezone, UTC  # noqa: F401
    import mimetypes

    assert mimetypes.guess_type("a.webm")[0] == "video/webm"
    assert sg_module._version_str((7, 4, 0)) == "7.4.0"


def test_server_capability_checks():
    caps = sg_module.ServerCapabilities("h", {"version": [7, 4, 0]})
    assert caps.ensure_paging_info_without_counts_support() is True
    assert caps.ensure_return_image_urls_support() is True
    assert caps.ensure_user_following_support() is True
    assert caps._ensure_support({"version": (9, 0, 0), "label": "x"}, False) is False
    with pytest.raises(shotgun_api3.ShotgunError, match="x requires server version 9.0.0 or higher, server is 7.4.0"):
        caps._ensure_support({"version": (9, 0, 0), "label": "x"})
    assert str(sg_module.ClientCapabilities()).startswith("ClientCapabilities: platform ")


@pytest.mark.parametrize("platform, expected", [
    ("darwin", "mac"), ("Darwin", "mac"), ("linux", "linux"), ("Linux", "linux"), ("linux2", "linux"),
    ("win32", "windows"), ("WIN32", "windows"), ("sunos5", None),
])
def test_client_platform_is_named_whatever_the_case_of_sys_platform(monkeypatch, platform, expected):
    monkeypatch.setattr(sg_module.sys, "platform", platform)
    caps = sg_module.ClientCapabilities()
    assert caps.platform == expected
    assert caps.local_path_field == ("local_path_%s" % expected if expected else None)


def test_info_works_for_a_client_without_credentials():
    sg = shotgun_api3.Shotgun(SITE, connect=False)
    site = FakeSite()
    sg._http_request = site
    assert sg.info() == site.info
    assert site.requests[0]["body"] == b'{"method_name": "info", "params": []}'


def test_lib_certifi_is_the_installed_certifi():
    import os

    import certifi

    import shotgun_api3.lib.certifi as lib_certifi

    assert lib_certifi is certifi
    assert os.path.isfile(lib_certifi.where())
    assert shotgun_api3.Shotgun._get_certs_file(None) in (lib_certifi.where(), os.environ.get("SHOTGUN_API_CACERTS"))
