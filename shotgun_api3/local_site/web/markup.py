"""HTML building blocks of the site's pages: escaping, the page frame, links and field values.

Every piece of text that reaches a page goes through :func:`esc` (stdlib
``html.escape``): record values, field names and error messages are user
data. URLs become ``href``/``src`` only when they are http(s) or a path on
this site (:func:`safe_url`), so a stored ``javascript:`` link stays text.
"""
from __future__ import annotations

import datetime
import html
import json
from typing import Any, Iterable, Mapping, Optional, Sequence
from urllib.parse import quote, urlencode, urlsplit

#: Headers of every page: no scripts, nothing framed, nothing cached, styles and images from here only.
PAGE_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
]
_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data: %s; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")


def esc(value: Any) -> str:
    """``value`` as text, escaped for HTML content and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def csp_header(site_url: str) -> tuple:
    """The Content-Security-Policy of the pages; images may also come from the site's public URL."""
    parts = urlsplit(site_url)
    origin = "%s://%s" % (parts.scheme, parts.netloc) if parts.scheme in ("http", "https") and parts.netloc else ""
    # The origin is the server's own configuration, but it must still not break out of the header.
    origin = "".join(ch for ch in origin if ch.isalnum() or ch in ":/.-[]")
    return ("Content-Security-Policy", _CSP % origin)


def safe_url(url: Any) -> Optional[str]:
    """``url`` if it may be a link target (http, https, or a path on this site), else None."""
    if not isinstance(url, str) or not url:
        return None
    if url.startswith("/") and not url.startswith("//") and not url.startswith("/\\"):
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    return None


def href(path: str, **params: Any) -> str:
    """A local URL with its query string; empty and None parameters are left out."""
    query = urlencode([(k, v) for k, v in params.items() if v not in (None, "", False)])
    return path + ("?" + query if query else "")


def record_path(entity_type: Any, entity_id: Any) -> str:
    return "/detail/%s/%s" % (quote(str(entity_type), safe=""), quote(str(entity_id), safe=""))


def link(url: str, text: Any, css: str = "") -> str:
    return '<a href="%s"%s>%s</a>' % (esc(url), ' class="%s"' % esc(css) if css else "", esc(text))


def entity_link(value: Mapping[str, Any]) -> str:
    """A link to a record page from an entity dict ``{type, id, name}``."""
    name = value.get("name")
    shown = name if name not in (None, "") else "%s %s" % (value.get("type"), value.get("id"))
    return '<a href="%s" title="%s %s">%s</a>' % (esc(record_path(value.get("type"), value.get("id"))),
                                                  esc(value.get("type")), esc(value.get("id")), esc(shown))


def _is_link(value: Any) -> bool:
    return isinstance(value, dict) and "type" in value and "id" in value and "url" not in value


def plain_text(value: Any) -> str:
    """A value as one line of text (not escaped)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        return value.strftime("%Y-%m-%d %H:%M:%S") + (" UTC" if value.tzinfo is not None else "")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=plain_text, ensure_ascii=False, sort_keys=True)
    return str(value)


def value_html(value: Any, data_type: str = "") -> str:
    """A field value as HTML: links as links, files downloadable, thumbnails shown, the rest as escaped text."""
    if value is None or value == "" or value == []:
        return '<span class="none">-</span>'
    if _is_link(value):
        return entity_link(value)
    if isinstance(value, list) and value and all(_is_link(item) for item in value):
        return ", ".join(entity_link(item) for item in value)
    if isinstance(value, dict) and "url" in value or data_type == "url" and isinstance(value, dict):
        return file_html(value)
    if data_type == "image" and isinstance(value, str):
        url = safe_url(value)
        if url is not None:
            return '<a href="%s"><img class="thumb" src="%s" alt="thumbnail"></a>' % (esc(url), esc(url))
    if isinstance(value, bool):
        return "&#10003;" if value else "&#10007;"
    return esc(plain_text(value))


def file_html(value: Mapping[str, Any]) -> str:
    """An url field (uploaded file, web link or local path)."""
    shown = value.get("name") or value.get("local_path") or value.get("url") or ""
    url = safe_url(value.get("url"))
    kind = value.get("link_type") or ""
    text = esc(shown) + (' <span class="kind">(%s)</span>' % esc(kind) if kind else "")
    content_type = str(value.get("content_type") or "")
    if url is None:
        return text
    preview = ""
    if content_type.startswith("image/"):
        preview = '<br><img class="thumb" src="%s" alt="%s">' % (esc(url), esc(shown))
    return '<a href="%s" download>%s</a>%s' % (esc(url), text, preview)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "grid") -> str:
    """A table from escaped header texts (escaped here) and cells that are HTML already."""
    head = "".join("<th>%s</th>" % cell for cell in headers)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % cell for cell in row) for row in rows)
    return '<table class="%s"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (esc(css), head, body)


def page(title: str, body: str, user: Optional[Mapping[str, Any]] = None, refresh: Optional[int] = None) -> bytes:
    """A whole page: head, navigation (with logout when someone is logged in), ``body`` (HTML)."""
    meta = '<meta http-equiv="refresh" content="%d">' % refresh if refresh else ""
    nav = ""
    if user is not None:
        nav = ('<nav><a href="/">Projects</a> <a href="/events">Event log</a> <a href="/schema">Schema</a>'
               '<form method="post" action="/logout" class="logout"><span>%s</span> '
               '<button type="submit">Log out</button></form></nav>' % esc(user.get("name") or user.get("login")))
    document = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">%s<title>%s - local site</title>'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="stylesheet" href="/static/web.css"></head><body>%s<main><h1>%s</h1>%s</main>'
                '</body></html>' % (meta, esc(title), nav, esc(title), body))
    return document.encode("utf-8")
