"""A stored row whose fields are built the first time anything looks at it.

Most writes log events nobody reads: a mockgun test rig changes a field a
thousand times and never opens ``_db["EventLogEntry"]``. Such a row is stored
as a :class:`DeferredRow` holding what its fields are made from, and the
fields (a dict of ``meta``, a formatted description...) are made on first use.
To every reader it is the finished row: each dict operation builds the fields
first, and a copy, pickle or ``deepcopy`` of it is a plain ``dict``. The
builder must depend only on the values it was given, never on the store's
state when it runs, so building late gives the row it would have had.

What a subclass cannot hide: it is not exactly ``dict`` (``pprint`` and
``xmlrpc`` treat it as a foreign mapping), and another dict subclass on the
left of ``==`` compares with the unbuilt storage.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Tuple

_dict_setitem = dict.__setitem__

_BUILDING = threading.RLock()


class DeferredRow(dict):
    """A ``dict`` whose items come from ``builder = (function, args)``, called once, on first use."""

    __slots__ = ("_builder",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Made like a dict, it is an already built row.
        self._builder = None
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
        row._builder = (function, args)
        return row

    @classmethod
    def fromkeys(cls, *args: Any) -> Dict[Any, Any]:  # type: ignore[override]
        return dict.fromkeys(*args)

    @property
    def built(self) -> bool:
        """Whether the fields have been made (for tests and debugging; it builds nothing)."""
        return self._builder is None

    def _build(self) -> None:
        if self._builder is None:
            return
        # Readers in two threads (a rig reading _db) must not both build: the
        # second build would undo a write made in between.
        with _BUILDING:
            builder = self._builder
            if builder is not None:
                function, args = builder
                dict.update(self, function(*args))
                self._builder = None

    def __eq__(self, other: Any) -> bool:
        self._build()
        if isinstance(other, DeferredRow):
            other._build()
        return dict.__eq__(self, other)

    def __ne__(self, other: Any) -> bool:
        self._build()
        if isinstance(other, DeferredRow):
            other._build()
        return dict.__ne__(self, other)

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a dict

    def __reduce_ex__(self, protocol: Any) -> Tuple[Any, ...]:
        # Copies, pickles and deep copies are plain dicts of the built fields.
        self._build()
        return (dict, (dict.copy(self),))

    def __reduce__(self) -> Tuple[Any, ...]:
        return self.__reduce_ex__(2)


def _building(name: str) -> Callable[..., Any]:
    """``dict.<name>``, after the row's fields are built."""
    method = getattr(dict, name)

    def built_first(self: DeferredRow, *args: Any, **kwargs: Any) -> Any:
        if self._builder is not None:
            self._build()
        return method(self, *args, **kwargs)

    built_first.__name__ = built_first.__qualname__ = name
    built_first.__doc__ = method.__doc__
    return built_first


# Every dict operation that reads or changes items. (``__iter__`` being
# overridden also makes ``dict(row)``, ``{**row}`` and ``f(**row)`` go through
# ``keys()`` and ``row[key]`` instead of reading the unbuilt dict directly.)
for _name in (
    "__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__", "__reversed__", "__len__",
    "__repr__", "__or__", "__ror__", "__ior__", "__sizeof__",
    "get", "keys", "values", "items", "copy", "pop", "popitem", "setdefault", "update", "clear",
):
    setattr(DeferredRow, _name, _building(_name))
del _name
