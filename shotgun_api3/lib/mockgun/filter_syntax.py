"""Filter lists mockgun refuses before the client translates them, in the reference mockgun's words.

The real client would refuse the same filters with its own messages; rigs
written against the reference mockgun match on that mockgun's messages, so
mockgun's ``find`` checks the syntax first and answers with those.
"""
from __future__ import annotations

from typing import Any

from shotgun_api3._errors import ShotgunError
from shotgun_api3._filters import _LOGICAL_OPERATORS


def check_filter_syntax(filters: Any) -> None:
    """Raise ``ShotgunError`` for an item that is neither a condition list nor a well-formed group dict."""
    if not isinstance(filters, (list, tuple)):
        return  # Not a filter list at all: the client's own check answers.
    for item in filters:
        if isinstance(item, (list, tuple)):
            continue
        if not isinstance(item, dict):
            raise ShotgunError("Filters can only be lists or dictionaries, not %s." % type(item).__name__)
        if "filter_operator" not in item or "filters" not in item:
            raise ShotgunError("Bad filter operator, requires keys 'filter_operator' and 'filters', found %s"
                               % ", ".join(str(key) for key in item))
        if item["filter_operator"] not in _LOGICAL_OPERATORS:
            raise ShotgunError("Unknown filter_operator type: %s" % (item["filter_operator"],))
        check_filter_syntax(item["filters"])
