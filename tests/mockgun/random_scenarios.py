"""Seeded random scenarios of writes and reads for the differential test against the reference mockgun.

Writes use only values the reference takes (so both stores stay the same);
reads use the filters, dotted fields and orders a rig uses, some of which
the reference fails on (those steps are compared only where it answered).
Nothing here depends on the order of dict keys or on the clock.
"""
import random

TYPES = ("Sequence", "Shot", "Asset", "Version", "Note")
STATUSES = ("ip", "fin", "wtg", "hld")
WORDS = ("alpha", "Beta", "gamma ray", "ÜBER", "night, rain", "", "sh010")


def call(name, *args, **kwargs):
    return {"call": name, "args": list(args), "kwargs": kwargs}


class _World:
    """What the generator knows it created: ids per type, so links point at real rows."""

    def __init__(self, rng):
        self.rng = rng
        self.ids = {name: [] for name in TYPES + ("Project",)}

    def link(self, entity_type):
        if not self.ids[entity_type]:
            return None
        return {"type": entity_type, "id": self.rng.choice(self.ids[entity_type])}

    def links(self, entity_type, most=3):
        chosen = []
        for _ in range(self.rng.randint(0, most)):
            link = self.link(entity_type)
            if link and link not in chosen:
                chosen.append(link)
        return chosen


def _create(world, rng):
    entity_type = rng.choice(TYPES)
    project = world.link("Project")
    data = {"project": project}
    if entity_type == "Sequence":
        data.update(code="sq%02d" % rng.randint(1, 30), sg_status_list=rng.choice(STATUSES))
    elif entity_type == "Shot":
        data.update(code="sh%03d" % rng.randint(1, 300), sg_sequence=world.link("Sequence"),
                    sg_cut_in=rng.choice([None, 0, 10, 1001, -5]), sg_status_list=rng.choice(STATUSES),
                    description=rng.choice(WORDS), assets=world.links("Asset"))
    elif entity_type == "Asset":
        data.update(code=rng.choice(["hero", "car", "tree", "Hero"]) + str(rng.randint(1, 9)),
                    sg_asset_type=rng.choice(["Character", "Vehicle", "Not A Choice"]))
    elif entity_type == "Version":
        data.update(code="v%03d" % rng.randint(1, 99), entity=world.link("Shot") or world.link("Asset"),
                    sg_uploaded_movie=rng.choice([None, {"url": "http://x/m.mov", "name": "m.mov"},
                                                  {"link_type": "upload", "name": "u.mov", "url": "http://x/u"}]))
    else:
        data.update(subject=rng.choice(WORDS), content="body", note_links=world.links("Shot", 2))
    data = {key: value for key, value in data.items() if value is not None or rng.random() < 0.3}
    return entity_type, call("create", entity_type, data)


def _update(world, rng):
    entity_type = rng.choice(("Shot", "Version", "Note"))
    if not world.ids[entity_type]:
        return None
    entity_id = rng.choice(world.ids[entity_type])
    if entity_type == "Shot":
        choice = rng.randint(0, 3)
        if choice == 0:
            return call("update", "Shot", entity_id, {"sg_status_list": rng.choice(STATUSES),
                                                      "description": rng.choice(WORDS)})
        if choice == 1:
            return call("update", "Shot", entity_id, {"sg_sequence": world.link("Sequence")})
        mode = rng.choice(["set", "add", "remove"])
        return call("update", "Shot", entity_id, {"assets": world.links("Asset", 2)},
                    multi_entity_update_modes={"assets": mode})
    if entity_type == "Version":
        return call("update", "Version", entity_id, {"code": "v%03d" % rng.randint(100, 200)})
    return call("update", "Note", entity_id, {"note_links": world.links("Shot", 2)},
                multi_entity_update_modes={"note_links": rng.choice(["set", "add"])})


