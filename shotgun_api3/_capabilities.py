"""What the site and this machine support: server version gates and client platform facts."""
from __future__ import annotations

import ssl
import sys
from typing import Any

from ._errors import ShotgunError

# Each gate: the first server version supporting the feature and the label
# used in the error message when the server is older.
_INCLUDE_ARCHIVED_PROJECTS = {"version": (5, 3, 14), "label": "include_archived_projects parameter"}
_PER_PROJECT_CUSTOMIZATION = {"version": (5, 4, 4), "label": "project parameter"}
_PAGING_INFO_WITHOUT_COUNTS = {"version": (7, 4, 0), "label": "optimized pagination"}
_ADDITIONAL_FILTER_PRESETS = {"version": (7, 0, 0), "label": "additional_filter_presets parameter"}
_USER_FOLLOWING = {"version": (7, 0, 12), "label": "user_following parameter"}
_RETURN_IMAGE_URLS = {"version": (3, 3, 0), "label": "return thumbnail URLs"}
_JSON_API = {"version": (2, 4, 0), "label": "JSON API"}


def client_sys() -> Any:
    """The ``sys`` module as seen by ``shotgun_api3.shotgun``, looked up at call time.

    Test suites patch ``shotgun_api3.shotgun.sys`` to fake the platform or the
    Python version; everything that reads those goes through here.
    """
    module = sys.modules.get("shotgun_api3.shotgun")
    return getattr(module, "sys", sys) if module is not None else sys


def _version_str(version: tuple | list | None) -> str:
    """Format a version tuple as ``"a.b.c"``."""
    return ".".join(str(part) for part in version) if version else ""


class ServerCapabilities:
    """The site's version and the features it implies, built from the ``info`` answer."""

    def __init__(self, host: str, meta: dict) -> None:
        self.host = host
        self.server_info = meta
        version = meta.get("version") if isinstance(meta, dict) else None
        if not version:
            raise ShotgunError(
                "The Flow Production Tracking Server didn't respond with a version number. "
                "This may be because you are running an older version of Flow Production Tracking "
                "against a more recent version of the Flow Production Tracking API. "
                "For more information, please contact the Autodesk Flow Production Tracking support."
            )
        version = list(version)
        self.is_dev = len(version) > 3 and version[3] == "Dev"
        self.version = tuple(version[:3])
        self._ensure_json_supported()

    def _ensure_support(self, feature: dict, raise_hell: bool = True) -> bool:
        """Return whether the server supports ``feature``; raise ``ShotgunError`` instead when asked."""
        if not self.version or self.version < feature["version"]:
            if raise_hell:
                raise ShotgunError(
                    "%s requires server version %s or higher, server is %s"
                    % (feature["label"], _version_str(feature["version"]), _version_str(self.version))
                )
            return False
        return True

    def _ensure_json_supported(self) -> None:
        """Raise unless the server speaks the JSON API (2.4.0 or later)."""
        self._ensure_support(_JSON_API)

    def ensure_include_archived_projects(self) -> bool:
        """Require 5.3.14 for ``include_archived_projects=False``."""
        return self._ensure_support(_INCLUDE_ARCHIVED_PROJECTS)

    def ensure_per_project_customization(self) -> bool:
        """Require 5.4.4 for a ``project_entity`` argument."""
        return self._ensure_support(_PER_PROJECT_CUSTOMIZATION)

    def ensure_support_for_additional_filter_presets(self) -> bool:
        """Require 7.0.0 for ``additional_filter_presets``."""
        return self._ensure_support(_ADDITIONAL_FILTER_PRESETS)

    def ensure_user_following_support(self) -> bool:
        """Require 7.0.12 for ``following()``."""
        return self._ensure_support(_USER_FOLLOWING)

    def ensure_paging_info_without_counts_support(self) -> bool:
        """Whether reads may ask for ``has_next_page`` instead of a full count (7.4.0)."""
        return self._ensure_support(_PAGING_INFO_WITHOUT_COUNTS, False)

    def ensure_return_image_urls_support(self) -> bool:
        """Whether reads may ask for thumbnail URLs directly (3.3.0)."""
        return self._ensure_support(_RETURN_IMAGE_URLS, False)

    def __str__(self) -> str:
        return "ServerCapabilities: host %s, version %s, is_dev %s" % (self.host, self.version, self.is_dev)


class ClientCapabilities:
    """Facts about this machine: platform name, local path field, Python and SSL versions."""

    def __init__(self) -> None:
        _sys = client_sys()
        # Case-insensitive: suites fake the platform as "Darwin" or "Linux".
        platform = _sys.platform.lower()
        if platform == "darwin":
            self.platform: Any = "mac"
        elif platform.startswith("linux"):
            self.platform = "linux"
        elif platform == "win32":
            self.platform = "windows"
        else:
            self.platform = None
        self.local_path_field = "local_path_%s" % self.platform if self.platform else None
        self.py_version = "%s.%s" % (_sys.version_info[0], _sys.version_info[1])
        self.ssl_version = ssl.OPENSSL_VERSION

    def __str__(self) -> str:
        return "ClientCapabilities: platform %s, local_path_field %s, py_version %s, ssl version %s" % (
            self.platform,
            self.local_path_field,
            self.py_version,
            self.ssl_version,
        )


def version_gate(server_caps: ServerCapabilities, minimum: tuple, feature: str, shown: str = "") -> None:
    """Raise ``ShotgunError`` when the server is older than ``minimum`` for an inline-checked feature.

    ``shown`` is the version as the message spells it (e.g. "3.1" for 3.1.0).
    """
    if not server_caps.version or server_caps.version < minimum:
        raise ShotgunError(
            "%s requires server version %s or higher, server is %s"
            % (feature, shown or _version_str(minimum), server_caps.version)
        )
