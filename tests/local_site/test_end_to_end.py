"""Our client against a real local site over HTTP: auth kinds, paging, batch, errors."""
from __future__ import annotations

import datetime
import http.client
import json

import pytest

import shotgun_api3
from shotgun_api3.local_site.auth import totp_code

from .conftest import LOGIN, PASSWORD, SCRIPT, SUDO_SCRIPT


def test_info_answers_without_credentials(sg):
    info = sg.info()
    assert info["version"][:2] == [8, 50]
    assert info["api_max_entities_per_page"] == 500


def test_create_then_find_one_round_trips_values(sg):
    project = sg.create("Project", {"name": "Moonrise ✓"})
    shot = sg.create("Shot", {"code": "sh010", "project": project, "sg_cut_in": 1001,
                              "description": "ünïcode"})
    found = sg.find_one("Shot", [["id", "is", shot["id"]]], ["code", "project", "sg_cut_in", "description",
                                                               "created_at"])
    assert found["code"] == "sh010"
    assert found["sg_cut_in"] == 1001
    assert found["description"] == "ünïcode"
    assert found["project"]["id"] == project["id"] and found["project"]["type"] == "Project"
    assert isinstance(found["created_at"], datetime.datetime) and found["created_at"].tzinfo is not None


def test_created_by_is_the_calling_script(local_site, sg):
    shot = sg.create("Shot", {"code": "by_script"}, return_fields=["created_by"])
    assert shot["created_by"]["type"] == "ApiUser"
    assert shot["created_by"]["id"] == local_site.site.accounts.scripts[SCRIPT].entity_id


def test_find_pages_across_many_pages(local_site):
    local_site.site.server_info["api_max_entities_per_page"] = 25
    sg = local_site.client()
    sg.batch([{"request_type": "create", "entity_type": "Asset", "data": {"code": "asset_%03d" % n}}
              for n in range(120)])
    found = sg.find("Asset", [], ["code"], order=[{"field_name": "code", "direction": "asc"}])
    assert [a["code"] for a in found] == ["asset_%03d" % n for n in range(120)]
    assert len(sg.find("Asset", [], ["code"], limit=60)) == 60
    second_page = sg.find("Asset", [], ["code"], order=[{"field_name": "code", "direction": "asc"}],
                          limit=10, page=2)
    assert [a["code"] for a in second_page] == ["asset_%03d" % n for n in range(10, 20)]


def test_batch_applies_in_order_and_failing_batch_changes_nothing(sg):
    shot = sg.create("Shot", {"code": "keep"})
    results = sg.batch([
        {"request_type": "create", "entity_type": "Shot", "data": {"code": "new"}},
        {"request_type": "update", "entity_type": "Shot", "entity_id": shot["id"], "data": {"code": "kept"}},
        {"request_type": "delete", "entity_type": "Shot", "entity_id": shot["id"]},
    ])
    assert results[0]["code"] == "new" and results[1]["code"] == "kept" and results[2] is True
    before = sg.find("Shot", [], ["code"])
    with pytest.raises(shotgun_api3.Fault):
        sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "lost"}},
                  {"request_type": "create", "entity_type": "Shot", "data": {"no_such_field": 1}}])
    assert sg.find("Shot", [], ["code"]) == before


def test_human_user_logs_in_with_password(local_site):
    human = local_site.client(login=LOGIN, password=PASSWORD)
    note = human.create("Note", {"subject": "hello"}, return_fields=["created_by"])
    assert note["created_by"]["id"] == local_site.user["id"]
    assert human.authenticate_human_user(LOGIN, PASSWORD)["login"] == LOGIN


def test_wrong_password_is_an_authentication_fault(local_site):
    human = local_site.client(login=LOGIN, password="wrong", connect=False)
    with pytest.raises(shotgun_api3.AuthenticationFault):
        human.find_one("Shot", [])


def test_bad_script_key_is_an_authentication_fault(local_site):
    script = local_site.client(script_name=SCRIPT, api_key="not-the-key")
    with pytest.raises(shotgun_api3.AuthenticationFault):
        script.find("Shot", [])


def test_session_token_authenticates_later_clients(local_site):
    human = local_site.client(login=LOGIN, password=PASSWORD)
    token = human.get_session_token()
    by_token = local_site.client(session_token=token)
    assert by_token.find_one("HumanUser", [["login", "is", LOGIN]], ["login"])["login"] == LOGIN


def test_expired_session_token_is_refused(local_site):
    local_site.site.accounts.session_lifetime = -1
    token = local_site.client(login=LOGIN, password=PASSWORD).get_session_token()
    by_token = local_site.client(session_token=token)
    with pytest.raises(shotgun_api3.AuthenticationFault, match="expired"):
        by_token.find("Shot", [])


