"""Logging in to the pages: the site's own password check, a session cookie, logout.

Only a HumanUser logs in, with the login and password the site's accounts
hold (``site.authenticate``: the same check and the same throttling as the
API). The session is the site's own (``site.open_session``), carried in the
``_session_id`` cookie file downloads already accept; it is ``HttpOnly`` and
``SameSite=Lax``, so no script reads it and no other site's form posts with
it. Login and logout are POST only and refuse a foreign ``Origin``.
"""
from __future__ import annotations

import logging
from typing import Any, Optional
from urllib.parse import quote, urlsplit

from ..auth import TWO_FACTOR_MISSING, AuthError, digest
from ..form_data import FormError, read_urlencoded
from ..http import Request, Response
from .markup import PAGE_HEADERS, csp_header, esc, page

LOG = logging.getLogger("shotgun_api3")

COOKIE = "_session_id"
#: The largest login form read.
MAX_FORM_BYTES = 16 * 1024


def logged_in_user(site: Any, request: Request) -> Optional[dict]:
    """The HumanUser link (with ``name`` and ``login``) of the request's session cookie, or None."""
    context = site.session_from_cookie(request.cookies)
    if context is None or not isinstance(context.user, dict) or context.user.get("type") != "HumanUser":
        return None  # a script's session token is not a login to the pages
    user = {"type": "HumanUser", "id": context.user["id"]}
    login = next((name for name, account in site.accounts.users.items() if account.entity_id == user["id"]), None)
    user["login"] = user["name"] = login
    return user


def safe_next(target: Any) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(ord(ch) < 32 for ch in target):
        return "/"
    if urlsplit(target).netloc:
        return "/"
    # Percent-encoded where needed: a Location header carries ASCII only.
    return quote(target, safe="/?&=%:;,+@!$'()*~-._")


def same_origin(site: Any, request: Request) -> bool:
    """Whether a form post comes from the site's own pages (or says nothing about where it comes from)."""
    origin = request.headers.get("origin")
    if not origin:
        return True  # not a browser's cross-site post: those always say where they come from
    host = request.headers.get("host", "")
    parts = urlsplit(origin)
    return parts.netloc == host or origin.rstrip("/") == site.url.rstrip("/")


def _secure(site: Any) -> str:
    return "; Secure" if str(site.url).startswith("https:") else ""


def redirect(location: str, extra: Optional[list] = None) -> Response:
    return Response(303, [("Location", location), ("Cache-Control", "no-store")] + (extra or []), b"")


def login_form(site: Any, message: str = "", target: str = "/", status: int = 200, login: str = "") -> Response:
    error = '<p class="error">%s</p>' % esc(message) if message else ""
    body = ('%s<form method="post" action="/login" class="login">'
            '<input type="hidden" name="next" value="%s">'
            '<label>Login <input name="login" value="%s" autocomplete="username" required autofocus></label>'
            '<label>Password <input name="password" type="password" autocomplete="current-password" required>'
            '</label><label>Two-factor code (if turned on) <input name="auth_token" autocomplete="one-time-code">'
            '</label><button type="submit">Log in</button></form>'
            '<p class="hint">People (HumanUser) log in with the login and password of the site '
            '(<code>shotgun-local-site add-user</code>); script keys do not open these pages.</p>'
            % (error, esc(safe_next(target)), esc(login)))
    return Response(status, PAGE_HEADERS + [csp_header(site.url)], page("Log in", body))


def handle_login(site: Any, request: Request) -> Response:
    """``GET /login`` shows the form; ``POST /login`` checks it and opens a session."""
    target = safe_next((request.query.get("next") or ["/"])[0])
    if request.method in ("GET", "HEAD"):
        if logged_in_user(site, request) is not None:
            return redirect(target)
        return login_form(site, target=target)
    if request.method != "POST":
        return Response(405, [("Allow", "GET, POST")], b"")
    if not same_origin(site, request):
        return login_form(site, "This form was sent from another site.", status=403)
    try:
        form = read_urlencoded(request.body, min(request.content_length, MAX_FORM_BYTES))
    except FormError:
        return login_form(site, "The form could not be read.", status=400)
    target = safe_next(form.get("next", "/"))
    login = form.get("login", "")
    auth = {"user_login": login, "user_password": form.get("password", "")}
    if form.get("auth_token"):
        auth["auth_token"] = form["auth_token"]
    try:
        context = site.authenticate(auth, request.client_address)
    except AuthError as error:
        LOG.info("local site pages: a login as %r was refused", login)
        message = error.message if error.error_code == TWO_FACTOR_MISSING or "locked" in error.message \
            else "Login or password is not valid."
        return login_form(site, message, target, 401, login)
    if not isinstance(context.user, dict) or context.user.get("type") != "HumanUser":
        return login_form(site, "Only people (HumanUser) log in to these pages.", target, 403, login)
    token = site.open_session(context)
    cookie = "%s=%s; Path=/; HttpOnly; SameSite=Lax%s" % (COOKIE, token, _secure(site))
    return redirect(target, [("Set-Cookie", cookie)])


def handle_logout(site: Any, request: Request) -> Response:
    """``POST /logout`` ends the session and clears the cookie."""
    if request.method != "POST":
        return Response(405, [("Allow", "POST")], b"")
    if not same_origin(site, request):
        return Response(403, [("Content-Type", "text/plain; charset=utf-8")], b"Forbidden\n")
    token = request.cookies.get(COOKIE)
    if token:
        site.accounts.forget_session(digest(token))
    cookie = "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s" % (COOKIE, _secure(site))
    return redirect("/login", [("Set-Cookie", cookie)])
