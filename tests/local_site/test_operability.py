"""Operating a site while it runs: account commands, request logging, private files, store versions, clean refusals."""
from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys

import pytest

import shotgun_api3
from shotgun_api3.local_site.cli import main
from shotgun_api3.local_site.site import DATABASE_NAME, Site, SiteError
from shotgun_api3._engine.store.sqlite_store import SCHEMA_VERSION


class Serving:
    """``shotgun-local-site serve`` in a child process, on a port the system picks."""

    def __init__(self, folder, verbose=False, extra=()):
        command = [sys.executable, "-m", "shotgun_api3.local_site"] + (["-v"] if verbose else []) + [
            "serve", "--site", str(folder), "--port", "0"] + list(extra)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        match = re.search(r" at (http://127\.0\.0\.1:\d+)", first)
        assert match, first + self.process.stderr.read()
        self.url = match.group(1)

    def stop(self):
        self.process.terminate()
        assert self.process.wait(30) == 0
        out, err = self.process.communicate()
        return out, err


def _client(url, **credentials):
    return shotgun_api3.Shotgun(url, **credentials)


def _script_works(url, name, key):
    sg = _client(url, script_name=name, api_key=key)
    try:
        sg.find_one("Project", [])
        return True
    except shotgun_api3.AuthenticationFault:
        return False
    finally:
        sg.close()


def _key_of(output):
    return re.search(r"api_key=(\S+)", output).group(1)


def test_scripts_and_users_are_added_disabled_and_removed_while_serving(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder), "--script", ""]) == 0
    serving = Serving(folder)
    try:
        capsys.readouterr()
        assert main(["add-script", "--site", str(folder), "ingest"]) == 0
        key = _key_of(capsys.readouterr().out)
        assert _script_works(serving.url, "ingest", key)
        assert main(["disable-script", "--site", str(folder), "ingest"]) == 0
        assert not _script_works(serving.url, "ingest", key)
        assert main(["enable-script", "--site", str(folder), "ingest"]) == 0
        assert _script_works(serving.url, "ingest", key)
        assert main(["remove-script", "--site", str(folder), "ingest"]) == 0
        assert not _script_works(serving.url, "ingest", key)
        assert main(["remove-script", "--site", str(folder), "ingest"]) == 2
        assert "no script named 'ingest'" in capsys.readouterr().err

        assert main(["add-user", "--site", str(folder), "ada", "--password", "pw-1"]) == 0
        sg = _client(serving.url, login="ada", password="pw-1")
        assert sg.find_one("Project", []) is None
        sg.close()
        assert main(["disable-user", "--site", str(folder), "ada"]) == 0
        with pytest.raises(shotgun_api3.AuthenticationFault):
            _client(serving.url, login="ada", password="pw-1").find_one("Project", [])
        assert main(["remove-user", "--site", str(folder), "ada"]) == 0
        assert main(["add-user", "--site", str(folder), "ada", "--password", "pw-2"]) == 0
        sg = _client(serving.url, login="ada", password="pw-2")
        assert sg.find_one("HumanUser", [["login", "is", "ada"]], ["login"])["login"] == "ada"
        sg.close()
    finally:
        serving.stop()
    # What was done while serving is on disk.
    site = Site.open(folder)
    try:
        assert "ingest" not in site.accounts.scripts and "ada" in site.accounts.users
    finally:
        site.close()


def test_verbose_serve_logs_one_line_per_request_and_no_secret(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    key = _key_of(capsys.readouterr().out)
    serving = Serving(folder, verbose=True)
    try:
        sg = _client(serving.url, script_name="local_admin", api_key=key)
        sg.find("Shot", [["code", "is", "x"]])
        token = sg.get_session_token()
        sg.close()
    finally:
        _, err = serving.stop()
    lines = [line for line in err.splitlines() if "/api3/json" in line]
    assert any(re.search(r"POST /api3/json -> 200 in \d+\.\d ms", line) for line in lines), err
    assert len(lines) >= 3  # info, find, get_session_token: one each
    assert key not in err and token not in err


def test_serve_memory_mb_bounds_the_records_held_and_says_so_in_the_log(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    key = _key_of(capsys.readouterr().out)
    serving = Serving(folder, verbose=True, extra=["--memory-mb", "0.001"])
    try:
        sg = _client(serving.url, script_name="local_admin", api_key=key)
        shots = [sg.create("Shot", {"code": "sh%d" % n})["id"] for n in range(5)]
        for _ in range(2):  # each scan reads Shot whole; over the budget it is let go after the call
            assert [r["id"] for r in sg.find("Shot", [["code", "contains", "sh"]])] == shots
        sg.close()
    finally:
        _, err = serving.stop()
    assert "let go of the rows of" in err and "Shot" in err, err


def test_a_site_folder_and_its_database_are_private_to_the_owner(tmp_path):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / DATABASE_NAME).stat().st_mode) == 0o600
    site = Site.open(folder)
    site.add_script("more")  # writes: the -wal file exists now
    try:
        for name in (DATABASE_NAME + "-wal", DATABASE_NAME + "-shm"):
            if (folder / name).exists():
                assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
        assert stat.S_IMODE((folder / "files").stat().st_mode) == 0o700
    finally:
        site.close()


