"""Without the package index, tests that compare with the reference skip with a clear reason."""
from __future__ import annotations

import subprocess

import pytest

from tests.support import reference_venv


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """``pip install`` fails as it does offline; the venv is not really made (it would take seconds)."""
    attempts = []

    class FakeBuilder:
        def __init__(self, **kwargs):
            pass

        def create(self, location):
            (location / "bin").mkdir(parents=True)
            (location / "bin" / "python").touch()

    def failing_pip(args, **kwargs):
        attempts.append(args)
        return subprocess.CompletedProcess(args, 1, "", "ERROR: Could not find a version that satisfies the "
                                                        "requirement shotgun-api3==3.10.3\n"
                                                        "ERROR: No matching distribution found for shotgun-api3")

    monkeypatch.setattr(reference_venv.venv, "EnvBuilder", FakeBuilder)
    monkeypatch.setattr(reference_venv.subprocess, "run", failing_pip)
    monkeypatch.setattr(reference_venv, "_FAILURES", {})
    return tmp_path / "ref", attempts


def test_a_test_needing_the_reference_is_skipped_with_the_reason(offline):
    location, attempts = offline
    with pytest.raises(pytest.skip.Exception) as skipped:
        reference_venv.reference_python(location)
    assert "cannot be installed from the package index" in str(skipped.value)
    assert "No matching distribution" in str(skipped.value)
    # Tried once per process: the next test skips at once.
    with pytest.raises(pytest.skip.Exception):
        reference_venv.reference_python(location)
    assert len(attempts) == 1


def test_outside_pytest_a_clear_error_is_raised(offline, monkeypatch):
    location, _ = offline
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    with pytest.raises(reference_venv.ReferenceUnavailable, match="cannot be installed"):
        reference_venv.reference_python(location)
