"""Every other RPC method: exact params sent and how the answer is unpacked."""
from __future__ import annotations

import datetime

import pytest

import shotgun_api3
from shotgun_api3 import shotgun as sg_module

from .conftest import AUTH, SITE, FakeSite


def client_for(site, version):
    site.info = {"version": version}
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    return sg


def test_create_sends_fields_in_data_order_without_trimming(sg, site):
    site.answer({"type": "Shot", "id": 9, "code": "x&lt;"})
    link = {"type": "Project", "id": 1, "name": "P", "extra": True}
    result = sg.create("Shot", {"code": "x", "project": link}, return_fields=["code"])
    assert result == {"type": "Shot", "id": 9, "code": "x<"}
    assert site.calls[-1] == {"method_name": "create", "params": [AUTH, {
        "type": "Shot",
        "fields": [{"field_name": "code", "value": "x"}, {"field_name": "project", "value": link}],
        "return_fields": ["code"],
    }]}


def test_create_accepts_a_list_answer(sg, site):
    site.answer([{"type": "Shot", "id": 9}])
    assert sg.create("Shot", {"code": "x"}) == {"type": "Shot", "id": 9}
    assert site.last_params["return_fields"] == ["id"]


def test_create_uploads_thumbnails_then_reads_them_back(sg, site, monkeypatch):
    uploads = []
    monkeypatch.setattr(shotgun_api3.Shotgun, "upload_thumbnail",
                        lambda self, t, i, path, **kw: uploads.append(("thumb", t, i, path)) or 11, raising=False)
    monkeypatch.setattr(shotgun_api3.Shotgun, "upload_filmstrip_thumbnail",
                        lambda self, t, i, path, **kw: uploads.append(("film", t, i, path)) or 12, raising=False)
    data = {"code": "x", "image": "/tmp/a.png", "filmstrip_image": "/tmp/f.png"}
    site.answer({"type": "Shot", "id": 9})
    site.answer({"entities": [{"type": "Shot", "id": 9, "image": "https://t/9.png"}], "paging_info": {}})
    site.answer({"entities": [{"type": "Shot", "id": 9, "filmstrip_image": "https://t/f9.png"}], "paging_info": {}})
    result = sg.create("Shot", data)
    assert data["image"] == "/tmp/a.png"  # the caller's dict is not changed
    assert site.calls[0]["params"][1]["fields"] == [{"field_name": "code", "value": "x"}]
    assert uploads == [("thumb", "Shot", 9, "/tmp/a.png"), ("film", "Shot", 9, "/tmp/f.png")]
    assert result == {"type": "Shot", "id": 9, "image": "https://t/9.png", "filmstrip_image": "https://t/f9.png"}
    assert site.calls[1]["params"][1]["return_fields"] == ["image"]


def test_create_with_none_image_drops_it_and_uploads_nothing(sg, site):
    site.answer({"type": "Shot", "id": 9})
    sg.create("Shot", {"code": "x", "image": None})
    assert site.last_params["fields"] == [{"field_name": "code", "value": "x"}]
    assert len(site.calls) == 1


def test_filmstrip_needs_server_3_1(site):
    sg = client_for(site, [3, 0, 9])
    with pytest.raises(shotgun_api3.ShotgunError, match="Filmstrip thumbnail support requires server version 3.1"):
        sg.create("Shot", {"filmstrip_image": "/x"})
    assert site.calls == []


def test_update_trims_entities_and_sends_modes(sg, site):
    site.answer({"type": "Shot", "id": 5, "code": "y"})
    result = sg.update(
        "Shot", 5,
        {"shots": [{"type": "Project", "id": 4, "name": "Demo", "code": "dropped"}, {"type": "Shot", "id": 2}],
         "code": "y"},
        multi_entity_update_modes={"shots": "add"},
    )
    assert result == {"type": "Shot", "id": 5, "code": "y"}
    assert site.calls[-1] == {"method_name": "update", "params": [AUTH, {"type": "Shot", "id": 5, "fields": [
        {"field_name": "shots", "value": [{"id": 4, "type": "Project", "name": "Demo"}, {"id": 2, "type": "Shot"}],
         "multi_entity_update_mode": "add"},
        {"field_name": "code", "value": "y"},
    ]}]}


def test_update_without_trimming_when_the_global_is_set(sg, site, monkeypatch):
    monkeypatch.setattr(sg_module, "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", True)
    link = {"type": "Project", "id": 4, "code": "kept"}
    site.answer({"type": "Shot", "id": 5})
    sg.update("Shot", 5, {"project": link})
    assert site.last_params["fields"] == [{"field_name": "project", "value": link}]


