"""The demo: an example pipeline run through ``shotgun_api3.Shotgun`` against an embedded local site.

Each step is a function ``step(sg, state) -> str`` that does one piece of
pipeline work over HTTP and returns one line for the report; ``state``
carries what earlier steps made. ``seed-demo`` runs the same steps against a
site folder, so the demo data and the demo never drift apart.
"""
from __future__ import annotations

import shutil
import struct
import tempfile
import time
import zlib
from pathlib import Path
from typing import Callable, Iterator, List

from .server import LocalSiteServer
from .site import Site

DEMO_SCRIPT = "demo_pipeline"
DEMO_LOGIN = "ada"
DEMO_PASSWORD = "moonrise-demo-pw"

Step = Callable[[object, dict], str]


def make_project(sg, state: dict) -> str:
    project = sg.create("Project", {"name": "Moonrise", "sg_type": "Short Film", "sg_status": "Active",
                                    "sg_description": "Demo project made by the local site demo"})
    state["project"] = project
    return "project Moonrise created (Project %d)" % project["id"]


def make_sequences(sg, state: dict) -> str:
    state["sequences"] = [sg.create("Sequence", {"code": code, "project": state["project"],
                                                 "description": description})
                          for code, description in (("SQ010", "Launch"), ("SQ020", "Landing"))]
    return "sequences: %s" % ", ".join(s["code"] for s in state["sequences"])


def make_shots(sg, state: dict) -> str:
    shots = []
    for sequence in state["sequences"]:
        for number in (10, 20, 30):
            code = "%s_%04d" % (sequence["code"], number)
            shots.append(sg.create("Shot", {"code": code, "project": state["project"], "sg_sequence": sequence,
                                            "sg_cut_in": 1001, "sg_cut_out": 1000 + number * 4,
                                            "sg_status_list": "wtg", "description": "shot %s" % code}))
    state["shots"] = shots
    found = sg.find("Shot", [["project", "is", state["project"]]], ["code", "sg_sequence"], order=[
        {"field_name": "code", "direction": "asc"}])
    per_sequence = {}
    for shot in found:
        per_sequence.setdefault(shot["sg_sequence"]["name"], []).append(shot["code"])
    return "shots: %d created, read back %s" % (len(shots), "; ".join(
        "%s has %d" % (name, len(codes)) for name, codes in sorted(per_sequence.items())))


def make_assets(sg, state: dict) -> str:
    assets = []
    for code, kind in (("rocket", "Vehicle"), ("pilot", "Character"), ("launchpad", "Environment"),
                       ("helmet", "Prop")):
        assets.append(sg.create("Asset", {"code": code, "sg_asset_type": kind, "project": state["project"],
                                          "shots": state["shots"][:2]}))
    state["assets"] = assets
    return "assets: %s" % ", ".join("%s (%s)" % (a["code"], a["sg_asset_type"]) for a in assets)


def make_tasks(sg, state: dict) -> str:
    artist = state["artist"]
    tasks = []
    for shot in state["shots"]:
        for content in ("Animation", "Lighting"):
            tasks.append(sg.create("Task", {"content": content, "entity": shot, "project": state["project"],
                                            "task_assignees": [artist], "sg_status_list": "rdy"}))
    state["tasks"] = tasks
    mine = sg.find("Task", [["task_assignees", "is", artist], ["content", "is", "Animation"]], ["entity.Shot.code"])
    return "tasks: %d created; %s has %d animation tasks" % (len(tasks), artist["name"], len(mine))


def make_versions(sg, state: dict) -> str:
    versions = []
    for shot, task in zip(state["shots"][:3], state["tasks"][::2]):
        versions.append(sg.create("Version", {"code": "%s_anim_v001" % shot["code"], "entity": shot, "sg_task": task,
                                              "project": state["project"], "sg_status_list": "rev",
                                              "user": state["artist"], "description": "first animation pass"}))
    state["versions"] = versions
    return "versions: %s" % ", ".join(v["code"] for v in versions)


