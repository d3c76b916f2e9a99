"""``export_page``: a Page's records as CSV text, the one answer a site sends that is not JSON.

The answer is a ``str``; the HTTP layer of the local site sends it with a
``text/csv`` content type, so the real client hands its caller the raw body
(bytes), and mockgun does the same.
"""
from __future__ import annotations

import csv
import io
from typing import Any, List

from ..errors import EngineFault
from ..registry import params_object, rpc

#: Content type the HTTP layer answers export_page with.
CONTENT_TYPE = "text/csv; charset=utf-8"


def _columns(call: Any, entity_type: str) -> List[str]:
    display = call.env.schema.display_field(entity_type)
    return ["id"] + ([display] if display and display != "id" else [])


def _label(call: Any, entity_type: str, field: str) -> str:
    definition = (call.env.schema.fields.get(entity_type) or {}).get(field) or {}
    return (definition.get("name") or {}).get("value") or field


@rpc("export_page")
def export_page(call: Any, params: Any) -> str:
    """The live records of a named Page's entity type (in its project, if it has one) as CSV: id and display name."""
    params = params_object(params, "export_page")
    if not params.get("format"):
        raise EngineFault("'format' missing")
    if params.get("page_id") is None:
        raise EngineFault("'page_id' missing")
    if params["format"] != "csv":
        raise EngineFault("Export format %r is not supported, only 'csv'" % (params["format"],))
    page = call.engine.row("Page", params["page_id"])
    entity_type = page.get("entity_type") if page is not None and not page.get("__retired") else None
    # A Page made with only an entity type (no name) is no page the site lists
    # and has no layout to export: hosted sites refuse it the same way.
    if not entity_type or not call.env.schema.has_type(entity_type) or not page.get("name"):
        raise EngineFault("Export for Page id=%s not available" % (params["page_id"],))
    columns = _columns(call, entity_type)
    project = page.get("project")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_label(call, entity_type, column) for column in columns])
    for row in sorted(call.engine.rows(entity_type), key=lambda row: row["id"]):
        if isinstance(project, dict) and (row.get("project") or {}).get("id") != project.get("id"):
            continue
        writer.writerow(["" if row.get(column) is None else row.get(column) for column in columns])
    return out.getvalue()