def test_update_with_only_a_thumbnail_makes_no_update_call(sg, site, monkeypatch):
    monkeypatch.setattr(shotgun_api3.Shotgun, "upload_thumbnail", lambda self, *a, **k: 3, raising=False)
    site.answer({"entities": [{"type": "Shot", "id": 5, "image": "u"}], "paging_info": {}})
    assert sg.update("Shot", 5, {"image": "/tmp/a.png"}) == {"id": 5, "type": "Shot", "image": "u"}
    assert [c["method_name"] for c in site.calls] == ["read"]


def test_update_with_image_none_clears_the_thumbnail(sg, site, monkeypatch):
    monkeypatch.setattr(sg_module, "SHOTGUN_API_DISABLE_ENTITY_OPTIMIZATION", False)
    site.answer({"type": "Shot", "id": 5, "image": None})
    sg.update("Shot", 5, {"image": None, "filmstrip_image": None})
    assert site.last_params["fields"] == [{"field_name": "image", "value": None}]


def test_update_with_nothing_left_returns_the_entity_link(sg, site):
    assert sg.update("Shot", 5, {}) == {"id": 5, "type": "Shot"}
    assert site.calls == []


@pytest.mark.parametrize("method", ["delete", "revive"])
def test_delete_and_revive(sg, site, method):
    site.answer(True)
    assert getattr(sg, method)("Shot", 3) is True
    assert site.calls[-1] == {"method_name": method, "params": [AUTH, {"type": "Shot", "id": 3}]}
    site.answer(False)
    assert getattr(sg, method)("Shot", 3) is False


def test_batch_builds_requests_and_post_processes(sg, site):
    site.answer([{"type": "Shot", "id": 1, "code": "a&lt;"}, {"type": "Shot", "id": 2}, True])
    link = {"type": "Project", "id": 1, "name": "P", "extra": 1}
    result = sg.batch([
        {"request_type": "create", "entity_type": "Shot", "data": {"code": "a", "project": link}},
        {"request_type": "update", "entity_type": "Shot", "entity_id": 2, "data": {"shots": [link]},
         "multi_entity_update_modes": {"shots": "remove"}, "multi_entity_update_mode": "x"},
        {"request_type": "delete", "entity_type": "Shot", "entity_id": 3},
    ])
    assert result == [{"type": "Shot", "id": 1, "code": "a<"}, {"type": "Shot", "id": 2}, True]
    assert site.calls[-1] == {"method_name": "batch", "params": [AUTH, [
        {"request_type": "create", "type": "Shot",
         "fields": [{"field_name": "code", "value": "a"}, {"field_name": "project", "value": link}],
         "return_fields": ["id"]},
        {"request_type": "update", "type": "Shot", "id": 2,
         "fields": [{"field_name": "shots", "value": [link], "multi_entity_update_mode": "remove"}],
         "multi_entity_update_mode": "x"},
        {"request_type": "delete", "type": "Shot", "id": 3},
    ]]}


@pytest.mark.parametrize(
    "requests_, message",
    [
        ({"request_type": "create"}, "batch\\(\\) expects a list"),
        ([{"entity_type": "Shot"}], "Batched request missing required key: request_type"),
        ([{"request_type": "create", "entity_type": "Shot"}], "Batched create request missing required key: data"),
        ([{"request_type": "update", "entity_type": "Shot", "data": {}}],
         "Batched update request missing required key: entity_id"),
        ([{"request_type": "delete", "entity_type": "Shot"}], "Batched delete request missing required key: entity_id"),
        ([{"request_type": "upsert", "entity_type": "Shot"}], "Invalid request_type 'upsert' for batch"),
    ],
)
def test_batch_rejects_bad_requests_before_sending(sg, site, requests_, message):
    with pytest.raises(shotgun_api3.ShotgunError, match=message):
        sg.batch(requests_)
    assert site.calls == []


def test_empty_batch_sends_nothing(sg, site):
    assert sg.batch([]) == []
    assert site.calls == []


def test_schema_reads(sg, site):
    site.answer({"Shot": {"name": {"value": "Shot"}}})
    assert sg.schema_entity_read() == {"Shot": {"name": {"value": "Shot"}}}
    assert site.calls[-1] == {"method_name": "schema_entity_read", "params": [AUTH]}
    site.answer({})
    sg.schema_read({"type": "Project", "id": 1})
    assert site.calls[-1] == {"method_name": "schema_read", "params": [AUTH, {"project": {"type": "Project", "id": 1}}]}
    site.answer({"code": {}})
    sg.schema_field_read("Shot", "code", {"type": "Project", "id": 1})
    assert site.last_params == {"type": "Shot", "field_name": "code", "project": {"type": "Project", "id": 1}}
    site.answer({})
    sg.schema_field_read("Shot")
    assert site.last_params == {"type": "Shot"}


