"""Turning stored and filter values into keys that compare the way a site compares them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Optional

from .. import site_choices

_WIRE_DATETIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$")
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_FOOTAGE = re.compile(r"^\s*(-?\d+)\s*-\s*(\d+)\s*$")


def parse_wire_datetime(text: str) -> Optional[dt.datetime]:
    """``"YYYY-MM-DDTHH:MM:SSZ"`` (or with an offset) as an aware UTC datetime; ``None`` if not one."""
    match = _WIRE_DATETIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        value = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    if zone in (None, "Z"):
        return value.replace(tzinfo=dt.timezone.utc)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value.replace(tzinfo=dt.timezone(sign * offset)).astimezone(dt.timezone.utc)


def parse_date(text: str) -> Optional[dt.date]:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def date_key(value: Any) -> Optional[str]:
    """A date value as ``YYYY-MM-DD`` (strings compare in date order)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value[:10]
    return None


def datetime_key(value: Any) -> Optional[float]:
    """A date_time value as a POSIX timestamp; naive datetimes are local time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc).timestamp()
    if isinstance(value, str):
        parsed = parse_wire_datetime(value)
        if parsed is not None:
            return parsed.timestamp()
        day = parse_date(value)
        if day is not None:
            return datetime_key(day)
    return None


def footage_frames(value: Any) -> Optional[int]:
    """A footage value (``"FF-ff"`` or a frame count) as a number of frames."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return int(value)
    if isinstance(value, str):
        match = _FOOTAGE.match(value)
        if match:
            feet, frames = int(match.group(1)), int(match.group(2))
            return feet * site_choices.FRAMES_PER_FOOT + frames
        try:
            return int(float(value))
        except ValueError:
            return None
    return None


def number_key(value: Any) -> Any:
    """A numeric value as a plain number; ``None`` when empty or not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return None
