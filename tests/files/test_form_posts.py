"""Form posts to /upload/...: the reference's wire shapes, streamed bodies, retries."""
from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from unittest import mock

import pytest

import shotgun_api3

from shotgun_api3._errors import ShotgunError
from shotgun_api3._files import FormPostHandler
from shotgun_api3._files.progress import reporting_progress

from .conftest import set_server_info
from .stub_server import Answer, StubServer


def test_a_form_without_files_is_url_encoded_in_order_with_the_auth_fields_last(client, stub_server):
    answer = client._send_form(stub_server.url + "/upload/x", {"b": True, "a": None, "n": 5, "s": "a, b"})
    assert answer == "1:1\n"
    request = stub_server.requests[0]
    assert request.method == "POST" and request.path == "/upload/x"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.body == b"b=True&a=None&n=5&s=a%2C+b&script_name=scr&script_key=key123"
    assert request.headers["accept-encoding"] == "identity"
    assert request.headers["connection"] == "close"
    assert "cookie" not in request.headers and "authorization" not in request.headers


def test_send_form_adds_the_auth_fields_into_the_given_params(client, stub_server):
    params = {"x": 1}
    client._send_form(stub_server.url + "/upload/x", params)
    assert params == {"x": 1, "script_name": "scr", "script_key": "key123"}


def test_a_form_with_a_file_is_multipart_with_text_fields_first(client, stub_server, tmp_path):
    path = tmp_path / "shot ü.jpg"
    path.write_bytes(b"JPEGDATA")
    with open(path, "rb") as fd:
        client._send_form(stub_server.url + "/upload/upload_file", {"file": fd, "entity_type": "Shot", "entity_id": 3})
    request = stub_server.requests[0]
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=")[1]
    expected = (
        "--{b}\r\nContent-Disposition: form-data; name=\"entity_type\"\r\n\r\nShot\r\n"
        "--{b}\r\nContent-Disposition: form-data; name=\"entity_id\"\r\n\r\n3\r\n"
        "--{b}\r\nContent-Disposition: form-data; name=\"script_name\"\r\n\r\nscr\r\n"
        "--{b}\r\nContent-Disposition: form-data; name=\"script_key\"\r\n\r\nkey123\r\n"
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shot ü.jpg\"\r\n"
        "Content-Type: image/jpeg\r\nContent-Length: 8\r\n\r\nJPEGDATA\r\n"
        "--{b}--\r\n\r\n"
    ).format(b=boundary).encode("utf-8")
    assert request.body == expected
    assert int(request.headers["content-length"]) == len(expected)


def test_a_quote_in_a_file_name_cannot_break_the_multipart_header(client, stub_server, tmp_path):
    path = tmp_path / 'a"b.txt'
    path.write_bytes(b"x")
    with open(path, "rb") as fd:
        client._send_form(stub_server.url + "/upload/upload_file", {"file": fd})
    assert b'filename="a%22b.txt"' in stub_server.requests[0].body


def test_the_multipart_body_is_streamed_not_built_in_memory(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * (3 * 1024 * 1024 + 5))
    with open(path, "rb") as fd:
        request = urllib.request.Request("http://127.0.0.1:9/upload/upload_file", data={"a": 1, "file": fd})
        request = FormPostHandler().http_request(request)
        assert not isinstance(request.data, (bytes, bytearray))
        chunks = list(request.data)
    assert max(len(chunk) for chunk in chunks) <= 1024 * 1024
    assert sum(len(chunk) for chunk in chunks) == int(request.get_header("Content-length"))


def test_form_post_retries_http_errors_and_gives_up_after_three_tries(client, stub_server):
    stub_server.route = lambda request: Answer(status=500, body=b"boom")
    with mock.patch("time.sleep") as sleep:
        with pytest.raises(ShotgunError, match="^Max attempts limit reached.$") as raised:
            client._send_form(stub_server.url + "/upload/x", {"a": 1})
    assert len(stub_server.requests) == 3
    assert [c.args[0] for c in sleep.call_args_list] == [0, 0]
    assert isinstance(raised.value.__cause__, urllib.error.HTTPError)


def test_form_post_sleeps_attempt_times_backoff_between_tries(client):
    client.BACKOFF = 0.75
    opener = mock.Mock()
    opener.open.side_effect = [urllib.error.URLError("down"), urllib.error.URLError("down"), io.BytesIO(b"1\n")]
    with mock.patch.object(client, "_build_opener", return_value=opener), mock.patch("time.sleep") as sleep:
        assert client._send_form("http://127.0.0.1:9/upload/x", {}) == "1\n"
    assert [c.args[0] for c in sleep.call_args_list] == [0.75, 1.5]


