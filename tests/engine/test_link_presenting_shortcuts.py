"""Shortcuts in presenting links answer what the long way answers.

``display.present_link`` looks the target row up once for its liveness and
its name; the event log's link-list change compares ids in C before making
keys. Each is checked here against the plain definition, on links a rig may
have written by hand (no such row, retired targets, non-links).
"""
from __future__ import annotations

import datetime

import pytest

from shotgun_api3._engine import site_choices
from shotgun_api3._engine.query.display import link_is_live, link_key, link_name, present_link
from shotgun_api3._engine.query.relations import QueryEnv
from shotgun_api3._engine.schema.site_schema import SiteSchema
from shotgun_api3._engine.write.event_log import _keys_held, _present_link_change

SCHEMA = SiteSchema.default()
TABLES = {
    "Shot": {1: {"type": "Shot", "id": 1, "code": "one"}, 2: {"type": "Shot", "id": 2, "code": 2},
             3: {"type": "Shot", "id": 3, "code": "gone", "__retired": True}, 4: {"type": "Shot", "id": 4, "code": None}},
    "Asset": {1: {"type": "Asset", "id": 1, "code": "asset one"}},
}
ENV = QueryEnv(SCHEMA, TABLES, datetime.datetime(2024, 1, 1))

LINKS = [
    {"type": "Shot", "id": 1}, {"type": "Shot", "id": 2, "name": "stale"}, {"type": "Shot", "id": 3, "name": "x"},
    {"type": "Shot", "id": 4}, {"type": "Shot", "id": 99, "name": "written"}, {"type": "Shot", "id": 98},
    {"type": "Nothing", "id": 1, "name": "n"}, {"type": "Asset", "id": 1}, {}, None, "Shot", 5, [],
]


def long_way(link):
    if not link_is_live(TABLES, link):
        return None
    return {"type": link["type"], "id": link["id"], "name": link_name(SCHEMA, TABLES, link)}


@pytest.mark.parametrize("retired_read_as_empty", [True, False])
@pytest.mark.parametrize("link", LINKS, ids=repr)
def test_present_link_is_liveness_then_name(monkeypatch, link, retired_read_as_empty):
    monkeypatch.setattr(site_choices, "RETIRED_TARGETS_READ_AS_EMPTY", retired_read_as_empty)
    assert present_link(SCHEMA, TABLES, link) == long_way(link)


def test_a_link_without_type_or_id_fails_alike():
    for link in ({"id": 1}, {"type": "Shot"}):
        with pytest.raises(KeyError):
            long_way(link)
        with pytest.raises(KeyError):
            present_link(SCHEMA, TABLES, link)


def link(entity_id, entity_type="Shot"):
    return {"type": entity_type, "id": entity_id, "name": "written"}


HELD = [link(1), link(3), link(99), link(4), link(7, "Asset")]
KEYS_CASES = {
    "new id": (HELD, [link(2)]),
    "held id": (HELD, [link(3)]),
    "held id of another type": (HELD, [link(7)]),
    "several": (HELD, [link(2), link(4), link(5)]),
    "nothing held": ([], [link(2)]),
    "no candidates": (HELD, []),
    "held non-links": (HELD + ["text", None, {}], [link(2)]),
    "held link without id": (HELD + [{"type": "Shot"}], [link(2)]),
    "candidate without id": (HELD + [None], [{"type": "Shot"}]),
    "candidate not a link": (HELD + [{}], ["text"]),
}


@pytest.mark.parametrize("old, links", KEYS_CASES.values(), ids=list(KEYS_CASES))
def test_keys_held_answer_as_all_keys_do_for_the_links(old, links):
    every_key = {link_key(item) for item in old}
    held = _keys_held(old, [link_key(item) for item in links])
    assert held <= every_key
    for item in links:
        assert (link_key(item) in held) == (link_key(item) in every_key)


def reference_meta(old, new):
    old_keys = {link_key(item) for item in old or ()}
    new_keys = {link_key(item) for item in new or ()}
    return {
        "added": [long_way(item) for item in new or () if link_key(item) not in old_keys and link_is_live(TABLES, item)],
        "removed": [{"type": item["type"], "id": item["id"]} for item in old or () if link_key(item) not in new_keys],
    }


OLD = [link(1), link(3), link(99), link(4)]
CHANGE_CASES = {
    "appended a held id": (OLD, OLD + [link(3)]),
    "appended a copy of a held link": (OLD, OLD + [dict(OLD[0])]),
    "appended an asset of a held id": (OLD, OLD + [link(1, "Asset")]),
    "appended a keyless dict to non-links": (OLD + ["text"], OLD + ["text", {"name": "x"}]),
    "appended a non-link": (OLD, OLD + ["text"]),
    "appended to one": (OLD[:1], OLD[:1] + [link(2), link(98)]),
    "replaced": (OLD, [link(2), link(1)]),
}


@pytest.mark.parametrize("old, new", CHANGE_CASES.values(), ids=list(CHANGE_CASES))
def test_link_list_change_meta_matches_the_plain_definition(old, new):
    meta = {"old_value": old, "new_value": new}
    _present_link_change(ENV, meta, old or (), new or ())
    assert meta == reference_meta(old, new)
