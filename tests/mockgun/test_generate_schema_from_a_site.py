"""generate_schema captures the schema of a served site, which mockgun then loads; the same calls answer alike."""

import pytest

from shotgun_api3.lib import mockgun
from tests.support.schema_paths import mockgun_schema_paths


@pytest.fixture
def restore_schema_paths():
    with mockgun_schema_paths():
        yield


def test_generate_schema_from_the_local_site_loads_into_mockgun(local_site, tmp_path, restore_schema_paths):
    site = local_site.client()
    site.schema_field_create("Shot", "text", "Lens Notes")
    schema_path, entity_path = str(tmp_path / "schema.pickle"), str(tmp_path / "schema_entity.pickle")
    mockgun.generate_schema(site, schema_path, entity_path)
    mockgun.Shotgun.set_schema_paths(schema_path, entity_path)
    sg = mockgun.Shotgun("http://unit_test_mock_sg")
    assert sg.schema_field_read("Shot", "sg_lens_notes")["sg_lens_notes"]["data_type"]["value"] == "text"
    assert sg.schema_entity_read() == site.schema_entity_read()


def test_mockgun_and_the_local_site_answer_summaries_and_threads_alike(local_site, sg):
    site = local_site.client()
    results = []
    for client in (site, sg):
        project = client.create("Project", {"name": "Pilot"})
        seq = client.create("Sequence", {"code": "sq01", "project": project})
        for n, cut_in in enumerate((10, 20, 35)):
            client.create("Shot", {"code": "sh%03d" % n, "project": project, "sg_cut_in": cut_in,
                                   "sg_sequence": seq if n else None})
        note = client.create("Note", {"subject": "hi", "content": "look", "project": project})
        client.create("Reply", {"content": "done", "entity": note})
        summary = client.summarize("Shot", [["project", "is", project]], [{"field": "sg_cut_in", "type": "sum"}],
                                   grouping=[{"field": "sg_sequence", "type": "exact", "direction": "asc"},
                                             {"field": "sg_cut_in", "type": "tens", "direction": "desc"}])
        thread = client.note_thread_read(note["id"])
        search = client.text_search("sh00", {"Shot": []})
        results.append((summary, [(item["type"], item.get("content")) for item in thread],
                        [match["name"] for match in search["matches"]]))
    assert results[0] == results[1]
