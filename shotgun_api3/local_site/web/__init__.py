"""The site's read-only web pages at ``/``: see what a pipeline wrote, for a logged-in HumanUser.

``handles(path)`` says whether a path is a page; ``handle(site, request)``
answers it. Every page but the login form and the stylesheet needs a
session (:mod:`.login`); pages read through the engine's RPCs (:mod:`.reads`)
and render server-side HTML (:mod:`.markup`) with no JavaScript.
"""
from __future__ import annotations

import logging
import re
from importlib import resources
from typing import Any, Callable, Optional, Tuple
from urllib.parse import quote, urlencode

from ..http import Request, Response
from .event_page import event_page
from .login import handle_login, handle_logout, logged_in_user, redirect
from .markup import PAGE_HEADERS, csp_header, esc, page
from .reads import Reader
from .record_page import record_page
from .schema_page import schema_index, schema_type_page
from .table_pages import home_page, table_page

__all__ = ["handle", "handles"]

LOG = logging.getLogger("shotgun_api3")

_PREFIXES = ("/login", "/logout", "/static/", "/table/", "/detail/", "/events", "/schema")
_TYPE = r"([A-Za-z][A-Za-z0-9_]*)"
_STYLESHEET: list = []

Page = Callable[[Reader, Request, Tuple[str, ...]], Tuple[str, str, int, int]]


def handles(path: str) -> bool:
    """Whether ``path`` is one of the pages (the API and file routes are matched before)."""
    return path == "/" or path.startswith(_PREFIXES)


def _stylesheet() -> bytes:
    if not _STYLESHEET:
        _STYLESHEET.append(resources.files(__name__).joinpath("static/web.css").read_bytes())
    return _STYLESHEET[0]


def _with_refresh(answer: Tuple[str, str, int]) -> Tuple[str, str, int, int]:
    return answer + (0,)


_PAGES: list = [
    (re.compile(r"^/$"), lambda reader, request, groups: _with_refresh(home_page(reader, request.query) + (200,))),
    (re.compile(r"^/table/%s/?$" % _TYPE), lambda reader, request, groups: _with_refresh(
        table_page(reader, groups[0], request.query))),
    (re.compile(r"^/detail/%s/(\d{1,12})/?$" % _TYPE), lambda reader, request, groups: _with_refresh(
        record_page(reader, groups[0], int(groups[1])))),
    (re.compile(r"^/events/?$"), lambda reader, request, groups: event_page(reader, request.query)),
    (re.compile(r"^/schema/?$"), lambda reader, request, groups: _with_refresh(schema_index(reader))),
    (re.compile(r"^/schema/%s/?$" % _TYPE), lambda reader, request, groups: _with_refresh(
        schema_type_page(reader, groups[0]))),
]


def _find_page(path: str) -> Optional[Tuple[Page, Tuple[str, ...]]]:
    for pattern, render in _PAGES:
        match = pattern.match(path)
        if match:
            return render, match.groups()
    return None


def _html(site: Any, status: int, title: str, body: str, user: Optional[dict], refresh: int = 0) -> Response:
    return Response(status, PAGE_HEADERS + [csp_header(site.url)], page(title, body, user, refresh or None))


def handle(site: Any, request: Request) -> Response:
    """Answer one page request (read-only: GET and HEAD, plus the login and logout forms)."""
    path = request.path
    if path == "/login":
        return handle_login(site, request)
    if path == "/logout":
        return handle_logout(site, request)
    if path == "/static/web.css":
        return Response(200, [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "max-age=300"),
                              ("X-Content-Type-Options", "nosniff")], _stylesheet())
    user = logged_in_user(site, request)
    if user is None:
        if request.method in ("GET", "HEAD"):
            target = path + ("?" + urlencode(request.query, doseq=True) if request.query else "")
            return redirect("/login?next=" + quote(target, safe=""))
        return Response(401, [("Content-Type", "text/plain; charset=utf-8")], b"Log in first: POST /login\n")
    if request.method not in ("GET", "HEAD"):
        return Response(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                        b"These pages are read-only.\n")
    found = _find_page(path)
    if found is None:
        return _html(site, 404, "Not found", '<p class="error">No such page: %s</p>' % esc(path), user)
    render, groups = found
    reader = Reader(site, user)
    try:
        title, body, status, refresh = render(reader, request, groups)
    except site.fault_class as fault:
        message = str(fault.args[0]) if fault.args else "the site refused the read"
        return _html(site, 404, "Not found", '<p class="error">%s</p>' % esc(message), user)
    return _html(site, status, title, body, user, refresh)
