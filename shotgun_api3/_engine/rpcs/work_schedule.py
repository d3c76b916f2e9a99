"""The work schedule: ``work_schedule_read`` and ``work_schedule_update``.

The studio works the days of ``site_choices.STUDIO_WORKING_WEEKDAYS``;
``work_schedule_update`` records exceptions for one day, for the studio, a
project or a user. Exceptions are site state (``engine.get_state``): a list
of plain dicts.
"""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Mapping, Optional

from .. import site_choices as choices
from ..errors import EngineFault
from ..registry import params_object, rpc

STATE_NAME = "work_schedule_exceptions"


def _day(value: Any, name: str, method: str) -> datetime.date:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return datetime.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        raise EngineFault("API %s() %s must be a date in YYYY-MM-DD format, got %r" % (method, name, value)) from None


def _link(call: Any, value: Any, entity_type: str, what: str, method: str) -> Optional[Dict[str, Any]]:
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("type") != entity_type or "id" not in value:
        raise EngineFault("API %s() %s must be a %s entity dict, got %r" % (method, what, entity_type, value))
    row = call.engine.row(entity_type, value["id"])
    if row is None or row.get("__retired"):
        raise EngineFault("API %s() %s %s with id %r does not exist" % (method, what, entity_type, value["id"]))
    return {"type": entity_type, "id": value["id"]}


def _exceptions(call: Any) -> List[Dict[str, Any]]:
    return list(call.engine.get_state(STATE_NAME, []) or [])


def day_schedule(exceptions: List[Mapping[str, Any]], day: str, project: Optional[Mapping[str, Any]],
                 user: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """``{"description", "reason", "working"}`` for one day: the user's exception wins, then the project's, the studio's, the week."""
    def exception(of_project: Any, of_user: Any) -> Optional[Mapping[str, Any]]:
        for entry in exceptions:
            if entry["date"] == day and entry.get("project") == of_project and entry.get("user") == of_user:
                return entry
        return None

    candidates = []
    if user is not None:
        if project is not None:
            candidates.append((exception(project, user), "USER_EXCEPTION"))
        candidates.append((exception(None, user), "USER_EXCEPTION"))
    if project is not None:
        candidates.append((exception(project, None), "PROJECT_EXCEPTION"))
    candidates.append((exception(None, None), "STUDIO_EXCEPTION"))
    for entry, reason in candidates:
        if entry is not None:
            return {"description": entry.get("description"), "reason": reason, "working": bool(entry["working"])}
    weekday = datetime.date.fromisoformat(day).weekday()
    return {"description": None, "reason": "STUDIO_WORK_WEEK", "working": weekday in choices.STUDIO_WORKING_WEEKDAYS}


@rpc("work_schedule_read")
def work_schedule_read(call: Any, params: Any) -> Dict[str, Any]:
    """Answer ``work_schedule_read``: ``{"YYYY-MM-DD": {"description", "reason", "working"}}`` for each day of the range."""
    method = "work_schedule_read"
    params = params_object(params, method)
    start = _day(params.get("start_date"), "start_date", method)
    end = _day(params.get("end_date"), "end_date", method)
    if end < start:
        raise EngineFault("API %s() end_date %s is before start_date %s" % (method, end, start))
    if (end - start).days >= choices.WORK_SCHEDULE_MAX_DAYS:
        raise EngineFault("API %s() can read at most %d days at once" % (method, choices.WORK_SCHEDULE_MAX_DAYS))
    project = _link(call, params.get("project"), "Project", "project", method)
    user = _link(call, params.get("user"), "HumanUser", "user", method)
    exceptions = _exceptions(call)
    schedule = {}
    day = start
    while day <= end:
        schedule[day.isoformat()] = day_schedule(exceptions, day.isoformat(), project, user)
        day += datetime.timedelta(days=1)
    return schedule


@rpc("work_schedule_update")
def work_schedule_update(call: Any, params: Any) -> Dict[str, Any]:
    """Record whether one day is worked, for the studio, a project or a user.

    ``recalculate_field`` (which task dates a site recomputes) is accepted
    and has no effect: task dates are not derived from the schedule here.
    """
    method = "work_schedule_update"
    params = params_object(params, method)
    day = _day(params.get("date"), "date", method).isoformat()
    working = params.get("working")
    if not isinstance(working, bool):
        raise EngineFault("API %s() working must be true or false, got %r" % (method, working))
    description = params.get("description")
    if description is not None and not isinstance(description, str):
        raise EngineFault("API %s() description must be a string, got %r" % (method, description))
    project = _link(call, params.get("project"), "Project", "project", method)
    user = _link(call, params.get("user"), "HumanUser", "user", method)
    entry = {"date": day, "working": working, "description": description, "project": project, "user": user}
    exceptions = [existing for existing in _exceptions(call)
                  if (existing["date"], existing.get("project"), existing.get("user")) != (day, project, user)]
    exceptions.append(entry)
    call.txn.set_state(STATE_NAME, exceptions)
    return {"date": day, "description": description, "project": call.engine.present_link(project),
            "user": call.engine.present_link(user), "working": working}