def test_schema_writes(sg, site):
    site.answer("sg_my_field")
    assert sg.schema_field_create("Shot", "text", "My Field", {"description": "d"}) == "sg_my_field"
    assert site.calls[-1] == {"method_name": "schema_field_create", "params": [AUTH, {
        "type": "Shot", "data_type": "text",
        "properties": [{"property_name": "name", "value": "My Field"},
                       {"property_name": "description", "value": "d"}]}]}
    site.answer(True)
    assert sg.schema_field_update("Shot", "sg_my_field", None) is True
    assert site.last_params == {"type": "Shot", "field_name": "sg_my_field", "properties": []}
    site.answer(True)
    sg.schema_field_update("Shot", "sg_my_field", {"name": "N"}, {"type": "Project", "id": 2})
    assert site.last_params["properties"] == [{"property_name": "name", "value": "N"}]
    assert site.last_params["project"] == {"type": "Project", "id": 2}
    site.answer(True)
    assert sg.schema_field_delete("Shot", "sg_my_field") is True
    assert site.calls[-1] == {"method_name": "schema_field_delete",
                              "params": [AUTH, {"type": "Shot", "field_name": "sg_my_field"}]}


def test_deprecated_schema_methods_raise_without_a_call(sg, site):
    with pytest.raises(shotgun_api3.ShotgunError, match=r"Deprecated: use schema_field_read\('Shot'\) instead"):
        sg.schema("Shot")
    with pytest.raises(shotgun_api3.ShotgunError, match=r"Deprecated: use schema_entity_read\(\) instead"):
        sg.entity_types()
    assert site.requests == []


def test_project_parameter_needs_server_5_4_4(site):
    sg = client_for(site, [5, 4, 3])
    with pytest.raises(shotgun_api3.ShotgunError, match="project parameter requires server version 5.4.4"):
        sg.schema_read({"type": "Project", "id": 1})


def test_follow_methods(sg, site):
    user, shot = {"type": "HumanUser", "id": 1}, {"type": "Shot", "id": 2, "code": "kept"}
    site.answer({"followed": True, "user": user, "entity": shot})
    assert sg.follow(user, shot)["followed"] is True
    assert site.calls[-1] == {"method_name": "follow", "params": [AUTH, {"user": user, "entity": shot}]}
    site.answer({"unfollowed": True})
    sg.unfollow(user, shot)
    assert site.calls[-1]["method_name"] == "unfollow"
    site.answer([user])
    assert sg.followers(shot) == [user]
    assert site.last_params == {"entity": shot}
    site.answer([shot])
    assert sg.following(user, project={"type": "Project", "id": 1}, entity_type="Shot") == [shot]
    assert site.last_params == {"user": user, "project": {"type": "Project", "id": 1}, "entity_type": "Shot"}
    site.answer([])
    sg.following(user)
    assert site.last_params == {"user": user}


def test_follow_gates(site):
    sg = client_for(site, [5, 1, 21])
    with pytest.raises(shotgun_api3.ShotgunError, match="Follow support requires server version 5.2"):
        sg.follow({}, {})
    sg = client_for(FakeSite(), [7, 0, 11])
    with pytest.raises(shotgun_api3.ShotgunError, match="user_following parameter requires server version 7.0.12"):
        sg.following({})


def test_work_schedule(sg, site):
    site.answer({"2012-01-02": {"working": True}})
    assert sg.work_schedule_read("2012-01-01", "2012-01-07") == {"2012-01-02": {"working": True}}
    assert site.last_params == {"start_date": "2012-01-01", "end_date": "2012-01-07", "project": None, "user": None}
    site.answer({"date": "2012-01-02"})
    sg.work_schedule_update("2012-01-02", False, "holiday")
    assert site.last_params == {"date": "2012-01-02", "working": False, "description": "holiday", "project": None,
                                "user": None, "recalculate_field": None}
    with pytest.raises(shotgun_api3.ShotgunError, match="start_date and end_date arguments must be strings"):
        sg.work_schedule_read(datetime.date(2012, 1, 1), "2012-01-07")
    with pytest.raises(shotgun_api3.ShotgunError, match="The date argument must be string"):
        sg.work_schedule_update(datetime.date(2012, 1, 1), True)


