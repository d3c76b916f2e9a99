"""End to end against the local site: both upload routes, multipart, downloads, thumbnails."""
from __future__ import annotations

import datetime
import os
import tracemalloc
import urllib.error
import urllib.request

import pytest


from shotgun_api3 import ShotgunError, ShotgunFileDownloadError

from .site_fixtures import running_site

ROUTES = ["server", "storage"]


@pytest.fixture(scope="module")
def files_site():
    with running_site() as site:
        yield site


@pytest.fixture(params=ROUTES)
def sg(request, files_site):
    return files_site.client(direct_uploads=request.param == "storage")


@pytest.fixture
def version(sg):
    project = sg.create("Project", {"name": "Files"})
    return sg.create("Version", {"code": "v001", "project": project})


@pytest.fixture
def shot(sg):
    project = sg.create("Project", {"name": "Shots"})
    return sg.create("Shot", {"code": "sh010", "project": project})


def write(path, data):
    path.write_bytes(data)
    return str(path)


MOVIE = bytes(range(256)) * 300 + b"end"


def test_upload_to_a_field_then_download_by_every_form(sg, version, tmp_path, files_site):
    path = write(tmp_path / "clip.mov", MOVIE)
    attachment_id = sg.upload("Version", version["id"], path, "sg_uploaded_movie", display_name="Clip",
                              tag_list="review, client")
    movie = sg.find_one("Version", [["id", "is", version["id"]]], ["sg_uploaded_movie"])["sg_uploaded_movie"]
    assert movie["link_type"] == "upload" and movie["name"] == "Clip"
    assert movie["content_type"] == "video/quicktime"
    assert movie["url"] == "%s/file_serve/attachment/%d" % (files_site.url, attachment_id)
    assert (movie["type"], movie["id"]) == ("Attachment", attachment_id)
    attachment = sg.find_one("Attachment", [["id", "is", attachment_id]],
                             ["this_file", "filename", "file_size", "tag_list"])
    assert (attachment["filename"], attachment["file_size"]) == ("clip.mov", len(MOVIE))
    assert sorted(attachment["tag_list"]) == ["client", "review"]
    assert sg.download_attachment(attachment_id) == MOVIE
    assert sg.download_attachment(attachment_id=attachment_id) == MOVIE
    assert sg.download_attachment(movie) == MOVIE
    assert sg.download_attachment({"type": "Attachment", "id": attachment_id}) == MOVIE
    assert sg.download_attachment(attachment["this_file"]) == MOVIE
    target = tmp_path / "copy.mov"
    assert sg.download_attachment(movie, file_path=str(target)) == str(target)
    assert target.read_bytes() == MOVIE
    assert sg.get_attachment_download_url(movie) == movie["url"]


def test_upload_without_a_field_attaches_the_file_to_the_entity(sg, shot, tmp_path):
    attachment_id = sg.upload("Shot", shot["id"], write(tmp_path / "brief.pdf", b"%PDF-1.4 brief"))
    attachment = sg.find_one("Attachment", [["id", "is", attachment_id]], ["attachment_links", "this_file"])
    assert [(link["type"], link["id"]) for link in attachment["attachment_links"]] == [("Shot", shot["id"])]
    assert attachment["this_file"]["name"] == "brief.pdf"
    assert attachment["this_file"]["content_type"] == "application/pdf"


def test_created_at_sets_the_attachment_creation_time(sg, shot, tmp_path):
    when = datetime.datetime(2020, 5, 1, 9, 30, tzinfo=datetime.timezone.utc)
    attachment_id = sg.upload("Shot", shot["id"], write(tmp_path / "old.txt", b"old"), created_at=when)
    created = sg.find_one("Attachment", [["id", "is", attachment_id]], ["created_at"])["created_at"]
    assert created.astimezone(datetime.timezone.utc) == when


def test_a_multipart_storage_upload_assembles_the_parts(files_site, tmp_path):
    sg = files_site.client(direct_uploads=True)
    sg._MULTIPART_UPLOAD_CHUNK_SIZE = 10000
    project = sg.create("Project", {"name": "Multipart"})
    version = sg.create("Version", {"code": "big", "project": project})
    seen = []
    attachment_id = sg.upload("Version", version["id"], write(tmp_path / "big.mov", MOVIE), "sg_uploaded_movie",
                              progress_callback=lambda done, total: seen.append((done, total)))
    assert sg.download_attachment(attachment_id) == MOVIE
    assert seen[-1] == (len(MOVIE), len(MOVIE))
    assert not [name for name in files_site.stored_names() if "-part-" in name]


@pytest.mark.parametrize("name", ["clip é 漢字.mov", "it's \"quoted\".mov", "semi;colon,comma.mov",
                                  "..%2F..%2Fetc.mov", "spaces   .mov"])
