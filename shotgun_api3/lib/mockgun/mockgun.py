"""Mockgun: a ``Shotgun`` whose site is an engine inside the process.

``Shotgun`` here is the real client with one seam replaced: ``_call_rpc``
hands each call to an in-memory site engine instead of sending it over
HTTP. Every argument check, filter translation, paging loop and version
gate is therefore the real client's, and every answer is the site engine's
(the same engine the local site server runs). Values travel as Python
objects: no JSON, datetimes come back as they were stored. Two methods are
overridden as well: ``find`` counts calls and lets the engine select once
per paged query, and ``update`` hands plain values to the engine directly
(unless a test has patched ``_call_rpc``, which then sees every call).

Typical test rig::

    from shotgun_api3.lib import mockgun
    mockgun.Shotgun.set_schema_paths("schema.pickle", "schema_entity.pickle")
    sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    sg.server_info = {"version": (7, 0, 0)}
    sg._db["Shot"][1] = {...}            # rows written straight into the store
"""
from __future__ import annotations

import copy
import datetime
import logging
import pickle
from typing import Any, Dict, Optional, Tuple

from shotgun_api3._engine import CallContext, Engine, EngineFault, SiteSchema
from shotgun_api3._api.writes import _written_record
from shotgun_api3._errors import fault_for_answer
from shotgun_api3.shotgun import ServerCapabilities
from shotgun_api3.shotgun import Shotgun as _SiteClient

from .errors import MockgunError
from .file_transfer import InProcessFileTransfer
from .filter_syntax import check_filter_syntax
from .schema import SchemaFactory

__version__ = "0.0.1"

LOG = logging.getLogger("shotgun_api3")

# What get_session_token answers: the reference mockgun's token, kept so rigs
# that compare against it keep passing.
MOCK_SESSION_TOKEN = "bogus_session_token"


