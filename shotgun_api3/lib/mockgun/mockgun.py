"""Mockgun: a ``Shotgun`` whose site lives in the process, for tests.

By default it answers as the reference mockgun answers: ``find``,
``find_one``, ``create``, ``update``, ``delete``, ``revive``, ``batch`` and
the schema reads work on ``_db`` through the reference's overridable helpers
(:mod:`.rules`), with the reference's call graph (``find_one`` calls
``self.find``, ``batch`` calls ``self.create``/``update``/``delete``), its
loose checks and its answer shapes (links as stored, no audit fields, no
event log). Only where the reference raises, crashes or answers what no
site could (ignored ``limit``/``page``, entity ``in``, multi-key order,
``update`` returning a list, ``remove`` mode, non-atomic ``batch``, missing
methods) does it answer as a site, through an in-process site engine, the
one the local site server runs.

``Shotgun.site_semantics = True`` (on the class, or on one instance) turns
every call into a site's answer instead: strict checks against the schema,
links with names, audit fields, event log entries (docs/mockgun.rst).

Typical test rig::

    from shotgun_api3.lib import mockgun
    mockgun.Shotgun.set_schema_paths("schema.pickle", "schema_entity.pickle")
    sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
    sg._db["Shot"][1] = {...}            # rows written straight into the store
"""
from __future__ import annotations

import functools
import logging
import os
from typing import Any, Dict, List, Optional, Tuple

from shotgun_api3._api.writes import _written_record
from shotgun_api3._engine import CallContext, Engine, EngineFault
from shotgun_api3._engine.query.relations import ALLOWED, NEGATIONS, build_test
from shotgun_api3._errors import ShotgunError
from shotgun_api3._config import _Config
from shotgun_api3.shotgun import ServerCapabilities
from shotgun_api3.shotgun import Shotgun as _SiteClient

from . import engine_bridge, fast_find, find_results, fixture
from .engine_bridge import MOCK_SESSION_TOKEN
from .errors import MockgunError
from .file_transfer import InProcessFileTransfer
from .filter_syntax import check_filter_syntax
from .rules import ReferenceRules
from .schema import SchemaFactory
from .writes import ReferenceWrites

__version__ = "0.0.1"

LOG = logging.getLogger("shotgun_api3")

# The helpers a find walks when a rig has patched one of them (else it takes compiled tests).
_READ_HOOKS = ("_validate_entity_type", "_row_matches_filters", "_row_matches_filter", "_rearrange_filters",
               "_compare", "_get_field_from_row", "_get_field_type", "_site_compare")


