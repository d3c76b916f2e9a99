"""Every module that answers RPCs, imported once: importing one registers its ``@rpc`` handlers.

A new RPC is a function decorated with ``@rpc("method_name")`` in the room
it belongs to; a new module of handlers is one more import line here.
"""
from __future__ import annotations

from .files import attachments, thumbnails  # noqa: F401
from .query import read  # noqa: F401
from .rpcs import (  # noqa: F401
    activity_stream,
    export_page,
    follows,
    info,
    navigation,
    note_threads,
    preferences,
    text_search,
    work_schedule,
)
from .schema import schema_rpcs  # noqa: F401
from .summary import summarize  # noqa: F401
from .write import record_rpcs  # noqa: F401