def test_odd_file_names_round_trip(sg, version, tmp_path, name, files_site):
    attachment_id = sg.upload("Version", version["id"], write(tmp_path / name, b"odd " + name.encode()),
                              "sg_uploaded_movie")
    movie = sg.find_one("Version", [["id", "is", version["id"]]], ["sg_uploaded_movie"])["sg_uploaded_movie"]
    assert movie["name"] == name
    assert sg.download_attachment(attachment_id) == b"odd " + name.encode()
    assert all(stored.replace("-", "").replace("upload", "").isalnum() for stored in files_site.stored_names())


def test_thumbnails_through_create_update_and_share(sg, tmp_path, files_site):
    project = sg.create("Project", {"name": "Thumbs"})
    image = write(tmp_path / "thumb.jpg", b"\xff\xd8 a jpeg")
    shot = sg.create("Shot", {"code": "sh020", "project": project, "image": image})
    assert shot["image"].startswith(files_site.url + "/thumbnail/")
    assert urllib.request.urlopen(shot["image"]).read() == b"\xff\xd8 a jpeg"

    second = write(tmp_path / "second.png", b"\x89PNG second")
    updated = sg.update("Shot", shot["id"], {"image": second})
    assert updated["image"] != shot["image"]
    assert sg.download_attachment({"url": updated["image"]}) == b"\x89PNG second"

    strip = write(tmp_path / "strip.jpg", b"\xff\xd8 strip")
    sg.upload_filmstrip_thumbnail("Shot", shot["id"], strip)
    found = sg.find_one("Shot", [["id", "is", shot["id"]]], ["image", "filmstrip_image"])
    assert urllib.request.urlopen(found["filmstrip_image"]).read() == b"\xff\xd8 strip"

    others = [sg.create("Shot", {"code": "sh%d" % n, "project": project}) for n in (30, 40)]
    shared_id = sg.share_thumbnail([{"type": "Shot", "id": o["id"]} for o in others],
                                   source_entity={"type": "Shot", "id": shot["id"]})
    for other in others:
        assert sg.find_one("Shot", [["id", "is", other["id"]]], ["image"])["image"] == found["image"]
    assert found["image"].split("/thumbnail/")[1].startswith("%d/" % shared_id)

    targets = [{"type": "Shot", "id": others[0]["id"]}, {"type": "Shot", "id": others[1]["id"]}]
    uploaded_id = sg.share_thumbnail(targets, thumbnail_path=image)
    assert targets == [{"type": "Shot", "id": others[1]["id"]}]
    first, last = (sg.find_one("Shot", [["id", "is", o["id"]]], ["image"])["image"] for o in others)
    assert first == last and "/thumbnail/%d/" % uploaded_id in first

    cleared = sg.update("Shot", shot["id"], {"image": None})
    assert cleared["image"] is None


def test_sharing_from_an_entity_without_a_thumbnail_fails(sg, shot):
    with pytest.raises(ShotgunError, match="Unable to share thumbnail"):
        sg.share_thumbnail([{"type": "Shot", "id": shot["id"]}], source_entity={"type": "Shot", "id": shot["id"]})


def test_uploads_the_site_refuses_raise_shotgun_errors(sg, version, tmp_path):
    path = write(tmp_path / "a.txt", b"a")
    with pytest.raises(ShotgunError, match="Could not upload file successfully"):
        sg.upload("Version", 999999, path, "sg_uploaded_movie")
    with pytest.raises(ShotgunError, match="sg_nope"):
        sg.upload("Version", version["id"], path, "sg_nope")
    with pytest.raises(ShotgunError, match="not a file/link field"):
        sg.upload("Version", version["id"], path, "code")


def test_a_bad_login_is_refused_before_the_file_is_stored(files_site, version, tmp_path):
    import shotgun_api3
    bad = shotgun_api3.Shotgun(files_site.url, script_name="files_e2e", api_key="wrong")
    bad.BACKOFF = 0
    before = files_site.stored_names()
    with pytest.raises(ShotgunError, match="Authentication failed"):
        bad.upload("Version", version["id"], write(tmp_path / "x.mov", b"x" * 1000), "sg_uploaded_movie")
    assert files_site.stored_names() == before


def test_downloading_a_missing_attachment_is_a_clear_error(sg, tmp_path):
    target = tmp_path / "missing.bin"
    with pytest.raises(ShotgunFileDownloadError, match="Attachment may not exist"):
        sg.download_attachment(987654, file_path=str(target))
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_file_serve_needs_the_session_cookie(files_site, sg, version, tmp_path):
    attachment_id = sg.upload("Version", version["id"], write(tmp_path / "c.mov", b"secret"), "sg_uploaded_movie")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen("%s/file_serve/attachment/%d" % (files_site.url, attachment_id))
    assert raised.value.code == 403


