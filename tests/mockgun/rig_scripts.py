"""Test-rig code written against the reference mockgun: patching its helpers, calling them, editing ``_db``.

Each script runs on the reference mockgun and on ours (``test_rig_hooks.py``);
what it observes must be the same. The scripts are the way real rigs use
mockgun: ``mock.patch.object`` on the class or the instance, subclasses
overriding a helper, rows written into ``_db``, whole-dict assertions.
"""

SETUP = """
project = sg.create("Project", {"name": "Pilot"})
project = {"type": "Project", "id": project["id"]}
seq = sg.create("Sequence", {"code": "sq01", "project": project})
seq = {"type": "Sequence", "id": seq["id"]}
shots = [sg.create("Shot", {"code": "sh%03d" % (n * 10), "project": project, "sg_sequence": seq,
                            "sg_cut_in": n * 10, "sg_status_list": "ip" if n % 2 else "fin"})
         for n in range(1, 4)]
"""


def script(body):
    return SETUP + body


SCRIPTS = {
    # Cause 3: the helpers are hooks.
    "validate_entity_data_patched_lets_anything_through": script("""
with mock.patch.object(Mockgun, "_validate_entity_data"):
    made = sg.create("Shot", {"code": 5, "sg_cut_in": "ten", "sg_status_list": ["odd"]})
out["made"] = made
out["found"] = sg.find("Shot", [["id", "is", made["id"]]], ["code", "sg_cut_in", "sg_status_list"])
"""),
    "validate_entity_type_patched_on_the_instance": script("""
with mock.patch.object(sg, "_validate_entity_type", side_effect=ShotgunError("blocked")) as check:
    try:
        sg.find("Shot", [])
    except ShotgunError as error:
        out["error"] = str(error)
    out["calls"] = check.call_args_list
"""),
    "validate_entity_type_is_asked_where_the_reference_asks": script("""
with mock.patch.object(Mockgun, "_validate_entity_type", wraps=sg._validate_entity_type) as check:
    sg.schema_field_read("Shot", "code")
    sg.schema_read()
    sg.find("Shot", [["code", "is", "sh010"]])
    sg.find_one("Shot", [])
    sg.create("Shot", {"code": "x"}, ["code"])
    sg.update("Shot", shots[0]["id"], {"code": "y"})
    sg.delete("Shot", shots[1]["id"])
    sg.revive("Shot", shots[1]["id"])
    out["calls"] = check.call_args_list
"""),
    "validate_entity_fields_patched_lets_unknown_return_fields_through": script("""
with mock.patch.object(Mockgun, "_validate_entity_fields") as check:
    out["made"] = sg.create("Shot", {"code": "x"}, return_fields=["no_such_field", "code"])
    out["calls"] = check.call_args_list
"""),
    "validate_entity_exists_patched_then_update_of_a_missing_id": script("""
with mock.patch.object(Mockgun, "_validate_entity_exists") as check:
    try:
        sg.update("Shot", 99, {"code": "x"})
    except KeyError:
        out["raised"] = "KeyError"
    out["calls"] = check.call_args_list
"""),
    "get_default_value_is_a_helper_new_rows_do_not_call": script("""
out["defaults"] = [sg._get_default_value("Shot", "assets"), sg._get_default_value("Shot", "sg_status_list"),
                   sg._get_default_value("Shot", "code")]
with mock.patch.object(Mockgun, "_get_default_value", return_value="patched") as default:
    made = sg.create("Shot", {"code": "new"})
    out["row"] = sg.find_one("Shot", [["id", "is", made["id"]]], ["sg_status_list", "assets", "description"])
    out["called"] = default.called
"""),
    "get_new_row_patched_seeds_every_new_row": script("""
original = Mockgun._get_new_row
def seeded(self, entity_type):
    row = original(self, entity_type)
    if "description" in row:
        row["description"] = "seeded by the rig"
    return row
with mock.patch.object(Mockgun, "_get_new_row", seeded):
    made = sg.create("Shot", {"code": "new"})
out["row"] = sg.find_one("Shot", [["id", "is", made["id"]]], ["code", "description"])
out["new_row_keys"] = sorted(sg._get_new_row("Asset"))
"""),
    "compare_patched_to_match_everything": script("""
with mock.patch.object(Mockgun, "_compare", return_value=True) as compare:
    out["found"] = sg.find("Shot", [["code", "is", "nothing"]], ["code"])
    out["calls"] = compare.call_args_list
"""),
    "compare_called_directly_by_a_rig": script("""
out["answers"] = [
    sg._compare("text", "Hello", "contains", "ELL"),
    sg._compare("number", 5, "between", [1, 10]),
    sg._compare("entity", {"type": "Shot", "id": 1}, "is", {"type": "Shot", "id": 1}),
    sg._compare("multi_entity", [{"type": "Asset", "id": 2}], "is", {"type": "Asset", "id": 2}),
    sg._compare("status_list", "ip", "in", ["ip", "fin"]),
    sg._compare("text", ["a", "b"], "is", "B"),
]
"""),
    "get_field_from_row_patched_changes_every_read": script("""
original = Mockgun._get_field_from_row
def shouting(self, entity_type, row, field):
    value = original(self, entity_type, row, field)
    return value.upper() if field == "code" and isinstance(value, str) else value
with mock.patch.object(Mockgun, "_get_field_from_row", shouting):
    out["found"] = sg.find("Shot", [["code", "is", "SH010"]], ["code"])
    out["made"] = sg.create("Shot", {"code": "sh_new"})
    out["one"] = sg.find_one("Shot", [["code", "starts_with", "sh0"]], ["code", "sg_sequence.Sequence.code"],
                             order=[{"field_name": "code", "direction": "desc"}])
"""),
    "get_field_from_row_patched_does_not_change_the_sort_order": script("""
original = Mockgun._get_field_from_row
def negated(self, entity_type, row, field):
    value = original(self, entity_type, row, field)
    return -value if field == "sg_cut_in" and isinstance(value, int) else value
with mock.patch.object(Mockgun, "_get_field_from_row", negated):
    out["found"] = sg.find("Shot", [], ["sg_cut_in"], order=[{"field_name": "sg_cut_in", "direction": "asc"}])
    out["one"] = sg.find_one("Shot", [], ["sg_cut_in"], order=[{"field_name": "sg_cut_in", "direction": "desc"}])
"""),
    "get_field_type_patched_is_asked_where_the_reference_asks": script("""
with mock.patch.object(Mockgun, "_get_field_type", wraps=sg._get_field_type) as field_type:
    sg.create("Shot", {"code": "a", "sg_cut_in": 3, "assets": []})
    sg.update("Shot", 1, {"description": "d"})
    sg.find("Shot", [["sg_cut_in", "greater_than", 15]], ["code"], order=[{"field_name": "description",
                                                                            "direction": "asc"}])
    out["calls"] = field_type.call_args_list
"""),
    "row_matches_filter_patched_by_a_rig": script("""
original = Mockgun._row_matches_filter
def ignoring_custom(self, entity_type, row, sg_filter, retired_only):
    if sg_filter[0] == "sg_custom":
        return True
    return original(self, entity_type, row, sg_filter, retired_only)
with mock.patch.object(Mockgun, "_row_matches_filter", ignoring_custom):
    out["found"] = sg.find("Shot", [["sg_custom", "is", "x"], ["code", "is", "sh020"]], ["code"])
"""),
    "row_matches_filters_patched_returns_retired_rows_too": script("""
sg.delete("Shot", shots[0]["id"])
with mock.patch.object(Mockgun, "_row_matches_filters", return_value=True) as matches:
    out["found"] = sg.find("Shot", [["code", "is", "zzz"]], ["code"])
    out["calls"] = len(matches.call_args_list)
    out["first"] = matches.call_args_list[0]
"""),
    "rearrange_filters_is_asked_once_per_row_and_group": script("""
with mock.patch.object(Mockgun, "_rearrange_filters", wraps=sg._rearrange_filters) as rearrange:
    out["found"] = sg.find("Shot", [["code", "in", "sh010", "sh020"],
                                    {"filter_operator": "any", "filters": [["sg_cut_in", "is", 10],
                                                                           ["sg_cut_in", "is", 30]]}], ["code"])
    out["calls"] = rearrange.call_args_list
out["direct"] = sg._rearrange_filters([["code", "in", "a"], ["code", "in", "a", "b"],
                                       {"filter_operator": "all", "filters": []}])
"""),
    "update_row_patched_to_a_no_op": script("""
with mock.patch.object(Mockgun, "_update_row") as update_row:
    made = sg.create("Shot", {"code": "never stored"})
    updated = sg.update("Shot", shots[1]["id"], {"code": "never either"})
    out["calls"] = update_row.call_args_list
out["made"] = made
out["updated"] = updated[0] if isinstance(updated, list) else updated
out["stored"] = sg.find_one("Shot", [["id", "is", made["id"]]], ["code"])
"""),
    "a_subclass_overrides_a_helper": script("""
class CaseSensitive(Mockgun):
    def _compare(self, field_type, lval, operator, rval):
        if field_type == "text" and operator == "is":
            return lval == rval
        return super()._compare(field_type, lval, operator, rval)
strict = CaseSensitive("http://unit_test_mock_sg")
strict.create("Shot", {"code": "sh010"})
out["found"] = [strict.find("Shot", [["code", "is", "SH010"]]), strict.find("Shot", [["code", "is", "sh010"]])]
"""),
    # Cause 4: the call graph.
    "find_one_calls_find_with_the_reference_arguments": script("""
with mock.patch.object(Mockgun, "find", return_value=[{"type": "Shot", "id": 7}]) as find:
    out["one"] = sg.find_one("Shot", [["code", "is", "x"]], ["code"], order=[{"field_name": "id",
                                                                             "direction": "asc"}],
                             filter_operator="any", retired_only=True)
    out["call"] = find.call_args
with mock.patch.object(Mockgun, "find", return_value=[]) as find:
    out["none"] = sg.find_one("Shot", [])
    out["call2"] = find.call_args
"""),
    "batch_calls_create_update_delete": script("""
with mock.patch.object(Mockgun, "create", wraps=sg.create) as create, \\
        mock.patch.object(Mockgun, "update", wraps=sg.update) as update, \\
        mock.patch.object(Mockgun, "delete", wraps=sg.delete) as delete:
    answers = sg.batch([
        {"request_type": "create", "entity_type": "Shot", "data": {"code": "b1"}},
        {"request_type": "update", "entity_type": "Shot", "entity_id": 1, "data": {"code": "b2"}},
        {"request_type": "delete", "entity_type": "Shot", "entity_id": 2},
    ])
    out["calls"] = [create.call_args_list, update.call_args_list, delete.call_args_list]
out["answers"] = answers
"""),
    "find_counts_finds": script("""
sg.find("Shot", [])
sg.find_one("Shot", [])
out["finds"] = sg.finds
"""),
    # Cause 1: loose writes.
    "links_outside_valid_types_and_values_outside_valid_values": script("""
location = sg.create("FilesystemLocation", {"entity": project, "code": "root"})
asset = sg.create("Asset", {"code": "hero", "sg_asset_type": "Not A Choice", "project": project})
shot = sg.create("Shot", {"code": "odd", "sg_status_list": "zzz"})
version = sg.create("Version", {"code": "v1", "sg_uploaded_movie": {"link_type": "upload", "name": "m.mov",
                                                                     "url": "http://x/m.mov"}})
out["made"] = [location, asset, shot, version]
out["read"] = [sg.find("FilesystemLocation", [], ["entity", "code"]),
               sg.find("Version", [], ["sg_uploaded_movie"]),
               sg.find("Asset", [["sg_asset_type", "is", "Not A Choice"]], ["sg_asset_type"])]
"""),
    # Cause 2: answers as stored.
    "links_come_back_as_written_without_a_name": script("""
user = sg.create("HumanUser", {"login": "ford", "firstname": "Ford", "lastname": "Prefect"})
note = sg.create("Note", {"subject": "hi", "addressings_to": [{"type": "HumanUser", "id": user["id"]}],
                          "project": project})
out["note"] = note
out["read"] = sg.find("Note", [], ["addressings_to", "project", "created_at", "updated_at", "created_by"])
out["shots"] = sg.find("Shot", [], ["sg_sequence", "project"])
"""),
    "a_whole_dict_written_into_db_comes_back_whole": script("""
sg._db["Version"][40] = {"type": "Version", "id": 40, "code": "v40", "__retired": False,
                         "entity": {"type": "Shot", "id": 1, "name": "sh010", "extra": "kept"},
                         "sg_uploaded_movie": {"name": "m.mov", "url": "http://x/m.mov", "custom": 1}}
out["read"] = sg.find("Version", [["code", "is", "v40"]], ["entity", "sg_uploaded_movie", "code", "no_such"])
"""),
    "created_at_stays_empty_unless_given": script("""
sg.create("HumanUser", {"login": "given", "created_at": datetime.datetime(2020, 1, 1, 12, 0)})
sg.create("HumanUser", {"login": "not_given"})
out["order"] = sg.find("HumanUser", [], ["login", "created_at"],
                       order=[{"field_name": "created_at", "direction": "asc"}])
"""),
    "filtering_on_a_link_names_the_stored_link": script("""
# Results are compared as they were when returned (the reference's share objects with its store).
import copy
out["before"] = copy.deepcopy(sg.find("Shot", [], ["sg_sequence"]))
out["filtered"] = copy.deepcopy(sg.find("Shot", [["sg_sequence", "is", seq]], ["sg_sequence", "project"]))
out["after"] = sg.find("Shot", [], ["sg_sequence", "project"])
"""),
    # Cause 5: a stale name after delete and create.
    "names_follow_rows_after_deleting_and_creating_projects": script("""
sg._db["Project"][1]["name"] = "project_code"
del sg._db["Project"][1]
first = sg.create("Project", {"name": "Other", "tank_name": "other"})
second = sg.create("Project", {"name": "WithTankName", "tank_name": "with_tank"})
sg.create("PipelineConfiguration", {"code": "Primary", "project": {"type": "Project", "id": second["id"]}})
out["ids"] = [first["id"], second["id"]]
out["config"] = sg.find("PipelineConfiguration", [["project", "is", {"type": "Project", "id": second["id"]}]],
                        ["project", "code"])
out["deleted_then_made"] = [sg.delete("Project", first["id"]), sg.create("Project", {"name": "Third"})]
"""),
    # Multi-entity update modes and the answers of update.
    "multi_entity_update_modes": script("""
a1 = sg.create("Asset", {"code": "a1"})
a2 = sg.create("Asset", {"code": "a2"})
a3 = sg.create("Asset", {"code": "a3"})
link = lambda asset: {"type": "Asset", "id": asset["id"]}
sid = shots[0]["id"]
import copy
answers = [copy.deepcopy(sg.update("Shot", sid, {"assets": [link(a1)]})),
           copy.deepcopy(sg.update("Shot", sid, {"assets": [link(a2), link(a1)]},
                                   multi_entity_update_modes={"assets": "add"})),
           copy.deepcopy(sg.update("Shot", sid, {"assets": [link(a1)]}, multi_entity_update_modes={"assets": "remove"}))]
out["answers"] = [answer[0] if isinstance(answer, list) else answer for answer in answers]
out["read"] = sg.find("Shot", [["assets", "is", link(a2)]], ["assets", "code"])
out["dotted"] = sg.find("Shot", [["id", "is", sid]], ["assets.Asset.code", "sg_sequence.Sequence.code"])
"""),
}