def test_two_factor_user_needs_auth_token(local_site):
    _, secret = local_site.site.add_user("grace", "pw-grace", two_factor=True)
    without = local_site.client(login="grace", password="pw-grace", connect=False)
    with pytest.raises(shotgun_api3.MissingTwoFactorAuthenticationFault):
        without.find("Shot", [])
    with_code = local_site.client(login="grace", password="pw-grace", auth_token=totp_code(secret))
    assert with_code.config.session_token
    assert with_code.find_one("HumanUser", [["login", "is", "grace"]], ["login"])["login"] == "grace"


def test_sudo_as_login_needs_permission(local_site):
    plain = local_site.client(script_name=SCRIPT, api_key=local_site.keys[SCRIPT], sudo_as_login=LOGIN)
    with pytest.raises(shotgun_api3.AuthenticationFault, match="^The user does not have permission to 'sudo': "):
        plain.create("Shot", {"code": "nope"})
    allowed = local_site.client(script_name=SUDO_SCRIPT, api_key=local_site.keys[SUDO_SCRIPT],
                                sudo_as_login=LOGIN)
    shot = allowed.create("Shot", {"code": "as_ada"}, return_fields=["created_by"])
    assert shot["created_by"] == {"type": "HumanUser", "id": local_site.user["id"], "name": "Ada Lovelace"} or \
        shot["created_by"]["id"] == local_site.user["id"]
    assert local_site.client().find("Shot", [["code", "is", "nope"]]) == []


def test_a_user_without_sudo_permission_is_refused_in_the_sites_words(local_site):
    user = local_site.client(login=LOGIN, password=PASSWORD, sudo_as_login="someone")
    with pytest.raises(shotgun_api3.Fault) as raised:
        user.find_one("Shot", [])
    assert str(raised.value).startswith("The user does not have permission to 'sudo': ")


def test_sudo_to_unknown_login_is_refused(local_site):
    allowed = local_site.client(script_name=SUDO_SCRIPT, api_key=local_site.keys[SUDO_SCRIPT],
                                sudo_as_login="nobody")
    with pytest.raises(shotgun_api3.AuthenticationFault):
        allowed.find("Shot", [])


def test_retired_script_can_no_longer_log_in(local_site, sg):
    other_id = local_site.site.accounts.scripts[SUDO_SCRIPT].entity_id
    assert sg.delete("ApiUser", other_id) is True
    retired = local_site.client(script_name=SUDO_SCRIPT, api_key=local_site.keys[SUDO_SCRIPT], connect=False)
    with pytest.raises(shotgun_api3.AuthenticationFault):
        retired.find("Shot", [])


def test_engine_errors_arrive_as_faults_and_server_keeps_serving(sg):
    with pytest.raises(shotgun_api3.Fault):
        sg.find("NoSuchEntityType", [])
    with pytest.raises(shotgun_api3.Fault):
        sg.create("Shot", {"no_such_field": 1})
    assert sg.find("Shot", []) == []


def test_credentials_never_show_in_entities(local_site, sg):
    scripts = sg.find("ApiUser", [], ["firstname", "salted_password"])
    assert {s["firstname"] for s in scripts} >= {SCRIPT, SUDO_SCRIPT}
    text = json.dumps(scripts, default=str)
    assert local_site.keys[SCRIPT] not in text


