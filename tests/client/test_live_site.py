"""The end-to-end suite: the client against a whole site, embedded by default, any site with a config file.

Run it against a hosted site or a local site server with
``SHOTGUN_API_CONFIG=./config ./run-tests tests/client/test_live_site.py``
(``config`` being a filled-in copy of ``example_config``). It works in a
project of its own (``project_name``, created if missing) and deletes the
records it creates.
"""
from __future__ import annotations

import uuid

import pytest

import shotgun_api3

from .live_site import live_site


@pytest.fixture(scope="module")
def site():
    yield from live_site()


@pytest.fixture(scope="module")
def sg(site):
    client = shotgun_api3.Shotgun(site.server_url, site.script_name, site.api_key, **site.client_kwargs())
    yield client
    client.close()


@pytest.fixture(scope="module")
def project(sg, site):
    existing = sg.find_one("Project", [["name", "is", site.project_name]])
    return existing or sg.create("Project", {"name": site.project_name})


@pytest.fixture
def tag():
    """A code prefix unique to one test, so runs against a shared site never see each other's records."""
    return "live-%s-" % uuid.uuid4().hex[:10]


@pytest.fixture
def cleanup(sg):
    created: list = []
    yield created
    if created:
        sg.batch([{"request_type": "delete", "entity_type": record["type"], "entity_id": record["id"]}
                  for record in created])


def test_the_site_answers_info_with_its_version(sg):
    info = sg.info()
    assert isinstance(info["version"], list) and len(sg.server_caps.version) == 3


def test_create_find_update_delete_and_revive(sg, project, tag, cleanup):
    shot = sg.create("Shot", {"code": tag + "a", "project": project, "description": "first"})
    cleanup.append(shot)
    found = sg.find_one("Shot", [["code", "is", tag + "a"]], ["description", "project"])
    assert found["id"] == shot["id"] and found["description"] == "first"
    assert found["project"]["id"] == project["id"]
    sg.update("Shot", shot["id"], {"description": "second"})
    assert sg.find_one("Shot", [["id", "is", shot["id"]]], ["description"])["description"] == "second"
    assert sg.delete("Shot", shot["id"]) is True
    assert sg.find_one("Shot", [["id", "is", shot["id"]]]) is None
    assert [r["id"] for r in sg.find("Shot", [["code", "is", tag + "a"]], retired_only=True)] == [shot["id"]]
    assert sg.revive("Shot", shot["id"]) is True


def test_batch_paging_and_summaries(sg, project, tag, cleanup):
    created = sg.batch([{"request_type": "create", "entity_type": "Asset",
                         "data": {"code": "%s%02d" % (tag, n), "project": project}} for n in range(7)])
    cleanup.extend(created)
    filters = [["code", "starts_with", tag], ["project", "is", project]]
    saved = sg.config._records_per_page
    sg.config._records_per_page = 3  # three pages
    try:
        paged = sg.find("Asset", filters, ["code"], order=[{"field_name": "code", "direction": "desc"}])
    finally:
        sg.config._records_per_page = saved
    assert [r["code"] for r in paged] == ["%s%02d" % (tag, n) for n in reversed(range(7))]
    assert len(sg.find("Asset", filters, limit=4)) == 4
    summary = sg.summarize("Asset", filters, [{"field": "id", "type": "count"}])
    assert summary["summaries"]["id"] == 7


def test_a_human_user_logs_in(site):
    if not (site.human_login and site.human_password):
        pytest.skip("no human_login/human_password in the config")
    human = shotgun_api3.Shotgun(site.server_url, login=site.human_login, password=site.human_password,
                                 **site.client_kwargs())
    try:
        assert human.find_one("HumanUser", [["login", "is", site.human_login]]) is not None
    finally:
        human.close()


def test_a_wrong_key_is_an_authentication_fault(site):
    wrong = shotgun_api3.Shotgun(site.server_url, site.script_name, "not-the-key", connect=False,
                                 **site.client_kwargs())
    with pytest.raises(shotgun_api3.AuthenticationFault):
        wrong.find_one("Project", [])
