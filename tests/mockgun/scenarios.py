"""Scripted scenarios run on both our mockgun and the reference mockgun.

Each scenario is a list of calls (see ``tests/support/mockgun_scenario.py``)
restricted to queries the reference mockgun answers the way a site does;
where it does not (docs/mockgun.rst, Where the default mode answers as a
site), the behaviour is pinned in
``test_reference_differences.py`` instead.
"""

P1 = {"type": "Project", "id": 1}
SQ1 = {"type": "Sequence", "id": 1}
SQ2 = {"type": "Sequence", "id": 2}
A1 = {"type": "Asset", "id": 1}
A2 = {"type": "Asset", "id": 2}


def call(name, *args, **kwargs):
    return {"call": name, "args": list(args), "kwargs": kwargs}


SITE = [
    call("create", "Project", {"name": "Pilot"}),
    call("create", "Sequence", {"code": "sq01", "project": P1}),
    call("create", "Sequence", {"code": "sq02", "project": P1}),
    call("create", "Asset", {"code": "hero", "sg_asset_type": "Character", "project": P1}),
    call("create", "Asset", {"code": "car", "sg_asset_type": "Vehicle", "project": P1}),
    call("create", "Shot", {"code": "sh010", "sg_sequence": SQ1, "project": P1, "sg_cut_in": 10,
                            "sg_status_list": "ip", "assets": [A1]}),
    call("create", "Shot", {"code": "sh020", "sg_sequence": SQ1, "project": P1, "sg_cut_in": 20,
                            "sg_status_list": "fin", "assets": [A1, A2]}),
    call("create", "Shot", {"code": "sh030", "sg_sequence": SQ2, "project": P1, "sg_cut_in": 30,
                            "description": "Night shot, rain"}),
    call("create", "Shot", {"code": "big_040", "project": P1, "sg_cut_in": 40}),
]

CODE = ["code"]

READS = SITE + [
    call("find", "Shot", [], CODE),
    call("find", "Shot", [["code", "is", "sh010"]], CODE),
    call("find", "Shot", [["code", "is", "SH010"]], CODE),
    call("find", "Shot", [["code", "is_not", "sh010"]], CODE),
    call("find", "Shot", [["code", "contains", "h0"]], CODE),
    call("find", "Shot", [["code", "not_contains", "h0"]], CODE),
    call("find", "Shot", [["code", "starts_with", "SH"]], CODE),
    call("find", "Shot", [["code", "ends_with", "40"]], CODE),
    call("find", "Shot", [["code", "in", ["sh010", "sh030", "nope"]]], CODE),
    call("find", "Shot", [["code", "not_in", ["sh010", "sh030"]]], CODE),
    call("find", "Shot", [["description", "contains", "RAIN"]], ["code", "description"]),
    call("find", "Shot", [["sg_cut_in", "is", 20]], CODE),
    call("find", "Shot", [["sg_cut_in", "is_not", 20]], CODE),
    call("find", "Shot", [["sg_cut_in", "greater_than", 15]], CODE),
    call("find", "Shot", [["sg_cut_in", "less_than", 30]], CODE),
    call("find", "Shot", [["sg_cut_in", "between", [20, 30]]], CODE),
    call("find", "Shot", [["sg_cut_in", "not_between", [20, 30]]], CODE),
    call("find", "Shot", [["sg_cut_in", "in", [10, 40]]], CODE),
    call("find", "Shot", [["sg_status_list", "is", "ip"]], ["code", "sg_status_list"]),
    call("find", "Shot", [["sg_status_list", "in", ["ip", "fin"]]], CODE),
    call("find", "Shot", [["sg_status_list", "not_in", ["ip", "fin"]]], CODE),
    call("find", "Shot", [["sg_sequence", "is", SQ1]], ["code", "sg_sequence"]),
    call("find", "Shot", [["sg_sequence", "is", None]], CODE),
    call("find", "Shot", [["sg_sequence", "is_not", None]], CODE),
    call("find", "Shot", [["sg_sequence", "is_not", SQ1]], CODE),
    call("find", "Shot", [["assets", "is", A2]], ["code", "assets"]),
    call("find", "Shot", [["assets", "is", None]], CODE),
    call("find", "Shot", [["assets", "is_not", None]], CODE),
    call("find", "Shot", [["sg_sequence.Sequence.code", "is", "sq02"]], ["code", "sg_sequence.Sequence.code"]),
    call("find", "Shot", [["sg_sequence.Sequence.project.Project.name", "is", "Pilot"]], CODE),
    call("find", "Shot", [], ["sg_sequence.Sequence.code", "project.Project.name"]),
    call("find", "Shot", [["assets.Asset.code", "is", "car"]], CODE),
    call("find", "Shot", [["code", "is", "sh010"], ["code", "is", "sh030"]], CODE, filter_operator="any"),
    call("find", "Shot", [["code", "is", "sh010"], ["code", "is", "sh030"]], CODE, filter_operator="all"),
    call("find", "Shot", [["project", "is", P1],
                          {"filter_operator": "any", "filters": [["sg_cut_in", "less_than", 15],
                                                                 ["sg_cut_in", "greater_than", 35]]}], CODE),
    call("find", "Shot", [{"filter_operator": "all", "filters": [
        ["sg_cut_in", "greater_than", 5],
        {"filter_operator": "any", "filters": [["code", "ends_with", "10"], ["code", "ends_with", "30"]]}]}], CODE),
    call("find", "Shot", [], CODE, order=[{"field_name": "code", "direction": "asc"}]),
    call("find", "Shot", [], CODE, order=[{"field_name": "code", "direction": "desc"}]),
    call("find", "Shot", [], ["sg_cut_in"], order=[{"field_name": "sg_cut_in", "direction": "desc"}]),
    call("find", "Shot", [["sg_cut_in", "greater_than", 10]], CODE,
         order=[{"field_name": "id", "direction": "desc"}]),
    call("find_one", "Shot", [["code", "is", "sh020"]], ["code", "sg_cut_in", "sg_status_list"]),
    call("find_one", "Shot", [["code", "is", "nothing"]], CODE),
    call("find", "Asset", [["sg_asset_type", "is", "Vehicle"]], ["code", "sg_asset_type"]),
    call("find", "Sequence", [["project", "is", P1]], ["code", "project"]),
    call("find", "Shot", [["id", "is", 2]], ["code"]),
    call("find", "Shot", [["id", "in", [1, 3]]], ["code"]),
    call("find", "Shot", [["id", "greater_than", 2]], ["code"]),
    call("find", "Shot", [["id", "is", 1]]),
    call("find", "Shot", [["id", "is", 1]], ["__retired", "no_such_field"]),
    call("find_one", "Sequence", [["code", "is", "sq02"]], ["code", "project.Project.name"]),
]