def _png(width: int, height: int, tint: int) -> bytes:
    """A small gradient PNG made with the standard library: the demo's thumbnails."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, tint)) for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def upload_media(sg, state: dict) -> str:
    """Thumbnails for every version, and a movie on the first one, downloaded back to check the bytes."""
    media = Path(state["media_folder"])
    for number, version in enumerate(state["versions"]):
        thumbnail = media / ("%s.png" % version["code"])
        thumbnail.write_bytes(_png(96, 54, 60 * number))
        sg.upload_thumbnail("Version", version["id"], str(thumbnail))
    # Not an encoded clip: the site stores and serves movie bytes as they are.
    movie = media / ("%s.mov" % state["versions"][0]["code"])
    movie.write_bytes(b"demo movie bytes " * 4096)
    attachment_id = sg.upload("Version", state["versions"][0]["id"], str(movie), field_name="sg_uploaded_movie",
                              display_name="first animation pass")
    version = sg.find_one("Version", [["id", "is", state["versions"][0]["id"]]], ["sg_uploaded_movie", "image"])
    downloaded = sg.download_attachment(version["sg_uploaded_movie"])
    with_thumbnails = sg.find("Version", [["image", "is_not", None], ["project", "is", state["project"]]], ["code"])
    return "%d thumbnails uploaded; movie %s (%d bytes) attached as Attachment %d, downloaded back %s" % (
        len(with_thumbnails), movie.name, movie.stat().st_size, attachment_id,
        "identical" if downloaded == movie.read_bytes() else "DIFFERENT")


def log_in_as_artist(sg, state: dict) -> str:
    from .. import Shotgun

    human = Shotgun(state["url"], login=DEMO_LOGIN, password=DEMO_PASSWORD)
    token = human.get_session_token()
    by_token = Shotgun(state["url"], session_token=token)
    me = by_token.find_one("HumanUser", [["login", "is", DEMO_LOGIN]], ["name"])
    human.close()
    by_token.close()
    return "artist %s logged in with a password, then worked with a session token" % me["name"]


def write_notes(sg, state: dict) -> str:
    shot = state["shots"][0]
    note = sg.create("Note", {"subject": "Timing on %s" % shot["code"], "content": "The launch feels slow.",
                              "project": state["project"], "note_links": [shot, state["versions"][0]],
                              "addressings_to": [state["artist"]]})
    replies = [sg.create("Reply", {"entity": note, "content": text})
               for text in ("Tightened by 6 frames.", "Looks right now, thanks.")]
    thread = sg.note_thread_read(note["id"])
    state["note"] = note
    return "note %r with %d replies; its thread reads back %s" % (
        note["subject"], len(replies), " > ".join(entry["type"] for entry in thread))


def run_batch(sg, state: dict) -> str:
    requests = [{"request_type": "update", "entity_type": "Shot", "entity_id": shot["id"],
                 "data": {"sg_status_list": "ip"}} for shot in state["shots"][:4]]
    requests.append({"request_type": "create", "entity_type": "Shot",
                     "data": {"code": "SQ020_0040", "project": state["project"], "sg_sequence": state["sequences"][1]}})
    requests.append({"request_type": "delete", "entity_type": "Asset", "entity_id": state["assets"][-1]["id"]})
    results = sg.batch(requests)
    in_progress = sg.find("Shot", [["project", "is", state["project"]], ["sg_status_list", "is", "ip"]], ["code"])
    return "batch of %d requests in one transaction: %d shots in progress, shot %s created, asset retired: %s" % (
        len(results), len(in_progress), results[-2]["code"], results[-1])


def summarize_report(sg, state: dict) -> str:
    report = sg.summarize("Shot", [["project", "is", state["project"]]],
                          [{"field": "id", "type": "count"}, {"field": "sg_cut_out", "type": "maximum"}],
                          grouping=[{"field": "sg_sequence", "type": "exact", "direction": "asc"}])
    groups = ", ".join("%s: %s shots" % (group["group_name"], group["summaries"]["id"]) for group in report["groups"])
    return "summarize: %s shots in all (%s), longest cut ends at frame %s" % (
        report["summaries"]["id"], groups, report["summaries"]["sg_cut_out"])


def search_text(sg, state: dict) -> str:
    found = sg.text_search("SQ010", {"Shot": [["project", "is", state["project"]]], "Sequence": []})
    names = sorted(match["name"] for match in found["matches"])
    return "text_search 'SQ010': %d matches (%s)" % (len(names), ", ".join(names))


def read_event_log(sg, state: dict) -> str:
    events = sg.find("EventLogEntry", [["project", "is", state["project"]]], ["event_type", "entity"],
                     order=[{"field_name": "id", "direction": "desc"}], limit=500)
    kinds = {}
    for event in events:
        kinds[event["event_type"]] = kinds.get(event["event_type"], 0) + 1
    top = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))[:3]
    return "event log: %d entries for the project, most common %s" % (
        len(events), ", ".join("%s x%d" % item for item in top))


#: The pipeline, in order.
STEPS: List[Step] = [make_project, make_sequences, make_shots, make_assets, make_tasks, make_versions,
                     upload_media, log_in_as_artist, write_notes, run_batch, summarize_report, search_text,
                     read_event_log]


def _prepare(site: Site) -> dict:
    """Make the demo's script and artist on ``site``; return the starting state."""
    _, key = site.add_script(DEMO_SCRIPT, can_sudo=True)
    artist, _ = site.add_user(DEMO_LOGIN, DEMO_PASSWORD, name="Ada Lovelace")
    artist["name"] = "Ada Lovelace"
    return {"script_key": key, "artist": artist}


