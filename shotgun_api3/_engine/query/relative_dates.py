"""Date windows for ``in_last``/``in_next`` and ``in_calendar_*`` relations.

Windows are returned both as date strings (for ``date`` fields) and as POSIX
timestamps (for ``date_time`` fields), inclusive at both ends. "Today" is the
process's local date (``site_choices.RELATIVE_DATES_USE_LOCAL_TIME``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from .. import site_choices
from ..errors import EngineFault

UNITS = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")


class Window(NamedTuple):
    """An inclusive window: first/last day as ``YYYY-MM-DD``, first/last instant as timestamps."""

    first_day: str
    last_day: str
    start: float
    end: float


def _local(now: dt.datetime) -> dt.datetime:
    if site_choices.RELATIVE_DATES_USE_LOCAL_TIME:
        return now.astimezone()
    return now.astimezone(dt.timezone.utc)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def shift(moment: dt.datetime, count: int, unit: str) -> dt.datetime:
    """``moment`` moved by ``count`` units (negative goes back)."""
    if unit == "HOUR":
        return moment + dt.timedelta(hours=count)
    if unit == "DAY":
        return moment + dt.timedelta(days=count)
    if unit == "WEEK":
        return moment + dt.timedelta(weeks=count)
    if unit == "MONTH":
        return _add_months(moment, count)
    if unit == "YEAR":
        return _add_months(moment, 12 * count)
    raise EngineFault(f"unknown time unit '{unit}' (expected one of {', '.join(UNITS)})")


def _day_start(day: dt.date, tz: dt.tzinfo) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def relative_window(relation: str, count: int, unit: str, now: dt.datetime) -> Window:
    """The window of ``in_last`` (now minus count units .. now) or ``in_next`` (now .. plus)."""
    local_now = _local(now)
    if relation == "in_last":
        first, last = shift(local_now, -count, unit), local_now
    else:
        first, last = local_now, shift(local_now, count, unit)
    return Window(first.date().isoformat(), last.date().isoformat(), first.timestamp(), last.timestamp())


def calendar_window(unit: str, offset: int, now: dt.datetime) -> Window:
    """The calendar day/week/month/year ``offset`` steps from the current one."""
    local_now = _local(now)
    tz = local_now.tzinfo
    today = local_now.date()
    if unit == "day":
        first = last = today + dt.timedelta(days=offset)
    elif unit == "week":
        start = today - dt.timedelta(days=(today.weekday() - site_choices.WEEK_STARTS_ON) % 7)
        first = start + dt.timedelta(weeks=offset)
        last = first + dt.timedelta(days=6)
    elif unit == "month":
        moved = _add_months(dt.datetime(today.year, today.month, 1), offset)
        first = moved.date()
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    else:
        first = dt.date(today.year + offset, 1, 1)
        last = dt.date(today.year + offset, 12, 31)
    end = _day_start(last + dt.timedelta(days=1), tz) - 1e-6
    return Window(first.isoformat(), last.isoformat(), _day_start(first, tz), end)
