"""Seed payloads for the RPC fuzz test: what our client really sends for every RPC, recorded on a fresh site.

The fuzz test mutates these. Recording them from the client (rather than
writing them by hand) keeps them in the shape a site actually receives.
"""
from __future__ import annotations

import copy

from shotgun_api3.local_site.server import LocalSiteServer
from shotgun_api3.local_site.site import Site


def _tour(sg, user):
    project = sg.create("Project", {"name": "Fuzz"})
    shot = sg.create("Shot", {"code": "sh010", "project": project, "description": "first"})
    task = sg.create("Task", {"content": "comp", "entity": shot, "project": project,
                              "start_date": "2024-01-02", "due_date": "2024-01-05"})
    sg.find("Shot", [["code", "is", "sh010"], ["project", "is", project]], ["code", "project.Project.name"],
            order=[{"field_name": "code", "direction": "desc"}], limit=5)
    sg.find("Shot", [{"filter_operator": "any", "filters": [["id", "in", [1, 2]], ["code", "contains", "x"]]}],
            ["code"], page=1, include_archived_projects=False)
    sg.find_one("Task", [["entity", "is", shot], ["start_date", "in_calendar_day", 0]], ["content", "entity"])
    sg.update("Shot", shot["id"], {"description": "second", "tasks": [task]}, multi_entity_update_modes={"tasks": "add"})
    sg.update("Task", task["id"], {"content": "comp v2"})
    extra = sg.create("Shot", {"code": "sh020", "project": project})
    sg.delete("Shot", extra["id"])
    sg.revive("Shot", extra["id"])
    sg.batch([{"request_type": "create", "entity_type": "Shot", "data": {"code": "sh030", "project": project}},
              {"request_type": "update", "entity_type": "Shot", "entity_id": shot["id"], "data": {"code": "sh011"}},
              {"request_type": "delete", "entity_type": "Shot", "entity_id": extra["id"]}])
    sg.summarize("Task", [["project", "is", project]], [{"field": "id", "type": "count"}],
                 grouping=[{"field": "entity", "type": "exact", "direction": "asc"}])
    sg.text_search("sh0", {"Shot": [["project", "is", project]]}, limit=5)
    note = sg.create("Note", {"subject": "hi", "content": "body", "project": project, "note_links": [shot]})
    sg.create("Reply", {"entity": note, "content": "reply"})
    sg.note_thread_read(note["id"], {"Reply": ["content"], "Note": ["subject"]})
    sg.activity_stream_read("Shot", shot["id"], {"Note": ["subject"]}, min_id=0, max_id=100, limit=10)
    sg.follow(user, shot)
    sg.followers(shot)
    sg.following(user, project=project, entity_type="Shot")
    sg.unfollow(user, shot)
    sg.schema_read(project)
    sg.schema_entity_read(project)
    sg.schema_field_read("Shot", "code", project)
    sg.schema_field_create("Shot", "text", "Fuzz Field", {"description": "made by the fuzz seeds"})
    sg.schema_field_update("Shot", "sg_fuzz_field", {"description": "changed"}, project)
    sg.schema_field_delete("Shot", "sg_fuzz_field")
    sg.work_schedule_read("2024-01-01", "2024-01-10", project=project, user=user)
    sg.work_schedule_update("2024-01-06", True, "worked saturday", project=project, user=user)
    sg.preferences_read(["date_component_order"])
    sg.user_subscriptions_read()
    sg.user_subscriptions_create([{"humanUserId": user["id"], "subscription": "active"}])
    sg.update_project_last_accessed(project, user)
    sg.nav_expand("/Project/%d" % project["id"])
    sg.nav_search_string("/Project/%d" % project["id"], "sh0")
    sg.nav_search_entity("/Project/%d" % project["id"], shot)
    sg.info()


def record_seeds() -> list:
    """``[(method_name, params list)]`` as the client sent them (auth dict first), from a tour of every RPC."""
    import shotgun_api3

    site = Site.in_memory()
    _, key = site.add_script("seeds", can_sudo=True)
    user, _ = site.add_user("seeder", "pw")
    recorded = []
    real_call = site.call

    def recording(method, params, context):
        recorded.append((method, copy.deepcopy(params)))
        return real_call(method, params, context)

    site.call = recording
    try:
        with LocalSiteServer(site) as server:
            sg = shotgun_api3.Shotgun(server.url, script_name="seeds", api_key=key)
            try:
                _tour(sg, user)
            finally:
                sg.close()
    finally:
        site.close()
    return recorded
