"""`shotgun-local-site import`: a project copied from a site over HTTP, or a fixture, into a local site (issue 16)."""
from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from shotgun_api3.local_site import site_import
from shotgun_api3.local_site.cli import main
from shotgun_api3.local_site.import_journal import JOURNAL_NAME, ImportJournal
from shotgun_api3.local_site.site_import_cli import ProgressDisplay
from shotgun_api3.local_site.site import Site
from tests.local_site.import_seed import seeded_site
from tests.support.running_site import PASSWORD, SCRIPT

#: Fields holding the source site's files: without --files they are left empty (docs: Bringing a site home).
FILE_FIELDS = ("image", "filmstrip_image", "this_file", "sg_uploaded_movie", "sg_uploaded_movie_mp4",
               "sg_uploaded_movie_webm", "sg_uploaded_movie_image", "sg_uploaded_movie_frame_rate")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The seeded source site, served: ``(running site, seed ids)``."""
    with seeded_site(tmp_path_factory.mktemp("import_source")) as served:
        yield served


@pytest.fixture
def credentials(source, monkeypatch):
    running, _ = source
    monkeypatch.setenv("SHOTGUN_SCRIPT_NAME", SCRIPT)
    monkeypatch.setenv("SHOTGUN_API_KEY", running.key)
    return running


def run(*argv) -> int:
    return main(["import"] + [str(arg) for arg in argv])


def rows(folder: Path) -> dict:
    """Every row of the site in ``folder``, ``{type: {id: row}}`` (read and closed)."""
    site = Site.open(folder)
    try:
        return {entity_type: {entity_id: dict(row) for entity_id, row in table.items()}
                for entity_type, table in site.engine.tables.items() if table}
    finally:
        site.close()


def export(folder: Path, path: Path) -> bytes:
    assert main(["export", "--site", str(folder), "--output", str(path)]) == 0
    return path.read_bytes()


def link_key(value):
    if isinstance(value, dict) and "type" in value and "id" in value:
        return (value["type"], value["id"])
    if isinstance(value, list):
        return [link_key(item) for item in value]
    return value


def live_links(tables, value):
    def live(link):
        return not tables.get(link["type"], {}).get(link["id"], {}).get("__retired")

    if isinstance(value, dict) and "type" in value and "id" in value:
        return value if live(value) else None
    if isinstance(value, list) and all(isinstance(link, dict) and "id" in link for link in value):
        return [link for link in value if live(link)]
    return value


def alpha_selection(running, ids) -> dict:
    """``{type: {id: row}}``: the source rows `--project Alpha` selects (live records of project types)."""
    alpha = ids["alpha"]["id"]
    selected = {"Project": {alpha: running.site.engine.tables["Project"][alpha]}}
    for entity_type, table in running.site.engine.tables.items():
        if "project" not in running.site.engine.schema.field_infos(entity_type):
            continue
        for entity_id, row in table.items():
            if (row.get("project") or {}).get("id") == alpha and not row["__retired"]:
                selected.setdefault(entity_type, {})[entity_id] = row
    return selected


def test_a_project_is_copied_field_by_field(credentials, source, tmp_path, capsys):
    running, ids = source
    target = tmp_path / "home"
    assert run(running.url, "--site", target, "--project", "Alpha") == 0
    out = capsys.readouterr().out
    assert "Shot" in out and "new" in out
    copied = rows(target)
    expected = alpha_selection(running, ids)
    assert {t: sorted(table) for t, table in copied.items()} == {t: sorted(table) for t, table in expected.items()}
    for entity_type, table in expected.items():
        for entity_id, source_row in table.items():
            row = copied[entity_type][entity_id]  # ids kept: the target was empty
            for field, value in source_row.items():
                if field in FILE_FIELDS or running.site.engine.schema.field_infos(entity_type).get(field) is None:
                    continue
                info = running.site.engine.schema.field_infos(entity_type)[field]
                if info.data_type in ("password", "pivot_column"):
                    continue
                if info.data_type == "url" and isinstance(value, dict) and value.get("link_type") == "upload":
                    assert row[field] is None
                    continue
                value = live_links(running.site.engine.tables, value)  # a site reads links to retired records as empty
                assert link_key(row[field]) == link_key(value), (entity_type, entity_id, field)
    shot = copied["Shot"][ids["shots"][0]["id"]]
    assert shot["sg_custom_notes"] == "ünïcødé ✓ 1" and shot["description"] is None
    # A link to a record not copied (Beta's asset) is kept with its name.
    assert {"type": "Asset", "id": ids["outside"]["id"], "name": "hero"} in shot["assets"]
    task = copied["Task"][ids["tasks"][0]["id"]]
    assert task["task_assignees"] == [{"type": "HumanUser", "id": running.user["id"], "name": "Ada Lovelace"}]
    assert ids["retired"]["id"] not in copied["Shot"]
    # The whole schema came along: custom fields, valid values, display names.
    site = Site.open(target)
    try:
        level = site.engine.schema.fields["Shot"]["sg_shot_level"]
        assert level["properties"]["valid_values"]["value"] == ["low", "high"]
        assert site.engine.schema.fields["Shot"]["sg_custom_notes"]["name"]["value"] == "Custom Notes"
        assert set(site.engine.schema.fields) == set(running.site.engine.schema.fields)
        # Per-project visibility comes with the project: Alpha hides a field; Beta was not copied.
        assert site.engine.schema.visibility == {str(ids["alpha"]["id"]): {"Shot": {"sg_shot_level": False}}}
    finally:
        site.close()


def test_a_second_run_changes_nothing(credentials, source, tmp_path, capsys):
    running, _ = source
    target = tmp_path / "home"
    assert run(running.url, "--site", target, "--project", "Alpha") == 0
    first = export(target, tmp_path / "first.json")
    capsys.readouterr()
    assert run(running.url, "--site", target, "--project", "Alpha") == 0
    assert "Done: 0 new, 0 updated" in capsys.readouterr().out
    assert export(target, tmp_path / "second.json") == first


def test_an_import_killed_halfway_resumes_to_the_same_result(credentials, source, tmp_path, monkeypatch, capsys):
    running, _ = source
    whole = tmp_path / "whole"
    assert run(running.url, "--site", whole, "--project", "Alpha") == 0
    monkeypatch.setattr(site_import, "PAGE_SIZE", 2)
    pages = []
    real_copy_page = site_import.SiteImporter._copy_page

    def failing_copy_page(self, *args):
        if len(pages) == 4:
            raise KeyboardInterrupt  # as Ctrl-C, or a kill, after 4 pages were committed
        pages.append(args[0])
        return real_copy_page(self, *args)

    monkeypatch.setattr(site_import.SiteImporter, "_copy_page", failing_copy_page)
    cut = tmp_path / "cut"
    assert run(running.url, "--site", cut, "--project", "Alpha") == 130
    journal = (cut / JOURNAL_NAME).read_text(encoding="utf-8")
    assert '"event": "page"' in journal and '"event": "done"' not in journal
    monkeypatch.setattr(site_import.SiteImporter, "_copy_page", real_copy_page)
    capsys.readouterr()
    assert run(running.url, "--site", cut, "--project", "Alpha") == 0
    out = capsys.readouterr().out
    assert "Resumed and finished" in out
    assert export(cut, tmp_path / "cut.json") == export(whole, tmp_path / "whole.json")


def test_export_then_import_round_trips_a_site_exactly(source, tmp_path):
    running, _ = source
    fixture = tmp_path / "site.json"
    original = export(running.site.folder, fixture)
    assert run(fixture, "--site", tmp_path / "copy", "--retired") == 0
    assert export(tmp_path / "copy", tmp_path / "again.json") == original
    # Without --retired, the retired records (and only they) stay behind.
    assert run(fixture, "--site", tmp_path / "live") == 0
    live = {line.rstrip(",") for line in export(tmp_path / "live", tmp_path / "live.json").decode("utf-8").splitlines()}
    lines = [line.rstrip(",") for line in original.decode("utf-8").splitlines()]
    assert [line for line in lines if line not in live] == [line for line in lines if '"__retired": true' in line]


def test_a_fixture_source_takes_the_same_selections(source, tmp_path):
    running, ids = source
    fixture = tmp_path / "site.json"
    export(running.site.folder, fixture)
    target = tmp_path / "shots"
    assert run(fixture, "--site", target, "--type", "Shot", "--filter", '[["code", "in", ["sh001", "sh002"]]]',
               "--links", "drop") == 0
    copied = rows(target)
    assert set(copied) == {"Shot"}
    assert sorted(row["code"] for row in copied["Shot"].values()) == ["sh001", "sh002"]
    shot = copied["Shot"][ids["shots"][0]["id"]]
    assert shot["assets"] == [] and shot["project"] is None and shot["tasks"] == []  # links dropped
    assert shot["sg_custom_notes"] == "ünïcødé ✓ 1"


def test_a_non_empty_target_gets_mapped_ids_and_the_mapping_is_reported(credentials, source, tmp_path, capsys):
    running, ids = source
    target = tmp_path / "busy"
    site = Site.create(target)
    try:
        project = site._create_entity("Project", {"name": "Already here"})
        for n in range(8):
            site._create_entity("Shot", {"code": "local %d" % n, "project": project})
    finally:
        site.close()
    capsys.readouterr()
    assert run(running.url, "--site", target, "--project", "Alpha") == 0
    out = capsys.readouterr().out
    assert "ids of Shot moved by +8" in out and "ids of Project moved by +1" in out
    copied = rows(target)
    first = ids["shots"][0]["id"]
    shot = copied["Shot"][first + 8]
    assert shot["code"] == "sh001" and shot["project"] == {"type": "Project", "id": ids["alpha"]["id"] + 1}
    assert copied["Shot"][first]["code"] == "local 0"  # the site's own records are untouched
    task = [row for row in copied["Task"].values() if row["content"] == "anim 0"][0]
    assert task["entity"] == {"type": "Shot", "id": first + 8}
    capsys.readouterr()
    assert run(running.url, "--site", target, "--project", "Alpha") == 0  # the mapping is reused
    assert "Done: 0 new, 0 updated" in capsys.readouterr().out


def test_anonymise_replaces_people_and_free_text_with_stable_fakes(credentials, source, tmp_path):
    running, ids = source
    made = []
    for name in ("one", "two"):
        assert run(running.url, "--site", tmp_path / name, "--project", "Alpha", "--type", "Task", "--type", "Note",
                   "--type", "HumanUser", "--anonymise") == 0
        made.append(rows(tmp_path / name))
    one, two = made
    assert one == two or export(tmp_path / "one", tmp_path / "1.json") == export(tmp_path / "two", tmp_path / "2.json")
    user = one["HumanUser"][running.user["id"]]
    text = json.dumps({t: list(table.values()) for t, table in one.items()}, default=str)
    for real in ("Ada", "Lovelace", "ada@", "Ada says"):
        assert real not in text
    assert user["login"].startswith("user.") and user["email"].endswith("@example.invalid")
    task = one["Task"][ids["tasks"][0]["id"]]
    assert task["content"] == "anim 0"  # a task's name is not free text
    note = one["Note"][ids["note"]["id"]]
    assert note["content"] != "Ada says: longer\nmultiline text" and note["content"].startswith("text ")


def test_selections_an_empty_project_and_chosen_fields(credentials, source, tmp_path):
    running, ids = source
    assert run(running.url, "--site", tmp_path / "empty", "--project", ids["empty"]["id"]) == 0
    copied = rows(tmp_path / "empty")
    assert sorted(copied) == ["EventLogEntry", "Project"] and copied["Project"][ids["empty"]["id"]]["name"] == "Γάμμα (empty)"
    assert run(running.url, "--site", tmp_path / "fields", "--project", "Alpha", "--type", "Shot",
               "--fields", "code", "--retired") == 0
    shots = rows(tmp_path / "fields")["Shot"]
    assert shots[ids["retired"]["id"]]["__retired"] is True
    assert all(row["project"] is None and row["code"] for row in shots.values())


def test_credentials_are_never_written_or_logged(source, tmp_path, caplog, capsys):
    running, _ = source
    caplog.set_level(logging.DEBUG, logger="shotgun_api3")
    target = tmp_path / "home"
    assert run(running.url, "--site", target, "--project", "Alpha", "--script-name", SCRIPT,
               "--api-key", running.key) == 0
    assert main(["-v", "import", "http://127.0.0.1:1", "--site", str(tmp_path / "x"), "--login", "ada",
                 "--password", PASSWORD]) == 2
    shown = capsys.readouterr()
    for secret in (running.key, PASSWORD):
        assert secret not in shown.out + shown.err + caplog.text
        for path in target.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_refusals_are_one_line(credentials, source, tmp_path, capsys):
    running, _ = source
    assert run(running.url, "--site", tmp_path / "a", "--project", "Nope") == 2
    assert "no project named 'Nope'" in capsys.readouterr().err
    assert run(running.url, "--site", tmp_path / "a", "--filter", "{not json") == 2
    assert "--filter is not JSON" in capsys.readouterr().err
    assert run(tmp_path / "missing.json", "--site", tmp_path / "a") == 2
    assert "neither a site URL" in capsys.readouterr().err
    assert run(running.url, "--site", tmp_path / "a", "--type", "NoSuchType") == 2
    assert "no entity type 'NoSuchType'" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()  # a refused import leaves no new folder behind


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    terminal, plain = _Terminal(), io.StringIO()
    for stream in (terminal, plain):
        show = ProgressDisplay(stream)
        show("Shot", 0, 4)
        show("Shot", 2, 4)
        show("Shot", 4, 4)
        show("Asset", 0, 0)
    assert "\r  Shot" in terminal.getvalue() and "[###############...............] 2/4" in terminal.getvalue()
    assert plain.getvalue().splitlines() == ["  Shot                     4 records"]


def test_a_journal_line_cut_short_by_a_crash_ends_the_journal(tmp_path):
    journal = ImportJournal(tmp_path)
    journal.write({"event": "start", "key": "k", "offsets": {"Shot": 0}})
    journal.write({"event": "page", "key": "k", "type": "Shot", "done": 500})
    with open(tmp_path / JOURNAL_NAME, "a", encoding="utf-8") as handle:
        handle.write('{"event": "page", "key": "k", "ty')
    assert journal.last_run("k") == {"offsets": {"Shot": 0}, "done": {"Shot": 500}, "finished": False}
    assert journal.last_run("other") is None
    assert ImportJournal(None).last_run("k") is None


def test_links_to_missing_records_are_kept_with_their_names_or_dropped(tmp_path):
    from shotgun_api3.lib.site_fixture import write_fixture
    from shotgun_api3.local_site.site import DEFAULT_SCHEMA_DIR, _schema_dicts

    fixture = tmp_path / "ghosts.json"
    with open(fixture, "w", encoding="utf-8") as handle:
        write_fixture(handle, _schema_dicts(DEFAULT_SCHEMA_DIR), [("Shot", [
            {"id": 3, "code": "haunted", "assets": [{"type": "Asset", "id": 99, "name": "ghost"}],
             "sg_sequence": {"type": "Sequence", "id": 98, "name": "lost"}, "description": None}])])
    assert run(fixture, "--site", tmp_path / "keep") == 0
    shot = rows(tmp_path / "keep")["Shot"][3]
    assert shot["assets"] == [{"type": "Asset", "id": 99, "name": "ghost"}]
    assert shot["sg_sequence"] == {"type": "Sequence", "id": 98, "name": "lost"} and shot["description"] is None
    assert run(fixture, "--site", tmp_path / "drop", "--links", "drop") == 0
    shot = rows(tmp_path / "drop")["Shot"][3]
    assert shot["assets"] == [] and shot["sg_sequence"] is None and shot["code"] == "haunted"


def test_a_url_source_is_named_without_the_credentials_written_into_it():
    from shotgun_api3.local_site.import_sources import ClientSource

    assert ClientSource(None, "https://bot:s3cret@studio.example.com/").describe() == "https://studio.example.com/"


def test_user_credentials_from_the_environment(source, tmp_path, monkeypatch, capsys):
    running, ids = source
    monkeypatch.setenv("SHOTGUN_LOGIN", "ada")
    monkeypatch.setenv("SHOTGUN_PASSWORD", PASSWORD)
    assert run(running.url, "--site", tmp_path / "home", "--type", "Sequence") == 0
    assert [row["code"] for row in rows(tmp_path / "home")["Sequence"].values()] == ["SQ010"]
    assert PASSWORD not in capsys.readouterr().out


def test_files_come_along_with_files(credentials, source, tmp_path, capsys):
    from tests.local_site.import_seed import PNG
    from tests.support.running_site import running_local_site

    running, ids = source
    target = tmp_path / "files"
    assert run(running.url, "--site", target, "--type", "Shot", "--type", "Attachment", "--files") == 0
    assert "files: 2 copied" in capsys.readouterr().out
    assert run(running.url, "--site", target, "--type", "Shot", "--type", "Attachment", "--files") == 0
    again = capsys.readouterr().out
    assert "Done: 0 new, 0 updated" in again and "files: 0 copied" in again  # nothing downloaded twice
    site = Site.open(target)
    try:
        with running_local_site(site) as served:
            sg = served.client()
            shot = sg.find_one("Shot", [["id", "is", ids["shots"][1]["id"]]], ["image"])
            assert shot["image"].startswith(served.url + "/thumbnail/")
            assert sg.download_attachment({"url": shot["image"]}) == PNG
            attachment = sg.find_one("Attachment", [["attachment_links", "is", ids["shots"][0]]], ["this_file"])
            assert attachment["this_file"]["name"] == "brief.txt"
            assert sg.download_attachment(attachment) == b"the brief\n"
            sg.close()
    finally:
        site.close()


def test_files_over_the_cap_are_left_out(credentials, source, tmp_path, capsys):
    running, ids = source
    target = tmp_path / "capped"
    assert run(running.url, "--site", target, "--type", "Shot", "--type", "Attachment", "--files",
               "--max-file-mb", "0.000005") == 0
    assert "2 over --max-file-mb" in capsys.readouterr().out
    copied = rows(target)
    assert copied["Shot"][ids["shots"][1]["id"]]["image"] is None
    assert sorted(copied["Attachment"]) == [1, 2]  # the records are copied, their files are not
    assert all(row["this_file"] is None and "__stored_file" not in row for row in copied["Attachment"].values())
    capsys.readouterr()
    assert run(running.url, "--site", target, "--type", "Shot", "--type", "Attachment", "--files",
               "--max-file-mb", "0.000005") == 0
    assert "Done: 0 new, 0 updated" in capsys.readouterr().out


def test_an_import_process_killed_halfway_resumes_to_the_same_result(credentials, source, tmp_path, capsys):
    import os
    import signal
    import subprocess
    import sys
    import time

    running, _ = source
    whole = tmp_path / "whole"
    assert run(running.url, "--site", whole, "--project", "Alpha") == 0
    cut = tmp_path / "cut"
    slow_import = (  # 2 records a page, a pause after each, so the kill lands between pages or inside one
        "import sys, time\n"
        "from shotgun_api3.local_site import site_import\n"
        "from shotgun_api3.local_site.cli import main\n"
        "site_import.PAGE_SIZE = 2\n"
        "copy_page = site_import.SiteImporter._copy_page\n"
        "def slow(self, *args):\n"
        "    time.sleep(0.05)\n"
        "    return copy_page(self, *args)\n"
        "site_import.SiteImporter._copy_page = slow\n"
        "sys.exit(main(sys.argv[1:]))\n")
    process = subprocess.Popen([sys.executable, "-c", slow_import, "import", running.url, "--site", str(cut),
                                "--project", "Alpha"], stdout=subprocess.DEVNULL, env=dict(os.environ))
    journal = cut / JOURNAL_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and journal.read_text(encoding="utf-8").count('"event": "page"') >= 3:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert '"event": "done"' not in journal.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run(running.url, "--site", cut, "--project", "Alpha") == 0
    assert "Resumed and finished" in capsys.readouterr().out
    assert export(cut, tmp_path / "cut.json") == export(whole, tmp_path / "whole.json")


def test_thumbnails_that_name_no_attachment_get_one_reserved_once(credentials, source, tmp_path, monkeypatch,
                                                                  capsys):
    import re

    from shotgun_api3.local_site import import_files
    from tests.local_site.import_seed import PNG
    from tests.support.running_site import running_local_site

    running, ids = source
    # As a hosted site's thumbnails: storage URLs that name no Attachment of the source.
    monkeypatch.setattr(import_files, "_LOCAL_THUMBNAIL", re.compile(r"(?!)"))
    target = tmp_path / "hosted"
    for _ in range(2):
        capsys.readouterr()
        assert run(running.url, "--site", target, "--type", "Shot", "--files") == 0
    again = capsys.readouterr().out
    assert "Done: 0 new, 0 updated" in again and "files: 0 copied" in again
    site = Site.open(target)
    try:
        reserved = [value for key, value in site.store.read_state().items()
                    if key.startswith(import_files.THUMBNAIL_STATE)]
        assert len(reserved) == 1 and reserved[0][0] > 2  # above the source's Attachment ids
        with running_local_site(site) as served:
            sg = served.client()
            shot = sg.find_one("Shot", [["id", "is", ids["shots"][1]["id"]]], ["image"])
            assert shot["image"] == "%s/thumbnail/%d/%s" % (served.url, reserved[0][0], reserved[0][1])
            assert sg.download_attachment({"url": shot["image"]}) == PNG
            sg.close()
    finally:
        site.close()
