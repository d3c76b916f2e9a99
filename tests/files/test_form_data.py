"""The local site reads upload forms incrementally and refuses malformed ones."""
from __future__ import annotations

import io

import pytest

from shotgun_api3._files.forms import multipart_segments, stream_segments
from shotgun_api3.local_site import form_data
from shotgun_api3.local_site.form_data import (FormError, MultipartReader, multipart_boundary, parse_disposition,
                                               read_text, read_urlencoded)
from shotgun_api3.local_site.signed_urls import is_valid, signed_url


def client_body(tmp_path, fields, file_bytes, filename="clip.mov"):
    path = tmp_path / filename
    path.write_bytes(file_bytes)
    fd = open(path, "rb")
    body = b"".join(stream_segments(multipart_segments(list(fields.items()), [("file", fd)], "BOUNDARY")))
    fd.close()
    return body


def parse(body, boundary=b"BOUNDARY"):
    out = []
    for headers, data in MultipartReader(io.BytesIO(body), boundary, len(body)).parts():
        name, filename = parse_disposition(headers.get("content-disposition", ""))
        # A chunk is a view valid until the next one is read: copy each.
        out.append((name, filename, b"".join(bytes(chunk) for chunk in data)))
    return out


def test_the_client_multipart_body_parses_back_into_fields_and_file(tmp_path):
    payload = b"\r\n--BOUNDAR" + bytes(range(256)) * 50 + b"\r\n--BOUNDARX"
    body = client_body(tmp_path, {"entity_type": "Shot", "entity_id": 7, "display_name": "Clip ü"}, payload)
    assert parse(body) == [("entity_type", None, b"Shot"), ("entity_id", None, b"7"),
                           ("display_name", None, "Clip ü".encode()), ("file", "clip.mov", payload)]


def test_parts_split_across_reads_of_any_size(tmp_path, monkeypatch):
    payload = b"x" * 5000 + b"\r\n--BOUND" + b"y" * 3000
    body = client_body(tmp_path, {"a": "1"}, payload)
    for chunk in (1, 7, 64, 4096):
        monkeypatch.setattr(form_data, "READ_CHUNK", chunk)
        assert parse(body)[-1] == ("file", "clip.mov", payload)


def test_an_empty_file_part_is_empty(tmp_path):
    assert parse(client_body(tmp_path, {}, b""))[-1] == ("file", "clip.mov", b"")


def test_a_truncated_body_is_a_form_error(tmp_path):
    body = client_body(tmp_path, {"a": "1"}, b"z" * 1000)
    with pytest.raises(FormError):
        parse(body[:-20])


def test_a_file_name_with_encoded_quotes_is_decoded():
    assert parse_disposition('form-data; name="file"; filename="a%22b.txt"') == ("file", 'a"b.txt')


def test_boundary_of_content_types():
    assert multipart_boundary("multipart/form-data; boundary=abc-1") == b"abc-1"
    assert multipart_boundary('multipart/form-data; boundary="q r"') == b"q r"
    assert multipart_boundary("application/x-www-form-urlencoded") is None
    with pytest.raises(FormError):
        multipart_boundary("multipart/form-data")


def test_urlencoded_forms_and_caps(monkeypatch):
    body = b"a=1&b=x%0Ay&a=2&empty="
    assert read_urlencoded(io.BytesIO(body), len(body)) == {"a": "2", "b": "x\ny", "empty": ""}
    monkeypatch.setattr(form_data, "MAX_TEXT_FIELD", 10)
    with pytest.raises(FormError, match="too large"):
        read_text(iter([b"0123456789", b"!"]))


def test_signed_urls_expire_and_bind_their_path():
    url = signed_url("http://127.0.0.1:5", b"secret", "/storage/ab/0/clip ü.mov", seconds=60, now=1000)
    assert url.startswith("http://127.0.0.1:5/storage/ab/0/clip%20%C3%BC.mov?expires=1060&signature=")
    query = {"expires": ["1060"], "signature": [url.rsplit("=", 1)[1]]}
    assert is_valid(b"secret", "/storage/ab/0/clip ü.mov", query, now=1059)
    assert not is_valid(b"secret", "/storage/ab/0/clip ü.mov", query, now=1061)
    assert not is_valid(b"secret", "/storage/ab/1/clip ü.mov", query, now=1000)
    assert not is_valid(b"other", "/storage/ab/0/clip ü.mov", query, now=1000)
    assert not is_valid(b"secret", "/storage/ab/0/clip ü.mov", {}, now=1000)


def test_near_boundaries_at_every_read_offset_parse_exactly(tmp_path, monkeypatch):
    import random

    rng = random.Random(5)
    # Every fragment ends with "x", so none can complete the delimiter of the next.
    fragments = [b"\r\n--BOUNDARx", b"\r\n--x", b"\rx", b"\r\n-x", b"--BOUNDARYx", b"x" * 13, b"\nx"]
    payload = b"".join(rng.choice(fragments) for _ in range(400))
    body = client_body(tmp_path, {"field": "\r\n--BOUNDAR"}, payload)
    for chunk in list(range(1, 40)) + [97, 128, 1000]:
        monkeypatch.setattr(form_data, "READ_CHUNK", chunk)
        parsed = parse(body)
        assert parsed[0] == ("field", None, b"\r\n--BOUNDAR")
        assert parsed[-1] == ("file", "clip.mov", payload), chunk


class ReadOnlyBody:
    """A body stream with ``read`` but no ``readinto``."""

    def __init__(self, data):
        self._stream = io.BytesIO(data)

    def read(self, size=-1):
        return self._stream.read(size)


def test_a_body_without_readinto_parses_the_same(tmp_path, monkeypatch):
    payload = b"\r\n--BOUNDAR" + b"q" * 3000
    body = client_body(tmp_path, {"a": "1"}, payload)
    monkeypatch.setattr(form_data, "READ_CHUNK", 100)
    parts = [(headers, b"".join(bytes(chunk) for chunk in data))
             for headers, data in MultipartReader(ReadOnlyBody(body), b"BOUNDARY", len(body)).parts()]
    assert [data for _, data in parts] == [b"1", payload]


def test_a_body_cut_inside_a_file_part_is_a_form_error_at_any_read_size(tmp_path, monkeypatch):
    body = client_body(tmp_path, {}, b"z" * 5000)
    for chunk in (1, 13, 100, 4096):
        monkeypatch.setattr(form_data, "READ_CHUNK", chunk)
        for cut in (60, 2000, len(body) - 30):
            with pytest.raises(FormError):
                parse(body[:cut])
