"""The reference client uploads to and downloads from our local site, through both routes."""
from __future__ import annotations

import json

import pytest


from tests.support.reference_venv import run_reference

from .site_fixtures import SCRIPT, running_site

SCRIPT_TEXT = r'''
import json, os, sys
import shotgun_api3
site = json.loads(sys.argv[1])
sg = shotgun_api3.Shotgun(site["url"], script_name=site["script"], api_key=site["key"])
sg._MULTIPART_UPLOAD_CHUNK_SIZE = 100000
project = sg.create("Project", {"name": "Reference"})
version = sg.create("Version", {"code": "v", "project": project})
path = os.path.join(site["folder"], "reference clip \u00e9.mov")
with open(path, "wb") as out:
    out.write(bytes(range(256)) * 1000)
attachment_id = sg.upload("Version", version["id"], path, "sg_uploaded_movie", tag_list="ref")
movie = sg.find_one("Version", [["id", "is", version["id"]]], ["sg_uploaded_movie"])["sg_uploaded_movie"]
data = sg.download_attachment(movie)
shot = sg.create("Shot", {"code": "s", "project": project, "image": path})
print(json.dumps({"id": attachment_id, "name": movie["name"], "same": data == open(path, "rb").read(),
                  "image": shot["image"]}))
'''


@pytest.mark.reference
@pytest.mark.slow
@pytest.mark.parametrize("direct", [False, True], ids=["server-route", "storage-multipart"])
def test_the_reference_client_uploads_and_downloads_through_the_local_site(direct, tmp_path):
    with running_site() as site:
        site.client(direct_uploads=direct)
        # The reference client's session cookie never matches a site URL with a port.
        site.site.anonymous_downloads = True
        answer = json.loads(run_reference(SCRIPT_TEXT, json.dumps(
            {"url": site.url, "script": SCRIPT, "key": site.key, "folder": str(tmp_path)})))
    assert answer["same"] is True
    assert answer["name"] == "reference clip é.mov"
    assert answer["image"].startswith(site.url + "/thumbnail/")
