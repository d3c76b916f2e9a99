"""The RPC pipeline of ``Shotgun``: payload, auth dict, status handling, decoding, unwrapping.

``_call_rpc(method, params)`` is the one door every API method goes through.
It hands the call to the client's RPC transport: the wire by default (the
steps below, then HTTP with the retry policy of ``_retry``), or an
in-process transport (``_rpc_transport``, which mockgun sets) taking and
answering Python values. Each wire step is a method of its own because test
rigs and subclasses replace single steps; the fast encoding and decoding
paths are taken only while none of the steps they stand for is replaced.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from . import _retry, _transforms
from ._call import RpcCall
from ._capabilities import version_gate
from ._connection import WRITE_NOT_RESENT, _url
from ._errors import ProtocolError, ShotgunError, fault_for_answer, write_outcome_unknown

LOG = logging.getLogger("shotgun_api3")

_MAINTENANCE_TEXT = (
    "Flow Production Tracking is currently down for maintenance or too busy to reply. Please try again later."
)
_SANITIZED_KEYS = ("user_password", "script_key", "session_token")
# What json.dumps(payload, ensure_ascii=False) uses, made once instead of per call.
_PAYLOAD_ENCODER = json.JSONEncoder(ensure_ascii=False)


class MalformedAnswerError(ShotgunError, ValueError):
    """Raised when the site's answer is not the JSON the call expects."""