def test_note_thread_and_activity_stream(sg, site):
    site.answer([{"type": "Note", "id": 1, "content": "a&lt;b", "created_at": "2015-07-14 21:33:28 UTC"}])
    assert sg.note_thread_read(1, {"Note": ["content"]}) == [
        {"type": "Note", "id": 1, "content": "a<b", "created_at": "2015-07-14 21:33:28 UTC"}]
    assert site.calls[-1] == {"method_name": "note_thread_contents",
                              "params": [AUTH, {"note_id": 1, "entity_fields": {"Note": ["content"]}}]}
    site.answer({"updates": [], "entity_id": 3})
    assert sg.activity_stream_read("Shot", 3, limit=10) == {"updates": [], "entity_id": 3}
    assert site.calls[-1]["method_name"] == "activity_stream"
    assert list(site.last_params.items()) == [("type", "Shot"), ("id", 3), ("max_id", None), ("min_id", None),
                                              ("limit", 10), ("entity_fields", {})]
    with pytest.raises(ValueError, match="entity_fields parameter must be a dictionary"):
        sg.note_thread_read(1, ["x"])
    with pytest.raises(ValueError, match="entity_fields parameter must be a dictionary"):
        sg.activity_stream_read("Shot", 1, ["x"])


def test_conversation_gates(site):
    sg = client_for(site, [6, 1, 0])
    with pytest.raises(shotgun_api3.ShotgunError, match="note_thread requires server version 6.2.0"):
        sg.note_thread_read(1)
    with pytest.raises(shotgun_api3.ShotgunError, match="activity_stream requires server version 6.2.0"):
        sg.activity_stream_read("Shot", 1)
    with pytest.raises(shotgun_api3.ShotgunError, match="auto_complete requires server version 6.2.0"):
        sg.text_search("abc", {})


def test_navigation(sg, site):
    site.answer({"label": "root"})
    assert sg.nav_expand("/Project/1") == {"label": "root"}
    assert site.last_params == {"path": "/Project/1", "seed_entity_field": None, "entity_fields": None}
    site.answer([])
    sg.nav_search_string("/Project/1", "abc")
    assert site.calls[-1]["method_name"] == "nav_search"
    assert site.last_params == {"root_path": "/Project/1", "seed_entity_field": None,
                                "search_criteria": {"search_string": "abc"}}
    site.answer([])
    sg.nav_search_entity("/Project/1", {"type": "Shot", "id": 1}, "sg_sequence")
    assert site.last_params == {"root_path": "/Project/1", "seed_entity_field": "sg_sequence",
                                "search_criteria": {"entity": {"type": "Shot", "id": 1}}}


def test_export_page_returns_csv_bytes_and_json_results(sg, site):
    site.raw((200, "OK"), {"content-type": "text/csv; charset=utf-8"}, b"a,b\n1,2\n")
    assert sg.export_page(12, "csv", "Default") == b"a,b\n1,2\n"
    assert site.calls[-1] == {"method_name": "export_page",
                              "params": [AUTH, {"format": "csv", "page_id": 12, "layout_name": "Default"}]}
    site.answer("x,y\n")
    assert sg.export_page(12, "csv") == "x,y\n"


def test_session_token_and_human_authentication(sg, site):
    site.answer({"session_id": "abc"})
    assert sg.get_session_token() == "abc"
    assert site.calls[-1] == {"method_name": "get_session_token", "params": [AUTH]}
    assert sg.get_session_token() == "abc"
    assert len(site.calls) == 1
    site.answer({"entities": [{"type": "HumanUser", "id": 3, "login": "bob"}], "paging_info": {}})
    sg.set_session_uuid("uuid-1")
    assert sg.authenticate_human_user("bob", "pw") == {"type": "HumanUser", "id": 3, "login": "bob"}
    call = site.calls[-1]["params"]
    assert call[0] == {"user_login": "bob", "user_password": "pw", "session_uuid": "uuid-1"}
    assert call[1]["filters"]["conditions"] == [
        {"path": "sg_status_list", "relation": "is", "values": ["act"]},
        {"path": "login", "relation": "is", "values": ["bob"]}]
    assert (sg.config.user_login, sg.config.user_password) == (None, None)
    with pytest.raises(ValueError, match="Please supply a username"):
        sg.authenticate_human_user("", "pw")
    with pytest.raises(ValueError, match="Please supply a password"):
        sg.authenticate_human_user("bob", "")


