"""Follows, the work schedule, preferences, subscriptions, navigation and last-accessed stamps through mockgun."""
import datetime

import pytest

import shotgun_api3


@pytest.fixture
def site(site_sg):
    sg = site_sg
    project = sg.create("Project", {"name": "Pilot"})
    other = sg.create("Project", {"name": "Other"})
    ann = sg.create("HumanUser", {"login": "ann", "firstname": "Ann", "lastname": "Lee"})
    bob = sg.create("HumanUser", {"login": "bob", "firstname": "Bob", "lastname": "Ray"})
    shot = sg.create("Shot", {"code": "sh010", "project": project})
    asset = sg.create("Asset", {"code": "hero", "project": other})
    return {"sg": sg, "project": project, "other": other, "ann": ann, "bob": bob, "shot": shot, "asset": asset}


def link(record, name):
    return {"type": record["type"], "id": record["id"], "name": name}


def test_follow_answers_followed_and_shows_in_followers_and_following(site):
    sg, ann, shot = site["sg"], site["ann"], site["shot"]
    assert sg.follow(ann, shot) == {"followed": True, "user": link(ann, "Ann Lee"), "entity": link(shot, "sh010")}
    assert sg.followers(shot) == [link(ann, "Ann Lee")]
    assert sg.following(ann) == [link(shot, "sh010")]


def test_following_twice_is_following_once(site):
    sg = site["sg"]
    sg.follow(site["ann"], site["shot"])
    sg.follow(site["ann"], site["shot"])
    assert len(sg.followers(site["shot"])) == 1


def test_unfollow_removes_the_follow(site):
    sg = site["sg"]
    sg.follow(site["ann"], site["shot"])
    sg.follow(site["bob"], site["shot"])
    assert sg.unfollow(site["ann"], site["shot"])["unfollowed"] is True
    assert sg.followers(site["shot"]) == [link(site["bob"], "Bob Ray")]
    assert sg.unfollow(site["ann"], site["shot"])["unfollowed"] is True


def test_following_filters_by_entity_type_and_project(site):
    sg, ann = site["sg"], site["ann"]
    sg.follow(ann, site["shot"])
    sg.follow(ann, site["asset"])
    assert sg.following(ann, entity_type="Asset") == [link(site["asset"], "hero")]
    assert sg.following(ann, project=site["project"]) == [link(site["shot"], "sh010")]
    assert sg.following(ann, project=site["other"], entity_type="Shot") == []


def test_retired_followed_entities_are_left_out_until_revived(site):
    sg = site["sg"]
    sg.follow(site["ann"], site["shot"])
    sg.delete("Shot", site["shot"]["id"])
    assert sg.following(site["ann"]) == []
    sg.revive("Shot", site["shot"]["id"])
    assert sg.following(site["ann"]) == [link(site["shot"], "sh010")]


@pytest.mark.parametrize("user, entity", [
    ({"type": "HumanUser", "id": 99}, None),
    (None, {"type": "Shot", "id": 99}),
    ({"type": "Shot", "id": 1}, None),
    ("ann", None),
])
def test_follow_faults_name_a_bad_user_or_entity(site, user, entity):
    with pytest.raises(shotgun_api3.Fault):
        site["sg"].follow(user or site["ann"], entity or site["shot"])


def test_follow_version_gates_follow_server_info(site):
    sg = site["sg"]
    sg.server_info = {"version": (5, 0, 0)}
    with pytest.raises(shotgun_api3.ShotgunError, match="Follow support"):
        sg.follow(site["ann"], site["shot"])


def test_work_schedule_defaults_to_a_monday_to_friday_week(site):
    schedule = site["sg"].work_schedule_read("2024-01-05", "2024-01-08")
    assert schedule == {
        "2024-01-05": {"description": None, "reason": "STUDIO_WORK_WEEK", "working": True},
        "2024-01-06": {"description": None, "reason": "STUDIO_WORK_WEEK", "working": False},
        "2024-01-07": {"description": None, "reason": "STUDIO_WORK_WEEK", "working": False},
        "2024-01-08": {"description": None, "reason": "STUDIO_WORK_WEEK", "working": True},
    }


