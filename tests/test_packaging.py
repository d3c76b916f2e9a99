"""The package installs with its metadata, ships what it promises, tells itself apart and can be vendored."""
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

import shotgun_api3
from tests.client.loopback import LoopbackSite, ok

REPO = Path(__file__).resolve().parents[1]
DEPENDENCIES = ("httplib2", "certifi", "PySocks", "pyparsing")  # pyparsing: httplib2's own dependency


def test_version_matches_the_reference_release_line():
    # Code that parses __version__ or pins ==3.10.3 keeps working.
    assert shotgun_api3.__version__ == "3.10.3"
    assert metadata.version("shotgun_api3").startswith("3.10.3+")
    assert SpecifierSet("==3.10.3").contains(metadata.version("shotgun_api3"))


def test_the_package_tells_itself_apart_from_the_reference_at_run_time():
    assert shotgun_api3.__distribution_version__ == metadata.version("shotgun_api3")
    assert shotgun_api3.__distribution_version__ != shotgun_api3.__version__


def test_metadata_names_author_urls_and_classifiers():
    meta = metadata.metadata("shotgun_api3")
    assert meta["Author-email"] or meta["Author"]
    urls = meta.get_all("Project-URL") or []
    assert any("developers.shotgridsoftware.com" in url for url in urls)
    classifiers = meta.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.9" in classifiers
    assert any(c.startswith("Development Status") for c in classifiers)


def test_changelog_says_what_differs_from_the_reference():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert shotgun_api3.__distribution_version__ in text
    assert "WriteOutcomeUnknown" in text and "reference" in text


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


# ------------------------------------------------------------------ vendoring


def _run_isolated(code: str, path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``code`` with only ``path`` (and the standard library) importable: no site-packages."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PYTHONPATH"] = str(path)
    return subprocess.run([sys.executable, "-S", "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=str(path), timeout=120)


def _copy_package(target: Path) -> None:
    shutil.copytree(REPO / "shotgun_api3", target / "shotgun_api3",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _copy_installed_distribution(name: str, target: Path) -> None:
    """Lay out an installed distribution in ``target`` as ``pip install --target`` does."""
    dist = metadata.distribution(name)
    for file in dist.files or []:
        source = Path(dist.locate_file(file))
        if file.parts[0] in ("..", "bin") or not source.is_file() or "__pycache__" in file.parts:
            continue
        destination = target / file
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


USE_THE_CLIENT = """
import sys
import shotgun_api3
assert shotgun_api3.__file__.startswith(sys.argv[2]), shotgun_api3.__file__
sg = shotgun_api3.Shotgun(sys.argv[1], "scr", "key123")
print(sg.find_one("Shot", [["id", "is", 1]])["id"])
"""


def test_a_copied_folder_alone_fails_with_an_import_error_saying_what_to_install(tmp_path):
    _copy_package(tmp_path)
    result = _run_isolated("import shotgun_api3", tmp_path)
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr
    for words in ("pip install", "httplib2", "certifi", "PySocks", "--target"):
        assert words in result.stderr


def test_the_folder_with_its_dependencies_beside_it_works_from_pythonpath(tmp_path):
    # What `pip install --target DIR shotgun_api3` lays out, made from the installed packages (offline).
    _copy_package(tmp_path)
    for name in DEPENDENCIES:
        _copy_installed_distribution(name, tmp_path)
    with LoopbackSite(ok({"entities": [{"type": "Shot", "id": 1}], "paging_info": {"entity_count": 1}})) as site:
        result = _run_isolated(USE_THE_CLIENT, tmp_path, site.url, str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


@pytest.mark.slow
def test_pip_install_target_then_pythonpath_as_documented(tmp_path):
    target = tmp_path / "vendor"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", str(target), str(REPO)],
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        pytest.skip("pip could not install from the package index (offline?): %s" % install.stderr[-300:])
    with LoopbackSite(ok({"entities": [{"type": "Shot", "id": 1}], "paging_info": {"entity_count": 1}})) as site:
        result = _run_isolated(USE_THE_CLIENT, target, site.url, str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


# ------------------------------------------------------------------ first runs


@pytest.mark.parametrize("script", ["run-tests", "run-demo"])
def test_quick_start_scripts_say_what_they_install_on_a_first_run(tmp_path, script):
    # A stand-in interpreter records what the script asks of it, so nothing is installed for real.
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    stub = venv / "bin" / "python"
    stub.write_text('#!/bin/sh\necho "$@" >> "%s"\n' % log)
    stub.chmod(0o755)
    env = dict(os.environ, VENV=str(venv))
    result = subprocess.run(["bash", str(REPO / script), "--version"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Installing into %s from the package index" % venv in result.stderr
    assert "pytest" in result.stderr and "httplib2" in result.stderr
    calls = log.read_text()
    assert "-m pip install -q -e .[test]" in calls
    # Once installed, nothing more is said.
    again = subprocess.run(["bash", str(REPO / script), "--version"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert "Installing" not in again.stderr


def test_the_forge_ci_runs_ci_run_on_the_oldest_and_newest_python_and_builds_docs_and_wheel():
    workflow = (REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert '["3.9", "3.13"]' in workflow
    assert "run: bash .ci/run" in workflow
    assert "sphinx" in workflow
    assert "python -m build" in workflow and "*.whl" in workflow
