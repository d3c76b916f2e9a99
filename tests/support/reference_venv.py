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


def reference_python(location: Path | None = None) -> Path:
    """Return the interpreter of a venv with the reference release, creating it once.

    Safe to call from several processes at once (a lock file serialises the
    creation). Raises ``RuntimeError`` if the package cannot be installed.
    """
    location = Path(location or os.environ.get("SG_REF_VENV") or DEFAULT_LOCATION)
    python = location / "bin" / "python"
    stamp = location / (".installed-" + REFERENCE_VERSION)
    if stamp.exists():
        return python
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(str(location) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists():
            if not python.exists():
                venv.EnvBuilder(with_pip=True, clear=True).create(location)
            result = subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "shotgun-api3==" + REFERENCE_VERSION],
                capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError("could not install shotgun-api3==%s: %s" % (REFERENCE_VERSION, result.stderr))
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
