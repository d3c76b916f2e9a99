"""A source site for the import and fixture tests: a custom schema, several projects, links, files.

``seed(sg, user, folder)`` fills a site through our client and returns the
ids the tests look at. Awkward cases are on purpose: unicode, an empty
project, None values, a retired record, a link to a record outside the
copied project, a multi-entity field, an attachment and a thumbnail.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

from tests.support.running_site import running_local_site

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def seed(sg: Any, user: Dict[str, Any], folder: Path) -> Dict[str, Any]:
    """Fill the site ``sg`` talks to; ``user`` is a HumanUser link; files are written in ``folder``."""
    custom = sg.schema_field_create("Shot", "text", "Custom Notes")
    level = sg.schema_field_create("Shot", "list", "Shot Level", properties={"valid_values": ["low", "high"]})
    alpha = sg.create("Project", {"name": "Alpha"})
    beta = sg.create("Project", {"name": "Beta"})
    empty = sg.create("Project", {"name": "Γάμμα (empty)"})
    sg.schema_field_update("Shot", "sg_shot_level", {"visible": False}, project_entity=alpha)
    sequence = sg.create("Sequence", {"code": "SQ010", "project": alpha})
    outside = sg.create("Asset", {"code": "hero", "project": beta, "sg_asset_type": "Character"})
    asset = sg.create("Asset", {"code": "prop", "project": alpha})
    shots = [sg.create("Shot", {"code": "sh%03d" % n, "project": alpha, "sg_sequence": sequence,
                                custom: "ünïcødé ✓ %d" % n if n % 2 else None, level: "high" if n % 2 else "low",
                                "assets": [asset, outside], "description": None})
             for n in range(1, 6)]
    sg.create("Shot", {"code": "elsewhere", "project": beta})
    tasks = [sg.create("Task", {"content": "anim %d" % n, "project": alpha, "entity": shot,
                                "task_assignees": [user], "due_date": "2024-03-0%d" % (n + 1)})
             for n, shot in enumerate(shots)]
    note = sg.create("Note", {"subject": "Notes on sh001", "content": "Ada says: longer\nmultiline text",
                              "project": alpha, "note_links": [shots[0], outside], "addressings_to": [user]})
    retired = sg.create("Shot", {"code": "gone", "project": alpha})
    sg.delete("Shot", retired["id"])
    attachment_path = folder / "brief.txt"
    attachment_path.write_text("the brief\n", encoding="utf-8")
    attachment_id = sg.upload("Shot", shots[0]["id"], str(attachment_path))
    thumbnail_path = folder / "thumb.png"
    thumbnail_path.write_bytes(PNG)
    sg.upload_thumbnail("Shot", shots[1]["id"], str(thumbnail_path))
    return {"alpha": alpha, "beta": beta, "empty": empty, "shots": shots, "tasks": tasks, "note": note,
            "outside": outside, "retired": retired, "custom": custom, "level": level, "attachment": attachment_id}


@contextlib.contextmanager
def seeded_site(folder: Path) -> Iterator[Tuple[Any, Dict[str, Any]]]:
    """A site in ``folder / "source"``, seeded and served: ``(running site, seed ids)``."""
    from shotgun_api3.local_site.site import Site

    site = Site.create(folder / "source")
    try:
        with running_local_site(site) as running:
            sg = running.client()
            ids = seed(sg, running.user, folder)
            sg.close()
            yield running, ids
    finally:
        site.close()
