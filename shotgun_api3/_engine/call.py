"""One RPC being answered: the engine, the caller, one clock reading, and its writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .query.relations import QueryEnv
from .write.transaction import Transaction

if TYPE_CHECKING:
    from .context import CallContext
    from .engine import Engine


class Call:
    """What a handler gets: ``call.engine``, ``call.context``, ``call.env``, ``call.txn``.

    ``call.now`` is read once, so every timestamp a call writes is the same.
    ``call.txn`` opens the call's transaction on first use; the engine
    commits it when the handler returns and rolls it back when it raises.
    """

    def __init__(self, engine: "Engine", context: "CallContext", method_name: str) -> None:
        self.engine = engine
        self.context = context
        self.method_name = method_name
        self.now = engine.now()
        self._txn: Optional[Transaction] = None
        self._env: Optional[QueryEnv] = None

    @property
    def env(self) -> QueryEnv:
        """Schema, tables and "now" for compiling filters, paths and presenters."""
        if self._env is None:
            self._env = self.engine.env(self.now)
        return self._env

    @property
    def txn(self) -> Transaction:
        if self._txn is None:
            self._txn = Transaction(self.engine, self.context, self.now, self.env)
        return self._txn

    def finish(self) -> None:
        if self._txn is not None:
            self._txn.commit()

    def abort(self) -> None:
        if self._txn is not None:
            self._txn.rollback()
