"""What reaches rows outside a call's undo record is still stored as it is, and frozen garbage is freed.

Rows written again are checked only where the call changed them
(``row_codec.dumps_changed``); a new field's default reaches rows without a
call changing them (``schema_field_create`` fills the rows in memory,
``fill_defaults`` the rows read), so a type with a default that is not plain
has its rows checked whole (``store/plain_rows.py``). Also: NaN in a set, and
the serving process's freezing of what calls leave alive.
"""
from __future__ import annotations

import gc
import json
import math
import weakref

import pytest

from shotgun_api3._engine.context import CallContext
from shotgun_api3._engine.store import row_codec
from shotgun_api3._engine.store.row_codec import dumps, dumps_changed, dumps_many, encode_value, loads
from shotgun_api3.local_site.site import Site


def _walked(value):
    return json.dumps(encode_value(value), ensure_ascii=False, separators=(",", ":"))


def _site(folder):
    site = Site.create(folder)
    entity, _ = site.add_script("review", key="r" * 40)
    return site, CallContext(user={"type": "ApiUser", "id": entity["id"]}, script_name="review")


def _new_field(site, context, data_type, default):
    return site.call("schema_field_create", {"type": "Shot", "data_type": data_type, "properties": [
        {"property_name": "name", "value": "Review"}, {"property_name": "default_value", "value": default}]}, context)


def _rename(site, context, shot_id, code):
    site.call("update", {"type": "Shot", "id": shot_id, "fields": [{"field_name": "code", "value": code}]}, context)


# Defaults a client can give a new field (over JSON: a dict with a tag-named key, NaN).
DEFAULTS = [("text", {"$tuple": [1, 2]}), ("text", {"$dict": [[1, 2]]}), ("float", float("nan"))]


def _stored_value(folder, entity_type, entity_id, field):
    """``field`` of a record as a restarted site reads it from its folder."""
    site = Site.open(folder)
    try:
        return site.engine.row(entity_type, entity_id)[field]
    finally:
        site.close()


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("data_type, default", DEFAULTS)
def test_a_new_fields_default_given_to_rows_in_memory_is_stored_as_it_is(tmp_path, data_type, default):
    """schema_field_create fills rows in memory (row.setdefault) outside the transaction's undo record,
    so a later write of another field must still check the default (its type is checked whole)."""
    folder = tmp_path / "site"
    site, context = _site(folder)
    shot = site.call("create", {"type": "Shot", "fields": [{"field_name": "code", "value": "SH1"}],
                                "return_fields": ["id"]}, context)
    name = _new_field(site, context, data_type, default)
    _rename(site, context, shot["id"], "SH2")
    site.close()
    assert _same(_stored_value(folder, "Shot", shot["id"], name), default)


@pytest.mark.parametrize("data_type, default", DEFAULTS)
def test_a_new_fields_default_filled_in_on_read_is_stored_as_it_is(tmp_path, data_type, default):
    """The engine's fill_defaults (store.row_defaults) fills a row as it is read, after the decoder
    looked for what is not plain: the row's type is checked whole instead."""
    folder = tmp_path / "site"
    site, context = _site(folder)
    shot = site.call("create", {"type": "Shot", "fields": [{"field_name": "code", "value": "SH1"}],
                                "return_fields": ["id"]}, context)
    site.close()
    site = Site.open(folder)  # the Shot is not in memory
    name = _new_field(site, context, data_type, default)
    site.close()
    site = Site.open(folder)
    _rename(site, context, shot["id"], "SH2")  # read by id, filled with the default, written back
    site.close()
    assert _same(_stored_value(folder, "Shot", shot["id"], name), default)


@pytest.mark.skipif(row_codec.orjson is None, reason="orjson writes NaN and the infinities as null")
@pytest.mark.parametrize("value", [{float("nan")}, {1.0, float("inf")}, frozenset({(1, float("-inf"))}),
                                   [{float("nan")}]])
def test_nan_inside_a_set_is_written_as_the_walk_writes_it(value):
    """_are_plain takes a set as a leaf without looking inside; orjson then writes the floats
    _tag hands it, NaN and the infinities as null."""
    row = {"type": "Shot", "id": 1, "sg_value": value}
    expected = _walked(row)
    assert dumps(row) == expected
    assert dumps_many([row]) == [expected]
    assert dumps_changed([row], [None])[0] == [expected]
    # (A frozenset reads back as a set: the tagged walk writes both as $set.)
    assert repr(loads(dumps(row))["sg_value"]) == repr(loads(expected)["sg_value"])


def test_cyclic_garbage_promoted_before_a_call_is_not_frozen_for_ever(tmp_path, monkeypatch):
    """gc.freeze() moves every generation to the permanent one: unreachable cycles already in an older
    generation (seen alive by an automatic collection, e.g. of a request in another server thread) must
    be collected before it, not frozen for ever."""
    monkeypatch.setattr(Site, "freeze_survivors", True)
    site, context = _site(tmp_path / "site")

    class Node:
        pass

    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        node = Node()
        node.me = node
        alive = weakref.ref(node)
        gc.collect(0)  # an automatic young collection while it was in use: now in generation 1
        del node
        site.call("batch", [{"request_type": "create", "type": "Shot", "return_fields": ["id"],
                             "fields": [{"field_name": "code", "value": "SH%d" % n}]} for n in range(300)], context)
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
        site.close()