class RpcMethods:
    """The request/answer pipeline shared by every API method."""

    #: ``None``: RPCs go over the wire. Otherwise an object whose ``handle_rpc(method, params)`` answers
    #: each call in process with Python values, as ``{"results": ...}`` or as a site's error raised.
    _rpc_transport: Any = None

    def _call_rpc(self, method: str, params: Any, include_auth_params: bool = True, first: bool = False) -> Any:
        """Make one RPC: hand it to the transport, check and decode the answer, unwrap ``results``."""
        LOG.debug("Starting rpc call to %s with params %s", method, params)
        slot = self._thread_slot()
        if slot is not None:
            slot.fast_answer = None
        transport = self._rpc_transport
        if transport is None:
            response, fast_body = self._wire_rpc(method, params, include_auth_params)
        else:
            response, fast_body = transport.handle_rpc(method, params), None
        if isinstance(response, dict) and "results" in response:
            response = response["results"]
            if first and isinstance(response, list):
                response = response[0] if response else None
        if fast_body is not None and slot is not None:
            # Lets find() skip _parse_records when the body proves it has nothing to do.
            slot.fast_answer = (response, fast_body)
        return response

    def _wire_rpc(self, method: str, params: Any, include_auth_params: bool) -> tuple:
        """Send one RPC over HTTP: ``(decoded answer, body when the fast path decoded it, else None)``."""
        if self._seam_is_default("_transform_outbound") and self._seam_is_default("_build_payload") and (
                self._seam_is_default("_encode_payload")):
            payload = self._build_payload(method, params, include_auth_params=include_auth_params)
            encoded_payload = _transforms.encode_outbound(payload, self.config.convert_datetimes_to_utc)
        else:
            params = self._transform_outbound(params)
            payload = self._build_payload(method, params, include_auth_params=include_auth_params)
            encoded_payload = self._encode_payload(payload)
        request_headers = {"content-type": "application/json; charset=utf-8", "connection": "keep-alive"}
        if self.config.localized is True:
            request_headers["locale"] = "auto"

        call = RpcCall(method, _retry.is_write(method))
        try:
            status, response_headers, body = self._send_rpc(call, encoded_payload, request_headers)
        except Exception as error:
            if call.write and _retry.may_have_been_applied(error, call.sent):
                config = self.config
                raise write_outcome_unknown(error, method, _entity_type_of(params),
                                            _url(config.scheme, config.server, config.api_path)) from None
            raise
        return self._decode_checked(method, response_headers, body)

    def _send_rpc(self, call: RpcCall, encoded_payload: bytes, request_headers: dict) -> tuple:
        """Send the request, sending it again while the retry policy says so, then check the status."""
        slot = self._thread_slot()
        outer = None if slot is None else getattr(slot, "call", None)
        if slot is not None:
            slot.call = call  # _make_call's signature is the reference's: the call rides on the thread slot
        try:
            while True:
                call.attempt += 1
                http_status, response_headers, body = self._make_call(
                    "POST", self.config.api_path, encoded_payload, request_headers
                )
                code = http_status[0]
                delay = _retry.status_retry_delay(code, call.attempt, call.write, self.MAX_ATTEMPTS, self.BACKOFF,
                                                  response_headers)
                if delay is None:
                    if call.write and code in _retry.GATEWAY_STATUSES:
                        http_status = (code, "%s. %s" % (http_status[1], WRITE_NOT_RESENT))
                    break
                LOG.debug("Got HTTP %s from the site, attempt %d of %d: retrying in %.2f seconds",
                          code, call.attempt, self.MAX_ATTEMPTS, delay)
                time.sleep(delay)
        finally:
            if slot is not None:
                slot.call = outer
        LOG.debug("Completed rpc call to %s", call.method)
        if http_status[0] == 403:
            http_status = (403, "%s: %s" % (http_status[1], body))
        try:
            self._parse_http_status(http_status)
        except ProtocolError as error:
            error.headers = response_headers
            raise
        return http_status, response_headers, body

    def _decode_checked(self, method: str, response_headers: dict, body: Any) -> tuple:
        """Decode the body, raise site errors, convert date-times (in one C pass when the seams are ours).

        Returns ``(answer, body)`` when the fast path decoded it, else ``(answer, None)``.
        """
        fast = (
            isinstance(body, bytes)
            and body[:4].count(b"\x00") == 0
            and self._seam_is_default("_decode_response")
            and self._seam_is_default("_json_loads")
            and self._seam_is_default("_transform_inbound")
            and _is_json(response_headers)
        )
        if fast:
            decoded, response = _transforms.decode_json_converting_datetimes(body, self.config.convert_datetimes_to_utc)
            if decoded:
                self._response_errors(response)
                return response, body
        try:
            response = self._decode_response(response_headers, body)
        except (ValueError, UnicodeDecodeError) as error:
            raise MalformedAnswerError(
                "The site answered %s with a body that is not valid JSON (%s): %r"
                % (method, error, _preview(body))
            ) from error
        self._response_errors(response)
        return self._transform_inbound(response), None

    def _seam_is_default(self, name: str) -> bool:
        """Whether a pipeline step is still ours (not replaced on the class or the instance)."""
        return name not in self.__dict__ and getattr(type(self), name) is _DEFAULT_STEPS[name]

    def _build_payload(self, method: str, params: Any, include_auth_params: bool = True) -> dict:
        """Return ``{"method_name": method, "params": [auth, params]}``; empty params are left out."""
        if not method:
            raise ValueError("method is empty")
        call_params = []
        if include_auth_params:
            call_params.append(self._auth_params())
        if params:
            call_params.append(params)
        return {"method_name": method, "params": call_params}

    def _encode_payload(self, payload: Any) -> bytes:
        """Serialise a payload as UTF-8 JSON with non-ASCII characters left as they are."""
        return _PAYLOAD_ENCODER.encode(payload).encode("utf-8")

    def _decode_response(self, headers: dict, body: Any) -> Any:
        """Decode a JSON body (by content type); other bodies (CSV exports...) are returned as they are."""
        if not body:
            return body
        content_type = (headers.get("content-type") or "application/json").lower()
        if content_type.startswith("application/json") or content_type.startswith("text/javascript"):
            return self._json_loads(body)
        return body

    def _json_loads(self, body: Any) -> Any:
        """Decode JSON text (``str`` or ``bytes``)."""
        return json.loads(body)

    def _response_errors(self, sg_response: Any) -> None:
        """Raise the matching ``Fault`` when the answer is an error answer."""
        if isinstance(sg_response, dict) and sg_response.get("exception"):
            raise fault_for_answer(sg_response)

    def _parse_http_status(self, status: tuple) -> None:
        """Raise ``ProtocolError`` for a status of 300 or more."""
        code, reason = status
        if code >= 300:
            headers = "HTTP error from server"
            if code == 503:
                reason = _MAINTENANCE_TEXT
            raise ProtocolError(self.config.server, code, reason, headers)

    def _transform_outbound(self, data: Any) -> Any:
        """Copy ``data`` converting date, time and datetime values to wire strings."""
        return _transforms.transform_outbound(data, self.config.convert_datetimes_to_utc)

    def _transform_inbound(self, data: Any) -> Any:
        """Convert every wire date-time string in a decoded answer into a ``datetime``."""
        return _transforms.transform_inbound(data, self.config.convert_datetimes_to_utc)

    def _visit_data(self, data: Any, visitor: Any) -> Any:
        """Copy lists, tuples and dicts recursively, replacing each leaf by ``visitor(leaf)``; falsy values stay."""
        if not data:
            return data
        if isinstance(data, dict):
            return {key: self._visit_data(value, visitor) for key, value in data.items()}
        if isinstance(data, list):
            return [self._visit_data(value, visitor) for value in data]
        if isinstance(data, tuple):
            return tuple(self._visit_data(value, visitor) for value in data)
        return visitor(data)

    def _auth_params(self) -> dict:
        """Build the credentials dict sent first in every authenticated RPC."""
        config = self.config
        slot = self._thread_slot()
        user_login, user_password, auth_token = getattr(slot, "human_credentials", None) or (
            config.user_login, config.user_password, config.auth_token)
        if user_login and user_password:
            auth = {"user_login": str(user_login), "user_password": str(user_password)}
            if auth_token:
                auth["auth_token"] = str(auth_token)
        elif config.script_name and config.api_key:
            auth = {"script_name": str(config.script_name), "script_key": str(config.api_key)}
        elif config.session_token:
            version_gate(self.server_caps, (5, 3, 0), "Session token based authentication")
            auth = {"session_token": str(config.session_token)}
            if self.server_caps.version > (5, 4, 3):
                auth["reject_if_expired"] = True
        else:
            raise ValueError("invalid auth params")
        if config.session_uuid:
            auth["session_uuid"] = config.session_uuid
        if config.sudo_as_login:
            version_gate(self.server_caps, (5, 3, 12), "Option 'sudo_as_login'")
            auth["sudo_as_login"] = config.sudo_as_login
        if config.extra_auth_params:
            auth.update(config.extra_auth_params)
        return auth

    def _sanitize_auth_params(self, params: dict) -> dict:
        """Return a copy of an auth dict with secrets masked, for logging."""
        sanitized = dict(params)
        for key in _SANITIZED_KEYS:
            if key in sanitized:
                sanitized[key] = "********"
        return sanitized


_DEFAULT_STEPS = {
    name: RpcMethods.__dict__[name]
    for name in ("_decode_response", "_json_loads", "_transform_inbound", "_transform_outbound", "_build_payload",
                 "_encode_payload")
}


def _entity_type_of(params: Any) -> Any:
    """The entity type a write names (for a batch, its requests' types joined with ", "), or ``None``."""
    if isinstance(params, dict):
        entity_type = params.get("type") or params.get("entity_type")
        if entity_type is None and isinstance(params.get("entity"), dict):
            entity_type = params["entity"].get("type")
        return entity_type if isinstance(entity_type, str) else None
    if isinstance(params, list):
        types: list = []
        for call in params:
            entity_type = call.get("type") if isinstance(call, dict) else None
            if isinstance(entity_type, str) and entity_type not in types:
                types.append(entity_type)
        return ", ".join(types) or None
    return None


def _is_json(headers: dict) -> bool:
    content_type = (headers.get("content-type") or "application/json").lower()
    return content_type.startswith("application/json") or content_type.startswith("text/javascript")


def _preview(body: Any) -> Any:
    return body[:200] if isinstance(body, (bytes, str)) else body
