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
from decimal import Decimal
from typing import Any

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
        self._decoder = json.JSONDecoder(object_hook=self._object)

    def _object(self, value: dict) -> Any:
        if _TAG_SET.isdisjoint(value):
            return value
        if "$dict" in value or "$set" in value or "$tuple" in value:
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
    return json.dumps(encode_value(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    return decode_value(json.loads(text))
