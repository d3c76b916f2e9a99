"""Direct-to-storage uploads: link info, single and multipart PUTs, the retry matrix, rewinding."""
from __future__ import annotations

import io
import urllib.error
import urllib.parse
from unittest import mock

import pytest

from shotgun_api3._errors import ShotgunError

from .conftest import make_client
from .stub_server import Answer


def http_error(code, url="http://storage/put"):
    return urllib.error.HTTPError(url, code, "status %d" % code, {}, io.BytesIO(b""))


class FakeResponse:
    def __init__(self, etag='"etag-1"'):
        self.etag = etag

    def info(self):
        return {"Etag": self.etag}

    def close(self):
        pass


def reading(side_effects):
    sent = []
    effects = iter(side_effects)

    def make_upload_request(request, opener):
        sent.append((request.get_method(), request.full_url, dict(request.header_items()), b"".join(request.data)))
        effect = next(effects)
        if isinstance(effect, BaseException):
            raise effect
        return effect
    return make_upload_request, sent


def test_a_storage_put_sends_the_file_with_type_and_length_and_returns_the_etag(client):
    make, sent = reading([FakeResponse('"abc"')])
    with mock.patch.object(client, "_make_upload_request", side_effect=make):
        etag = client._upload_data_to_storage(io.BytesIO(b"hello"), "image/png", 5, "http://storage/put?sig=1")
    assert etag == '"abc"'
    method, url, headers, body = sent[0]
    assert (method, url, body) == ("PUT", "http://storage/put?sig=1", b"hello")
    assert headers["Content-type"] == "image/png" and headers["Content-length"] == "5"


@pytest.mark.parametrize("code", [500, 503])
def test_storage_put_retries_500_and_503_and_rewinds_the_data_every_time(client, code):
    make, sent = reading([http_error(code), http_error(code), FakeResponse()])
    data = io.BytesIO(b"xxHEADER-and-body")
    data.seek(2)
    with mock.patch.object(client, "_make_upload_request", side_effect=make), mock.patch("time.sleep") as sleep:
        assert client._upload_data_to_storage(data, "text/plain", 15, "http://storage/put") == '"etag-1"'
    assert [body for _, _, _, body in sent] == [b"HEADER-and-body"] * 3
    assert len(sleep.call_args_list) == 2


def test_storage_put_gives_up_on_the_third_500(client):
    make, sent = reading([http_error(500)] * 3)
    with mock.patch.object(client, "_make_upload_request", side_effect=make):
        with pytest.raises(ShotgunError, match="Got a 500 response when uploading to http://storage/put"):
            client._upload_data_to_storage(io.BytesIO(b"a"), "text/plain", 1, "http://storage/put")
    assert len(sent) == 3


@pytest.mark.parametrize("code", [400, 403, 404, 502])
def test_storage_put_does_not_retry_other_http_errors(client, code):
    make, sent = reading([http_error(code)])
    with mock.patch.object(client, "_make_upload_request", side_effect=make):
        with pytest.raises(ShotgunError, match="Unanticipated error occurred uploading to http://storage/put"):
            client._upload_data_to_storage(io.BytesIO(b"a"), "text/plain", 1, "http://storage/put")
    assert len(sent) == 1


def test_storage_put_retries_network_errors_then_reports_max_attempts(client):
    client.BACKOFF = 0.75
    make, sent = reading([urllib.error.URLError("reset")] * 3)
    with mock.patch.object(client, "_make_upload_request", side_effect=make), mock.patch("time.sleep") as sleep:
        with pytest.raises(ShotgunError, match="^Max attempts limit reached.$"):
            client._upload_data_to_storage(io.BytesIO(b"abc"), "text/plain", 3, "http://storage/put")
    assert [body for *_, body in sent] == [b"abc"] * 3
    assert [c.args[0] for c in sleep.call_args_list] == [0.75, 1.5]