def test_work_schedule_update_answers_what_it_recorded(site):
    answer = site["sg"].work_schedule_update("2024-01-06", True, "crunch")
    assert answer == {"date": "2024-01-06", "description": "crunch", "project": None, "user": None, "working": True}


def test_exceptions_by_level_user_over_project_over_studio(site):
    sg, ann, project = site["sg"], site["ann"], site["project"]
    sg.work_schedule_update("2024-01-08", False, "studio closed")
    sg.work_schedule_update("2024-01-08", True, "project works", project=project)
    sg.work_schedule_update("2024-01-08", False, "ann off", user=ann)
    day = "2024-01-08"
    assert sg.work_schedule_read(day, day)[day] == {"description": "studio closed", "reason": "STUDIO_EXCEPTION",
                                                    "working": False}
    assert sg.work_schedule_read(day, day, project=project)[day]["reason"] == "PROJECT_EXCEPTION"
    assert sg.work_schedule_read(day, day, project=project, user=ann)[day] == {
        "description": "ann off", "reason": "USER_EXCEPTION", "working": False}
    assert sg.work_schedule_read(day, day, user=site["bob"])[day]["reason"] == "STUDIO_EXCEPTION"


def test_a_second_update_of_the_same_day_replaces_the_first(site):
    sg = site["sg"]
    sg.work_schedule_update("2024-01-09", False, "first")
    sg.work_schedule_update("2024-01-09", True, "second")
    assert sg.work_schedule_read("2024-01-09", "2024-01-09")["2024-01-09"]["description"] == "second"


@pytest.mark.parametrize("start, end", [("2024-13-01", "2024-12-01"), ("2024-01-10", "2024-01-01")])
def test_bad_schedule_ranges_are_faults(site, start, end):
    with pytest.raises(shotgun_api3.Fault):
        site["sg"].work_schedule_read(start, end)


def test_schedule_dates_must_be_strings_in_the_client(site):
    with pytest.raises(shotgun_api3.ShotgunError, match="YYYY-MM-DD"):
        site["sg"].work_schedule_read(datetime.date(2024, 1, 1), "2024-01-02")
    with pytest.raises(shotgun_api3.ShotgunError, match="YYYY-MM-DD"):
        site["sg"].work_schedule_update(datetime.date(2024, 1, 1), True)


def test_work_schedule_update_refuses_a_non_boolean_working(site):
    with pytest.raises(shotgun_api3.Fault, match="working"):
        site["sg"].work_schedule_update("2024-01-01", "yes")


def test_preferences_read_answers_named_preferences_and_leaves_out_unknown_ones(site):
    sg = site["sg"]
    assert sg.preferences_read(["hours_per_day", "no_such_pref"]) == {"hours_per_day": 8.0}
    everything = sg.preferences_read()
    assert everything["date_component_order"] == "month_day" and "format_date_fields" in everything


def test_preferences_read_answers_what_a_fresh_hosted_site_answers(site):
    everything = site["sg"].preferences_read()
    assert everything.pop("view_master_settings") == {}
    assert everything.pop("creative_review_settings") == {}
    assert everything == {
        "date_component_order": "month_day",
        "duration_units": "days",
        "format_currency_fields_decimal_options": "$1,000.99",
        "format_currency_fields_display_dollar_sign": False,
        "format_currency_fields_negative_options": "- $1,000",
        "format_date_fields": "08/04/22 OR 04/08/22 (depending on the Month order preference)",
        "format_float_fields": "9,999.99",
        "format_float_fields_rounding": "9.999999",
        "format_footage_fields": "10-05",
        "format_number_fields": "1,000",
        "format_time_hour_fields": "12 hour",
        "hours_per_day": 8.0,
        "support_local_storage": True,
        "enable_rv_integration": True,
        "enable_shotgun_review_for_rv": False,
    }


