"""What the pages ask the engine, in the wire form the client sends (``Engine.call`` through the site).

The pages never touch the engine's tables: every read is the ``read`` RPC
with the params ``Shotgun.find`` builds, so the page shows what ``find``
returns, and a large type is read one page at a time.
"""
from __future__ import annotations

import ast
import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..._filters import _translate_filters
from ..._engine import CallContext

#: Rows on one page of a table.
PER_PAGE = 50
#: Choices of rows per page offered by the table page.
PAGE_SIZES = (25, 50, 100, 200)
#: Field names tried, in order, for the column that names a record.
NAME_FIELDS = ("code", "name", "content", "title", "login", "subject", "event_type", "description")
_EMPTY = {"logical_operator": "and", "conditions": []}


#: How deeply a filter box's lists and dicts may nest (groups in groups); deeper is refused, on every Python.
MAX_FILTER_DEPTH = 64


def _depth(value: object) -> int:
    """How deeply lists, tuples and dicts nest in ``value``, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            deepest = max(deepest, level)
            if deepest > MAX_FILTER_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


class FilterSyntaxError(ValueError):
    """The text in a filter box is not a filter list (nor a wire filter dict)."""


def parse_filters(text: str, operator: str = "all") -> dict:
    """The wire filters of ``text``, written as for ``find``: ``[["code", "contains", "sh"]]``.

    JSON or a Python literal (``None``, ``True``, tuples) is accepted; nothing
    is ever evaluated. An empty box is no filter.
    """
    text = (text or "").strip()
    if not text:
        return dict(_EMPTY, conditions=[])
    try:
        filters = json.loads(text)
    except RecursionError:
        raise FilterSyntaxError("the filter is nested too deeply") from None
    except ValueError:
        try:
            filters = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as error:
            raise FilterSyntaxError("the filter is neither JSON nor a Python literal: %s" % error) from None
    if _depth(filters) > MAX_FILTER_DEPTH:
        raise FilterSyntaxError("the filter is nested too deeply")
    if isinstance(filters, dict) and "conditions" in filters:
        return filters
    if not isinstance(filters, (list, tuple)):
        raise FilterSyntaxError("a filter is a list of conditions such as [[\"code\", \"contains\", \"sh\"]]")
    if filters and isinstance(filters[0], str):
        filters = [filters]  # one condition written without its outer list
    try:
        return _translate_filters(list(filters), operator if operator in ("all", "any") else "all")
    except Exception as error:  # the client's own refusals (ShotgunError, Fault...)
        raise FilterSyntaxError(str(error)) from None


def read_params(entity_type: str, fields: Sequence[str], filters: Optional[dict] = None, page: int = 1,
                per_page: int = PER_PAGE, sorts: Optional[List[dict]] = None, retired: bool = False) -> dict:
    """The params of one page of ``find`` (as ``Shotgun.find(..., page=n)`` sends them)."""
    params: Dict[str, Any] = {
        "type": entity_type,
        "return_fields": list(fields) or ["id"],
        "filters": filters or dict(_EMPTY, conditions=[]),
        "return_only": "retired" if retired else "active",
        "paging": {"entities_per_page": per_page, "current_page": page},
        "api_return_image_urls": True,
        "return_paging_info_without_counts": False,
    }
    if sorts:
        params["sorts"] = sorts
    return params


class Reader:
    """The engine calls of one page request, run as the logged-in user."""

    def __init__(self, site: Any, user: dict) -> None:
        self.site = site
        self.context = CallContext(user={"type": user["type"], "id": user["id"]})
        self._schema: Optional[dict] = None
        self._entities: Optional[dict] = None

    def call(self, method: str, params: Any) -> Any:
        return self.site.call(method, params, self.context)

    def page(self, entity_type: str, fields: Sequence[str], filters: Optional[dict] = None, page: int = 1,
             per_page: int = PER_PAGE, sorts: Optional[List[dict]] = None,
             retired: bool = False) -> Tuple[List[dict], bool]:
        """``(records, whether a next page exists)``."""
        answer = self.call("read", read_params(entity_type, fields, filters, page, per_page, sorts, retired))
        return answer["entities"], bool(answer["paging_info"].get("has_next_page"))

    def one(self, entity_type: str, entity_id: int, fields: Sequence[str], retired: bool = False) -> Optional[dict]:
        filters = {"logical_operator": "and", "conditions": [{"path": "id", "relation": "is", "values": [entity_id]}]}
        records, _ = self.page(entity_type, fields, filters, 1, 1, None, retired)
        return records[0] if records else None

    def count_records(self, entity_type: str, filters: Optional[dict] = None) -> int:
        """How many live records of ``entity_type`` match ``filters``: the ``entity_count`` of a one-record page."""
        params = read_params(entity_type, ["id"], filters, 1, 1)
        params.pop("return_paging_info_without_counts")
        params["return_paging_info"] = True
        return int(self.call("read", params)["paging_info"].get("entity_count") or 0)

    def entity_types(self) -> dict:
        """``schema_entity_read``: type -> its definition (display name...)."""
        if self._entities is None:
            self._entities = self.call("schema_entity_read", {})
        return self._entities

    def fields(self, entity_type: str) -> dict:
        """``schema_field_read`` of one type: field -> definition."""
        return self.call("schema_field_read", {"type": entity_type})

    def schema(self) -> dict:
        """``schema_read``: every type's fields (for "what links here")."""
        if self._schema is None:
            self._schema = self.call("schema_read", {})
        return self._schema


def prop(definition: dict, *keys: str) -> Any:
    """A value from a field definition: ``prop(d, "data_type")`` or ``prop(d, "properties", "valid_types")``."""
    node: Any = definition
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else None


def name_field(fields: dict) -> Optional[str]:
    """The field that names records of a type (``code``, ``name``...), if it has one."""
    return next((name for name in NAME_FIELDS if name in fields), None)
