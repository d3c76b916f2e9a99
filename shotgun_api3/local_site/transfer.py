"""File routes of the local site (uploads, storage, downloads, thumbnails).

Owned by the file-transfer work; until it lands the server has no file routes.
Each route is ``(HTTP method, path prefix, handler(site, request) -> Response)``.
"""
from __future__ import annotations

ROUTES: list = []
