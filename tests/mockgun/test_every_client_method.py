"""Every public method of the client answers in process on mockgun: no NotImplementedError, no network."""
import socket

import pytest

import shotgun_api3


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("mockgun opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def world(sg, tmp_path):
    project = sg.create("Project", {"name": "Pilot"})
    user = sg.create("HumanUser", {"login": "ann", "firstname": "Ann", "sg_status_list": "act"})
    shot = sg.create("Shot", {"code": "sh010", "project": project})
    other = sg.create("Shot", {"code": "sh020", "project": project})
    note = sg.create("Note", {"subject": "hi", "project": project, "note_links": [shot]})
    page = sg.create("Page", {"name": "Shots", "entity_type": "Shot", "project": project})
    image = tmp_path / "thumb.png"
    image.write_bytes(b"\x89PNG fake")
    return {"project": project, "user": user, "shot": shot, "other": other, "note": note, "page": page,
            "image": str(image)}


CALLS = [
    ("activity_stream_read", lambda w: ("Shot", w["shot"]["id"]), dict),
    ("add_user_agent", lambda w: ("rig/1.0",), type(None)),
    ("authenticate_human_user", lambda w: ("ann", "any password"), dict),
    ("batch", lambda w: ([{"request_type": "delete", "entity_type": "Shot", "entity_id": w["other"]["id"]}],), list),
    ("close", lambda w: (), type(None)),
    ("connect", lambda w: (), type(None)),
    ("create", lambda w: ("Asset", {"code": "hero"}), dict),
    ("delete", lambda w: ("Shot", w["other"]["id"]), bool),
    ("export_page", lambda w: (w["page"]["id"], "csv"), bytes),
    ("find", lambda w: ("Shot", []), list),
    ("find_one", lambda w: ("Shot", []), dict),
    ("follow", lambda w: (w["user"], w["shot"]), dict),
    ("followers", lambda w: (w["shot"],), list),
    ("following", lambda w: (w["user"],), list),
    ("get_attachment_download_url", lambda w: (7,), str),
    ("get_auth_cookie_handler", lambda w: (), object),
    ("get_session_token", lambda w: (), str),
    ("info", lambda w: (), dict),
    ("nav_expand", lambda w: ("/",), dict),
    ("nav_search_entity", lambda w: ("/", w["shot"]), list),
    ("nav_search_string", lambda w: ("/", "sh0"), list),
    ("note_thread_read", lambda w: (w["note"]["id"],), list),
    ("preferences_read", lambda w: (), dict),
    ("reset_user_agent", lambda w: (), type(None)),
    ("revive", lambda w: ("Shot", w["shot"]["id"]), bool),
    ("schema_entity_read", lambda w: (), dict),
    ("schema_field_create", lambda w: ("Shot", "text", "Lens"), str),
    ("schema_field_read", lambda w: ("Shot", "code"), dict),
    ("schema_field_update", lambda w: ("Shot", "code", {"description": "the code"}), bool),
    ("schema_field_delete", lambda w: ("Shot", "sg_cut_in"), bool),
    ("schema_read", lambda w: (), dict),
    ("set_session_uuid", lambda w: ("uuid-1",), type(None)),
    ("share_thumbnail", lambda w: ([w["shot"], w["other"]], w["image"]), int),
    ("summarize", lambda w: ("Shot", [], [{"field": "id", "type": "count"}]), dict),
    ("text_search", lambda w: ("sh010", {"Shot": []}), dict),
    ("unfollow", lambda w: (w["user"], w["shot"]), dict),
    ("update", lambda w: ("Shot", w["shot"]["id"], {"code": "sh011"}), dict),
    ("update_project_last_accessed", lambda w: (w["project"], w["user"]), type(None)),
    ("upload", lambda w: ("Shot", w["shot"]["id"], w["image"]), int),
    ("upload_filmstrip_thumbnail", lambda w: ("Shot", w["shot"]["id"], w["image"]), int),
    ("upload_thumbnail", lambda w: ("Shot", w["shot"]["id"], w["image"]), int),
    ("user_subscriptions_create", lambda w: ([{"humanUserId": w["user"]["id"], "subscription": "x"}],), bool),
    ("user_subscriptions_read", lambda w: (), list),
    ("work_schedule_read", lambda w: ("2024-01-01", "2024-01-07"), dict),
    ("work_schedule_update", lambda w: ("2024-01-01", False), dict),
]


def test_the_table_covers_every_public_method_of_the_client():
    public = {name for name in dir(shotgun_api3.Shotgun)
              if not name.startswith("_") and callable(getattr(shotgun_api3.Shotgun, name))}
    assert public - {name for name, _, _ in CALLS} == {"schema", "entity_types", "download_attachment"}


@pytest.mark.parametrize("name, arguments, answer_type", CALLS, ids=[call[0] for call in CALLS])
def test_every_method_answers_in_process(sg, world, offline, name, arguments, answer_type):
    assert isinstance(getattr(sg, name)(*arguments(world)), answer_type)


@pytest.mark.parametrize("name", ["schema", "entity_types"])
def test_deprecated_methods_raise_as_in_the_real_client(sg, name):
    with pytest.raises(shotgun_api3.ShotgunError, match="Deprecated"):
        getattr(sg, name)("Shot") if name == "schema" else getattr(sg, name)()
