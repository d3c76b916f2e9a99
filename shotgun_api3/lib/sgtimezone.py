"""Time zone classes the client uses to convert date-times (UTC and the process' local zone).

``LocalTimezone`` follows the process time zone through ``time.mktime`` /
``time.localtime``, so it knows about daylight saving time. The offsets are
read from :mod:`time` when this module is imported.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo

_ZERO = timedelta(0)
_STDOFFSET = timedelta(seconds=-time.timezone)
_DSTOFFSET = timedelta(seconds=-time.altzone) if time.daylight else _STDOFFSET


class SgTimezone:
    """Holds the two tzinfo objects the client needs: ``utc`` and ``local``."""

    ZERO = _ZERO
    STDOFFSET = _STDOFFSET
    DSTOFFSET = _DSTOFFSET
    DSTDIFF = _DSTOFFSET - _STDOFFSET

    def __init__(self) -> None:
        self.utc = self.UTC()
        self.local = self.LocalTimezone()

    @classmethod
    def UTC(cls) -> "UTC":  # noqa: N802 - name kept from the reference interface
        """Return a new UTC tzinfo."""
        return UTC()

    @classmethod
    def LocalTimezone(cls) -> "LocalTimezone":  # noqa: N802 - name kept from the reference interface
        """Return a new tzinfo for the process' local time zone."""
        return LocalTimezone()


class UTC(tzinfo):
    """Coordinated Universal Time: offset zero, no daylight saving."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _ZERO

    def tzname(self, dt: datetime | None) -> str:
        return "UTC"

    def dst(self, dt: datetime | None) -> timedelta:
        return _ZERO

    def __repr__(self) -> str:
        return "UTC()"


class LocalTimezone(tzinfo):
    """The process' local time zone, with daylight saving time decided per wall time."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _DSTOFFSET if self._isdst(dt) else _STDOFFSET

    def dst(self, dt: datetime | None) -> timedelta:
        return _DSTOFFSET - _STDOFFSET if self._isdst(dt) else _ZERO

    def tzname(self, dt: datetime | None) -> str:
        return time.tzname[self._isdst(dt)]

    def _isdst(self, dt: datetime | None) -> bool:
        if dt is None:
            return False
        try:
            stamp = time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.weekday(), 0, -1))
            return time.localtime(stamp).tm_isdst > 0
        except (OverflowError, ValueError):
            # Outside what the C library can represent: no daylight saving.
            return False

    def __repr__(self) -> str:
        return "LocalTimezone()"