def raw_rpc(url, body: bytes):
    host_port = url.split("//", 1)[1]
    conn = http.client.HTTPConnection(host_port)
    conn.request("POST", "/api3/json", body=body, headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    result = answer.status, json.loads(answer.read())
    conn.close()
    return result


def test_malformed_and_oversize_requests_store_nothing(local_site, sg):
    auth = {"script_name": SCRIPT, "script_key": local_site.keys[SCRIPT]}
    status, answer = raw_rpc(local_site.url, b'{"method_name": "create", "params": [')
    assert status == 200 and answer["exception"] is True and "Malformed JSON" in answer["message"]
    local_site.site.max_request_bytes = 2000
    big = json.dumps({"method_name": "create", "params": [auth, {"type": "Shot", "fields": [
        {"field_name": "code", "value": "x" * 5000}]}]}).encode()
    status, answer = raw_rpc(local_site.url, big)
    assert answer["exception"] is True and "too large" in answer["message"]
    status, answer = raw_rpc(local_site.url, json.dumps({"method_name": "no_such_method", "params": [auth]}).encode())
    assert answer["exception"] is True
    status, answer = raw_rpc(local_site.url, json.dumps({"method_name": "read", "params": [auth, "not a dict"]}).encode())
    assert answer["exception"] is True
    assert sg.find("Shot", []) == []


def test_many_clients_write_at_once_without_losing_or_duplicating(local_site):
    import threading

    errors = []

    def worker(n):
        client = local_site.client()
        try:
            for i in range(15):
                client.create("Shot", {"code": "t%d_%02d" % (n, i)})
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    shots = local_site.client().find("Shot", [], ["code"])
    assert len(shots) == 90
    assert len({s["id"] for s in shots}) == 90
    assert sorted(s["code"] for s in shots) == sorted("t%d_%02d" % (n, i) for n in range(6) for i in range(15))


def test_session_cookie_names_the_caller(local_site):
    token = local_site.client(login=LOGIN, password=PASSWORD).get_session_token()
    context = local_site.site.session_from_cookie({"_session_id": token})
    assert context.user == {"type": "HumanUser", "id": local_site.user["id"]}
    assert local_site.site.session_from_cookie({"_session_id": "forged"}) is None
    assert local_site.site.session_from_cookie({}) is None


def test_https_site_with_our_client(tmp_path):
    import shutil
    import subprocess

    from shotgun_api3.local_site.server import LocalSiteServer
    from shotgun_api3.local_site.site import Site

    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    site = Site.in_memory()
    _, api_key = site.add_script("tls")
    try:
        with LocalSiteServer(site, tls_cert=str(cert), tls_key=str(key)) as server:
            assert server.url.startswith("https://127.0.0.1:")
            sg = shotgun_api3.Shotgun(server.url, script_name="tls", api_key=api_key, ca_certs=str(cert))
            assert sg.create("Shot", {"code": "secure"})["code"] == "secure"
            assert sg.find_one("Shot", [["code", "is", "secure"]], ["code"])["code"] == "secure"
            # Files go through urllib with the CA file (loaded on first use) and
            # come back over TLS without sendfile.
            payload = bytes(range(256)) * 9000
            path = tmp_path / "clip.mov"
            path.write_bytes(payload)
            shot = sg.find_one("Shot", [["code", "is", "secure"]])
            attachment_id = sg.upload("Shot", shot["id"], str(path))
            assert sg.download_attachment(attachment_id) == payload
            sg.close()
    finally:
        site.close()


def test_a_failed_store_commit_answers_an_error_and_stores_nothing(local_site, sg):
    store = local_site.site.store
    real_commit = store.commit

    def failing_commit(changes, schema):
        raise OSError("disk full (simulated)")

    store.commit = failing_commit
    try:
        with pytest.raises(shotgun_api3.Fault):
            sg.create("Shot", {"code": "never stored"})
    finally:
        store.commit = real_commit
    assert sg.find("Shot", [], ["code"]) == []
    assert sg.create("Shot", {"code": "stored"})["code"] == "stored"
    assert [s["code"] for s in sg.find("Shot", [], ["code"])] == ["stored"]
    assert [row["code"] for row in store.load()[1]["Shot"].values()] == ["stored"]


def test_session_uuid_is_written_to_the_event_log(local_site):
    client = local_site.client()
    client.set_session_uuid("3f1c9e7a-demo")
    shot = client.create("Shot", {"code": "logged"})
    events = client.find("EventLogEntry", [["entity", "is", shot]], ["session_uuid", "user", "event_type"])
    assert events and events[0]["session_uuid"] == "3f1c9e7a-demo"
    assert events[0]["user"]["type"] == "ApiUser"


def test_disabled_user_can_no_longer_log_in(local_site, sg):
    sg.update("HumanUser", local_site.user["id"], {"sg_status_list": "dis"})
    human = local_site.client(login=LOGIN, password=PASSWORD, connect=False)
    with pytest.raises(shotgun_api3.AuthenticationFault):
        human.find("Shot", [])


def test_requests_are_logged_at_debug_without_secrets(local_site, caplog):
    import logging

    with caplog.at_level(logging.DEBUG, logger="shotgun_api3"):
        local_site.client(login=LOGIN, password=PASSWORD).find("Shot", [])
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("local site: POST /api3/json")]
    assert lines
    assert not any(PASSWORD in r.getMessage() for r in caplog.records)


def test_a_user_made_through_the_api_can_be_given_a_password(local_site, sg):
    made = sg.create("HumanUser", {"login": "hopper", "firstname": "Grace", "lastname": "Hopper"})
    entity, _ = local_site.site.add_user("hopper", "cobol")
    assert entity == {"type": "HumanUser", "id": made["id"]}
    human = local_site.client(login="hopper", password="cobol")
    assert human.find_one("HumanUser", [["login", "is", "hopper"]], ["name"])["name"] == "Grace Hopper"
    assert len(sg.find("HumanUser", [["login", "is", "hopper"]])) == 1


