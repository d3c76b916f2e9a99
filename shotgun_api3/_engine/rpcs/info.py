"""The ``info`` RPC: the server description the client reads capabilities from."""

from __future__ import annotations

from typing import Any, Dict

from .. import site_choices
from ..registry import rpc

SITE_VERSION = [8, 50, 0]


@rpc("info")
def info(call: Any, params: Any) -> Dict[str, Any]:
    """The answer of a current site (docs/site_facts.rst, Answers)."""
    return {
        "version": list(SITE_VERSION),
        "full_version": list(SITE_VERSION) + [0],
        "user_authentication_method": "default",
        "api_max_entities_per_page": site_choices.MAX_ENTITIES_PER_PAGE,
        "s3_direct_uploads_enabled": False,
        "s3_enabled_upload_types": {"Version": ["sg_uploaded_movie"], "Attachment": "*", "*": ["this_file"]},
    }
