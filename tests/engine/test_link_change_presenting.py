"""The meta of a link-list change event: ``added`` as a read presents links, ``removed``, and no old or new list.

A hosted site logs a multi-entity change with ``added`` and ``removed``
lists instead of ``old_value``/``new_value`` (docs/site_facts.rst, "Event log").
"""
from __future__ import annotations

import datetime

import pytest

from shotgun_api3._engine.query.display import link_is_live, link_key
from shotgun_api3._engine.query.presenting import value_presenter
from shotgun_api3._engine.query.relations import QueryEnv
from shotgun_api3._engine.schema.site_schema import FieldInfo, SiteSchema
from shotgun_api3._engine.write.event_log import _present_link_change

SHOTS = {1: {"type": "Shot", "id": 1, "code": "one"}, 2: {"type": "Shot", "id": 2, "code": "two"},
         3: {"type": "Shot", "id": 3, "code": "retired", "__retired": True}, 4: {"type": "Shot", "id": 4, "code": None}}
ENV = QueryEnv(SiteSchema({}, {}), {"Shot": SHOTS}, datetime.datetime(2024, 1, 1))
INFO = FieldInfo("Sequence", "shots", "multi_entity")


def reference_meta(old, new):
    """The meta as made link by link with the read's presenter."""
    present = value_presenter(ENV, INFO)
    old_keys = {link_key(link) for link in old or ()}
    new_keys = {link_key(link) for link in new or ()}
    return {
        "added": [present([link])[0] for link in new or ()
                  if link_key(link) not in old_keys and link_is_live(ENV.tables, link)],
        "removed": [{"type": link["type"], "id": link["id"]} for link in old or () if link_key(link) not in new_keys],
    }


def meta_of(old, new):
    meta = {"old_value": old, "new_value": new}
    _present_link_change(ENV, meta, old or (), new or ())
    return meta


def link(entity_id, name="written"):
    return {"type": "Shot", "id": entity_id, "name": name}


OLD = [link(1), link(3), link(99), link(4)]
CASES = {
    "appended": (OLD, OLD + [link(2)]),
    "appended twice, a retired one": (OLD, OLD + [link(2), link(3)]),
    "appended again, the same object": (OLD, OLD + [OLD[0]]),
    "unchanged list object": (OLD, OLD),
    "one removed": (OLD, OLD[:1] + OLD[2:]),
    "replaced by equal copies": (OLD, [dict(item) for item in OLD]),
    "reordered": (OLD, OLD[::-1]),
    "from nothing": (None, [link(1)]),
    "to nothing": (OLD, None),
    "empty to empty": ([], []),
    "not links": (["text", None, {}], ["text", None, {}, link(2)]),
}


@pytest.mark.parametrize("old, new", CASES.values(), ids=list(CASES))
def test_link_list_change_meta_is_what_the_read_presenter_gives(old, new):
    meta = meta_of(old, new)
    assert meta == reference_meta(old, new)
    assert list(meta) == ["added", "removed"]


def test_presented_links_are_fresh_objects():
    meta = meta_of(OLD, OLD + [link(2)])
    presented = meta["added"] + meta_of(OLD, OLD + [link(2), link(1, "again")])["added"]
    assert len({id(item) for item in presented}) == len(presented)