def test_an_older_folder_opened_loosely_is_made_private(tmp_path):
    folder = tmp_path / "site"
    Site.create(folder).close()
    os.chmod(folder, 0o755)
    os.chmod(folder / DATABASE_NAME, 0o644)
    Site.open(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / DATABASE_NAME).stat().st_mode) == 0o600


def _user_version(folder):
    with sqlite3.connect(str(folder / DATABASE_NAME)) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def _set_user_version(folder, version):
    db = sqlite3.connect(str(folder / DATABASE_NAME))
    db.execute("PRAGMA user_version = %d" % version)
    db.commit()
    db.close()


def test_the_store_carries_its_schema_version_and_migrates_an_older_folder(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script("robot")
    site.close()
    assert _user_version(folder) == SCHEMA_VERSION >= 1
    _set_user_version(folder, 0)  # as folders made before the store carried a version
    site = Site.open(folder)
    try:
        assert site.store.migrated_from == 0
        assert "robot" in site.accounts.scripts
    finally:
        site.close()
    assert _user_version(folder) == SCHEMA_VERSION


def test_a_folder_from_a_newer_release_is_refused_clearly(tmp_path, capsys):
    folder = tmp_path / "site"
    Site.create(folder).close()
    _set_user_version(folder, SCHEMA_VERSION + 1)
    with pytest.raises(SiteError, match="newer release"):
        Site.open(folder)
    assert main(["serve", "--site", str(folder), "--port", "0"]) == 2
    assert "newer release" in capsys.readouterr().err
    assert _user_version(folder) == SCHEMA_VERSION + 1


@pytest.mark.parametrize("command", [["add-script", "x"], ["add-user", "x", "--password", "p"], ["seed-demo"],
                                     ["disable-script", "x"], ["remove-user", "x"], ["serve", "--port", "0"]])
def test_a_command_refusing_a_missing_site_creates_nothing(tmp_path, capsys, command):
    folder = tmp_path / "nosuchsite"
    assert main(command[:1] + ["--site", str(folder)] + command[1:]) == 2
    assert "not a site folder" in capsys.readouterr().err
    assert not folder.exists()


def test_init_refusing_creates_nothing(tmp_path, capsys):
    folder = tmp_path / "new"
    assert main(["init", "--site", str(folder), "--schema", str(tmp_path / "no-schema-here")]) == 2
    assert not folder.exists()
    existing = tmp_path / "existing"
    assert main(["init", "--site", str(existing)]) == 0
    before = sorted(os.listdir(existing))
    assert main(["init", "--site", str(existing)]) == 2
    assert "already holds a site" in capsys.readouterr().err
    assert sorted(os.listdir(existing)) == before


def test_serve_with_anonymous_downloads_serves_files_without_a_cookie(tmp_path, capsys):
    import urllib.error
    import urllib.request

    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    key = _key_of(capsys.readouterr().out)
    source = tmp_path / "movie.txt"
    source.write_bytes(b"frames")
    for anonymous, expected in ((False, 403), (True, 200)):
        serving = Serving(folder, extra=["--anonymous-downloads"] if anonymous else [])
        try:
            sg = _client(serving.url, script_name="local_admin", api_key=key)
            shot = sg.create("Shot", {"code": "dl%d" % anonymous})
            attachment_id = sg.upload("Shot", shot["id"], str(source))
            sg.close()
            url = "%s/file_serve/attachment/%d" % (serving.url, attachment_id)
            try:
                status = urllib.request.urlopen(url, timeout=10).status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == expected
        finally:
            serving.stop()


def test_init_makes_the_default_pages_with_last_accessed(tmp_path, capsys):
    import datetime

    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder)]) == 0
    key = _key_of(capsys.readouterr().out)
    site = Site.open(folder)
    try:
        from shotgun_api3.local_site.server import LocalSiteServer

        with LocalSiteServer(site) as server:
            sg = _client(server.url, script_name="local_admin", api_key=key)
            pages = sg.find("Page", [], ["name", "entity_type", "last_accessed"])
            names = {page["name"]: page for page in pages}
            assert {"Projects", "People", "My Tasks"} <= set(names)
            assert names["Projects"]["entity_type"] == "Project"
            assert all(isinstance(page["last_accessed"], datetime.datetime) for page in pages)
            csv_text = sg.export_page(names["Projects"]["id"], "csv")
            assert csv_text.splitlines()[0] == b"Id,Project Name"
            sg.close()
    finally:
        site.close()
