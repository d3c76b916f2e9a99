"""upload() checks the path locally and picks the route the site asks for, before any traffic."""
from __future__ import annotations

import datetime
import os
from unittest import mock

import pytest

from shotgun_api3._errors import ShotgunError

from .conftest import make_client


def test_upload_rejects_a_missing_file_with_its_absolute_path(tmp_path):
    client = make_client()
    missing = tmp_path / "nope.mov"
    with pytest.raises(ShotgunError, match="Path must be a valid file, got '%s'" % str(missing).replace("\\", "\\\\")):
        client.upload("Version", 1, str(missing))


def test_upload_rejects_a_directory_and_none(tmp_path):
    client = make_client()
    with pytest.raises(ShotgunError, match="Path must be a valid file"):
        client.upload("Version", 1, str(tmp_path))
    with pytest.raises(ShotgunError, match="Path must be a valid file, got '%s'" % os.getcwd()):
        client.upload("Version", 1, None)


def test_upload_rejects_an_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ShotgunError, match="Path cannot be an empty file: '%s'" % empty):
        make_client().upload("Version", 1, str(empty))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_upload_rejects_an_unreadable_file(tmp_path):
    locked = tmp_path / "locked.bin"
    locked.write_bytes(b"data")
    locked.chmod(0)
    with pytest.raises(ShotgunError, match="Could not read the file to upload"):
        make_client().upload("Version", 1, str(locked))


def test_upload_rejects_bytes_paths_that_are_not_utf8(tmp_path):
    with pytest.raises(ShotgunError, match="encoded as something other than utf-8"):
        make_client().upload("Version", 1, os.fsencode(str(tmp_path)) + b"/\xff\xfe.bin")


def test_upload_accepts_a_utf8_bytes_path(tmp_path):
    path = tmp_path / "café.bin"
    path.write_bytes(b"abc")
    client = make_client()
    with mock.patch.object(client, "_upload_to_sg", return_value=3) as upload_to_sg:
        assert client.upload("Asset", 2, str(path).encode("utf-8")) == 3
    assert upload_to_sg.call_args[0][2] == str(path)


def test_upload_rejects_a_created_at_that_is_not_a_datetime(small_file):
    with pytest.raises(ShotgunError, match="created_at must be a datetime.datetime instance"):
        make_client().upload("Version", 1, str(small_file), created_at="2024-01-01")


def test_upload_passes_the_reference_arguments_to_the_server_route(small_file):
    client = make_client()
    when = datetime.datetime(2024, 5, 1, 12, 0)
    with mock.patch.object(client, "_upload_to_sg", return_value=42) as upload_to_sg:
        assert client.upload("Shot", 7, str(small_file), "sg_movie", "Movie", "a, b", when) == 42
    upload_to_sg.assert_called_once_with("Shot", 7, str(small_file), "sg_movie", "Movie", "a, b", False, when)


@pytest.mark.parametrize("field_name", ["thumb_image", "filmstrip_thumb_image", "image", "filmstrip_image"])
def test_thumbnail_fields_upload_in_thumbnail_mode(small_file, field_name):
    client = make_client()
    with mock.patch.object(client, "_upload_to_sg", return_value=1) as upload_to_sg:
        client.upload("Shot", 7, str(small_file), field_name)
    assert upload_to_sg.call_args[0][6] is True


def test_upload_thumbnail_and_filmstrip_set_the_field_name(small_file):
    client = make_client()
    with mock.patch.object(client, "upload", return_value=5) as upload:
        assert client.upload_thumbnail("Shot", 1, str(small_file)) == 5
        assert client.upload_filmstrip_thumbnail("Shot", 1, str(small_file), display_name="x") == 5
    assert upload.call_args_list[0] == mock.call("Shot", 1, str(small_file), field_name="thumb_image")
    assert upload.call_args_list[1] == mock.call("Shot", 1, str(small_file), field_name="filmstrip_thumb_image",
                                                 display_name="x")


def test_filmstrip_thumbnails_need_a_site_at_3_1(small_file):
    client = make_client(server_info={"version": [3, 0, 9]})
    with pytest.raises(ShotgunError, match="Filmstrip thumbnail support requires server version 3.1"):
        client.upload_filmstrip_thumbnail("Shot", 1, str(small_file))


def test_upload_thumbnail_with_a_field_name_keyword_is_a_type_error(small_file):
    with pytest.raises(TypeError):
        make_client().upload_thumbnail("Shot", 1, str(small_file), field_name="image")


INFO_TYPES = {"Version": ["sg_uploaded_movie"], "Attachment": "*", "*": ["this_file"]}


@pytest.mark.parametrize("info, entity_type, field_name, direct", [
    ({"s3_direct_uploads_enabled": False, "s3_enabled_upload_types": INFO_TYPES}, "Version", "sg_uploaded_movie", False),
    ({}, "Version", "sg_uploaded_movie", False),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": INFO_TYPES}, "Version", "sg_uploaded_movie", True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": INFO_TYPES}, "Version", "sg_other", False),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": INFO_TYPES}, "Shot", "this_file", True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": INFO_TYPES}, "Attachment", "anything", True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": INFO_TYPES}, "Attachment", None, True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": {"Shot": ["*"]}}, "Shot", None, True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": {"*": "*"}}, "Asset", "image", True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": None}, "Version", "sg_uploaded_movie", True),
    ({"s3_direct_uploads_enabled": True, "s3_enabled_upload_types": None}, "Shot", "sg_uploaded_movie", False),
])
def test_direct_upload_decision_follows_the_site_info(info, entity_type, field_name, direct):
    client = make_client(server_info=dict(info, version=[8, 50, 0]))
    assert client._requires_direct_s3_upload(entity_type, field_name) is direct


def test_upload_takes_the_storage_route_when_the_site_wants_it(small_file):
    client = make_client(server_info={"version": [8, 0, 0], "s3_direct_uploads_enabled": True,
                                     "s3_enabled_upload_types": {"*": "*"}})
    with mock.patch.object(client, "_upload_to_storage", return_value=9) as upload_to_storage, \
            mock.patch.object(client, "_upload_to_sg") as upload_to_sg:
        assert client.upload("Shot", 1, str(small_file), "sg_file") == 9
    upload_to_storage.assert_called_once_with("Shot", 1, str(small_file), "sg_file", None, None, False, None)
    upload_to_sg.assert_not_called()


def test_upload_accepts_a_pathlib_path(small_file):
    client = make_client()
    with mock.patch.object(client, "_upload_to_sg", return_value=4) as upload_to_sg:
        assert client.upload("Shot", 1, small_file) == 4
    assert upload_to_sg.call_args[0][2] == str(small_file)
