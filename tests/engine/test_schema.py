"""Schema loading (JSON and reference pickles) and the schema RPCs."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from shotgun_api3._engine import CallContext, EngineFault, SiteSchema

from .conftest import Site

FIXTURES = Path("/work/shared/fixtures/schema")
DATA = Path(__file__).resolve().parents[2] / "shotgun_api3" / "data"


def test_default_schema_is_the_shipped_site_schema():
    schema = SiteSchema.default()
    assert len(schema.entity_types()) == 77
    assert schema.field("Shot", "sg_sequence").valid_types == ("Sequence",)


@pytest.mark.parametrize("protocol", [0, 2])
def test_schema_loads_from_reference_style_pickles(tmp_path, protocol):
    fields = json.loads((DATA / "schema.json").read_text(encoding="utf-8"))
    entities = json.loads((DATA / "schema_entity.json").read_text(encoding="utf-8"))
    for name, data in (("schema.pickle", fields), ("schema_entity.pickle", entities)):
        (tmp_path / name).write_bytes(pickle.dumps(data, protocol=protocol))
    schema = SiteSchema.from_files(tmp_path / "schema.pickle", tmp_path / "schema_entity.pickle")
    assert schema.fields == fields
    assert schema.entities == entities


@pytest.mark.skipif(not (FIXTURES / "schema.pickle").exists(), reason="shared fixtures not present")
def test_schema_loads_the_reference_pickles_byte_for_byte():
    schema = SiteSchema.from_files(FIXTURES / "schema.pickle", FIXTURES / "schema_entity.pickle")
    assert schema.fields == SiteSchema.default().fields


def test_schema_from_json_files(tmp_path):
    schema = SiteSchema.from_files(DATA / "schema.json", DATA / "schema_entity.json")
    assert schema.entities["HumanUser"]["name"]["value"] == "Person"


def test_schema_read_answers_copies_in_the_site_shape(site, engine):
    answer = site.call("schema_read", None)
    assert answer["Shot"]["code"]["data_type"] == {"editable": False, "value": "text"}
    answer["Shot"]["code"]["data_type"]["value"] = "number"
    assert engine.schema.field("Shot", "code").data_type == "text"
    assert "visible" not in answer["Shot"]["code"]


def test_schema_entity_read(site):
    answer = site.call("schema_entity_read", None)
    assert answer["HumanUser"]["name"] == {"editable": False, "value": "Person"}


def test_schema_field_read_one_field_or_all(site):
    one = site.call("schema_field_read", {"type": "Shot", "field_name": "code"})
    assert list(one) == ["code"]
    every = site.call("schema_field_read", {"type": "Shot"})
    assert len(every) == 61


def test_schema_field_read_of_unknown_type_or_field_is_a_fault(site):
    with pytest.raises(EngineFault, match="Spaceship"):
        site.call("schema_field_read", {"type": "Spaceship"})
    with pytest.raises(EngineFault, match="Shot.nope"):
        site.call("schema_field_read", {"type": "Shot", "field_name": "nope"})


@pytest.fixture
def schema_site(schema_engine):
    return Site(schema_engine, CallContext())


def _create_field(site, entity_type, data_type, name, **properties):
    props = [{"property_name": "name", "value": name}]
    props += [{"property_name": k, "value": v} for k, v in properties.items()]
    return site.call("schema_field_create", {"type": entity_type, "data_type": data_type, "properties": props})


def test_schema_field_create_names_the_field_sg_snake_case_with_suffixes(schema_site):
    assert _create_field(schema_site, "Shot", "text", "Hero Note!") == "sg_hero_note"
    assert _create_field(schema_site, "Shot", "text", "hero note") == "sg_hero_note_1"
    assert _create_field(schema_site, "Shot", "number", "Hero-Note") == "sg_hero_note_2"


def test_created_field_can_be_written_read_and_filtered(schema_site, schema_engine):
    schema_site.create("Shot", {"code": "old"})
    name = _create_field(schema_site, "Shot", "list", "Priority", valid_values=["low", "high"])
    assert schema_engine.tables["Shot"][1][name] is None
    schema_site.create("Shot", {"code": "new", name: "high"})
    assert schema_site.ids("Shot", [[name, "is", "HIGH"]]) == [2]
    definition = schema_site.call("schema_field_read", {"type": "Shot", "field_name": name})[name]
    assert definition["properties"]["valid_values"]["value"] == ["low", "high"]
    assert definition["name"]["value"] == "Priority"


def test_created_entity_field_checks_valid_types(schema_site):
    name = _create_field(schema_site, "Shot", "entity", "Hero", valid_types=["Asset"])
    schema_site.create("Asset", {"code": "a"})
    schema_site.create("Shot", {"code": "s", name: {"type": "Asset", "id": 1}})
    with pytest.raises(EngineFault, match="not a valid type"):
        schema_site.create("Shot", {"code": "t", name: {"type": "Shot", "id": 1}})


def test_schema_field_create_with_unknown_data_type_is_a_fault(schema_site):
    with pytest.raises(EngineFault, match="data type"):
        _create_field(schema_site, "Shot", "hologram", "X")


def test_schema_field_update_changes_properties(schema_site):
    assert schema_site.call("schema_field_update", {
        "type": "Shot", "field_name": "code",
        "properties": [{"property_name": "name", "value": "Shot Code"},
                       {"property_name": "description", "value": "the code"}]}) is True
    definition = schema_site.call("schema_field_read", {"type": "Shot", "field_name": "code"})["code"]
    assert definition["name"]["value"] == "Shot Code"
    assert definition["description"]["value"] == "the code"


def test_schema_field_update_visible_per_project(schema_site):
    project = {"type": "Project", "id": 1}
    schema_site.call("schema_field_update", {"type": "Shot", "field_name": "code", "project": project,
                                             "properties": [{"property_name": "visible", "value": False}]})
    for_project = schema_site.call("schema_field_read", {"type": "Shot", "field_name": "code", "project": project})
    assert for_project["code"]["visible"]["value"] is False
    other = schema_site.call("schema_read", {"project": {"type": "Project", "id": 2}})
    assert other["Shot"]["code"]["visible"]["value"] is True
    assert "visible" not in schema_site.call("schema_read", None)["Shot"]["code"]
    entities = schema_site.call("schema_entity_read", {"project": project})
    assert entities["Shot"]["visible"]["value"] is True


def test_schema_field_delete_removes_custom_fields_only(schema_site):
    name = _create_field(schema_site, "Shot", "text", "Temp")
    assert schema_site.call("schema_field_delete", {"type": "Shot", "field_name": name}) is True
    with pytest.raises(EngineFault, match=f"Shot.{name}"):
        schema_site.call("schema_field_read", {"type": "Shot", "field_name": name})
    with pytest.raises(EngineFault, match="built-in"):
        schema_site.call("schema_field_delete", {"type": "Shot", "field_name": "code"})
