"""The engine's file bookkeeping: one transaction per upload, internal calls only."""
from __future__ import annotations

import pytest


from shotgun_api3._engine import CallContext, Engine, EngineFault
from shotgun_api3._engine.files.attachments import LINK_UPLOAD, SHARE_THUMBNAIL, attachment_file, parse_thumbnail_path
from shotgun_api3._engine.files.internal import files_context

SCRIPT = CallContext(user={"type": "ApiUser", "id": 1})


@pytest.fixture
def engine():
    engine = Engine(site_url="http://site.test:8000")
    engine.call("create", {"type": "Project", "fields": [{"field_name": "name", "value": "P"}],
                           "return_fields": ["id"]}, SCRIPT)
    return engine


def new(engine, entity_type, code):
    return engine.call("create", {"type": entity_type, "fields": [{"field_name": "code", "value": code}],
                                  "return_fields": ["id"]}, SCRIPT)


def upload(**overrides):
    params = {"stored_name": "abc123", "size": 10, "filename": "clip.mov", "content_type": "video/quicktime",
              "entity_type": "Version", "entity_id": 1, "field_name": "sg_uploaded_movie",
              "display_name": "Clip", "tag_list": "a, b", "created_at": None}
    params.update(overrides)
    return params


def test_a_wire_call_cannot_reach_the_bookkeeping(engine):
    new(engine, "Version", "v1")
    for method in (LINK_UPLOAD, SHARE_THUMBNAIL):
        with pytest.raises(EngineFault, match="Unknown method"):
            engine.call(method, upload(), SCRIPT)
    assert not engine.tables.get("Attachment")


def test_linking_an_upload_creates_the_attachment_and_sets_the_field(engine):
    version = new(engine, "Version", "v1")
    attachment_id = engine.call(LINK_UPLOAD, upload(entity_id=version["id"]), files_context(SCRIPT))
    row = engine.tables["Attachment"][attachment_id]
    expected = {"content_type": "video/quicktime", "link_type": "upload", "name": "Clip",
                "url": "http://site.test:8000/file_serve/attachment/%d" % attachment_id,
                "type": "Attachment", "id": attachment_id}
    assert row["this_file"] == expected
    assert engine.tables["Version"][version["id"]]["sg_uploaded_movie"] == expected
    assert sorted(row["tag_list"]) == ["a", "b"]
    assert row["created_by"] == {"type": "ApiUser", "id": 1}
    assert attachment_file(engine, attachment_id) == {"stored_name": "abc123", "content_type": "video/quicktime",
                                                      "filename": "clip.mov"}
    events = [e["event_type"] for e in engine.tables.get("EventLogEntry", {}).values()]
    assert "Shotgun_Attachment_New" in events and "Shotgun_Version_Change" in events


def test_a_failed_link_leaves_nothing_behind(engine):
    version = new(engine, "Version", "v1")
    with pytest.raises(EngineFault, match="not a file/link field"):
        engine.call(LINK_UPLOAD, upload(entity_id=version["id"], field_name="code"), files_context(SCRIPT))
    with pytest.raises(EngineFault):
        engine.call(LINK_UPLOAD, upload(entity_id=404), files_context(SCRIPT))
    assert not engine.tables.get("Attachment")


def test_thumbnails_set_image_urls_and_share_them(engine):
    shots = [new(engine, "Shot", "s%d" % n) for n in range(3)]
    attachment_id = engine.call(LINK_UPLOAD, upload(entity_type="Shot", entity_id=shots[0]["id"], thumbnail="image",
                                                    stored_name="thumb1", filename="t.jpg"),
                                files_context(SCRIPT))
    image = engine.tables["Shot"][shots[0]["id"]]["image"]
    assert image == "http://site.test:8000/thumbnail/%d/thumb1" % attachment_id
    assert parse_thumbnail_path("/thumbnail/%d/thumb1" % attachment_id) == (attachment_id, "thumb1")
    shared = engine.call(SHARE_THUMBNAIL, {"entities": [{"type": "Shot", "id": s["id"]} for s in shots[1:]],
                                           "source_entity": {"type": "Shot", "id": shots[0]["id"]},
                                           "filmstrip": False}, files_context(SCRIPT))
    assert shared == attachment_id
    assert [engine.tables["Shot"][s["id"]]["image"] for s in shots] == [image] * 3
    with pytest.raises(EngineFault, match="has no filmstrip thumbnail"):
        engine.call(SHARE_THUMBNAIL, {"entities": [{"type": "Shot", "id": shots[1]["id"]}],
                                      "source_entity": {"type": "Shot", "id": shots[0]["id"]}, "filmstrip": True},
                    files_context(SCRIPT))