class Shotgun(InProcessFileTransfer, _SiteClient):
    """A ``Shotgun`` answered by an in-process site engine; construct it as the real one.

    Credentials are kept in ``config`` but never checked and nothing touches
    the network. The schema comes from the files registered with
    :meth:`set_schema_paths`, shared by every instance of the process; the
    data (``_db``) belongs to each instance.
    """

    __schema_path: Optional[str] = None
    __schema_entity_path: Optional[str] = None

    @classmethod
    def set_schema_paths(cls, schema_path: Any, schema_entity_path: Any) -> None:
        """Register the schema files (reference pickles or JSON) every later instance loads."""
        cls.__schema_path = schema_path
        cls.__schema_entity_path = schema_entity_path

    @classmethod
    def get_schema_paths(cls) -> Tuple[Optional[str], Optional[str]]:
        """Return ``(schema_path, schema_entity_path)`` as registered."""
        return cls.__schema_path, cls.__schema_entity_path

    def __init__(self, base_url: str, script_name: Optional[str] = None, api_key: Optional[str] = None,
                 convert_datetimes_to_utc: bool = True, http_proxy: Optional[str] = None, connect: bool = True,
                 ca_certs: Optional[str] = None, login: Optional[str] = None, password: Optional[str] = None,
                 sudo_as_login: Optional[str] = None, session_token: Optional[str] = None,
                 auth_token: Optional[str] = None) -> None:
        schema_path, schema_entity_path = self.get_schema_paths()
        if schema_path is None or schema_entity_path is None:
            raise MockgunError(
                "Cannot create Mockgun instance because no schema files have been defined. Before creating a "
                "Mockgun instance, please call Mockgun.set_schema_paths() in order to specify which Flow "
                "Production Tracking schema Mockgun should operate against.")
        schema = SchemaFactory.get_site_schema(schema_path, schema_entity_path)
        self._context_cache: Optional[Tuple[tuple, CallContext]] = None
        # The real constructor validates the URL and builds config; credentials
        # are left out of it so none of its credential rules apply, and
        # connect=False keeps it from asking for server info at once.
        super().__init__(base_url, connect=False)
        self._server_info_override: Optional[Dict[str, Any]] = None
        self._server_caps = None
        self.base_url = base_url
        self.config.script_name = script_name
        self.config.api_key = api_key
        self.config.user_login = login
        self.config.user_password = password
        self.config.sudo_as_login = sudo_as_login
        self.config.session_token = session_token
        self.config.auth_token = auth_token
        self.config.convert_datetimes_to_utc = convert_datetimes_to_utc
        self._engine = Engine(schema, store=None, site_url=base_url)
        self.finds = 0
        self._engine.call("create", {
            "type": "EventLogEntry",
            "fields": [{"field_name": "event_type", "value": "Hello_Mockgun_World"},
                       {"field_name": "description", "value": "Mockgun was born. Yay."}],
            "return_fields": ["id"]}, CallContext())

    # --- the store -----------------------------------------------------------

    @property
    def _db(self) -> Dict[str, Dict[int, Dict[str, Any]]]:
        """The site's tables, ``{entity_type: {id: row}}``; rigs read and write rows here."""
        return self._engine.tables

    @_db.setter
    def _db(self, tables: Dict[str, Dict[int, Dict[str, Any]]]) -> None:
        self._engine.tables = tables

    @property
    def _schema(self) -> Dict[str, Any]:
        """The field schema, as the reference mockgun exposes it (``schema_read()``'s dict)."""
        return self._engine.schema.fields

    @property
    def _schema_entity(self) -> Dict[str, Any]:
        """The entity schema, as the reference mockgun exposes it."""
        return self._engine.schema.entities

    # --- server info -----------------------------------------------------------

    @property
    def server_info(self) -> Dict[str, Any]:
        """The site's ``info`` answer, or whatever a rig assigned (version gates follow it)."""
        if self._server_info_override is not None:
            return self._server_info_override
        return self.server_caps.server_info

    @server_info.setter
    def server_info(self, info: Dict[str, Any]) -> None:
        self._server_info_override = info
        self._server_caps = None

    @property
    def server_caps(self) -> ServerCapabilities:
        """Capabilities of the (mock) site, rebuilt when ``server_info`` or ``config.server`` changes."""
        if self._server_caps is None or self._server_caps.host != self.config.server:
            self._server_caps = ServerCapabilities(self.config.server, self.info())
        return self._server_caps

    # --- calls -------------------------------------------------------------------

    def connect(self) -> None:
        """Load server capabilities; there is no connection to open."""
        self.server_caps

    def close(self) -> None:
        """Nothing to close: no connection is ever opened."""

    def find(
        self,
        entity_type: str,
        filters: Any,
        fields: Optional[list] = None,
        order: Optional[list] = None,
        filter_operator: Optional[str] = None,
        limit: int = 0,
        retired_only: bool = False,
        page: int = 0,
        include_archived_projects: bool = True,
        additional_filter_presets: Optional[list] = None,
    ) -> list:
        """The real ``find``, counted in ``finds`` (``find_one`` included) like the reference."""
        self.finds += 1
        check_filter_syntax(filters)
        # The client's paging loop asks for page after page of one query; the
        # engine selects once for the whole loop (no rig code runs meanwhile).
        owns_memo = self._engine.read_memo is None
        if owns_memo:
            self._engine.read_memo = {}
        try:
            return super().find(entity_type, filters, fields, order, filter_operator, limit, retired_only, page,
                                include_archived_projects, additional_filter_presets)
        finally:
            if owns_memo:
                self._engine.read_memo = None

    def get_session_token(self) -> str:
        """The configured session token, else the reference mockgun's fixed one."""
        if not self.config.session_token:
            self.config.session_token = MOCK_SESSION_TOKEN
        return self.config.session_token

    def update(self, entity_type: str, entity_id: int, data: dict, multi_entity_update_modes: Optional[dict] = None) -> dict:
        """The client's ``update``, with a shortcut for plain values.

        Text, numbers, flags, datetimes and ``None`` go to the engine as a
        ``{field: value}`` dict (a form it takes in process,
        docs/architecture.rst): the wire's list of field entries would carry
        the same values and only cost building and parsing. Links, lists,
        dates, thumbnails and update modes take the client's own path, and so
        does every update once a test has patched ``_call_rpc`` (on the
        instance or the class).
        """
        if (multi_entity_update_modes or type(data) is not dict or not data or "image" in data
                or "filmstrip_image" in data or not _PASSED_LEAVES.issuperset(map(type, data.values()))
                or "_call_rpc" in self.__dict__ or type(self)._call_rpc is not _OWN_CALL_RPC):
            return super().update(entity_type, entity_id, data, multi_entity_update_modes)
        try:
            record = self._engine.call("update", {"type": entity_type, "id": entity_id, "fields": data},
                                       self._call_context())
        except EngineFault as fault:
            raise _client_fault(fault) from None
        return _written_record(self._parse_records(record), "update")

    def _call_rpc(self, method: str, params: Any, include_auth_params: bool = True, first: bool = False) -> Any:
        """Answer one RPC in process through the engine, as the client would unwrap the site's answer."""
        if method == "info" and self._server_info_override is not None:
            results = self._server_info_override
        elif method == "get_session_token":
            results = {"session_id": MOCK_SESSION_TOKEN}
        else:
            try:
                in_process = _write_params(params) if method in _WRITE_METHODS else _in_process_params(params)
                results = self._engine.call(method, in_process, self._call_context())
            except EngineFault as fault:
                raise _client_fault(fault) from None
        if method == "export_page" and isinstance(results, str):
            # A site answers CSV, not JSON: the real client hands back the raw body.
            return results.encode("utf-8")
        if method not in _FRESH_ANSWER_METHODS:
            results = _fresh(results)
        if first and isinstance(results, list):
            return results[0] if results else None
        return results

    def _call_context(self) -> CallContext:
        """The caller as the engine sees it, rebuilt only when the config it comes from changes.

        The engine never changes a context it is given, so one is shared by the calls
        made with the same session, sudo login and script name.
        """
        config = self.config
        key = (config.session_uuid, config.sudo_as_login, config.script_name)
        cached = self._context_cache
        if cached is None or cached[0] != key:
            cached = self._context_cache = (key, CallContext(user=None, session_uuid=key[0],
                                                             sudo_as_login=key[1], script_name=key[2]))
        return cached[1]


