"""Constructor, credentials, base URL, proxy and environment handling."""
from __future__ import annotations

import base64
import json

import pytest

import shotgun_api3
from shotgun_api3 import shotgun as sg_module

from .conftest import SITE, FakeSite


def make(*args, **kwargs):
    kwargs.setdefault("connect", False)
    return shotgun_api3.Shotgun(*args, **kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"session_token": "t", "script_name": "s"}, "both session_token and script_name/api_key"),
        ({"session_token": "t", "login": "l"}, "both session_token and login/password"),
        ({"login": "l", "password": "p", "api_key": "k"}, "both login/password and script_name/api_key"),
        ({"password": "p"}, "password provided without login"),
        ({"login": "l"}, "login provided without password"),
        ({"api_key": "k"}, "api_key provided without script_name"),
        ({"script_name": "s"}, "script_name provided without api_key"),
        ({"auth_token": "123"}, "must provide a user login and password with an auth_token"),
    ],
)
def test_contradictory_or_incomplete_credentials_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(SITE, **kwargs)


def test_no_credentials_is_refused_when_connecting():
    with pytest.raises(ValueError, match="must provide login/password, session_token or script_name/api_key"):
        shotgun_api3.Shotgun(SITE)


def test_no_credentials_with_connect_false_fails_at_the_first_authenticated_call():
    sg = make(SITE)
    site = FakeSite()
    sg._http_request = site
    assert sg.info()["version"] == [8, 50, 0]
    with pytest.raises(ValueError, match="invalid auth params"):
        sg.find("Shot", [])


def test_ensure_ascii_is_not_a_parameter_any_more():
    with pytest.raises(TypeError):
        make(SITE, "s", "k", ensure_ascii=True)


def test_connect_true_makes_an_info_call_through_call_rpc(monkeypatch):
    seen = []

    def fake_call_rpc(self, method, params, include_auth_params=True, first=False):
        seen.append((method, params, include_auth_params))
        return {"version": [8, 0, 0]}

    monkeypatch.setattr(shotgun_api3.Shotgun, "_call_rpc", fake_call_rpc)
    shotgun_api3.Shotgun(SITE, "s", "k")
    assert seen == [("info", None, False)]


@pytest.mark.parametrize(
    "url, api_path, server",
    [
        ("https://site.example.com", "/api3/json", "site.example.com"),
        ("https://site.example.com/", "/api3/json", "site.example.com"),
        ("https://site.example.com/sub/", "/sub/api3/json", "site.example.com"),
        ("https://site.example.com/sub", "/api3/json", "site.example.com"),
        ("HTTP://Site.Example.com:8080/", "/api3/json", "site.example.com:8080"),
    ],
)
def test_base_url_gives_api_path_and_server(url, api_path, server):
    sg = make(url, "s", "k")
    assert sg.config.api_path == api_path
    assert sg.config.server == server
    assert sg.base_url == url.lower()


@pytest.mark.parametrize("url", [None, "", "ftp://site.example.com", "site.example.com"])
def test_base_url_must_use_http_or_https(url):
    with pytest.raises(ValueError, match="base_url must use http or https"):
        make(url, "s", "k")


def test_url_credentials_become_a_basic_authorization_header_in_original_case():
    sg = make("https://User:P%40ss@Site.example.com", "s", "k")
    assert sg.config.server == "site.example.com"
    assert sg.config.authorization == "Basic " + base64.b64encode(b"User:P@ss").decode()
    token_only = make("https://TOKEN123@site.example.com", "s", "k")
    assert token_only.config.authorization == "Basic " + base64.b64encode(b"TOKEN123").decode()
    assert sg._split_url("https://x:y@ci.example.com:9500") == ("x:y", "ci.example.com:9500")


def test_authorization_header_is_sent_on_rpcs():
    sg = make("https://user:pass@site.example.com", "s", "k")
    site = FakeSite()
    sg._http_request = site
    sg.info()
    assert site.requests[0]["headers"]["authorization"] == "Basic " + base64.b64encode(b"user:pass").decode()


