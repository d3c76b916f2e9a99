"""A clear ImportError when the packages the client runs on are missing.

The reference bundled copies of httplib2, certifi and PySocks, so its
``shotgun_api3/`` folder could be copied onto a DCC's or framework's path
and imported as it was. This package uses the installed ones instead (they
get security fixes), so a folder copied alone cannot import; rather than
``No module named 'certifi'`` from deep inside, say what to do.
"""
from __future__ import annotations

import importlib.util

# import name -> the name to install it by
REQUIRED = {"httplib2": "httplib2", "certifi": "certifi", "socks": "PySocks"}

VENDORING_HINT = (
    "To put shotgun_api3 on a path without pip at run time (a DCC or framework folder), install it there "
    "with its dependencies: `python -m pip install --target DIR shotgun_api3` (or `... --target DIR .` "
    "from a checkout), then add DIR to PYTHONPATH or sys.path. Copying the shotgun_api3 folder alone is "
    "not enough: it does not bundle its dependencies."
)


def missing_dependencies() -> list:
    """The install names of the required packages that cannot be imported."""
    return [package for module, package in REQUIRED.items() if importlib.util.find_spec(module) is None]


def require_dependencies() -> None:
    """Raise ``ModuleNotFoundError`` (an ``ImportError``) naming what to install, if anything is missing."""
    missing = missing_dependencies()
    if missing:
        raise ModuleNotFoundError(
            "shotgun_api3 needs %s, which cannot be imported here (sys.path). Install %s: "
            "`python -m pip install %s`. %s" % (
                ", ".join(REQUIRED.values()), "it" if len(missing) == 1 else "them", " ".join(missing),
                VENDORING_HINT),
            name=missing[0] if missing[0] != "PySocks" else "socks",
        )
