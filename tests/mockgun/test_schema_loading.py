"""Mockgun setup: module surface, schema paths, schema files in every form, generate_schema."""
import os
import pickle

import pytest

import shotgun_api3
from shotgun_api3.lib import mockgun
from shotgun_api3.lib.mockgun import MockgunError, generate_schema
from shotgun_api3.lib.mockgun.schema import SchemaFactory
from tests.support.schema_paths import mockgun_schema_paths

URL = "http://unit_test_mock_sg"


@pytest.fixture
def restore_schema_paths():
    with mockgun_schema_paths():
        yield


def test_the_reference_names_are_importable_from_the_package_and_its_submodules():
    from shotgun_api3.lib.mockgun import errors, schema
    from shotgun_api3.lib.mockgun import mockgun as mockgun_module

    assert mockgun.Shotgun is mockgun_module.Shotgun
    assert mockgun.MockgunError is errors.MockgunError
    assert mockgun.generate_schema is schema.generate_schema
    assert mockgun_module.__version__ == "0.0.1"
    assert callable(schema.SchemaFactory.get_schemas)


def test_mockgun_error_is_not_a_shotgun_error():
    assert issubclass(MockgunError, Exception)
    assert not issubclass(MockgunError, shotgun_api3.ShotgunError)


def test_mockgun_shotgun_is_a_real_shotgun_client():
    assert issubclass(mockgun.Shotgun, shotgun_api3.Shotgun)


def test_construction_without_schema_paths_raises_mockgun_error(restore_schema_paths):
    mockgun.Shotgun.set_schema_paths(None, None)
    with pytest.raises(MockgunError, match="set_schema_paths"):
        mockgun.Shotgun(URL)


def test_construction_with_a_missing_schema_file_names_it(restore_schema_paths, tmp_path, json_schema_paths):
    missing = str(tmp_path / "nope.pickle")
    mockgun.Shotgun.set_schema_paths(missing, json_schema_paths[1])
    with pytest.raises(MockgunError, match="Cannot locate Mockgun schema file '%s'" % missing):
        mockgun.Shotgun(URL)


def test_schema_paths_are_class_level_and_read_back_as_set(restore_schema_paths, json_schema_paths):
    mockgun.Shotgun.set_schema_paths(*json_schema_paths)
    assert mockgun.Shotgun.get_schema_paths() == json_schema_paths
    assert mockgun.Shotgun(URL).get_schema_paths() == json_schema_paths


@pytest.mark.parametrize("form", ["json_schema_paths", "pickle_schema_paths", "protocol0_schema_paths"])
def test_json_and_reference_pickle_schemas_load_the_same_site(form, request, restore_schema_paths,
                                                              site_schema_dicts):
    mockgun.Shotgun.set_schema_paths(*request.getfixturevalue(form))
    sg = mockgun.Shotgun(URL, "mock_user", "mock_key")
    assert sg.schema_read() == site_schema_dicts[0]
    assert sg.schema_entity_read() == site_schema_dicts[1]
    assert set(sg._db) >= set(site_schema_dicts[0])
    assert sg._schema["Shot"]["code"]["data_type"]["value"] == "text"
    assert sg._schema_entity["HumanUser"]["name"]["value"] == "Person"


def test_a_pickle_that_names_a_class_is_refused(restore_schema_paths, tmp_path, json_schema_paths):
    path = tmp_path / "evil.pickle"
    with open(path, "wb") as handle:
        pickle.dump({"Shot": os.stat_result((0,) * 10)}, handle, protocol=2)
    mockgun.Shotgun.set_schema_paths(str(path), json_schema_paths[1])
    with pytest.raises(MockgunError, match="os.stat_result|posix.stat_result"):
        mockgun.Shotgun(URL)


@pytest.mark.parametrize("content", [b"{not json", b"\x80\x02garbage", b"[1, 2]"])
def test_unreadable_schema_files_raise_mockgun_error(content, restore_schema_paths, tmp_path, json_schema_paths):
    path = tmp_path / "bad_schema"
    path.write_bytes(content)
    mockgun.Shotgun.set_schema_paths(str(path), json_schema_paths[1])
    with pytest.raises(MockgunError):
        mockgun.Shotgun(URL)


def test_a_rewritten_schema_file_is_read_again(restore_schema_paths, tmp_path, site_schema_dicts,
                                               json_schema_paths):
    path = tmp_path / "schema.pickle"
    small = {"Shot": site_schema_dicts[0]["Shot"]}
    path.write_bytes(pickle.dumps(small, protocol=2))
    assert SchemaFactory.get_schemas(str(path), json_schema_paths[1])[0] == small
    bigger = {"Shot": site_schema_dicts[0]["Shot"], "Asset": site_schema_dicts[0]["Asset"]}
    path.write_bytes(pickle.dumps(bigger, protocol=2) + b" " * 7)
    assert set(SchemaFactory.get_schemas(str(path), json_schema_paths[1])[0]) == {"Shot", "Asset"}


def test_instances_share_the_loaded_schema_dicts_as_with_the_reference(sg):
    other = type(sg)(URL)
    assert sg.schema_read() is other.schema_read() is sg._schema
    assert sg.schema_entity_read() is other._schema_entity


def test_a_schema_change_is_private_to_the_instance_that_makes_it(sg, site_sg):
    for changed in (sg, site_sg):
        other = type(sg)(URL)
        changed.schema_field_create("Shot", "text", "Notes For Tests")
        changed.schema_field_update("Shot", "code", {"name": "Changed by one instance"})
        assert "sg_notes_for_tests" in changed.schema_field_read("Shot")
        assert changed.schema_field_read("Shot", "code")["code"]["name"]["value"] == "Changed by one instance"
        assert "sg_notes_for_tests" not in other.schema_field_read("Shot")
        assert other.schema_field_read("Shot", "code")["code"]["name"]["value"] == "Shot Code"
        assert changed._schema is not other._schema
        assert type(sg)(URL)._schema is other._schema


def test_store_starts_with_the_hello_mockgun_world_event(sg):
    row = sg._db["EventLogEntry"][1]
    assert row["event_type"] == "Hello_Mockgun_World"
    assert row["description"] == "Mockgun was born. Yay."
    found = sg.find_one("EventLogEntry", [["id", "is", 1]], ["event_type", "description"])
    assert found["event_type"] == "Hello_Mockgun_World"


def test_generate_schema_writes_protocol_2_pickles_the_reference_can_load(sg, tmp_path, site_schema_dicts,
                                                                           restore_schema_paths):
    schema_path, entity_path = str(tmp_path / "s.pickle"), str(tmp_path / "se.pickle")
    generate_schema(sg, schema_path, entity_path)
    with open(schema_path, "rb") as handle:
        assert handle.read(2) == b"\x80\x02"
    with open(schema_path, "rb") as handle:
        assert pickle.load(handle) == site_schema_dicts[0]
    mockgun.Shotgun.set_schema_paths(schema_path, entity_path)
    assert mockgun.Shotgun(URL).schema_entity_read() == site_schema_dicts[1]


def test_generate_schema_lets_file_system_errors_through(sg, tmp_path):
    with pytest.raises(OSError):
        generate_schema(sg, str(tmp_path / "no_dir" / "s.pickle"), str(tmp_path / "se.pickle"))


def test_generate_schema_lets_connection_errors_through(tmp_path):
    class Broken:
        def schema_read(self):
            raise shotgun_api3.Fault("site down")

    with pytest.raises(shotgun_api3.Fault, match="site down"):
        generate_schema(Broken(), str(tmp_path / "s"), str(tmp_path / "se"))
    assert not (tmp_path / "s").exists()
