"""Thumbnails a site is still processing: the transient placeholder, then the final image.

A hosted site answers a freshly uploaded thumbnail's ``image`` with a
placeholder URL containing ``/images/status/transient/`` until it has made
its versions of the image, and logs an ``image`` Change event with
``meta.is_transient`` true, then another with false once the final URL is
in place (docs/site_facts.rst, Data types and Event log). Code
that waits for processing (the reference's own tests, publishing tools)
polls for the final URL.

The local site does the same when it is given a processing time: the upload
writes the placeholder and remembers the final URL in the site state; the
internal :data:`FINISH_THUMBNAILS` call (run by the site's timer, and when a
site opens, so a restart never leaves one pending) writes the final URLs.
"""
from __future__ import annotations

from typing import Any, Dict, List

from ..errors import EngineFault
from ..registry import rpc
from .internal import require_internal

#: Internal call that writes the final URL of every thumbnail whose processing is over.
FINISH_THUMBNAILS = "_files_finish_thumbnails"
#: Site state: ``[{"entity_type", "entity_id", "field", "url"}]`` of thumbnails still transient.
PENDING_STATE = "transient_thumbnails"
TRANSIENT_PATH = "/images/status/transient/thumbnail_pending.png"


class ThumbnailNotReady(EngineFault):
    """The thumbnail asked for is still the transient placeholder."""


def transient_url(site_url: str) -> str:
    """The placeholder a thumbnail field holds while the site processes the image."""
    return site_url + TRANSIENT_PATH


def is_transient(url: Any) -> bool:
    return isinstance(url, str) and "/images/status/transient/" in url


def set_transient(call: Any, entity_type: str, entity_id: int, field: str, final_url: str) -> None:
    """Point ``field`` at the placeholder (logged with ``is_transient`` true) and remember the final URL."""
    txn = call.txn
    txn.change_meta_extra = {"is_transient": True}
    try:
        txn.update(entity_type, entity_id, {field: transient_url(call.engine.site_url)}, method="upload",
                   validate=False)
    finally:
        txn.change_meta_extra = None
    pending = [entry for entry in call.engine.get_state(PENDING_STATE, []) or []
               if (entry["entity_type"], entry["entity_id"], entry["field"]) != (entity_type, entity_id, field)]
    pending.append({"entity_type": entity_type, "entity_id": entity_id, "field": field, "url": final_url})
    txn.set_state(PENDING_STATE, pending)


@rpc(FINISH_THUMBNAILS)
def finish_thumbnails(call: Any, params: Any) -> int:
    """Write the final URL of every pending thumbnail (logged with ``is_transient`` false); return how many."""
    require_internal(call)
    pending: List[Dict[str, Any]] = list(call.engine.get_state(PENDING_STATE, []) or [])
    if not pending:
        return 0
    finished = 0
    txn = call.txn
    for entry in pending:
        row = call.engine.row(entry["entity_type"], entry["entity_id"])
        # A record retired meanwhile, or given another image since, keeps what it has.
        if row is None or row.get("__retired") or not is_transient(row.get(entry["field"])):
            continue
        txn.change_meta_extra = {"is_transient": False}
        try:
            txn.update(entry["entity_type"], entry["entity_id"], {entry["field"]: entry["url"]}, method="upload",
                       validate=False)
        finally:
            txn.change_meta_extra = None
        finished += 1
    txn.set_state(PENDING_STATE, [])
    return finished
