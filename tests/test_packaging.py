"""The package installs with its metadata and ships what it promises."""
import json
from importlib import metadata, resources

import shotgun_api3


def test_version_matches_the_reference_release_line():
    assert shotgun_api3.__version__ == "3.10.3"
    assert metadata.version("shotgun_api3") == shotgun_api3.__version__


def test_package_ships_py_typed_and_the_default_site_schema():
    root = resources.files("shotgun_api3")
    assert root.joinpath("py.typed").is_file()
    schema = json.loads(root.joinpath("data", "schema.json").read_text(encoding="utf-8"))
    entity_schema = json.loads(root.joinpath("data", "schema_entity.json").read_text(encoding="utf-8"))
    assert set(schema) == set(entity_schema)
    assert schema["Shot"]["sg_sequence"]["data_type"]["value"] == "entity"


def test_runtime_dependencies_are_the_pypi_packages():
    requires = " ".join(metadata.requires("shotgun_api3") or [])
    assert "httplib2" in requires and "certifi" in requires
