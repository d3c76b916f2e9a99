"""Progress callbacks: reported per chunk, totals right, silent by default, errors reach the caller."""
from __future__ import annotations

import pytest

from shotgun_api3._files.progress import current_progress, reporting_progress

from .conftest import make_client
from .stub_server import Answer, StubServer


def test_a_server_upload_reports_every_chunk_up_to_the_file_size(client, stub_server, tmp_path):
    path = tmp_path / "clip.mov"
    path.write_bytes(b"c" * (2 * 1024 * 1024 + 10))
    seen = []
    client.upload("Shot", 1, str(path), progress_callback=lambda done, total: seen.append((done, total)))
    assert seen == [(1024 * 1024, len(b"c" * (2 * 1024 * 1024 + 10))),
                    (2 * 1024 * 1024, 2 * 1024 * 1024 + 10), (2 * 1024 * 1024 + 10, 2 * 1024 * 1024 + 10)]


def test_thumbnail_uploads_forward_the_callback(client, small_file):
    seen = []
    client.upload_thumbnail("Shot", 1, str(small_file), progress_callback=lambda done, total: seen.append(done))
    assert seen == [small_file.stat().st_size]
    assert client.share_thumbnail([{"type": "Shot", "id": 1}], thumbnail_path=str(small_file),
                                  progress_callback=lambda done, total: seen.append(done)) == 1
    assert seen[-1] == small_file.stat().st_size


def test_no_callback_means_no_progress_is_tracked(client, small_file):
    assert client.upload("Shot", 1, str(small_file)) == 1
    assert current_progress() is None


def test_an_exception_in_the_callback_aborts_the_upload(client, stub_server, small_file):
    def fail(done, total):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        client.upload("Shot", 1, str(small_file), progress_callback=fail)
    assert current_progress() is None


def test_a_callback_that_is_not_callable_is_a_type_error(client, small_file):
    with pytest.raises(TypeError, match="progress_callback must be callable"):
        client.upload("Shot", 1, str(small_file), progress_callback="yes")


def test_download_total_is_none_when_the_size_is_not_announced(tmp_path):
    seen = []
    with reporting_progress(lambda done, total: seen.append((done, total)), None) as progress:
        progress.advance(3)
        progress.advance(0)
        progress.rewind(0)
    assert seen == [(3, None), (0, None)]


def test_the_seams_keep_the_reference_signatures():
    import inspect
    client = make_client()
    assert str(inspect.signature(client.upload)) == (
        "(entity_type: 'str', entity_id: 'int', path: 'str', field_name: 'Optional[str]' = None, "
        "display_name: 'Optional[str]' = None, tag_list: 'Optional[str]' = None, "
        "created_at: 'Optional[datetime.datetime]' = None, *, "
        "progress_callback: 'Optional[ProgressCallback]' = None) -> 'int'")
    params = list(inspect.signature(client.download_attachment).parameters)
    assert params == ["attachment", "file_path", "attachment_id", "progress_callback"]
    assert list(inspect.signature(client.share_thumbnail).parameters) == [
        "entities", "thumbnail_path", "source_entity", "filmstrip_thumbnail", "kwargs"]
    assert list(inspect.signature(client._upload_data_to_storage).parameters) == [
        "data", "content_type", "size", "storage_url"]
    assert list(inspect.signature(client._get_attachment_upload_info).parameters)[:3] == [
        "is_thumbnail", "filename", "is_multipart_upload"]
