"""The command line, and a site folder keeping every acknowledged write across restarts and crashes."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from shotgun_api3.local_site.cli import main

import shotgun_api3
from shotgun_api3.local_site.server import LocalSiteServer
from shotgun_api3.local_site.site import Site
from shotgun_api3._engine import CallContext, EngineFault


@pytest.mark.parametrize("command", [[], ["init"], ["serve"], ["add-script"], ["add-user"], ["seed-demo"], ["demo"]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main(command + ["--help"])
    assert exited.value.code == 0
    assert "usage: shotgun-local-site" in capsys.readouterr().out


def test_init_add_script_add_user_then_serve_in_process(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    admin_key = re.search(r"script_name=local_admin\s+api_key=(\S+)", capsys.readouterr().out).group(1)
    assert main(["add-script", "--site", str(folder), "ingest", "--key", "fixed-key"]) == 0
    assert "script_name=ingest  api_key=fixed-key" in capsys.readouterr().out
    assert main(["add-user", "--site", str(folder), "ada", "--password", "pw", "--name", "Ada Lovelace",
                 "--2fa"]) == 0
    assert re.search(r"Two-factor secret .*: [A-Z2-7]{32}", capsys.readouterr().out)
    assert main(["add-script", "--site", str(folder), "ingest"]) == 2
    assert "already exists" in capsys.readouterr().err

    site = Site.open(folder)
    try:
        with LocalSiteServer(site) as server:
            admin = shotgun_api3.Shotgun(server.url, script_name="local_admin", api_key=admin_key)
            ingest = shotgun_api3.Shotgun(server.url, script_name="ingest", api_key="fixed-key")
            assert admin.find_one("HumanUser", [["login", "is", "ada"]], ["name"])["name"] == "Ada Lovelace"
            assert {s["firstname"] for s in ingest.find("ApiUser", [], ["firstname"])} >= {"local_admin", "ingest"}
    finally:
        site.close()


def test_commands_refuse_a_missing_site_folder(tmp_path, capsys):
    assert main(["add-script", "--site", str(tmp_path / "nothing"), "x"]) == 2
    assert "not a site folder" in capsys.readouterr().err
    assert main(["init", "--site", str(tmp_path / "s")]) == 0
    assert main(["init", "--site", str(tmp_path / "s")]) == 2


def test_restart_keeps_rows_schema_changes_accounts_and_sessions(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script("robot")
    site.add_user("ada", "pw")
    with LocalSiteServer(site) as server:
        sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
        project = sg.create("Project", {"name": "Durable"})
        field = sg.schema_field_create("Shot", "number", "Frame Rate")
        shot = sg.create("Shot", {"code": "sh010", "project": project, field: 24})
        sg.delete("Shot", sg.create("Shot", {"code": "gone"})["id"])
        token = shotgun_api3.Shotgun(server.url, login="ada", password="pw").get_session_token()
    site.close()

    reopened = Site.open(folder)
    try:
        with LocalSiteServer(reopened) as server:
            sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
            found = sg.find_one("Shot", [["id", "is", shot["id"]]], ["code", "project", field, "created_at"])
            assert found["code"] == "sh010" and found[field] == 24 and found["project"]["id"] == project["id"]
            assert found["created_at"].tzinfo is not None
            assert [s["code"] for s in sg.find("Shot", [], ["code"], retired_only=True)] == ["gone"]
            assert field in sg.schema_field_read("Shot")
            by_token = shotgun_api3.Shotgun(server.url, session_token=token)
            assert by_token.find_one("HumanUser", [["login", "is", "ada"]], ["login"])["login"] == "ada"
            again = sg.create("Shot", {"code": "after_restart"})
            assert again["id"] > shot["id"]
    finally:
        reopened.close()


@pytest.mark.slow
def test_a_killed_server_loses_no_acknowledged_write(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script("robot")
    site.close()
    server = subprocess.Popen([sys.executable, "-m", "shotgun_api3.local_site", "serve", "--site", str(folder),
                               "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        url = None
        for line in server.stdout:
            match = re.search(r" at (http://\S+)", line)
            if match:
                url = match.group(1)
                break
        assert url, "the server did not print its URL"
        sg = shotgun_api3.Shotgun(url, script_name="robot", api_key=key)
        created = [sg.create("Shot", {"code": "sh%03d" % n})["id"] for n in range(60)]
        sg.update("Shot", created[0], {"description": "last acknowledged write"})
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait(30)
        server.stdout.close()
    reopened = Site.open(folder)
    try:
        with LocalSiteServer(reopened) as running:
            sg = shotgun_api3.Shotgun(running.url, script_name="robot", api_key=key)
            shots = sg.find("Shot", [], ["code", "description"], order=[{"field_name": "id", "direction": "asc"}])
            assert [s["id"] for s in shots] == created
            assert shots[0]["description"] == "last acknowledged write"
    finally:
        reopened.close()


def test_demo_runs_the_pipeline_and_exits_zero(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for step in ("make_project", "make_shots", "upload_media", "log_in_as_artist", "write_notes", "run_batch",
                 "summarize_report", "search_text", "read_event_log"):
        assert step in out
    assert "downloaded back identical" in out
    assert "Note > Reply > Reply" in out
    assert "SQ010: 3 shots, SQ020: 4 shots" in out
    assert "the site was stopped and its folder removed" in out


def test_seed_demo_fills_a_site_folder_and_prints_credentials(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder), "--script", ""]) == 0
    assert main(["seed-demo", "--site", str(folder)]) == 0
    out = capsys.readouterr().out
    key = re.search(r"script_name=demo_pipeline api_key=(\S+)", out).group(1)
    assert main(["seed-demo", "--site", str(folder)]) == 2
    assert "seed a fresh site" in capsys.readouterr().err
    site = Site.open(folder)
    try:
        with LocalSiteServer(site) as server:
            sg = shotgun_api3.Shotgun(server.url, script_name="demo_pipeline", api_key=key)
            assert sg.find_one("Project", [["name", "is", "Moonrise"]], ["name"])["name"] == "Moonrise"
            assert len(sg.find("Shot", [], ["code"])) == 7
    finally:
        site.close()


def test_serve_stops_cleanly_on_sigterm(tmp_path):
    folder = tmp_path / "site"
    Site.create(folder).close()
    server = subprocess.Popen([sys.executable, "-m", "shotgun_api3.local_site", "serve", "--site", str(folder),
                               "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        assert re.search(r" at http://127\.0\.0\.1:\d+", first), first
        assert main(["add-script", "--site", str(folder), "late"]) == 0  # sent to the serving process
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        assert "Stopping" in server.stdout.read()
    finally:
        if server.poll() is None:
            server.kill()
        server.stdout.close()
    assert main(["add-script", "--site", str(folder), "later"]) == 0
    assert main(["add-script", "--site", str(folder), "late"]) == 2  # it was added while serving


def test_public_url_is_what_the_site_hands_out():
    site = Site.in_memory()
    try:
        server = LocalSiteServer(site, public_url="https://sg.studio.example/")
        assert server.url == site.url == site.engine.site_url == "https://sg.studio.example"
        server.start()
        server.stop()
    finally:
        site.close()


def test_a_serving_process_collects_garbage_less_often_and_keeps_its_tables_out_of_it():
    import gc

    from shotgun_api3.local_site.server import tune_garbage_collector

    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_threshold()[0] >= 50_000
        assert gc.get_freeze_count() > 0
        assert Site.freeze_survivors
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        Site.freeze_survivors = False


def test_what_calls_leave_alive_is_frozen_and_calls_leave_no_cyclic_garbage(tmp_path, monkeypatch):
    import gc

    monkeypatch.setattr(Site, "freeze_survivors", True)
    site = Site.create(tmp_path / "site")
    site.url = "http://127.0.0.1:5990"
    entity, _key = site.add_script("gc", key="k" * 40)
    context = CallContext(user={"type": "ApiUser", "id": entity["id"]}, script_name="gc")

    def creates(entity_type, datas):
        return site.call("batch", [{"request_type": "create", "type": entity_type, "return_fields": ["id"],
                                    "fields": [{"field_name": k, "value": v} for k, v in data.items()]}
                                   for data in datas], context)

    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        project = {"type": "Project", "id": creates("Project", [{"name": "P"}])[0]["id"]}
        frozen = gc.get_freeze_count()
        shots = creates("Shot", [{"code": "SH%d" % n, "project": project} for n in range(300)])
        # The 300 Shots, their events and links (thousands of objects) went to the frozen generation.
        assert gc.get_freeze_count() > frozen and gc.get_count()[0] < 100
        creates("Note", [{"subject": "n", "project": project, "note_links": [{"type": "Shot", "id": shot["id"]}]}
                         for shot in shots])
        with pytest.raises(EngineFault):
            creates("Shot", [{"code": 5}])
        site.call("read", {"type": "Shot", "return_fields": ["code"], "return_only": "active",
                           "filters": {"logical_operator": "and", "conditions": []},
                           "paging": {"entities_per_page": 500, "current_page": 1}}, context)
        # Freezing would keep cyclic garbage for ever: calls, failing ones included, make none.
        assert gc.collect() == 0
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
        site.close()


def test_file_links_follow_the_site_to_a_new_address(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script("robot")
    source = tmp_path / "movie.mov"
    source.write_bytes(b"frames" * 1000)
    thumbnail = tmp_path / "thumb.png"
    thumbnail.write_bytes(b"\x89PNG fake")
    with LocalSiteServer(site) as server:
        first_url = server.url
        sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
        web_link = {"url": server.url + "/file_serve/attachment/1", "name": "a link someone typed"}
        version = sg.create("Version", {"code": "v001", "description": "notes at %s/file_serve/x" % server.url,
                                        "sg_uploaded_movie_mp4": web_link})
        sg.upload("Version", version["id"], str(source), "sg_uploaded_movie")
        sg.upload_thumbnail("Version", version["id"], str(thumbnail))
        before = sg.find_one("Version", [["id", "is", version["id"]]], ["sg_uploaded_movie", "image"])
        assert before["sg_uploaded_movie"]["url"].startswith(first_url + "/")
    site.close()

    reopened = Site.open(folder)
    try:
        # Another port: the server picks a free one, so the address changes.
        with LocalSiteServer(reopened) as server:
            assert server.url != first_url
            sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
            after = sg.find_one("Version", [["id", "is", version["id"]]],
                                ["sg_uploaded_movie", "image", "description", "sg_uploaded_movie_mp4"])
            assert after["sg_uploaded_movie_mp4"]["url"] == web_link["url"]  # a web link is not the site's own
            assert after["sg_uploaded_movie"]["url"] == before["sg_uploaded_movie"]["url"].replace(first_url, server.url)
            assert after["image"].startswith(server.url + "/")
            assert after["description"] == "notes at %s/file_serve/x" % first_url  # text is left alone
            assert sg.download_attachment(after["sg_uploaded_movie"]) == b"frames" * 1000
    finally:
        reopened.close()
    again = Site.open(folder)
    try:
        # Reopened without serving: the links keep the last address they were moved to.
        row = again.engine.tables["Version"][version["id"]]
        assert row["sg_uploaded_movie"]["url"].startswith(server.url + "/")
    finally:
        again.close()


def test_a_failed_move_of_file_links_puts_them_back(tmp_path, monkeypatch):
    site = Site.create(tmp_path / "site")
    try:
        site.url = "http://127.0.0.1:8001"
        site.engine.tables["Version"][1] = {"type": "Version", "id": 1, "code": "v", "__retired": False,
                                            "image": "http://127.0.0.1:8001/thumbnail/1/a.png"}

        def refuse(changes, schema):
            raise OSError("disk full")

        monkeypatch.setattr(site.store, "commit", refuse)
        with pytest.raises(OSError, match="disk full"):
            site.url = "http://127.0.0.1:8002"
        assert site.engine.tables["Version"][1]["image"] == "http://127.0.0.1:8001/thumbnail/1/a.png"
        assert site.url == site.engine.site_url == "http://127.0.0.1:8001"
        monkeypatch.undo()
        site.url = "http://127.0.0.1:8002"
        assert site.engine.tables["Version"][1]["image"] == "http://127.0.0.1:8002/thumbnail/1/a.png"
    finally:
        site.close()


def test_links_made_under_any_earlier_address_move_even_without_a_recorded_one(tmp_path):
    site = Site.create(tmp_path / "site")  # as a site made before addresses were recorded
    try:
        upload = {"link_type": "upload", "name": "a.mov", "content_type": "video/quicktime", "type": "Attachment"}
        rows = site.engine.tables["Version"]
        rows[1] = {"type": "Version", "id": 1, "code": "a", "__retired": False,
                   "sg_uploaded_movie": dict(upload, id=1, url="http://127.0.0.1:0/file_serve/attachment/1"),
                   "image": "http://old-host:8090/thumbnail/2/a.png"}
        rows[2] = {"type": "Version", "id": 2, "code": "b", "__retired": False,
                   "sg_uploaded_movie": dict(upload, id=3, url="https://proxy.example/site/file_serve/attachment/3"),
                   "sg_uploaded_movie_mp4": {"link_type": "web", "url": "http://old-host:8090/file_serve/attachment/9"},
                   "image": "not a thumbnail URL"}
        site.url = "http://127.0.0.1:8123/"
        assert rows[1]["sg_uploaded_movie"]["url"] == "http://127.0.0.1:8123/file_serve/attachment/1"
        assert rows[1]["image"] == "http://127.0.0.1:8123/thumbnail/2/a.png"
        assert rows[2]["sg_uploaded_movie"]["url"] == "http://127.0.0.1:8123/file_serve/attachment/3"
        assert rows[2]["sg_uploaded_movie_mp4"]["url"] == "http://old-host:8090/file_serve/attachment/9"
        assert rows[2]["image"] == "not a thumbnail URL"
        assert site.url == "http://127.0.0.1:8123"
    finally:
        site.close()


def test_a_server_that_cannot_take_its_address_closes_its_socket(tmp_path, monkeypatch):
    from shotgun_api3.local_site import server as server_module

    made = []

    class RecordingHttpServer(server_module.HttpServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    site = Site.create(tmp_path / "site")
    try:
        site.url = "http://127.0.0.1:8001"
        site.engine.tables["Version"][1] = {"type": "Version", "id": 1, "code": "v", "__retired": False,
                                            "image": "http://127.0.0.1:8001/thumbnail/1/a.png"}
        monkeypatch.setattr(server_module, "HttpServer", RecordingHttpServer)
        monkeypatch.setattr(site.store, "commit", lambda changes, schema: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(OSError, match="disk full"):
            LocalSiteServer(site)
        assert made and made[0]._listener.fileno() == -1
    finally:
        site.close()
