"""download_attachment and its URL rules: every attachment form, cookies, errors, no partial files."""
from __future__ import annotations

import os
from unittest import mock

import pytest

from shotgun_api3._errors import ShotgunFileDownloadError

from .conftest import make_client
from .stub_server import Answer

PAYLOAD = bytes(range(256)) * 4096 + b"tail"   # ~1 MB, not a multiple of the chunk size


def serve_payload(request):
    return Answer(body=PAYLOAD, headers=[("Content-Type", "application/octet-stream")])


@pytest.mark.parametrize("attachment, url", [
    (12, "http://site.example.com/file_serve/attachment/12"),
    ({"type": "Attachment", "id": 13}, "http://site.example.com/file_serve/attachment/13"),
    ({"url": "https://cdn.example.com/f?sig=1", "id": 5}, "https://cdn.example.com/f?sig=1"),
    ({"url": None}, None),
    ({"url": "file:///data/a.mov"}, "file:///data/a.mov"),
    (None, None),
])
def test_download_url_of_each_attachment_form(attachment, url):
    assert make_client(server="site.example.com").get_attachment_download_url(attachment) == url


def test_download_url_rejects_dicts_without_url_and_other_types():
    client = make_client()
    with pytest.raises(ValueError, match="Missing 'url' key in Attachment dict"):
        client.get_attachment_download_url({"type": "Version", "id": 1})
    with pytest.raises(TypeError, match="Unable to determine download url. Expected dict, int, or NoneType. "
                                        "Instead got <class 'str'>"):
        client.get_attachment_download_url("/tmp/a.mov")


def test_download_needs_an_attachment_or_an_int_attachment_id():
    with pytest.raises(TypeError, match="Missing parameter 'attachment'"):
        make_client().download_attachment()
    with pytest.raises(TypeError, match="Missing parameter 'attachment'"):
        make_client().download_attachment(attachment_id="3")


def test_download_by_id_returns_bytes_and_sends_the_session_cookie_and_user_agent(client, stub_server):
    stub_server.route = serve_payload
    assert client.download_attachment(attachment_id=4) == PAYLOAD
    request = stub_server.requests[0]
    assert (request.method, request.path) == ("GET", "/file_serve/attachment/4")
    assert request.headers["cookie"] == "_session_id=SESSION-TOKEN"
    assert request.headers["user-agent"] == "; ".join(client._user_agents)
    assert request.headers["user-agent"].startswith("shotgun-json (3.10.3)")


def test_download_from_another_host_sends_no_cookie_and_asks_no_token(client, stub_server):
    stub_server.route = serve_payload
    other = make_client(server="elsewhere.example.com")
    with mock.patch.object(other, "get_session_token") as get_session_token:
        assert other.download_attachment({"url": stub_server.url + "/x.bin"}) == PAYLOAD
    assert "cookie" not in stub_server.requests[0].headers
    get_session_token.assert_not_called()


def test_download_to_a_file_streams_and_returns_the_path(client, stub_server, tmp_path):
    stub_server.route = serve_payload
    target = tmp_path / "out ü.bin"
    seen = []
    result = client.download_attachment({"url": stub_server.url + "/f"}, file_path=str(target),
                                        progress_callback=lambda done, total: seen.append((done, total)))
    assert result == str(target)
    assert target.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD)) and len(seen) >= 2


@pytest.mark.parametrize("status, hint", [
    (400, "Attachment may not exist or is a local file?"),
    (404, "Nothing was found at this url."),
    (409, "undergoing a malware scan"),
    (410, "undergoing a malware scan"),
    (500, "HTTP Error 500"),
])
def test_an_error_status_is_a_download_error_and_leaves_no_file(client, stub_server, tmp_path, status, hint):
    stub_server.route = lambda request: Answer(status=status, body=b"This file is undergoing a malware scan")
    target = tmp_path / "out.bin"
    with pytest.raises(ShotgunFileDownloadError, match="Failed to open %s/file_serve/attachment/9" % stub_server.url) as raised:
        client.download_attachment(9, file_path=str(target))
    assert hint in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_a_download_cut_short_leaves_no_file(client, stub_server, tmp_path):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve_half():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 5000)
        connection.close()

    thread = threading.Thread(target=serve_half)
    thread.start()
    target = tmp_path / "half.bin"
    url = "http://127.0.0.1:%d/f" % listener.getsockname()[1]
    with pytest.raises(ShotgunFileDownloadError, match="Failed to read %s\nThe connection closed after 5000 of 100000"
                       % url):
        client.download_attachment({"url": url}, file_path=str(target))
    thread.join()
    listener.close()
    assert list(tmp_path.iterdir()) == []


