"""find / find_one / summarize / text_search: exact params sent, paging and unpacking."""
from __future__ import annotations

import datetime

import pytest

import shotgun_api3

from .conftest import AUTH, FakeSite, SITE


def page(entities, has_next=False, **paging):
    info = {"has_next_page": has_next}
    info.update(paging)
    return {"entities": entities, "paging_info": info}


def shot(i, **fields):
    record = {"type": "Shot", "id": i}
    record.update(fields)
    return record


def test_find_sends_the_documented_read_params(sg, site):
    site.answer(page([shot(1, code="a")]))
    order = [{"field_name": "code"}]
    result = sg.find(
        "Shot",
        [["project", "is", {"type": "Project", "id": 1, "name": "P", "extra": 1}],
         ["created_at", "greater_than", datetime.datetime(2020, 1, 1, 17, 0, tzinfo=sg_utc())]],
        ["code"],
        order=order,
    )
    assert result == [shot(1, code="a")]
    assert site.calls[0] == {
        "method_name": "read",
        "params": [AUTH, {
            "type": "Shot",
            "return_fields": ["code"],
            "filters": {"logical_operator": "and", "conditions": [
                {"path": "project", "relation": "is", "values": [{"id": 1, "type": "Project", "name": "P"}]},
                {"path": "created_at", "relation": "greater_than", "values": ["2020-01-01T17:00:00Z"]},
            ]},
            "return_only": "active",
            "paging": {"entities_per_page": 500, "current_page": 1},
            "sorts": [{"field_name": "code", "direction": "asc"}],
            "api_return_image_urls": True,
            "return_paging_info_without_counts": True,
        }],
    }
    assert order == [{"field_name": "code", "direction": "asc"}]


def sg_utc():
    return shotgun_api3.sg_timezone.utc


def test_find_body_is_byte_exact_json(sg, site):
    site.answer(page([]))
    sg.find("Shot", [["code", "is", "Noëlご"]])
    body = [r["body"] for r in site.requests if r["payload"]["method_name"] == "read"][0]
    assert body.startswith(b'{"method_name": "read", "params": [{"script_name": "scr", "script_key": "key123"}, ')
    assert "Noëlご".encode("utf-8") in body
    assert site.requests[-1]["headers"] == {
        "user-agent": "; ".join(sg._user_agents),
        "content-type": "application/json; charset=utf-8",
        "connection": "keep-alive",
    }
    assert site.requests[-1]["path"] == "/api3/json" and site.requests[-1]["verb"] == "POST"


def test_find_pages_until_has_next_page_is_false(sg, site):
    sg.config._records_per_page = 2
    site.answer(page([shot(1), shot(2)], True)).answer(page([shot(3), shot(4)], True)).answer(page([shot(5)]))
    assert [r["id"] for r in sg.find("Shot", [])] == [1, 2, 3, 4, 5]
    assert [c["params"][1]["paging"] for c in site.calls] == [
        {"entities_per_page": 2, "current_page": p} for p in (1, 2, 3)]


def test_find_stops_when_a_page_is_empty_even_if_the_site_says_there_is_more(sg, site):
    site.answer(page([shot(1)], True)).answer(page([], True))
    assert [r["id"] for r in sg.find("Shot", [])] == [1]
    assert len(site.calls) == 2


def test_find_on_old_servers_uses_entity_count(site):
    site.info = {"version": [7, 3, 0]}
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    sg.config._records_per_page = 2
    site.answer(page([shot(1), shot(2)], entity_count=3)).answer(page([shot(3)], entity_count=3))
    assert [r["id"] for r in sg.find("Shot", [])] == [1, 2, 3]
    assert all(c["params"][1]["return_paging_info"] is True for c in site.calls)
    assert "return_paging_info_without_counts" not in site.calls[0]["params"][1]


def test_find_on_old_servers_stops_at_an_empty_page(site):
    site.info = {"version": [7, 3, 0]}
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    site.answer(page([shot(1)], entity_count=5)).answer(page([], entity_count=5))
    assert [r["id"] for r in sg.find("Shot", [])] == [1]


