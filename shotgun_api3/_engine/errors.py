"""The one exception the engine raises for anything a site answers with a fault."""

from __future__ import annotations

from typing import Optional


class EngineFault(Exception):
    """Raised when a site would answer a call with an error.

    The local site server turns it into ``{"exception": true, "message": ...,
    "error_code": ...}``; mockgun raises the client exception that answer maps
    to (``Fault`` for a missing or unknown ``error_code``).
    """

    def __init__(self, message: str, error_code: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_code = error_code

    def __str__(self) -> str:
        return self.message
