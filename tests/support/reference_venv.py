"""A virtual environment holding the reference shotgun_api3 from PyPI.

The reference client and its mockgun are named ``shotgun_api3`` too, so they
cannot live beside our package: tests and benchmarks that compare against
them run code in this separate environment, as a subprocess.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import venv
from pathlib import Path

REFERENCE_VERSION = os.environ.get("SG_REF_VERSION", "3.10.3")
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LOCATION = REPO_ROOT / ".venv-reference"
# Why the reference could not be installed, per location: tried once per process
# (offline, each pip attempt would otherwise wait for the index again).
_FAILURES: dict = {}


class ReferenceUnavailable(RuntimeError):
    """The reference release cannot be installed here (no package index, typically)."""


def _unavailable(reason: str) -> None:
    """Skip the running test (under pytest) or raise :class:`ReferenceUnavailable` (benchmarks, scripts)."""
    # The variable is inherited by subprocesses (a benchmark run by a test): pytest must be running here.
    if os.environ.get("PYTEST_CURRENT_TEST") and "pytest" in sys.modules:
        import pytest

        pytest.skip(reason)
    raise ReferenceUnavailable(reason)


def reference_python(location: Path | None = None) -> Path:
    """Return the interpreter of a venv with the reference release, creating it once.

    Safe to call from several processes at once (a lock file serialises the
    creation). If the package cannot be installed (offline), the running
    test is skipped with the reason; outside pytest, ``ReferenceUnavailable``
    (a ``RuntimeError``) is raised.
    """
    location = Path(location or os.environ.get("SG_REF_VENV") or DEFAULT_LOCATION)
    python = location / "bin" / "python"
    stamp = location / (".installed-" + REFERENCE_VERSION)
    if stamp.exists():
        return python
    if str(location) in _FAILURES:
        _unavailable(_FAILURES[str(location)])
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(str(location) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists():
            if not python.exists():
                venv.EnvBuilder(with_pip=True, clear=True).create(location)
            print("Installing the reference shotgun-api3==%s from the package index into %s (once)"
                  % (REFERENCE_VERSION, location), file=sys.stderr)
            result = subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--retries", "1", "--timeout", "20",
                 "shotgun-api3==" + REFERENCE_VERSION],
                capture_output=True, text=True)
            if result.returncode != 0:
                reason = ("the reference shotgun-api3==%s cannot be installed from the package index "
                          "(offline?), so the comparisons with it are skipped: %s"
                          % (REFERENCE_VERSION, (result.stderr.strip().splitlines() or ["pip failed"])[-1]))
                _FAILURES[str(location)] = reason
                _unavailable(reason)
            stamp.touch()
    return python


def run_reference(script: str, *args: str, input_text: str | None = None, timeout: float = 600) -> str:
    """Run ``script`` (Python source) with the reference package importable; return its stdout."""
    python = reference_python()
    result = subprocess.run([str(python), "-I", "-c", script, *args], input=input_text, capture_output=True,
                            text=True, timeout=timeout, cwd=str(REPO_ROOT / "tests"))
    if result.returncode != 0:
        raise RuntimeError("reference script failed:\n%s" % result.stderr)
    return result.stdout


if __name__ == "__main__":
    print(reference_python())
    sys.exit(0)
