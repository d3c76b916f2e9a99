"""row_codec.dumps: the C-encoder fast path writes exactly what the tagged walk writes."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from shotgun_api3._engine.store.row_codec import dumps, dumps_many, encode_value, loads
from shotgun_api3._engine.write.deferred_row import DeferredRow

UTC = datetime.timezone.utc
PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
MOMENT = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def walked(value):
    """The stored text as the tagged walk alone writes it (what dumps must match)."""
    return json.dumps(encode_value(value), ensure_ascii=False, separators=(",", ":"))


class Text(str):
    pass


class Number(int):
    pass


NOT_EQUAL_TO_ITSELF = {"nan": float("nan"), "inf": float("inf"), "unicode": "ünïcode ✓"}

VALUES = [
    {"type": "Shot", "id": 1, "tasks": [{"type": "Task", "id": 2, "name": "anim"}], "at": MOMENT},
    {"links": [{"type": "Task", "id": 2, "$dt": "a key named like a tag"}]},
    {"links": [{"type": "Task", "id": (1, 2)}]},
    {"meta": {"old_value": [[{"$set": 1}]]}},
    {"deep": [[[{1: "an int key three lists down"}]]]},
    {"keys": {True: "a bool key", None: "a None key", 1.5: "a float key"}},
    {"tuple": ("a", [1, (2, 3)])},
    {"set": {("a", 1), ("b", 2)}, "frozen": frozenset({1})},
    {"bytes": b"\x00\xff", "buffer": bytearray(b"ab"), "decimal": Decimal("1.10")},
    {"date": datetime.date(2020, 2, 29), "time": datetime.time(1, 2), "naive": datetime.datetime(2020, 1, 1)},
    {"utc": MOMENT, "same instant, other offset": MOMENT.astimezone(PLUS_2)},
    {"fold": datetime.datetime(2021, 11, 7, 1, 30, fold=1), "no fold": datetime.datetime(2021, 11, 7, 1, 30)},
    {"subclasses": [Text("text"), Number(3)], Text("key"): 1},
    NOT_EQUAL_TO_ITSELF,
    [], {}, None, "text", 3, MOMENT, (1, "a"), {"$dt": "not a tag"},
    {"empty": {}, "lists": [[], [[]]], "mixed": [1, "a", None, {"id": 1}, [MOMENT]]},
]


@pytest.mark.parametrize("value", VALUES)
def test_dumps_writes_what_the_walk_writes(value):
    assert dumps(value) == walked(value)


@pytest.mark.parametrize("value", VALUES)
def test_dumps_round_trips(value):
    decoded = loads(dumps(value))
    if value is not NOT_EQUAL_TO_ITSELF:
        assert decoded == value


def test_equal_datetimes_at_other_offsets_keep_their_own_offset():
    assert loads(dumps(MOMENT.astimezone(PLUS_2))).utcoffset() == datetime.timedelta(hours=2)
    assert loads(dumps(MOMENT)).utcoffset() == datetime.timedelta(0)


def test_a_deferred_row_is_written_as_its_built_fields():
    row = DeferredRow.of(("type", "EventLogEntry"), lambda: {"type": "EventLogEntry", "id": 7, "at": MOMENT}, ())
    assert dumps(row) == walked({"type": "EventLogEntry", "id": 7, "at": MOMENT})


def test_values_it_cannot_store_still_raise():
    with pytest.raises(TypeError):
        dumps({"bad": object()})
    with pytest.raises(TypeError):
        dumps({"bad": [{"deeper": object()}]})


def test_dumps_many_writes_what_dumps_writes_row_by_row():
    plain = [{"type": "Shot", "id": n, "at": MOMENT, "tasks": [{"type": "Task", "id": n}]} for n in range(3)]
    assert dumps_many(plain) == [walked(row) for row in plain]
    rows = [row for row in VALUES if isinstance(row, dict)]
    assert dumps_many(rows) == [walked(row) for row in rows]
    assert dumps_many([]) == []
    assert dumps_many([{"a": 1}, [1, (2,)]]) == [walked({"a": 1}), walked([1, (2,)])]


def test_a_value_that_holds_itself_raises_as_the_walk_does():
    looped: list = []
    looped.append({"links": looped})
    with pytest.raises(RecursionError):
        dumps({"looped": looped})


def test_deep_values_are_written_as_the_walk_writes_them():
    deep: list = ["leaf"]
    for _ in range(100):
        deep = [{"inner": deep}]
    assert dumps({"deep": deep}) == walked({"deep": deep})


# -- orjson (the ``site`` extra) and the standard library write the same rows ------------------

from shotgun_api3._engine.store import row_codec  # noqa: E402

ENCODERS = ["standard library"] + (["orjson"] if row_codec.orjson is not None else [])


@pytest.fixture(params=ENCODERS)
def plain_encoder(request, monkeypatch):
    """Each way a plain row can be written, in turn (orjson only where installed)."""
    if request.param == "orjson":
        monkeypatch.setattr(row_codec, "_encode_plain", row_codec._encode_plain_with_orjson)
    else:
        monkeypatch.setattr(row_codec, "_encode_plain", row_codec._PLAIN_ENCODER.encode)
    return request.param


@pytest.mark.parametrize("value", VALUES)
def test_either_encoder_writes_what_the_walk_writes(plain_encoder, value):
    assert dumps(value) == walked(value)
    assert dumps_many([value]) == [walked(value)]


AWKWARD_TEXTS = ["\x00\x01\x1f\x7f", "\b\f\n\r\t", "\u2028\u2029", "é漢字🎬", '"\\/', "\ud7ff\ue000\uffff", "$dt", ""]


def test_either_encoder_writes_awkward_texts_and_numbers_alike(plain_encoder):
    row = {"type": "Note", "id": 1, "texts": AWKWARD_TEXTS, "numbers": [0, -1, 2 ** 63 - 1, -2 ** 63, 2 ** 64 - 1,
                                                                         0.1, -0.0, 123.5, True, False]}
    assert dumps_many([row]) == [walked(row)]


def test_what_orjson_refuses_is_written_by_the_standard_library(plain_encoder):
    for row in ({"id": 2 ** 64}, {"id": -2 ** 63 - 1}, {"text": "a lone \ud800 surrogate"}):
        assert dumps(row) == walked(row)
        assert dumps_many([row, {"id": 1}]) == [walked(row), walked({"id": 1})]


def test_a_float_reads_back_equal_whichever_spelling_of_its_exponent(plain_encoder):
    # orjson writes 1e-7 where Python writes 1e-07 (and, before orjson 3.13, 1e16 for 1e+16): the same number.
    row = {"numbers": [1e-07, 2.5e-10, 1e-300, 1e16, 1.5e300, 5e-324, -1e22]}
    assert loads(dumps_many([row])[0]) == row


def test_an_unbuilt_deferred_row_is_written_whole_by_either_encoder(plain_encoder):
    rows = [DeferredRow.of(("type", "EventLogEntry"), lambda n=n: {"type": "EventLogEntry", "id": n, "at": MOMENT}, ())
            for n in range(3)]
    assert dumps_many(rows) == [walked({"type": "EventLogEntry", "id": n, "at": MOMENT}) for n in range(3)]
    assert dumps(DeferredRow.of(("type", "Shot"), lambda: {"type": "Shot", "id": 9}, ())) == walked({"type": "Shot", "id": 9})
