"""Following: ``follow``, ``unfollow``, ``followers`` and ``following``.

Follows are site state (``engine.get_state("follows")``): a list of
``{"user": link, "entity": link}`` pairs, plain data so a Store can persist it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ..errors import EngineFault
from ..registry import params_object, rpc

STATE_NAME = "follows"
_FOLLOWER_TYPES = ("HumanUser", "ApiUser")


def _link(call: Any, value: Any, what: str, method: str, types: Optional[tuple] = None) -> Dict[str, Any]:
    """A ``{"type", "id"}`` link to a live record, or a fault naming what is wrong."""
    if not isinstance(value, dict) or "type" not in value or "id" not in value:
        raise EngineFault("API %s() %s must be an entity dict with 'type' and 'id', got %r" % (method, what, value))
    if types is not None and value["type"] not in types:
        raise EngineFault("API %s() %s must be a %s, not a %s" % (method, what, " or ".join(types), value["type"]))
    row = call.engine.row(value["type"], value["id"])
    if row is None or row.get("__retired"):
        raise EngineFault("API %s() %s %s with id %r does not exist" % (method, what, value["type"], value["id"]))
    return {"type": value["type"], "id": value["id"]}


def _follows(call: Any) -> List[Dict[str, Any]]:
    return list(call.engine.get_state(STATE_NAME, []) or [])


def _set_follow(call: Any, params: Any, method: str, following: bool) -> Dict[str, Any]:
    params = params_object(params, method)
    user = _link(call, params.get("user"), "user", method, _FOLLOWER_TYPES)
    entity = _link(call, params.get("entity"), "entity", method)
    pair = {"user": user, "entity": entity}
    follows = [existing for existing in _follows(call) if existing != pair]
    if following:
        follows.append(pair)
    call.txn.set_state(STATE_NAME, follows)
    return {"followed" if following else "unfollowed": True,
            "user": call.engine.present_link(user), "entity": call.engine.present_link(entity)}


@rpc("follow")
def follow(call: Any, params: Any) -> Dict[str, Any]:
    """``user`` follows ``entity`` (following twice is the same as once)."""
    return _set_follow(call, params, "follow", True)


@rpc("unfollow")
def unfollow(call: Any, params: Any) -> Dict[str, Any]:
    """``user`` stops following ``entity`` (also when it did not follow it)."""
    return _set_follow(call, params, "unfollow", False)


def _present_live(call: Any, links: List[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    presented = (call.engine.present_link(link) for link in links)
    return [link for link in presented if link is not None]


@rpc("followers")
def followers(call: Any, params: Any) -> List[Dict[str, Any]]:
    """The live users following ``entity``, in the order they started."""
    params = params_object(params, "followers")
    entity = _link(call, params.get("entity"), "entity", "followers")
    return _present_live(call, [pair["user"] for pair in _follows(call) if pair["entity"] == entity])


@rpc("following")
def following(call: Any, params: Any) -> List[Dict[str, Any]]:
    """The live entities ``user`` follows, optionally of one type and in one project."""
    params = params_object(params, "following")
    user = _link(call, params.get("user"), "user", "following", _FOLLOWER_TYPES)
    entity_type = params.get("entity_type")
    project = params.get("project")
    project_id = project.get("id") if isinstance(project, dict) else None
    if project is not None and project_id is None:
        raise EngineFault("API following() project must be a Project entity dict, got %r" % (project,))
    entities = []
    for pair in _follows(call):
        entity = pair["entity"]
        if pair["user"] != user or (entity_type and entity["type"] != entity_type):
            continue
        if project_id is not None:
            row = call.engine.row(entity["type"], entity["id"]) or {}
            link = row.get("project") if entity["type"] != "Project" else entity
            if not isinstance(link, dict) or link.get("id") != project_id:
                continue
        entities.append(entity)
    return _present_live(call, entities)
