"""text_search, note_thread_read and activity_stream_read through mockgun.

What a site answers: docs/site_facts.rst, Search, note threads and activity streams.
"""
import datetime

import pytest

import shotgun_api3


@pytest.fixture
def site(site_sg):
    sg = site_sg
    project = sg.create("Project", {"name": "Pilot"})
    other = sg.create("Project", {"name": "Other"})
    user = sg.create("HumanUser", {"login": "ann", "firstname": "Ann", "lastname": "Lee", "sg_status_list": "act"})
    seq = sg.create("Sequence", {"code": "sq01", "project": project})
    shots = [sg.create("Shot", {"code": "f00d Text Search %d" % n, "project": project, "sg_sequence": seq})
             for n in range(5)]
    asset = sg.create("Asset", {"code": "f00d Text Search asset", "project": other})
    return {"sg": sg, "project": project, "other": other, "user": user, "seq": seq, "shots": shots, "asset": asset}


def test_text_search_finds_every_record_whose_name_holds_the_words(site):
    result = site["sg"].text_search("f00d Text Search", {"Shot": [], "Asset": []})
    assert result["terms"] == ["f00d", "text", "search"]
    assert [(m["type"], m["id"]) for m in result["matches"]] == (
        [("Shot", shot["id"]) for shot in site["shots"]] + [("Asset", site["asset"]["id"])])


def test_text_search_match_shape(site):
    match = site["sg"].text_search("Search 3", {"Shot": []})["matches"][0]
    assert match == {"id": site["shots"][3]["id"], "type": "Shot", "name": "f00d Text Search 3",
                     "project_id": site["project"]["id"], "image": None, "links": ["Sequence", "sq01"],
                     "status": "wtg"}


def test_text_search_limit_project_ids_and_filters(site):
    sg = site["sg"]
    assert len(sg.text_search("f00d text", {"Shot": [], "Asset": []}, limit=2)["matches"]) == 2
    in_other = sg.text_search("f00d text", {"Shot": [], "Asset": []}, project_ids=[site["other"]["id"]])
    assert [m["type"] for m in in_other["matches"]] == ["Asset"]
    filtered = sg.text_search("f00d", {"Shot": [["code", "ends_with", "4"]]})
    assert [m["name"] for m in filtered["matches"]] == ["f00d Text Search 4"]


def test_text_search_without_a_match_and_with_an_asset_link(site):
    assert site["sg"].text_search("nothing like it", {"Shot": []})["matches"] == []
    match = site["sg"].text_search("asset", {"Asset": []})["matches"][0]
    assert match["links"] == ["", ""]


def test_text_search_needs_three_characters(site):
    with pytest.raises(shotgun_api3.Fault, match="3 characters"):
        site["sg"].text_search("ab", {"Shot": []})


def test_text_search_checks_entity_types_in_the_client(site):
    with pytest.raises(ValueError):
        site["sg"].text_search("abc", ["Shot"])


@pytest.fixture
def thread(site):
    sg = site["sg"]
    note = sg.create("Note", {"subject": "Notes on sh010", "content": "Make it pop", "project": site["project"],
                              "note_links": [site["shots"][0]]})
    sg._db["Note"][note["id"]]["created_by"] = {"type": "HumanUser", "id": site["user"]["id"]}
    sg._db["Note"][note["id"]]["created_at"] = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.timezone.utc)
    reply = sg.create("Reply", {"content": "Done", "entity": note})
    sg._db["Reply"][reply["id"]]["user"] = {"type": "HumanUser", "id": site["user"]["id"]}
    sg._db["Reply"][reply["id"]]["created_at"] = datetime.datetime(2024, 1, 3, 9, 0, tzinfo=datetime.timezone.utc)
    attachment = sg.create("Attachment", {"description": "frame"})
    sg.update("Note", note["id"], {"attachments": [attachment]})
    sg._db["Attachment"][attachment["id"]]["created_at"] = datetime.datetime(2024, 1, 2, 9, 0,
                                                                            tzinfo=datetime.timezone.utc)
    return {"note": note, "reply": reply, "attachment": attachment}


def test_note_thread_is_the_note_then_replies_and_attachments_oldest_first(site, thread):
    items = site["sg"].note_thread_read(thread["note"]["id"])
    assert [(item["type"], item["id"]) for item in items] == [
        ("Note", thread["note"]["id"]), ("Attachment", thread["attachment"]["id"]), ("Reply", thread["reply"]["id"])]