def test_find_with_limit_below_page_size_is_a_single_page_request(sg, site):
    site.answer(page([shot(1), shot(2)]))
    assert len(sg.find("Shot", [], limit=2)) == 2
    params = site.last_params
    assert params["paging"] == {"entities_per_page": 2, "current_page": 1}
    assert params["return_paging_info_without_counts"] is False


def test_find_with_limit_above_page_size_loops_and_cuts(sg, site):
    sg.config._records_per_page = 2
    site.answer(page([shot(1), shot(2)], True)).answer(page([shot(3), shot(4)], True))
    assert [r["id"] for r in sg.find("Shot", [], limit=3)] == [1, 2, 3]
    assert len(site.calls) == 2


def test_find_with_page_asks_for_that_page_only(sg, site):
    sg.config._records_per_page = 2
    site.answer(page([shot(3), shot(4)], True))
    assert [r["id"] for r in sg.find("Shot", [], limit=5, page=2)] == [3, 4]
    assert site.last_params["paging"] == {"entities_per_page": 2, "current_page": 2}


@pytest.mark.parametrize("bad", [-1, "3", 1.5, None])
def test_find_rejects_bad_limit_and_page_before_sending(sg, site, bad):
    with pytest.raises(ValueError, match="limit parameter must be a positive integer"):
        sg.find("Shot", [], limit=bad)
    with pytest.raises(ValueError, match="page parameter must be a positive integer"):
        sg.find("Shot", [], page=bad)
    assert site.requests == []


def test_find_with_dict_filters_sends_them_verbatim(sg, site):
    filters = {"logical_operator": "or", "conditions": []}
    site.answer(page([]))
    sg.find("Shot", filters)
    assert site.last_params["filters"] == filters
    with pytest.raises(shotgun_api3.ShotgunError, match="Deprecated: Use of filter_operator for find"):
        sg.find("Shot", filters, filter_operator="any")


def test_find_options_retired_archived_presets(sg, site):
    site.answer(page([]))
    presets = [{"preset_name": "LATEST", "latest_by": "ENTITIES_CREATED_AT"}]
    sg.find("Version", [], retired_only=True, include_archived_projects=False, additional_filter_presets=presets,
            order=[{"column": "code", "direction": "desc"}])
    params = site.last_params
    assert list(params) == ["type", "return_fields", "filters", "return_only", "paging", "additional_filter_presets",
                            "include_archived_projects", "sorts", "api_return_image_urls",
                            "return_paging_info_without_counts"]
    assert params["return_only"] == "retired"
    assert params["include_archived_projects"] is False
    assert params["additional_filter_presets"] == presets
    assert params["sorts"] == [{"field_name": "code", "direction": "desc"}]


def test_find_version_gates(site):
    site.info = {"version": [5, 3, 0]}
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    with pytest.raises(shotgun_api3.ShotgunError, match="include_archived_projects parameter requires server version 5.3.14"):
        sg.find("Shot", [], include_archived_projects=False)
    with pytest.raises(shotgun_api3.ShotgunError, match="additional_filter_presets parameter requires server version 7.0.0"):
        sg.find("Shot", [], additional_filter_presets=[{}])
    assert site.calls == []


def test_find_on_servers_before_3_3_does_not_ask_for_image_urls_and_fetches_them(site):
    site.info = {"version": [3, 2, 0]}
    sg = shotgun_api3.Shotgun(SITE, "scr", "key123", connect=False)
    sg._http_request = site
    site.answer(page([shot(1, image="x")], entity_count=1))
    site.raw((200, "OK"), {"content-type": "text/plain"}, "1\n/thumbs/1.jpg")
    result = sg.find("Shot", [], ["image"])
    assert "api_return_image_urls" not in site.calls[0]["params"][1]
    assert result[0]["image"] == "https://site.example.com/thumbs/1.jpg"
    assert site.requests[-1]["verb"] == "GET"
    assert site.requests[-1]["path"] == "/upload/get_thumbnail_url?entity_type=Shot&entity_id=1"


