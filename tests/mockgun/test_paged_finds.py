"""A find() longer than a page answers every record once, in order, and sees later edits."""


def _make_shots(sg, count):
    for index in range(count):
        sg.create("Shot", {"code": "shot_%04d" % index, "sg_cut_in": index % 7})


def test_find_across_pages_returns_every_match_once_in_order(sg):
    _make_shots(sg, 1203)
    shots = sg.find("Shot", [{"filter_operator": "any", "filters": [["sg_cut_in", "is", 3], ["code", "ends_with", "1"]]}],
                    ["code"])
    expected = [i + 1 for i in range(1203) if i % 7 == 3 or ("%04d" % i).endswith("1")]
    assert [shot["id"] for shot in shots] == expected
    ordered = sg.find("Shot", [], ["code"], order=[{"field_name": "sg_cut_in", "direction": "desc"},
                                                    {"field_name": "code", "direction": "asc"}])
    assert len(ordered) == 1203
    assert [s["id"] for s in ordered[:2]] == [7, 14]
    assert sg.find("Shot", [], ["code"], limit=600)[-1]["code"] == "shot_0599"


def test_pages_of_one_find_do_not_outlive_it(sg):
    _make_shots(sg, 650)
    assert len(sg.find("Shot", [["sg_cut_in", "greater_than", -1]])) == 650
    sg._db["Shot"][1]["sg_cut_in"] = -5
    del sg._db["Shot"][2]
    assert len(sg.find("Shot", [["sg_cut_in", "greater_than", -1]])) == 648
    assert sg._engine.read_memo is None
