"""The JSON RPC route (``POST .../api3/json``): decode, authenticate, call the engine, encode.

Like a site, every answer is status 200 with a JSON body; errors are
``{"exception": true, "message": ..., "error_code": ...}`` so the client
raises the same exception class it would raise for a hosted site.
"""
from __future__ import annotations

import datetime
import json
import logging
import re
from typing import Any, Optional

from .._engine import host_rpcs
from .._engine.rpcs.export_page import CONTENT_TYPE as EXPORT_CONTENT_TYPE
from .._engine.param_checks import check_params
from .auth import AuthError
from .http import Request, Response

LOG = logging.getLogger("shotgun_api3")

_JSON_HEADERS = [("Content-Type", "application/json; charset=utf-8")]
_UTC = datetime.timezone.utc


def _wire_value(value: Any) -> Any:
    """JSON fallback for engine values: datetimes as UTC wire strings, dates as ISO dates."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    raise TypeError("cannot send a value of type %s" % type(value).__name__)


# One encoder for the life of the process: json.dumps with keyword arguments
# would build a new one on every answer. Default separators, like a site.
_ENCODER = json.JSONEncoder(default=_wire_value)


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's decoder takes them unless told not to.
    raise ValueError("%s is not a JSON value" % name)


_decode = json.JSONDecoder(parse_constant=_no_constant).decode
_INFINITIES = (float("inf"), float("-inf"))


class _NumberTooLarge(Exception):
    """A number too large for a float: ``_decode`` reads ``1e400`` as infinity, ``_decode_finite`` stops."""


def _finite_float(text: str) -> float:
    value = float(text)
    if value in _INFINITIES:
        raise _NumberTooLarge(text)
    return value


_decode_finite = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float).decode
# A \u escape of a surrogate: only then can the decoded text hold a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a string in ``value`` holds a lone surrogate (not valid Unicode, so it cannot be stored or sent)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item.__class__ is str:
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif item.__class__ is list:
            stack.extend(item)
        elif item.__class__ is dict:
            stack.extend(item)
            stack.extend(item.values())
    return False


def json_response(answer: Any, extra_headers: Optional[list] = None) -> Response:
    """A 200 answer carrying ``answer`` as JSON."""
    headers = _JSON_HEADERS if not extra_headers else _JSON_HEADERS + extra_headers
    return Response(200, headers, _ENCODER.encode(answer).encode("utf-8"))


def fault_response(message: str, error_code: Optional[int] = None) -> Response:
    """An error answer in the site's shape; the client raises by ``error_code``."""
    answer = {"exception": True, "message": message}
    if error_code is not None:
        answer["error_code"] = error_code
    return json_response(answer)


class RpcError(Exception):
    """A request that cannot be turned into an engine call (bad JSON, bad envelope)."""


def parse_envelope(body: bytes, decode: Any = _decode) -> tuple:
    """Return ``(method_name, params list)`` from a request body, or raise RpcError."""
    try:
        payload = decode(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RpcError("Malformed request: the body is not UTF-8 text.") from None
    except ValueError as error:
        raise RpcError("Malformed JSON in the request body: %s" % error) from None
    except RecursionError:
        raise RpcError("Malformed request: the JSON is nested too deeply.") from None
    if _SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(payload):
        raise RpcError("Malformed request: a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), "
                       "which is not valid Unicode.")
    if not isinstance(payload, dict):
        raise RpcError("Malformed request: the body must be a JSON object with method_name and params.")
    method = payload.get("method_name")
    if not isinstance(method, str) or not method:
        raise RpcError("Malformed request: method_name must be a non-empty string.")
    params = payload.get("params", [])
    if params is None:
        params = []
    if not isinstance(params, list):
        raise RpcError("Malformed request: params must be a JSON array.")
    return method, params


def handle_rpc(site, request: Request) -> Response:
    """Serve one ``POST /api3/json`` request for ``site``."""
    if request.method != "POST":
        return Response(405, [("Allow", "POST"), ("Content-Type", "text/plain")], b"use POST for the JSON API\n")
    if request.content_length > site.max_request_bytes:
        return fault_response("Request too large: %d bytes, the limit of this site is %d bytes."
                              % (request.content_length, site.max_request_bytes))
    body = request.body.read()
    all_finite = True
    try:
        try:
            method, params = parse_envelope(body, _decode_finite)
        except _NumberTooLarge:
            all_finite = False
            method, params = parse_envelope(body)
    except RpcError as error:
        return fault_response(str(error))

    if method in host_rpcs.NO_CREDENTIALS:
        return json_response(host_rpcs.answer(site, method, None))
    if not params:
        return fault_response("Authentication failed: the first RPC param must be the auth dict.", 102)
    try:
        context = site.authenticate(params[0], request.client_address)
    except AuthError as error:
        return fault_response(error.message, error.error_code)

    if method in host_rpcs.HOST_ANSWERED:
        results = host_rpcs.answer(site, method, context)
        token = results.get("session_id") if method == "get_session_token" else None
        cookie = [("Set-Cookie", "_session_id=%s; Path=/; HttpOnly" % token)] if token else None
        return json_response({"results": results}, cookie)
    method_params = params[1] if len(params) > 1 else None
    # Exact JSON data, none of it stored otherwise than as it is: NaN and Infinity are refused
    # by the decoder, but 1e400 reads as infinity; a key named like a stored row's tag ("$dt")
    # is "$..." in the text, or escaped.
    context.params_from_json = all_finite and b'"$' not in body and b"\\u0024" not in body
    try:
        check_params(method, method_params)
        results = site.call(method, method_params, context)
    except site.fault_class as fault:
        return fault_response(str(fault.args[0]) if fault.args else "Unknown Error",
                              getattr(fault, "error_code", None))
    except Exception:
        # A bug, not a bad request: keep serving, tell the client plainly,
        # and log the traceback (params are not logged: they may hold secrets).
        LOG.exception("local site: %s failed with an internal error", method)
        return fault_response("Internal error in the local site while running %s; see the server log." % method)
    body = host_rpcs.raw_body(method, results)
    if body is not None:
        return Response(200, [("Content-Type", EXPORT_CONTENT_TYPE)], body)
    try:
        return json_response({"results": results})
    except (TypeError, ValueError):
        LOG.exception("local site: the answer of %s could not be encoded", method)
        return fault_response("Internal error in the local site: the answer of %s could not be encoded." % method)
