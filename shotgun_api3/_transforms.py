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

# A wire date-time string token, rewritten into the number token
# 0.YYYYMMDDHHMMSSE+00000 (23 characters) by the fast decoder.
_DATE_TIME_TOKEN = re.compile(rb'"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z"')
_NUMBER_TOKEN = rb"0.\1\2\3\4\5\6E+00000"
_NUMBER_MARK = "E+00000"
_NUMBER_MARK_BYTES = b"E+00000"


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


def transform_outbound(data: Any, convert_to_utc: bool) -> Any:
    """Copy lists, tuples and dicts recursively, converting date/time leaves; falsy values stay as they are."""
    if not data:
        return data
    if isinstance(data, dict):
        return {key: transform_outbound(value, convert_to_utc) for key, value in data.items()}
    if isinstance(data, list):
        return [transform_outbound(value, convert_to_utc) for value in data]
    if isinstance(data, tuple):
        return tuple(transform_outbound(value, convert_to_utc) for value in data)
    return outbound_value(data, convert_to_utc)


# ----------------------------------------------------------------- inbound


class InboundDateTimes:
    """Turns wire date-time parts into ``datetime`` objects, memoising what repeats.

    Local-time conversion goes through ``LocalTimezone``, which calls
    ``time.mktime``: slow. The UTC offset is cached per UTC hour (checked at
    both ends of the hour, so an hour with a daylight-saving change is
    converted value by value).
    """

    def __init__(self) -> None:
        self._offsets: dict = {}
        self._values: dict = {}

    def convert(self, year: int, month: int, day: int, hour: int, minute: int, second: int, to_local: bool) -> Any:
        """Return the datetime for these UTC parts; raises ``ValueError`` for impossible dates."""
        utc = _dt.datetime(year, month, day, hour, minute, second)
        if not to_local:
            return utc
        local = SG_TIMEZONE.local
        key = (year, month, day, hour)
        offset = self._offsets.get(key)
        if offset is None:
            if len(self._offsets) > 20000:
                self._offsets.clear()
            offset = self._offsets[key] = self._hour_offset(utc)
        if offset is False:
            return local.fromutc(utc.replace(tzinfo=local))
        return (utc + offset).replace(tzinfo=local)

    @staticmethod
    def _hour_offset(utc: _dt.datetime) -> Any:
        """The local offset valid for the whole UTC hour of ``utc``, or ``False`` if it changes inside."""
        local = SG_TIMEZONE.local
        start = utc.replace(minute=0, second=0)
        end = utc.replace(minute=59, second=59)
        try:
            start_offset = local.fromutc(start.replace(tzinfo=local)).replace(tzinfo=None) - start
            end_offset = local.fromutc(end.replace(tzinfo=local)).replace(tzinfo=None) - end
        except OverflowError:
            return False
        return start_offset if start_offset == end_offset else False

    def from_number_token(self, token: str, to_local: bool) -> Any:
        """Convert a rewritten ``0.YYYYMMDDHHMMSSE+00000`` token (memoised per token)."""
        cache = self._values.get(to_local)
        if cache is None:
            cache = self._values[to_local] = {}
        value = cache.get(token)
        if value is None:
            if len(cache) > 100000:
                cache.clear()
            try:
                value = self.convert(
                    int(token[2:6]), int(token[6:8]), int(token[8:10]),
                    int(token[10:12]), int(token[12:14]), int(token[14:16]), to_local,
                )
            except (ValueError, OverflowError):
                # Looked like a date-time but is not one (month 13...): stays the string it was.
                value = "%s-%s-%sT%s:%s:%sZ" % (
                    token[2:6], token[6:8], token[8:10], token[10:12], token[12:14], token[14:16])
            cache[token] = value
        return value

    def from_string(self, value: str, to_local: bool) -> Any:
        """Convert a string if it is exactly a wire date-time, else return it unchanged."""
        if len(value) != 20 or not DATE_TIME_PATTERN.match(value):
            return value
        try:
            return self.convert(
                int(value[0:4]), int(value[5:7]), int(value[8:10]),
                int(value[11:13]), int(value[14:16]), int(value[17:19]), to_local,
            )
        except (ValueError, OverflowError):
            return value


INBOUND_DATETIMES = InboundDateTimes()


def transform_inbound(data: Any, to_local: bool) -> Any:
    """Walk a decoded answer and convert every wire date-time string (dict keys untouched)."""
    if isinstance(data, str):
        return INBOUND_DATETIMES.from_string(data, to_local)
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (str, dict, list)):
                data[key] = transform_inbound(value, to_local)
        return data
    if isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, (str, dict, list)):
                data[index] = transform_inbound(value, to_local)
        return data
    return data


def decode_json_converting_datetimes(body: bytes, to_local: bool) -> tuple[bool, Any]:
    """Decode JSON and convert its wire date-times in one pass of the C decoder.

    Returns ``(True, value)``, or ``(False, None)`` when the fast path cannot
    be used and the caller must decode and walk instead.

    Why the rewrite is exact: a ``"`` inside a JSON string is always escaped,
    so a rewritten token that started inside a string leaves a ``\\0`` escape
    behind, and one in key position leaves a number as a key; both make the
    document invalid, and we then fall back. A body that already contains the
    marker ``E+00000`` is not rewritten at all, so every number token carrying
    the marker is one of ours.
    """
    if _NUMBER_MARK_BYTES in body:
        return False, None
    if b'Z"' not in body:
        try:
            return True, json.loads(body)
        except ValueError:
            return False, None  # the plain path reports the error
    rewritten = _DATE_TIME_TOKEN.sub(_NUMBER_TOKEN, body)
    convert = INBOUND_DATETIMES.from_number_token
    mark = _NUMBER_MARK

    def parse_float(token: str) -> Any:
        if len(token) == 23 and token.endswith(mark):
            return convert(token, to_local)
        return float(token)

    try:
        return True, json.loads(rewritten, parse_float=parse_float)
    except ValueError:
        return False, None