DATES = [
    call("create", "Project", {"name": "Pilot"}),
    call("create", "Task", {"content": "layout", "project": P1, "start_date": "2024-01-02",
                            "due_date": "2024-01-10", "sg_status_list": "ip"}),
    call("create", "Task", {"content": "anim", "project": P1, "start_date": "2024-02-01",
                            "due_date": "2024-03-01", "sg_status_list": "wtg"}),
    call("find", "Task", [["due_date", "is", "2024-01-10"]], ["content", "due_date"]),
    call("find", "Task", [["due_date", "greater_than", "2024-02-01"]], ["content"]),
    call("find", "Task", [["start_date", "less_than", "2024-02-01"]], ["content"]),
    call("find", "Task", [["due_date", "between", ["2024-01-01", "2024-01-31"]]], ["content"]),
    call("find", "Task", [], ["content", "start_date"], order=[{"field_name": "start_date", "direction": "desc"}]),
    call("find", "Task", [["content", "is", "anim"]], ["content", "due_date", "sg_status_list", "project"]),
]

USERS = [
    call("create", "HumanUser", {"login": "ann", "firstname": "Ann", "lastname": "Lee", "email_notes": True,
                                 "locked_until": {"$datetime": "2024-05-01T10:00:00"}}),
    call("create", "HumanUser", {"login": "bob", "firstname": "Bob", "lastname": "Ray", "email_notes": False,
                                 "locked_until": {"$datetime": "2024-06-01T10:00:00"}}),
    call("find", "HumanUser", [["email_notes", "is", True]], ["login"]),
    call("find", "HumanUser", [["email_notes", "is_not", True]], ["login"]),
    call("find", "HumanUser", [["locked_until", "greater_than", {"$datetime": "2024-05-15T00:00:00"}]], ["login"]),
    call("find", "HumanUser", [["locked_until", "less_than", {"$datetime": "2024-05-15T00:00:00"}]],
         ["login", "locked_until"]),
    call("find", "HumanUser", [["login", "is", "ann"]], ["login", "firstname", "email_notes"]),
]

WRITES = SITE + [
    call("delete", "Shot", 2),
    call("delete", "Shot", 2),
    call("find", "Shot", [], CODE),
    call("find", "Shot", [], CODE, retired_only=True),
    call("revive", "Shot", 2),
    call("revive", "Shot", 2),
    call("find", "Shot", [], CODE),
    call("update", "Shot", 1, {"code": "sh011", "sg_cut_in": 11}),
    call("find_one", "Shot", [["id", "is", 1]], ["code", "sg_cut_in"]),
    call("update", "Shot", 1, {"assets": [A2]}, multi_entity_update_modes={"assets": "add"}),
    call("find_one", "Shot", [["id", "is", 1]], ["assets"]),
    call("update", "Shot", 1, {"assets": [A1]}, multi_entity_update_modes={"assets": "remove"}),
    call("find_one", "Shot", [["id", "is", 1]], ["assets"]),
    call("update", "Shot", 1, {"assets": [A1]}),
    call("find_one", "Shot", [["id", "is", 1]], ["assets"]),
    call("batch", [{"request_type": "create", "entity_type": "Shot", "data": {"code": "sh050", "project": P1}},
                   {"request_type": "update", "entity_type": "Shot", "entity_id": 3, "data": {"code": "sh031"}},
                   {"request_type": "delete", "entity_type": "Shot", "entity_id": 4}]),
    call("find", "Shot", [], CODE),
    call("create", "Shot", {"code": "sh060", "project": P1}, ["code", "project"]),
]