def test_upload_info_is_split_into_named_lines(client):
    answer = "1\nhttp://st/put\n1234\nAttachment\nUP-1\n"
    with mock.patch.object(client, "_send_form", return_value=answer) as send_form:
        info = client._get_attachment_upload_info(False, "a.mov", True)
    assert info == {"upload_url": "http://st/put", "timestamp": "1234", "upload_type": "Attachment",
                    "upload_id": "UP-1", "upload_info": answer}
    url, params = send_form.call_args.args
    assert url == "http://127.0.0.1:9/upload/api_get_upload_link_info".replace("127.0.0.1:9", client.config.server)
    assert params == {"upload_type": "Attachment", "filename": "a.mov", "multipart_upload": True}


def test_upload_info_failure_is_a_shotgun_error(client):
    with mock.patch.object(client, "_send_form", return_value="0\nnope"):
        with pytest.raises(ShotgunError, match="Could not get upload_url but not sure why"):
            client._get_attachment_upload_info(True, "a.jpg", False)


def test_multipart_upload_puts_each_chunk_to_its_part_link_and_completes_with_the_etags(client, tmp_path):
    client._MULTIPART_UPLOAD_CHUNK_SIZE = 4
    path = tmp_path / "movie.mov"
    path.write_bytes(b"AAAABBBBCC")
    upload_info = {"upload_url": "u", "timestamp": "T", "upload_type": "Attachment", "upload_id": "ID",
                   "upload_info": "1\nu\nT\nAttachment\nID\n"}
    forms = []

    def send_form(url, params):
        forms.append((url.rsplit("/", 1)[1], dict(params)))
        if url.endswith("api_get_upload_link_for_part"):
            return "1\nhttp://st/part%d\n" % params["part_number"]
        return "1\n"

    parts = []

    def upload_data(data, content_type, size, url):
        parts.append((data.read(), content_type, size, url))
        return '"e%d"' % len(parts)

    with mock.patch.object(client, "_send_form", side_effect=send_form), \
            mock.patch.object(client, "_upload_data_to_storage", side_effect=upload_data):
        client._multipart_upload_file_to_storage(str(path), upload_info)
    assert parts == [(b"AAAA", "video/quicktime", 4, "http://st/part1"), (b"BBBB", "video/quicktime", 4, "http://st/part2"),
                     (b"CC", "video/quicktime", 2, "http://st/part3")]
    assert forms[0] == ("api_get_upload_link_for_part", {"upload_type": "Attachment", "filename": "movie.mov",
                                                         "timestamp": "T", "upload_id": "ID", "part_number": 1})
    assert forms[-1] == ("api_complete_multipart_upload", {"upload_type": "Attachment", "filename": "movie.mov",
                                                           "timestamp": "T", "upload_id": "ID",
                                                           "etags": '"e1","e2","e3"'})


def test_a_part_link_failure_stops_the_upload(client, tmp_path):
    path = tmp_path / "m.bin"
    path.write_bytes(b"x" * 10)
    client._MULTIPART_UPLOAD_CHUNK_SIZE = 4
    with mock.patch.object(client, "_send_form", return_value="0\nexpired"):
        with pytest.raises(ShotgunError, match="Unable get upload part link: 0\nexpired"):
            client._multipart_upload_file_to_storage(str(path), {"upload_type": "Attachment", "timestamp": "T",
                                                                 "upload_id": "I"})


def test_a_retried_part_is_sent_again_from_its_start(client, tmp_path):
    client._MULTIPART_UPLOAD_CHUNK_SIZE = 4
    path = tmp_path / "m.bin"
    path.write_bytes(b"AAAABBBB")
    make, sent = reading([FakeResponse('"1"'), http_error(503), FakeResponse('"2"')])
    send_form = lambda url, params: "1\nhttp://st/p%s\n" % params.get("part_number", "")  # noqa: E731
    with mock.patch.object(client, "_send_form", side_effect=send_form), \
            mock.patch.object(client, "_make_upload_request", side_effect=make):
        client._multipart_upload_file_to_storage(str(path), {"upload_type": "A", "timestamp": "T", "upload_id": "I"})
    assert [body for *_, body in sent] == [b"AAAA", b"BBBB", b"BBBB"]