@pytest.mark.parametrize(
    "proxy, server, port, user, password",
    [
        ("proxy.local", "proxy.local", 8080, None, None),
        ("proxy.local:3128", "proxy.local", 3128, None, None),
        ("bob:se:cr@t@proxy.local:3128", "proxy.local", 3128, "bob", "se:cr@t"),
        ("bob:pw@proxy.local", "proxy.local", 8080, "bob", "pw"),
    ],
)
def test_http_proxy_forms_are_parsed(proxy, server, port, user, password):
    sg = make(SITE, "s", "k", http_proxy=proxy)
    config = sg.config
    assert (config.proxy_server, config.proxy_port, config.proxy_user, config.proxy_pass) == (
        server, port, user, password)
    assert config.raw_http_proxy == proxy
    userinfo = "%s:%s@" % (user, password) if user else ""
    assert config.proxy_handler.proxies == {"https": "http://%s%s:%d" % (userinfo, server, port)}


@pytest.mark.parametrize("proxy", ["http://proxy", "proxy:1:2", "proxy:abc"])
def test_http_proxy_with_a_bad_port_raises(proxy):
    with pytest.raises(ValueError, match="Invalid http_proxy address"):
        make(SITE, "s", "k", http_proxy=proxy)


def test_http_proxy_credentials_without_colon_raise():
    with pytest.raises(ValueError):
        make(SITE, "s", "k", http_proxy="bob@proxy:80")


def test_config_defaults():
    sg = make(SITE, "s", "k")
    config = sg.config
    assert config.max_rpc_attempts == 3
    assert config.rpc_attempt_interval == 3000
    assert config.timeout_secs is None
    assert config.api_ver == "api3"
    assert config.convert_datetimes_to_utc is True
    assert config.localized is False
    assert config.proxy_handler is None and config.proxy_port == 8080
    assert config.prefetch_pages == 0
    assert sg.MAX_ATTEMPTS == 3 and sg.BACKOFF == 0.75
    assert sg._connection is None
    assert "_connection" in vars(sg)


def test_retry_interval_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SHOTGUN_API_RETRY_INTERVAL", "0")
    assert make(SITE, "s", "k").config.rpc_attempt_interval == 0
    monkeypatch.setenv("SHOTGUN_API_RETRY_INTERVAL", "abc")
    with pytest.raises(ValueError, match="must be int"):
        make(SITE, "s", "k")
    monkeypatch.setenv("SHOTGUN_API_RETRY_INTERVAL", "-5")
    with pytest.raises(ValueError, match="must be positive, got '-5'"):
        make(SITE, "s", "k")


def test_disable_entity_optimization_environment_sets_the_module_global(monkeypatch):
    monkeypatch.setattr(sg_module, "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", False)
    monkeypatch.setenv("SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", " 1 ")
    make(SITE, "s", "k")
    assert sg_module.SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION is True


def test_ca_certs_resolution_order(monkeypatch, tmp_path):
    import certifi

    monkeypatch.delenv("SHOTGUN_API_CACERTS", raising=False)
    assert shotgun_api3.Shotgun._get_certs_file(None) == certifi.where()
    assert "_get_certs_file" in shotgun_api3.Shotgun.__dict__
    monkeypatch.setenv("SHOTGUN_API_CACERTS", "/env/ca.pem")
    assert shotgun_api3.Shotgun._get_certs_file(None) == "/env/ca.pem"
    assert shotgun_api3.Shotgun._get_certs_file("/arg/ca.pem") == "/arg/ca.pem"
    sg = make(SITE, "s", "k", ca_certs="/arg/ca.pem")
    assert sg._Shotgun__ca_certs == "/arg/ca.pem"


def test_user_agent_entries_and_header(monkeypatch):
    sg = make(SITE, "s", "k")
    assert sg._user_agents[0] == "shotgun-json (%s)" % shotgun_api3.__version__
    assert sg._user_agents[1].startswith("Python 3.")
    assert sg._user_agents[2].startswith("ssl ")
    sg.add_user_agent("tk-core (0.20)")
    site = FakeSite()
    sg._http_request = site
    sg.info()
    assert site.requests[0]["headers"]["user-agent"] == "; ".join(sg._user_agents)
    assert site.requests[0]["headers"]["user-agent"].endswith("; tk-core (0.20)")
    sg._user_agents = ["custom"]
    sg.info()
    assert site.requests[1]["headers"]["user-agent"] == "custom"
    sg.reset_user_agent()
    assert len(sg._user_agents) == 3


def test_platform_is_read_from_the_patched_module_sys(monkeypatch):
    import types

    fake_sys = types.SimpleNamespace(platform="darwin", version_info=(3, 99, 0))
    monkeypatch.setattr(sg_module, "sys", fake_sys)
    sg = make(SITE, "s", "k")
    assert sg.client_caps.platform == "mac"
    assert sg.client_caps.local_path_field == "local_path_mac"
    assert sg._user_agents[1] == "Python 3.99 (Mac)"
    fake_sys.platform = "sunos5"
    assert sg_module.ClientCapabilities().platform is None


