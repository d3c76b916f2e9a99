"""Dicts that finish their own items the first time anything looks at them.

Most writes log events nobody reads: a mockgun test rig changes a field a
thousand times and never opens ``_db["EventLogEntry"]``. Two kinds of dict
keep that cheap:

- a :class:`DeferredRow` is a stored row holding what its fields are made
  from; the fields (a dict of ``meta``, a formatted description...) are made
  on first use;
- a :class:`PendingTable` is a table holding its newest rows aside, as
  ``(id, head, function, args)`` entries; they become DeferredRows in the
  table, in order, on first use of the table.

To every reader each is the finished dict: every dict operation finishes it
first, and a copy, pickle or ``deepcopy`` of it is a plain ``dict``. A
builder must depend only on the values it was given, never on the store's
state when it runs, so finishing late gives what finishing early would have.

What a subclass cannot hide: it is not exactly ``dict`` (``pprint`` prints
it on one line and ``xmlrpc`` refuses it), and another dict subclass on the
left of ``==`` compares with the unfinished storage.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Tuple

_dict_setitem = dict.__setitem__
_dict_len = dict.__len__

#: Finishing happens under this lock: two readers in two threads (a rig
#: reading ``_db``) must not both finish one dict, or the second would undo
#: a write made in between.
_FINISHING = threading.RLock()


class _Unfinished(dict):
    """What both kinds share: ``_pending`` (true while unfinished) and ``_finish()``."""

    __slots__ = ("_pending",)

    def _finish(self) -> None:
        raise NotImplementedError

    def __eq__(self, other: Any) -> bool:
        if self._pending:
            self._finish()
        if isinstance(other, _Unfinished) and other._pending:
            other._finish()
        return dict.__eq__(self, other)

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a dict

    def __reduce_ex__(self, protocol: Any) -> Tuple[Any, ...]:
        # Copies, pickles and deep copies are plain dicts of the finished items.
        if self._pending:
            self._finish()
        return (dict, (dict.copy(self),))

    def __reduce__(self) -> Tuple[Any, ...]:
        return self.__reduce_ex__(2)

    @classmethod
    def fromkeys(cls, *args: Any) -> Dict[Any, Any]:  # type: ignore[override]
        return dict.fromkeys(*args)


class DeferredRow(_Unfinished):
    """A ``dict`` whose items come from ``(function, args)``, called once, on first use."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Made like a dict, it is an already built row.
        self._pending = None
        dict.__init__(self, *args, **kwargs)

    @classmethod
    def of(cls, head: Tuple[str, Any], function: Callable[..., Dict[str, Any]], args: Tuple[Any, ...]) -> "DeferredRow":
        """A row whose fields are ``function(*args)``, built on first use.

        It holds the field ``head`` (key, value) from the start, because
        JSON's C encoder writes a dict of no items as ``{}`` without asking
        it for its items. ``head`` must be the first field ``function``
        returns, so the built row keeps the builder's field order.
        """
        row = dict.__new__(cls)
        _dict_setitem(row, *head)
        row._pending = (function, args)
        return row

    @property
    def built(self) -> bool:
        """Whether the fields have been made (for tests and debugging; it builds nothing)."""
        return self._pending is None

    def _finish(self) -> None:
        with _FINISHING:
            builder = self._pending
            if builder is not None:
                function, args = builder
                dict.update(self, function(*args))
                self._pending = None


class PendingTable(_Unfinished):
    """A table (``{id: row}``) whose newest rows may wait in :attr:`pending` until it is first used.

    The writer appends ``(id, head, function, args)`` to :meth:`defer_to`'s
    list while holding the engine's lock; each becomes
    ``DeferredRow.of(head, function, args)`` under ``id``, in the order
    written, before anything else reads or changes the table.
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._pending: List[Tuple[Any, Tuple[str, Any], Callable[..., Dict[str, Any]], Tuple[Any, ...]]] = []
        dict.__init__(self, *args, **kwargs)

    def defer_to(self) -> Any:
        """The list a writer appends pending rows to, or ``None`` while the table holds no row.

        (JSON's C encoder writes a table of no stored rows as ``{}`` without
        asking it for its items, so the first row is always stored.)
        """
        pending = self._pending
        return pending if pending or _dict_len(self) else None

    def stored_len(self) -> int:
        """``len()`` without finishing: stored rows plus pending ones (for the engine's id bookkeeping)."""
        return _dict_len(self) + len(self._pending)

    def _finish(self) -> None:
        with _FINISHING:
            pending = self._pending
            # A writer in another thread may append meanwhile: only what was
            # there at the start is moved in and removed.
            count = len(pending)
            for key, head, function, args in pending[:count]:
                _dict_setitem(self, key, DeferredRow.of(head, function, args))
            del pending[:count]

    def clear(self) -> None:
        with _FINISHING:
            del self._pending[:]
            dict.clear(self)


def _finished_first(name: str) -> Callable[..., Any]:
    """``dict.<name>``, after the dict is finished."""
    method = getattr(dict, name)

    def finished_first(self: _Unfinished, *args: Any, **kwargs: Any) -> Any:
        if self._pending:
            self._finish()
        return method(self, *args, **kwargs)

    finished_first.__name__ = finished_first.__qualname__ = name
    finished_first.__doc__ = method.__doc__
    return finished_first


# Every dict operation that reads or changes items. (``__iter__`` being
# overridden also makes ``dict(x)``, ``{**x}`` and ``f(**x)`` go through
# ``keys()`` and ``x[key]`` instead of reading the unfinished dict directly.)
for _name in (
    "__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__", "__reversed__", "__len__",
    "__repr__", "__or__", "__ror__", "__ior__", "__sizeof__",
    "get", "keys", "values", "items", "copy", "pop", "popitem", "setdefault", "update", "clear",
):
    setattr(_Unfinished, _name, _finished_first(_name))
del _name