def test_a_retried_form_post_resends_the_whole_file(client, stub_server, tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789" * 1000)
    answers = iter([Answer(status=503), Answer(body=b"1:7\n")])
    stub_server.route = lambda request: next(answers)
    seen = []
    with open(path, "rb") as fd, reporting_progress(lambda done, total: seen.append(done), 10000):
        assert client._send_form(stub_server.url + "/upload/upload_file", {"file": fd}) == "1:7\n"
    first, second = stub_server.requests
    assert len(first.body) == len(second.body) and b"0123456789" * 1000 in second.body
    assert seen[-1] == 10000 and 0 in seen  # progress went back to 0 for the retry


def test_share_thumbnail_posts_entity_tokens(client, stub_server):
    stub_server.route = lambda request: Answer(body=b"1:55\n")
    entities = [{"type": "Version", "id": 1}, {"type": "Shot", "id": 2}]
    assert client.share_thumbnail(entities, source_entity={"type": "Asset", "id": 9}) == 55
    fields = urllib.parse.parse_qs(stub_server.requests[0].body.decode())
    assert stub_server.requests[0].path == "/upload/share_thumbnail"
    assert fields["entities"] == ["Version_1,Shot_2"]
    assert fields["source_entity"] == ["Asset_9"]
    assert fields["filmstrip_thumbnail"] == ["False"]
    client.share_thumbnail(entities, source_entity={"type": "Asset", "id": 9}, filmstrip_thumbnail=True)
    assert urllib.parse.parse_qs(stub_server.requests[1].body.decode())["filmstrip_thumbnail"] == ["1"]


@pytest.mark.parametrize("answer, error", [
    (b"2\nthumbnail pending", "ShotgunThumbnailNotReady"),
    (b"0\nno such entity", "ShotgunError"),
    (b"1\n12\n", "ShotgunError"),
])
def test_share_thumbnail_failures(client, stub_server, answer, error):
    stub_server.route = lambda request: Answer(body=answer)
    with pytest.raises(ShotgunError, match="Unable to share thumbnail") as raised:
        client.share_thumbnail([{"type": "Shot", "id": 1}], source_entity={"type": "Shot", "id": 2})
    assert type(raised.value).__name__ == error


def test_share_thumbnail_answer_without_an_integer_id_gives_none(client, stub_server):
    stub_server.route = lambda request: Answer(body=b"1:abc\n")
    assert client.share_thumbnail([{"type": "Shot", "id": 1}], source_entity={"type": "Shot", "id": 2}) is None


@pytest.mark.parametrize("kwargs, message", [
    ({"entities": []}, "'entities' parameter must be a list of entity hashes and may not be empty"),
    ({"entities": {"type": "Shot", "id": 1}}, "may not be empty"),
    ({"entities": [{"type": "Shot"}]}, "with at least 'type' and 'id' keys"),
    ({"entities": [{"type": "Shot", "id": 1}]}, "You must supply either thumbnail_path OR source_entity."),
    ({"entities": [{"type": "Shot", "id": 1}], "thumbnail_path": "/x", "source_entity": {"type": "S", "id": 1}},
     "You must supply either"),
    ({"entities": [{"type": "Shot", "id": 1}], "source_entity": ["Shot", 1]}, "'source_entity' parameter must be a dict"),
])
def test_share_thumbnail_validates_its_arguments(client, kwargs, message):
    with pytest.raises(ShotgunError, match=message.replace("(", r"\(")):
        client.share_thumbnail(**kwargs)


def test_share_thumbnail_with_a_path_uploads_to_the_first_entity_and_pops_it(client, small_file):
    entities = [{"type": "Shot", "id": 1}]
    with mock.patch.object(client, "upload_thumbnail", return_value=12) as upload_thumbnail:
        assert client.share_thumbnail(entities, thumbnail_path=str(small_file)) == 12
    upload_thumbnail.assert_called_once_with("Shot", 1, str(small_file))
    assert entities == []


def test_share_thumbnail_needs_a_site_at_4_0(client):
    set_server_info(client, {"version": [3, 9, 0]})
    with pytest.raises(ShotgunError, match="Thumbnail sharing support requires server version 4.0"):
        client.share_thumbnail([{"type": "Shot", "id": 1}], source_entity={"type": "Shot", "id": 2})


def test_form_posts_go_through_the_client_proxy(stub_server):
    client = shotgun_api3.Shotgun("http://site.example.com", script_name="scr", api_key="key123", connect=False,
                                  http_proxy=stub_server.netloc)
    assert client._send_form("http://site.example.com/upload/x", {"a": 1}) == "1:1\n"
    request = stub_server.requests[0]
    assert request.path == "http://site.example.com/upload/x"
    assert request.headers["host"] == "site.example.com"


def test_openers_carry_the_ca_file_and_the_given_handler(tmp_path):
    import certifi

    client = shotgun_api3.Shotgun("https://site.example.com", script_name="scr", api_key="key123", connect=False,
                                  ca_certs=certifi.where())
    opener = client._build_opener(FormPostHandler)
    assert any(isinstance(handler, FormPostHandler) for handler in opener.handlers)
    https = [h for h in opener.handlers if isinstance(h, urllib.request.HTTPSHandler)]
    assert len(https) == 1
    assert https[0]._context.verify_mode.name == "CERT_REQUIRED"
    assert https[0]._context.get_ca_certs()
    assert client._build_opener(None) is not opener


def test_the_reference_encode_helper_still_builds_a_whole_body(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"file body")
    with open(path, "rb") as fd:
        boundary, body = FormPostHandler().encode([("k", "v")], [("file", fd)], boundary="XYZ")
    assert boundary == "XYZ"
    assert body.startswith(b'--XYZ\r\nContent-Disposition: form-data; name="k"\r\n\r\nv\r\n')
    assert b"Content-Type: text/plain\r\nContent-Length: 9\r\n\r\nfile body\r\n--XYZ--\r\n\r\n" in body
