"""Mockgun: the ``Shotgun`` client answered in process by a site engine, for tests.

See ``docs/mockgun.rst``. The three names below are the reference's public
surface and stay importable from here.
"""
from .errors import MockgunError
from .mockgun import Shotgun
from .schema import generate_schema

__all__ = ["Shotgun", "MockgunError", "generate_schema"]
