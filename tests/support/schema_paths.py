"""Setting mockgun's class-wide schema paths for a while, and restoring them."""

from __future__ import annotations

import contextlib
from typing import Iterator, Optional, Sequence

from shotgun_api3.lib import mockgun


@contextlib.contextmanager
def mockgun_schema_paths(paths: Optional[Sequence[str]] = None) -> Iterator[None]:
    """Inside the block, mockgun reads the schema from ``paths`` (when given); after it, from the paths before."""
    saved = mockgun.Shotgun.get_schema_paths()
    if paths is not None:
        mockgun.Shotgun.set_schema_paths(*paths)
    try:
        yield
    finally:
        mockgun.Shotgun.set_schema_paths(*saved)


@contextlib.contextmanager
def mockgun_site_semantics(enabled: bool = True) -> Iterator[None]:
    """Inside the block, new mockgun instances answer as a site (``site_semantics``); after it, as before."""
    saved = mockgun.Shotgun.site_semantics
    mockgun.Shotgun.site_semantics = enabled
    try:
        yield
    finally:
        mockgun.Shotgun.site_semantics = saved
