"""Where the site schema shipped with the package lies, for ``mockgun.Shotgun.set_schema_paths``."""
from __future__ import annotations

from pathlib import Path
from typing import Tuple

_DATA = Path(__file__).resolve().parents[2] / "data"


def shipped_schema_paths() -> Tuple[str, str]:
    """``(schema_path, schema_entity_path)`` of the real site's schema shipped in ``shotgun_api3/data``."""
    return str(_DATA / "schema.json"), str(_DATA / "schema_entity.json")