class Shotgun(ReferenceWrites, ReferenceRules, InProcessFileTransfer, _SiteClient):
    """A ``Shotgun`` answered in process; construct it as the real one.

    Credentials are kept in ``config`` but never checked and nothing touches
    the network. The schema comes from the files registered with
    :meth:`set_schema_paths` and is shared by every instance (as with the
    reference) until one changes it through ``schema_field_*``; the data
    (``_db``) belongs to each instance.
    """

    #: ``False``: answer as the reference mockgun (the default). ``True``: answer as a site.
    site_semantics: bool = False

    __schema_path: Optional[str] = None
    __schema_entity_path: Optional[str] = None

    @classmethod
    def set_schema_paths(cls, schema_path: Any, schema_entity_path: Any) -> None:
        """Register the schema files (reference pickles or JSON) every later instance loads."""
        cls.__schema_path = schema_path
        cls.__schema_entity_path = schema_entity_path

    @classmethod
    def from_fixture(cls, path: Any, base_url: str = "https://fixture.shotgunstudio.com",
                     **credentials: Any) -> "Shotgun":
        """A new instance holding the schema and records of a site fixture file (docs/mockgun.rst, Fixtures)."""
        return fixture.load(cls, path, base_url, **credentials)

    @classmethod
    def get_schema_paths(cls) -> Tuple[Optional[str], Optional[str]]:
        """Return ``(schema_path, schema_entity_path)`` as registered."""
        return cls.__schema_path, cls.__schema_entity_path

    def __init__(self, base_url: str, script_name: Optional[str] = None, api_key: Optional[str] = None,
                 convert_datetimes_to_utc: bool = True, http_proxy: Optional[str] = None, connect: bool = True,
                 ca_certs: Optional[str] = None, login: Optional[str] = None, password: Optional[str] = None,
                 sudo_as_login: Optional[str] = None, session_token: Optional[str] = None,
                 auth_token: Optional[str] = None) -> None:
        # The URL is checked first, as by the reference (a ValueError before any schema check).
        # The rest of the real client's set-up (CA file, connections, capabilities, user
        # agent) waits for the first use of an attribute it makes: rigs build a mockgun per
        # test and most never need it.
        config = self.config = _Config(self)
        config.convert_datetimes_to_utc = convert_datetimes_to_utc
        _set_server_params(config, base_url)
        if http_proxy is not None:
            config.set_proxy(http_proxy)
        self._client_setup_args = (base_url, convert_datetimes_to_utc, http_proxy, ca_certs)
        self._server_caps = None
        schema_path, schema_entity_path = self.get_schema_paths()
        if schema_path is None or schema_entity_path is None:
            raise MockgunError(
                "Cannot create Mockgun instance because no schema files have been defined. Before creating a "
                "Mockgun instance, please call Mockgun.set_schema_paths() in order to specify which Flow "
                "Production Tracking schema Mockgun should operate against.")
        self._schema, self._schema_entity = SchemaFactory.get_schemas(schema_path, schema_entity_path)
        self._db = {entity_type: {} for entity_type in self._schema}
        self._engine_instance: Optional[Engine] = None
        self._context_cache: Optional[Tuple[tuple, CallContext]] = None
        self._server_info_override: Optional[Dict[str, Any]] = None
        self.base_url = base_url
        config.set_credentials(script_name, api_key, login, password, session_token, auth_token, sudo_as_login)
        self.create("EventLogEntry", {"event_type": "Hello_Mockgun_World", "description": "Mockgun was born. Yay."})
        self.finds = 0

    def __getattr__(self, name: str) -> Any:
        """Finish the real client's set-up on first use of an attribute only it makes."""
        # Dunder lookups (copy and pickle ask for __getstate__ and friends) must not use up the set-up.
        args = None if name.startswith("__") else self.__dict__.pop("_client_setup_args", None)
        if args is None:
            raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))
        live = {key: self.__dict__[key] for key in ("config", "base_url", "_server_caps") if key in self.__dict__}
        _SiteClient._setup_client(self, *args)
        # Keep the config (credentials and whatever a rig set on it) and the URL as they are now.
        self.__dict__.update(live)
        return getattr(self, name)

    # --- the engine ----------------------------------------------------------------

    @property
    def _engine(self) -> Engine:
        """The site engine over this instance's ``_db`` and schema, made on first use."""
        engine = self._engine_instance
        if engine is None:
            engine = self._engine_instance = engine_bridge.new_engine(
                self._schema, self._schema_entity, self._db, self.base_url)
        else:
            schema = engine.schema
            if schema.fields is not self._schema or schema.entities is not self._schema_entity:
                engine.schema = engine_bridge.shared_site_schema(self._schema, self._schema_entity)
            if engine.tables is not self._db:
                engine.tables = self._db
        return engine

    def _own_schema(self) -> None:
        """Give this instance a schema of its own before it changes one shared with other instances."""
        engine = self._engine
        if engine_bridge.is_shared(engine.schema):
            engine.schema = engine.schema.copy()
            self._schema, self._schema_entity = engine.schema.fields, engine.schema.entities

    def _call_context(self) -> CallContext:
        """The caller as the engine sees it (cached while the session, sudo login and script stay)."""
        self._context_cache = engine_bridge.context_for(self.config, self._context_cache)
        return self._context_cache[1]

    @property
    def _rpc_transport(self) -> Any:
        """What the client's ``_call_rpc`` hands each RPC to: this instance's engine, in process.

        Settable (and deletable) per instance, so a rig can put its own transport in.
        """
        own = self.__dict__
        transport = own.get("_rpc_transport_set")
        if transport is not None:
            return transport
        transport = own.get("_in_process_transport")
        if transport is None or not transport.serves(self):  # a copied instance gets its own
            transport = own["_in_process_transport"] = engine_bridge.InProcessTransport(self)
        return transport

    @_rpc_transport.setter
    def _rpc_transport(self, transport: Any) -> None:
        self.__dict__["_rpc_transport_set"] = transport

    @_rpc_transport.deleter
    def _rpc_transport(self) -> None:
        self.__dict__.pop("_rpc_transport_set", None)

    def _site_compare(self, field_type: str, lval: Any, operator: str, rval: Any) -> bool:
        """A site's answer to a relation the reference's rules do not answer (the engine's relations)."""
        positive = NEGATIONS.get(operator, operator)
        if not isinstance(positive, str) or positive not in ALLOWED.get(field_type, ()):
            raise ShotgunError("The %s operator is not supported on the %s type" % (operator, field_type))
        values = rval if isinstance(rval, list) else [rval]
        try:
            matched = bool(build_test(self._engine.env(), field_type, positive, values, field_type)(lval))
        except EngineFault as fault:
            raise ShotgunError(fault.message) from None
        return matched if positive == operator else not matched

    # --- server info ------------------------------------------------------------------

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

    def connect(self) -> None:
        """Load server capabilities; there is no connection to open."""
        self.server_caps

    def close(self) -> None:
        """Nothing to close: no connection is ever opened."""

    def get_session_token(self) -> str:
        """The reference's ``"bogus_session_token"`` (in site mode: ``config.session_token`` when set)."""
        if self.site_semantics and self.config.session_token:
            return self.config.session_token
        return MOCK_SESSION_TOKEN

    # --- reads ---------------------------------------------------------------------------

    def find(self, entity_type: str, filters: Any, fields: Optional[list] = None, order: Optional[list] = None,
             filter_operator: Optional[str] = None, limit: int = 0, retired_only: bool = False, page: int = 0,
             include_archived_projects: bool = True, additional_filter_presets: Optional[list] = None) -> list:
        """The records of ``entity_type`` matching ``filters``; counted in ``finds`` (``find_one`` included)."""
        self.finds += 1
        if self.site_semantics or include_archived_projects is not True or additional_filter_presets:
            return self._site_find(entity_type, filters, fields, order, filter_operator, limit, retired_only,
                                   page, include_archived_projects, additional_filter_presets)
        find_results.check_paging(limit, page)
        self._validate_entity_type(entity_type)
        if isinstance(filters, dict):
            filters, wire_operator = find_results.wire_dict_filters(filters)
            filter_operator = filter_operator or wire_operator
        hooked = self._patched(_READ_HOOKS)
        rows = self._matching_rows(entity_type, filters, filter_operator, retired_only, hooked)
        if order:
            # As the reference: a plain field sorts by the row's own value; its data type (for an
            # empty value) comes from _get_field_type. Dotted fields (the reference failed) read
            # through the links.
            read = ReferenceRules._get_field_from_row
            get_type = self._get_field_type if hooked else functools.partial(ReferenceRules._get_field_type, self)
            rows = find_results.sort_rows(
                rows, find_results.order_entries(order),
                lambda row, field: row.get(field) if "." not in field else read(self, entity_type, row, field),
                lambda row, field: get_type(row.get("type", entity_type), field))
        if limit or page:
            rows = find_results.page_of(rows, limit, page, self.config.records_per_page)
        if self.__dict__.get("_first_only") and rows:
            rows = rows[:1]  # find_one takes only the first record (set only while find is ours)
        names = find_results.returned_fields(fields)
        if hooked:
            getters = {name: (lambda row, name=name: self._get_field_from_row(entity_type, row, name))
                       for name in names}
        else:
            getters = {name: fast_find.field_getter(self, entity_type, name) for name in names}
        return find_results.records(rows, names, getters)

    def find_one(self, entity_type: str, filters: Any, fields: Optional[list] = None, order: Optional[list] = None,
                 filter_operator: Optional[str] = None, retired_only: bool = False,
                 include_archived_projects: bool = True, additional_filter_presets: Optional[list] = None
                 ) -> Optional[dict]:
        """The first record ``self.find(...)`` answers, or ``None``; it calls ``find`` as the reference does."""
        extra: Dict[str, Any] = {}
        if include_archived_projects is not True:
            extra["include_archived_projects"] = include_archived_projects
        if additional_filter_presets is not None:
            extra["additional_filter_presets"] = additional_filter_presets
        # Only the first record is needed; our own find may stop building records after it, but a
        # find a rig replaced or wraps must see the whole call as the reference makes it.
        self._first_only = "find" not in self.__dict__ and type(self).find is _OWN_FIND
        try:
            results = self.find(entity_type, filters, fields=fields, order=order, filter_operator=filter_operator,
                                retired_only=retired_only, **extra)
        finally:
            self._first_only = False
        return results[0] if results else None

    def _matching_rows(self, entity_type: str, filters: Any, filter_operator: Optional[str], retired_only: bool,
                       hooked: bool) -> List[Dict[str, Any]]:
        table = self._db.get(entity_type)
        if not table:
            return []
        if hooked:
            matches = self._row_matches_filters
            return [row for row in list(table.values())
                    if matches(entity_type, row, filters, filter_operator, retired_only)]
        row_test = fast_find.compile_row_test(self, entity_type, filters, filter_operator, retired_only)
        if row_test is None:
            matches = self._row_matches_filters
            return [row for row in list(table.values())
                    if matches(entity_type, row, filters, filter_operator, retired_only)]
        wanted_id = find_results.first_id_lookup(filters, filter_operator)
        if wanted_id is not None:
            try:
                row = table.get(wanted_id)
            except TypeError:
                row = None
            return [row] if row is not None and row_test(row) else []
        return [row for row in list(table.values()) if row_test(row)]

    def _patched(self, names: Tuple[str, ...]) -> bool:
        """Whether a rig replaced one of these helpers, on the instance or on a (sub)class."""
        own = self.__dict__
        cls = type(self)
        for name in names:
            if name in own or getattr(cls, name) is not _ORIGINAL_HELPERS[name]:
                return True
        return False

    def _site_find(self, entity_type: str, filters: Any, fields: Any, order: Any, filter_operator: Any, limit: int,
                   retired_only: bool, page: int, include_archived_projects: bool,
                   additional_filter_presets: Any) -> list:
        """A site's ``find``: the real client's, answered by the engine."""
        check_filter_syntax(filters)
        if self.__dict__.get("_first_only") and not limit and not page:
            limit = 1
        # The client's paging loop asks for page after page of one query; the
        # engine selects once for the whole loop (no rig code runs meanwhile).
        engine = self._engine
        owns_memo = engine.read_memo is None
        if owns_memo:
            engine.read_memo = {}
        try:
            return super().find(entity_type, filters, fields, order, filter_operator, limit, retired_only, page,
                                include_archived_projects, additional_filter_presets)
        finally:
            if owns_memo:
                engine.read_memo = None

    # --- schema reads --------------------------------------------------------------------

    def schema_read(self, project_entity: Optional[dict] = None) -> Dict[str, Any]:
        """The field schema; by default the loaded dict itself, as the reference answers it."""
        if self.site_semantics or project_entity is not None:
            return super().schema_read(project_entity)
        return self._schema

    def schema_entity_read(self, project_entity: Optional[dict] = None) -> Dict[str, Any]:
        """The entity schema; by default the loaded dict itself, as the reference answers it."""
        if self.site_semantics or project_entity is not None:
            return super().schema_entity_read(project_entity)
        return self._schema_entity

    def schema_field_read(self, entity_type: str, field_name: Optional[str] = None,
                          project_entity: Optional[dict] = None) -> Dict[str, Any]:
        """A type's field definitions, or ``{field_name: definition}`` (``{}`` for an unknown field)."""
        if self.site_semantics or project_entity is not None:
            return super().schema_field_read(entity_type, field_name, project_entity)
        # Not through _validate_entity_type: the reference's schema_field_read does not call it.
        definitions = self._schema.get(entity_type) if isinstance(entity_type, str) else None
        if definitions is None:
            raise ShotgunError("%s is not a valid entity" % (entity_type,))
        if field_name is None:
            return definitions
        return {name: definition for name, definition in definitions.items() if name == field_name}

    # --- files -------------------------------------------------------------------------

    def upload_thumbnail(self, entity_type: str, entity_id: int, path: str, **kwargs: Any) -> Any:
        """Upload a thumbnail; a path that is no file does nothing and answers ``None``, as the reference."""
        if not self.site_semantics and not (isinstance(path, (str, os.PathLike)) and os.path.isfile(path)):
            return None
        return super().upload_thumbnail(entity_type, entity_id, path, **kwargs)

    def _site_update(self, entity_type: str, entity_id: int, data: dict,
                     multi_entity_update_modes: Optional[dict]) -> dict:
        """A site's ``update``, with a shortcut for plain values.

        Text, numbers, flags, datetimes and ``None`` go to the engine as a
        ``{field: value}`` dict (a form it takes in process,
        docs/architecture.rst): the wire's list of field entries would carry
        the same values and only cost building and parsing. Links, lists,
        dates, thumbnails and update modes take the client's own path, and so
        does every update once a test has patched ``_call_rpc`` (on the
        instance or the class).
        """
        if (multi_entity_update_modes or type(data) is not dict or not data or "image" in data
                or "filmstrip_image" in data
                or not engine_bridge.PASSED_LEAVES.issuperset(map(type, data.values()))
                or "_call_rpc" in self.__dict__ or type(self)._call_rpc is not _OWN_CALL_RPC):
            return _SiteClient.update(self, entity_type, entity_id, data, multi_entity_update_modes)
        try:
            record = self._engine.call("update", {"type": entity_type, "id": entity_id, "fields": data},
                                       self._call_context())
        except EngineFault as fault:
            raise engine_bridge.client_fault(fault) from None
        return _written_record(self._parse_records(record), "update")


