"""The client end to end against our local site server."""
from __future__ import annotations

import concurrent.futures
import datetime

import pytest

import shotgun_api3
from tests.support.running_site import SCRIPT

UTC = shotgun_api3.sg_timezone.utc


@pytest.fixture
def running(local_site):
    """``(url, script key)`` of the suite's running local site."""
    return local_site.url, local_site.key


@pytest.fixture
def sg(running):
    url, key = running
    client = shotgun_api3.Shotgun(url, SCRIPT, key)
    yield client
    client.close()


@pytest.fixture
def project(sg):
    return sg.create("Project", {"name": "Client E2E"})


def test_datetimes_round_trip_as_instants(sg, project):
    when = sg.schema_field_create("Shot", "date_time", "When")
    day = sg.schema_field_create("Shot", "date", "Day")
    aware = datetime.datetime(2021, 3, 14, 7, 30, 5, 999, tzinfo=UTC)
    naive_local = datetime.datetime(2021, 11, 7, 1, 30)
    first = sg.create("Shot", {"code": "a", "project": project, when: aware, day: datetime.date(2021, 3, 14)})
    second = sg.create("Shot", {"code": "b", "project": project, when: naive_local})
    records = sg.find("Shot", [["project", "is", project]], [when, day, "created_at"], order=[{"field_name": "id"}])
    assert records[0][when] == aware.replace(microsecond=0)
    assert records[0][when].tzinfo is shotgun_api3.sg_timezone.local
    assert records[0][day] == "2021-03-14"
    local_instant = naive_local.replace(tzinfo=shotgun_api3.sg_timezone.local)
    assert records[1][when] == local_instant
    assert isinstance(records[1]["created_at"], datetime.datetime)
    assert sg.find("Shot", [[when, "greater_than", aware]], ["code"]) == [{"type": "Shot", "id": second["id"], "code": "b"}]
    assert first["id"] == records[0]["id"]
    note = sg.create("Note", {"subject": "n", "project": project, "content": "a < b"})
    assert sg.find_one("Note", [["id", "is", note["id"]]], ["content"])["content"] == "a < b"


def test_datetimes_without_conversion_come_back_naive(running, project):
    url, key = running
    plain = shotgun_api3.Shotgun(url, SCRIPT, key, convert_datetimes_to_utc=False)
    record = plain.find_one("Project", [["id", "is", project["id"]]], ["created_at"])
    assert record["created_at"].tzinfo is None
    plain.close()


def test_paging_with_and_without_prefetch_gives_the_same_records(sg, project):
    sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "S%03d" % i, "project": project}}
              for i in range(23)])
    sg.config._records_per_page = 5
    plain = sg.find("Shot", [["project", "is", project]], ["code"], order=[{"field_name": "code"}])
    sg.config.prefetch_pages = 3
    fetched = sg.find("Shot", [["project", "is", project]], ["code"], order=[{"field_name": "code"}])
    limited = sg.find("Shot", [["project", "is", project]], ["code"], order=[{"field_name": "code"}], limit=12)
    assert [r["code"] for r in plain] == ["S%03d" % i for i in range(23)]
    assert fetched == plain
    assert limited == plain[:12]


def test_one_client_shared_by_threads_creating_and_finding(sg, project):
    def work(n):
        created = [sg.create("Shot", {"code": "T%d-%d" % (n, i), "project": project})["id"] for i in range(5)]
        found = sg.find("Shot", [["code", "starts_with", "T%d-" % n]], ["code"])
        return sorted(created), sorted(r["id"] for r in found)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for created, found in pool.map(work, range(4)):
            assert created == found
    assert len(sg.find("Shot", [["project", "is", project]])) == 20


def test_calls_reuse_a_kept_alive_connection(sg):
    sg.find("Project", [])
    connection = sg._connection
    sockets = {id(conn.sock) for conn in connection.connections.values()}
    for _ in range(3):
        sg.find("Project", [])
    assert {id(conn.sock) for conn in sg._connection.connections.values()} == sockets


def test_schema_and_summaries_through_the_client(sg, project):
    assert "Shot" in sg.schema_entity_read()
    assert "code" in sg.schema_field_read("Shot", "code")
    name = sg.schema_field_create("Shot", "text", "Client E2E Field")
    assert name.startswith("sg_")
    assert sg.schema_field_update("Shot", name, {"description": "d"}) is True
    assert sg.schema_field_delete("Shot", name) is True
    sg.create("Shot", {"code": "sum", "project": project})
    summary = sg.summarize("Shot", [["project", "is", project]], [{"field": "id", "type": "count"}])
    assert summary["summaries"]["id"] == 1


def test_delete_revive_and_retired_only(sg, project):
    shot = sg.create("Shot", {"code": "gone", "project": project})
    assert sg.delete("Shot", shot["id"]) is True
    assert sg.find("Shot", [["id", "is", shot["id"]]]) == []
    assert [r["id"] for r in sg.find("Shot", [["id", "is", shot["id"]]], retired_only=True)] == [shot["id"]]
    assert sg.revive("Shot", shot["id"]) is True
    assert sg.find_one("Shot", [["id", "is", shot["id"]]])["id"] == shot["id"]


def test_faults_from_the_site(sg):
    with pytest.raises(shotgun_api3.Fault):
        sg.find("NoSuchEntity", [])
    with pytest.raises(shotgun_api3.Fault):
        sg.update("Shot", 999999, {"code": "x"})


def test_bad_credentials_are_an_authentication_fault(running):
    url, _key = running
    with pytest.raises(shotgun_api3.AuthenticationFault):
        shotgun_api3.Shotgun(url, SCRIPT, "wrong-key").find("Project", [])
