"""Fixtures for mockgun tests: schema files in every accepted form, and a fresh mockgun."""
import json
import pickle
from importlib import resources

import pytest

from shotgun_api3.lib import mockgun
from tests.support.schema_paths import mockgun_schema_paths, mockgun_site_semantics


def _data_schema(name):
    return json.loads(resources.files("shotgun_api3").joinpath("data", name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_schema_dicts():
    """The default site schema as ``(schema_read(), schema_entity_read())`` dicts."""
    return _data_schema("schema.json"), _data_schema("schema_entity.json")


@pytest.fixture(scope="session")
def json_schema_paths():
    """The JSON schema files shipped with the package."""
    root = resources.files("shotgun_api3").joinpath("data")
    return str(root.joinpath("schema.json")), str(root.joinpath("schema_entity.json"))


def _write_pickles(folder, dicts, protocol):
    paths = []
    for name, data in zip(("schema.pickle", "schema_entity.pickle"), dicts):
        path = folder / name
        with open(path, "wb") as handle:
            pickle.dump(data, handle, protocol=protocol)
        paths.append(str(path))
    return tuple(paths)


@pytest.fixture(scope="session")
def pickle_schema_paths(tmp_path_factory, site_schema_dicts):
    """The site schema as protocol 2 pickles, what the reference's generate_schema writes."""
    return _write_pickles(tmp_path_factory.mktemp("schema_p2"), site_schema_dicts, 2)


@pytest.fixture(scope="session")
def protocol0_schema_paths(tmp_path_factory, site_schema_dicts):
    """The site schema as protocol 0 pickles, the form of the reference's own test files."""
    return _write_pickles(tmp_path_factory.mktemp("schema_p0"), site_schema_dicts, 0)


@pytest.fixture
def sg(json_schema_paths):
    """A fresh mockgun on the default site schema, built the way rigs build it."""
    with mockgun_schema_paths(json_schema_paths):
        yield mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")


@pytest.fixture
def site_sg(json_schema_paths):
    """A fresh mockgun answering as a site (``site_semantics``), from its construction on."""
    with mockgun_schema_paths(json_schema_paths):
        with mockgun_site_semantics():
            sg = mockgun.Shotgun("http://unit_test_mock_sg", "mock_user", "mock_key")
        sg.site_semantics = True
        yield sg
