"""Site fixtures: `shotgun-local-site export` writes them, mockgun loads them in one call (issue 16)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from shotgun_api3.lib import mockgun
from shotgun_api3.lib.site_fixture import FORMAT_NAME, FORMAT_VERSION, FixtureError, read_fixture
from shotgun_api3.local_site.cli import main
from tests.local_site.import_seed import seeded_site

FINDS = [
    ("Shot", [["project.Project.name", "is", "Alpha"]],
     ["code", "sg_sequence", "assets", "sg_custom_notes", "sg_shot_level", "created_at", "project", "tasks"]),
    ("Task", [["entity.Shot.code", "is", "sh001"]], ["content", "task_assignees", "due_date", "entity"]),
    ("Shot", [["sg_custom_notes", "contains", "✓"]], ["code", "sg_custom_notes"]),
    ("Note", [], ["subject", "content", "note_links", "addressings_to", "project"]),
    ("Project", [], ["name", "created_by"]),
    ("Asset", [["sg_asset_type", "is", None]], ["code", "project"]),
    ("HumanUser", [["login", "is", "ada"]], ["name", "email", "login"]),
]


def normalised(value):
    """Answers compared across sites: datetimes in UTC."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc)
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A seeded site, served, and its fixture exported with the CLI: ``(running, ids, fixture path)``."""
    folder = tmp_path_factory.mktemp("fixture")
    with seeded_site(folder) as (running, ids):
        path = folder / "site.json"
        assert main(["export", "--site", str(folder / "source"), "--output", str(path)]) == 0
        yield running, ids, path


def test_export_writes_a_versioned_sorted_fixture(exported):
    _, ids, path = exported
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == FORMAT_NAME and data["version"] == FORMAT_VERSION
    assert "sg_custom_notes" in data["schema"]["Shot"]
    assert list(data["records"]) == sorted(data["records"])
    shots = data["records"]["Shot"]
    assert [shot["id"] for shot in shots] == sorted(shot["id"] for shot in shots)
    assert "ünïcødé ✓ 1" in text  # unicode as itself, not escaped: diffs read
    assert len(text.splitlines()) > sum(len(records) for records in data["records"].values())
    retired = [shot for shot in shots if shot["id"] == ids["retired"]["id"]]
    assert retired and retired[0]["__retired"] is True
    for record in shots:
        assert None not in record.values()  # empty values are left out


def test_export_is_stable_and_keeps_no_credentials(exported, tmp_path, capsys):
    running, _, path = exported
    again = tmp_path / "again.json"
    assert main(["export", "--site", str(running.site.folder), "--output", str(again)]) == 0
    assert again.read_bytes() == path.read_bytes()
    text = path.read_text(encoding="utf-8")
    for secret in list(running.keys.values()) + ["correct horse battery staple"]:
        assert secret not in text
    capsys.readouterr()
    assert main(["export", "--site", str(running.site.folder)]) == 0  # to standard output
    assert json.loads(capsys.readouterr().out)["format"] == FORMAT_NAME


def test_mockgun_loads_the_fixture_and_answers_as_the_site(exported):
    running, _, path = exported
    before = mockgun.Shotgun.get_schema_paths()
    mock = mockgun.Shotgun.from_fixture(path)
    assert mockgun.Shotgun.get_schema_paths() == before  # the class-wide schema is left alone
    mock.site_semantics = True
    sg = running.client()
    try:
        assert "sg_custom_notes" in mock.schema_field_read("Shot")
        assert mock.schema_field_read("Shot", "sg_shot_level")["sg_shot_level"]["properties"]["valid_values"][
            "value"] == ["low", "high"]
        for entity_type, filters, fields in FINDS:
            order = [{"field_name": "id", "direction": "asc"}]
            expected = sg.find(entity_type, filters, fields, order=order)
            assert expected, (entity_type, filters)
            assert normalised(mock.find(entity_type, filters, fields, order=order)) == normalised(expected)
        retired = [["code", "is", "gone"]]
        assert mock.find("Shot", retired, ["code"], retired_only=True) == sg.find("Shot", retired, ["code"],
                                                                                 retired_only=True)
    finally:
        sg.close()


def test_mockgun_fixture_in_reference_mode_holds_rows(exported):
    _, ids, path = exported
    mock = mockgun.Shotgun.from_fixture(path)
    shot = mock.find_one("Shot", [["id", "is", ids["shots"][0]["id"]]], ["code", "sg_custom_notes", "project"])
    assert shot["code"] == "sh001" and shot["sg_custom_notes"] == "ünïcødé ✓ 1"
    assert shot["project"]["id"] == ids["alpha"]["id"]
    new = mock.create("Shot", {"code": "new", "project": ids["alpha"]})
    assert new["id"] > max(shot["id"] for shot in ids["shots"])


def test_a_file_that_is_not_a_fixture_is_refused(tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"schema": {}}), encoding="utf-8")
    with pytest.raises(FixtureError, match="not a site fixture"):
        read_fixture(str(other))
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION + 1}), encoding="utf-8")
    with pytest.raises(FixtureError, match="version"):
        mockgun.Shotgun.from_fixture(newer)


def test_an_empty_site_exports_an_empty_fixture(tmp_path):
    assert main(["init", "--site", str(tmp_path / "s"), "--script", ""]) == 0
    path = tmp_path / "empty.json"
    assert main(["export", "--site", str(tmp_path / "s"), "--output", str(path)]) == 0
    fixture = read_fixture(str(path))
    assert set(fixture.records) == {"EventLogEntry", "Page"}  # what init makes only
    assert mockgun.Shotgun.from_fixture(path).find("Shot", [], ["code"]) == []