# {(base_url, api_ver): what config.set_server_params sets}: rigs build a mockgun per test on one URL.
_SERVER_PARAMS: Dict[Tuple[str, str], Dict[str, Any]] = {}
_UNSET = object()


def _set_server_params(config: _Config, base_url: Any) -> None:
    """``config.set_server_params(base_url)``, parsing each URL once per process."""
    key = (base_url, config.api_ver) if isinstance(base_url, str) else None
    params = _SERVER_PARAMS.get(key) if key is not None else None
    if params is not None:
        config.__dict__.update(params)
        return
    before = dict(config.__dict__)
    config.set_server_params(base_url)
    if key is not None:
        if len(_SERVER_PARAMS) >= 64:
            _SERVER_PARAMS.clear()
        _SERVER_PARAMS[key] = {name: value for name, value in config.__dict__.items()
                               if before.get(name, _UNSET) is not value}


# The client's own ``_call_rpc``: while it is the one in use, plain site-mode updates may skip it.
_OWN_CALL_RPC = Shotgun._call_rpc
# Mockgun's own ``find``: while it is the one in use, find_one lets it build only the first record.
_OWN_FIND = Shotgun.find

# The helpers as defined here, to tell a rig's replacement from them.
_ORIGINAL_HELPERS = {name: getattr(Shotgun, name) for name in _READ_HOOKS}
