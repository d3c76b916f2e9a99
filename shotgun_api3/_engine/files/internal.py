"""The file-bookkeeping RPCs only a host calls: the local site's upload routes and mockgun, never a client.

A client could otherwise send ``_files_link_upload`` and record a file it never
uploaded; these RPCs answer only a call context made by :func:`files_context`.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from ..context import CallContext
from ..errors import EngineFault

_INTERNAL = object()


def files_context(context: Optional[CallContext]) -> CallContext:
    """A copy of ``context`` that the file bookkeeping handlers accept."""
    base = context or CallContext()
    extra = dict(base.extra or {})
    extra["files"] = _INTERNAL
    return dataclasses.replace(base, extra=extra)


def require_internal(call: Any) -> None:
    extra = call.context.extra or {}
    if extra.get("files") is not _INTERNAL:
        raise EngineFault("Unknown method: %r" % call.method_name)