def test_storage_urls_must_be_signed(files_site):
    request = urllib.request.Request(files_site.url + "/storage/" + "a" * 32 + "/0/x.mov?expires=9999999999&signature=0",
                                     data=b"forged", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    assert raised.value.code == 403


def test_uploads_and_downloads_stream_through_the_site(files_site, tmp_path):
    size = 12 * 1024 * 1024
    path = tmp_path / "stream.mov"
    with open(path, "wb") as out:
        for _ in range(size // (1024 * 1024)):
            out.write(os.urandom(1024 * 1024))
    for direct in (False, True):
        sg = files_site.client(direct_uploads=direct)
        sg._MULTIPART_UPLOAD_CHUNK_SIZE = 5 * 1024 * 1024
        project = sg.create("Project", {"name": "Stream %s" % direct})
        version = sg.create("Version", {"code": "s", "project": project})
        target = tmp_path / ("back-%s.mov" % direct)
        tracemalloc.start()
        try:
            attachment_id = sg.upload("Version", version["id"], str(path), "sg_uploaded_movie")
            sg.download_attachment(attachment_id, file_path=str(target))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert target.read_bytes() == path.read_bytes()
        # Client and server run in this process: both stream, so the peak is a few chunks.
        assert peak < 8 * 1024 * 1024, peak


def test_old_clients_find_thumbnails_through_get_thumbnail_url(sg, files_site, tmp_path):
    project = sg.create("Project", {"name": "Old"})
    shot = sg.create("Shot", {"code": "old", "project": project, "image": write(tmp_path / "t.png", b"\x89PNG")})
    url = "%s/upload/get_thumbnail_url?entity_type=Shot&entity_id=%d" % (files_site.url, shot["id"])
    # Only a signed-in caller is answered (a live session cookie).
    assert urllib.request.urlopen(url).read().decode().startswith("0\nAuthentication failed")
    cookie = {"Cookie": "_session_id=%s" % sg.get_session_token()}
    answer = urllib.request.urlopen(urllib.request.Request(url, headers=cookie)).read().decode()
    assert answer == "1\n" + shot["image"][len(files_site.url):]
    missing = urllib.request.urlopen(urllib.request.Request(
        url.replace("entity_id=%d" % shot["id"], "entity_id=999999"), headers=cookie)).read().decode()
    assert missing.startswith("0\n")


def test_head_requests_and_anonymous_downloads(sg, version, files_site, tmp_path):
    attachment_id = sg.upload("Version", version["id"], write(tmp_path / "h.mov", b"h" * 1234), "sg_uploaded_movie")
    url = "%s/file_serve/attachment/%d" % (files_site.url, attachment_id)
    files_site.site.anonymous_downloads = True
    try:
        head = urllib.request.urlopen(urllib.request.Request(url, method="HEAD"))
        assert head.headers["Content-Length"] == "1234" and head.read() == b""
        assert urllib.request.urlopen(url).read() == b"h" * 1234
    finally:
        files_site.site.anonymous_downloads = False


def test_a_failed_server_upload_keeps_no_bytes(sg, files_site, tmp_path):
    before = files_site.stored_names()
    with pytest.raises(ShotgunError):
        sg.upload("Version", 999999, write(tmp_path / "lost.mov", b"l" * 5000), "sg_uploaded_movie")
    assert files_site.stored_names() == before


def test_uploads_with_session_token_and_user_credentials(files_site, version, tmp_path):
    import shotgun_api3

    if "uploader" not in files_site.site.accounts.users:
        files_site.site.add_user("uploader", "pass word 1", name="Up Loader")
    token = files_site.client().get_session_token()
    clients = [shotgun_api3.Shotgun(files_site.url, session_token=token),
               shotgun_api3.Shotgun(files_site.url, login="uploader", password="pass word 1")]
    for number, client in enumerate(clients):
        path = write(tmp_path / ("u%d.mov" % number), b"user upload %d" % number)
        attachment_id = client.upload("Version", version["id"], path, "sg_uploaded_movie")
        assert client.download_attachment(attachment_id) == b"user upload %d" % number


def test_concurrent_uploads_and_downloads_keep_their_own_bytes(files_site, tmp_path):
    import threading

    direct = {0: False, 1: True, 2: False, 3: True}
    results = {}
    errors = []
    setup = files_site.client()
    project = setup.create("Project", {"name": "Concurrent"})
    versions = [setup.create("Version", {"code": "c%d" % n, "project": project}) for n in direct]

    # The site's info decides the route when a client first reads it: make
    # each client read it before the threads start.
    clients = {}
    for number in direct:
        clients[number] = files_site.client(direct_uploads=direct[number])
        clients[number]._MULTIPART_UPLOAD_CHUNK_SIZE = 50000
        assert clients[number].server_info["s3_direct_uploads_enabled"] is direct[number]

    def work(number):
        try:
            sg = clients[number]
            payload = bytes([number]) * (120000 + number)
            path = write(tmp_path / ("c%d.mov" % number), payload)
            attachment_id = sg.upload("Version", versions[number]["id"], path, "sg_uploaded_movie")
            results[number] = sg.download_attachment(attachment_id) == payload
        except Exception as error:  # reported below with the thread's number
            errors.append((number, error))

    threads = [threading.Thread(target=work, args=(n,)) for n in direct]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == {0: True, 1: True, 2: True, 3: True}