def test_user_subscriptions_round_trip(site):
    sg = site["sg"]
    assert sg.user_subscriptions_read() == []
    assert sg.user_subscriptions_create([{"humanUserId": site["ann"]["id"], "subscription": "SG Review"}]) is True
    assert sg.user_subscriptions_read() == [{"humanUserId": site["ann"]["id"], "subscription": "SG Review"}]
    with pytest.raises(shotgun_api3.Fault):
        sg.user_subscriptions_create([{"humanUserId": 999, "subscription": "x"}])


def test_update_project_last_accessed_stamps_the_project(site):
    sg = site["sg"]
    assert sg.update_project_last_accessed(site["project"], site["ann"]) is None
    stamp = sg.find_one("Project", [["id", "is", site["project"]["id"]]], ["last_accessed_by_current_user"])
    assert isinstance(stamp["last_accessed_by_current_user"], datetime.datetime)


def test_nav_expand_walks_root_project_type_and_records(site):
    sg, project = site["sg"], site["project"]
    root = sg.nav_expand("/")
    assert [child["label"] for child in root["children"]] == ["Pilot", "Other"]
    node = sg.nav_expand("/Project/%d" % project["id"])
    assert node["label"] == "Pilot" and [child["label"] for child in node["children"]] == ["Shot"]
    shots = sg.nav_expand("/Project/%d/Shot" % project["id"], entity_fields={"Shot": ["code"]})
    assert shots["children"] == [{"label": "sh010", "path": "/Project/%d/Shot/%d" % (project["id"], site["shot"]["id"]),
                                  "ref": {"kind": "entity", "value": {"type": "Shot", "id": site["shot"]["id"],
                                                                      "code": "sh010"}},
                                  "has_children": False}]


def test_nav_search_by_string_and_by_entity(site):
    sg, project = site["sg"], site["project"]
    found = sg.nav_search_string("/Project/%d" % project["id"], "SH0")
    assert [node["label"] for node in found] == ["sh010"]
    assert found[0]["incremental_path"][-1] == found[0]["path"]
    assert [node["label"] for node in sg.nav_search_entity("/", site["asset"])] == ["hero"]


def test_nav_expand_of_a_bad_path_is_a_fault(site):
    with pytest.raises(shotgun_api3.Fault):
        site["sg"].nav_expand("not/a/path")


def test_export_page_answers_the_pages_records_as_csv_bytes(site):
    sg = site["sg"]
    sg.create("Shot", {"code": "sh,020", "project": site["project"]})
    sg.create("Shot", {"code": "elsewhere", "project": site["other"]})
    page = sg.create("Page", {"name": "Shots", "entity_type": "Shot", "project": site["project"]})
    assert sg.export_page(page["id"], "csv") == b'Id,Shot Code\r\n1,sh010\r\n2,"sh,020"\r\n'


@pytest.mark.parametrize("page_id, export_format, message", [
    (99, "csv", "Export for Page id=99 not available"),
    (1, None, "'format' missing"),
    (None, "csv", "'page_id' missing"),
])
def test_export_page_faults_like_a_site(site, page_id, export_format, message):
    with pytest.raises(shotgun_api3.Fault, match=message):
        site["sg"].export_page(page_id, export_format)


def test_export_page_refuses_a_page_made_with_only_an_entity_type(site):
    sg = site["sg"]
    page = sg.create("Page", {"entity_type": "Shot"})
    for layout_name in (None, "My Layout"):
        with pytest.raises(shotgun_api3.Fault) as raised:
            sg.export_page(page["id"], "csv", layout_name=layout_name)
        assert str(raised.value) == "Export for Page id=%d not available" % page["id"]
