"""A test rig written the way Toolkit's unit tests drive the reference mockgun, run unchanged on ours."""
import datetime
import multiprocessing

from shotgun_api3.lib import mockgun
from tests.support.schema_paths import mockgun_schema_paths


def test_a_toolkit_style_rig_runs_unchanged(protocol0_schema_paths):
    with mockgun_schema_paths(protocol0_schema_paths):
        sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    sg.server_info = {"version": (7, 0, 0)}
    sg.config.server = "unit_test_mock_sg"

    project = {"type": "Project", "id": 123, "name": "project_name", "tank_name": "project_code",
               "archived": False, "__retired": False}
    storage = {"type": "LocalStorage", "id": 2, "code": "primary", "linux_path": "/mnt/primary",
               "__retired": False}
    config = {"type": "PipelineConfiguration", "id": 7, "code": "Primary", "project": project,
              "linux_path": "/pc", "__retired": False}
    for entity in (project, storage, config):
        sg._db[entity["type"]][entity["id"]] = dict(entity)
    created = datetime.datetime(2021, 6, 1, 12, 0)
    for shot_id in (1, 2, 3):
        sg._db["Shot"][shot_id] = {"type": "Shot", "id": shot_id, "code": "shot_%d" % shot_id,
                                   "project": {"type": "Project", "id": 123, "name": "project_name"},
                                   "created_at": created, "updated_at": created, "__retired": False}

    shots = sg.find("Shot", [["project", "is", project],
                             {"filter_operator": "any", "filters": [["code", "is", "shot_1"],
                                                                    ["id", "greater_than", 2]]}],
                    ["code", "created_at"], order=[{"field_name": "id", "direction": "desc"}])
    assert [(shot["id"], shot["created_at"]) for shot in shots] == [(3, created), (1, created)]
    assert sg.find_one("PipelineConfiguration", [["project", "is", project]], ["code"])["code"] == "Primary"
    assert sg.schema_entity_read()["Shot"]["name"]["value"] == "Shot"
    assert "code" in sg.schema_field_read("Shot")
    published = sg.batch([
        {"request_type": "create", "entity_type": "PublishedFile",
         "data": {"code": "scene.v001.ma", "project": project, "entity": {"type": "Shot", "id": 1},
                  "path": {"local_path": "/mnt/primary/scene.v001.ma"}}},
        {"request_type": "update", "entity_type": "Shot", "entity_id": 2, "data": {"description": "updated"}},
    ])
    assert published[0]["type"] == "PublishedFile" and published[1]["description"] == "updated"
    path = sg.find_one("PublishedFile", [["id", "is", published[0]["id"]]], ["path"])["path"]
    assert path["local_path_linux"] == "/mnt/primary/scene.v001.ma"
    sg.delete("Shot", 3)
    assert [shot["id"] for shot in sg.find("Shot", [], order=[{"field_name": "id", "direction": "asc"}])] == [1, 2]
    sg._db["EventLogEntry"] = {}
    assert sg.find("EventLogEntry", []) == []

    queue = multiprocessing.Queue()
    queue.put(sg._db)
    received = queue.get(timeout=10)
    assert received["Shot"][1]["code"] == "shot_1"
    queue.close()
