"""Site preferences and user subscriptions: ``preferences_read``, ``user_subscriptions_read``/``create``,
and ``update_project_last_accessed_by_current_user``."""
from __future__ import annotations

import copy
from typing import Any, Dict, List

from .. import site_choices as choices
from ..errors import EngineFault
from ..registry import rpc

SUBSCRIPTIONS_STATE = "user_subscriptions"


@rpc("preferences_read")
def preferences_read(call: Any, params: Any) -> Dict[str, Any]:
    """The named site preferences (all of them when none are named); unknown names are left out."""
    prefs = (params or {}).get("prefs") if isinstance(params, dict) else None
    if prefs is not None and not isinstance(prefs, list):
        raise EngineFault("API preferences_read() prefs must be a list of preference names, got %r" % (prefs,))
    known = choices.SITE_PREFERENCES
    names = [name for name in prefs if name in known] if prefs else list(known)
    return {name: copy.deepcopy(known[name]) for name in names}


@rpc("user_subscriptions_read")
def user_subscriptions_read(call: Any, params: Any) -> List[Dict[str, Any]]:
    """The subscriptions assigned to users: ``[{"humanUserId": id, "subscription": name}]``."""
    return copy.deepcopy(list(call.engine.get_state(SUBSCRIPTIONS_STATE, []) or []))


@rpc("user_subscriptions_create")
def user_subscriptions_create(call: Any, params: Any) -> Dict[str, Any]:
    """Assign subscriptions to users (a user's new entry replaces its old one)."""
    users = params.get("users") if isinstance(params, dict) else None
    if not isinstance(users, list):
        raise EngineFault("API user_subscriptions_create() users must be a list of "
                          "{'humanUserId', 'subscription'} objects, got %r" % (users,))
    subscriptions = list(call.engine.get_state(SUBSCRIPTIONS_STATE, []) or [])
    for entry in users:
        user_id = entry.get("humanUserId") if isinstance(entry, dict) else None
        subscription = entry.get("subscription") if isinstance(entry, dict) else None
        if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(subscription, str):
            raise EngineFault("API user_subscriptions_create() each entry needs an integer 'humanUserId' "
                              "and a 'subscription' name, got %r" % (entry,))
        row = call.engine.row("HumanUser", user_id)
        if row is None or row.get("__retired"):
            raise EngineFault("API user_subscriptions_create() HumanUser with id %r does not exist" % (user_id,))
        subscriptions = [existing for existing in subscriptions if existing["humanUserId"] != user_id]
        subscriptions.append({"humanUserId": user_id, "subscription": subscription})
    call.txn.set_state(SUBSCRIPTIONS_STATE, subscriptions)
    return {"status": "success"}


@rpc("update_project_last_accessed_by_current_user")
def update_project_last_accessed(call: Any, params: Any) -> Dict[str, Any]:
    """Stamp ``Project.last_accessed_by_current_user`` with the call's time; answer the project."""
    project_id = params.get("project_id") if isinstance(params, dict) else None
    project = call.engine.row("Project", project_id)
    if project is None or project.get("__retired"):
        raise EngineFault("API update_project_last_accessed() Project with id %r does not exist" % (project_id,))
    user_id = params.get("user_id")
    if user_id is not None and call.engine.row("HumanUser", user_id) is None:
        raise EngineFault("API update_project_last_accessed() HumanUser with id %r does not exist" % (user_id,))
    if call.env.schema.field("Project", "last_accessed_by_current_user") is not None:
        call.txn.update("Project", project_id, {"last_accessed_by_current_user": call.now},
                        method="update_project_last_accessed", validate=False)
    return {"type": "Project", "id": project_id, "last_accessed_by_current_user": call.now}
