"""A stand-in for the site store's ``write_state``: keeps what is saved, forgets what is set to None."""
from __future__ import annotations

from typing import Any


class Saved(dict):
    """Callable as ``write_state(key, value)``; the dict holds what was saved."""

    def __call__(self, key: str, value: Any) -> None:
        if value is None:
            self.pop(key, None)
        else:
            self[key] = value
