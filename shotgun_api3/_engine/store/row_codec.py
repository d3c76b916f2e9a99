"""How a stored row is written as text and read back: tagged JSON.

Row values come back exactly as they went in: datetimes (naive or aware,
with their offset), dates, times, tuples, sets, bytes, decimals, and dicts
whose keys are not strings are written as one-key tagged objects
(``{"$dt": ...}``) that JSON can hold.
"""
from __future__ import annotations

import base64
import datetime
import json
import math
from decimal import Decimal
from itertools import chain, compress
from operator import is_, methodcaller
from typing import Any, List, Mapping, Optional, Tuple

try:
    import orjson
except ImportError:  # optional (the ``site`` extra): the standard library writes the same rows, slower
    orjson = None

_TAGS = ("$dt", "$date", "$time", "$tuple", "$bytes", "$dec", "$dict", "$set")


def encode_value(value: Any) -> Any:
    """Turn a row value into plain JSON data, tagging what JSON cannot hold."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not any(key in _TAGS for key in value):
            return {key: encode_value(item) for key, item in value.items()}
        return {"$dict": [[encode_value(key), encode_value(item)] for key, item in value.items()]}
    if isinstance(value, datetime.datetime):
        offset = value.utcoffset()
        return {"$dt": value.replace(tzinfo=None).isoformat(),
                "offset": None if offset is None else offset.total_seconds()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(item) for item in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode_value(item) for item in value]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    raise TypeError("cannot store a value of type %s" % type(value).__name__)


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$dt" in value:
        moment = datetime.datetime.fromisoformat(value["$dt"])
        offset = value.get("offset")
        if offset is None:
            return moment
        zone = datetime.timezone.utc if offset == 0 else datetime.timezone(datetime.timedelta(seconds=offset))
        return moment.replace(tzinfo=zone)
    if "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if "$time" in value:
        return datetime.time.fromisoformat(value["$time"])
    if "$tuple" in value:
        return tuple(decode_value(item) for item in value["$tuple"])
    if "$set" in value:
        return {decode_value(item) for item in value["$set"]}
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$dec" in value:
        return Decimal(value["$dec"])
    if "$dict" in value:
        return {_hashable(decode_value(key)): decode_value(item) for key, item in value["$dict"]}
    return {key: decode_value(item) for key, item in value.items()}


_TAG_SET = frozenset(_TAGS)


class RowDecoder:
    """Decode many stored rows fast and compactly (what :meth:`SqliteStore.load` uses).

    Rows are parsed many at a time as one JSON array, so the field names (the
    same in every row of a type) are one string object each, not one per
    row; the tags are decoded by the parser's ``object_hook`` from C, and
    equal datetimes, dates and short strings share one (immutable) object.
    The answer is what :func:`loads` gives for each row.
    """

    def __init__(self) -> None:
        self._shared: dict = {}
        self._decoder = json.JSONDecoder(object_hook=self._object, parse_constant=self._constant)
        #: Set when a decoded row holds what :func:`dumps_changed` must check again whole if it
        #: is written back: a tuple, a dict whose keys are not plain, NaN or an infinity.
        self.saw_unplain = False

    def _object(self, value: dict) -> Any:
        if _TAG_SET.isdisjoint(value):
            return value
        if "$dict" in value or "$set" in value or "$tuple" in value:
            if "$set" not in value:
                self.saw_unplain = True
            return _decode_decoded(value)
        if len(value) > 2 or ("$dt" not in value and len(value) > 1):
            return decode_value(value)
        # A datetime, date, time, bytes or decimal: equal texts share one object
        # (keyed by the text: datetimes at other offsets compare equal).
        key = tuple(value.items())
        shared = self._shared.get(key)
        if shared is None:
            shared = decode_value(value)
            if len(self._shared) < 100_000 and not isinstance(shared, bytes):
                self._shared[key] = shared
        return shared

    def _constant(self, name: str) -> float:
        self.saw_unplain = True
        return float(name.replace("Infinity", "inf"))

    def rows(self, texts: list) -> list:
        """The decoded rows of ``texts`` (stored row texts), in order."""
        return self._decoder.decode("[" + ",".join(texts) + "]") if texts else []


def _decode_decoded(value: dict) -> Any:
    """A tag whose items the parser already decoded (``$dict``, ``$set``, ``$tuple``)."""
    if "$tuple" in value:
        return tuple(value["$tuple"])
    if "$set" in value:
        return set(value["$set"])
    return {_hashable(key): item for key, item in value["$dict"]}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(value: Any) -> str:
    """The stored text of ``value``: what ``json.dumps(encode_value(value))`` gives.

    Most rows are plain (string keys, lists, links, datetimes): JSON's C
    encoder writes them straight, asking :func:`_tag` for the leaves it cannot
    hold, instead of a Python walk that copies every value first (the walk was
    most of the cost of a write). A value the C encoder would write
    differently takes the walk: a tuple (written as a list), a key that is not
    a string (``1`` becomes ``"1"``) or is named like a tag, a subclass.
    """
    if _is_plain(value):
        return _encode_plain(value)
    return _PLAIN_ENCODER.encode(encode_value(value))


def dumps_many(rows: List[Any]) -> List[str]:
    """The stored texts of ``rows``: what ``[dumps(row) for row in rows]`` gives.

    The rows are checked plain all at once (a few C passes for the lot instead
    of a few per row): :func:`dumps_changed` with every row checked whole.
    """
    return dumps_changed(rows, [None] * len(rows))[0]


def dumps_plain(rows: List[Any]) -> List[str]:
    """The stored texts of ``rows`` known to be plain (``store/plain_rows.py`` says when): no check."""
    return list(map(_encode_plain, rows))


def dumps_changed(rows: List[Any], before: List[Optional[Mapping[str, Any]]]) -> Tuple[List[str], List[int]]:
    """The stored texts of ``rows`` (what :func:`dumps_many` gives) and the positions of those not plain.

    ``before[i]`` is ``None`` for a row to check whole, or ``{field: value before
    this write}`` for a row that was plain when last written or read (the
    caller knows: a row it wrote or read that was not plain is checked whole):
    only the fields it names are checked, and of a list that only grew (a new
    list starting with the very items of the old one) only the items added. A
    Shot added to a Sequence then checks one link, not the Sequence's hundred.
    """
    if not all(isinstance(row, dict) for row in rows):
        return _dumps_each(rows)
    # Rows checked whole (most: the new ones) are gathered in C, a level at a time.
    whole = [row for row, fields in zip(rows, before) if fields is None]
    keys: set = set().union(*whole)
    values: list = list(chain.from_iterable(map(methodcaller("values"), whole)))
    for row, fields in zip(rows, before):
        if fields is None:
            continue
        keys.update(fields)
        for field, old in fields.items():
            new = row.get(field, old)
            if new.__class__ is list and old.__class__ is list and new is not old and len(new) >= len(old) \
                    and all(map(is_, old, new)):
                values.extend(new[len(old):])
            else:
                values.append(new)
    if _are_plain_keys(keys) and _are_plain(values):
        return list(map(_encode_plain, rows)), []
    return _dumps_each(rows)


def _dumps_each(rows: List[Any]) -> Tuple[List[str], List[int]]:
    texts: List[str] = []
    not_plain: List[int] = []
    for position, row in enumerate(rows):
        if _is_plain(row):
            texts.append(_encode_plain(row))
        else:
            texts.append(_PLAIN_ENCODER.encode(encode_value(row)))
            not_plain.append(position)
    return texts, not_plain


def _encode_plain_with_orjson(value: Any) -> str:
    """What ``_PLAIN_ENCODER.encode(value)`` gives for a plain value, written by orjson (about 5x faster).

    The same text but for the spelling of a float's exponent (``1e-7`` for
    ``1e-07``, and before orjson 3.13 ``1e16`` for ``1e+16``: the same numbers).
    What orjson refuses (an integer beyond 64 bits, a lone surrogate) the
    standard encoder writes.
    """
    if value.__class__ is not dict and isinstance(value, dict) and getattr(value, "built", False) is not True:
        # orjson reads a dict subclass's storage; JSON's encoder (and the walk) its items(). An
        # event row built on first use (write/deferred_row.py) holds its items once built.
        value = dict(value.items())
    try:
        return orjson.dumps(value, default=_tag, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except TypeError:
        return _PLAIN_ENCODER.encode(value)


def _tag(value: Any) -> Any:
    """What the C encoder writes for a leaf it cannot hold itself (a datetime, a set...): its tag."""
    if type(value) is not datetime.datetime:
        return encode_value(value)
    # The rows of a write share a few timestamps (created_at, updated_at,
    # the events'), so their tags are kept. Equal aware datetimes can differ
    # in offset and fold, hence those in the key.
    key = (value, value.tzinfo, value.fold)
    tag = _datetime_tags.get(key)
    if tag is None:
        if len(_datetime_tags) >= 1000:
            _datetime_tags.clear()
        tag = _datetime_tags[key] = encode_value(value)
    return tag


_datetime_tags: dict = {}


# Cycles make encode_value recurse without end; the walk raises then, so no marker checks here.
_PLAIN_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_tag, check_circular=False)

_encode_plain = _encode_plain_with_orjson if orjson is not None else _PLAIN_ENCODER.encode

# Exact types (not subclasses) the C encoder writes as encode_value would:
# itself for JSON's own, through _tag for the rest (whose items _tag walks).
# (Not sets: _tag's walk of one may hold NaN, which orjson would write as null; rows rarely hold sets.)
_LEAF_TYPES = frozenset({str, int, float, bool, type(None), datetime.datetime, datetime.date, datetime.time,
                         bytes, bytearray, Decimal})
_SCANNED_TYPES = _LEAF_TYPES | {list, dict}
_ONLY_DICTS = {dict}
_MOST_LEVELS = 64
_is_dict_type = frozenset({dict}).__contains__
_is_list_type = frozenset({list}).__contains__
_is_float_type = frozenset({float}).__contains__


def _is_plain(value: Any) -> bool:
    """Whether JSON's C encoder (with :func:`_tag`) writes ``value`` exactly as :func:`encode_value` has it."""
    if isinstance(value, dict):
        return _are_plain_keys(value) and _are_plain(list(value.values()))
    return _are_plain([value])


