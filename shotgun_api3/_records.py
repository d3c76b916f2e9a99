"""Post-processing of records returned by reads and writes (``_parse_records``)."""
from __future__ import annotations

from typing import Any

from ._errors import ShotgunError

# Substrings whose absence from an answer body proves ``_parse_records`` has
# nothing to change: "&lt;" (maybe JSON-escaped as \u0026lt;) and the
# "local" link type.
_RECORD_MARKERS = (b"&lt;", b"\\u0026", b"local")


# Exact value types in which ``_parse_records`` fixes nothing but an "&lt;" in a string.
_FLAT_TYPES = frozenset((str, int, float, bool, type(None)))


class RecordMethods:
    """Record clean-up: ``&lt;`` in strings, local file paths, thumbnail URLs of old servers."""

    def _parse_records(self, records: Any) -> list:
        """Return ``records`` as a list, each dict record fixed up in place (one level deep)."""
        if not records:
            return []
        if records.__class__ is dict and "image" not in records and _FLAT_TYPES.issuperset(map(type, records.values())):
            # One record of plain values (what create and update answer): only
            # an "&lt;" in one of its strings would need fixing.
            for value in records.values():
                if value.__class__ is str and "&lt;" in value:
                    break
            else:
                return [records]
        if not isinstance(records, (list, tuple)):
            records = [records]
        elif isinstance(records, tuple):
            records = list(records)
        local_path_field = self.client_caps.local_path_field
        old_server = None
        for record in records:
            if not isinstance(record, dict):
                continue
            for key, value in record.items():
                if not value:
                    continue
                if isinstance(value, str):
                    if "&lt;" in value:
                        value = record[key] = value.replace("&lt;", "<")
                    if key != "image":
                        continue  # only an image URL string needs more than the &lt; fix
                if key == "image":
                    if old_server is None:
                        old_server = not self.server_caps.ensure_return_image_urls_support()
                    if old_server:
                        record[key] = self._build_thumb_url(record["type"], record["id"])
                        continue
                if isinstance(value, dict) and value.get("link_type") == "local" and local_path_field in value:
                    value["local_path"] = value[local_path_field]
                    value["url"] = "file://%s" % (value[local_path_field] or "")
        return records

    def _records_need_parsing(self, answer: Any, server_caps_known: bool = True) -> bool:
        """Whether ``_parse_records`` could change the records of the answer just received.

        True unless the last answer on this thread (kept on the client's
        thread slot by ``_call_rpc``) was decoded by the fast path from a
        body without any marker, ``_parse_records`` is ours, and the server
        returns thumbnail URLs itself. A caller that has not needed the
        server's capabilities yet (a write may be a client's first call)
        passes ``server_caps_known=False``: an ``"image"`` key then means
        True, rather than an ``info`` request that ``_parse_records`` might
        not have made.
        """
        if "_parse_records" in self.__dict__ or type(self)._parse_records is not RecordMethods._parse_records:
            return True
        slot = self._thread_slot()
        fast_answer = getattr(slot, "fast_answer", None)
        if fast_answer is not None:
            slot.fast_answer = None  # read once; do not keep the page alive
        if fast_answer is None or fast_answer[0] is not answer:
            return True
        body = fast_answer[1]
        if b'"image"' in body and (not server_caps_known or not self.server_caps.ensure_return_image_urls_support()):
            return True
        return any(marker in body for marker in _RECORD_MARKERS)

    def _build_thumb_url(self, entity_type: str, entity_id: int) -> str:
        """Ask an old (< 3.3.0) server for the URL of an entity's thumbnail."""
        path = "/upload/get_thumbnail_url?entity_type=%s&entity_id=%s" % (entity_type, entity_id)
        _status, _headers, body = self._make_call("GET", path, None, None)
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        code, _, rest = (body or "").partition("\n")
        code = code.strip()
        if code == "1":
            return "%s://%s%s" % (self.config.scheme, self.config.server, rest.strip())
        if code == "0":
            raise ShotgunError(rest.strip())
        raise RuntimeError("Unexpected answer when asking for the thumbnail URL: %r" % (body,))