def test_auth_token_trades_for_a_session_token_at_construction(monkeypatch):
    site = FakeSite()
    site.answer({"session_id": "SESSION"})
    monkeypatch.setattr(shotgun_api3.Shotgun, "_http_request", lambda self, *a: site(*a))
    sg = shotgun_api3.Shotgun(SITE, login="bob", password="pw", auth_token="123456", connect=False)
    assert site.calls[0] == {
        "method_name": "get_session_token",
        "params": [{"user_login": "bob", "user_password": "pw", "auth_token": "123456"}],
    }
    assert sg.config.session_token == "SESSION"
    assert (sg.config.user_login, sg.config.user_password, sg.config.auth_token) == (None, None, None)
    site.answer({"entities": [], "paging_info": {"has_next_page": False}})
    sg.find("Shot", [])
    assert site.calls[-1]["params"][0] == {"session_token": "SESSION", "reject_if_expired": True}


def test_records_per_page_comes_from_server_info_and_is_read_only():
    sg = make(SITE, "s", "k")
    site = FakeSite({"version": [8, 0, 0], "api_max_entities_per_page": 42})
    sg._http_request = site
    assert sg.config.records_per_page == 42
    with pytest.raises(AttributeError):
        sg.config.records_per_page = 3
    sg.config._records_per_page = 7
    assert sg.config.records_per_page == 7
    other = make(SITE, "s", "k")
    other._http_request = FakeSite({"version": [8, 0, 0]})
    assert other.config.records_per_page == 500


def test_server_caps_is_a_class_property_rebuilt_when_the_server_changes():
    assert isinstance(shotgun_api3.Shotgun.__dict__["server_caps"], property)
    sg = make(SITE, "s", "k")
    site = FakeSite({"version": [7, 4, 1, "Dev"]})
    sg._http_request = site
    caps = sg.server_caps
    assert caps.version == (7, 4, 1) and caps.is_dev is True
    assert sg.server_caps is caps
    assert sg.server_info == {"version": [7, 4, 1, "Dev"]}
    sg.config.server = "other.example.com"
    assert sg.server_caps is not caps
    assert str(sg.server_caps).startswith("ServerCapabilities: host other.example.com, version (7, 4, 1)")


@pytest.mark.parametrize("meta", [{}, {"version": None}, "nope"])
def test_server_without_version_is_refused(meta):
    with pytest.raises(shotgun_api3.ShotgunError, match="didn't respond with a version number"):
        sg_module.ServerCapabilities("h", meta)


def test_server_older_than_2_4_is_refused():
    with pytest.raises(shotgun_api3.ShotgunError, match="JSON API requires server version 2.4.0 or higher, server is 2.3.99"):
        sg_module.ServerCapabilities("h", {"version": [2, 3, 99]})


def test_setup_client_builds_a_client_without_credentials_or_network():
    class Offline(shotgun_api3.Shotgun):
        def __init__(self, base_url):
            self._setup_client(base_url, True, None, None)

        def _call_rpc(self, method, params, include_auth_params=True, first=False):
            return {"version": [9, 0, 0]} if method == "info" else {"entities": [], "paging_info": {}}

    client = Offline("https://Mock.example.com")
    assert client.config.server == "mock.example.com"
    assert client.server_caps.version == (9, 0, 0)
    assert client.find("Shot", []) == []


def test_a_subclass_with_a_settable_server_info_gets_matching_capabilities():
    class Settable(shotgun_api3.Shotgun):
        def __init__(self, base_url):
            self._setup_client(base_url, True, None, None)
            self._info = {"version": [7, 0, 0]}

        @property
        def server_info(self):
            return self._info

        @server_info.setter
        def server_info(self, value):
            self._info = value

    client = Settable("https://mock.example.com")
    assert client.server_caps.version == (7, 0, 0)
    assert client.server_caps.ensure_paging_info_without_counts_support() is False
    client.server_info = {"version": (8, 1, 0), "api_max_entities_per_page": 9}
    assert client.server_caps.version == (8, 1, 0)
    assert client.server_caps.ensure_paging_info_without_counts_support() is True
    assert client.config.records_per_page == 9