def test_summarize_text_search_and_note_threads_over_http(sg):
    project = sg.create("Project", {"name": "Reports"})
    sequences = [sg.create("Sequence", {"code": code, "project": project}) for code in ("SQA", "SQB")]
    for n, sequence in enumerate([sequences[0]] * 2 + [sequences[1]] * 3):
        sg.create("Shot", {"code": "shot_%d" % n, "project": project, "sg_sequence": sequence, "sg_cut_in": 10 * n})
    report = sg.summarize("Shot", [["project", "is", project]], [{"field": "sg_cut_in", "type": "sum"}],
                          grouping=[{"field": "sg_sequence", "type": "exact", "direction": "asc"}])
    assert report["summaries"] == {"sg_cut_in": 100}
    assert [(g["group_name"], g["summaries"]["sg_cut_in"]) for g in report["groups"]] == [("SQA", 10), ("SQB", 90)]

    found = sg.text_search("shot_", {"Shot": [["sg_cut_in", "greater_than", 15]]})
    assert sorted(m["name"] for m in found["matches"]) == ["shot_2", "shot_3", "shot_4"]

    note = sg.create("Note", {"subject": "s", "content": "first", "project": project})
    sg.create("Reply", {"entity": note, "content": "second"})
    thread = sg.note_thread_read(note["id"])
    assert [entry["type"] for entry in thread] == ["Note", "Reply"]
    assert thread[1]["content"] == "second"


def test_field_definitions_carry_visible_without_a_project_like_newer_sites(sg):
    assert sg.schema_field_read("Asset", "code")["code"]["visible"] == {"value": True, "editable": False}
    name = sg.schema_field_create("Asset", "text", "Visibility Probe")
    assert sg.schema_field_read("Asset", name)[name]["visible"] == {"value": True, "editable": True}
    assert sg.schema_read()["Shot"]["code"]["visible"] == {"value": True, "editable": False}
    project = sg.create("Project", {"name": "Visibility"})
    sg.schema_field_update("Asset", name, {"visible": False}, project)
    assert sg.schema_field_read("Asset", name, project)[name]["visible"] == {"value": False, "editable": True}
    assert sg.schema_field_read("Asset", name)[name]["visible"] == {"value": True, "editable": True}


def test_a_new_site_has_the_ticket_and_tag_types_of_current_hosted_sites(sg):
    project = sg.create("Project", {"name": "Tickets"})
    ticket = sg.create("Ticket", {"title": "Render farm down", "sg_priority": "3", "project": project})
    assert sg.find_one("Ticket", [["sg_priority", "is", "3"]], ["title", "sg_status_list"]) == {
        "type": "Ticket", "id": ticket["id"], "title": "Render farm down", "sg_status_list": "opn"}
    tag = sg.create("Tag", {"name": "urgent"})
    assert sg.find_one("Tag", [["id", "is", tag["id"]]], ["name"])["name"] == "urgent"
    assert {"Ticket", "Tag"} <= set(sg.schema_entity_read())


def test_export_page_answers_csv_bytes_over_http_like_a_site(sg):
    project = sg.create("Project", {"name": "Exports"})
    sg.create("Shot", {"code": "sh010", "project": project})
    page = sg.create("Page", {"name": "Shots", "entity_type": "Shot", "project": project})
    answer = sg.export_page(page["id"], "csv")
    assert isinstance(answer, bytes)
    assert answer.splitlines()[1].endswith(b"sh010")
    with pytest.raises(shotgun_api3.Fault, match="not available"):
        sg.export_page(page["id"] + 100, "csv")


def test_an_rpc_sent_with_a_chunked_body_is_answered(local_site):
    conn = http.client.HTTPConnection("127.0.0.1", local_site.server.port)
    envelope = {"method_name": "read", "params": [
        {"script_name": SCRIPT, "script_key": local_site.keys[SCRIPT]},
        {"type": "HumanUser", "filters": {"logical_operator": "and", "conditions": [
            {"path": "login", "relation": "is", "values": ["ada"]}]},
         "return_fields": ["login"], "paging": {"current_page": 1, "entities_per_page": 10},
         "return_only": "active", "return_paging_info": True}]}
    text = json.dumps(envelope).encode()
    conn.request("POST", "/api3/json", body=iter([text[:20], text[20:]]),
                 headers={"Content-Type": "application/json"}, encode_chunked=True)
    answer = conn.getresponse()
    assert answer.status == 200
    entities = json.loads(answer.read())["results"]["entities"]
    assert [entity["login"] for entity in entities] == ["ada"]
    conn.close()
