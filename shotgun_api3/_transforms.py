"""Value conversion between Python and the wire: date-times out and in, and the fast JSON decoder.

Outbound, ``datetime``/``date``/``time`` values become strings. Inbound,
every string that is exactly a wire date-time ``"YYYY-MM-DDTHH:MM:SSZ"``
becomes a ``datetime`` (aware, in local time, when ``convert_datetimes_to_utc``
is on; naive UTC wall time otherwise).

The inbound conversion is what made the reference client slow on big reads:
it walks every decoded value in Python. :func:`decode_json_converting_datetimes`
instead rewrites the date-time string tokens of the raw JSON into number
tokens of a shape no server writes, so the C decoder hands exactly those to a
``parse_float`` hook. See that function for why the rewrite is exact.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from .lib.sgtimezone import SgTimezone

SG_TIMEZONE = SgTimezone()

DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DATE_TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")
_WIRE_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02dZ"
_combine = _dt.datetime.combine

# A wire date-time string token in raw JSON (no groups: findall stays in C).
_DATE_TIME_TOKEN = re.compile(rb'"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"')
# JSON escapes that could spell a date-time without being a plain token.
_DATE_TIME_ESCAPES = (b"\\u003", b"\\u002d", b"\\u002D", b"\\u0054", b"\\u005a", b"\\u005A")
# Where the keys of date-time values are sampled: a few tokens at each of these points of the body.
_SAMPLE_POINTS = 16
_TOKENS_PER_SAMPLE = 8


# ---------------------------------------------------------------- outbound


def datetime_to_wire(value: _dt.datetime, convert_to_utc: bool) -> str:
    """Format a datetime for the wire; with conversion, naive values are local time."""
    if convert_to_utc:
        if value.tzinfo is None:
            value = value.replace(tzinfo=SG_TIMEZONE.local)
        value = value.astimezone(SG_TIMEZONE.utc)
    return _WIRE_FORMAT % (value.year, value.month, value.day, value.hour, value.minute, value.second)


def outbound_value(value: Any, convert_to_utc: bool) -> Any:
    """Convert one leaf value for the wire (date-times, dates and times; others unchanged)."""
    if isinstance(value, _dt.datetime):
        return datetime_to_wire(value, convert_to_utc)
    if isinstance(value, _dt.date):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if isinstance(value, _dt.time):
        # A bare time means "today", in local time.
        return datetime_to_wire(_dt.datetime.combine(_dt.date.today(), value), convert_to_utc)
    return value


# Leaf classes that are never converted: checked first, by exact class, since
# every RPC walks its whole params (filters, fields) through here.
_PLAIN_LEAVES = frozenset({str, int, float, bool, type(None)})


def transform_outbound(data: Any, convert_to_utc: bool) -> Any:
    """Copy lists, tuples and dicts recursively, converting date/time leaves; falsy values stay as they are."""
    if data.__class__ in _PLAIN_LEAVES or not data:
        return data
    plain = _PLAIN_LEAVES
    if isinstance(data, dict):
        return {
            key: value if value.__class__ in plain else transform_outbound(value, convert_to_utc)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [value if value.__class__ in plain else transform_outbound(value, convert_to_utc) for value in data]
    if isinstance(data, tuple):
        return tuple(transform_outbound(value, convert_to_utc) for value in data)
    return outbound_value(data, convert_to_utc)


def _outbound_json_default(convert_to_utc: bool) -> Any:
    """The ``default`` hook of a JSON encoder: date/time values become wire strings, anything else fails."""

    def default(value: Any) -> Any:
        if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
            return outbound_value(value, convert_to_utc)
        raise TypeError("Object of type %s is not JSON serializable" % value.__class__.__name__)

    return default


# One encoder per conversion setting, made once (encoders keep no state between calls).
_OUTBOUND_ENCODERS = {
    convert: json.JSONEncoder(ensure_ascii=False, default=_outbound_json_default(convert)) for convert in (False, True)
}


def encode_outbound(payload: Any, convert_to_utc: bool) -> bytes:
    """UTF-8 JSON of ``payload`` with date/time values converted: ``transform_outbound`` then encoding, in one C pass.

    The encoder calls its ``default`` hook exactly for the values
    :func:`transform_outbound` would convert (every other value it can encode
    is left unchanged by that walk), so the bytes are the same.
    """
    return _OUTBOUND_ENCODERS[bool(convert_to_utc)].encode(payload).encode("utf-8")


# ----------------------------------------------------------------- inbound


class InboundDateTimes:
    """Turns wire date-time strings into ``datetime`` objects.

    Local-time conversion goes through ``LocalTimezone``, which calls
    ``time.mktime``: slow. When the local zone has no daylight saving time the
    offset is a constant. Otherwise it is cached per UTC day, checked at both
    ends of the day; a day with a daylight-saving change is cached per UTC
    hour instead (checked the same way), and an hour with a change is
    converted value by value. The result is always what ``astimezone`` gives.
    """

    def __init__(self) -> None:
        self._offsets: dict = {}
        standard, daylight = SgTimezone.STDOFFSET, SgTimezone.DSTOFFSET
        self._constant_offset = standard if standard == daylight else None

    def from_string(self, value: str, to_local: bool) -> Any:
        """Convert a string if it is exactly a wire date-time, else return it unchanged."""
        if len(value) != 20 or not DATE_TIME_PATTERN.match(value):
            return value
        return self.from_wire(value, to_local)

    def from_wire(self, value: str, to_local: bool) -> Any:
        """Convert a string known to match the date-time pattern; impossible dates stay strings."""
        try:
            utc = _dt.datetime.fromisoformat(value[:19])
        except ValueError:
            return value
        if not to_local:
            return utc
        local = SG_TIMEZONE.local
        offset = self._constant_offset
        if offset is None:
            offset = self._offset_for(value[:10], utc, 0)
            if offset is True:
                offset = self._offset_for(value[:13], utc, 1)
        try:
            if offset is True:
                return local.fromutc(utc.replace(tzinfo=local))
            if offset:
                utc = utc + offset
            # combine() is several times faster than replace(tzinfo=...) here.
            return _combine(utc, utc.time(), local)
        except OverflowError:
            # At the very ends of the datetime range the local time does not
            # exist; such a value stays the string it was.
            return value

    def _offset_for(self, key: str, utc: _dt.datetime, level: int) -> Any:
        """The cached offset of a UTC day (level 0) or hour (level 1), or ``True`` if it changes inside."""
        offset = self._offsets.get(key)
        if offset is None:
            if len(self._offsets) > 50000:
                self._offsets.clear()
            if level == 0:
                first, last = utc.replace(hour=0, minute=0, second=0), utc.replace(hour=23, minute=59, second=59)
            else:
                first, last = utc.replace(minute=0, second=0), utc.replace(minute=59, second=59)
            try:
                first_offset, last_offset = _exact_offset(first), _exact_offset(last)
            except (OverflowError, ValueError):
                first_offset, last_offset = None, True
            offset = self._offsets[key] = first_offset if first_offset == last_offset else True
        return offset


def _exact_offset(utc: _dt.datetime) -> _dt.timedelta:
    local = SG_TIMEZONE.local
    return local.fromutc(utc.replace(tzinfo=local)).replace(tzinfo=None) - utc


INBOUND_DATETIMES = InboundDateTimes()


def transform_inbound(data: Any, to_local: bool) -> Any:
    """Copy lists, tuples and dicts recursively, converting every wire date-time string (keys untouched)."""
    if not data:
        return data
    if isinstance(data, str):
        return INBOUND_DATETIMES.from_string(data, to_local)
    if isinstance(data, dict):
        return {key: transform_inbound(value, to_local) for key, value in data.items()}
    if isinstance(data, list):
        return [transform_inbound(value, to_local) for value in data]
    if isinstance(data, tuple):
        return tuple(transform_inbound(value, to_local) for value in data)
    return data


def convert_in_place(data: Any, to_local: bool) -> Any:
    """Like :func:`transform_inbound`, but changes freshly decoded containers in place instead of copying."""
    if isinstance(data, str):
        return INBOUND_DATETIMES.from_string(data, to_local)
    if isinstance(data, dict):
        for key, value in data.items():
            if value.__class__ in _WALKED:
                data[key] = convert_in_place(value, to_local)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if value.__class__ in _WALKED:
                data[index] = convert_in_place(value, to_local)
    return data


_WALKED = (str, dict, list)


def decode_json_converting_datetimes(body: bytes, to_local: bool) -> tuple[bool, Any]:
    """Decode a JSON answer and convert its wire date-times without walking every value.

    Returns ``(True, value)``, or ``(False, None)`` when the body is not valid
    JSON (the caller's plain path then reports it).

    The C decoder does the decoding. For answers made of records
    (``results``, ``results.entities``) only the keys under which a sample of
    the raw date-time tokens sit are looked at, in each record. If the number
    converted that way is not the number of tokens in the raw body (a
    date-time inside a list, a nested dict, a key, a field the sample
    missed...), the whole answer is walked as well, which converts whatever is
    left: the result is always what walking everything gives. The number of
    ``Z"`` in the body bounds the number of tokens from above, so when it
    matches, counting the tokens exactly is skipped. Bodies that escape digits
    or date-time punctuation are always walked, since a converted value would
    then not be a counted token.
    """
    try:
        value = json.loads(body)
    except ValueError:
        return False, None
    if b"\\u00" in body and any(escape in body for escape in _DATE_TIME_ESCAPES):
        return True, convert_in_place(value, to_local)
    # Every token ends with Z"; their count bounds the number of tokens from above.
    candidates = body.count(b'Z"')
    if not candidates:
        return True, value
    rows = _record_rows(value)
    converted = 0 if rows is None else _convert_record_keys(rows, _sampled_keys(body), to_local)
    if converted == candidates:
        return True, value
    if converted != len(_DATE_TIME_TOKEN.findall(body)):
        value = convert_in_place(value, to_local)
    return True, value


def _record_rows(value: Any) -> Any:
    """The records of an answer shaped like a read page or a write result, else ``None``."""
    results = value.get("results") if isinstance(value, dict) else None
    if isinstance(results, dict):
        entities = results.get("entities")
        return entities if isinstance(entities, list) else [results]
    if isinstance(results, list):
        return results
    return None


def _sampled_keys(body: bytes) -> set:
    """Keys whose values are date-time tokens: from the first tokens and from tokens spread over the body."""
    keys = set()
    search = _DATE_TIME_TOKEN.search
    starts = [0] + [len(body) * part // _SAMPLE_POINTS for part in range(1, _SAMPLE_POINTS)]
    for start in starts:
        position = start
        for _ in range(_TOKENS_PER_SAMPLE):
            match = search(body, position)
            if match is None:
                break
            key = _key_before(body, match.start())
            if key is not None:
                keys.add(key)
            position = match.end()
    return keys


def _key_before(body: bytes, start: int) -> Any:
    """The dict key right before a value starting at ``start``, or ``None`` (list item, odd key)."""
    end = start - 1
    while end >= 0 and body[end] in b" \t\r\n":
        end -= 1
    if end < 0 or body[end] != 58:  # ":"
        return None
    end -= 1
    while end >= 0 and body[end] in b" \t\r\n":
        end -= 1
    if end < 0 or body[end] != 34:  # '"'
        return None
    begin = body.rfind(b'"', 0, end)
    key = body[begin + 1:end]
    if begin < 0 or b"\\" in key:
        return None
    try:
        return key.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _convert_record_keys(rows: list, keys: set, to_local: bool) -> int:
    """Convert date-time strings under ``keys`` at the top level of each dict row; return how many were seen."""
    seen = 0
    convert = INBOUND_DATETIMES.from_wire
    pattern = DATE_TIME_PATTERN.match
    for row in rows:
        if row.__class__ is not dict:
            continue
        for key in keys:
            value = row.get(key)
            if value.__class__ is str and len(value) == 20 and pattern(value):
                seen += 1
                row[key] = convert(value, to_local)
    return seen
