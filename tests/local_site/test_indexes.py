"""Field indexes of the local site (issue 15): a find through an index answers what a scan answers.

The site indexes ``field is value`` (text and single-entity fields, and
``link.Type.field`` through a link) from the first query on a field on. Every
check compares the indexed form of a filter with the same filter under
``filter_operator: any``, which the site answers by a scan.
"""
from __future__ import annotations

import pytest

import shotgun_api3
from shotgun_api3.local_site.server import LocalSiteServer
from shotgun_api3.local_site.site import Site


def _both(sg, entity_type, condition, **options):
    """The ids a find answers with ``condition`` (indexed) and under ``any`` (scanned); asserts they agree."""
    indexed = [r["id"] for r in sg.find(entity_type, [condition], ["id"], **options)]
    scanned = [r["id"] for r in sg.find(entity_type, [condition], ["id"], filter_operator="any", **options)]
    assert indexed == scanned
    return indexed


def test_text_index_follows_creates_updates_retires_and_revives(sg):
    project = sg.create("Project", {"name": "Indexed"})
    first = sg.create("Shot", {"code": "sh010", "project": project})
    assert _both(sg, "Shot", ["code", "is", "SH010"]) == [first["id"]]  # the index is built here
    second = sg.create("Shot", {"code": "Sh010", "project": project})
    other = sg.create("Shot", {"code": "sh020", "project": project})
    assert _both(sg, "Shot", ["code", "is", "sh010"]) == [first["id"], second["id"]]
    sg.update("Shot", first["id"], {"code": "sh030"})
    assert _both(sg, "Shot", ["code", "is", "sh010"]) == [second["id"]]
    assert _both(sg, "Shot", ["code", "is", "sh030"]) == [first["id"]]
    sg.delete("Shot", second["id"])
    assert _both(sg, "Shot", ["code", "is", "sh010"]) == []
    assert _both(sg, "Shot", ["code", "is", "sh010"], retired_only=True) == [second["id"]]
    sg.revive("Shot", second["id"])
    assert _both(sg, "Shot", ["code", "is", "sh010"]) == [second["id"]]
    sg.update("Shot", other["id"], {"code": None})
    assert _both(sg, "Shot", ["code", "is", "sh020"]) == []
    assert _both(sg, "Shot", ["code", "is", None]) == [other["id"]]
    assert _both(sg, "Shot", ["code", "is", ""]) == []
    assert _both(sg, "Shot", ["code", "is", "no such code"]) == []
    assert sg.find_one("Shot", [["code", "is", "sh030"], ["project", "is", project]], ["code"])["code"] == "sh030"
    assert sg.summarize("Shot", [["code", "is", "sh030"]], [{"field": "id", "type": "count"}])["summaries"] == {
        "id": 1}


def test_a_rolled_back_batch_leaves_the_index_as_it_was(sg):
    project = sg.create("Project", {"name": "Batch"})
    shot = sg.create("Shot", {"code": "kept", "project": project})
    assert _both(sg, "Shot", ["code", "is", "kept"]) == [shot["id"]]
    with pytest.raises(shotgun_api3.Fault):
        sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "ghost"}},
                  {"request_type": "update", "entity_type": "Shot", "entity_id": shot["id"],
                   "data": {"code": "renamed"}},
                  {"request_type": "update", "entity_type": "Shot", "entity_id": 999999, "data": {"code": "x"}}])
    assert _both(sg, "Shot", ["code", "is", "ghost"]) == []
    assert _both(sg, "Shot", ["code", "is", "renamed"]) == []
    assert _both(sg, "Shot", ["code", "is", "kept"]) == [shot["id"]]


def test_link_index_and_dotted_paths_follow_the_links(sg):
    project = sg.create("Project", {"name": "Links"})
    seq_a = sg.create("Sequence", {"code": "SQA", "project": project})
    seq_b = sg.create("Sequence", {"code": "SQB", "project": project})
    shots = [sg.create("Shot", {"code": "s%d" % n, "project": project, "sg_sequence": seq_a if n % 2 else seq_b})
             for n in range(6)]
    task = sg.create("Task", {"content": "anim", "project": project, "entity": shots[0]})
    assert _both(sg, "Task", ["entity", "is", shots[0]]) == [task["id"]]
    assert _both(sg, "Shot", ["sg_sequence.Sequence.code", "is", "sqa"]) == [s["id"] for s in shots[1::2]]
    sg.update("Task", task["id"], {"entity": shots[1]})
    assert _both(sg, "Task", ["entity", "is", shots[0]]) == []
    assert _both(sg, "Task", ["entity", "is", shots[1]]) == [task["id"]]
    sg.update("Sequence", seq_a["id"], {"code": "SQC"})
    sg.update("Shot", shots[0]["id"], {"sg_sequence": seq_a})
    assert _both(sg, "Shot", ["sg_sequence.Sequence.code", "is", "SQA"]) == []
    assert _both(sg, "Shot", ["sg_sequence.Sequence.code", "is", "SQC"]) == [shots[0]["id"]] + [
        s["id"] for s in shots[1::2]]
    sg.delete("Sequence", seq_b["id"])  # a retired target: the scan's answer, whatever it is, is the index's
    _both(sg, "Shot", ["sg_sequence.Sequence.code", "is", "SQB"])
    _both(sg, "Shot", ["sg_sequence", "is", seq_b])


def test_fields_created_later_are_indexed_too(sg):
    field = sg.schema_field_create("Shot", "text", "Vendor Code")
    shot = sg.create("Shot", {"code": "v1", field: "ACME-1"})
    assert _both(sg, "Shot", [field, "is", "acme-1"]) == [shot["id"]]
    sg.schema_field_delete("Shot", field)
    with pytest.raises(shotgun_api3.Fault):
        sg.find("Shot", [[field, "is", "acme-1"]])
    again = sg.schema_field_create("Shot", "text", "Vendor Code")
    _both(sg, "Shot", [again, "is", "acme-1"])  # (a field made again under the same name: as the scan answers)
    sg.update("Shot", shot["id"], {again: "ACME-2"})
    assert _both(sg, "Shot", [again, "is", "acme-2"]) == [shot["id"]]


def test_indexes_after_a_restart_answer_as_before(tmp_path):
    folder = tmp_path / "site"
    site = Site.create(folder)
    _, key = site.add_script("robot")
    with LocalSiteServer(site) as server:
        sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
        shots = [sg.create("Shot", {"code": "SH%03d" % (n % 3)})["id"] for n in range(9)]
        before = _both(sg, "Shot", ["code", "is", "sh001"])
        sg.update("Shot", shots[1], {"code": "moved"})
    site.close()
    reopened = Site.open(folder)
    try:
        with LocalSiteServer(reopened) as server:
            sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
            assert _both(sg, "Shot", ["code", "is", "sh001"]) == [i for i in before if i != shots[1]]
            assert _both(sg, "Shot", ["code", "is", "MOVED"]) == [shots[1]]
    finally:
        reopened.close()
