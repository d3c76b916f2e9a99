"""The reference release's own test files, read from its source distribution on the package index.

The reference's tests are not ours to copy into the repository, so a test
that runs one of them downloads the sdist once (into ``.venv-reference-sdist``
beside the repository) and extracts the file it needs.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys
import tarfile
from pathlib import Path

from tests.support.reference_venv import REFERENCE_VERSION, REPO_ROOT

SDIST_FOLDER = REPO_ROOT / ".venv-reference-sdist"


def reference_test_file(name: str) -> Path:
    """The path of ``tests/<name>`` from the reference sdist, downloading it once.

    Raises ``RuntimeError`` when the sdist cannot be had (no package index).
    """
    folder = SDIST_FOLDER / REFERENCE_VERSION
    target = folder / name
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with open(str(folder) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return target
        archives = list(folder.glob("*.tar.gz"))
        if not archives:
            result = subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                 "-d", str(folder), "shotgun-api3==" + REFERENCE_VERSION],
                capture_output=True, text=True, timeout=300)
            archives = list(folder.glob("*.tar.gz"))
            if result.returncode != 0 or not archives:
                raise RuntimeError("could not download the shotgun-api3 %s sdist: %s"
                                   % (REFERENCE_VERSION, result.stderr.strip()[-500:]))
        with tarfile.open(archives[0]) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith("/tests/" + name)), None)
            if member is None:
                raise RuntimeError("the shotgun-api3 %s sdist has no tests/%s" % (REFERENCE_VERSION, name))
            extracted = archive.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())
    return target
