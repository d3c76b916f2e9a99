"""Uploads and downloads stream: peak memory stays far below the file size."""
from __future__ import annotations

import tracemalloc

from .conftest import make_client
from .stub_server import Answer, StubServer

FILE_SIZE = 8 * 1024 * 1024
LIMIT = 3 * 1024 * 1024


def peak_during(action):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak() if hasattr(tracemalloc, "reset_peak") else None
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_server_upload_of_8_mb_stays_under_3_mb(tmp_path):
    path = tmp_path / "big.mov"
    with open(path, "wb") as out:
        for _ in range(FILE_SIZE // 65536):
            out.write(b"\x01" * 65536)
    with StubServer(route=lambda request: Answer(body=b"1:5\n"), keep_bodies=False) as server:
        client = make_client(server=server.netloc)
        result, peak = peak_during(lambda: client.upload("Version", 1, str(path), "sg_uploaded_movie"))
    assert result == 5
    assert server.body_sizes[0] > FILE_SIZE
    assert peak < LIMIT


def test_a_storage_upload_in_parts_stays_under_3_mb(tmp_path):
    path = tmp_path / "big.mov"
    path.write_bytes(b"\x02" * FILE_SIZE)

    def route(request):
        if request.path == "/upload/api_get_upload_link_info":
            return Answer(body=("1\n%s/storage/x\n1\nAttachment\nU\n" % server.url).encode())
        if request.path == "/upload/api_get_upload_link_for_part":
            return Answer(body=("1\n%s/storage/p\n" % server.url).encode())
        if request.method == "PUT":
            return Answer(headers=[("ETag", '"e"')])
        return Answer(body=b"1:6\n" if request.path.endswith("link_file") else b"1\n")

    with StubServer(route=route, keep_bodies=False) as server:
        client = make_client(server=server.netloc, server_info={"version": [8, 0, 0], "s3_direct_uploads_enabled": True,
                                                               "s3_enabled_upload_types": {"*": "*"}})
        client._MULTIPART_UPLOAD_CHUNK_SIZE = 3 * 1024 * 1024
        result, peak = peak_during(lambda: client.upload("Version", 1, str(path), "sg_uploaded_movie"))
    assert result == 6
    assert sum(size for size in server.body_sizes if size > 1024 * 1024) == FILE_SIZE
    assert peak < LIMIT


def test_a_download_to_disk_of_8_mb_stays_under_3_mb(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(b"\x03" * FILE_SIZE)
    client = make_client()
    target = tmp_path / "copy.bin"
    result, peak = peak_during(lambda: client.download_attachment({"url": source.as_uri()}, file_path=str(target)))
    assert result == str(target)
    assert target.stat().st_size == FILE_SIZE
    assert peak < LIMIT