def test_note_thread_items_carry_the_default_keys_and_site_time_strings(site, thread):
    note, attachment, reply = site["sg"].note_thread_read(thread["note"]["id"])
    assert set(note) == {"content", "created_at", "created_by", "id", "type"}
    assert note["created_at"] == "2024-01-01 09:00:00 UTC"
    assert note["created_by"] == {"type": "HumanUser", "id": site["user"]["id"], "name": "Ann Lee",
                                  "status": "act", "valid": "valid"}
    assert set(reply) == {"content", "created_at", "user", "id", "type"}
    assert reply["user"]["image"] is None and reply["content"] == "Done"
    assert set(attachment) == {"created_at", "created_by", "id", "type"}


def test_note_thread_adds_the_requested_entity_fields(site, thread):
    items = site["sg"].note_thread_read(thread["note"]["id"], {"Note": ["subject", "project.Project.name"],
                                                               "Attachment": ["description"]})
    assert items[0]["subject"] == "Notes on sh010" and items[0]["project.Project.name"] == "Pilot"
    assert items[1]["description"] == "frame"


def test_note_thread_of_a_missing_note_is_a_fault(site):
    with pytest.raises(shotgun_api3.Fault, match="Note"):
        site["sg"].note_thread_read(999)


def test_note_thread_leaves_out_retired_replies(site, thread):
    site["sg"].delete("Reply", thread["reply"]["id"])
    assert [item["type"] for item in site["sg"].note_thread_read(thread["note"]["id"])] == ["Note", "Attachment"]


def test_activity_stream_has_the_shot_creation_and_the_linked_note_newest_first(site):
    sg = site["sg"]
    shot = site["shots"][0]
    note = sg.create("Note", {"subject": "hi", "project": site["project"], "note_links": [shot]})
    stream = sg.activity_stream_read("Shot", shot["id"])
    assert stream["entity_type"] == "Shot" and stream["entity_id"] == shot["id"]
    assert [(u["update_type"], u["meta"]["entity_type"]) for u in stream["updates"]] == [
        ("create", "Note"), ("create", "Shot")]
    assert stream["latest_update_id"] == stream["updates"][0]["id"]
    assert stream["earliest_update_id"] == stream["updates"][-1]["id"]
    newest = sg.activity_stream_read("Shot", shot["id"], limit=1)["updates"]
    assert len(newest) == 1 and newest[0]["meta"] == {"type": "new_entity", "entity_type": "Note",
                                                      "entity_id": note["id"]}
    assert newest[0]["primary_entity"] == {"type": "Note", "id": note["id"], "name": "hi", "status": "opn"}
    assert newest[0]["read"] is False


def test_activity_stream_shows_updates_and_pages_with_min_and_max_id(site):
    sg = site["sg"]
    shot = site["shots"][1]
    sg.update("Shot", shot["id"], {"description": "first"})
    sg.update("Shot", shot["id"], {"description": "second"})
    updates = sg.activity_stream_read("Shot", shot["id"])["updates"]
    assert [u["update_type"] for u in updates] == ["update", "update", "create"]
    assert updates[0]["meta"]["new_value"] == "second"
    older = sg.activity_stream_read("Shot", shot["id"], max_id=updates[1]["id"])["updates"]
    assert [u["id"] for u in older] == [updates[1]["id"], updates[2]["id"]]
    newer = sg.activity_stream_read("Shot", shot["id"], min_id=updates[0]["id"])["updates"]
    assert [u["id"] for u in newer] == [updates[0]["id"]]


def test_activity_stream_adds_requested_entity_fields(site):
    shot = site["shots"][2]
    update = site["sg"].activity_stream_read("Shot", shot["id"], {"Shot": ["code", "sg_sequence"]})["updates"][0]
    assert update["primary_entity"]["code"] == shot["code"]
    assert update["primary_entity"]["sg_sequence"]["name"] == "sq01"


def test_activity_stream_of_a_sequence_does_not_list_shots_made_before_it_was_linked(site):
    sg = site["sg"]
    seq2 = sg.create("Sequence", {"code": "sq02", "project": site["project"]})
    sg.update("Shot", site["shots"][0]["id"], {"sg_sequence": seq2})
    stream = sg.activity_stream_read("Sequence", seq2["id"])
    assert [u["primary_entity"]["type"] for u in stream["updates"]] == ["Sequence"]


def test_activity_stream_of_a_missing_record_is_a_fault(site):
    with pytest.raises(shotgun_api3.Fault):
        site["sg"].activity_stream_read("Shot", 999)
