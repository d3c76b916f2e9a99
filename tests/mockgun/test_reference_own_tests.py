"""The reference release's own ``tests/test_mockgun.py`` passes, unchanged, against our mockgun.

The file comes from the reference's source distribution (downloaded once,
see ``tests/support/reference_sdist.py``) and runs in a subprocess with our
package importable, on schema pickles written the way the reference ships
them (protocol 0, in a ``mockgun`` folder beside the test file).
"""
import json
import pickle
import re
import shutil
import subprocess
import sys
from importlib import resources

import pytest

from tests.support.reference_sdist import reference_test_file

pytestmark = pytest.mark.reference

EXPECTED_TESTS = 37


@pytest.fixture(scope="module")
def reference_mockgun_tests(tmp_path_factory):
    try:
        source = reference_test_file("test_mockgun.py")
    except RuntimeError as error:
        pytest.skip("the reference sdist is not reachable: %s" % error)
    folder = tmp_path_factory.mktemp("reference_tests")
    shutil.copy(source, folder / "test_mockgun.py")
    (folder / "mockgun").mkdir()
    data = resources.files("shotgun_api3").joinpath("data")
    for name in ("schema", "schema_entity"):
        schema = json.loads(data.joinpath(name + ".json").read_text(encoding="utf-8"))
        with open(folder / "mockgun" / (name + ".pickle"), "wb") as handle:
            pickle.dump(schema, handle, protocol=0)
    return folder


def test_the_reference_test_mockgun_passes_in_full(reference_mockgun_tests):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mockgun.py"],
        cwd=str(reference_mockgun_tests), capture_output=True, text=True, timeout=300)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\b%d passed\b" % EXPECTED_TESTS, summary), summary
    assert "failed" not in summary and "error" not in summary, summary