# Mockgun's own ``_call_rpc``: while it is the one in use, plain updates may skip it.
_OWN_CALL_RPC = Shotgun._call_rpc


def _client_fault(fault: EngineFault) -> Exception:
    """The exception the real client raises for the site's error answer."""
    return fault_for_answer({"exception": True, "message": fault.message, "error_code": fault.error_code})


# Values that cannot be changed in place: shared freely between caller and store.
_IMMUTABLE_TYPES = (str, int, float, bool, type(None), bytes, datetime.date, datetime.datetime, datetime.time)
# The same as exact types: a set lookup on type() is the fast path for plain data.
_PLAIN_LEAVES = frozenset(_IMMUTABLE_TYPES)


def _fresh(value: Any) -> Any:
    """A copy of ``value`` sharing no mutable object with it (a faster deepcopy for plain data).

    Leaves of the common plain types are taken as they are without a call
    per leaf: most answers are records of strings, numbers and links.
    """
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _PLAIN_LEAVES else _fresh(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _PLAIN_LEAVES else _fresh(item) for item in value]
    if kind in _PLAIN_LEAVES or isinstance(value, _IMMUTABLE_TYPES):
        return value
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_fresh(item) for item in value)
    return copy.deepcopy(value)


# Exact types passed into the engine as they are (``date`` is converted, so it is not here).
_PASSED_LEAVES = _PLAIN_LEAVES - {datetime.date}


def _in_process_params(value: Any) -> Any:
    """A private copy of call params, with ``date`` values in the site's ``YYYY-MM-DD`` form.

    Datetimes stay objects: the engine accepts them and stores them as given.
    Tuples become lists, as they would through JSON. Plain leaves are taken
    without a call per leaf (params are mostly short dicts of strings).
    """
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _PASSED_LEAVES else _in_process_params(item)
                for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) in _PASSED_LEAVES else _in_process_params(item) for item in value]
    if kind is datetime.date:
        return value.isoformat()
    if kind in _PLAIN_LEAVES:
        return value
    if isinstance(value, dict):
        return {key: _in_process_params(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_in_process_params(item) for item in value]
    return _fresh(value)


# Methods whose answers the engine builds from its presenters, which copy every value
# (pinned by test_results_do_not_share_objects_with_tables): answered without another copy.
_FRESH_ANSWER_METHODS = frozenset(("read", "create", "update"))

# Methods whose engine handlers only read their params and store copies of the values they keep
# (the engine's contract, pinned by test_the_engine_keeps_no_reference_to_objects_the_caller_passed).
_WRITE_METHODS = frozenset(("create", "update"))


def _write_params(params: Any) -> Any:
    """The params of a create/update for the engine: as they are unless something needs converting.

    Dicts, lists and plain leaves other than ``date`` read the same in
    process as after JSON; anything else (dates, tuples, other objects)
    sends the params through :func:`_in_process_params`.
    """
    if type(params) is not dict:
        return params if _passes_as_is(params) else _in_process_params(params)
    for key, value in params.items():
        if type(value) in _PASSED_LEAVES:
            continue
        if key == "fields" and type(value) is list:
            # The field entries, checked here rather than recursively: writes are hot.
            for entry in value:
                if type(entry) is not dict or not _PASSED_LEAVES.issuperset(map(type, entry.values())):
                    if not _passes_as_is(entry):
                        return _in_process_params(params)
        elif not _passes_as_is(value):
            return _in_process_params(params)
    return params


def _passes_as_is(value: Any) -> bool:
    """Whether ``value`` is made only of dicts, lists and leaves the engine takes unconverted."""
    kind = type(value)
    if kind is dict:
        for item in value.values():
            if type(item) not in _PASSED_LEAVES and not _passes_as_is(item):
                return False
        return True
    if kind is list:
        for item in value:
            if type(item) not in _PASSED_LEAVES and not _passes_as_is(item):
                return False
        return True
    return kind in _PASSED_LEAVES
