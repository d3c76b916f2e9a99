"""One end-to-end run of the pages in a real headless browser: log in, the home page, a table, a record, the event log.

Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python with
the system browser (Playwright never downloads one here), started with flags
that keep it from making any outside connection, and a fresh profile. The
screenshots go to ``tmp_path`` (or to ``$LOCAL_SITE_WEB_SCREENSHOTS``, which is
how the ones in docs/_static were made). Skipped with the reason where no
browser or no Playwright is installed; ``.ci/run`` installs both and makes
a skip a failure there.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.running_site import LOGIN, PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _skip_reason():
    if not os.access(CHROMIUM, os.X_OK):
        return "no browser: %s is not installed (apt-get install chromium; .ci/run installs it)" % CHROMIUM
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "no Playwright for Python: pip install -e '.[browser]' (.ci/run installs it)"
    return None


@pytest.fixture
def browser_installed():
    """Skip (fail under ``LOCAL_SITE_REQUIRE_BROWSER=1``, as in .ci/run) without a browser and Playwright."""
    reason = _skip_reason()
    if reason is not None:
        if os.environ.get("LOCAL_SITE_REQUIRE_BROWSER"):
            pytest.fail("LOCAL_SITE_REQUIRE_BROWSER is set but " + reason)
        pytest.skip(reason)


def _fill(sg, media: Path):
    from shotgun_api3.local_site.demo import _png

    project = sg.create("Project", {"name": "Moonrise", "sg_status": "Active"})
    sequence = sg.create("Sequence", {"code": "SQ010", "project": project, "description": "Launch"})
    shots = []
    for n, tint in zip(range(1, 7), (40, 90, 140, 190, 220, 250)):
        shot = sg.create("Shot", {"code": "SQ010_%04d" % (n * 10), "project": project, "sg_sequence": sequence,
                                  "sg_status_list": ("ip", "wtg", "fin")[n % 3],
                                  "description": "<script>alert('hostile %d')</script>" % n if n == 3 else
                                  "shot %d of the launch" % n})
        image = media / ("shot%d.png" % n)
        image.write_bytes(_png(96, 54, tint))
        sg.upload_thumbnail("Shot", shot["id"], str(image))
        shots.append(shot)
    for step in ("layout", "animation", "lighting"):
        sg.create("Task", {"content": step, "entity": shots[0], "project": project})
    sg.create("Version", {"code": "SQ010_0010_v001", "entity": shots[0], "project": project})
    sg.upload("Shot", shots[0]["id"], str(media / "shot1.png"))
    sg.update("Shot", shots[0]["id"], {"sg_status_list": "fin", "description": "approved"})
    return shots


def test_a_browser_logs_in_and_reads_a_table_a_record_and_the_event_log(browser_installed, local_site, tmp_path):
    from playwright.sync_api import sync_playwright

    sg = local_site.client()
    shots = _fill(sg, tmp_path)
    sg.close()
    shots_dir = Path(os.environ.get("LOCAL_SITE_WEB_SCREENSHOTS") or tmp_path / "screenshots")
    shots_dir.mkdir(parents=True, exist_ok=True)
    profile = tmp_path / "chromium-profile"
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    saved = []

    def snap(page, name):
        path = shots_dir / ("web_%s.png" % name)
        page.screenshot(path=str(path), full_page=False)
        saved.append(path)

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 720})
        try:
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(local_site.url + "/table/Shot")
            assert "/login" in page.url
            page.fill("input[name=login]", LOGIN)
            page.fill("input[name=password]", PASSWORD)
            snap(page, "login")
            page.click("button[type=submit]")
            page.wait_for_url(local_site.url + "/table/Shot")
            page.goto(local_site.url + "/?project=%d" % shots[0]["project"]["id"])
            assert page.locator("tbody tr", has_text="Shot").first.is_visible()
            snap(page, "home")
            page.goto(local_site.url + "/table/Shot?" + "columns=code,sg_status_list,sg_sequence,image,description,"
                      "project.Project.name")
            assert page.locator("tbody tr").count() == len(shots)
            assert page.locator("img.thumb").count() == len(shots)
            assert "<script>alert('hostile 3')</script>" in page.inner_text("tbody")
            snap(page, "table")
            page.click("tbody tr:first-child td:first-child a")
            page.wait_for_url("**/detail/Shot/%d" % shots[0]["id"])
            assert "What links here" in page.inner_text("main")
            assert page.locator("h2:has-text('What links here') + table a", has_text="animation").count() == 1
            snap(page, "record")
            page.click("nav a:has-text('Event log')")
            page.wait_for_url("**/events")
            assert "Shotgun_Shot_Change" in page.inner_text("tbody")
            snap(page, "events")
            page.click("nav button:has-text('Log out')")
            page.wait_for_url("**/login")
            assert dialogs == []  # no stored value ran as a script
        finally:
            context.close()
    for path in saved:
        assert path.stat().st_size > 2000, path
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert len(saved) == 5
    shutil.rmtree(profile, ignore_errors=True)