def test_storage_route_links_the_upload_with_the_full_link_info(client, small_file):
    answer = "1\nhttp://st/put\n1234\nAttachment\nUP-1\n"
    calls = []

    def send_form(url, params):
        calls.append((url.rsplit("/", 1)[1], dict(params)))
        return answer if url.endswith("api_get_upload_link_info") else "1:4242\n"

    with mock.patch.object(client, "_send_form", side_effect=send_form), \
            mock.patch.object(client, "_upload_file_to_storage") as put:
        assert client._upload_to_storage("Version", 7, str(small_file), "sg_uploaded_movie", None, "a, b",
                                         False) == 4242
    put.assert_called_once_with(str(small_file), "http://st/put")
    name, params = calls[1]
    assert name == "api_link_file"
    assert list(params) == ["entity_type", "entity_id", "upload_link_info", "script_name", "script_key",
                            "field_name", "display_name", "tag_list"]
    assert params["upload_link_info"] == answer and params["display_name"] == "small.jpg"


def test_storage_route_for_a_filmstrip_sends_only_the_filmstrip_flag(client, small_file):
    with mock.patch.object(client, "_send_form", side_effect=["1\nu\nT\nThumbnail\nI\n", "1\n:77\n"]) as send_form, \
            mock.patch.object(client, "_upload_file_to_storage"):
        assert client._upload_to_storage("Shot", 1, str(small_file), "filmstrip_image", "ignored", "t", True) == 77
    params = send_form.call_args.args[1]
    assert params["filmstrip"] is True
    assert "display_name" not in params and "tag_list" not in params and "field_name" not in params


def test_a_link_failure_names_the_path_and_the_answer(client, small_file):
    with mock.patch.object(client, "_send_form", side_effect=["1\nu\nT\nAttachment\nI\n", "0\nentity gone"]), \
            mock.patch.object(client, "_upload_file_to_storage"):
        with pytest.raises(ShotgunError, match="Could not upload file successfully, but not sure why.\nPath: "):
            client._upload_to_storage("Shot", 1, str(small_file), None, None, None, False)


def test_a_whole_upload_over_http_reports_progress(stub_server, tmp_path):
    client = make_client(server=stub_server.netloc, server_info={
        "version": [8, 0, 0], "s3_direct_uploads_enabled": True, "s3_enabled_upload_types": {"*": "*"}})
    client._MULTIPART_UPLOAD_CHUNK_SIZE = 1000
    put_base = stub_server.url + "/storage/"

    def route(request):
        if request.path == "/upload/api_get_upload_link_info":
            return Answer(body=("1\n%sfull\n1\nAttachment\nUP\n" % put_base).encode())
        if request.path == "/upload/api_get_upload_link_for_part":
            part = urllib.parse.parse_qs(request.body.decode())["part_number"][0]
            return Answer(body=("1\n%spart%s\n" % (put_base, part)).encode())
        if request.method == "PUT":
            return Answer(headers=[("ETag", '"%s"' % request.path.rsplit("/", 1)[1])])
        if request.path == "/upload/api_complete_multipart_upload":
            return Answer(body=b"1\n")
        return Answer(body=b"1:31\n")

    stub_server.route = route
    path = tmp_path / "clip.mov"
    path.write_bytes(b"m" * 2500)
    seen = []
    assert client.upload("Version", 1, str(path), "sg_uploaded_movie",
                         progress_callback=lambda done, total: seen.append((done, total))) == 31
    puts = [r for r in stub_server.requests if r.method == "PUT"]
    assert [len(r.body) for r in puts] == [1000, 1000, 500]
    assert seen[-1] == (2500, 2500)
    complete = [r for r in stub_server.requests if r.path.endswith("complete_multipart_upload")][0]
    assert urllib.parse.parse_qs(complete.body.decode())["etags"] == ['"part1","part2","part3"']


def test_storage_put_retries_a_connection_dropped_before_the_answer(client):
    import http.client
    make, sent = reading([http.client.RemoteDisconnected("gone"), FakeResponse('"ok"')])
    with mock.patch.object(client, "_make_upload_request", side_effect=make):
        assert client._upload_data_to_storage(io.BytesIO(b"abc"), "text/plain", 3, "http://storage/put") == '"ok"'
    assert [body for *_, body in sent] == [b"abc", b"abc"]