READ_FIELDS = {
    "Shot": ["code", "sg_sequence", "assets", "sg_status_list", "sg_cut_in", "description", "project",
             "sg_sequence.Sequence.code", "assets.Asset.code", "project.Project.name", "created_at"],
    "Version": ["code", "entity", "sg_uploaded_movie", "entity.Shot.code", "project"],
    "Note": ["subject", "note_links", "note_links.Shot.code"],
    "Sequence": ["code", "sg_status_list", "shots"],
    "Asset": ["code", "sg_asset_type", "shots"],
}


def _filter(world, rng, entity_type):
    if entity_type == "Shot":
        return rng.choice([
            ["code", rng.choice(["is", "contains", "starts_with", "ends_with", "is_not"]), rng.choice(["sh0", "SH01", "1"])],
            ["sg_status_list", rng.choice(["is", "is_not"]), rng.choice(STATUSES)],
            ["sg_status_list", rng.choice(["in", "not_in"]), list(rng.sample(STATUSES, 2))],
            ["sg_cut_in", rng.choice(["is", "greater_than", "less_than"]), rng.choice([0, 10, 1001])],
            ["sg_cut_in", "between", [0, 100]],
            ["sg_sequence", rng.choice(["is", "is_not"]), world.link("Sequence")],
            ["sg_sequence", "type_is", "Sequence"],
            ["assets", rng.choice(["is", "is_not"]), world.link("Asset")],
            ["sg_sequence.Sequence.code", "is", "sq%02d" % rng.randint(1, 30)],
            ["project", "is", world.link("Project")],
            ["description", "contains", rng.choice(["a", "RAIN", ""])],
            {"filter_operator": "any", "filters": [["sg_status_list", "is", "ip"], ["sg_cut_in", "is", 10]]},
        ])
    if entity_type == "Version":
        return rng.choice([["entity", "is", world.link("Shot")], ["code", "starts_with", "v0"],
                           ["entity", "type_is", rng.choice(["Shot", "Asset"])]])
    if entity_type == "Note":
        return rng.choice([["note_links", "is", world.link("Shot")], ["subject", "contains", "a"]])
    if entity_type == "Asset":
        return rng.choice([["sg_asset_type", "is", "Character"], ["code", "starts_with", "hero"]])
    return ["code", "is_not", "sq01"]


def _find(world, rng):
    entity_type = rng.choice(TYPES)
    filters = [_filter(world, rng, entity_type) for _ in range(rng.randint(0, 2))]
    fields = rng.sample(READ_FIELDS[entity_type], rng.randint(1, len(READ_FIELDS[entity_type])))
    kwargs = {}
    if rng.random() < 0.4:
        kwargs["order"] = [{"field_name": rng.choice(["id", "code"] if entity_type != "Note" else ["id", "subject"]),
                            "direction": rng.choice(["asc", "desc"])}]
    if rng.random() < 0.2:
        kwargs["filter_operator"] = "any"
    if rng.random() < 0.1:
        kwargs["retired_only"] = True
    return call(rng.choice(["find", "find", "find_one"]), entity_type, filters, fields, **kwargs)


def scenario(seed, steps=60):
    """A list of ``steps`` calls; created ids are tracked as the reference numbers them (max + 1)."""
    rng = random.Random(seed)
    world = _World(rng)
    out = [call("create", "Project", {"name": "Pilot"}), call("create", "Project", {"name": "Second"})]
    world.ids["Project"] = [1, 2]
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.45:
            entity_type, step = _create(world, rng)
            world.ids[entity_type].append(len(world.ids[entity_type]) + 1)
            out.append(step)
        elif roll < 0.6:
            step = _update(world, rng)
            if step:
                out.append(step)
        elif roll < 0.66:
            entity_type = rng.choice(("Shot", "Asset"))
            if world.ids[entity_type]:
                out.append(call(rng.choice(["delete", "revive"]), entity_type, rng.choice(world.ids[entity_type])))
        else:
            out.append(_find(world, rng))
    for entity_type in TYPES:
        out.append(call("find", entity_type, [], READ_FIELDS[entity_type]))
    out.append(call("find", "Shot", [], ["code"], retired_only=True))
    return out


SCENARIOS = {"random_%d" % seed: scenario(seed) for seed in range(8)}