def _are_plain(values: list) -> bool:
    """Whether every one of ``values`` is plain.

    Visited a level at a time, and each level in C (``map``, ``compress``,
    set operations), not one Python call per value: a row is a few levels of
    leaves, empty lists and links.
    """
    for _level in range(_MOST_LEVELS):
        if not values:
            return True
        kinds = set(map(type, values))
        if float in kinds and not all(map(math.isfinite, compress(values, map(_is_float_type, map(type, values))))):
            return False  # NaN and the infinities: orjson would write null; the walk writes them as JSON's C encoder does
        if kinds <= _LEAF_TYPES:
            return True
        if not kinds <= _SCANNED_TYPES:
            return False
        # Only lists and dicts have insides, and an empty one nothing to check (nor has a falsy
        # leaf): most of a row's values are None, False or [], so the passes below skip them.
        values = list(filter(None, values))
        if dict not in kinds:
            values = list(chain.from_iterable(compress(values, map(_is_list_type, map(type, values)))))
            continue
        dicts = values if kinds == _ONLY_DICTS else list(compress(values, map(_is_dict_type, map(type, values))))
        if not _are_plain_keys(set().union(*dicts)):
            return False
        inside = chain.from_iterable(map(dict.values, dicts))
        if list in kinds:
            inside = chain(chain.from_iterable(compress(values, map(_is_list_type, map(type, values)))), inside)
        values = list(inside)
    # Deeper than any row (or a list that holds itself): the walk decides, and raises on a cycle.
    return False


def _are_plain_keys(keys: Any) -> bool:
    """Whether all ``keys`` are strings (the C encoder would write 1 as "1") and none is named like a tag."""
    try:
        "".join(keys)
    except TypeError:
        return False
    return _TAG_SET.isdisjoint(keys)


def loads(text: str) -> Any:
    return decode_value(json.loads(text))