ERRORS = SITE + [
    call("find", "NoSuchType", [], CODE),
    call("find", "Shot", [["code", "is", "x"]], CODE, filter_operator="xor"),
    call("create", "Shot", {"no_such_field": 1}),
    call("create", "Shot", {"id": 5}),
    call("create", "NoSuchType", {"code": "x"}),
    call("update", "Shot", 999, {"code": "x"}),
    call("delete", "Shot", 999),
    call("revive", "Shot", 999),
    call("batch", [{"request_type": "bogus", "entity_type": "Shot"}]),
    call("create", "Shot", {"sg_cut_in": "not a number"}),
    call("create", "Shot", {"code": 12}),
    call("create", "Shot", {"assets": [{"type": "Shot", "id": 1}]}),
]

SCHEMA = [
    call("schema_field_read", "Shot", "code"),
    call("schema_field_read", "Asset"),
    call("schema_field_read", "Shot", "sg_sequence"),
    call("schema_entity_read"),
    call("get_session_token"),
]

SCENARIOS = {
    "reads": READS,
    "dates": DATES,
    "users": USERS,
    "writes": WRITES,
    "errors": ERRORS,
    "schema": SCHEMA,
}


# Scenarios where the reference mockgun answers what a site would not. Each
# one's last step is the call whose answers differ; the tests in
# test_reference_differences.py assert both answers.
DIFFERENCES = {
    "update_result": SITE + [call("update", "Shot", 1, {"code": "sh011"})],
    "entity_in_any_of": SITE + [call("find", "Shot", [["sg_sequence", "in", [SQ1, SQ2]]], CODE)],
    "type_is_on_empty_links": SITE + [call("find", "Shot", [["sg_sequence", "type_is", "Sequence"]], CODE)],
    "name_contains_on_empty_links": SITE + [call("find", "Shot", [["sg_sequence", "name_contains", "q02"]], CODE)],
    "multi_key_order": SITE + [call("find", "Shot", [], ["code", "sg_sequence"], order=[
        {"field_name": "sg_status_list", "direction": "asc"}, {"field_name": "code", "direction": "desc"}])],
    "create_return_fields": SITE + [call("create", "Shot", {"code": "sh070", "project": P1}, ["sg_cut_in"])],
    "batch_rollback": SITE + [
        call("batch", [{"request_type": "create", "entity_type": "Shot", "data": {"code": "sh080"}},
                       {"request_type": "update", "entity_type": "Shot", "entity_id": 999, "data": {"code": "x"}}]),
        call("find", "Shot", [["code", "is", "sh080"]], CODE)],
    "remove_two_links": SITE + [
        call("update", "Shot", 2, {"assets": [A1, A2]}, multi_entity_update_modes={"assets": "remove"}),
        call("find_one", "Shot", [["id", "is", 2]], ["assets"])],
    "link_names": SITE + [call("find_one", "Shot", [["id", "is", 1]], ["sg_sequence"])],
    "unknown_filter_field": SITE + [call("find", "Shot", [["no_such_field", "is", 1]], CODE)],
    "bad_order_direction": SITE + [call("find", "Shot", [], CODE,
                                        order=[{"field_name": "code", "direction": "sideways"}])],
    "case_insensitive_text_order": SITE + [
        call("create", "Shot", {"code": "Alpha", "project": P1}),
        call("find", "Shot", [], CODE, order=[{"field_name": "code", "direction": "asc"}])],
    "limit": SITE + [call("find", "Shot", [], CODE, limit=2)],
    "page": SITE + [call("find", "Shot", [], CODE, limit=2, page=2)],
    "event_log": SITE + [call("find", "EventLogEntry", [["event_type", "is", "Shotgun_Shot_New"]], ["entity"])],
    "summarize": SITE + [call("summarize", "Shot", [], [{"field": "sg_cut_in", "type": "sum"}])],
    "none_on_multi_entity": SITE + [call("update", "Shot", 1, {"assets": None}),
                                    call("find_one", "Shot", [["id", "is", 1]], ["assets"])],
    "greater_than_on_empty_numbers": SITE + [call("create", "Shot", {"code": "sh090", "project": P1}),
                                             call("find", "Shot", [["sg_cut_in", "greater_than", 25]], CODE)],
    "batch_create_return_fields": SITE + [call("batch", [
        {"request_type": "create", "entity_type": "Shot", "data": {"code": "sh070"}, "return_fields": ["sg_cut_in"]}])],
    "unknown_schema_field": [call("schema_field_read", "Shot", "no_such_field")],
    "unknown_schema_type": [call("schema_field_read", "NoSuchType")],
    "two_element_filter": SITE + [call("find", "Shot", [["code", "is"]], CODE)],
    "float_accepts_int": [call("create", "Version", {"code": "v1", "sg_movie_aspect_ratio": 2}),
                          call("find_one", "Version", [["code", "is", "v1"]], ["sg_movie_aspect_ratio"])],
}
