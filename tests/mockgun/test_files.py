"""Uploads, thumbnails and downloads through mockgun: kept in a temporary store, never on the network."""
import os

import pytest

import shotgun_api3

MOVIE = b"\x00movie bytes\xff" * 1000


@pytest.fixture
def site(site_sg, tmp_path):
    sg = site_sg
    project = sg.create("Project", {"name": "Pilot"})
    shot = sg.create("Shot", {"code": "sh010", "project": project})
    version = sg.create("Version", {"code": "sh010_v001", "project": project, "entity": shot})
    movie = tmp_path / "sh010 v001.mov"
    movie.write_bytes(MOVIE)
    thumb = tmp_path / "thumb.jpg"
    thumb.write_bytes(b"\xff\xd8jpeg-ish")
    return {"sg": sg, "project": project, "shot": shot, "version": version, "movie": str(movie),
            "thumb": str(thumb), "tmp": tmp_path}


def test_upload_into_a_file_field_links_an_attachment_that_downloads_back(site):
    sg, version = site["sg"], site["version"]
    attachment_id = sg.upload("Version", version["id"], site["movie"], field_name="sg_uploaded_movie",
                              display_name="sh010 comp")
    movie = sg.find_one("Version", [["id", "is", version["id"]]], ["sg_uploaded_movie"])["sg_uploaded_movie"]
    assert movie["name"] == "sh010 comp" and movie["link_type"] == "upload"
    assert movie["url"].endswith("/file_serve/attachment/%d" % attachment_id)
    assert sg.download_attachment(movie) == MOVIE
    assert sg.download_attachment(attachment_id) == MOVIE
    assert sg.download_attachment({"type": "Attachment", "id": attachment_id}) == MOVIE


def test_upload_without_a_field_attaches_the_file_to_the_entity(site):
    sg, shot = site["sg"], site["shot"]
    attachment_id = sg.upload("Shot", shot["id"], site["movie"], tag_list="brief, client")
    attachment = sg.find_one("Attachment", [["id", "is", attachment_id]],
                             ["attachment_links", "filename", "file_size", "tag_list"])
    assert attachment["attachment_links"] == [{"type": "Shot", "id": shot["id"], "name": "sh010"}]
    assert attachment["filename"] == "sh010 v001.mov" and attachment["file_size"] == len(MOVIE)


def test_download_to_a_file_path(site):
    sg = site["sg"]
    attachment_id = sg.upload("Shot", site["shot"]["id"], site["movie"])
    target = str(site["tmp"] / "out.mov")
    assert sg.download_attachment(attachment_id, file_path=target) == target
    with open(target, "rb") as handle:
        assert handle.read() == MOVIE


def test_upload_thumbnail_sets_the_image_and_its_url_downloads(site):
    sg, shot = site["sg"], site["shot"]
    sg.upload_thumbnail("Shot", shot["id"], site["thumb"])
    image = sg.find_one("Shot", [["id", "is", shot["id"]]], ["image"])["image"]
    assert image
    assert sg.download_attachment({"url": image}) == b"\xff\xd8jpeg-ish"


def test_thumbnails_through_create_and_update(site):
    sg = site["sg"]
    shot = sg.create("Shot", {"code": "sh020", "project": site["project"], "image": site["thumb"]})
    assert shot["image"]
    sg.update("Shot", shot["id"], {"image": None})
    assert sg.find_one("Shot", [["id", "is", shot["id"]]], ["image"])["image"] is None


def test_share_thumbnail_from_a_source_entity(site):
    sg, shot = site["sg"], site["shot"]
    sg.upload_thumbnail("Shot", shot["id"], site["thumb"])
    other = sg.create("Shot", {"code": "sh030", "project": site["project"]})
    sg.share_thumbnail([other], source_entity=shot)
    images = [row["image"] for row in sg.find("Shot", [["id", "in", [shot["id"], other["id"]]]], ["image"])]
    assert images[0] == images[1] and images[0]


def test_share_thumbnail_of_a_source_without_one_fails(site):
    other = site["sg"].create("Shot", {"code": "sh030", "project": site["project"]})
    with pytest.raises(shotgun_api3.ShotgunError, match="thumbnail"):
        site["sg"].share_thumbnail([other], source_entity=site["shot"])


def test_upload_to_a_missing_record_fails_and_stores_nothing(site):
    sg = site["sg"]
    with pytest.raises(shotgun_api3.ShotgunError):
        sg.upload("Shot", 999, site["movie"])
    assert sg.find("Attachment", []) == []
    assert [name for name in os.listdir(sg._file_store.folder) if not name.startswith(".")] == []


def test_bad_upload_paths_fail_in_the_client(site):
    with pytest.raises(shotgun_api3.ShotgunError, match="valid file"):
        site["sg"].upload("Shot", site["shot"]["id"], str(site["tmp"] / "missing.mov"))
    empty = site["tmp"] / "empty.mov"
    empty.write_bytes(b"")
    with pytest.raises(shotgun_api3.ShotgunError, match="empty"):
        site["sg"].upload("Shot", site["shot"]["id"], str(empty))


def test_downloads_of_foreign_urls_never_reach_the_network(site):
    with pytest.raises(shotgun_api3.ShotgunFileDownloadError, match="example.com"):
        site["sg"].download_attachment({"url": "https://example.com/file.mov"})


def test_progress_is_reported_for_uploads_and_downloads(site):
    sg = site["sg"]
    sent, received = [], []
    attachment_id = sg.upload("Shot", site["shot"]["id"], site["movie"],
                              progress_callback=lambda done, total: sent.append((done, total)))
    sg.download_attachment(attachment_id, progress_callback=lambda done, total: received.append((done, total)))
    assert sent[-1] == (len(MOVIE), len(MOVIE))
    assert received[-1] == (len(MOVIE), len(MOVIE))


def test_a_site_with_direct_storage_uploads_still_uploads_in_process(site):
    sg = site["sg"]
    sg.server_info = dict(sg.server_info, s3_direct_uploads_enabled=True, s3_enabled_upload_types={"*": "*"})
    attachment_id = sg.upload("Version", site["version"]["id"], site["movie"], field_name="sg_uploaded_movie")
    assert sg.download_attachment(attachment_id) == MOVIE


def test_each_instance_has_its_own_file_store(site):
    sg = site["sg"]
    attachment_id = sg.upload("Shot", site["shot"]["id"], site["movie"])
    other = type(sg)("http://unit_test_mock_sg")
    with pytest.raises(shotgun_api3.ShotgunFileDownloadError):
        other.download_attachment(attachment_id)
