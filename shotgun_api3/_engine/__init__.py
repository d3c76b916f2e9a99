"""The site engine: answers the client's RPCs the way a Flow Production Tracking site does.

Public to the rest of the package (see docs/architecture.rst and docs/engine.rst)::

    from shotgun_api3._engine import Engine, EngineFault, CallContext, SiteSchema

    engine = Engine(SiteSchema.default())              # or SiteSchema.from_files(schema, entity_schema)
    engine.call("read", params, CallContext(user={"type": "ApiUser", "id": 1}))
    engine.tables                                       # {entity_type: {id: row}}: the mockgun _db

Adding RPC methods
------------------
Decorate a handler in the room (sub-package) it belongs to; a new module of
handlers is one more import line in ``handlers.py``::

    from ..registry import rpc

    @rpc("follow")
    def follow(call, params):          # call: shotgun_api3._engine.call.Call
        ...
        return result                  # what a site puts under "results"

Inside a handler:

- ``call.engine`` the Engine; ``call.context`` the CallContext; ``call.now``
  one aware-UTC "now" for the whole call; ``call.env`` a ``QueryEnv`` (schema,
  tables, now) for the compile functions below.
- Reading:
  ``query.filters.compile_filters(call.env, entity_type, filters) -> predicate(row) -> bool``
  (the wire tree ``{"logical_operator", "conditions"}`` only);
  ``engine.rows(entity_type, retired=False)`` live (or retired) rows;
  ``engine.row(entity_type, id)`` one stored row or None;
  ``query.paths.compile_path(schema, tables, entity_type, "a.T.b", method).get`` the
  stored value of a dotted path (a list through multi-entity hops);
  ``engine.presenter(entity_type, "a.T.b") -> present(row)`` the answered
  value (fresh objects, links as ``{type, id, name}``);
  ``engine.display_name(entity_type, row)``; ``engine.present_link(link)``;
  ``query.read.select_rows(...)``/``present_rows(...)`` and ``query.ordering.sort_rows(env, ...)``
  a whole read; ``query.presenting.field_presenter(env, ...)``, ``query.presenting.value_presenter(env, info)``.
- Writing (atomic with the call, persisted through the Store, event-logged):
  ``call.txn.create(entity_type, data, method="create", validate=True) -> row``;
  ``call.txn.update(entity_type, id, data, modes=None, method="update", validate=True) -> row``;
  ``call.txn.retire(entity_type, id) -> bool``; ``call.txn.revive(entity_type, id) -> bool``;
  ``call.txn.log_event(event_type, entity_type, row, attribute=None, meta=None, description=None)``.
  ``validate=False`` stores values as given (for fields clients cannot write,
  e.g. ``image``, ``Attachment.this_file``).
- Non-entity site state (follows, work schedule, preferences, subscriptions):
  ``engine.get_state(name, default)`` to read, ``call.txn.set_state(name, value)``
  to write; values must be plain picklable/JSON-able data.
- Errors: raise ``EngineFault(message, error_code=None)``; the whole call is
  rolled back.
"""

from .context import CallContext
from .engine import Engine
from .errors import EngineFault
from .registry import rpc
from .schema.site_schema import FieldInfo, SiteSchema

__all__ = ["CallContext", "Engine", "EngineFault", "FieldInfo", "SiteSchema", "rpc"]
