"""Mockgun's site engine: built on first use, on a schema shared by every instance until one changes it.

Everything the reference mockgun does not answer (``summarize``,
``text_search``, uploads, schema changes...) and every call in site mode goes
to an in-process site engine (``shotgun_api3._engine``): the client's own
``_call_rpc`` runs and hands ``(method, params)`` to mockgun's RPC transport,
an :class:`InProcessTransport`, instead of the wire. This module holds that
bridge: the transport; the engine, made lazily so that a test that never
needs it never pays for it; the compiled schema, shared between instances on
the same schema dicts and copied before one of them changes it; and the
conversions of params and answers between the client and the engine (values
travel as Python objects, never as JSON).
"""
from __future__ import annotations

import copy
import datetime
import weakref
from typing import Any, Dict, Optional, Tuple

from shotgun_api3._engine import CallContext, Engine, EngineFault, SiteSchema, host_rpcs
from shotgun_api3._errors import fault_for_answer

# What get_session_token answers: the reference mockgun's token.
MOCK_SESSION_TOKEN = "bogus_session_token"

# RPCs that change the schema: an instance copies the shared schema before making one.
_SCHEMA_CHANGES = frozenset(("schema_field_create", "schema_field_update", "schema_field_delete"))
# RPCs whose answers the engine's presenters already copy (every value), so no second copy is made.
_FRESH_ANSWERS = frozenset(("read", "create", "update"))


class InProcessTransport:
    """The RPC transport of a mockgun: answers ``(method, params)`` from its engine, in Python values.

    Like httpx's ``MockTransport`` it stands where the wire would: the
    client's ``_call_rpc`` (and every seam a rig patches) runs as for a site
    and gets ``{"results": ...}`` back, or the exception the client raises
    for a site's error answer. ``info`` and ``get_session_token`` are
    answered as the local site answers them (``_engine.host_rpcs``), with the
    mockgun as host: its ``server_info`` (what a rig assigned, else the
    engine's) and the reference mockgun's session token.
    """

    __slots__ = ("_mockgun",)

    def __init__(self, mockgun: Any) -> None:
        # Weak: the mockgun holds its transport; a cycle would keep both alive until a GC pass.
        self._mockgun = weakref.ref(mockgun)

    def serves(self, mockgun: Any) -> bool:
        """Whether this is ``mockgun``'s transport."""
        return self._mockgun() is mockgun

    @property
    def server_info(self) -> Dict[str, Any]:
        """The ``info`` answer: what a rig assigned to ``server_info``, else the engine's."""
        mockgun = self._mockgun()
        override = mockgun._server_info_override
        if override is not None:
            return override
        return mockgun._engine.call("info", None, mockgun._call_context())

    def open_session(self, context: Any) -> str:
        """The reference mockgun's session token: nothing is authenticated."""
        return MOCK_SESSION_TOKEN

    def handle_rpc(self, method: str, params: Any) -> Dict[str, Any]:
        """Answer one RPC as a site would, its value under ``results``."""
        mockgun = self._mockgun()
        try:
            if method in host_rpcs.HOST_ANSWERED:
                results = host_rpcs.answer(self, method, None)
            else:
                if method in _SCHEMA_CHANGES:
                    mockgun._own_schema()
                in_process = (write_params(params) if method in ("create", "update")
                              else in_process_params(params))
                results = mockgun._engine.call(method, in_process, mockgun._call_context())
        except EngineFault as fault:
            raise client_fault(fault) from None
        body = host_rpcs.raw_body(method, results)
        if body is not None:
            return {"results": body}  # the client hands a body that is not JSON back as it is
        if method not in _FRESH_ANSWERS:
            results = fresh(results)
        return {"results": results}

# {(id(fields), id(entities)): (fields, entities, SiteSchema)}: the compiled schema of a pair
# of schema dicts, shared by the engines of every instance reading those dicts.
_SHARED_SCHEMAS: Dict[Tuple[int, int], Tuple[Dict[str, Any], Dict[str, Any], SiteSchema]] = {}


def shared_site_schema(fields: Dict[str, Any], entities: Dict[str, Any]) -> SiteSchema:
    """The compiled ``SiteSchema`` of these two dicts, made once for every instance that reads them."""
    key = (id(fields), id(entities))
    cached = _SHARED_SCHEMAS.get(key)
    if cached is not None and cached[0] is fields and cached[1] is entities:
        return cached[2]
    if len(_SHARED_SCHEMAS) >= 8:
        _SHARED_SCHEMAS.clear()
    schema = SiteSchema(fields, entities)
    _SHARED_SCHEMAS[key] = (fields, entities, schema)
    return schema