def test_authentication_faults_propagate_and_credentials_are_restored(sg, site):
    site.answer_envelope({"exception": True, "message": "bad login", "error_code": 102})
    with pytest.raises(shotgun_api3.AuthenticationFault, match="bad login"):
        sg.authenticate_human_user("bob", "wrong")
    assert sg.config.script_name == "scr" and sg.config.user_login is None


def test_get_session_token_without_session_id_raises(sg, site):
    site.answer({"nope": 1})
    with pytest.raises(RuntimeError, match="Could not extract session_id"):
        sg.get_session_token()
    site.answer_envelope({"session_id": "top"})
    assert sg.get_session_token() == "top"


def test_auth_dict_variants(site):
    sg = shotgun_api3.Shotgun(SITE, login="bob", password="pw", sudo_as_login="alice", connect=False)
    sg._http_request = site
    sg.set_session_uuid("uuid-1")
    sg.config.extra_auth_params = {"product": "rv"}
    assert sg._auth_params() == {"user_login": "bob", "user_password": "pw", "session_uuid": "uuid-1",
                                 "sudo_as_login": "alice", "product": "rv"}
    token = shotgun_api3.Shotgun(SITE, session_token="TOK", connect=False)
    token._http_request = FakeSite({"version": [5, 4, 3]})
    assert token._auth_params() == {"session_token": "TOK"}
    old = shotgun_api3.Shotgun(SITE, session_token="TOK", connect=False)
    old._http_request = FakeSite({"version": [5, 2, 0]})
    with pytest.raises(shotgun_api3.ShotgunError, match="Session token based authentication requires server version 5.3.0"):
        old._auth_params()
    sudo_old = shotgun_api3.Shotgun(SITE, "s", "k", sudo_as_login="a", connect=False)
    sudo_old._http_request = FakeSite({"version": [5, 3, 11]})
    with pytest.raises(shotgun_api3.ShotgunError, match="Option 'sudo_as_login' requires server version 5.3.12"):
        sudo_old._auth_params()
    assert sg._sanitize_auth_params({"user_password": "pw", "script_key": "k", "session_token": "t", "x": 1}) == {
        "user_password": "********", "script_key": "********", "session_token": "********", "x": 1}


def test_update_project_last_accessed(site):
    sg = shotgun_api3.Shotgun(SITE, login="bob", password="pw", connect=False)
    sg._http_request = site
    site.answer({"entities": [{"type": "HumanUser", "id": 4}], "paging_info": {}})
    site.answer({"type": "Project", "id": 1})
    assert sg.update_project_last_accessed({"type": "Project", "id": 1}) is None
    assert site.calls[-1]["method_name"] == "update_project_last_accessed_by_current_user"
    assert site.last_params == {"project_id": 1, "user_id": 4}
    site.answer({"type": "Project", "id": 1})
    sg.update_project_last_accessed({"type": "Project", "id": 1}, {"type": "HumanUser", "id": 9})
    assert site.last_params == {"project_id": 1, "user_id": 9}


def test_preferences_and_subscriptions(sg, site):
    site.answer({"date_component_order": "month_day"})
    assert sg.preferences_read(["date_component_order"]) == {"date_component_order": "month_day"}
    assert site.last_params == {"prefs": ["date_component_order"]}
    site.answer({})
    sg.preferences_read()
    assert site.last_params == {"prefs": []}
    site.answer([{"humanUserId": 1}])
    assert sg.user_subscriptions_read() == [{"humanUserId": 1}]
    assert site.calls[-1] == {"method_name": "user_subscriptions_read", "params": [AUTH]}
    site.answer_envelope({"status": "success"})
    assert sg.user_subscriptions_create([{"humanUserId": 1}]) is True
    assert site.last_params == {"users": [{"humanUserId": 1}]}
    site.answer_envelope({"status": "failed"})
    assert sg.user_subscriptions_create([]) is False


def test_preferences_need_server_7_10(site):
    sg = client_for(site, [7, 9, 0])
    with pytest.raises(shotgun_api3.ShotgunError, match="preferences_read requires server version 7.10.0"):
        sg.preferences_read()


def test_connect_and_close(sg, site):
    assert sg.connect() is None
    assert site.requests[-1]["payload"] == {"method_name": "info", "params": []}
    assert sg._connection is not None
    sg.close()
    assert sg._connection is None


def test_localized_header_only_when_exactly_true(sg, site):
    sg.config.localized = 1
    sg.info()
    assert "locale" not in site.requests[-1]["headers"]
    sg.config.localized = True
    sg.info()
    assert site.requests[-1]["headers"]["locale"] == "auto"