def test_an_s3_403_xml_message_is_appended(client):
    import io
    import urllib.error
    from email.message import Message
    headers = Message()
    headers["content-type"] = "application/xml"
    error = urllib.error.HTTPError("https://bucket.s3.amazonaws.com/f", 403, "Forbidden", headers,
                                   io.BytesIO(b"<Error><Message>Request has expired</Message></Error>"))
    opener = mock.Mock()
    opener.open.side_effect = error
    with mock.patch.object(client, "_build_opener", return_value=opener):
        with pytest.raises(ShotgunFileDownloadError, match="HTTP Error 403: Forbidden - Request has expired$"):
            client.download_attachment({"url": "https://bucket.s3.amazonaws.com/f"})


def test_an_html_login_page_after_a_redirect_is_a_download_error(client, stub_server, tmp_path):
    def route(request):
        if request.path.startswith("/file_serve/"):
            return Answer(status=302, headers=[("Location", "/user/login")])
        return Answer(body=b"<html>Please log in</html>", headers=[("Content-Type", "text/html; charset=utf-8")])

    stub_server.route = route
    target = tmp_path / "a.mov"
    with pytest.raises(ShotgunFileDownloadError, match="HTML page"):
        client.download_attachment(3, file_path=str(target))
    assert list(tmp_path.iterdir()) == []


def test_html_in_place_of_a_declared_movie_is_a_download_error(client, stub_server):
    stub_server.route = lambda request: Answer(body=b"<html>error</html>", headers=[("Content-Type", "text/html")])
    attachment = {"url": stub_server.url + "/f", "content_type": "video/quicktime", "name": "a.mov"}
    with pytest.raises(ShotgunFileDownloadError, match="HTML page"):
        client.download_attachment(attachment)


def test_an_html_attachment_downloads_as_html(client, stub_server):
    stub_server.route = lambda request: Answer(body=b"<html>notes</html>", headers=[("Content-Type", "text/html")])
    attachment = {"url": stub_server.url + "/f", "content_type": "text/html", "name": "notes.html"}
    assert client.download_attachment(attachment) == b"<html>notes</html>"


def test_a_redirect_to_the_file_is_followed(client, stub_server):
    def route(request):
        if request.path.startswith("/file_serve/"):
            return Answer(status=302, headers=[("Location", "/storage/blob")])
        return serve_payload(request)

    stub_server.route = route
    assert client.download_attachment(8) == PAYLOAD


def test_an_unwritable_file_path_fails_before_any_request(client, stub_server, tmp_path):
    with pytest.raises(IOError, match="Unable to write Attachment to disk using file_path"):
        client.download_attachment(3, file_path=str(tmp_path / "missing-folder" / "a.bin"))
    with pytest.raises(IOError, match="Unable to write Attachment to disk using file_path"):
        client.download_attachment(3, file_path=str(tmp_path))
    assert stub_server.requests == []


def test_none_downloads_nothing_and_creates_no_file(client, tmp_path):
    assert client.download_attachment(None, file_path=str(tmp_path / "a.bin")) is None
    assert list(tmp_path.iterdir()) == []


def test_a_file_url_downloads_a_local_file(client, tmp_path):
    source = tmp_path / "local.txt"
    source.write_bytes(b"local bytes")
    assert client.download_attachment({"url": source.as_uri()}) == b"local bytes"


def test_a_connection_refused_is_a_download_error(tmp_path):
    client = make_client(server="127.0.0.1:1")
    with pytest.raises(ShotgunFileDownloadError, match="Failed to open http://127.0.0.1:1/file_serve/attachment/2"):
        client.download_attachment(2, file_path=str(tmp_path / "a.bin"))
    assert list(tmp_path.iterdir()) == []


def test_the_auth_cookie_matches_the_site_host_even_with_a_port(client):
    import urllib.request
    handler = client.get_auth_cookie_handler()
    cookies = list(handler.cookiejar)
    assert [(c.name, c.value, c.path, c.secure, c.discard) for c in cookies] == [
        ("_session_id", "SESSION-TOKEN", "/", False, True)]
    request = urllib.request.Request("http://%s/file_serve/attachment/1" % client.config.server)
    handler.cookiejar.add_cookie_header(request)
    assert request.get_header("Cookie") == "_session_id=SESSION-TOKEN"
    other = urllib.request.Request("http://other.example.com/x")
    handler.cookiejar.add_cookie_header(other)
    assert other.get_header("Cookie") is None


def test_a_connection_dropped_before_the_answer_is_a_download_error(client, tmp_path):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def drop():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=drop)
    thread.start()
    url = "http://127.0.0.1:%d/f" % listener.getsockname()[1]
    with pytest.raises(ShotgunFileDownloadError, match="Failed to open %s" % url):
        client.download_attachment({"url": url}, file_path=str(tmp_path / "x.bin"))
    thread.join()
    listener.close()
    assert list(tmp_path.iterdir()) == []