def test_find_fixes_lt_entities_and_local_paths(sg, site, monkeypatch):
    sg.client_caps.local_path_field = "local_path_linux"
    sg.client_caps.platform = "linux"
    site.answer(page([shot(
        1, code="a &lt; b &gt; c",
        path={"link_type": "local", "local_path_linux": "/mnt/x.mov", "name": "x"},
        nolinux={"link_type": "local", "local_path_mac": "/Volumes/x"},
        none_path={"link_type": "local", "local_path_linux": None},
        nested={"name": "&lt;kept"},
    )]))
    record = sg.find("Shot", [])[0]
    assert record["code"] == "a < b &gt; c"
    assert record["path"]["local_path"] == "/mnt/x.mov" and record["path"]["url"] == "file:///mnt/x.mov"
    assert "local_path" not in record["nolinux"]
    assert record["none_path"]["local_path"] is None and record["none_path"]["url"] == "file://"
    assert record["nested"] == {"name": "&lt;kept"}


def test_find_fixes_json_escaped_lt(sg, site):
    site.raw((200, "OK"), {"content-type": "application/json"},
             b'{"results": {"entities": [{"type": "Shot", "id": 1, "code": "\\u0026lt;x"}], '
             b'"paging_info": {"has_next_page": false}}}')
    assert sg.find("Shot", [])[0]["code"] == "<x"


def test_find_returns_retired_and_unicode_records_untouched(sg, site):
    site.answer(page([shot(1, code="ご", description=None, sg_cut_in=0, tags=[])]))
    assert sg.find("Shot", []) == [shot(1, code="ご", description=None, sg_cut_in=0, tags=[])]


def test_find_one_is_a_single_record_read(sg, site):
    site.answer(page([shot(7)]))
    assert sg.find_one("Shot", [["id", "is", 7]]) == shot(7)
    assert site.last_params["paging"] == {"entities_per_page": 1, "current_page": 1}
    assert site.last_params["return_paging_info_without_counts"] is False
    site.answer(page([]))
    assert sg.find_one("Shot", [["id", "is", 8]]) is None


def test_patched_parse_records_is_used(sg, site, monkeypatch):
    seen = []

    def parse(self, records):
        seen.append(list(records))
        return ["parsed"]

    monkeypatch.setattr(shotgun_api3.Shotgun, "_parse_records", parse)
    site.answer(page([shot(1)]))
    assert sg.find("Shot", []) == ["parsed"]
    assert seen == [[shot(1)]]


def test_summarize_params_and_result(sg, site):
    answer = {"summaries": {"id": 3}, "groups": [{"group_name": "ip", "group_value": "ip", "summaries": {"id": 3}}]}
    site.answer(answer)
    result = sg.summarize("Shot", [["code", "contains", "a"]], [{"field": "id", "type": "count"}],
                          filter_operator="any", grouping=[], include_archived_projects=False)
    assert result == answer
    assert site.last_params == {
        "type": "Shot",
        "summaries": [{"field": "id", "type": "count"}],
        "filters": {"logical_operator": "or", "conditions": [{"path": "code", "relation": "contains", "values": ["a"]}]},
        "include_archived_projects": False,
        "grouping": [],
    }
    site.answer(answer)
    sg.summarize("Shot", [], [{"field": "id", "type": "count"}])
    assert list(site.last_params) == ["type", "summaries", "filters"]
    with pytest.raises(ValueError, match="'grouping' parameter must be a list or None"):
        sg.summarize("Shot", [], [], grouping={"field": "x"})


def test_text_search_params_and_unpacking(sg, site):
    site.answer({"matches": [{"id": 1, "type": "Shot", "name": "a&lt;b"}], "terms": ["abc"]})
    result = sg.text_search("abc", {"Shot": [["code", "is", "x"]], "Asset": []}, project_ids=[1], limit=5)
    assert result == {"matches": [{"id": 1, "type": "Shot", "name": "a&lt;b"}], "terms": ["abc"]}
    assert site.last_params == {
        "text": "abc",
        "entity_types": {
            "Shot": {"logical_operator": "and", "conditions": [{"path": "code", "relation": "is", "values": ["x"]}]},
            "Asset": {"logical_operator": "and", "conditions": []},
        },
        "project_ids": [1],
        "max_results": 5,
    }
    assert site.calls[-1]["method_name"] == "query_display_name_cache"
    with pytest.raises(ValueError, match="entity_types parameter must be a dictionary"):
        sg.text_search("abc", [])
    with pytest.raises(ValueError, match=r"value of entity_types\['Shot'\] must be a list or tuple."):
        sg.text_search("abc", {"Shot": "x"})