def run_steps(site: Site, state: dict) -> Iterator[str]:
    """Serve ``site`` on an ephemeral port and run every step through our client; yield report lines."""
    from .. import Shotgun

    with LocalSiteServer(site) as server, tempfile.TemporaryDirectory(prefix="local-site-demo-media-") as media:
        state["url"] = server.url
        state["media_folder"] = media
        yield "local site at %s (script %s, user %s)" % (server.url, DEMO_SCRIPT, DEMO_LOGIN)
        sg = Shotgun(server.url, script_name=DEMO_SCRIPT, api_key=state["script_key"])
        try:
            for step in STEPS:
                started = time.perf_counter()
                line = step(sg, state)
                yield "  %-18s %s (%.0f ms)" % (step.__name__, line, (time.perf_counter() - started) * 1000)
        finally:
            sg.close()


def seed_site(site: Site) -> Iterator[str]:
    """Fill ``site`` with the demo project (``seed-demo``); yields progress, then the credentials made."""
    state = _prepare(site)
    for line in run_steps(site, state):
        yield line
    yield "seeded. Script: script_name=%s api_key=%s (may sudo_as_login)" % (DEMO_SCRIPT, state["script_key"])
    yield "        User:   login=%s password=%s" % (DEMO_LOGIN, DEMO_PASSWORD)


def run_demo(keep: bool = False) -> int:
    """The README's first command: demo site in a temporary folder, pipeline over HTTP, report, stop."""
    folder = Path(tempfile.mkdtemp(prefix="shotgun-local-site-demo-"))
    print("shotgun_api3 local site demo")
    started = time.perf_counter()
    site = Site.create(folder / "site")
    try:
        for line in run_steps(site, _prepare(site)):
            print(line, flush=True)
    finally:
        site.close()
        if keep:
            print("site folder kept: %s (serve it with: shotgun-local-site serve --site %s)"
                  % (folder / "site", folder / "site"))
            print("see what the pipeline wrote: open the pages URL serve prints and log in as %s / %s"
                  % (DEMO_LOGIN, DEMO_PASSWORD))
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print("done in %.1f s: the site was stopped%s." % (time.perf_counter() - started,
                                                       "" if keep else " and its folder removed"))
    if not keep:
        print("to browse what it wrote in the site's web pages, run it again with --keep")
    return 0