def is_shared(schema: SiteSchema) -> bool:
    """Whether other instances may hold ``schema`` too (so it must be copied before a change)."""
    cached = _SHARED_SCHEMAS.get((id(schema.fields), id(schema.entities)))
    return cached is not None and cached[2] is schema


def new_engine(fields: Dict[str, Any], entities: Dict[str, Any], tables: Dict[str, Any], site_url: str) -> Engine:
    """An engine on the shared compiled schema of ``fields``/``entities``, over ``tables`` (mockgun's ``_db``)."""
    engine = Engine(shared_site_schema(fields, entities), store=None, site_url=site_url)
    engine.tables = tables
    return engine


def context_for(config: Any, cache: Optional[Tuple[tuple, CallContext]]) -> Tuple[tuple, CallContext]:
    """The caller as the engine sees it, reusing ``cache`` while the config it comes from is unchanged."""
    key = (config.session_uuid, config.sudo_as_login, config.script_name)
    if cache is None or cache[0] != key:
        cache = (key, CallContext(user=None, session_uuid=key[0], sudo_as_login=key[1], script_name=key[2]))
    return cache


def client_fault(fault: EngineFault) -> Exception:
    """The exception the real client raises for the site's error answer."""
    return fault_for_answer({"exception": True, "message": fault.message, "error_code": fault.error_code})


# Values that cannot be changed in place: shared freely between caller and store.
_IMMUTABLE_TYPES = (str, int, float, bool, type(None), bytes, datetime.date, datetime.datetime, datetime.time)
# The same as exact types: a set lookup on type() is the fast path for plain data.
PLAIN_LEAVES = frozenset(_IMMUTABLE_TYPES)
# Exact types passed into the engine as they are (``date`` is converted, so it is not here).
PASSED_LEAVES = PLAIN_LEAVES - {datetime.date}


def fresh(value: Any) -> Any:
    """A copy of ``value`` sharing no mutable object with it (a faster deepcopy for plain data).

    Leaves of the common plain types are taken as they are without a call
    per leaf: most answers are records of strings, numbers and links.
    """
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in PLAIN_LEAVES else fresh(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in PLAIN_LEAVES else fresh(item) for item in value]
    if kind in PLAIN_LEAVES or isinstance(value, _IMMUTABLE_TYPES):
        return value
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fresh(item) for item in value]
    if isinstance(value, tuple):
        return tuple(fresh(item) for item in value)
    return copy.deepcopy(value)


def in_process_params(value: Any) -> Any:
    """A private copy of call params, with ``date`` values in the site's ``YYYY-MM-DD`` form.

    Datetimes stay objects: the engine accepts them and stores them as given.
    Tuples become lists, as they would through JSON. Plain leaves are taken
    without a call per leaf (params are mostly short dicts of strings).
    """
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in PASSED_LEAVES else in_process_params(item)
                for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) in PASSED_LEAVES else in_process_params(item) for item in value]
    if kind is datetime.date:
        return value.isoformat()
    if kind in PLAIN_LEAVES:
        return value
    if isinstance(value, dict):
        return {key: in_process_params(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [in_process_params(item) for item in value]
    return fresh(value)


def write_params(params: Any) -> Any:
    """The params of a create/update for the engine: as they are unless something needs converting.

    Dicts, lists and plain leaves other than ``date`` read the same in
    process as after JSON; anything else (dates, tuples, other objects)
    sends the params through :func:`in_process_params`. The engine keeps no
    reference to what it is given (its contract), so no copy is needed.
    """
    if type(params) is not dict:
        return params if _passes_as_is(params) else in_process_params(params)
    for key, value in params.items():
        if type(value) in PASSED_LEAVES:
            continue
        if key == "fields" and type(value) is list:
            # The field entries, checked here rather than recursively: writes are hot.
            for entry in value:
                if type(entry) is not dict or not PASSED_LEAVES.issuperset(map(type, entry.values())):
                    if not _passes_as_is(entry):
                        return in_process_params(params)
        elif not _passes_as_is(value):
            return in_process_params(params)
    return params


def _passes_as_is(value: Any) -> bool:
    """Whether ``value`` is made only of dicts, lists and leaves the engine takes unconverted."""
    kind = type(value)
    if kind is dict:
        for item in value.values():
            if type(item) not in PASSED_LEAVES and not _passes_as_is(item):
                return False
        return True
    if kind is list:
        for item in value:
            if type(item) not in PASSED_LEAVES and not _passes_as_is(item):
                return False
        return True
    return kind in PASSED_LEAVES
