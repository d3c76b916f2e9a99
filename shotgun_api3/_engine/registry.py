"""The table of RPC handlers, filled by the modules that implement them.

A handler module decorates functions with ``@rpc("method_name")``; the engine
imports every such module through :mod:`.handlers` (one import line a module),
which fills :data:`HANDLERS`. A handler is called as
``handler(call, params)`` where ``call`` is the running
:class:`shotgun_api3._engine.call.Call` and ``params`` the wire params.
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from .errors import EngineFault

Handler = Callable[[Any, Any], Any]

HANDLERS: Dict[str, Handler] = {}


def rpc(method_name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``method_name``."""

    def register(handler: Handler) -> Handler:
        HANDLERS[method_name] = handler
        return handler

    return register


def params_object(params: Any, method: str) -> Dict[str, Any]:
    """``params`` when it is the object of named params ``method`` needs, else the fault a site answers."""
    if not isinstance(params, dict):
        raise EngineFault(f"API {method}() expects a parameter object")
    return params
